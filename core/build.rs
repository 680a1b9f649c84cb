//! Compresses the embedded frameworks' files (`data/<id>/framework.json`, `data.csv`,
//! `recipe.json`) with DEFLATE into `OUT_DIR`: the library, and above all the WebAssembly module,
//! carries them at about a third of their size; `builtin.rs` inflates a file when it is used.
//! Data tables are stored column by column (see `transpose`). The streams come from zopfli, an
//! exhaustive DEFLATE encoder: 15 KB smaller than miniz's best level, read by the same inflater.

use std::path::PathBuf;

include!("src/builtin/columns.rs");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    println!("cargo:rerun-if-changed=data");
    for entry in std::fs::read_dir("data")? {
        let dir = entry?.path();
        if !dir.is_dir() {
            continue;
        }
        let id = dir.file_name().ok_or("a data folder without a name")?;
        std::fs::create_dir_all(out.join(id))?;
        for file in ["framework.json", "data.csv", "recipe.json"] {
            let path = dir.join(file);
            println!("cargo:rerun-if-changed={}", path.display());
            let mut bytes = std::fs::read(&path)?;
            if file == "data.csv" {
                bytes = transpose(&String::from_utf8(bytes)?)
                    .map_err(|e| format!("{}: {e}", path.display()))?
                    .into_bytes();
            }
            let mut packed = Vec::new();
            zopfli::compress(
                zopfli::Options::default(),
                zopfli::Format::Deflate,
                bytes.as_slice(),
                &mut packed,
            )?;
            std::fs::write(out.join(id).join(format!("{file}.deflate")), packed)?;
        }
    }
    Ok(())
}
