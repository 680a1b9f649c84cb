//! Every kind of bad input gets an error that names what is wrong — never a panic, never a
//! silent `NaN`.

use cityindex::{DataError, Dataset, Framework, FrameworkError, Node, Recipe, ScoreError, Unit};

fn two_indicators() -> Framework {
    Framework::new(vec![
        Node::aggregate("index", None),
        Node::indicator("a", Some("index")),
        Node::indicator("b", Some("index")),
    ])
    .unwrap()
}

fn data(a: Vec<f64>, b: Vec<f64>) -> Dataset<'static> {
    let units = (0..a.len()).map(|i| Unit::new(&format!("u{i}"))).collect();
    Dataset::new(units, vec![("a".into(), a), ("b".into(), b)]).unwrap()
}

fn score_err(framework: &Framework, data: &Dataset, recipe: &str) -> cityindex::Error {
    cityindex::score(framework, data, &Recipe::from_json(recipe).unwrap()).unwrap_err()
}

#[test]
fn empty_framework() {
    assert_eq!(Framework::new(vec![]), Err(FrameworkError::Empty));
    assert_eq!(
        Framework::from_json(r#"{"nodes": []}"#),
        Err(FrameworkError::Empty)
    );
    assert_eq!(
        Framework::from_table_csv("iCode,Parent\n".as_bytes()),
        Err(FrameworkError::Empty)
    );
}

#[test]
fn unknown_parent_cycle_and_duplicate_ids() {
    let err = Framework::new(vec![Node::indicator("a", Some("nowhere"))]).unwrap_err();
    assert_eq!(err.to_string(), "node `a` names unknown parent `nowhere`");
    let err =
        Framework::from_table_csv("iCode,Parent,Type\nx,y,Aggregate\ny,x,Aggregate\n".as_bytes())
            .unwrap_err();
    assert!(matches!(err, FrameworkError::Cycle { .. }), "{err}");
    let err = Framework::new(vec![
        Node::aggregate("i", None),
        Node::indicator("a", Some("i")),
        Node::indicator("a", Some("i")),
    ])
    .unwrap_err();
    assert_eq!(err, FrameworkError::DuplicateId { id: "a".into() });
}

#[test]
fn bad_weights() {
    for w in [f64::NAN, f64::INFINITY, -1.0] {
        let err = Framework::new(vec![
            Node::aggregate("i", None),
            Node::indicator("a", Some("i")).with_weight(w),
        ])
        .unwrap_err();
        assert!(
            matches!(err, FrameworkError::InvalidWeight { ref node, .. } if node == "a"),
            "{err}"
        );
    }
    let err = Framework::new(vec![
        Node::aggregate("i", None),
        Node::indicator("a", Some("i")).with_weight(0.0),
        Node::indicator("b", Some("i")).with_weight(0.0),
    ])
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the weights of the children of `i` sum to zero"
    );
    // The same through recipe weights, and a negative recipe weight.
    let d = data(vec![1.0, 2.0], vec![3.0, 4.0]);
    let err = score_err(&two_indicators(), &d, r#"{"weights": {"a": 0, "b": 0}}"#);
    assert!(
        err.to_string().contains("children of `index` sum to zero"),
        "{err}"
    );
    let err = score_err(&two_indicators(), &d, r#"{"weights": {"a": -2}}"#);
    assert!(err.to_string().contains("`a`"), "{err}");
    let err = score_err(&two_indicators(), &d, r#"{"weights": {"zz": 1}}"#);
    assert!(
        matches!(err, cityindex::Error::Score(ScoreError::UnknownId { .. })),
        "{err}"
    );
}

#[test]
fn structural_errors_in_tables_and_documents() {
    let err =
        Framework::from_table_csv("iCode,Parent,Level\ni,,2\na,i,2\n".as_bytes()).unwrap_err();
    assert!(
        matches!(err, FrameworkError::LevelMismatch { ref node, given: 2, computed: 1 } if node == "a")
    );
    let err =
        Framework::from_table_csv("iCode,Parent,Direction\ni,,\na,i,2\n".as_bytes()).unwrap_err();
    assert!(
        matches!(err, FrameworkError::InvalidDirection { .. }),
        "{err}"
    );
    let err =
        Framework::from_table_csv("iCode,Parent,Weight\ni,,\na,i,heavy\n".as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "framework table, line 3: weight `heavy` is not a number"
    );
    let err = Framework::from_table_csv("iCode,Type\ni,Aggregate\n".as_bytes()).unwrap_err();
    assert_eq!(err, FrameworkError::EmptyAggregate { node: "i".into() });
    let err =
        Framework::from_json(r#"{"nodes": [{"id": "i", "target": 3, "children": [{"id": "a"}]}]}"#)
            .unwrap_err();
    assert!(matches!(
        err,
        FrameworkError::IndicatorFieldOnAggregate {
            field: "target",
            ..
        }
    ));
    let err = Framework::from_json(r#"{"nodes": [{"id": "a", "weigth": 2}]}"#).unwrap_err();
    assert!(err.to_string().contains("unknown field `weigth`"), "{err}");
    let err = Framework::from_json("{not json").unwrap_err();
    assert_eq!(err.code(), "framework.json");
    let err =
        Framework::from_json(r#"{"nodes": [{"id": "a", "goalposts": {"min": 1, "max": 1}}]}"#)
            .unwrap_err();
    assert!(matches!(err, FrameworkError::InvalidGoalposts { .. }));
    let err = Framework::from_json(
        r#"{"nodes": [{"id": "a", "scale": {"type": "ordinal", "levels": []}}]}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("no levels"), "{err}");
}

#[test]
fn indicator_without_data_and_unclaimed_column() {
    let units = vec![Unit::new("x"), Unit::new("y")];
    let only_a = Dataset::new(units.clone(), vec![("a".into(), vec![1.0, 2.0])]).unwrap();
    let err = cityindex::score(&two_indicators(), &only_a, &Recipe::default()).unwrap_err();
    assert_eq!(err.to_string(), "indicator `b` has no data column");
    // A column no indicator claims is ignored, with a warning (the documented choice).
    let extra = Dataset::new(
        units,
        vec![
            ("a".into(), vec![1.0, 2.0]),
            ("b".into(), vec![1.0, 3.0]),
            ("c".into(), vec![0.0, 0.0]),
        ],
    )
    .unwrap();
    let scores = cityindex::score(&two_indicators(), &extra, &Recipe::default()).unwrap();
    assert_eq!(scores.warnings().len(), 1);
    assert_eq!(
        scores.warnings()[0].to_string(),
        "data column `c` is not an indicator of the framework and was ignored"
    );
}

#[test]
fn bad_data() {
    let units = vec![Unit::new("x"), Unit::new("y")];
    let err =
        Dataset::new(units.clone(), vec![("a".into(), vec![1.0, f64::INFINITY])]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "value inf for unit `y` in column `a` is not finite"
    );
    let err = Dataset::new(units.clone(), vec![("a".into(), vec![1.0])]).unwrap_err();
    assert!(matches!(
        err,
        DataError::LengthMismatch {
            expected: 2,
            found: 1,
            ..
        }
    ));
    let err = Dataset::new(vec![Unit::new("x"), Unit::new("x")], vec![]).unwrap_err();
    assert_eq!(err, DataError::DuplicateUnit { unit: "x".into() });
    for blank in ["", " ", "\t\u{a0}"] {
        let err = Dataset::new(vec![Unit::new("x"), Unit::new(blank)], vec![]).unwrap_err();
        assert_eq!(err, DataError::EmptyUnitId { position: 1 }, "{blank:?}");
        assert_eq!(err.to_string(), "unit number 2 has an empty id");
    }
    let err = Dataset::new(
        units,
        vec![("a".into(), vec![1.0, 2.0]), ("a".into(), vec![1.0, 2.0])],
    )
    .unwrap_err();
    assert!(matches!(err, DataError::DuplicateColumn { .. }));
    let layout = cityindex::CsvLayout::default();
    let err = Dataset::from_csv("uCode,a\nx,1\ny,seven\n".as_bytes(), &layout).unwrap_err();
    assert_eq!(
        err.to_string(),
        "column `a`, line 3: `seven` is not a number"
    );
    let err = Dataset::from_csv("uCode,a\nx,1\ny,-inf\n".as_bytes(), &layout).unwrap_err();
    assert!(matches!(err, DataError::NonFinite { .. }), "{err}");
    let err = Dataset::from_csv("code,a\nx,1\n".as_bytes(), &layout).unwrap_err();
    assert_eq!(err.to_string(), "the data has no `uCode` column");
    let err = Dataset::from_csv("uCode,a\nx,1,2\n".as_bytes(), &layout).unwrap_err();
    assert_eq!(err.code(), "data.csv");
    let err =
        Dataset::from_json(r#"{"units": [{"id": "x"}], "columns": {"a": [1, 2]}}"#).unwrap_err();
    assert!(matches!(err, DataError::LengthMismatch { .. }));
    let err =
        Dataset::from_json(r#"{"units": [{"id": "x"}], "columns": {"a": ["1"]}}"#).unwrap_err();
    assert_eq!(err.code(), "data.json");
}

#[test]
fn no_units_and_several_periods() {
    let empty = Dataset::new(vec![], vec![("a".into(), vec![]), ("b".into(), vec![])]).unwrap();
    let err = cityindex::score(&two_indicators(), &empty, &Recipe::default()).unwrap_err();
    assert_eq!(err.code(), "score.no_units");
    let panel = Dataset::from_csv(
        "uCode,Time,a,b\nx,2020,1,2\nx,2021,2,3\ny,2020,3,1\n".as_bytes(),
        &cityindex::CsvLayout::default(),
    )
    .unwrap();
    let err = cityindex::score(&two_indicators(), &panel, &Recipe::default()).unwrap_err();
    assert!(matches!(
        err,
        cityindex::Error::Data(cityindex::DataError::SeveralPeriods {
            count: 2,
            first: 2020,
            last: 2021
        })
    ));
    assert!(err.to_string().starts_with(
        "the data hold 2 periods (2020–2021); choose one (`period` in Python and JavaScript"
    ));
    assert!(
        cityindex::score(
            &two_indicators(),
            &panel.for_period(2020).unwrap(),
            &Recipe::default()
        )
        .is_ok()
    );
    assert!(matches!(
        panel.for_period(1999),
        Err(DataError::UnknownPeriod { period: 1999 })
    ));
}

#[test]
fn degenerate_columns() {
    let d = data(vec![2.0, 2.0, 2.0], vec![1.0, 2.0, 3.0]);
    let fw = two_indicators();
    let err = score_err(
        &fw,
        &d,
        r#"{"normalise": {"default": {"method": "z_score"}}}"#,
    );
    assert_eq!(
        err.to_string(),
        "indicator `a`: z_score is undefined because the column is constant (standard deviation 0)"
    );
    for method in ["min_max", "distance_to_max"] {
        let err = score_err(
            &fw,
            &d,
            &format!(r#"{{"normalise": {{"default": {{"method": "{method}"}}}}}}"#),
        );
        assert_eq!(err.code(), "score.degenerate_column", "{method}");
    }
    let zeros = data(vec![0.0, -1.0, -2.0], vec![1.0, 2.0, 3.0]);
    let err = score_err(
        &fw,
        &zeros,
        r#"{"normalise": {"default": {"method": "fraction_of_max"}}}"#,
    );
    assert!(err.to_string().contains("values of zero or more"), "{err}");
    let zeros = data(vec![0.0, -1.0, -2.0], vec![1.0, 2.0, 3.0]);
    let err = score_err(
        &fw,
        &zeros,
        r#"{"normalise": {"default": {"method": "fraction_of_max", "coinr_sign": true}}}"#,
    );
    assert!(err.to_string().contains("the maximum is zero"), "{err}");
    let one = data(vec![1.0, f64::NAN], vec![1.0, 2.0]);
    let err = score_err(
        &fw,
        &one,
        r#"{"normalise": {"default": {"method": "percentile_rank"}}}"#,
    );
    assert!(err.to_string().contains("`a`"), "{err}");
}

#[test]
fn geometric_and_harmonic_means_over_non_positive_values() {
    let d = data(vec![1.0, 2.0, 3.0], vec![1.0, 2.0, 3.0]);
    let fw = two_indicators();
    for method in ["geometric_mean", "harmonic_mean"] {
        let recipe = format!(
            r#"{{"normalise": {{"default": {{"method": "none"}}, "indicators": {{"b": {{"method": "z_score"}}}}}},
                "aggregate": {{"default": {{"method": "{method}"}}}}}}"#
        );
        let err = score_err(&fw, &d, &recipe);
        assert!(
            matches!(&err, cityindex::Error::Score(ScoreError::OutsideDomain { node, unit, child, .. })
                if node == "index" && unit == "u0" && child == "b"),
            "{err}"
        );
    }
    // With a floor, the z-scores stay positive and the geometric mean is defined.
    let floored = Recipe::from_json(
        r#"{"normalise": {"default": {"method": "none"}, "indicators": {"b": {"method": "z_score", "floor": 0.01}}},
            "aggregate": {"default": {"method": "geometric_mean"}}}"#,
    )
    .unwrap();
    let scores = cityindex::score(&fw, &d, &floored).unwrap();
    let index = scores.score("index").unwrap();
    // b's z-scores are −1, 0, 1: the first two are raised to the floor.
    for (got, want) in index
        .iter()
        .zip([0.01_f64.sqrt(), 0.02_f64.sqrt(), 3.0_f64.sqrt()])
    {
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    }
    let bad_floor = cityindex::normalise::Normalisation::ZScore {
        mean: 10.0,
        sd: 2.0,
        deviation: cityindex::normalise::Deviation::Sample,
        floor: Some(f64::NAN),
    };
    assert!(
        bad_floor
            .validate()
            .unwrap_err()
            .to_string()
            .contains("floor (NaN) must be finite")
    );
    let err = score_err(
        &fw,
        &d,
        r#"{"aggregate": {"default": {"method": "generalised_mean", "p": 0}}}"#,
    );
    assert!(
        err.to_string().contains("p = 0 is the geometric mean"),
        "{err}"
    );
}

#[test]
fn a_unit_with_every_value_missing_has_missing_scores_and_no_rank() {
    let d = data(vec![1.0, f64::NAN, 3.0], vec![2.0, f64::NAN, 1.0]);
    for recipe in [
        "{}",
        r#"{"normalise": {"default": {"method": "z_score"}}}"#,
        r#"{"normalise": {"default": {"method": "rank"}}, "aggregate": {"default": {"method": "geometric_mean"}}}"#,
        r#"{"aggregate": {"default": {"method": "copeland"}}}"#,
    ] {
        let scores =
            cityindex::score(&two_indicators(), &d, &Recipe::from_json(recipe).unwrap()).unwrap();
        for node in ["a", "b", "index"] {
            assert!(scores.score(node).unwrap()[1].is_nan(), "{recipe} {node}");
            assert!(scores.rank(node).unwrap()[1].is_nan(), "{recipe} {node}");
            assert_eq!(scores.coverage(node).unwrap()[1], 0.0);
            assert!(!scores.score(node).unwrap()[0].is_nan());
        }
    }
}

#[test]
fn bad_recipes() {
    let d = data(vec![1.0, 2.0], vec![3.0, 4.0]);
    let fw = two_indicators();
    let err =
        Recipe::from_json(r#"{"normalise": {"default": {"method": "min_maxx"}}}"#).unwrap_err();
    assert!(
        err.code() == "method.unknown"
            && err.to_string().starts_with(
                "`normalise.default.method`: unknown `min_maxx` (did you mean `min_max`?); \
                 the valid ones are `min_max`, `goalposts`,"
            ),
        "{err}"
    );
    let err = Recipe::from_json(r#"{"normalize": {}}"#).unwrap_err();
    assert!(
        err.to_string().contains("unknown field `normalize`"),
        "{err}"
    );
    for (recipe, needle) in [
        (
            r#"{"normalise": {"default": {"method": "min_max", "lo": 5, "hi": 5}}}"#,
            "lo (5) must be below hi (5)",
        ),
        (
            r#"{"normalise": {"indicators": {"index": {"method": "rank"}}}}"#,
            "`index`, which is not an indicator",
        ),
        (
            r#"{"aggregate": {"nodes": {"a": {"method": "copeland"}}}}"#,
            "`a`, which is not an aggregate",
        ),
        (
            r#"{"aggregate": {"levels": {"7": {"method": "copeland"}}}}"#,
            "`7`",
        ),
        (
            r#"{"aggregate": {"availability_threshold": 1.5}}"#,
            "1.5 is not between 0 and 1",
        ),
        (r#"{"banding": {"bands": []}}"#, "there are no bands"),
        (
            r#"{"banding": {"nodes": ["q"], "bands": [{"label": "x"}]}}"#,
            "`q`",
        ),
        (
            r#"{"normalise": {"default": {"method": "goalposts"}}}"#,
            "needs goalposts",
        ),
        (
            r#"{"normalise": {"default": {"method": "distance_to_target"}}}"#,
            "needs a target",
        ),
        (
            r#"{"normalise": {"default": {"method": "categorical"}}}"#,
            "continuous scale",
        ),
    ] {
        let err = score_err(&fw, &d, recipe);
        assert!(err.to_string().contains(needle), "{recipe}: {err}");
    }
}

#[test]
fn values_off_a_categorical_scale() {
    let fw = Framework::from_json(
        r#"{"nodes": [{"id": "i", "children": [{"id": "a", "scale": {"type": "yes_no"}},
            {"id": "b", "scale": {"type": "ordinal", "levels": [{"value": 1, "score": 0}, {"value": 2, "score": 100}]}}]}]}"#,
    )
    .unwrap();
    let recipe = r#"{"normalise": {"default": {"method": "categorical"}}}"#;
    let err = score_err(&fw, &data(vec![1.0, 0.5], vec![1.0, 2.0]), recipe);
    assert_eq!(
        err.to_string(),
        "indicator `a`: value 0.5 of unit `u1` is not a level of its yes/no scale"
    );
    let err = score_err(&fw, &data(vec![1.0, 0.0], vec![1.0, 3.0]), recipe);
    assert!(err.to_string().contains("ordinal"), "{err}");
}

/// Every error code is stable and distinct per variant family.
#[test]
fn error_codes_name_their_domain() {
    let e: cityindex::Error = FrameworkError::Empty.into();
    assert_eq!(e.code(), "framework.empty");
    let e: cityindex::Error = DataError::UnknownPeriod { period: 1 }.into();
    assert_eq!(e.code(), "data.unknown_period");
    let e: cityindex::Error = ScoreError::NoUnits.into();
    assert_eq!(e.code(), "score.no_units");
}

/// A chain deeper than any real framework is refused before anything walks it, so no input can
/// exhaust the stack.
#[test]
fn a_framework_too_deep_is_refused() {
    let limit = cityindex::framework::MAX_DEPTH;
    let chain = |depth: usize| {
        let mut nodes = vec![Node::aggregate("n0", None)];
        for i in 1..depth {
            nodes.push(Node::aggregate(
                &format!("n{i}"),
                Some(&format!("n{}", i - 1)),
            ));
        }
        nodes.push(Node::indicator("leaf", Some(&format!("n{}", depth - 1))));
        nodes
    };
    assert!(Framework::new(chain(limit)).is_ok());
    let err = Framework::new(chain(100_000)).unwrap_err();
    assert!(matches!(err, FrameworkError::TooDeep { .. }), "{err}");
    // Parents listed after their children are fine too.
    let mut reversed = chain(limit);
    reversed.reverse();
    assert!(Framework::new(reversed).is_ok());
}

fn prepare_with(
    framework: &Framework,
    data: &Dataset,
    steps: &str,
) -> Result<cityindex::prepare::Prepared, ScoreError> {
    let recipe = Recipe::from_json(&format!(r#"{{"prepare": {steps}}}"#)).unwrap();
    cityindex::prepare::prepare(framework, data, &recipe.prepare)
}

fn with_denominator() -> Framework {
    Framework::from_json(
        r#"{"data_columns": [{"id": "pop", "kind": "denominator"}, {"id": "region", "kind": "group"}],
            "nodes": [{"id": "index", "children": [{"id": "a", "denominator": "pop"}, {"id": "b"}]}]}"#,
    )
    .unwrap()
}

fn panel_csv(text: &str) -> Result<Dataset<'static>, DataError> {
    Dataset::from_csv(
        text.as_bytes(),
        &cityindex::CsvLayout::with_groups(["region"]),
    )
}

#[test]
fn zero_or_missing_denominators_give_recorded_missing_values() {
    let data =
        panel_csv("uCode,region,pop,a,b\nx,N,10,5,1\ny,N,0,5,2\nz,S,,5,3\nw,S,4,,4\n").unwrap();
    let prepared = prepare_with(
        &with_denominator(),
        &data,
        r#"[{"step": "denominate", "scale": 100}]"#,
    )
    .unwrap();
    let a = prepared.data.column("a").unwrap();
    assert_eq!(a[0], 50.0);
    assert!(a[1].is_nan() && a[2].is_nan() && a[3].is_nan());
    let cityindex::prepare::StepReport::Denominate(report) = &prepared.reports[0] else {
        panic!()
    };
    let undefined: Vec<(&str, Option<f64>)> = report
        .undefined
        .iter()
        .map(|u| (u.unit.as_str(), u.value))
        .collect();
    assert_eq!(undefined, [("y", Some(0.0)), ("z", None)]);
    // A denominator the data do not have is an error naming it.
    let no_pop = panel_csv("uCode,a,b\nx,1,2\n").unwrap();
    let err =
        prepare_with(&with_denominator(), &no_pop, r#"[{"step": "denominate"}]"#).unwrap_err();
    assert!(err.to_string().contains("`pop`"), "{err}");
}

#[test]
fn group_imputation_errors_and_fallbacks() {
    let data =
        panel_csv("uCode,region,pop,a,b\nx,N,1,1,1\ny,N,1,3,\nz,S,1,,5\nw,S,1,,7\n").unwrap();
    let err = prepare_with(
        &with_denominator(),
        &data,
        r#"[{"step": "impute", "default": {"method": "group_mean", "group": "nope"}}]"#,
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "the data have no group column `nope`");
    let prepared = prepare_with(
        &with_denominator(),
        &data,
        r#"[{"step": "impute", "default": {"method": "group_mean", "group": "region"}}]"#,
    )
    .unwrap();
    // Group S has no value of `a`: its units get the overall mean, and the record says so.
    assert_eq!(prepared.data.column("a").unwrap(), [1.0, 3.0, 2.0, 2.0]);
    assert_eq!(prepared.data.column("b").unwrap()[1], 1.0);
    let cityindex::prepare::StepReport::Impute(report) = &prepared.reports[0] else {
        panic!()
    };
    let methods: Vec<&str> = report.cells.iter().map(|c| c.method.as_str()).collect();
    assert_eq!(
        methods,
        [
            "mean (group has no value)",
            "mean (group has no value)",
            "group_mean"
        ]
    );
    let err = prepare_with(
        &with_denominator(),
        &data,
        r#"[{"step": "impute", "default": {"method": "latest"}}]"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("need a panel"), "{err}");
}

#[test]
fn panel_imputation_latest_and_linear() {
    let data = panel_csv(
        "uCode,Time,region,pop,a,b\nx,2020,N,1,1,1\nx,2021,N,1,,1\nx,2023,N,1,7,1\ny,2020,S,1,,2\ny,2021,S,1,4,2\n",
    )
    .unwrap();
    let latest = prepare_with(
        &with_denominator(),
        &data,
        r#"[{"step": "impute", "default": {"method": "latest"}}]"#,
    )
    .unwrap();
    let a = latest.data.column("a").unwrap();
    assert_eq!(a[1], 1.0);
    assert!(a[3].is_nan(), "no earlier value: stays missing");
    let linear = prepare_with(
        &with_denominator(),
        &data,
        r#"[{"step": "impute", "default": {"method": "linear"}}]"#,
    )
    .unwrap();
    assert_eq!(
        linear.data.column("a").unwrap()[1],
        3.0,
        "one third of the way from 2020 to 2023"
    );
    let cityindex::prepare::StepReport::Impute(report) = &linear.reports[0] else {
        panic!()
    };
    assert_eq!(report.still_missing, 1);
}

/// COINr's `impute_panel` test of `imp_type = "linear"` (one unit, 2020–2022): gaps at the start,
/// in the middle and at the end; with `"ends": "nearest"` COINr's numbers (`approx(rule = 2)`),
/// by default the ends stay missing. `latest` with nearest ends is COINr's `"constant"`.
#[test]
fn panel_imputation_ends_as_coinr_and_by_default() {
    let data = panel_csv(
        "uCode,Time,pop,a,b\nA,2020,1,3,\nA,2021,1,,5\nA,2022,1,5,6\nB,2020,1,7,\nB,2021,1,8,\nB,2022,1,,9\n",
    )
    .unwrap();
    let run = |method: &str| {
        let prepared = prepare_with(
            &with_denominator(),
            &data,
            &format!(r#"[{{"step": "impute", "default": {method}}}]"#),
        )
        .unwrap();
        let column = |id: &str| prepared.data.column(id).unwrap().to_vec();
        (column("a"), column("b"))
    };
    let nan = f64::NAN;
    let same = |x: &[f64], y: &[f64]| {
        x.len() == y.len()
            && x.iter()
                .zip(y)
                .all(|(p, q)| p == q || (p.is_nan() && q.is_nan()))
    };
    // a: A = (3, NA, 5), B = (7, 8, NA); b: A = (NA, 5, 6), B = (NA, NA, 9).
    let (a, b) = run(r#"{"method": "linear", "ends": "nearest"}"#);
    assert!(same(&a, &[3.0, 4.0, 5.0, 7.0, 8.0, 8.0]), "{a:?}");
    assert!(same(&b, &[5.0, 5.0, 6.0, 9.0, 9.0, 9.0]), "{b:?}");
    let (a, b) = run(r#"{"method": "linear"}"#);
    assert!(same(&a, &[3.0, 4.0, 5.0, 7.0, 8.0, nan]), "{a:?}");
    assert!(same(&b, &[nan, 5.0, 6.0, nan, nan, 9.0]), "{b:?}");
    let (a, b) = run(r#"{"method": "latest", "ends": "nearest"}"#);
    assert!(same(&a, &[3.0, 3.0, 5.0, 7.0, 8.0, 8.0]), "{a:?}");
    assert!(same(&b, &[5.0, 5.0, 6.0, 9.0, 9.0, 9.0]), "{b:?}");
    let (a, b) = run(r#"{"method": "latest"}"#);
    assert!(same(&a, &[3.0, 3.0, 5.0, 7.0, 8.0, 8.0]), "{a:?}");
    assert!(same(&b, &[nan, 5.0, 6.0, nan, nan, 9.0]), "{b:?}");
    // The record says how each end was filled; a misspelt end is an error naming the choices.
    let prepared = prepare_with(
        &with_denominator(),
        &data,
        r#"[{"step": "impute", "default": {"method": "linear", "ends": "nearest"}}]"#,
    )
    .unwrap();
    let cityindex::prepare::StepReport::Impute(report) = &prepared.reports[0] else {
        panic!()
    };
    let methods: Vec<&str> = report.cells.iter().map(|c| c.method.as_str()).collect();
    assert_eq!(
        methods,
        [
            "linear",
            "linear (nearest observed)",
            "linear (nearest observed)",
            "linear (nearest observed)",
            "linear (nearest observed)"
        ]
    );
    let err = cityindex::Recipe::from_json(
        r#"{"prepare": [{"step": "impute", "default": {"method": "linear", "ends": "flat"}}]}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("the valid ones are `missing`, `nearest`"),
        "{err}"
    );
}

#[test]
fn bad_panels() {
    let err = panel_csv("uCode,Time,a,b\nx,2020,1,1\nx,2020,2,2\n").unwrap_err();
    assert_eq!(err, DataError::DuplicateUnit { unit: "x".into() });
    let err = panel_csv("uCode,Time,a,b\nx,2020,1,1\nx,soon,2,2\n").unwrap_err();
    assert_eq!(err.to_string(), "line 3: period `soon` is not an integer");
    let err = panel_csv("uCode,Time,a,b\nx,2020.5,1,1\n").unwrap_err();
    assert!(matches!(err, DataError::InvalidPeriod { .. }));
}

#[test]
fn treatment_of_short_columns_and_negative_values() {
    let fw = two_indicators();
    // Three values: skewness and kurtosis are undefined, so the column is left as it is.
    let d = data(vec![1.0, 2.0, 300.0], vec![1.0, 2.0, 3.0]);
    let prepared = prepare_with(&fw, &d, r#"[{"step": "treat"}]"#).unwrap();
    assert_eq!(prepared.data.column("a").unwrap(), [1.0, 2.0, 300.0]);
    let cityindex::prepare::StepReport::Treat { indicators } = &prepared.reports[0] else {
        panic!()
    };
    assert!(
        indicators[0]
            .note
            .as_deref()
            .unwrap()
            .contains("fewer than 4 values")
    );
    // Negative values with a heavy tail: log_CT shifts by the minimum first (as COINr), so
    // every result is finite.
    let mut a: Vec<f64> = (0..20).map(|i| -50.0 + f64::from(i)).collect();
    a.push(1e6);
    let d = data(a.clone(), (0..21).map(f64::from).collect());
    let prepared =
        prepare_with(&fw, &d, r#"[{"step": "treat", "default": {"winmax": 0}}]"#).unwrap();
    let treated = prepared.data.column("a").unwrap();
    assert!(treated.iter().all(|v| v.is_finite()));
    let cityindex::prepare::StepReport::Treat { indicators } = &prepared.reports[0] else {
        panic!()
    };
    assert_eq!(indicators[0].transform.as_deref(), Some("log_CT"));
    let err = prepare_with(&fw, &d, r#"[{"step": "treat", "exempt": ["index"]}]"#).unwrap_err();
    assert!(matches!(err, ScoreError::UnknownId { .. }), "{err}");
}

#[test]
fn screening_every_unit_away_is_an_error() {
    let d = data(vec![1.0, f64::NAN], vec![f64::NAN, f64::NAN]);
    let recipe =
        Recipe::from_json(r#"{"prepare": [{"step": "screen", "units": {"min_availability": 1}}]}"#)
            .unwrap();
    let err = cityindex::score(&two_indicators(), &d, &recipe).unwrap_err();
    assert_eq!(err.code(), "score.no_units");
    let bad =
        Recipe::from_json(r#"{"prepare": [{"step": "screen", "units": {"min_availability": 2}}]}"#)
            .unwrap();
    let err = cityindex::score(&two_indicators(), &d, &bad).unwrap_err();
    assert!(err.to_string().contains("between 0 and 1"), "{err}");
}

#[test]
fn values_outside_goalposts_are_named_in_a_warning() {
    let fw = Framework::from_json(
        r#"{"nodes": [{"id": "index", "children": [
            {"id": "a", "goalposts": {"min": 0, "max": 1}},
            {"id": "b", "goalposts": {"min": 0, "max": 1}}]}]}"#,
    )
    .unwrap();
    let d = data(vec![0.5, 1.2, 1.5], vec![0.2, 0.4, 0.6]);
    for (clamp, fate, top) in [
        (true, "clamped to the ends", 100.0),
        (false, "scored past the ends", 150.0),
    ] {
        let recipe = Recipe::from_json(&format!(
            r#"{{"normalise": {{"default": {{"method": "goalposts", "scale": 100, "clamp": {clamp}}}}}}}"#
        ))
        .unwrap();
        let s = cityindex::score(&fw, &d, &recipe).unwrap();
        assert_eq!(s.score("a").unwrap()[2], top);
        let warnings: Vec<String> = s.warnings().iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with(
                "indicator `a`: 2 values lie outside its goalposts [0, 1] (first `u1`: 1.2), "
            ) && warnings[0].contains(fate),
            "{}",
            warnings[0]
        );
    }
}
