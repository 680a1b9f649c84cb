//! Reading the JSON documents users write (frameworks, recipes, specifications, options): one
//! place, so that every such error names the field at fault — `weights.a`,
//! `choices[0].options[1].method` — as well as serde's line and column.
//!
//! The path is found after the fact, from the position `serde_json` reports, by [`path_at`]: a
//! scan of the text that tracks the keys and indices it is inside. (Tracking it during
//! deserialisation, as `serde_path_to_error` does, wraps every visitor and cost the WebAssembly
//! module 65 KB.)

use crate::error::MethodError;
use serde::de::DeserializeOwned;
use std::fmt::Write;

/// Why a document could not be read.
#[derive(Debug)]
pub(crate) enum Invalid {
    /// A value that is not one of the names a field accepts — a misspelt method — as
    /// [`MethodError::UnknownChoice`], naming the field, the name and the valid ones.
    Choice(MethodError),
    /// Anything else: serde's message, prefixed by the path of the field at fault.
    Text(String),
}

impl Invalid {
    /// The message, for documents whose errors are all of one kind.
    pub(crate) fn into_text(self) -> String {
        match self {
            Self::Choice(e) => e.to_string(),
            Self::Text(text) => text,
        }
    }
}

/// Parses `text`, which must hold one JSON object (serde would also read a struct from an array
/// of its fields in order — `[1, 2]` as `{"replicates": 1, "seed": 2}` — which nobody means);
/// the error names the path of the field at fault, when there is one. serde's line and column
/// are kept only for a text of several lines, where they help find the place: the one-line
/// texts the bindings write from a dict or an object are named by path alone.
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, Invalid> {
    match text.trim_start().chars().next() {
        Some('{') => {}
        Some(first) => {
            return Err(Invalid::Text(format!(
                "expected a JSON object {{ … }}, found text starting with `{first}`"
            )));
        }
        None => {
            return Err(Invalid::Text(
                "expected a JSON object { … }, found nothing".into(),
            ));
        }
    }
    serde_json::from_str(text).map_err(|e| {
        let path = if e.line() == 0 {
            String::new()
        } else {
            path_at(text, offset(text, e.line(), e.column()))
        };
        if path.is_empty() {
            return Invalid::Text(e.to_string());
        }
        let full = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        let message = full.strip_suffix(&position).unwrap_or(&full);
        if let Some((found, valid)) = unknown_variant(message) {
            return Invalid::Choice(MethodError::UnknownChoice {
                field: value_path(text, &found, &path).unwrap_or(path),
                found,
                valid,
            });
        }
        if text.contains('\n') {
            Invalid::Text(format!("`{path}`: {full}"))
        } else {
            Invalid::Text(format!("`{path}`: {message}"))
        }
    })
}

/// The path of the one string value `"found"` under `within`. serde reads a tagged object
/// (a step's `{"step": "impute", …}`) whole before choosing its variant, so its errors inside
/// such an object point at the object's end; the misspelt name itself says where it is.
fn value_path(text: &str, found: &str, within: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let width = found.len() + 2;
    let mut paths = (0..bytes.len()).filter_map(|at| {
        let candidate = bytes.get(at..at + width)?;
        let quoted = candidate[0] == b'"'
            && candidate[width - 1] == b'"'
            && &candidate[1..width - 1] == found.as_bytes();
        if !quoted {
            return None;
        }
        let before = text[..at].trim_end();
        let is_key = text[at + width..].trim_start().starts_with(':');
        let is_value =
            !is_key && (before.ends_with(':') || before.ends_with('[') || before.ends_with(','));
        let path = path_at(text, at + width);
        (is_value && path.starts_with(within)).then_some(path)
    });
    let first = paths.next()?;
    paths.all(|other| other == first).then_some(first)
}

/// The name and the valid names of serde's "unknown variant `x`, expected one of `a`, `b`"
/// (also "expected `a` or `b`", "expected `a`"): the quoted words in order.
fn unknown_variant(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown variant `")?;
    let (found, rest) = rest.split_once('`')?;
    let valid = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect();
    Some((found.to_owned(), valid))
}

/// The byte offset just past `serde_json`'s (one-based) `line` and `column`, the last byte it read.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    (start + column).min(text.len())
}

/// Where a scan is: inside an object (under its last key, or reading a key) or an array (at
/// an index).
enum Frame {
    Object { key: Option<String>, in_key: bool },
    Array { index: usize },
}

/// The path of the value being read at byte `end` of `text`: `choices[0].options[1].method`,
/// or empty at the top. A key still being read (as in "unknown field") names its object, the
/// place the key is wrong for. Strings and their escapes are skipped; the text is assumed to be
/// JSON up to `end` (serde read it so far).
fn path_at(text: &str, end: usize) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    let mut bytes = text.as_bytes()[..end].iter().enumerate();
    while let Some((i, &b)) = bytes.next() {
        match b {
            b'"' => {
                let start = i + 1;
                let mut stop = end;
                while let Some((j, &c)) = bytes.next() {
                    match c {
                        b'\\' => {
                            bytes.next();
                        }
                        b'"' => {
                            stop = j;
                            break;
                        }
                        _ => {}
                    }
                }
                if let Some(Frame::Object { key, in_key: true }) = stack.last_mut() {
                    *key = Some(String::from_utf8_lossy(&text.as_bytes()[start..stop]).into());
                }
            }
            b'{' => stack.push(Frame::Object {
                key: None,
                in_key: true,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b':' => {
                if let Some(Frame::Object { in_key, .. }) = stack.last_mut() {
                    *in_key = false;
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { in_key, .. }) => *in_key = true,
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            _ => {}
        }
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object {
                key: Some(key),
                in_key: false,
            } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Array { index } => {
                let _ = write!(path, "[{index}]"); // writing to a String cannot fail
            }
            Frame::Object { .. } => break,
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // read by serde
    struct Doc {
        n: usize,
        inner: Vec<Inner>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // read by serde
    struct Inner {
        x: f64,
    }

    fn text<T: std::fmt::Debug>(r: Result<T, Invalid>) -> String {
        r.unwrap_err().into_text()
    }

    #[test]
    fn errors_name_the_field() {
        let e = text(parse::<Doc>(r#"{"n": 1, "inner": [{"x": 1}, {"x": "a"}]}"#));
        assert!(e.starts_with("`inner[1].x`: invalid type"), "{e}");
        let e = text(parse::<Doc>(
            "{\"n\": 1,\n \"inner\": [{\"x\": 1},\n {\"x\": true}]}",
        ));
        assert!(e.starts_with("`inner[1].x`: invalid type"), "{e}");
        let e = text(parse::<Doc>(r#"{"n": "abc", "inner": []}"#));
        assert!(e.starts_with("`n`: invalid type: string \"abc\""), "{e}");
        let e = text(parse::<Doc>(r#"{"n": 1, "inner": [{"x": 1, "y\"z": 2}]}"#));
        assert!(e.starts_with("`inner[0]`: unknown field `y\"z`"), "{e}");
        let e = text(parse::<Doc>(r#"{"n": 1, "inner": [{}]}"#));
        assert!(e.starts_with("`inner[0]`: missing field `x`"), "{e}");
        let e = text(parse::<Doc>(r#"{"n": 1}"#));
        assert!(e.starts_with("missing field `inner`"), "{e}");
        let e = text(parse::<Doc>(r#""text""#));
        assert!(e.starts_with("expected a JSON object"), "{e}");
        let e = text(parse::<Doc>("[1, []]"));
        assert!(e.contains("found text starting with `[`"), "{e}");
        let e = text(parse::<Doc>(r#"{"n": 1, "inner": []} x"#));
        assert!(e.contains("trailing characters"), "{e}");
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // read by serde
    struct Steps {
        steps: Vec<Step>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(tag = "step", rename_all = "snake_case")]
    #[allow(dead_code)] // read by serde
    enum Step {
        Impute { method: Method },
        Screen,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Method {
        Mean,
        Median,
    }

    #[test]
    fn a_misspelt_name_is_a_method_error_naming_its_field() {
        let text = r#"{"steps": [{"step": "screen"}, {"step": "impute", "method": "meen"}]}"#;
        let Err(Invalid::Choice(e)) = parse::<Steps>(text) else {
            panic!("not a choice")
        };
        assert_eq!(
            e.to_string(),
            "`steps[1].method`: unknown `meen` (did you mean `mean`?); \
             the valid ones are `mean`, `median`"
        );
        assert_eq!(e.code(), "method.unknown");
        let Err(Invalid::Choice(e)) = parse::<Steps>(r#"{"steps": [{"step": "imputer"}]}"#) else {
            panic!("not a choice")
        };
        assert!(
            e.to_string()
                .starts_with("`steps[0].step`: unknown `imputer` (did you mean `impute`?)"),
            "{e}"
        );
    }

    #[test]
    fn positions_only_for_texts_of_several_lines() {
        let e = text(parse::<Doc>(r#"{"n": 1, "inner": [{"x": true}]}"#));
        assert!(!e.contains("line"), "{e}");
        let e = text(parse::<Doc>("{\"n\": 1,\n \"inner\": [{\"x\": true}]}"));
        assert!(e.ends_with("at line 2 column 21"), "{e}");
    }

    #[test]
    fn paths_of_positions() {
        let text = r#"{"a": [1, {"b": "x,]}"}, [2, 3]], "c": {"d": 1}}"#;
        let at = |needle: &str| path_at(text, text.find(needle).unwrap() + needle.len());
        assert_eq!(at(r#""x,]}""#), "a[1].b");
        assert_eq!(at("3"), "a[2][1]");
        assert_eq!(at(r#""d": 1"#), "c.d");
        assert_eq!(at(r#""c""#), "");
        assert_eq!(path_at(text, 0), "");
    }
}
