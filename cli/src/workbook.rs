//! Writing an `.xlsx` workbook: a zip of `SpreadsheetML` parts (ECMA-376), one worksheet per
//! table, strings inline and numbers as they are (shortest round-trip text), missing values as
//! empty cells. Enough for Excel, `LibreOffice`, pandas and calamine to read every sheet.

use std::fmt::Write as _;
use std::io::Write as _;

use crate::Failure;

/// One cell.
pub enum Cell {
    /// Text.
    Text(String),
    /// A number; `NaN` (missing) is written as an empty cell.
    Number(f64),
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Number(v)
    }
}

/// One worksheet: its name (at most 31 characters, none of `[]:*?/\`) and its rows.
pub struct Sheet {
    /// The tab's name.
    pub name: String,
    /// The rows, the first usually a header.
    pub rows: Vec<Vec<Cell>>,
}

fn xml(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The column letters of a zero-based index: A, …, Z, AA, AB, …
fn column(mut k: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + u8::try_from(k % 26).unwrap_or(0));
        if k < 26 {
            break;
        }
        k = k / 26 - 1;
    }
    letters.iter().rev().map(|&b| char::from(b)).collect()
}

fn worksheet(sheet: &Sheet) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet \
         xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
    );
    for (r, row) in sheet.rows.iter().enumerate() {
        let _ = write!(out, "<row r=\"{}\">", r + 1);
        for (k, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column(k), r + 1);
            match cell {
                Cell::Text(t) if !t.is_empty() => {
                    let _ = write!(
                        out,
                        "<c r=\"{at}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                        xml(t)
                    );
                }
                Cell::Number(v) if v.is_finite() => {
                    let _ = write!(out, "<c r=\"{at}\"><v>{v}</v></c>");
                }
                _ => {}
            }
        }
        out.push_str("</row>");
    }
    out.push_str("</sheetData></worksheet>");
    out
}

/// A sheet name Excel accepts: forbidden characters replaced, at most 31 characters, unique.
fn sheet_name(name: &str, taken: &[String]) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    let mut candidate = clean.clone();
    let mut k = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
        let suffix = format!(" {k}");
        candidate = clean.chars().take(31 - suffix.len()).collect::<String>() + &suffix;
        k += 1;
    }
    candidate
}

/// The workbook's bytes.
pub fn write(sheets: &[Sheet]) -> Result<Vec<u8>, Failure> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut add = |path: &str, text: &str| -> Result<(), Failure> {
        zip.start_file(path, options)
            .map_err(|e| Failure(e.to_string()))?;
        zip.write_all(text.as_bytes())
            .map_err(|e| Failure(e.to_string()))
    };
    let mut names: Vec<String> = Vec::new();
    for sheet in sheets {
        let name = sheet_name(&sheet.name, &names);
        names.push(name);
    }
    let mut overrides = String::new();
    for k in 1..=sheets.len() {
        let _ = write!(
            overrides,
            "<Override PartName=\"/xl/worksheets/sheet{k}.xml\" \
                 ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        );
    }
    add(
        "[Content_Types].xml",
        &format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types \
             xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/xl/workbook.xml\" \
             ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
             {overrides}</Types>"
        ),
    )?;
    add(
        "_rels/.rels",
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships \
         xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" \
         Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" \
         Target=\"xl/workbook.xml\"/></Relationships>",
    )?;
    let mut tabs = String::new();
    for (k, name) in names.iter().enumerate() {
        let _ = write!(
            tabs,
            "<sheet name=\"{}\" sheetId=\"{}\" r:id=\"rId{}\"/>",
            xml(name),
            k + 1,
            k + 1
        );
    }
    add(
        "xl/workbook.xml",
        &format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook \
             xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
             xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
             <sheets>{tabs}</sheets></workbook>"
        ),
    )?;
    let mut relations = String::new();
    for k in 1..=sheets.len() {
        let _ = write!(
            relations,
            "<Relationship Id=\"rId{k}\" \
                 Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" \
                 Target=\"worksheets/sheet{k}.xml\"/>"
        );
    }
    add(
        "xl/_rels/workbook.xml.rels",
        &format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships \
             xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{relations}</Relationships>"
        ),
    )?;
    for (k, sheet) in sheets.iter().enumerate() {
        add(
            &format!("xl/worksheets/sheet{}.xml", k + 1),
            &worksheet(sheet),
        )?;
    }
    let cursor = zip.finish().map_err(|e| Failure(e.to_string()))?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_names() {
        assert_eq!(column(0), "A");
        assert_eq!(column(25), "Z");
        assert_eq!(column(26), "AA");
        assert_eq!(column(701), "ZZ");
        assert_eq!(column(702), "AAA");
        let taken = vec!["Raw".to_owned()];
        assert_eq!(sheet_name("raw", &taken), "raw 2");
        assert_eq!(sheet_name("a/b", &[]), "a_b");
    }
}
