//! A framework document from any text: an error with a code, or a valid framework that
//! round-trips through JSON.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match cityindex::Framework::from_json(text) {
        Err(e) => cityindex_fuzz::check_code(&e.into()),
        Ok(framework) => {
            let again = cityindex::Framework::from_json(&framework.to_json()).expect("round trip");
            assert_eq!(again.len(), framework.len());
        }
    }
});
