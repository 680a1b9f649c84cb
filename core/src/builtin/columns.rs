/// Transposes a rectangular comma-separated table without quoted fields: its rows become
/// lines of columns. `build.rs` stores the embedded data this way round, because DEFLATE packs a
/// column's similar values better when they sit together (about 6 KB less in the WebAssembly
/// module); the library turns them back. Transposing twice gives the table (lines joined by
/// `\n`).
///
/// # Errors
/// A quoted field, or a line with another number of fields than the first.
pub(crate) fn transpose(text: &str) -> Result<String, String> {
    if text.contains('"') {
        return Err("quoted fields are not supported".to_owned());
    }
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    let width = rows.first().map_or(0, Vec::len);
    if let Some(i) = rows.iter().position(|r| r.len() != width) {
        return Err(format!(
            "line {} has {} fields, the first has {width}",
            i + 1,
            rows[i].len()
        ));
    }
    let mut out = String::with_capacity(text.len());
    for c in 0..width {
        if c > 0 {
            out.push('\n');
        }
        for (r, row) in rows.iter().enumerate() {
            if r > 0 {
                out.push(',');
            }
            out.push_str(row[c]);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::transpose;

    #[test]
    fn transposing_twice_gives_the_table() {
        let table = "uCode,Time,a\nAT,2022,0.5\nBE,2022,\r\nCY,2021,1e-3\n";
        let columns = transpose(table).unwrap();
        assert_eq!(columns, "uCode,AT,BE,CY\nTime,2022,2022,2021\na,0.5,,1e-3");
        assert_eq!(
            transpose(&columns).unwrap(),
            table.replace("\r\n", "\n").trim_end()
        );
        assert_eq!(transpose("").unwrap(), "");
    }

    #[test]
    fn ragged_or_quoted_tables_are_refused() {
        assert_eq!(
            transpose("a,b\n1,2,3").unwrap_err(),
            "line 2 has 3 fields, the first has 2"
        );
        assert!(transpose("a\n\"x,y\"").unwrap_err().contains("quoted"));
    }
}
