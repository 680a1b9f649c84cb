//! Aggregates among the units (the EU, averages): scored and shown, never ranked, never counted
//! in what the data determine. The units' scores and ranks are the same bits as without the
//! aggregates, for every normalisation, with preparation; the published ranks come out with the
//! aggregates present.

use cityindex::{Dataset, Framework, Node, Recipe, Unit};
use proptest::prelude::*;

fn framework() -> Framework {
    Framework::new(vec![
        Node::aggregate("index", None),
        Node::aggregate("p1", Some("index")),
        Node::aggregate("p2", Some("index")).with_weight(2.0),
        Node::indicator("a", Some("p1")),
        Node::indicator("b", Some("p1")),
        Node::indicator("c", Some("p2")),
    ])
    .unwrap()
}

/// The data of `rows` with `aggregate` (a row of values) inserted at `at`, marked or not.
fn dataset(rows: &[[f64; 3]], aggregate: Option<(usize, [f64; 3])>) -> Dataset<'static> {
    let mut all: Vec<(Unit, [f64; 3])> = rows
        .iter()
        .enumerate()
        .map(|(r, row)| (Unit::new(&format!("u{r}")), *row))
        .collect();
    if let Some((at, row)) = aggregate {
        let mut unit = Unit::new("EU");
        unit.aggregate = true;
        all.insert(at.min(all.len()), (unit, row));
    }
    let columns = ["a", "b", "c"]
        .iter()
        .enumerate()
        .map(|(j, id)| {
            (
                (*id).to_owned(),
                all.iter().map(|(_, row)| row[j]).collect(),
            )
        })
        .collect();
    Dataset::new(all.into_iter().map(|(u, _)| u).collect(), columns).unwrap()
}

/// Every normalisation that takes statistics from the data, and one with preparation.
const RECIPES: [&str; 9] = [
    "{}",
    r#"{"normalise": {"default": {"method": "z_score"}}}"#,
    r#"{"normalise": {"default": {"method": "z_score", "floor": -1}}}"#,
    r#"{"normalise": {"default": {"method": "rank"}}}"#,
    r#"{"normalise": {"default": {"method": "percentile_rank"}}}"#,
    r#"{"normalise": {"default": {"method": "borda"}}, "rank": {"ties": "average"}}"#,
    r#"{"normalise": {"default": {"method": "fraction_of_max"}}}"#,
    r#"{"normalise": {"default": {"method": "distance_to_max"}}}"#,
    r#"{"prepare": [{"step": "impute", "default": {"method": "mean"}}], "normalise": {"default": {"method": "min_max"}}}"#,
];

fn rows() -> impl Strategy<Value = Vec<[f64; 3]>> {
    let cell = prop_oneof![9 => (1..40i32).prop_map(|v| f64::from(v) / 4.0), 1 => Just(f64::NAN)];
    prop::collection::vec(prop::array::uniform3(cell), 3..12).prop_filter("columns vary", |rows| {
        (0..3).all(|j| {
            let mut present = rows.iter().map(|r| r[j]).filter(|v| !v.is_nan());
            let first = present.next();
            present.any(|v| Some(v) != first)
        })
    })
}

fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

proptest! {
    #[test]
    fn units_score_and_rank_as_without_the_aggregate(
        rows in rows(),
        aggregate in prop::array::uniform3((0..60i32).prop_map(|v| f64::from(v) / 4.0)),
        at in 0..12usize,
        k in 0..RECIPES.len(),
    ) {
        let fw = framework();
        let recipe = Recipe::from_json(RECIPES[k]).unwrap();
        let alone = cityindex::score(&fw, &dataset(&rows, None), &recipe).unwrap();
        let with = cityindex::score(&fw, &dataset(&rows, Some((at, aggregate))), &recipe).unwrap();
        let eu = with.units().iter().position(|u| u.id == "EU").unwrap();
        prop_assert!(with.units()[eu].aggregate);
        let keep: Vec<usize> = (0..with.units().len()).filter(|&r| r != eu).collect();
        for node in ["a", "b", "c", "p1", "p2", "index"] {
            let pick = |v: &[f64]| keep.iter().map(|&r| v[r]).collect::<Vec<f64>>();
            prop_assert!(same_bits(&pick(with.score(node).unwrap()), alone.score(node).unwrap()), "{} scores", node);
            prop_assert!(same_bits(&pick(with.rank(node).unwrap()), alone.rank(node).unwrap()), "{} ranks", node);
            prop_assert!(with.rank(node).unwrap()[eu].is_nan());
            prop_assert!(with.score(node).unwrap()[eu].is_finite());
        }
    }
}

#[test]
fn an_aggregate_stands_where_its_values_put_it_among_the_units() {
    let fw = framework();
    let rows = [[1.0, 2.0, 3.0], [2.0, 4.0, 9.0], [3.0, 8.0, 6.0]];
    // Equal to unit u1 on every indicator: the same normalised values as u1's, by every method.
    for text in RECIPES {
        let recipe = Recipe::from_json(text).unwrap();
        let s = cityindex::score(&fw, &dataset(&rows, Some((3, rows[1]))), &recipe).unwrap();
        for id in ["a", "b", "c", "index"] {
            let v = s.score(id).unwrap();
            assert_eq!(v[3].to_bits(), v[1].to_bits(), "{text}: {id}");
        }
    }
    // Beyond the units' range: min-max runs past 100 (the units' bounds), ranks one past the top.
    let beyond = [4.0, 16.0, 12.0];
    let s = cityindex::score(&fw, &dataset(&rows, Some((0, beyond))), &Recipe::default()).unwrap();
    assert_eq!(s.score("a").unwrap()[0], 150.0);
    let ranked = Recipe::from_json(r#"{"normalise": {"default": {"method": "rank"}}}"#).unwrap();
    let s = cityindex::score(&fw, &dataset(&rows, Some((0, beyond))), &ranked).unwrap();
    assert_eq!(s.score("a").unwrap()[0], 4.0);
    let ranks = s.rank("index").unwrap();
    assert!(ranks[0].is_nan());
    assert_eq!(&ranks[1..], &[3.0, 1.0, 2.0]);
}

#[test]
fn methods_that_compare_units_are_refused_with_an_aggregate() {
    let fw = framework();
    let data = dataset(
        &[[1.0, 2.0, 3.0], [2.0, 4.0, 9.0], [3.0, 8.0, 6.0]],
        Some((1, [2.0; 3])),
    );
    for text in [
        r#"{"aggregate": {"default": {"method": "copeland"}}}"#,
        r#"{"aggregate": {"levels": {"3": {"method": "topsis"}}}}"#,
        r#"{"weighting": [{"level": 3, "weighting": {"method": "entropy"}}]}"#,
    ] {
        let Ok(recipe) = Recipe::from_json(text) else {
            continue;
        };
        let err = cityindex::score(&fw, &data, &recipe).unwrap_err();
        assert_eq!(err.code(), "score.aggregate_compared", "{text}: {err}");
        assert!(err.to_string().contains("aggregate `EU`"), "{err}");
    }
}

#[test]
fn desi_2022_ranks_the_27_member_states_as_published_with_the_eu_present() {
    let desi = cityindex::builtin::find("desi-2022").unwrap();
    let (fw, recipe) = (desi.framework().unwrap(), desi.recipe().unwrap());
    let data = desi.data().unwrap().for_period(2022).unwrap();
    let s = cityindex::score(&fw, &data, &recipe).unwrap();
    let rank_of =
        |id: &str| s.rank("DESI").unwrap()[s.units().iter().position(|u| u.id == id).unwrap()];
    assert_eq!(rank_of("FI"), 1.0);
    assert_eq!(rank_of("RO"), 27.0);
    assert!(rank_of("EU").is_nan());
    // The Commission's EU DESI 2022, from its workbook (tests/fixtures/desi-2022).
    let published = cityindex_tests::Table::read("desi-2022/published.csv");
    let cell = |row: &Vec<String>, name: &str| row[published.col(name)].clone();
    let eu_2022 = published
        .rows
        .iter()
        .find(|r| {
            cell(r, "country") == "EU"
                && cell(r, "desi_year") == "2022"
                && cell(r, "node") == "DESI"
        })
        .map(|r| cityindex_tests::number(&cell(r, "value")))
        .unwrap();
    let eu = s.units().iter().position(|u| u.id == "EU").unwrap();
    assert!((s.score("DESI").unwrap()[eu] - eu_2022).abs() <= 1e-9);
    // Every period of the panel as the period alone.
    let panel = cityindex::score_panel(&fw, &desi.data().unwrap(), &recipe).unwrap();
    for (&period, scores) in panel.periods.iter().zip(&panel.scores) {
        let one = cityindex::score(
            &fw,
            &desi.data().unwrap().for_period(period).unwrap(),
            &recipe,
        )
        .unwrap();
        assert!(
            same_bits(scores.rank("DESI").unwrap(), one.rank("DESI").unwrap()),
            "{period}"
        );
        assert!(
            same_bits(scores.score("DESI").unwrap(), one.score("DESI").unwrap()),
            "{period}"
        );
    }
}

#[test]
fn the_egovernment_benchmark_ranks_its_35_countries_and_not_its_averages() {
    let egov = cityindex::builtin::find("egov-benchmark-2023").unwrap();
    let (fw, recipe, data) = (
        egov.framework().unwrap(),
        egov.recipe().unwrap(),
        egov.data().unwrap(),
    );
    let s = cityindex::score(&fw, &data, &recipe).unwrap();
    let top = fw.roots()[0];
    let ranks = s.rank(&fw.nodes()[top].id).unwrap();
    let mut ranked: Vec<f64> = ranks.iter().copied().filter(|r| !r.is_nan()).collect();
    ranked.sort_by(f64::total_cmp);
    assert_eq!(ranked.len(), 35);
    assert_eq!(ranked[34], 35.0);
    for (unit, rank) in s.units().iter().zip(ranks) {
        assert_eq!(
            rank.is_nan(),
            unit.id == "AVERAGE_EU27" || unit.id == "EU27+",
            "{}",
            unit.id
        );
    }
}
