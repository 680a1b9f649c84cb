//! A recipe from any text, applied to a small framework and data set with everyday values:
//! errors with codes, or scores that pass the oracle.
#![no_main]
use cityindex::{Dataset, Framework, Node, Recipe, Unit};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let recipe = match Recipe::from_json(text) {
        Err(e) => return cityindex_fuzz::check_code(&e),
        Ok(r) => r,
    };
    let framework = Framework::new(vec![
        Node::aggregate("index", None),
        Node::aggregate("p1", Some("index")),
        Node::aggregate("p2", Some("index")),
        Node::indicator("a", Some("p1")),
        Node::indicator("b", Some("p1")),
        Node::indicator("c", Some("p2")),
    ])
    .unwrap();
    let units = ["u1", "u2", "u3", "u4"].map(Unit::new).to_vec();
    let dataset = Dataset::new(
        units,
        vec![
            ("a".into(), vec![1.0, 2.0, f64::NAN, 4.0]),
            ("b".into(), vec![0.5, 0.5, 3.0, 1.0]),
            ("c".into(), vec![10.0, 0.0, 5.0, 7.5]),
        ],
    )
    .unwrap();
    match cityindex::score(&framework, &dataset, &recipe) {
        Err(e) => cityindex_fuzz::check_code(&e),
        Ok(scores) => cityindex_fuzz::check_scores(
            &scores,
            &framework,
            &dataset,
            recipe.rank.ties,
            recipe.aggregate.availability_threshold.is_some() || !recipe.prepare.is_empty(),
        ),
    }
});
