//! An uncertainty specification from any text, run (at most 8 replicates) on a small framework:
//! errors with codes, or ranks that are missing or within 1..=n, and bounded work.
#![no_main]
use cityindex::uncertainty::{UncertaintySpec, run_uncertainty};
use cityindex::{Dataset, Framework, Node, Recipe, Unit};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut spec = match UncertaintySpec::from_json(text) {
        Err(e) => return cityindex_fuzz::check_code(&e.into()),
        Ok(s) => s,
    };
    spec.replicates = spec.replicates.min(8);
    let framework = Framework::new(vec![
        Node::aggregate("index", None),
        Node::indicator("a", Some("index")),
        Node::indicator("b", Some("index")),
    ])
    .unwrap();
    let units = ["u1", "u2", "u3"].map(Unit::new).to_vec();
    let dataset = Dataset::new(
        units,
        vec![
            ("a".into(), vec![1.0, 2.0, 3.0]),
            ("b".into(), vec![3.0, f64::NAN, 1.0]),
        ],
    )
    .unwrap();
    match run_uncertainty(&framework, &dataset, &Recipe::default(), &spec, &|_, _| {
        true
    }) {
        Err(e) => cityindex_fuzz::check_code(&e),
        Ok(result) => {
            for node in &result.ranks {
                for replicate in node {
                    assert!(
                        replicate
                            .iter()
                            .all(|r| r.is_nan() || (1.0..=3.0).contains(r))
                    );
                }
            }
        }
    }
});
