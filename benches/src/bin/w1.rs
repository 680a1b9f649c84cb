//! Times the W1 pipeline with the protocol of `shared/baselines/_timing.py` (one warm-up call,
//! then the median of five timed calls) and prints one JSON line per variant, so the comparison
//! harness (`benches/compare.sh`) can put it beside the numpy and pandas baselines.
//!
//! `cargo run --release -p cityindex-benches --bin w1`

use cityindex::Recipe;

fn main() -> Result<(), cityindex::Error> {
    let recipe = Recipe::from_json(
        r#"{"normalise": {"default": {"method": "min_max", "lo": 0, "hi": 1}}}"#,
    )?;
    for (name, missing) in [("cityindex_rust", 0.0), ("cityindex_rust_nan5pct", 0.05)] {
        let (framework, data) = cityindex_benches::w1(missing);
        let mut failure = None;
        let median = cityindex_benches::median_of(5, || {
            // The same outputs as the baseline: pillar and index scores, and the index ranks.
            match cityindex::score(&framework, &data, &recipe) {
                Ok(scores) => {
                    std::hint::black_box(scores.rank("index"));
                }
                Err(e) => failure = Some(e),
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        println!(r#"{{"name": "{name}", "median_s": {median}}}"#);
    }
    Ok(())
}
