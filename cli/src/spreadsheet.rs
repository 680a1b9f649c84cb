//! Spreadsheets (xlsx, xls, ods; read by calamine) turned into CSV text, so that they are read
//! and checked exactly as CSV files are — line numbers are the sheet's row numbers.

use std::fmt::Write as _;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

use crate::{Failure, fail};

/// The CSV text of one sheet: the one named, or the only one.
pub fn sheet_as_csv(path: &Path, sheet: Option<&str>) -> Result<String, Failure> {
    let mut workbook =
        open_workbook_auto(path).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    workbook_sheet_as_csv(&mut workbook, &path.display().to_string(), sheet)
}

/// [`sheet_as_csv`] on an open workbook, `label` naming it in messages (the fuzz target reads
/// workbooks from memory through this).
pub fn workbook_sheet_as_csv<RS, W>(
    workbook: &mut W,
    label: &str,
    sheet: Option<&str>,
) -> Result<String, Failure>
where
    RS: std::io::Read + std::io::Seek,
    W: Reader<RS>,
    W::Error: std::fmt::Display,
{
    let at = |e: &dyn std::fmt::Display| Failure(format!("{label}: {e}"));
    let names = workbook.sheet_names();
    let name = match (sheet, names.as_slice()) {
        (Some(wanted), _) if names.iter().any(|n| n == wanted) => wanted.to_owned(),
        (Some(wanted), _) => {
            return fail(format!(
                "{}: no sheet `{wanted}`; the sheets are: {}",
                label,
                names.join(", ")
            ));
        }
        (None, [only]) => only.clone(),
        (None, []) => return fail(format!("{label}: the workbook has no sheets")),
        (None, _) => {
            return fail(format!(
                "{}: the workbook has {} sheets ({}); choose one with --sheet",
                label,
                names.len(),
                names.join(", ")
            ));
        }
    };
    let range = workbook.worksheet_range(&name).map_err(|e| at(&e))?;
    let mut csv = String::new();
    for row in range.rows() {
        for (j, cell) in row.iter().enumerate() {
            if j > 0 {
                csv.push(',');
            }
            match cell {
                Data::Empty => {}
                // `{}` prints the shortest text that reads back as the same f64.
                Data::Float(v) => {
                    let _ = write!(csv, "{v}");
                }
                Data::Int(v) => {
                    let _ = write!(csv, "{v}");
                }
                Data::Bool(v) => csv.push_str(if *v { "1" } else { "0" }),
                other => {
                    let text = other.to_string();
                    let _ = write!(csv, "\"{}\"", text.replace('"', "\"\""));
                }
            }
        }
        csv.push('\n');
    }
    if csv.trim().is_empty() {
        return fail(format!("{label}: sheet `{name}` is empty"));
    }
    Ok(csv)
}
