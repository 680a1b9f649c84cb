//! Uncertainty and sensitivity analysis: Sobol estimators against SALib on its own fixed sample
//! (to 1e-12), convergence to the analytic Ishigami indices, determinism across threads and
//! runs, COINr's uncertainty specification on the ASEM example coin (every replicate checked
//! against the plain pipeline with the recipe it drew, and against COINr's own ranks for the
//! configurations it mixes), and bad input.

use cityindex::Recipe;
use cityindex::uncertainty::sobol::{
    bootstrap_seed, saltelli_design, saltelli_points, sobol_analysis, sobol_convergence,
    sobol_indices,
};
use cityindex::uncertainty::{ReplicateRecord, UncertaintySpec, run_uncertainty, sensitivity};
use cityindex_tests::{
    ASEM_EXAMPLE_COIN_RECIPE, CoinrDataset, Table, asem_framework, fixture, number,
};
use serde_json::Value;

fn reference() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(fixture("sobol/ishigami_reference.json")).unwrap(),
    )
    .unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| {
            x.as_f64()
                .or_else(|| x.as_str().and_then(|s| s.parse().ok()))
                .unwrap()
        })
        .collect()
}

/// SALib 1.6.0's estimates on its own Saltelli sample (N = 1024, no second order): same
/// standardisation, Saltelli (2010) first order and Jansen total effect.
#[test]
fn estimators_reproduce_salib_on_its_sample() {
    let table = Table::read("sobol/ishigami_sobol_N1024_noS2_XY.csv");
    let y: Vec<f64> = table.column("y").into_iter().map(number).collect();
    let ours = sobol_indices(&y, 3, 100, 7).unwrap();
    let r = reference();
    let salib = &r["ishigami_salib_estimates"]["fixed_sample_N1024_noS2"];
    for (a, b) in ours.first_order.iter().zip(floats(&salib["S1"])) {
        assert!((a - b).abs() <= 1e-12, "S1 {a} vs {b}");
    }
    for (a, b) in ours.total.iter().zip(floats(&salib["ST"])) {
        assert!((a - b).abs() <= 1e-12, "ST {a} vs {b}");
    }
}

fn ishigami(x: &[f64]) -> f64 {
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

/// The estimates approach the analytic indices as N grows: within 0.1 at N = 1,024 and within
/// 0.03 at N = 16,384 base points (the estimators' error shrinks like 1/√N); the bootstrap
/// intervals shrink too.
#[test]
fn ishigami_indices_converge() {
    let r = reference();
    let analytic = &r["ishigami_a7_b0.1_analytic"];
    let (s1, st) = (floats(&analytic["S1"]), floats(&analytic["ST"]));
    let pi = std::f64::consts::PI;
    let ranges = [(-pi, pi); 3];
    let mut widths = Vec::new();
    for (n, tolerance) in [(1024, 0.1), (16384, 0.03)] {
        let (indices, convergence) = sobol_analysis(&ranges, n, 200, 42, ishigami).unwrap();
        for i in 0..3 {
            assert!(
                (indices.first_order[i] - s1[i]).abs() < tolerance,
                "N={n} S1[{i}] {}",
                indices.first_order[i]
            );
            assert!(
                (indices.total[i] - st[i]).abs() < tolerance,
                "N={n} ST[{i}] {}",
                indices.total[i]
            );
        }
        assert_eq!(convergence.base_points, [n / 8, n / 4, n / 2, n]);
        widths.push(indices.first_order_conf[0]);
    }
    assert!(widths[1] < widths[0]);
}

/// The generic tool in its two halves, as the bindings call it around a model of their own: the
/// scaled design and the indices (with their convergence) from outputs computed elsewhere give
/// exactly what `sobol_analysis` gives; bad ranges and too few points are errors.
#[test]
fn design_and_indices_apart_agree_with_the_whole() {
    let pi = std::f64::consts::PI;
    let ranges = [(-pi, pi), (-pi, pi), (-pi, pi)];
    let points = saltelli_points(&ranges, 64, 7).unwrap();
    let unit = saltelli_design(3, 64, 7).unwrap();
    assert_eq!(points.len(), 64 * 5);
    for (x, u) in points.iter().zip(&unit) {
        for ((x, u), (lo, hi)) in x.iter().zip(u).zip(&ranges) {
            assert_eq!(x.to_bits(), (lo + u * (hi - lo)).to_bits());
        }
    }
    let y: Vec<f64> = points.iter().map(|x| ishigami(x)).collect();
    let (whole, whole_convergence) = sobol_analysis(&ranges, 64, 100, 7, ishigami).unwrap();
    assert_eq!(sobol_indices(&y, 3, 100, bootstrap_seed(7)).unwrap(), whole);
    let convergence = sobol_convergence(&y, 3, 100, bootstrap_seed(7)).unwrap();
    assert_eq!(convergence, whole_convergence);
    assert_eq!(convergence.base_points, [8, 16, 32, 64]);
    assert_eq!(convergence.indices[3], whole);
    for (bad, n) in [
        (vec![], 64),
        (vec![(1.0, 1.0)], 64),
        (vec![(0.0, f64::NAN)], 64),
        (vec![(0.0, 1.0)], 1),
    ] {
        let error = saltelli_points(&bad, n, 1).unwrap_err().to_string();
        assert!(error.contains("finite range lo < hi"), "{error}");
    }
    assert!(sobol_analysis(&ranges, 8, 10, 1, ishigami).is_err());
    // A design nobody can hold is refused before anything is allocated.
    for error in [
        saltelli_points(&ranges, 10_000_000_000, 1).unwrap_err(),
        saltelli_design(3, usize::MAX, 1).unwrap_err(),
    ] {
        assert_eq!(error.code(), "method.too_large", "{error}");
    }
    // A number of inputs no outputs can hold is an error, not an overflow.
    let error = sobol_indices(&[1.0; 10], usize::MAX, 1, 1)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("do not form at least 2 base points"),
        "{error}"
    );
    assert!(
        sobol_convergence(&[1.0; 10], usize::MAX, 1, 1)
            .unwrap()
            .base_points
            .is_empty()
    );
}

fn asem_spec(json: &str) -> UncertaintySpec {
    UncertaintySpec::from_json(json).unwrap()
}

fn raw_asem() -> cityindex::Dataset<'static> {
    let framework = asem_framework();
    let file = std::fs::File::open(fixture("coinr-asem/data/ASEM_iData.csv")).unwrap();
    cityindex::Dataset::from_csv(file, &cityindex::CsvLayout::for_framework(&framework)).unwrap()
}

/// COINr's `get_sensitivity` specification on its example coin.
const COINR_SPEC: &str = r#"{"replicates": 200, "seed": 1,
  "weights": {"fraction": 0.25, "levels": [2, 3]},
  "choices": [
    {"stage": "winmax", "options": [1, 2, 3, 4, 5]},
    {"stage": "normalise", "options": [{"method": "min_max", "lo": 1, "hi": 100}, {"method": "z_score", "mean": 10, "sd": 2}]},
    {"stage": "aggregate", "options": [{"method": "arithmetic_mean"}, {"method": "geometric_mean"}]}],
  "nodes": ["Index"]}"#;

/// An analysis of COINr's treated ASEM data with the default recipe.
fn on_treated_asem(
    data: &cityindex::Dataset,
    spec: &UncertaintySpec,
) -> cityindex::uncertainty::Uncertainty {
    run_uncertainty(
        &asem_framework(),
        data,
        &Recipe::default(),
        spec,
        &|_, _| true,
    )
    .unwrap()
}

/// COINr's specification on the raw ASEM data with the example coin's recipe.
fn coinr_example_coin_run() -> cityindex::uncertainty::Uncertainty {
    let recipe = Recipe::from_json(ASEM_EXAMPLE_COIN_RECIPE).unwrap();
    run_uncertainty(
        &asem_framework(),
        &raw_asem(),
        &recipe,
        &asem_spec(COINR_SPEC),
        &|_, _| true,
    )
    .unwrap()
}

#[test]
fn coinr_specification_on_the_example_coin() {
    let result = coinr_example_coin_run();
    assert_eq!(result.replicates.len(), 200);
    let summary = &result.summary[0];
    assert_eq!(summary.len(), 51);
    let mut inside = 0;
    for u in summary {
        assert!(u.q05 <= u.median && u.median <= u.q95);
        if u.q05 <= u.nominal && u.nominal <= u.q95 {
            inside += 1;
        }
        assert!((u.median - u.nominal).abs() <= 10.0, "{u:?}");
    }
    assert!(
        inside >= 45,
        "nominal ranks inside the 90 % interval: {inside} of 51"
    );
    // Every replicate's draw is recorded, options within range.
    assert_eq!(result.perturbed.len(), 10);
    for r in &result.replicates {
        assert!(r.choices[0] < 5 && r.choices[1] < 2 && r.choices[2] < 2);
        assert_eq!(r.weight_factors.len(), 10);
        assert!(r.weight_factors.iter().all(|f| (0.75..=1.25).contains(f)));
    }
    println!("failed replicates: {}", result.failed);
}

/// The convergence indicator: the median ranks of the first N/8, N/4 and N/2 replicates against
/// those of all N, as recomputed here with R's quantiles from the replicates' ranks; nothing
/// changes at N, and the medians move less with more replicates.
#[test]
fn rank_statistics_converge_as_replicates_are_added() {
    let result = coinr_example_coin_run();
    let [convergence] = result.convergence().try_into().unwrap();
    assert_eq!(convergence.node, "Index");
    assert_eq!(convergence.replicates, [25, 50, 100, 200]);
    let ranks = &result.ranks[0];
    for (k, &m) in convergence.replicates.iter().enumerate() {
        let changes: Vec<f64> = (0..result.summary[0].len())
            .map(|u| {
                let sample: Vec<f64> = ranks[..m].iter().map(|r| r[u]).collect();
                let [_, median, _] = percentiles(sample);
                (median - result.summary[0][u].median).abs()
            })
            .collect();
        let mean = changes.iter().sum::<f64>() / changes.len() as f64;
        assert!(
            (convergence.median_change[k] - mean).abs() < 1e-12,
            "{m}: {convergence:?}"
        );
        let largest = changes.iter().copied().fold(0.0, f64::max);
        assert_eq!(convergence.largest_median_change[k], largest);
    }
    assert_eq!(convergence.median_change[3], 0.0);
    assert_eq!(convergence.interval_change[3], 0.0);
    assert!(
        convergence.median_change[2] < convergence.median_change[0],
        "{convergence:?}"
    );
}

/// Same seed, same bits: twice in a row, and with one thread or two.
#[test]
fn results_are_identical_across_threads_and_runs() {
    let recipe = Recipe::from_json(ASEM_EXAMPLE_COIN_RECIPE).unwrap();
    let spec = asem_spec(&COINR_SPEC.replace("\"replicates\": 200", "\"replicates\": 40"));
    let (framework, data) = (asem_framework(), raw_asem());
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| run_uncertainty(&framework, &data, &recipe, &spec, &|_, _| true).unwrap())
    };
    let (one, two, again) = (run(1), run(2), run(2));
    let bits = |u: &cityindex::uncertainty::Uncertainty| -> Vec<u64> {
        u.ranks
            .iter()
            .flatten()
            .flatten()
            .map(|v| v.to_bits())
            .collect()
    };
    assert_eq!(bits(&one), bits(&two));
    assert_eq!(bits(&two), bits(&again));
    assert_eq!(one.replicates, two.replicates);
}

/// A configuration that fails on the data is recorded with its reason; the run goes on.
#[test]
fn failing_replicates_are_recorded() {
    let data = CoinrDataset::read("coinr-asem/A_simple/A_Treated.csv").to_dataset();
    let spec = asem_spec(
        r#"{"replicates": 50, "seed": 3, "choices": [
            {"stage": "aggregate", "options": [{"method": "arithmetic_mean"}, {"method": "geometric_mean"}]}]}"#,
    );
    let result = on_treated_asem(&data, &spec);
    assert!(result.failed > 0 && result.failed < 50, "{}", result.failed);
    for r in &result.replicates {
        match (&r.failure, r.choices[0]) {
            (Some(reason), 1) => assert!(
                reason.contains("geometric mean needs positive values"),
                "{reason}"
            ),
            (None, 0) => {}
            other => panic!("{other:?}"),
        }
    }
    // Failed replicates give no ranks; the summary uses the others.
    assert!(result.summary[0].iter().all(|u| u.median.is_finite()));
}

#[test]
fn progress_is_reported_and_can_cancel() {
    let data = CoinrDataset::read("coinr-asem/A_simple/A_Treated.csv").to_dataset();
    let spec = asem_spec(r#"{"replicates": 100, "weights": {"fraction": 0.2}}"#);
    let seen = std::sync::atomic::AtomicUsize::new(0);
    let result = run_uncertainty(
        &asem_framework(),
        &data,
        &Recipe::default(),
        &spec,
        &|done, total| {
            assert_eq!(total, 100);
            seen.fetch_max(done, std::sync::atomic::Ordering::Relaxed);
            true
        },
    );
    assert!(result.is_ok());
    assert_eq!(seen.load(std::sync::atomic::Ordering::Relaxed), 100);
    let err = run_uncertainty(
        &asem_framework(),
        &data,
        &Recipe::default(),
        &spec,
        &|done, _| done < 10,
    )
    .unwrap_err();
    assert_eq!(err.code(), "method.cancelled");
}

#[test]
fn bad_specifications() {
    for (json, needle) in [
        (r#"{"replicates": 0}"#, "at least 1"),
        (
            r#"{"replicates": 5, "weights": {"fraction": 1.0}}"#,
            "[0, 1)",
        ),
        (
            r#"{"replicates": 5, "weights": {"fraction": -0.1}}"#,
            "[0, 1)",
        ),
        (
            r#"{"replicates": 5, "choices": [{"stage": "winmax", "options": [1, 2], "probabilities": [0.5, 0.6]}]}"#,
            "sum to 1.1",
        ),
        (
            r#"{"replicates": 5, "choices": [{"stage": "winmax", "options": []}]}"#,
            "no options",
        ),
    ] {
        let err = asem_spec(json).validate().unwrap_err();
        assert!(err.to_string().contains(needle), "{json}: {err}");
    }
    let data = CoinrDataset::read("coinr-asem/A_simple/A_Treated.csv").to_dataset();
    let spec =
        asem_spec(r#"{"replicates": 5, "choices": [{"stage": "winmax", "options": [1, 2]}]}"#);
    let err = run_uncertainty(
        &asem_framework(),
        &data,
        &Recipe::default(),
        &spec,
        &|_, _| true,
    )
    .unwrap_err();
    assert!(err.to_string().contains("needs a matching step"), "{err}");
}

/// Sobol indices of the ASEM index on its uncertain inputs: the aggregation choice (which
/// changes ranks most) explains more of the rank shift than a single pillar's weight.
#[test]
fn sensitivity_of_the_index_to_its_inputs() {
    let data = CoinrDataset::read("coinr-asem/A_simple/A_Treated.csv").to_dataset();
    let spec = asem_spec(
        r#"{"replicates": 1, "seed": 5, "weights": {"fraction": 0.25, "levels": [3]},
            "choices": [{"stage": "normalise", "options": [{"method": "min_max", "lo": 1, "hi": 100}, {"method": "rank"}]}]}"#,
    );
    let result = sensitivity(
        &asem_framework(),
        &data,
        &Recipe::default(),
        &spec,
        "Index",
        256,
        50,
        &|_, _| true,
    )
    .unwrap();
    assert_eq!(result.inputs, ["normalise", "weight:Conn", "weight:Sust"]);
    assert_eq!((result.per_unit.len(), result.units.len()), (51, 51));
    assert_eq!(result.units[0], data.units()[0].id);
    let shift = &result.rank_shift;
    assert!(shift.total[0] > shift.total[1], "{shift:?}");
    let convergence = &result.rank_shift_convergence;
    assert_eq!(convergence.base_points, [32, 64, 128, 256]);
    assert_eq!(convergence.indices[3], *shift);
}

/// The sensitivity analysis reports its steps — every run, then the indices of the rank shift
/// and of each unit — and stops when the callback says so.
#[test]
fn sensitivity_reports_progress_and_can_cancel() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let data = CoinrDataset::read("coinr-asem/A_simple/A_Treated.csv").to_dataset();
    let spec = asem_spec(r#"{"replicates": 1, "weights": {"fraction": 0.25, "levels": [3]}}"#);
    let (seen, totals) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let run = |progress: cityindex::uncertainty::Progress<'_>| {
        sensitivity(
            &asem_framework(),
            &data,
            &Recipe::default(),
            &spec,
            "Index",
            16,
            20,
            progress,
        )
    };
    let result = run(&|done, total| {
        seen.fetch_max(done, Ordering::Relaxed);
        totals.store(total, Ordering::Relaxed);
        true
    });
    assert!(result.is_ok());
    // 2 inputs (the weights of Conn and Sust): 16 × 4 runs, then 1 + 51 outputs.
    assert_eq!(totals.load(Ordering::Relaxed), 16 * 4 + 1 + 51);
    assert_eq!(seen.load(Ordering::Relaxed), 16 * 4 + 1 + 51);
    for stop_after in [10, 16 * 4 + 3] {
        let err = run(&|done, _| done < stop_after).unwrap_err();
        assert_eq!(err.code(), "method.cancelled", "{err}");
    }
}

/// Per-unit indices need every unit in every run: an imputation option that leaves fewer
/// countries to the screening step than the nominal one is a clear error naming one.
#[test]
fn sensitivity_needs_the_same_units_in_every_run() {
    let recipe = Recipe::from_json(ASEM_EXAMPLE_COIN_RECIPE).unwrap();
    let spec = asem_spec(
        r#"{"replicates": 1, "choices": [{"stage": "impute", "options": [
            {"method": "group_mean", "group": "EurAsia_group"}, {"method": "none"}]}]}"#,
    );
    let err = sensitivity(
        &asem_framework(),
        &raw_asem(),
        &recipe,
        &spec,
        "Index",
        8,
        10,
        &|_, _| true,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("a configuration drops unit `"), "{err}");
}

/// A configuration whose preparation keeps other units than the nominal recipe (here no
/// imputation, so that screening drops the countries with too many gaps) is summarised on the
/// nominal units: each replicate's ranks are those of `score` with its recipe, unit by unit, and
/// a country that configuration dropped has no rank in it.
#[test]
fn replicates_that_screen_out_units_are_aligned_by_unit() {
    let recipe = Recipe::from_json(ASEM_EXAMPLE_COIN_RECIPE).unwrap();
    let spec = asem_spec(
        r#"{"replicates": 20, "seed": 4, "choices": [{"stage": "impute", "options": [
            {"method": "group_mean", "group": "EurAsia_group"}, {"method": "none"}]}]}"#,
    );
    let (framework, data) = (asem_framework(), raw_asem());
    let result = run_uncertainty(&framework, &data, &recipe, &spec, &|_, _| true).unwrap();
    let nominal = result.nominal.units();
    let mut dropped = 0;
    for (r, record) in result.replicates.iter().enumerate() {
        let drawn = drawn_recipe(&framework, &recipe, &spec, &result.perturbed, record);
        let scores = cityindex::score(&framework, &data, &drawn).unwrap();
        let rank_of: std::collections::HashMap<&str, f64> = scores
            .units()
            .iter()
            .map(|u| u.id.as_str())
            .zip(scores.rank("Index").unwrap().iter().copied())
            .collect();
        for (unit, rank) in nominal.iter().zip(&result.ranks[0][r]) {
            if let Some(expected) = rank_of.get(unit.id.as_str()) {
                assert_eq!(rank.to_bits(), expected.to_bits(), "{r} {}", unit.id);
            } else {
                assert!(rank.is_nan());
                dropped += 1;
            }
        }
    }
    assert!(dropped > 0);
    assert!(result.summary[0].iter().all(|u| u.median.is_finite()));
}

/// Bootstrap intervals are the same bits with one thread or two.
#[test]
fn sobol_bootstrap_is_thread_independent() {
    let table = Table::read("sobol/ishigami_sobol_N1024_noS2_XY.csv");
    let y: Vec<f64> = table.column("y").into_iter().map(number).collect();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| sobol_indices(&y, 3, 300, 11).unwrap())
    };
    assert_eq!(run(1), run(2));
}

/// The recipe of one configuration, written as a user would write it: `record`'s option for each
/// stage of `spec` and its factor for each `perturbed` weight, applied to `recipe`. An excluded
/// indicator gets weight 0 (so it adds nothing to its parent's sums).
pub(crate) fn drawn_recipe(
    framework: &cityindex::Framework,
    recipe: &Recipe,
    spec: &UncertaintySpec,
    perturbed: &[String],
    record: &ReplicateRecord,
) -> Recipe {
    use cityindex::prepare::Step;
    use cityindex::uncertainty::Choice;
    let mut drawn = recipe.clone();
    for (choice, &k) in spec.choices.iter().zip(&record.choices) {
        match choice {
            Choice::Winmax { options, .. } => {
                for step in &mut drawn.prepare {
                    if let Step::Treat(t) = step {
                        t.default.winmax = options[k];
                    }
                }
            }
            Choice::Normalise { options, .. } => drawn.normalise.default = options[k].clone(),
            Choice::Aggregate { options, .. } => drawn.aggregate.default = options[k],
            Choice::Impute { options, .. } => {
                for step in &mut drawn.prepare {
                    if let Step::Impute(s) = step {
                        s.default = options[k].clone();
                    }
                }
            }
        }
    }
    for (id, factor) in perturbed.iter().zip(&record.weight_factors) {
        let node = framework.nodes().iter().find(|n| &n.id == id).unwrap();
        drawn.weights.insert(id.clone(), node.weight * factor);
    }
    if let Some(id) = &record.excluded {
        drawn.weights.insert(id.clone(), 0.0);
    }
    drawn
}

/// Every replicate is the pipeline run with the recipe it drew. Rebuilt from the replicate's
/// record and scored by `cityindex::score`, each replicate's ranks are the engine's, bit for bit.
/// The engine takes shortcuts that `score` does not (normalised data cached per upstream
/// configuration, geometric means through cached logarithms and ranked without exponentiating,
/// weights applied in place); this checks them against the plain pipeline, on COINr's
/// specification with the raw ASEM data (imputation, screening, treatment with winmax 1–5),
/// weight noise at two levels and one indicator left out per replicate.
#[test]
fn every_replicate_is_the_pipeline_run_with_its_drawn_recipe() {
    let recipe = Recipe::from_json(ASEM_EXAMPLE_COIN_RECIPE).unwrap();
    let spec = asem_spec(
        &COINR_SPEC
            .replace("\"replicates\": 200", "\"replicates\": 60")
            .replace("\"seed\": 1,", "\"seed\": 11, \"exclude_indicator\": true,"),
    );
    let (framework, data) = (asem_framework(), raw_asem());
    let result = run_uncertainty(&framework, &data, &recipe, &spec, &|_, _| true).unwrap();
    assert!(result.replicates.iter().all(|r| r.excluded.is_some()));
    let mut compared = 0;
    for r in 0..result.replicates.len() {
        let ranks = &result.ranks[0][r];
        let drawn = drawn_recipe(
            &framework,
            &recipe,
            &spec,
            &result.perturbed,
            &result.replicates[r],
        );
        match cityindex::score(&framework, &data, &drawn) {
            Ok(scores) => {
                let expected = scores.rank("Index").unwrap();
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(ranks), bits(expected), "replicate {r}");
                compared += 1;
            }
            Err(e) => {
                let failure = result.replicates[r].failure.as_deref().unwrap_or_default();
                assert!(
                    !failure.is_empty(),
                    "replicate {r}: the pipeline failed ({e}), the engine did not"
                );
                assert!(ranks.iter().all(|x| x.is_nan()));
            }
        }
    }
    assert!(compared >= 40, "only {compared} of 60 replicates compared");
}

/// COINr's own numbers for the configurations its specification mixes: with the weights left
/// alone, a replicate that drew min-max 1–100 with the geometric mean ranks the ASEM countries
/// as COINr's `Normalise(n_minmax, l_u = c(1, 100))` + `Aggregate(a_gmean)` does, and one that
/// drew z-scores 10 ± 2 with the arithmetic mean as COINr's `n_zscore` + `a_amean` does (the
/// treated data of COINr's default `qTreat`, its `A_variants` outputs). The uncertainty
/// analysis is the mixture of such runs; the random draws are all that differ from COINr's.
#[test]
fn replicates_rank_as_coinr_does_for_the_configuration_they_drew() {
    let data = CoinrDataset::read("coinr-asem/A_simple/A_Treated.csv").to_dataset();
    let spec = asem_spec(
        r#"{"replicates": 40, "seed": 2, "choices": [
            {"stage": "normalise", "options": [{"method": "min_max", "lo": 1, "hi": 100}, {"method": "z_score", "mean": 10, "sd": 2}]},
            {"stage": "aggregate", "options": [{"method": "arithmetic_mean"}, {"method": "geometric_mean"}]}],
          "nodes": ["Index"]}"#,
    );
    let result = on_treated_asem(&data, &spec);
    let coinr = |variant: &str| -> Vec<f64> {
        let table = Table::read(&format!(
            "coinr-asem/A_variants/A_{variant}_results_aggs.csv"
        ));
        let by_unit: std::collections::HashMap<&str, f64> = table
            .column("uCode")
            .into_iter()
            .zip(table.column("Rank").into_iter().map(number))
            .collect();
        data.units()
            .iter()
            .map(|u| by_unit[u.id.as_str()])
            .collect()
    };
    let (gmean, zscore) = (coinr("minmax1_100_gmean"), coinr("zscore10_2_amean"));
    let mut seen = [0; 2];
    for (record, ranks) in result.replicates.iter().zip(&result.ranks[0]) {
        let expected = match record.choices[..] {
            [0, 1] => &gmean,
            [1, 0] => &zscore,
            _ => continue,
        };
        assert_eq!(ranks, expected, "choices {:?}", record.choices);
        seen[record.choices[0]] += 1;
    }
    assert!(seen[0] > 0 && seen[1] > 0, "{seen:?}");
}

/// `SplitMix64` (Steele, Lea & Flood 2014): a generator unrelated to the engine's ChaCha streams,
/// for an independent sample.
struct SplitMix64(u64);

impl SplitMix64 {
    /// A uniform number in [0, 1) from the top 53 bits.
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The 5th, 50th and 95th percentiles as R's `quantile` (type 7, COINr's summary) gives them.
fn percentiles(mut sample: Vec<f64>) -> [f64; 3] {
    sample.sort_by(f64::total_cmp);
    [0.05, 0.5, 0.95].map(|p| {
        let h = (sample.len() - 1) as f64 * p;
        let lo = h.floor() as usize;
        let hi = (lo + 1).min(sample.len() - 1);
        sample[lo] + (h - lo as f64) * (sample[hi] - sample[lo])
    })
}

/// COINr's method run independently of the engine, in distribution. COINr's `get_sensitivity`
/// (`SA_type = "UA"`) draws each discrete option uniformly and each perturbed weight as
/// w·U(1 − 0.25, 1 + 0.25), runs the coin, and summarises the ranks with R's quantiles. Here
/// that is done with another generator (`SplitMix64`, not ChaCha), each configuration scored by
/// `cityindex::score` (which reproduces COINr per configuration, see above), and compared with
/// the engine's summary of as many replicates: the exact draws differ, so equality is
/// impossible. With 500 replicates each the medians agree within ±1 rank for 50 or 51 of the 51
/// countries (the largest gap 1–3 ranks over five seeds of the independent sample), and every
/// 5–95 % interval overlaps its counterpart; the run prints the figures.
#[test]
fn rank_intervals_agree_with_an_independent_run_of_coinrs_method() {
    const N: usize = 500;
    let recipe = Recipe::from_json(ASEM_EXAMPLE_COIN_RECIPE).unwrap();
    let spec = asem_spec(&COINR_SPEC.replace("\"replicates\": 200", "\"replicates\": 500"));
    let (framework, data) = (asem_framework(), raw_asem());
    let engine = run_uncertainty(&framework, &data, &recipe, &spec, &|_, _| true).unwrap();
    let mut rng = SplitMix64(2026);
    let options = [5, 2, 2]; // winmax 1–5, min-max or z-score, arithmetic or geometric
    let mut ranks: Vec<Vec<f64>> = vec![Vec::new(); data.n_units()];
    let mut failed = 0;
    for _ in 0..N {
        let record = ReplicateRecord {
            choices: options
                .map(|k| ((rng.uniform() * k as f64) as usize).min(k - 1))
                .to_vec(),
            weight_factors: engine
                .perturbed
                .iter()
                .map(|_| 1.0 + 0.25 * (2.0 * rng.uniform() - 1.0))
                .collect(),
            excluded: None,
            failure: None,
        };
        let drawn = drawn_recipe(&framework, &recipe, &spec, &engine.perturbed, &record);
        match cityindex::score(&framework, &data, &drawn) {
            Ok(scores) => {
                for (unit, &rank) in ranks.iter_mut().zip(scores.rank("Index").unwrap()) {
                    unit.push(rank);
                }
            }
            Err(_) => failed += 1,
        }
    }
    let summary = &engine.summary[0];
    let (mut close_medians, mut largest_gap, mut bound_gaps) = (0, 0.0_f64, 0.0);
    for (u, (theirs, ours)) in ranks.into_iter().zip(summary).enumerate() {
        let [q05, median, q95] = percentiles(theirs);
        let gap = (median - ours.median).abs();
        largest_gap = largest_gap.max(gap);
        close_medians += usize::from(gap <= 1.0);
        bound_gaps += (q05 - ours.q05).abs() + (q95 - ours.q95).abs();
        assert!(
            q05 <= ours.q95 && ours.q05 <= q95,
            "unit {u}: [{q05}, {q95}] vs [{}, {}]",
            ours.q05,
            ours.q95
        );
    }
    println!(
        "medians within ±1 rank: {close_medians} of {}; largest gap {largest_gap}; \
         mean gap of the 5 % and 95 % bounds {:.2}; failed {failed} vs {}",
        summary.len(),
        bound_gaps / (2 * summary.len()) as f64,
        engine.failed
    );
    assert!(close_medians >= 49, "{close_medians} of 51");
}

/// One framework, however it is loaded — an iMeta table in COINr's row order, the same table
/// with the top level's rows first (each node's children still in their order), its JSON — is
/// one framework in one canonical node order, so one seed draws the same uncertainty and
/// sensitivity results to the bit.
#[test]
fn one_framework_from_every_loader_draws_the_same() {
    let text = std::fs::read_to_string(fixture("coinr-asem/data/ASEM_iMeta.csv")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let level = |line: &&str| std::cmp::Reverse(line.split(',').next().unwrap_or("").to_owned());
    lines[1..].sort_by_key(level);
    let table = asem_framework();
    let reversed = cityindex::Framework::from_table_csv(lines.join("\n").as_bytes()).unwrap();
    let json = cityindex::Framework::from_json(&table.to_json()).unwrap();
    assert!(table == reversed && table == json);
    let ids = |f: &cityindex::Framework| f.nodes().iter().map(|n| n.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&table)[..3], ["Index", "Conn", "Physical"]);
    let data = raw_asem();
    let recipe = Recipe::from_json(ASEM_EXAMPLE_COIN_RECIPE).unwrap();
    let spec = asem_spec(COINR_SPEC);
    let runs: Vec<_> = [&table, &reversed, &json]
        .iter()
        .map(|f| run_uncertainty(f, &data, &recipe, &spec, &|_, _| true).unwrap())
        .collect();
    assert_eq!(runs[0].replicates, runs[1].replicates);
    assert_eq!(runs[0].replicates, runs[2].replicates);
    let small =
        asem_spec(r#"{"replicates": 1, "seed": 3, "weights": {"fraction": 0.25, "levels": [2]}}"#);
    let sensitivities: Vec<_> = [&table, &reversed]
        .iter()
        .map(|f| sensitivity(f, &data, &recipe, &small, "Index", 16, 10, &|_, _| true).unwrap())
        .collect();
    assert_eq!(sensitivities[0].rank_shift, sensitivities[1].rank_shift);
    assert_eq!(sensitivities[0].inputs, sensitivities[1].inputs);
}

/// SALib 1.6.0's grouped estimates (Ishigami, x1 and x3 as one input) on its own grouped sample:
/// the same estimators with one input per group, to 1e-12; and the grouped design takes every
/// input of a group from B at once, with A and B drawn as without groups.
#[test]
fn grouped_inputs_reproduce_salib() {
    use cityindex::uncertainty::sobol::{saltelli_design_groups, saltelli_points_groups};
    let table = Table::read("sobol/ishigami_grouped_N512_y.csv");
    let y: Vec<f64> = table.column("y").into_iter().map(number).collect();
    let reference: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("sobol/ishigami_grouped_reference.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(y.len(), 512 * 4);
    let ours = sobol_indices(&y, 2, 100, 7).unwrap();
    for (a, b) in ours.first_order.iter().zip(floats(&reference["S1"])) {
        assert!((a - b).abs() <= 1e-12, "S1 {a} vs {b}");
    }
    for (a, b) in ours.total.iter().zip(floats(&reference["ST"])) {
        assert!((a - b).abs() <= 1e-12, "ST {a} vs {b}");
    }
    let grouped = saltelli_design_groups(&[0, 1, 0], 4, 9).unwrap();
    let plain = saltelli_design(3, 4, 9).unwrap();
    assert_eq!(grouped.len(), 4 * 4);
    for base in 0..4 {
        let (a, b) = (&plain[base * 5], &plain[base * 5 + 4]);
        assert_eq!(&grouped[base * 4], a);
        assert_eq!(grouped[base * 4 + 1], [b[0], a[1], b[2]]);
        assert_eq!(grouped[base * 4 + 2], [a[0], b[1], a[2]]);
        assert_eq!(&grouped[base * 4 + 3], b);
    }
    // Each input its own group: the plain design.
    assert_eq!(saltelli_design_groups(&[0, 1, 2], 4, 9).unwrap(), plain);
    for bad in [&[1, 0][..], &[0, 2]] {
        let e = saltelli_design_groups(bad, 4, 9).unwrap_err().to_string();
        assert!(e.contains("order of first appearance"), "{e}");
    }
    let pi = std::f64::consts::PI;
    let e = saltelli_points_groups(&[(-pi, pi); 3], &[0, 1], 8, 1).unwrap_err();
    assert!(e.to_string().contains("2 groups for 3 inputs"), "{e}");
    // The whole tool on Ishigami: the group (x1, x3) holds S1 + S3 + S13 = 1 − S2.
    let points = saltelli_points_groups(&[(-pi, pi); 3], &[0, 1, 0], 4096, 3).unwrap();
    let y: Vec<f64> = points.iter().map(|x| ishigami(x)).collect();
    let estimate = sobol_indices(&y, 2, 10, 3).unwrap();
    let s2 = floats(&reference["S1"])[1];
    assert!((estimate.first_order[1] - s2).abs() < 0.05, "{estimate:?}");
    assert!(
        (estimate.total[0] - (1.0 - estimate.first_order[1])).abs() < 0.05,
        "{estimate:?}"
    );
}

/// Groups in the sensitivity specification: all weights as one input (COINr's view of "the
/// weights"), a named set, and the errors that name a wrong group.
#[test]
fn sensitivity_with_grouped_inputs() {
    let data = CoinrDataset::read("coinr-asem/A_simple/A_Treated.csv").to_dataset();
    let run = |groups: &str| {
        let spec = asem_spec(&format!(
            r#"{{"replicates": 1, "seed": 5, "weights": {{"fraction": 0.25, "levels": [2, 3]}},
                "choices": [{{"stage": "normalise", "options": [{{"method": "min_max", "lo": 1, "hi": 100}}, {{"method": "rank"}}]}}],
                "groups": {groups}}}"#
        ));
        sensitivity(
            &asem_framework(),
            &data,
            &Recipe::default(),
            &spec,
            "Index",
            64,
            20,
            &|_, _| true,
        )
    };
    let all = run(r#"[{"name": "weights", "inputs": ["weight:*"]}]"#).unwrap();
    assert_eq!(all.inputs, ["normalise", "weights"]);
    let conn = run(r#"[{"name": "connectivity", "inputs": ["weight:Conn", "weight:Physical", "weight:ConEcFin"]}]"#)
        .unwrap();
    assert_eq!(
        conn.inputs.len(),
        1 + 10 - 3 + 1,
        "normalise, 10 weights, 3 of them one input"
    );
    assert_eq!(conn.inputs[1], "connectivity", "{:?}", conn.inputs);
    for (groups, named) in [
        (
            r#"[{"name": "w", "inputs": ["weight:Nope"]}]"#,
            "`weight:Nope` is not an input",
        ),
        (
            r#"[{"name": "w", "inputs": []}]"#,
            "needs a name and at least one input",
        ),
        (
            r#"[{"name": "a", "inputs": ["weight:Conn"]}, {"name": "b", "inputs": ["weight:*"]}]"#,
            "`weight:Conn` is in two groups",
        ),
        (
            r#"[{"name": "normalise", "inputs": ["weight:Conn"]}]"#,
            "`normalise` is used twice",
        ),
    ] {
        let e = run(groups).unwrap_err();
        assert_eq!(e.code(), "method.invalid_parameter");
        assert!(e.to_string().contains(named), "{e}");
    }
}

/// COINr's `get_sensitivity` example on its example coin: winmax 1–5, min-max [1, 100] or
/// z-score (10, 2), the weights of levels 2 and 3 with 25 % noise as one input (COINr draws a
/// whole noisy weight set per run), the arithmetic or geometric mean; the output is COINr's, the
/// mean absolute rank shift of the index. Two runs from independent seeds rank the four inputs'
/// total effects in the order COINr reports (aggregation, normalisation, weights, winmax), and
/// each index of either run lies within the other's 95 % bootstrap interval.
#[test]
fn coinr_sensitivity_example_with_the_weights_as_one_input() {
    let recipe = Recipe::from_json(ASEM_EXAMPLE_COIN_RECIPE).unwrap();
    let (framework, data) = (asem_framework(), raw_asem());
    let run = |seed: u64| {
        let spec = asem_spec(
            &COINR_SPEC
                .replace("\"seed\": 1", &format!("\"seed\": {seed}"))
                .replace(
                    "\"nodes\": [\"Index\"]",
                    "\"nodes\": [\"Index\"], \"groups\": [{\"name\": \"weights\", \"inputs\": [\"weight:*\"]}]",
                ),
        );
        sensitivity(
            &framework,
            &data,
            &recipe,
            &spec,
            "Index",
            500,
            200,
            &|_, _| true,
        )
        .unwrap()
    };
    let (a, b) = (run(11), run(12));
    assert_eq!(a.inputs, ["winmax", "normalise", "aggregate", "weights"]);
    let order = |s: &cityindex::uncertainty::Sensitivity| {
        let mut order: Vec<usize> = (0..4).collect();
        order.sort_by(|&i, &j| s.rank_shift.total[j].total_cmp(&s.rank_shift.total[i]));
        order
            .iter()
            .map(|&i| s.inputs[i].clone())
            .collect::<Vec<_>>()
    };
    for run in [&a, &b] {
        assert_eq!(order(run), ["aggregate", "normalise", "weights", "winmax"]);
    }
    let (x, y) = (&a.rank_shift, &b.rank_shift);
    for i in 0..4 {
        for (v, w, cv, cw) in [
            (x.total[i], y.total[i], x.total_conf[i], y.total_conf[i]),
            (
                x.first_order[i],
                y.first_order[i],
                x.first_order_conf[i],
                y.first_order_conf[i],
            ),
        ] {
            assert!(
                (v - w).abs() <= cv.min(cw),
                "{}: {v} ± {cv} and {w} ± {cw}",
                a.inputs[i]
            );
        }
    }
}

/// The example coin's analysis run in parts (as `cityindex.spark` runs them, in tasks), each
/// read back from JSON and combined in shuffled order: the bits of the analysis run whole.
#[test]
fn replicates_run_in_parts_combine_to_the_whole_run() {
    use cityindex::uncertainty::{ReplicateRun, combine, run_replicates};
    let recipe = Recipe::from_json(ASEM_EXAMPLE_COIN_RECIPE).unwrap();
    let (framework, data, spec) = (asem_framework(), raw_asem(), asem_spec(COINR_SPEC));
    let whole = coinr_example_coin_run();
    let bits = |r: &cityindex::uncertainty::Uncertainty| -> Vec<u64> {
        r.ranks
            .iter()
            .flatten()
            .flatten()
            .map(|v| v.to_bits())
            .collect()
    };
    for cuts in [vec![0, 200], vec![0, 1, 77, 78, 150, 200], vec![0, 13, 200]] {
        let mut runs: Vec<ReplicateRun> = cuts
            .windows(2)
            .map(|w| {
                let run =
                    run_replicates(&framework, &data, &recipe, &spec, w[0]..w[1], &|_, _| true)
                        .unwrap();
                serde_json::from_str(&serde_json::to_string(&run).unwrap()).unwrap()
            })
            .collect();
        runs.reverse();
        let combined = combine(&framework, &data, &recipe, &spec, runs.clone()).unwrap();
        assert_eq!(bits(&combined), bits(&whole), "{cuts:?}");
        assert_eq!(combined.replicates, whole.replicates);
        assert_eq!(combined.summary, whole.summary);
        assert_eq!(combined.perturbed, whole.perturbed);
        if runs.len() > 1 {
            let gap = runs[..runs.len() - 1].to_vec(); // without replicate 0
            let error = combine(&framework, &data, &recipe, &spec, gap).unwrap_err();
            assert!(error.to_string().contains("missing"), "{error}");
            runs.push(runs[0].clone());
            let error = combine(&framework, &data, &recipe, &spec, runs).unwrap_err();
            assert!(error.to_string().contains("in two runs"), "{error}");
        }
    }
    let beyond = run_replicates(&framework, &data, &recipe, &spec, 150..201, &|_, _| true);
    assert!(beyond.unwrap_err().to_string().contains("outside"));
}
