//! Times the uncertainty workloads W2, W3, W4 and W7 with the baselines' protocol (one warm-up,
//! median of five) on one thread and on every core, printing one JSON line each, for
//! `benches/compare.sh`.
//!
//! `cargo run --release -p cityindex-benches --bin uncertainty -- [path/to/ASEM_iData.csv path/to/ASEM_iMeta.csv]`

use cityindex::uncertainty::sobol::{saltelli_design, sobol_indices};
use cityindex::uncertainty::{UncertaintySpec, run_uncertainty, sensitivity};
use cityindex::{CsvLayout, Dataset, Error, Framework, Recipe};

fn on_threads(threads: usize, f: impl FnOnce() + Send) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    pool.install(f);
}

/// COINr's specification of its sensitivity vignette for the example coin, with `extra` fields.
fn coinr_spec_json(extra: &str) -> String {
    format!(
        r#"{{"replicates": 1000, "seed": 1, "weights": {{"fraction": 0.25, "levels": [2, 3]}},
            "choices": [{{"stage": "winmax", "options": [1, 2, 3, 4, 5]}},
              {{"stage": "normalise", "options": [{{"method": "min_max", "lo": 1, "hi": 100}}, {{"method": "z_score", "mean": 10, "sd": 2}}]}},
              {{"stage": "aggregate", "options": [{{"method": "arithmetic_mean"}}, {{"method": "geometric_mean"}}]}}],
            "nodes": ["Index"]{extra}}}"#
    )
}

fn report(name: &str, seconds: f64) {
    println!(r#"{{"name": "{name}", "median_s": {seconds}}}"#);
}

fn main() -> Result<(), Error> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    w2(cores)?;
    asem(cores)?;
    w7();
    Ok(())
}

/// W2, a synthetic Monte Carlo against numpy.
fn w2(cores: usize) -> Result<(), Error> {
    // W2: 200 × 50, flat, 1,000 replicates; z-scores floored at 0.01 as in the baseline, so that
    // every geometric mean is defined and every replicate does the baseline's work.
    let (framework, data) = cityindex_benches::synthetic(200, 50, 0, 0.0, 7);
    let spec = UncertaintySpec::from_json(
        r#"{"replicates": 1000, "seed": 99, "weights": {"fraction": 0.25, "levels": [1]},
            "choices": [
              {"stage": "normalise", "options": [{"method": "min_max", "lo": 1, "hi": 100},
                                                 {"method": "z_score", "mean": 10, "sd": 2, "floor": 0.01}, {"method": "rank"}]},
              {"stage": "aggregate", "options": [{"method": "arithmetic_mean"}, {"method": "geometric_mean"}]}]}"#,
    )?;
    let recipe = Recipe::default();
    let check = run_uncertainty(&framework, &data, &recipe, &spec, &|_, _| true)?;
    assert_eq!(check.failed, 0, "W2 replicates failed");
    for (label, threads) in [("1thread", 1), ("all_cores", cores)] {
        on_threads(threads, || {
            let t = cityindex_benches::median_of(5, || {
                drop(run_uncertainty(
                    &framework,
                    &data,
                    &recipe,
                    &spec,
                    &|_, _| true,
                ));
            });
            report(&format!("w2_mc_200x50x1000_{label}"), t);
        });
    }
    Ok(())
}

/// W3 and W4, COINr's uncertainty and sensitivity analyses of its example coin.
fn asem(cores: usize) -> Result<(), Error> {
    // W3: the ASEM example coin with COINr's specification, 1,000 replicates.
    let mut args = std::env::args().skip(1);
    let (idata, imeta) = (
        args.next()
            .unwrap_or_else(|| "tests/fixtures/coinr-asem/data/ASEM_iData.csv".to_owned()),
        args.next()
            .unwrap_or_else(|| "tests/fixtures/coinr-asem/data/ASEM_iMeta.csv".to_owned()),
    );
    let asem = Framework::from_table_csv(
        std::fs::File::open(imeta).map_err(|e| cityindex::ScoreError::Json(e.to_string()))?,
    )?;
    let raw = Dataset::from_csv(
        std::fs::File::open(idata).map_err(|e| cityindex::ScoreError::Json(e.to_string()))?,
        &CsvLayout::for_framework(&asem),
    )?;
    let coin = Recipe::from_json(
        r#"{"prepare": [{"step": "denominate"},
            {"step": "impute", "default": {"method": "group_mean", "group": "EurAsia_group"}},
            {"step": "screen", "units": {"min_availability": 0.9}}, {"step": "treat"}]}"#,
    )?;
    let coinr = UncertaintySpec::from_json(&coinr_spec_json(""))?;
    for (label, threads) in [("1thread", 1), ("all_cores", cores)] {
        on_threads(threads, || {
            let t = cityindex_benches::median_of(5, || {
                drop(run_uncertainty(&asem, &raw, &coin, &coinr, &|_, _| true));
            });
            report(&format!("w3_asem_coinr_1000_{label}"), t);
        });
    }
    // W4: COINr's get_sensitivity(SA_type = "SA", N = 1000) on the example coin: its four
    // inputs (the weights one of them), 6,000 runs, COINr's Nboot = 100.
    let grouped = UncertaintySpec::from_json(&coinr_spec_json(
        r#", "groups": [{"name": "weights", "inputs": ["weight:*"]}]"#,
    ))?;
    for (label, threads) in [("1thread", 1), ("all_cores", cores)] {
        on_threads(threads, || {
            let t = cityindex_benches::median_of(5, || {
                drop(sensitivity(
                    &asem,
                    &raw,
                    &coin,
                    &grouped,
                    "Index",
                    1000,
                    100,
                    &|_, _| true,
                ));
            });
            report(&format!("w4_asem_coinr_sa_1000_{label}"), t);
        });
    }
    // The same with each of the ten perturbed weights its own input (12 inputs, 14,000 runs).
    let t = cityindex_benches::median_of(5, || {
        drop(sensitivity(
            &asem,
            &raw,
            &coin,
            &coinr,
            "Index",
            1000,
            100,
            &|_, _| true,
        ));
    });
    report("w4_asem_coinr_sa_1000_ungrouped_all_cores", t);
    Ok(())
}

/// W7, the Sobol design and estimators against SALib.
fn w7() {
    // W7: Sobol with 10 inputs, N = 4,096 base points (49,152 evaluations).
    let points = saltelli_design(10, 4096, 1).expect("a design within the limits");
    let y: Vec<f64> = points
        .iter()
        .map(|x| {
            x.iter()
                .enumerate()
                .map(|(i, v)| (i + 1) as f64 * v * v)
                .sum()
        })
        .collect();
    report(
        "w7_sobol_sample_4096x10",
        cityindex_benches::median_of(5, || {
            drop(saltelli_design(10, 4096, 1).expect("a design within the limits"));
        }),
    );
    for resamples in [100, 1000] {
        let t = cityindex_benches::median_of(5, || drop(sobol_indices(&y, 10, resamples, 1)));
        report(&format!("w7_sobol_analyze_resamples{resamples}"), t);
    }
}
