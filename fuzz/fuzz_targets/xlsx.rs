//! A workbook from any bytes, read as the CLI reads spreadsheets (the CLI's own code), then as
//! a data CSV: errors, never a panic.
#![no_main]
use calamine::Reader as _;
use cityindex::{CsvLayout, Dataset};
use libfuzzer_sys::fuzz_target;

/// The CLI's failure type, which its spreadsheet module returns.
pub struct Failure(String);

fn fail<T>(message: impl Into<String>) -> Result<T, Failure> {
    Err(Failure(message.into()))
}

#[path = "../../cli/src/spreadsheet.rs"]
#[allow(dead_code)]
mod spreadsheet;

fuzz_target!(|data: &[u8]| {
    let Ok(mut workbook) = calamine::Xlsx::new(std::io::Cursor::new(data)) else {
        return;
    };
    match spreadsheet::workbook_sheet_as_csv(&mut workbook, "fuzz.xlsx", None) {
        Err(Failure(message)) => assert!(!message.is_empty()),
        Ok(csv) => {
            if let Err(e) = Dataset::from_csv(csv.as_bytes(), &CsvLayout::default()) {
                cityindex_fuzz::check_code(&e.into());
            }
        }
    }
});
