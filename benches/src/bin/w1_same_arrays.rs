//! W1 on arrays handed over by another process (the Python harness), so that the Rust core and
//! the Python binding are timed on the very same numbers: reads a framework JSON document and a
//! file of little-endian f64 values (units × indicators, column-major, in the framework's
//! indicator order), and times what the Python harness asks of the core — every node's scores
//! and the index's ranks, the baseline's outputs — with the protocol of
//! `shared/baselines/_timing.py`. Three lines: the scoring of a data set built once (as a Rust
//! program re-scoring its data does), the data set built from the arrays and unit ids in every
//! call (what the Python binding does per call for an array: `Dataset::from_parts` over the
//! borrowed values, with its checks and column extremes), and a data set built once with the
//! ranking table's work as well (Python's `Result.ranking`: the order, ranks and scores), the
//! same work as Python scoring a `cityindex.Dataset`.
//!
//! `w1_same_arrays FRAMEWORK.json VALUES.f64 N_UNITS`

use cityindex::{Dataset, Framework, Recipe, Unit};

/// The Python binding's allocator, so that the two sides differ by the binding alone.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, framework, values, n_units] = args.as_slice() else {
        return Err("usage: w1_same_arrays FRAMEWORK.json VALUES.f64 N_UNITS".into());
    };
    let framework = Framework::from_json(&std::fs::read_to_string(framework)?)?;
    let bytes = std::fs::read(values)?;
    let n_units: usize = n_units.parse()?;
    let flat: Vec<f64> = bytes
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().unwrap_or_default()))
        .collect();
    let ids: Vec<String> = framework.indicator_ids().map(str::to_owned).collect();
    let units: Vec<Unit> = (0..n_units)
        .map(|u| Unit::new(&format!("U{u:05}")))
        .collect();
    let build = || {
        Dataset::from_parts(
            units.clone(),
            ids.clone(),
            flat.as_slice(),
            Vec::new(),
            None,
        )
    };
    let data = build()?;
    let recipe = Recipe::from_json(
        r#"{"normalise": {"default": {"method": "min_max", "lo": 0, "hi": 1}}}"#,
    )?;
    let mut failure = None;
    let median =
        cityindex_benches::median_of(5, || match cityindex::score(&framework, &data, &recipe) {
            Ok(scores) => {
                std::hint::black_box(scores.rank("index"));
            }
            Err(e) => failure = Some(e),
        });
    let with_dataset = cityindex_benches::median_of(5, || {
        match build()
            .map_err(cityindex::Error::from)
            .and_then(|data| cityindex::score(&framework, &data, &recipe))
        {
            Ok(scores) => {
                std::hint::black_box(scores.rank("index"));
            }
            Err(e) => failure = Some(e),
        }
    });
    // The work of Python's `Result.ranking("index")` too: the rows in rank order, their ranks and
    // scores gathered in that order.
    let with_ranking =
        cityindex_benches::median_of(5, || match cityindex::score(&framework, &data, &recipe) {
            Ok(scores) => {
                let order = scores.order("index").unwrap_or_default();
                let (ranks, values) = (
                    scores.rank("index").unwrap_or_default(),
                    scores.score("index").unwrap_or_default(),
                );
                let table: Vec<(f64, f64)> = order.iter().map(|&r| (ranks[r], values[r])).collect();
                std::hint::black_box(table);
            }
            Err(e) => failure = Some(e),
        });
    if let Some(e) = failure {
        return Err(e.into());
    }
    println!(r#"{{"name": "cityindex_rust_same_arrays", "median_s": {median}}}"#);
    println!(
        r#"{{"name": "cityindex_rust_same_arrays_building_the_data_set", "median_s": {with_dataset}}}"#
    );
    println!(
        r#"{{"name": "cityindex_rust_same_arrays_with_the_ranking_table", "median_s": {with_ranking}}}"#
    );
    Ok(())
}
