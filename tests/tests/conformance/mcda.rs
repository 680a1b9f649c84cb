//! pymcdm 1.4.0: the normalisations the core shares with it reproduce to 1e-12 on the 10 × 5
//! decision matrix. pymcdm reverses cost criteria inside each method; cityindex multiplies by the
//! direction first (as COINr does), which gives the same numbers for min-max and z-scores.

use cityindex::normalise::Normalisation;
use cityindex::{Framework, Recipe};
use cityindex_tests::{Table, max_abs_diff, number};

fn matrix_inputs() -> (Framework, cityindex::Dataset<'static>) {
    cityindex_tests::mcda_inputs()
}

fn score_matrix_with(recipe: &Recipe) -> (Vec<String>, cityindex::Scores) {
    let (framework, data) = matrix_inputs();
    let ids = framework.indicator_ids().map(str::to_owned).collect();
    (
        ids,
        cityindex::score(&framework, &data, recipe).expect("scores"),
    )
}

fn score_matrix(method: &Normalisation) -> (Vec<String>, cityindex::Scores) {
    let recipe = Recipe {
        normalise: cityindex::recipe::NormaliseStage {
            default: method.clone(),
            ..Default::default()
        },
        ..Recipe::default()
    };
    score_matrix_with(&recipe)
}

fn check(file: &str, method: &Normalisation) {
    let (ids, scores) = score_matrix(method);
    let reference = Table::read(file);
    for id in &ids {
        let theirs: Vec<f64> = reference.column(id).into_iter().map(number).collect();
        let (diff, agree) = max_abs_diff(scores.score(id).expect("criterion"), &theirs);
        assert!(agree && diff <= 1e-12, "{file} {id}: {diff:e}");
    }
}

#[test]
fn min_max_matches_pymcdm() {
    check(
        "mcda/normalized_minmax.csv",
        &Normalisation::MinMax { lo: 0.0, hi: 1.0 },
    );
}

#[test]
fn z_scores_match_with_sample_and_population_deviation() {
    use cityindex::normalise::Deviation;
    let z = |deviation| Normalisation::ZScore {
        mean: 0.0,
        sd: 1.0,
        deviation,
        floor: None,
    };
    check("mcda/normalized_zscore_ddof1.csv", &z(Deviation::Sample));
    check(
        "mcda/normalized_zscore_ddof0.csv",
        &z(Deviation::Population),
    );
}

mod methods {
    //! MCDA methods and weights against pymcdm 1.4.0 (and scikit-criteria / pyrepo-mcda where
    //! pymcdm is wrong or direction-blind), to 1e-12, from `mcda/reference.json`.

    use cityindex::analysis;
    use cityindex::framework::Direction;
    use cityindex::mcda::{
        self, DecisionMatrix, Method, Missing, PreferenceFunction, scaling::Scaling,
    };
    use cityindex::rank::TieRule;
    use cityindex::weight;
    use serde_json::Value;

    fn reference() -> Value {
        let text =
            std::fs::read_to_string(cityindex_tests::fixture("mcda/reference.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn floats(v: &Value) -> Vec<f64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    }

    fn matrix(weights: &[f64]) -> DecisionMatrix {
        let r = reference();
        let inputs = &r["inputs"];
        let rows: Vec<Vec<f64>> = inputs["matrix"]
            .as_array()
            .unwrap()
            .iter()
            .map(floats)
            .collect();
        let names = |k: &str| -> Vec<String> {
            inputs[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect()
        };
        let criteria = names("criteria");
        let columns = (0..criteria.len())
            .map(|j| rows.iter().map(|row| row[j]).collect())
            .collect();
        let directions = floats(&inputs["types"])
            .into_iter()
            .map(|t| Direction::try_from(t).unwrap())
            .collect();
        DecisionMatrix::new(
            names("alternatives"),
            criteria,
            columns,
            directions,
            weights.to_vec(),
        )
        .unwrap()
    }

    fn close(ours: &[f64], theirs: &[f64], what: &str) {
        assert_eq!(ours.len(), theirs.len(), "{what}");
        for (a, b) in ours.iter().zip(theirs) {
            assert!((a - b).abs() <= 1e-12, "{what}: {a} vs {b}");
        }
    }

    #[test]
    fn methods_match_pymcdm_for_every_weight_set() {
        let r = reference();
        let methods = [
            (
                "TOPSIS",
                Method::Topsis {
                    scaling: Scaling::MinMax,
                },
            ),
            (
                "TOPSIS_vector",
                Method::Topsis {
                    scaling: Scaling::Vector,
                },
            ),
            ("VIKOR", Method::Vikor { v: 0.5 }),
            (
                "PROMETHEE_II_usual",
                Method::PrometheeII {
                    preference: PreferenceFunction::Usual,
                },
            ),
            ("EDAS", Method::Edas),
            ("MOORA", Method::Moora),
            ("WASPAS", Method::Waspas { lambda: 0.5 }),
        ];
        for weights in ["fixed", "entropy", "critic", "std"] {
            let m = matrix(&floats(&r["weights_pymcdm"][weights]));
            for (name, method) in &methods {
                let expected = &r["methods_pymcdm"][name][weights];
                let scores = mcda::evaluate(&m, method, Missing::Error).unwrap();
                close(
                    &scores,
                    &floats(&expected["pref"]),
                    &format!("{name} {weights}"),
                );
                // pymcdm ranks ties by their average rank.
                let ranks = mcda::rank_scores(&scores, method, TieRule::Average);
                assert_eq!(ranks, floats(&expected["rank"]), "{name} {weights}");
            }
        }
    }

    /// pymcdm's COPRAS is wrong (its Q reduces to S⁺ + S⁻, so costs raise the score); the
    /// textbook utility degree matches pyrepo-mcda and scikit-criteria, and the hand-computed
    /// canonical values in the reference.
    #[test]
    fn copras_follows_the_textbook() {
        let r = reference();
        let m = matrix(&floats(&r["inputs"]["weights_fixed"]));
        let scores = mcda::evaluate(&m, &Method::Copras, Missing::Error).unwrap();
        close(
            &scores,
            &floats(&r["cross_checks"]["pyrepo"]["COPRAS"]),
            "COPRAS vs pyrepo",
        );
        close(
            &scores,
            &floats(&r["cross_checks"]["COPRAS_canonical_by_hand"]["U"]),
            "COPRAS canonical",
        );
        let pymcdm = floats(&r["methods_pymcdm"]["COPRAS"]["fixed"]["pref"]);
        assert!(
            scores
                .iter()
                .zip(&pymcdm)
                .any(|(a, b)| (a - b).abs() > 1e-3),
            "differs from pymcdm on purpose"
        );
    }

    #[test]
    fn promethee_flows() {
        let r = reference();
        let m = matrix(&floats(&r["inputs"]["weights_fixed"]));
        let net = mcda::evaluate(
            &m,
            &Method::PrometheeII {
                preference: PreferenceFunction::Usual,
            },
            Missing::Error,
        )
        .unwrap();
        close(
            &net,
            &floats(&r["promethee_ii_usual_flows_fixed"]["phi_net"]),
            "phi_net",
        );
    }

    #[test]
    fn weights_match_the_reference_libraries() {
        let r = reference();
        let m = matrix(&floats(&r["inputs"]["weights_fixed"]));
        let w = &r["weights_pymcdm"];
        close(&weight::equal(&m), &floats(&w["equal"]), "equal");
        close(
            &weight::entropy(&m).unwrap(),
            &floats(&w["entropy"]),
            "entropy",
        );
        close(
            &weight::standard_deviation(&m).unwrap(),
            &floats(&w["std"]),
            "std",
        );
        close(&weight::merec(&m).unwrap(), &floats(&w["merec"]), "MEREC");
        // pymcdm's CRITIC ignores directions; the direction-blind variant reproduces it.
        close(
            &weight::critic_direction_blind(&m).unwrap(),
            &floats(&w["critic"]),
            "CRITIC blind",
        );
        // The direction-aware default reproduces scikit-criteria (Diakoulaki 1995).
        let skc = &r["cross_checks"]["weights_skcriteria"];
        close(
            &weight::critic(&m).unwrap(),
            &floats(&skc["critic_pearson_scale"]),
            "CRITIC aware",
        );
    }

    #[test]
    fn scalings_match_pymcdm() {
        let r = reference();
        let m = matrix(&floats(&r["inputs"]["weights_fixed"]));
        for (name, scaling) in [
            ("minmax", Scaling::MinMax),
            ("max", Scaling::Max),
            ("sum", Scaling::Sum),
            ("vector", Scaling::Vector),
            ("linear", Scaling::Linear),
        ] {
            let rows: Vec<Vec<f64>> = r["normalized"][name]
                .as_array()
                .unwrap()
                .iter()
                .map(floats)
                .collect();
            for (j, (x, &d)) in m.columns.iter().zip(&m.directions).enumerate() {
                let ours = mcda::scaling::scale(x, d, scaling, "c").unwrap();
                let theirs: Vec<f64> = rows.iter().map(|row| row[j]).collect();
                close(&ours, &theirs, name);
            }
        }
    }

    #[test]
    fn rank_comparisons_match_pymcdm() {
        let r = reference();
        let toy = &r["rank_correlations_toy"];
        let (x, y) = (floats(&toy["x"]), floats(&toy["y"]));
        let check = |ours: f64, key: &str| {
            assert!((ours - toy[key].as_f64().unwrap()).abs() <= 1e-12, "{key}");
        };
        check(analysis::spearman_rs(&x, &y), "spearman_rs");
        check(analysis::weighted_spearman(&x, &y), "weighted_spearman_rw");
        check(analysis::ws_coefficient(&x, &y), "ws_rank_similarity");
        check(analysis::ws_coefficient(&y, &x), "ws_rank_similarity_yx");
        check(analysis::kendall_tau(&x, &y), "kendall_tau");
        check(
            analysis::goodman_kruskal_gamma(&x, &y),
            "goodman_kruskal_gamma",
        );
        check(analysis::pearson(&x, &y), "pearson");
        let asym = &r["rank_correlations_toy_asymmetric_ws"];
        let (x, y) = (floats(&asym["x"]), floats(&asym["y"]));
        assert!(
            (analysis::ws_coefficient(&x, &y) - asym["ws_xy"].as_f64().unwrap()).abs() <= 1e-12
        );
        assert!(
            (analysis::ws_coefficient(&y, &x) - asym["ws_yx"].as_f64().unwrap()).abs() <= 1e-12
        );
        let topsis = floats(&r["methods_pymcdm"]["TOPSIS"]["fixed"]["rank"]);
        for (other, coefs) in r["rank_correlations_vs_TOPSIS"].as_object().unwrap() {
            let o = floats(&r["methods_pymcdm"][other]["fixed"]["rank"]);
            let c = |k: &str| coefs[k].as_f64().unwrap();
            assert!(
                (analysis::spearman_rs(&topsis, &o) - c("spearman_rs")).abs() <= 1e-12,
                "{other}"
            );
            assert!(
                (analysis::weighted_spearman(&topsis, &o) - c("weighted_spearman_rw")).abs()
                    <= 1e-12,
                "{other}"
            );
            assert!(
                (analysis::ws_coefficient(&topsis, &o) - c("ws_rank_similarity")).abs() <= 1e-12,
                "{other}"
            );
            assert!(
                (analysis::kendall_tau(&topsis, &o) - c("kendall_tau")).abs() <= 1e-12,
                "{other}"
            );
        }
    }
}

mod tree {
    //! MCDA methods and weighting rules at a node of a framework give the flat-matrix results.

    use cityindex::Recipe;

    use super::score_matrix_with;

    /// With normalisation `none` the children are direction × raw value, and TOPSIS, VIKOR and
    /// PROMETHEE II depend only on differences within a criterion, so the root scores equal
    /// pymcdm's (VIKOR reported as 1 − Q).
    #[test]
    fn mcda_at_the_root_reproduces_pymcdm() {
        let text =
            std::fs::read_to_string(cityindex_tests::fixture("mcda/reference.json")).unwrap();
        let r: serde_json::Value = serde_json::from_str(&text).unwrap();
        for (name, method, flip) in [
            ("TOPSIS", r#"{"method": "topsis"}"#, false),
            ("VIKOR", r#"{"method": "vikor"}"#, true),
            ("PROMETHEE_II_usual", r#"{"method": "promethee_ii"}"#, false),
        ] {
            let recipe = Recipe::from_json(&format!(
                r#"{{"normalise": {{"default": {{"method": "none"}}}}, "aggregate": {{"default": {method}}}}}"#
            ))
            .unwrap();
            let (_, scores) = score_matrix_with(&recipe);
            let expected = r["methods_pymcdm"][name]["fixed"]["pref"]
                .as_array()
                .unwrap();
            for (ours, theirs) in scores.score("all").unwrap().iter().zip(expected) {
                let theirs = theirs.as_f64().unwrap();
                let theirs = if flip { 1.0 - theirs } else { theirs };
                assert!((ours - theirs).abs() <= 1e-12, "{name}: {ours} vs {theirs}");
            }
        }
    }

    /// A weighting rule derives the children's weights from their scores; the run reports them.
    #[test]
    fn weighting_rules_derive_and_report_weights() {
        let recipe = Recipe::from_json(
            r#"{"normalise": {"default": {"method": "min_max", "lo": 1, "hi": 2}},
                "weighting": [{"levels": [2], "weighting": {"method": "entropy"}}]}"#,
        )
        .unwrap();
        let (ids, scores) = score_matrix_with(&recipe);
        let columns: Vec<Vec<f64>> = ids
            .iter()
            .map(|id| scores.score(id).unwrap().to_vec())
            .collect();
        let m = cityindex::mcda::DecisionMatrix::new(
            scores.units().iter().map(|u| u.id.clone()).collect(),
            ids.clone(),
            columns,
            vec![cityindex::Direction::Positive; ids.len()],
            vec![1.0; ids.len()],
        )
        .unwrap();
        let expected = cityindex::weight::entropy(&m).unwrap();
        for (id, w) in ids.iter().zip(expected) {
            assert_eq!(scores.weight(id), Some(w));
        }
        let wrong = Recipe::from_json(
            r#"{"weighting": [{"nodes": ["all"], "weighting": {"method": "ahp", "pairwise": [[1, 2], [0.5, 1]]}}]}"#,
        )
        .unwrap();
        let (framework, data) = super::matrix_inputs();
        let err = cityindex::score(&framework, &data, &wrong).unwrap_err();
        assert_eq!(
            err.to_string(),
            "AHP: the pairwise matrix has 2 entries for 5 criteria"
        );
    }
}
