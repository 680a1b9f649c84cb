//! Times the MCDA workloads of `shared/baselines/bench_c_mcda_libs.py` with its protocol (one
//! warm-up call, median of five) and prints one JSON line each, for `benches/compare.sh`.
//!
//! `cargo run --release -p cityindex-benches --bin mcda`

use cityindex::mcda::{self, Method, Missing, PreferenceFunction, scaling::Scaling};
use cityindex::weight;

fn main() -> Result<(), cityindex::MethodError> {
    let big = cityindex_benches::decision_matrix(10_000, 100, 3);
    let topsis = Method::Topsis {
        scaling: Scaling::MinMax,
    };
    mcda::evaluate(&big, &topsis, Missing::Error)?;
    weight::entropy(&big)?;
    weight::critic(&big)?;
    let report =
        |name: &str, seconds: f64| println!(r#"{{"name": "{name}", "median_s": {seconds}}}"#);
    report(
        "topsis_10000x100",
        cityindex_benches::median_of(5, || drop(mcda::evaluate(&big, &topsis, Missing::Error))),
    );
    report(
        "entropy_10000x100",
        cityindex_benches::median_of(5, || drop(weight::entropy(&big))),
    );
    report(
        "critic_10000x100",
        cityindex_benches::median_of(5, || drop(weight::critic(&big))),
    );
    report(
        "critic_direction_blind_10000x100",
        cityindex_benches::median_of(5, || drop(weight::critic_direction_blind(&big))),
    );
    let promethee = Method::PrometheeII {
        preference: PreferenceFunction::Usual,
    };
    for n in [1_000, 2_000] {
        let m = cityindex_benches::decision_matrix(n, 100, 3);
        report(
            &format!("promethee_ii_usual_{n}x100"),
            cityindex_benches::median_of(3, || {
                drop(mcda::evaluate(&m, &promethee, Missing::Error));
            }),
        );
    }
    Ok(())
}
