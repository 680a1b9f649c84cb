//! Reading the JSON documents users write (frameworks, recipes, specifications, options): one
//! place, so that every such error names the field at fault — `weights.a`,
//! `choices[0].options[1].method` — as well as serde's line and column.
//!
//! The path is found after the fact, from the position `serde_json` reports, by [`path_at`]: a
//! scan of the text that tracks the keys and indices it is inside. (Tracking it during
//! deserialisation, as `serde_path_to_error` does, wraps every visitor and cost the WebAssembly
//! module 65 KB.)

use serde::de::DeserializeOwned;
use std::fmt::Write;

/// Parses `text`, which must hold one JSON object (serde would also read a struct from an array
/// of its fields in order — `[1, 2]` as `{"replicates": 1, "seed": 2}` — which nobody means);
/// the error names the path of the field at fault, when there is one.
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    match text.trim_start().chars().next() {
        Some('{') => {}
        Some(first) => {
            return Err(format!(
                "expected a JSON object {{ … }}, found text starting with `{first}`"
            ));
        }
        None => return Err("expected a JSON object { … }, found nothing".into()),
    }
    serde_json::from_str(text).map_err(|e| {
        let path = if e.line() == 0 {
            String::new()
        } else {
            path_at(text, offset(text, e.line(), e.column()))
        };
        if path.is_empty() {
            e.to_string()
        } else {
            format!("`{path}`: {e}")
        }
    })
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

    #[test]
    fn errors_name_the_field() {
        let e = parse::<Doc>(r#"{"n": 1, "inner": [{"x": 1}, {"x": "a"}]}"#).unwrap_err();
        assert!(e.starts_with("`inner[1].x`: invalid type"), "{e}");
        let e = parse::<Doc>("{\"n\": 1,\n \"inner\": [{\"x\": 1},\n {\"x\": true}]}").unwrap_err();
        assert!(e.starts_with("`inner[1].x`: invalid type"), "{e}");
        let e = parse::<Doc>(r#"{"n": "abc", "inner": []}"#).unwrap_err();
        assert!(e.starts_with("`n`: invalid type: string \"abc\""), "{e}");
        let e = parse::<Doc>(r#"{"n": 1, "inner": [{"x": 1, "y\"z": 2}]}"#).unwrap_err();
        assert!(e.starts_with("`inner[0]`: unknown field `y\"z`"), "{e}");
        let e = parse::<Doc>(r#"{"n": 1, "inner": [{}]}"#).unwrap_err();
        assert!(e.starts_with("`inner[0]`: missing field `x`"), "{e}");
        let e = parse::<Doc>(r#"{"n": 1}"#).unwrap_err();
        assert!(e.starts_with("missing field `inner`"), "{e}");
        let e = parse::<Doc>(r#""text""#).unwrap_err();
        assert!(e.starts_with("expected a JSON object"), "{e}");
        let e = parse::<Doc>("[1, []]").unwrap_err();
        assert!(e.contains("found text starting with `[`"), "{e}");
        let e = parse::<Doc>(r#"{"n": 1, "inner": []} x"#).unwrap_err();
        assert!(e.contains("trailing characters"), "{e}");
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
