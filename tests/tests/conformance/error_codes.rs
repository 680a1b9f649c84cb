//! Every error code a binding or the CLI can raise is one of the core's (`core/src/error.rs`):
//! Python, JavaScript and the command line speak the same codes, defined once.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The codes the core's error enums give (`=> "data.shape"`).
fn core_codes(root: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(root.join("core/src/error.rs")).unwrap();
    text.split("=> \"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

fn files(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, extensions, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e))
        {
            out.push(path);
        }
    }
}

/// The string literals of `text` that look like codes: `domain.name`, quoted.
fn literal_codes(text: &str) -> Vec<String> {
    let domains = ["framework.", "data.", "score.", "method.", "object."];
    let mut codes = Vec::new();
    for quote in ['"', '\''] {
        for piece in text.split(quote).skip(1).step_by(2) {
            if domains.iter().any(|d| piece.starts_with(d))
                && piece
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
                && piece.matches('.').count() == 1
            {
                codes.push(piece.to_owned());
            }
        }
    }
    codes
}

#[test]
fn every_code_the_bindings_raise_is_the_cores() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let known = core_codes(&root);
    assert!(known.contains("data.shape") && known.contains("object.freed"));
    let mut sources = Vec::new();
    files(&root.join("bindings-python/src"), &["rs"], &mut sources);
    files(&root.join("bindings-python/python"), &["py"], &mut sources);
    files(&root.join("bindings-wasm/src"), &["rs"], &mut sources);
    files(&root.join("cli/src"), &["rs"], &mut sources);
    sources.push(root.join("bindings-wasm/patch-glue.mjs"));
    let mut unknown = Vec::new();
    for file in &sources {
        let text = std::fs::read_to_string(file).unwrap();
        for code in literal_codes(&text) {
            if !known.contains(&code) {
                unknown.push(format!("{}: {code}", file.display()));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "codes the core does not define:\n{}",
        unknown.join("\n")
    );
}
