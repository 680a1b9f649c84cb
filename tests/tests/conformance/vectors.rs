//! The shared test vectors: the checked-in files are exactly what the core produces now (so a
//! stale vector fails), and every file parses back to the same inputs and outputs.

use cityindex_tests::vectors::{self, Vector};

#[test]
fn checked_in_vectors_are_current() {
    let generated = vectors::generate();
    let dir = vectors::directory();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/vectors")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    let mut expected: Vec<String> = generated
        .iter()
        .map(|v| format!("{}.json", v.name))
        .collect();
    expected.sort();
    assert_eq!(
        names, expected,
        "run `cargo run -p cityindex-tests --bin gen-vectors`"
    );
    for vector in generated {
        let text =
            std::fs::read_to_string(dir.join(format!("{}.json", vector.name))).expect("read");
        let stored: Vector = serde_json::from_str(&text).expect("vector JSON");
        assert_eq!(
            stored, vector,
            "{} is stale: run `cargo run -p cityindex-tests --bin gen-vectors`",
            vector.name
        );
        // Running the stored inputs gives the stored outputs, bit for bit.
        let rerun = vectors::run(&stored.framework, &stored.data, &stored.recipe);
        assert_eq!(rerun, stored.expected, "{}", vector.name);
    }
}

/// The vectors of draws: current, and the same bits whether the framework is read from its JSON
/// document or from its iMeta table (whose rows are not in the canonical order).
#[test]
fn draws_are_the_same_from_every_loader() {
    use cityindex_tests::loader_vectors::{self, DrawVector};
    let dir = loader_vectors::directory();
    for vector in loader_vectors::generate() {
        let text =
            std::fs::read_to_string(dir.join(format!("{}.json", vector.name))).expect("read");
        let stored: DrawVector = serde_json::from_str(&text).expect("vector JSON");
        assert_eq!(
            stored, vector,
            "{} is stale: run `cargo run -p cityindex-tests --bin gen-vectors`",
            vector.name
        );
        let from_json = cityindex::Framework::try_from(stored.framework.clone()).expect("JSON");
        let from_table =
            cityindex::Framework::from_table_csv(stored.framework_table.as_bytes()).expect("table");
        for framework in [&from_json, &from_table] {
            let draws = loader_vectors::run(&stored, framework).expect("draws");
            assert_eq!(draws, stored.expected, "{}", stored.name);
        }
    }
}

/// The decision vectors (MCDA, weights, AHP, rank comparisons, trends): current, and each call's
/// result the stored one, bit for bit.
#[test]
fn decision_vectors_are_current() {
    use cityindex_tests::decision_vectors::{self, DecisionVector};
    let dir = decision_vectors::directory();
    let generated = decision_vectors::generate();
    let stored_count = std::fs::read_dir(&dir).expect("directory").count();
    assert_eq!(
        stored_count,
        generated.len(),
        "a stale file in {}",
        dir.display()
    );
    for vector in generated {
        let text =
            std::fs::read_to_string(dir.join(format!("{}.json", vector.name))).expect("read");
        let stored: DecisionVector = serde_json::from_str(&text).expect("vector JSON");
        assert_eq!(
            stored, vector,
            "{} is stale: run `cargo run -p cityindex-tests --bin gen-vectors`",
            vector.name
        );
        let again = decision_vectors::run(&stored.call).expect("the call");
        assert_eq!(
            serde_json::to_string(&again).unwrap(),
            serde_json::to_string(&stored.expected).unwrap(),
            "{}",
            stored.name
        );
    }
}
