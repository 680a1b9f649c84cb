//! Fitted models (issue 25): `fit(...).transform(data)` is `score(data)` bit for bit, for the
//! built-in frameworks, COINr's example coin with every preparation step and every
//! normalisation; the model reads back from JSON with the same bits; statistics merged from
//! any partitioning fit the same model; a new unit scored against DESI 2022 is placed where a
//! full re-score with it places it.

use cityindex::model::{self, Model, Summary, summarise};
use cityindex::{Dataset, Framework, Recipe, Scores, builtin};
use cityindex_tests::{ASEM_EXAMPLE_COIN_RECIPE, asem_framework, asem_raw_sorted};
use proptest::prelude::*;

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

/// Every node's scores and ranks, and every band, as bits.
fn assert_same(ours: &Scores, theirs: &Scores, what: &str) {
    assert_eq!(ours.units(), theirs.units(), "{what}: units");
    assert_eq!(ours.nodes(), theirs.nodes(), "{what}: nodes");
    for node in theirs.nodes() {
        let id = &node.id;
        assert_eq!(
            bits(ours.score(id).unwrap()),
            bits(theirs.score(id).unwrap()),
            "{what}: scores of {id}"
        );
        assert_eq!(
            bits(ours.rank(id).unwrap()),
            bits(theirs.rank(id).unwrap()),
            "{what}: ranks of {id}"
        );
        assert_eq!(ours.band(id), theirs.band(id), "{what}: bands of {id}");
    }
}

fn check(framework: &Framework, data: &Dataset, recipe: &Recipe, what: &str) -> Model {
    let model = model::fit(framework, data, recipe).expect(what);
    let scored = cityindex::score(framework, data, recipe).expect(what);
    assert_same(&model.transform(data).expect(what), &scored, what);
    let back = Model::from_json(&model.to_json()).expect("reads back");
    assert_eq!(back, model, "{what}: JSON round trip");
    assert_same(&back.transform(data).expect(what), &scored, what);
    model
}

#[test]
fn the_population_gets_the_bits_of_score_for_every_builtin() {
    for b in builtin::list() {
        let (Ok(framework), Ok(data), Ok(recipe)) = (b.framework(), b.data(), b.recipe()) else {
            continue;
        };
        if data.n_units() == 0 {
            continue; // a framework without data (a template to fill in)
        }
        let periods = data.distinct_periods();
        let data = match periods.last() {
            Some(&last) if periods.len() > 1 => data.for_period(last).unwrap(),
            _ => data,
        };
        check(&framework, &data, &recipe, b.id);
    }
}

#[test]
fn the_example_coin_with_every_normalisation() {
    let framework = asem_framework();
    let data = asem_raw_sorted();
    let base: serde_json::Value = serde_json::from_str(ASEM_EXAMPLE_COIN_RECIPE).unwrap();
    // The ratios to the best value are undefined on the example coin (its treated data hold
    // zeros and signed values): the fit refuses them as score does.
    for (method, defined) in [
        (r#"{"method": "min_max"}"#, true),
        (
            r#"{"method": "z_score", "mean": 10, "sd": 2, "floor": 0.01}"#,
            true,
        ),
        (r#"{"method": "rank"}"#, true),
        (r#"{"method": "percentile_rank"}"#, true),
        (r#"{"method": "borda"}"#, true),
        (r#"{"method": "fraction_of_max"}"#, false),
        (
            r#"{"method": "fraction_of_max", "coinr_sign": true}"#,
            false,
        ),
        (r#"{"method": "distance_to_max"}"#, true),
        (r#"{"method": "distance_to_target", "cap": true}"#, true),
        (r#"{"method": "none"}"#, true),
    ] {
        let mut recipe = base.clone();
        recipe["normalise"] = serde_json::json!({"default": serde_json::from_str::<serde_json::Value>(method).unwrap()});
        let recipe = Recipe::from_json(&recipe.to_string()).unwrap();
        if defined {
            check(&framework, &data, &recipe, method);
        } else {
            let theirs = cityindex::score(&framework, &data, &recipe).unwrap_err();
            let ours = model::fit(&framework, &data, &recipe).unwrap_err();
            assert_eq!(ours.to_string(), theirs.to_string(), "{method}");
        }
    }
    // Weights derived from the data are frozen in the model.
    let mut recipe = base;
    recipe["weighting"] =
        serde_json::json!([{"nodes": ["Index", "Conn"], "weighting": {"method": "critic"}}]);
    let recipe = Recipe::from_json(&recipe.to_string()).unwrap();
    let model = check(&framework, &data, &recipe, "critic weights");
    assert!(!model.weights.is_empty());
}

#[test]
fn the_ratios_to_the_best_value_on_desi() {
    let b = builtin::get("desi-2022").unwrap();
    let framework = b.framework().unwrap();
    let data = b.data().unwrap().for_period(2022).unwrap();
    for method in [
        r#"{"method": "fraction_of_max"}"#,
        r#"{"method": "fraction_of_max", "coinr_sign": true}"#,
    ] {
        let recipe =
            Recipe::from_json(&format!(r#"{{"normalise": {{"default": {method}}}}}"#)).unwrap();
        check(&framework, &data, &recipe, method);
    }
}

#[test]
fn a_new_unit_takes_its_place_in_desi_2022() {
    let b = builtin::get("desi-2022").unwrap();
    let (framework, recipe) = (b.framework().unwrap(), b.recipe().unwrap());
    let data = b.data().unwrap().for_period(2022).unwrap();
    let full = cityindex::score(&framework, &data, &recipe).unwrap();
    let root = &full.nodes().last().unwrap().id;
    for newcomer in ["DK", "RO", "IT", "FI"] {
        let r = data.units().iter().position(|u| u.id == newcomer).unwrap();
        let others: Vec<usize> = (0..data.n_units()).filter(|&k| k != r).collect();
        let model = model::fit(&framework, &data.select_rows(&others), &recipe).unwrap();
        let alone = model.transform(&data.select_rows(&[r])).unwrap();
        for node in full.nodes() {
            assert_eq!(
                alone.score(&node.id).unwrap()[0].to_bits(),
                full.score(&node.id).unwrap()[r].to_bits(),
                "{newcomer}: {}",
                node.id
            );
        }
        let placed = model.place(root, alone.score(root).unwrap()).unwrap();
        assert_eq!(placed[0], full.rank(root).unwrap()[r], "{newcomer}'s place");
    }
}

/// The fit's statistics from `data` split at `cuts` (in any order of merging).
fn merged(framework: &Framework, recipe: &Recipe, data: &Dataset, cuts: &[usize]) -> Summary {
    let parts: Vec<Dataset> = cuts
        .windows(2)
        .map(|w| data.select_rows(&(w[0]..w[1]).collect::<Vec<_>>()))
        .collect();
    let pass = |means: Option<&std::collections::BTreeMap<String, f64>>| {
        let mut total = Summary::default();
        for part in parts.iter().rev() {
            total.merge(&summarise(framework, recipe, part, means).unwrap());
        }
        total
    };
    let first = pass(None);
    if first.needs_squares() {
        pass(Some(&first.means()))
    } else {
        first
    }
}

fn synthetic(values: &[f64], columns: usize) -> (Framework, Dataset<'static>) {
    use cityindex::{Node, Unit};
    let mut nodes = vec![Node::aggregate("index", None)];
    for j in 0..columns {
        nodes.push(Node::indicator(&format!("i{j}"), Some("index")));
    }
    let n = values.len() / columns;
    let data = Dataset::new(
        (0..n).map(|r| Unit::new(&format!("u{r}"))).collect(),
        (0..columns)
            .map(|j| (format!("i{j}"), values[j * n..(j + 1) * n].to_vec()))
            .collect(),
    )
    .unwrap();
    (Framework::new(nodes).unwrap(), data)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random data, random partitionings: the merged statistics fit the model one machine
    /// fits, and it scores with the bits of `score`.
    #[test]
    fn any_partitioning_fits_the_same_model(
        values in prop::collection::vec(prop_oneof![
            4 => -1e6f64..1e6, 1 => Just(f64::NAN), 1 => -1e-3f64..1e-3, 1 => Just(0.1)], 24..120),
        cuts in prop::collection::vec(0usize..1000, 0..12),
        method in 0usize..4,
    ) {
        let columns = 3;
        let n = values.len() / columns;
        let values = &values[..n * columns];
        let (framework, data) = synthetic(values, columns);
        let normalisation = [
            r#"{"method": "min_max"}"#,
            r#"{"method": "z_score"}"#,
            r#"{"method": "percentile_rank"}"#,
            r#"{"method": "distance_to_max"}"#,
        ][method];
        let recipe = Recipe::from_json(&format!(r#"{{"normalise": {{"default": {normalisation}}}}}"#)).unwrap();
        let Ok(whole) = model::fit(&framework, &data, &recipe) else { return Ok(()); };
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (n + 1)).collect();
        cuts.extend([0, n]);
        cuts.sort_unstable();
        let summary = merged(&framework, &recipe, &data, &cuts);
        let from_parts = model::from_summary(&framework, &recipe, &summary, Vec::new()).unwrap();
        prop_assert_eq!(&from_parts.normalisation, &whole.normalisation);
        if model::extremes_suffice(&framework, &recipe) {
            // Counts and extremes alone (an engine's own aggregates) give the same model.
            let columns = summary
                .columns
                .iter()
                .map(|(id, c)| (id.clone(), (c.count, c.extremes)))
                .collect();
            let alone = Summary::from_extremes(&framework, &recipe, summary.units, columns).unwrap();
            let model = model::from_summary(&framework, &recipe, &alone, Vec::new()).unwrap();
            prop_assert_eq!(&model.normalisation, &whole.normalisation);
        }
        let scored = cityindex::score(&framework, &data, &recipe).unwrap();
        let ours = from_parts.transform(&data).unwrap();
        prop_assert_eq!(bits(ours.score("index").unwrap()), bits(scored.score("index").unwrap()));
    }
}
