//! A flat (COINr iMeta) node table from any bytes: an error with a code, or a valid framework.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match cityindex::Framework::from_table_csv(data) {
        Err(e) => cityindex_fuzz::check_code(&e.into()),
        Ok(framework) => assert!(framework.len() > 0),
    }
});
