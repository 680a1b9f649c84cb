//! Regenerates `tests/vectors/*.json`, `tests/vectors/draws/*.json` and
//! `tests/vectors/decision/*.json` from their inputs by
//! running the Rust core.
//!
//! Run `cargo run -p cityindex-tests --bin gen-vectors` after a change that alters results on
//! purpose; the conformance tests fail while a checked-in vector is stale.

use std::fs;

fn main() -> std::io::Result<()> {
    let dir = cityindex_tests::vectors::directory();
    fs::create_dir_all(&dir)?;
    for vector in cityindex_tests::vectors::generate() {
        let path = dir.join(format!("{}.json", vector.name));
        let json = serde_json::to_string_pretty(&vector).map_err(std::io::Error::other)?;
        fs::write(&path, json + "\n")?;
        println!("wrote {}", path.display());
    }
    let dir = cityindex_tests::loader_vectors::directory();
    fs::create_dir_all(&dir)?;
    for vector in cityindex_tests::loader_vectors::generate() {
        let path = dir.join(format!("{}.json", vector.name));
        let json = serde_json::to_string_pretty(&vector).map_err(std::io::Error::other)?;
        fs::write(&path, json + "\n")?;
        println!("wrote {}", path.display());
    }
    let dir = cityindex_tests::decision_vectors::directory();
    fs::create_dir_all(&dir)?;
    for vector in cityindex_tests::decision_vectors::generate() {
        let path = dir.join(format!("{}.json", vector.name));
        let json = serde_json::to_string_pretty(&vector).map_err(std::io::Error::other)?;
        fs::write(&path, json + "\n")?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
