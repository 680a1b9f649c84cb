//! COINr 1.1.14 on its ASEM example: from COINr's treated data set, the default pipeline
//! (`A_simple`) and every normalisation/aggregation variant (`A_variants`) reproduce COINr's
//! normalised and aggregated data sets to 1e-9, and ranks exactly.

use cityindex::{Recipe, Scores};
use cityindex_tests::{CoinrDataset, Table, asem_framework, max_abs_diff, number};

const TOL: f64 = 1e-9;

fn score(recipe_json: &str) -> Result<Scores, cityindex::Error> {
    let treated = CoinrDataset::read("coinr-asem/A_simple/A_Treated.csv").to_dataset();
    let recipe = Recipe::from_json(recipe_json).expect("recipe");
    cityindex::score(&asem_framework(), &treated, &recipe)
}

/// Every column of the COINr export matches ours for every unit (units in the same order).
fn assert_matches(scores: &Scores, reference: &str) {
    assert_matches_except(scores, reference, &[]);
}

/// As [`assert_matches`], leaving out the columns in `skip`.
fn assert_matches_except(scores: &Scores, reference: &str, skip: &[&str]) {
    let theirs = CoinrDataset::read(reference);
    let units: Vec<&str> = scores.units().iter().map(|u| u.id.as_str()).collect();
    assert_eq!(units, theirs.units, "{reference}: unit order");
    assert!(!theirs.columns.is_empty());
    for (id, column) in theirs
        .columns
        .iter()
        .filter(|(id, _)| !skip.contains(&id.as_str()))
    {
        let ours = scores
            .score(id)
            .unwrap_or_else(|| panic!("{reference}: no node `{id}`"));
        let (diff, missing_agree) = max_abs_diff(ours, column);
        assert!(
            missing_agree,
            "{reference}: missing values differ for `{id}`"
        );
        assert!(diff <= TOL, "{reference}: `{id}` differs by {diff:e}");
    }
}

#[test]
fn default_pipeline_reproduces_normalised_and_aggregated() {
    let scores = score("{}").expect("scores");
    assert_matches(&scores, "coinr-asem/A_simple/A_Normalised.csv");
    assert_matches(&scores, "coinr-asem/A_simple/A_Aggregated.csv");
    assert!(scores.warnings().is_empty(), "{:?}", scores.warnings());
}

#[test]
fn default_pipeline_reproduces_ranks_exactly() {
    let scores = score("{}").expect("scores");
    let ranks = Table::read("coinr-asem/A_simple/A_results_full_ranks.csv");
    let units = ranks.column("uCode");
    let row_of = |u: &str| scores.units().iter().position(|x| x.id == u).expect("unit");
    let mut compared = 0;
    for id in ranks.header.iter().filter(|h| *h != "uCode") {
        let ours = scores.rank(id).expect("node");
        for (u, cell) in units.iter().zip(ranks.column(id)) {
            let (a, b) = (ours[row_of(u)], number(cell));
            assert!(
                a == b || (a.is_nan() && b.is_nan()),
                "rank of {u} in {id}: {a} vs {b}"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 51 * 60);
}

/// (file stem in `A_variants`, recipe, whether COINr exported the normalised set).
const VARIANTS: &[(&str, &str, bool)] = &[
    (
        "zscore_amean",
        r#"{"normalise": {"default": {"method": "z_score"}}}"#,
        true,
    ),
    (
        "zscore10_2_amean",
        r#"{"normalise": {"default": {"method": "z_score", "mean": 10, "sd": 2}}}"#,
        true,
    ),
    (
        "rank_amean",
        r#"{"normalise": {"default": {"method": "rank"}}}"#,
        true,
    ),
    (
        "borda_amean",
        r#"{"normalise": {"default": {"method": "borda"}}}"#,
        true,
    ),
    (
        "dist2max_amean",
        r#"{"normalise": {"default": {"method": "distance_to_max"}}}"#,
        true,
    ),
    (
        "minmax1_100_gmean",
        r#"{"normalise": {"default": {"method": "min_max", "lo": 1, "hi": 100}},
            "aggregate": {"default": {"method": "geometric_mean"}}}"#,
        true,
    ),
    (
        "minmax1_100_hmean",
        r#"{"normalise": {"default": {"method": "min_max", "lo": 1, "hi": 100}},
            "aggregate": {"default": {"method": "harmonic_mean"}}}"#,
        true,
    ),
    (
        "minmax_copeland",
        r#"{"aggregate": {"default": {"method": "copeland"}}}"#,
        false,
    ),
];

#[test]
fn every_variant_reproduces_coinr() {
    for (stem, recipe, has_normalised) in VARIANTS {
        let scores = score(recipe).unwrap_or_else(|e| panic!("{stem}: {e}"));
        if *has_normalised {
            assert_matches(
                &scores,
                &format!("coinr-asem/A_variants/A_{stem}_Normalised.csv"),
            );
        }
        assert_matches(
            &scores,
            &format!("coinr-asem/A_variants/A_{stem}_Aggregated.csv"),
        );
    }
}

/// COINr's signed fraction of max (`coinr_sign`) is undefined where an indicator's best value is
/// zero: three ASEM indicators
/// with direction −1 have a minimum of 0, so x' = −x has a maximum of 0 and COINr divides by it,
/// writing `Inf` and `NaN` into the normalised set and into every aggregate above. cityindex
/// refuses with an error naming the first such indicator. With those three indicators normalised
/// otherwise, every other column matches COINr; the columns left out are exactly those holding
/// COINr's `Inf`/`NaN`.
#[test]
fn fraction_of_max_matches_coinr_where_coinr_is_defined() {
    let err =
        score(r#"{"normalise": {"default": {"method": "fraction_of_max", "coinr_sign": true}}}"#)
            .expect_err("zero maximum");
    assert_eq!(
        err.to_string(),
        "indicator `CostImpEx`: fraction_of_max is undefined because the maximum is zero"
    );
    let scores = score(
        r#"{"normalise": {"default": {"method": "fraction_of_max", "coinr_sign": true}, "indicators": {
            "CostImpEx": {"method": "none"}, "Poverty": {"method": "none"}, "Tariff": {"method": "none"}}}}"#,
    )
    .expect("scores");
    let undefined = [
        "Conn",
        "CostImpEx",
        "Index",
        "Instit",
        "Poverty",
        "Social",
        "Sust",
        "Tariff",
    ];
    for file in ["Normalised", "Aggregated"] {
        let path = format!("coinr-asem/A_variants/A_fracmax_amean_{file}.csv");
        let reference = Table::read(&path);
        for id in reference.header.iter().filter(|h| *h != "uCode") {
            let written = reference.column(id);
            let defined = !written.iter().any(|c| ["Inf", "-Inf", "NaN"].contains(c));
            assert_eq!(!defined, undefined.contains(&id.as_str()), "{file} {id}");
        }
        assert_matches_except(&scores, &path, &undefined);
    }
}

/// COINr's `n_dist2targ` with the targets of iMeta, direction-aware, uncapped.
#[test]
fn distance_to_target_uses_the_framework_targets() {
    let scores =
        score(r#"{"normalise": {"default": {"method": "distance_to_target"}}}"#).expect("scores");
    assert_matches(
        &scores,
        "coinr-asem/A_variants/A_dist2targ_iMeta_Normalised.csv",
    );
}

/// COINr refuses a geometric mean over min-max 0-100 scores (zeros); so does cityindex, with an
/// error naming the node, the unit and the child.
#[test]
fn geometric_mean_on_zeros_is_an_error_as_in_coinr() {
    let coinr = std::fs::read_to_string(cityindex_tests::fixture(
        "coinr-asem/A_variants/A_minmax0_100_gmean_ERROR.txt",
    ))
    .expect("fixture");
    assert!(coinr.contains("Negative or zero values found"));
    let err =
        score(r#"{"aggregate": {"default": {"method": "geometric_mean"}}}"#).expect_err("zeros");
    assert_eq!(err.code(), "score.outside_domain");
    let message = err.to_string();
    assert!(
        message.contains("`Physical`") && message.contains("`AUS`"),
        "{message}"
    );
}

/// COINr's per-function vectors (`D_functions/D_function_vectors.csv`) for the normalisations
/// the core offers, applied to x = (1, …, 10, 30, 100).
#[test]
fn coinr_function_vectors() {
    use cityindex::normalise;
    let table = Table::read("coinr-asem/D_functions/D_function_vectors.csv");
    let x: Vec<f64> = table.column("x").into_iter().map(number).collect();
    let check = |name: &str, ours: &[f64]| {
        let theirs: Vec<f64> = table.column(name).into_iter().map(number).collect();
        let (diff, agree) = max_abs_diff(ours, &theirs);
        assert!(agree && diff <= 1e-12, "{name}: {diff:e}");
    };
    let apply = |f: &dyn Fn(&mut [f64])| {
        let mut v = x.clone();
        f(&mut v);
        v
    };
    check(
        "n_minmax",
        &apply(&|v| normalise::min_max(v, 0.0, 100.0).unwrap()),
    );
    check(
        "n_zscore",
        &apply(&|v| normalise::z_score(v, 0.0, 1.0, 1).unwrap()),
    );
    check("n_rank", &apply(&normalise::rank_ascending));
    check(
        "n_prank",
        &apply(&|v| normalise::percentile_rank(v).unwrap()),
    );
    check("n_borda", &apply(&normalise::borda));
    check(
        "n_fracmax",
        &apply(&|v| normalise::fraction_of_max(v).unwrap()),
    );
    check(
        "n_dist2max",
        &apply(&|v| normalise::distance_to_max(v).unwrap()),
    );
    check(
        "n_dist2targ_50",
        &apply(&|v| normalise::distance_to_target(v, 50.0, false).unwrap()),
    );
    check(
        "n_dist2targ_50_cap",
        &apply(&|v| normalise::distance_to_target(v, 50.0, true).unwrap()),
    );
    // COINr's n_goalposts(x, gposts = c(0, 50, 100)): clamp((x - 0)/(50 - 0), 0, 1) * 100.
    let mut goal = vec![0.0; x.len()];
    normalise::goalposts(
        &x,
        0.0,
        50.0,
        cityindex::Direction::Positive,
        true,
        100.0,
        &mut goal,
    );
    check("n_goalposts_0_50_100", &goal);
}

/// COINr's aggregation functions on x = (10, 20, NA, 40), w = (1, 2, 3, 4)
/// (`D_aggregation_functions.csv`). The generalised mean differs on purpose where a value is
/// missing: COINr's `a_genmean` returns NA; cityindex skips it like every other mean, which gives
/// COINr's value without the missing entry (`a_genmean_p2_noNA`).
#[test]
fn coinr_aggregation_function_vectors() {
    use cityindex::aggregate::{Aggregation, weighted_mean};
    let table = Table::read("coinr-asem/D_functions/D_aggregation_functions.csv");
    let value =
        |name: &str| number(table.rows.iter().find(|r| r[0] == name).expect("row")[1].as_str());
    let x = [10.0, 20.0, f64::NAN, 40.0];
    let w = [1.0, 2.0, 3.0, 4.0];
    let (xs, ws) = ([10.0, 20.0, 40.0], [1.0, 2.0, 4.0]);
    for (name, method) in [
        ("a_amean", Aggregation::ArithmeticMean),
        ("a_gmean", Aggregation::GeometricMean),
        ("a_hmean", Aggregation::HarmonicMean),
    ] {
        assert!(
            (weighted_mean(method, &x, &w).unwrap() - value(name)).abs() <= 1e-12,
            "{name}"
        );
        let no_na = format!("{name}_noNA");
        assert!(
            (weighted_mean(method, &xs, &ws).unwrap() - value(&no_na)).abs() <= 1e-12,
            "{no_na}"
        );
    }
    let p2 = Aggregation::GeneralisedMean { p: 2.0 };
    assert!(value("a_genmean_p2").is_nan());
    assert!((weighted_mean(p2, &x, &w).unwrap() - value("a_genmean_p2_noNA")).abs() <= 1e-12);
    // The recipe the crate docs give for COINr's `a_genmean`: with `availability_threshold: 1`
    // a unit missing a child has no aggregate (COINr's NA); without it, the value without NA.
    let framework = cityindex::Framework::from_json(
        r#"{"nodes": [{"id": "y", "children": [{"id": "a", "weight": 1}, {"id": "b", "weight": 2},
            {"id": "c", "weight": 3}, {"id": "d", "weight": 4}]}]}"#,
    )
    .unwrap();
    let layout = cityindex::CsvLayout::for_framework(&framework);
    let data = cityindex::Dataset::from_csv(
        "uCode,a,b,c,d\nU1,10,20,,40\nU2,10,20,30,40\n".as_bytes(),
        &layout,
    )
    .unwrap();
    let recipe = |threshold: &str| {
        cityindex::Recipe::from_json(&format!(
            r#"{{"normalise": {{"default": {{"method": "none"}}}},
                "aggregate": {{"default": {{"method": "generalised_mean", "p": 2}}{threshold}}}}}"#
        ))
        .unwrap()
    };
    let coinr = cityindex::score(
        &framework,
        &data,
        &recipe(r#", "availability_threshold": 1"#),
    )
    .unwrap();
    let y = coinr.score("y").unwrap();
    assert!(y[0].is_nan());
    assert_eq!(
        y[1],
        weighted_mean(p2, &[10.0, 20.0, 30.0, 40.0], &w).unwrap()
    );
    let skipping = cityindex::score(&framework, &data, &recipe("")).unwrap();
    let y = skipping.score("y").unwrap();
    assert!((y[0] - value("a_genmean_p2_noNA")).abs() <= 1e-12);
}

/// COINr's outranking matrix and Copeland scores (`D_outrank_matrix.csv`, `D_copeland.csv`).
#[test]
fn coinr_copeland_vector() {
    let x1 = [1.0, 2.0, 3.0, 4.0];
    let x2 = [3.0, 2.0, 1.0, 5.0];
    let x3 = [2.0, 3.0, 1.0, 4.0];
    let mut out = [0.0; 4];
    cityindex::aggregate::copeland(&[&x1, &x2, &x3], &[1.0, 1.0, 1.0], &mut out);
    let theirs: Vec<f64> = Table::read("coinr-asem/D_functions/D_copeland.csv")
        .column("copeland")
        .into_iter()
        .map(number)
        .collect();
    assert_eq!(out.to_vec(), theirs);
}
