//! Data treatment against COINr 1.1.14: outlier treatment of the ASEM raw data (default and the
//! winmax / log variants) with its `Dets_Table` and `Treated_Points`, and the full example coin
//! (denominate → group-mean imputation → screening → treatment → normalise → aggregate) at every
//! stage, to 1e-9.

use cityindex::prepare::treat::{SkewKurtosis, TreatmentReport};
use cityindex::prepare::{Prepared, Step, StepReport, prepare, prepare_stages};
use cityindex::{Dataset, Recipe};
use cityindex_tests::{CoinrDataset, Table, asem_framework, max_abs_diff, number};

const TOL: f64 = 1e-9;

fn steps(json: &str) -> Vec<Step> {
    Recipe::from_json(&format!(r#"{{"prepare": {json}}}"#))
        .expect("steps")
        .prepare
}

/// The prepared data equal COINr's data set, column by column, units in COINr's order.
fn assert_data_matches(data: &Dataset, reference: &str) {
    let theirs = CoinrDataset::read(reference);
    let units: Vec<&str> = data.units().iter().map(|u| u.id.as_str()).collect();
    assert_eq!(units, theirs.units, "{reference}: units");
    for (id, column) in &theirs.columns {
        let ours = data
            .column(id)
            .unwrap_or_else(|| panic!("{reference}: no column {id}"));
        let (diff, agree) = max_abs_diff(ours, column);
        assert!(agree, "{reference}: missing values differ in {id}");
        assert!(diff <= TOL, "{reference}: {id} differs by {diff:e}");
    }
}

fn treatments(prepared: &Prepared) -> &[TreatmentReport] {
    prepared
        .reports
        .iter()
        .find_map(|r| match r {
            StepReport::Treat { indicators } => Some(indicators.as_slice()),
            _ => None,
        })
        .expect("a treat step")
}

/// The report equals COINr's `Dets_Table` (skew, kurtosis and pass before, after winsorising and
/// after the transformation; points winsorised) and `Treated_Points` (labels per unit).
fn assert_report_matches(reports: &[TreatmentReport], units: &[&str], dets: &str, points: &str) {
    let table = Table::read(dets);
    let labels = Table::read(points);
    assert_eq!(table.rows.len(), reports.len());
    let check = |row: &[String], k: usize, ours: Option<SkewKurtosis>| {
        let prefix = format!("check_SkewKurt{k}");
        let Some(col) = table
            .header
            .iter()
            .position(|h| *h == format!("{prefix}.Pass"))
        else {
            assert!(ours.is_none());
            return;
        };
        match ours {
            None => assert_eq!(row[col], "", "{row:?} {prefix}"),
            Some(c) => {
                assert_eq!(row[col], if c.pass { "TRUE" } else { "FALSE" }, "{row:?}");
                assert!((c.skew - number(&row[col + 1])).abs() <= TOL, "{row:?}");
                assert!((c.kurtosis - number(&row[col + 2])).abs() <= TOL, "{row:?}");
            }
        }
    };
    for (row, report) in table.rows.iter().zip(reports) {
        assert_eq!(row[0], report.indicator);
        check(row, 0, report.before);
        check(row, 1, report.after_winsorising);
        check(row, 2, report.after_transform);
        let nwin = &row[table.col("winsorise.nwin")];
        assert_eq!(
            report.winsorised.map(|n| n.to_string()).unwrap_or_default(),
            *nwin,
            "{row:?}"
        );
        let theirs = labels.column(&report.indicator);
        for (u, (ours, theirs)) in units.iter().zip(report.points.iter().zip(theirs)) {
            assert_eq!(ours, theirs, "{} {u}", report.indicator);
        }
    }
}

fn treat_raw(treat_step: &str, treated: &str, dets: &str, points: &str) {
    let raw = CoinrDataset::read("coinr-asem/A_simple/A_Raw.csv").to_dataset();
    let prepared =
        prepare(&asem_framework(), &raw, &steps(&format!("[{treat_step}]"))).expect("treat");
    assert_data_matches(&prepared.data, treated);
    let units: Vec<&str> = raw.units().iter().map(|u| u.id.as_str()).collect();
    // COINr lists the indicators in the order of its data set, as does the framework here.
    let mut reports = treatments(&prepared).to_vec();
    let order = Table::read(dets)
        .column("iCode")
        .iter()
        .map(|s| (*s).to_owned())
        .collect::<Vec<_>>();
    reports.sort_by_key(|r| order.iter().position(|o| *o == r.indicator));
    assert_report_matches(&reports, &units, dets, points);
}

#[test]
fn default_treatment_reproduces_coinr() {
    treat_raw(
        r#"{"step": "treat"}"#,
        "coinr-asem/A_simple/A_Treated.csv",
        "coinr-asem/A_simple/A_Treated_Dets_Table.csv",
        "coinr-asem/A_simple/A_Treated_Points.csv",
    );
}

#[test]
fn treatment_variants_reproduce_coinr() {
    for (stem, spec) in [
        ("winmax0_logCT", r#"{"winmax": 0}"#),
        ("winmax1_logCT", r#"{"winmax": 1}"#),
        (
            "winmax1_logCTplus",
            r#"{"winmax": 1, "fallback": {"method": "log_ct_plus"}}"#,
        ),
    ] {
        let dir = "coinr-asem/A_treat_variants";
        treat_raw(
            &format!(r#"{{"step": "treat", "default": {spec}}}"#),
            &format!("{dir}/A_Treated_{stem}.csv"),
            &format!("{dir}/A_Treated_{stem}_Dets_Table.csv"),
            &format!("{dir}/A_Treated_{stem}_Points.csv"),
        );
    }
}

/// COINr's `build_example_coin()`: every intermediate data set, the screening summary, the
/// treatment report, and the normalised and aggregated results.
#[test]
fn example_coin_reproduces_every_stage() {
    let framework = asem_framework();
    let data = cityindex_tests::asem_raw_sorted();
    let chain = [
        (r#"{"step": "denominate"}"#, "B_Denominated"),
        (
            r#"{"step": "impute", "default": {"method": "group_mean", "group": "EurAsia_group"}}"#,
            "B_Imputed",
        ),
        (
            r#"{"step": "screen", "units": {"min_availability": 0.9}}"#,
            "B_Screened",
        ),
        (r#"{"step": "treat"}"#, "B_Treated"),
    ];
    for k in 1..=chain.len() {
        let json = chain[..k]
            .iter()
            .map(|(s, _)| *s)
            .collect::<Vec<_>>()
            .join(", ");
        let prepared = prepare(&framework, &data, &steps(&format!("[{json}]"))).expect("prepare");
        assert_data_matches(
            &prepared.data,
            &format!("coinr-asem/B_example_coin/{}.csv", chain[k - 1].1),
        );
        if k == 3 {
            let StepReport::Screen(screen) = &prepared.reports[2] else {
                panic!("screen report")
            };
            let summary = Table::read("coinr-asem/B_example_coin/B_Screened_DataSummary.csv");
            assert_eq!(screen.units.len(), summary.rows.len());
            for (ours, row) in screen.units.iter().zip(&summary.rows) {
                let cell = |name: &str| row[summary.col(name)].as_str();
                assert_eq!(ours.id, cell("uCode"));
                assert_eq!(ours.missing.to_string(), cell("N_missing"));
                assert_eq!(ours.zeros.to_string(), cell("N_zero"));
                assert!((ours.availability - number(cell("Dat_Avail"))).abs() <= TOL);
                assert!((ours.nonzero.unwrap() - number(cell("Non_Zero"))).abs() <= TOL);
                assert_eq!(ours.included, cell("Included") == "TRUE");
            }
            let removed = Table::read("coinr-asem/B_example_coin/B_Screened_RemovedUnits.csv");
            assert_eq!(screen.removed_units().len(), removed.rows.len());
        }
        if k == 4 {
            let units: Vec<&str> = prepared
                .data
                .units()
                .iter()
                .map(|u| u.id.as_str())
                .collect();
            assert_report_matches(
                treatments(&prepared),
                &units,
                "coinr-asem/B_example_coin/B_Treated_Dets_Table.csv",
                "coinr-asem/B_example_coin/B_Treated_Points.csv",
            );
        }
    }
    let recipe = Recipe::from_json(&format!(
        r#"{{"prepare": [{}]}}"#,
        chain.iter().map(|(s, _)| *s).collect::<Vec<_>>().join(", ")
    ))
    .expect("recipe");
    let scores = cityindex::score(&framework, &data, &recipe).expect("scores");
    assert_eq!(scores.preparation().len(), 4);
    for file in ["B_Normalised", "B_Aggregated"] {
        let theirs = CoinrDataset::read(&format!("coinr-asem/B_example_coin/{file}.csv"));
        for (id, column) in &theirs.columns {
            let (diff, agree) = max_abs_diff(scores.score(id).expect("node"), column);
            assert!(agree && diff <= TOL, "{file} {id}: {diff:e}");
        }
    }
    // The same values borrowed, as the Python binding reads a Fortran-ordered array in place:
    // the data set reads the caller's buffer itself, the steps change their own copy, the
    // scores are the same.
    let values = data.values().to_vec();
    let borrowed = cityindex::Dataset::from_parts(
        data.units().to_vec(),
        data.column_ids().to_vec(),
        values.as_slice(),
        data.groups().to_vec(),
        data.periods().map(<[i64]>::to_vec),
    )
    .expect("borrowed data set");
    let again = cityindex::score(&framework, &borrowed, &recipe).expect("scores");
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(again.score_matrix()), bits(scores.score_matrix()));
    assert!(std::ptr::eq(borrowed.values(), values.as_slice()));
}

/// `prepare_stages` keeps COINr's intermediate data sets of the example coin, one per step, and
/// ends where `prepare` does, with the same reports.
#[test]
fn stages_are_the_example_coins_intermediate_data_sets() {
    let framework = asem_framework();
    let data = cityindex_tests::asem_raw_sorted();
    let chain = steps(
        r#"[{"step": "denominate"},
            {"step": "impute", "default": {"method": "group_mean", "group": "EurAsia_group"}},
            {"step": "screen", "units": {"min_availability": 0.9}}, {"step": "treat"}]"#,
    );
    let stages = prepare_stages(&framework, &data, &chain).expect("stages");
    let names = ["B_Denominated", "B_Imputed", "B_Screened", "B_Treated"];
    assert_eq!(stages.len(), names.len());
    for (stage, name) in stages.iter().zip(names) {
        assert_data_matches(
            &stage.data,
            &format!("coinr-asem/B_example_coin/{name}.csv"),
        );
    }
    let prepared = prepare(&framework, &data, &chain).expect("prepare");
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    let last = &stages[names.len() - 1].data;
    assert_eq!(bits(last.values()), bits(prepared.data.values()));
    assert_eq!(last.units(), prepared.data.units());
    let reports: Vec<&StepReport> = stages.iter().map(|s| &s.report).collect();
    assert_eq!(reports, prepared.reports.iter().collect::<Vec<_>>());
    assert!(matches!(stages[2].report, StepReport::Screen(_)));
    // How many things each step changed, counted from COINr's data sets: the indicators the
    // denominators changed, the cells missing before imputation and present after, the units
    // screened out, and the indicators winsorised.
    let table = |name: &str| Table::read(&format!("coinr-asem/B_example_coin/{name}.csv"));
    let (raw, denominated, imputed) = (table("B_Raw"), table("B_Denominated"), table("B_Imputed"));
    let indicators = &imputed.header[1..];
    let divided = indicators
        .iter()
        .filter(|c| raw.column(c) != denominated.column(c))
        .count();
    let missing = |t: &Table| {
        indicators
            .iter()
            .map(|c| t.column(c).iter().filter(|v| v.is_empty()).count())
            .sum::<usize>()
    };
    let winsorised = table("B_Treated_Dets_Table")
        .column("winsorise.nwin")
        .iter()
        .filter(|n| !n.is_empty() && number(n) > 0.0)
        .count();
    let removed = table("B_Screened_RemovedUnits").rows.len();
    let changed: Vec<usize> = stages.iter().map(|s| s.report.changed()).collect();
    assert_eq!(
        changed,
        [
            divided,
            missing(&denominated) - missing(&imputed),
            removed,
            winsorised
        ]
    );
    assert!(
        changed[0] > 0 && changed[1] > 0 && changed[3] > 0,
        "{changed:?}"
    );
    // An invalid step fails as in `prepare`, naming what is wrong.
    let unknown = steps(r#"[{"step": "treat", "indicators": {"nope": {}}}]"#);
    let error = prepare_stages(&framework, &data, &unknown).expect_err("unknown indicator");
    assert!(error.to_string().contains("nope"), "{error}");
}

/// COINr's `D_functions` vectors of the treatment functions, on x = (1, …, 10, 30, 100).
#[test]
fn coinr_treatment_function_vectors() {
    use cityindex::prepare::treat::{Fallback, Thresholds, winsorise};
    let table = Table::read("coinr-asem/D_functions/D_function_vectors.csv");
    let x: Vec<f64> = table.column("x").into_iter().map(number).collect();
    let check = |name: &str, ours: &[f64]| {
        let theirs: Vec<f64> = table.column(name).into_iter().map(number).collect();
        let (diff, agree) = max_abs_diff(ours, &theirs);
        assert!(agree && diff <= 1e-12, "{name}: {diff:e}");
    };
    let mut w = x.clone();
    let win = winsorise(&mut w, 5, Thresholds::default());
    check("winsorise_default", &w);
    let labels: Vec<&str> = table.column("winsorise_treated");
    assert_eq!(win.labels, labels);
    for (name, fallback) in [
        ("log_CT", Fallback::LogCt),
        ("log_CT_plus", Fallback::LogCtPlus),
        ("log_CT_orig", Fallback::LogCtOrig),
        ("boxcox_l2", Fallback::BoxCox { lambda: 2.0 }),
    ] {
        let mut v = x.clone();
        fallback.apply(&mut v);
        check(name, &v);
    }
    let summary = Table::read("coinr-asem/D_functions/D_skew_kurt_winsor_summary.csv");
    let c = SkewKurtosis::of(&x, Thresholds::default()).unwrap();
    let row = &summary.rows[0];
    assert!(
        (c.skew - number(&row[0])).abs() <= 1e-12 && (c.kurtosis - number(&row[1])).abs() <= 1e-12
    );
    assert_eq!(c.pass, row[2] == "TRUE");
    assert_eq!(win.count.to_string(), row[3]);
}
