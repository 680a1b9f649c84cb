//! The layering the crate docs state (`# Layers` in `src/lib.rs`) holds: every `crate::` path
//! in the code (comments and unit tests aside) of a module names itself, a lower layer's
//! module, or one before it in its own layer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each module's position: (layer, place in the layer), from the table in lib.rs.
fn declared_order(lib: &str) -> BTreeMap<String, (usize, usize)> {
    let section = lib
        .split("//! # Layers")
        .nth(1)
        .expect("lib.rs has a `# Layers` section");
    let mut order = BTreeMap::new();
    let rows = section
        .lines()
        .skip_while(|l| !l.starts_with("//! |"))
        .take_while(|l| l.starts_with("//! |"))
        .filter(|l| !l.contains("---") && !l.contains("| layer |"));
    for (layer, row) in rows.enumerate() {
        let modules = row.split('|').nth(2).expect("a modules cell");
        for (place, module) in modules.split(',').enumerate() {
            order.insert(module.trim().trim_matches('`').to_owned(), (layer, place));
        }
    }
    order
}

/// What the crate root re-exports (`pub use module::{A, b}`): item → module.
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for line in lib.lines().filter(|l| l.starts_with("pub use ")) {
        let rest = line.trim_start_matches("pub use ").trim_end_matches(';');
        let (module, items) = rest.split_once("::").expect("pub use module::…");
        for item in items.trim_matches(|c| c == '{' || c == '}').split(',') {
            map.insert(item.trim().to_owned(), module.to_owned());
        }
    }
    map
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module names code refers to through `crate::`, also inside `use crate::{a::B, c}`
/// groups over several lines.
fn referenced(code: &str, reexports: &BTreeMap<String, String>) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let mut heads = Vec::new();
        if let Some(inner) = rest.strip_prefix('{') {
            // The top-level items of the group: the name before each `::`, `,` or `}`.
            let (mut depth, mut start) = (0usize, 0usize);
            for (k, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        heads.push(&inner[start..k]);
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        heads.push(&inner[start..k]);
                        start = k + 1;
                    }
                    _ => {}
                }
            }
        } else {
            heads.push(rest);
        }
        for head in heads {
            let name: String = head
                .trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.push(reexports.get(&name).cloned().unwrap_or(name));
            }
        }
    }
    names
}

#[test]
fn imports_point_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let order = declared_order(&lib);
    let reexports = root_reexports(&lib);
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut upward = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let module = first.to_str().unwrap().trim_end_matches(".rs").to_owned();
        if module == "lib" {
            continue;
        }
        let Some(&own) = order.get(&module) else {
            panic!("`{module}` is not in the `# Layers` table of lib.rs");
        };
        let text = std::fs::read_to_string(file).unwrap();
        // Unit tests may reach anywhere; comments (doc links) are not imports.
        let code = text
            .split("#[cfg(test)]")
            .next()
            .unwrap()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for target in referenced(&code, &reexports) {
            if target == module {
                continue;
            }
            if order.get(&target).is_some_and(|&position| position > own) {
                upward.push(format!(
                    "{}: `{module}` uses `{target}`",
                    relative.display()
                ));
            }
        }
    }
    upward.sort();
    upward.dedup();
    assert!(
        upward.is_empty(),
        "imports up the layers:\n{}",
        upward.join("\n")
    );
}
