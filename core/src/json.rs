//! Reading the JSON documents users write (frameworks, recipes, specifications, options): one
//! place, so that every such error names the field at fault — `weights.a`,
//! `choices[0].options[1].method` — as well as serde's line and column.

use serde::de::DeserializeOwned;

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
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            e.inner().to_string()
        } else {
            format!("`{path}`: {}", e.inner())
        }
    })?;
    deserializer.end().map_err(|e| e.to_string())?;
    Ok(value)
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
    #[allow(dead_code)] // read by serde
    struct Inner {
        x: f64,
    }

    #[test]
    fn errors_name_the_field() {
        let e = parse::<Doc>(r#"{"n": 1, "inner": [{"x": 1}, {"x": "a"}]}"#).unwrap_err();
        assert!(e.starts_with("`inner[1].x`: invalid type"), "{e}");
        let e = parse::<Doc>(r#"{"n": "abc", "inner": []}"#).unwrap_err();
        assert!(e.starts_with("`n`: invalid type: string \"abc\""), "{e}");
        let e = parse::<Doc>(r#""text""#).unwrap_err();
        assert!(e.starts_with("expected a JSON object"), "{e}");
        let e = parse::<Doc>("[1, []]").unwrap_err();
        assert!(e.contains("found text starting with `[`"), "{e}");
        let e = parse::<Doc>(r#"{"n": 1, "inner": []} x"#).unwrap_err();
        assert!(e.contains("trailing characters"), "{e}");
    }
}
