//! DESI 2022 (European Commission): from the framework and indicator values of the Commission's
//! workbook, every published DESI, dimension and sub-dimension score (`published.csv`, 2,520
//! numbers for 28 units × 6 years) reproduces to 1e-9, and so does every normalised value.

use std::collections::HashMap;

use cityindex::framework::{Goalposts, NodeKind};
use cityindex::{Framework, Node, Scores};
use cityindex_tests::{Table, number};

/// The framework exactly as the workbook gives it (`framework.csv`), read column by column.
fn reference_framework() -> Framework {
    let table = Table::read("desi-2022/framework.csv");
    let nodes = table
        .rows
        .iter()
        .map(|row| {
            let cell = |name: &str| row[table.col(name)].as_str();
            let parent = Some(cell("parent")).filter(|p| !p.is_empty());
            let node = if cell("level") == "indicator" {
                let mut node = Node::indicator(cell("id"), parent);
                if let NodeKind::Indicator(ind) = &mut node.kind {
                    ind.goalposts = Some(Goalposts {
                        min: number(cell("goalpost_min")),
                        max: number(cell("goalpost_max")),
                    });
                    ind.direction = number(cell("direction")).try_into().expect("direction");
                }
                node
            } else {
                Node::aggregate(cell("id"), parent)
            };
            node.with_weight(number(cell("weight")))
        })
        .collect();
    Framework::new(nodes).expect("DESI framework")
}

/// The embedded framework is the workbook's: same tree, weights, goalposts and directions.
#[test]
fn embedded_framework_is_the_workbooks() {
    let embedded = cityindex::builtin::get("desi-2022")
        .expect("built in")
        .framework()
        .expect("framework");
    let reference = reference_framework();
    assert_eq!(embedded.len(), 48);
    for node in reference.nodes() {
        let ours = embedded.node(&node.id).expect("node");
        assert_eq!(ours.parent, node.parent, "{}", node.id);
        assert_eq!(ours.weight, node.weight, "{}", node.id);
        let (a, b) = (ours.as_indicator(), node.as_indicator());
        assert_eq!(
            a.map(|i| (i.goalposts, i.direction)),
            b.map(|i| (i.goalposts, i.direction))
        );
    }
}

fn scores_by_year() -> HashMap<i64, Scores> {
    let desi = cityindex::builtin::get("desi-2022").expect("built in");
    let data = desi.data().expect("data");
    let recipe = desi.recipe().expect("recipe");
    let framework = reference_framework();
    data.distinct_periods()
        .into_iter()
        .map(|year| {
            let scores =
                cityindex::score(&framework, &data.for_period(year).expect("year"), &recipe)
                    .expect("scores");
            (year, scores)
        })
        .collect()
}

fn lookup(scores: &Scores, node: &str, unit: &str) -> f64 {
    let r = scores
        .units()
        .iter()
        .position(|u| u.id == unit)
        .expect("unit");
    scores.score(node).expect("node")[r]
}

/// The embedded data are the workbook's inputs (`indicators.csv`, reported and imputed values).
#[test]
fn embedded_data_are_the_workbooks_inputs() {
    let data = cityindex::builtin::get("desi-2022")
        .expect("built in")
        .data()
        .expect("data");
    let table = Table::read("desi-2022/indicators.csv");
    assert_eq!(table.rows.len(), 5544);
    for row in &table.rows {
        let cell = |name: &str| row[table.col(name)].as_str();
        let year = data
            .for_period(cell("desi_year").parse().expect("year"))
            .expect("year");
        let r = year
            .units()
            .iter()
            .position(|u| u.id == cell("country"))
            .expect("unit");
        let ours = year.column(cell("indicator")).expect("column")[r];
        assert_eq!(ours, number(cell("value")), "{row:?}");
    }
}

#[test]
fn every_published_score_reproduces() {
    let scores = scores_by_year();
    let published = Table::read("desi-2022/published.csv");
    assert_eq!(published.rows.len(), 2520);
    let mut worst = 0.0_f64;
    for row in &published.rows {
        let cell = |name: &str| row[published.col(name)].as_str();
        let year: i64 = cell("desi_year").parse().expect("year");
        let ours = lookup(&scores[&year], cell("node"), cell("country"));
        let diff = (ours - number(cell("value"))).abs();
        assert!(diff <= 1e-9, "{row:?}: ours {ours}");
        worst = worst.max(diff);
    }
    println!("DESI published scores: max |error| {worst:e}");
}

/// The workbook's normalised values are fractions; the recipe scales them by 100.
#[test]
fn every_normalised_value_reproduces() {
    let scores = scores_by_year();
    let normalised = Table::read("desi-2022/normalised.csv");
    assert_eq!(normalised.rows.len(), 5544);
    for row in &normalised.rows {
        let cell = |name: &str| row[normalised.col(name)].as_str();
        let year: i64 = cell("desi_year").parse().expect("year");
        let ours = lookup(&scores[&year], cell("indicator"), cell("country")) / 100.0;
        let diff = (ours - number(cell("normalised"))).abs();
        assert!(diff <= 1e-12, "{row:?}: ours {ours}");
    }
}

/// DESI 2017–2022 as one panel: each year's scores are the published ones, and the change and
/// compound annual growth rate per country follow from them.
#[test]
fn panel_scores_and_trends() {
    let desi = cityindex::builtin::get("desi-2022").expect("built in");
    let panel = cityindex::score_panel(
        &desi.framework().unwrap(),
        &desi.data().unwrap(),
        &desi.recipe().unwrap(),
    )
    .expect("panel");
    assert_eq!(panel.periods, [2017, 2018, 2019, 2020, 2021, 2022]);
    let published = Table::read("desi-2022/published.csv");
    let value = |country: &str, year: &str, node: &str| {
        published
            .rows
            .iter()
            .find(|r| r[0] == country && r[1] == year && r[3] == node)
            .map(|r| number(&r[5]))
            .expect("published")
    };
    for row in &published.rows {
        let scores = panel.period(row[1].parse().unwrap()).unwrap();
        assert!(
            (lookup(scores, &row[3], &row[0]) - number(&row[5])).abs() <= 1e-9,
            "{row:?}"
        );
    }
    let trends = panel.trend("DESI", 2017, 2022).expect("trend");
    assert_eq!(trends.len(), 28);
    for (country, t) in &trends {
        let (start, end) = (
            value(country, "2017", "DESI"),
            value(country, "2022", "DESI"),
        );
        assert!((t.change - (end - start)).abs() <= 1e-9, "{country}");
        let cagr = (end / start).powf(1.0 / 5.0) - 1.0;
        assert!(
            (t.cagr - cagr).abs() <= 1e-12,
            "{country}: {} vs {cagr}",
            t.cagr
        );
    }
}

/// With statistics pooled over all years, min-max scores are comparable over time: each
/// indicator's minimum over the whole panel scores 0 and its maximum 100.
#[test]
fn panel_normalisation_over_all_periods() {
    let desi = cityindex::builtin::get("desi-2022").expect("built in");
    let data = desi.data().unwrap();
    let recipe =
        cityindex::Recipe::from_json(r#"{"normalise": {"panel_bounds": "all_periods"}}"#).unwrap();
    let panel = cityindex::score_panel(&desi.framework().unwrap(), &data, &recipe).unwrap();
    let x = data.column("3b5").unwrap();
    let (lo, hi) = x
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let periods = data.periods().unwrap();
    for (k, year) in panel.periods.iter().enumerate() {
        let rows: Vec<usize> = (0..x.len()).filter(|&r| periods[r] == *year).collect();
        let scores = panel.scores[k].score("3b5").unwrap();
        for (s, &r) in scores.iter().zip(&rows) {
            assert!((s - (x[r] - lo) / (hi - lo) * 100.0).abs() <= 1e-12);
        }
    }
    // Per period, three indicators are constant (0) in the years before the technology existed,
    // so min-max is undefined for them there: the error names the first.
    let err = cityindex::score_panel(
        &desi.framework().unwrap(),
        &data,
        &cityindex::Recipe::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("indicator `2a3`: min_max is undefined"),
        "{err}"
    );
    // With goalposts for those three, each year has its own 0 and 100.
    let goalposts = r#"{"method": "goalposts", "scale": 100, "clamp": false}"#;
    let recipe = cityindex::Recipe::from_json(&format!(
        r#"{{"normalise": {{"indicators": {{"2a3": {goalposts}, "2c1": {goalposts}, "2c2": {goalposts}}}}}}}"#
    ))
    .unwrap();
    let each = cityindex::score_panel(&desi.framework().unwrap(), &data, &recipe).unwrap();
    for scores in &each.scores {
        let s = scores.score("3b5").unwrap();
        assert!(s.contains(&0.0) && s.contains(&100.0));
    }
}

/// COINr's `get_trends` over every period: with every year scored, the CAGR from the first to
/// the last observed year is the two-period CAGR; a unit missing in the last years grows to its
/// last observed score; the percentage change of a series on a straight line is its slope over
/// the line's first value.
#[test]
fn trends_over_every_period_as_coinr() {
    use cityindex::trend::{FromZero, TrendMetric};
    let desi = cityindex::builtin::get("desi-2022").expect("built in");
    let (framework, data) = (desi.framework().unwrap(), desi.data().unwrap());
    let recipe = desi.recipe().unwrap();
    let panel = cityindex::score_panel(&framework, &data, &recipe).unwrap();
    let all = panel
        .trends("DESI", TrendMetric::Cagr, FromZero::Missing)
        .unwrap();
    let two = panel.trend("DESI", 2017, 2022).unwrap();
    assert_eq!(all.len(), two.len());
    for ((unit, rate), (same, t)) in all.iter().zip(&two) {
        assert_eq!((unit, rate.to_bits()), (same, t.cagr.to_bits()));
    }
    assert!(
        panel
            .trends("nope", TrendMetric::Cagr, FromZero::Missing)
            .is_none()
    );

    let framework = cityindex::Framework::from_json(
        r#"{"nodes": [{"id": "index", "children": [{"id": "a"}, {"id": "b"}]}]}"#,
    )
    .unwrap();
    let data = cityindex::Dataset::from_csv(
        "uCode,Time,a,b\nx,2020,1,1\ny,2020,2,2\nx,2021,2,2\ny,2021,4,4\nx,2022,,\ny,2022,6,6\n"
            .as_bytes(),
        &cityindex::CsvLayout::for_framework(&framework),
    )
    .unwrap();
    let none = cityindex::Recipe::from_json(
        r#"{"normalise": {"default": {"method": "none"}}, "aggregate": {"availability_threshold": 0.5}}"#,
    )
    .unwrap();
    let panel = cityindex::score_panel(&framework, &data, &none).unwrap();
    let cagr = panel
        .trends("index", TrendMetric::Cagr, FromZero::Missing)
        .unwrap();
    // x: 1 (2020) → 2 (2021), its last observation: 100 %; y: 2 → 6 over two years: √3 − 1.
    assert_eq!(cagr[0], ("x".to_owned(), 1.0));
    assert!((cagr[1].1 - (3f64.sqrt() - 1.0)).abs() < 1e-15, "{cagr:?}");
    let change = panel
        .trends(
            "index",
            TrendMetric::PercentChange { per: 1.0 },
            FromZero::Missing,
        )
        .unwrap();
    // y lies on 2 + 2(t − 2020): slope 2 over a fitted start of 2, 100 % a year.
    assert!((change[1].1 - 100.0).abs() < 1e-9, "{change:?}");
    assert_eq!(change[0].1, 100.0, "two points: (2 − 1)·100/1");
}
