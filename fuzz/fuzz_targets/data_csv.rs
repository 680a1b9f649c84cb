//! A data CSV from any bytes, then scored with a framework built from its columns: errors with
//! codes, or values that are finite or missing.
#![no_main]
use cityindex::{CsvLayout, Dataset, Framework, Node, Recipe};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dataset = match Dataset::from_csv(data, &CsvLayout::default()) {
        Err(e) => return cityindex_fuzz::check_code(&e.into()),
        Ok(d) => d,
    };
    assert!(dataset.values().iter().all(|v| !v.is_infinite()));
    let mut nodes = vec![Node::aggregate("index__", None)];
    nodes.extend(
        dataset
            .column_ids()
            .iter()
            .take(8)
            .map(|c| Node::indicator(c, Some("index__"))),
    );
    let Ok(framework) = Framework::new(nodes) else {
        return;
    };
    match cityindex::score(&framework, &dataset, &Recipe::default()) {
        Err(e) => cityindex_fuzz::check_code(&e),
        Ok(scores) => cityindex_fuzz::check_scores(
            &scores,
            &framework,
            &dataset,
            cityindex::rank::TieRule::Min,
            false,
        ),
    }
});
