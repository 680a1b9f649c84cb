//! The embedded official frameworks: each validates, its sample data load and score with its
//! recipe, its structure matches the reference lists, and where results were published they
//! reproduce: UN EGDI (1e-4, the published precision) and the eGovernment Benchmark 2023
//! (User centricity and Transparency to 1e-4, the workbook's 4 decimals; the overall score as the
//! mean of the published key dimensions).

use std::collections::HashMap;

use cityindex::builtin;
use cityindex_tests::{Table, number};

#[test]
fn every_builtin_validates_loads_and_scores() {
    let ids: Vec<&str> = builtin::list().iter().map(|b| b.id).collect();
    assert_eq!(
        ids,
        [
            "desi-2022",
            "egov-benchmark-2023",
            "un-egdi",
            "un-losi-2024",
            "u4ssc",
            "usercentricities-2022"
        ]
    );
    for b in builtin::list() {
        let framework = b.framework().unwrap_or_else(|e| panic!("{}: {e}", b.id));
        let data = b.data().unwrap_or_else(|e| panic!("{}: {e}", b.id));
        let recipe = b.recipe().unwrap_or_else(|e| panic!("{}: {e}", b.id));
        let info = framework.info();
        assert_eq!(info.id.as_deref(), Some(b.id));
        assert!(info.source.is_some() && info.licence.is_some() && info.description.is_some());
        for id in framework.indicator_ids() {
            assert!(data.column(id).is_some(), "{}: no column `{id}`", b.id);
        }
        if data.n_units() > 0 {
            let last = data.distinct_periods().last().copied();
            let data = match last {
                Some(p) => data.for_period(p).unwrap(),
                None => data,
            };
            cityindex::score(&framework, &data, &recipe)
                .unwrap_or_else(|e| panic!("{}: {e}", b.id));
        }
    }
}

#[test]
fn structures_match_the_reference_lists() {
    let count = |id: &str| {
        builtin::get(id)
            .unwrap()
            .framework()
            .unwrap()
            .indicator_ids()
            .count()
    };
    assert_eq!(count("egov-benchmark-2023"), 14);
    assert_eq!(count("un-losi-2024"), 95);
    assert_eq!(count("usercentricities-2022"), 12);
    assert_eq!(count("u4ssc"), 91);
    let u4ssc = builtin::get("u4ssc").unwrap().framework().unwrap();
    let at = |level: u32| {
        (0..u4ssc.len())
            .filter(|&i| u4ssc.level_of(i) == level)
            .count()
    };
    assert_eq!(
        (at(4), at(3), at(2)),
        (3, 7, 27),
        "dimensions, sub-dimensions, category nodes"
    );
    let names: std::collections::BTreeSet<&str> = (0..u4ssc.len())
        .filter(|&i| u4ssc.level_of(i) == 2)
        .map(|i| u4ssc.nodes()[i].name.as_str())
        .collect();
    assert_eq!(names.len(), 22, "category names");
    let losi = Table::read_with_comment("frameworks/losi_2024.csv");
    let framework = builtin::get("un-losi-2024").unwrap().framework().unwrap();
    for (criterion, n) in [
        ("Institutional Framework", 6),
        ("Content Provision", 30),
        ("Services Provision", 22),
        ("Participation and Engagement", 15),
        ("E-Government Literacy", 10),
        ("Technology", 12),
    ] {
        assert_eq!(
            losi.column("criterion")
                .iter()
                .filter(|c| c.eq_ignore_ascii_case(criterion))
                .count(),
            n,
            "{criterion}"
        );
        let node = framework
            .nodes()
            .iter()
            .position(|x| x.name.eq_ignore_ascii_case(criterion))
            .unwrap_or_else(|| panic!("{criterion}"));
        assert_eq!(framework.children_of(node).len(), n);
    }
}

/// A city meeting every LOSI indicator scores 1, none 0, half of each criterion 0.5; bands.
#[test]
fn losi_is_the_share_of_indicators_met() {
    let b = builtin::get("un-losi-2024").unwrap();
    let framework = b.framework().unwrap();
    let ids: Vec<String> = framework.indicator_ids().map(str::to_owned).collect();
    let columns = ids
        .iter()
        .enumerate()
        .map(|(k, id)| {
            (
                id.clone(),
                vec![1.0, 0.0, if k % 2 == 0 { 1.0 } else { 0.0 }],
            )
        })
        .collect();
    let units = ["all", "none", "alternate"]
        .map(cityindex::Unit::new)
        .to_vec();
    let data = cityindex::Dataset::new(units, columns).unwrap();
    let scores = cityindex::score(&framework, &data, &b.recipe().unwrap()).unwrap();
    let losi = scores.score("LOSI").unwrap();
    assert_eq!(losi[0], 1.0);
    assert_eq!(losi[1], 0.0);
    let met = ids.iter().step_by(2).count() as f64 / ids.len() as f64;
    assert!((losi[2] - met).abs() < 1e-12, "{} vs {met}", losi[2]);
    assert_eq!(
        scores.band("LOSI").unwrap(),
        vec![
            Some("very high"),
            Some("low"),
            Some("middle").filter(|_| met < 0.5).or(Some("high"))
        ]
    );
}

#[test]
fn egdi_reproduces_the_published_index() {
    let b = builtin::get("un-egdi").unwrap();
    let (framework, data, recipe) = (
        b.framework().unwrap(),
        b.data().unwrap(),
        b.recipe().unwrap(),
    );
    assert_eq!(
        data.distinct_periods(),
        [2014, 2016, 2018, 2020, 2022, 2024]
    );
    let mut worst = 0.0_f64;
    for year in data.distinct_periods() {
        let scores =
            cityindex::score(&framework, &data.for_period(year).unwrap(), &recipe).unwrap();
        let table = Table::read(&format!("un-egdi/EGOV_DATA_{year}.csv"));
        let published: HashMap<&str, f64> = table
            .column("Country Name")
            .into_iter()
            .zip(table.column("E-Government Index").into_iter().map(number))
            .collect();
        assert_eq!(scores.units().len(), 193);
        for (unit, egdi) in scores.units().iter().zip(scores.score("EGDI").unwrap()) {
            let name = unit.name.as_deref().unwrap();
            worst = worst.max((egdi - published[name]).abs());
        }
    }
    assert!(worst < 1e-4, "largest difference {worst:e}");
}

#[test]
fn egov_benchmark_reproduces_user_centricity_and_transparency() {
    let b = builtin::get("egov-benchmark-2023").unwrap();
    let scores = cityindex::score(
        &b.framework().unwrap(),
        &b.data().unwrap(),
        &b.recipe().unwrap(),
    )
    .unwrap();
    let table = Table::read("egov-benchmark-2023/egov_benchmark_2023_scores.csv");
    let published: HashMap<(&str, &str), f64> = table
        .rows
        .iter()
        .filter(|r| !r[2].trim().is_empty() && r[2].trim() != ".")
        .map(|r| {
            (
                (r[0].as_str(), r[1].split(' ').next().unwrap_or("")),
                number(&r[2]),
            )
        })
        .collect();
    let mut checked = 0;
    for (r, unit) in scores.units().iter().enumerate() {
        for node in ["1", "2"] {
            let theirs = published[&(unit.id.as_str(), &*format!("{node}."))];
            let ours = scores.score(node).unwrap()[r];
            assert!(
                (ours - theirs).abs() < 1e-4,
                "{} {node}: {ours} vs {theirs}",
                unit.id
            );
            checked += 1;
        }
        // The overall score is the mean of the published key dimensions.
        let dims: Vec<f64> = ["1.", "2.", "3.", "4."]
            .iter()
            .map(|d| published[&(unit.id.as_str(), *d)])
            .collect();
        let overall = published[&(unit.id.as_str(), "0.")];
        assert!(
            (dims.iter().sum::<f64>() / 4.0 - overall).abs() < 1e-4,
            "{}",
            unit.id
        );
    }
    assert_eq!(checked, 2 * 37);
}

/// ITU's U4SSC scoring on a hand-checked city: points per KPI from the share of its target,
/// categories and higher levels as points over maximum points, KPIs without a value or a
/// target left out.
#[test]
fn u4ssc_scores_points_over_maximum_points() {
    let b = builtin::get("u4ssc").unwrap();
    let framework = b.framework().unwrap();
    let ict = framework.position("EC/ICT/ICT Infrastructure").unwrap();
    let kpis: Vec<String> = framework
        .children_of(ict)
        .iter()
        .map(|&c| framework.nodes()[c].id.clone())
        .collect();
    assert!(kpis.len() >= 4, "{kpis:?}");
    // Targets 100 for the first four KPIs of the category; values at 20 %, 50 %, 80 % and 99 %
    // of target: 1 + 2 + 3 + 4 = 10 points of 16. Every other KPI has no target.
    let mut recipe = b.recipe().unwrap();
    for k in &kpis[..4] {
        recipe.normalise.indicators.insert(
            k.clone(),
            cityindex::normalise::Normalisation::TargetBands {
                thresholds: vec![0.33, 0.66, 0.95],
                scale: 100.0,
                target: Some(100.0),
            },
        );
    }
    let values = [20.0, 50.0, 80.0, 99.0];
    let columns = framework
        .indicator_ids()
        .map(|id| {
            let v = kpis[..4]
                .iter()
                .position(|k| k == id)
                .map_or(42.0, |k| values[k]);
            (id.to_owned(), vec![v])
        })
        .collect();
    let data = cityindex::Dataset::new(vec![cityindex::Unit::new("city")], columns).unwrap();
    let scores = cityindex::score(&framework, &data, &recipe).unwrap();
    let at = |node: &str| scores.score(node).unwrap()[0];
    assert_eq!(at(&kpis[0]), 25.0);
    assert_eq!(at(&kpis[3]), 100.0);
    assert_eq!(at("EC/ICT/ICT Infrastructure"), 1000.0 / 16.0);
    // Sub-dimension, dimension and index pool the same four KPIs: the same share.
    for node in ["EC/ICT", "EC", "U4SSC"] {
        assert_eq!(at(node), 1000.0 / 16.0, "{node}");
    }
    assert!(at("EN").is_nan(), "no KPI of Environment has a target");
    // Each KPI left out for want of a target is named in a warning.
    let left_out: Vec<String> = scores
        .warnings()
        .iter()
        .filter_map(|w| match w {
            cityindex::scores::Warning::NoTarget { indicator } => Some(indicator.clone()),
            _ => None,
        })
        .collect();
    let without_target: Vec<String> = framework
        .indicator_ids()
        .filter(|id| !kpis[..4].iter().any(|k| k == id))
        .map(str::to_owned)
        .collect();
    assert_eq!(left_out, without_target);
    assert_eq!(
        scores.warnings()[0].to_string(),
        format!(
            "indicator `{}` has no target for `target_bands` and was left out; its scores are \
             missing",
            without_target[0]
        )
    );
}
