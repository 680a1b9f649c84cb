//! AHP against Saaty's published example, and the bad input of weighting and MCDA methods.

use cityindex::MethodError;
use cityindex::framework::Direction;
use cityindex::mcda::{
    self, DecisionMatrix, Method, Missing, PreferenceFunction, scaling::Scaling,
};
use cityindex::weight;
use serde_json::Value;

/// Saaty (2008), "Which drink is consumed more in the US?": weights and consistency ratio to the
/// published 3 decimals.
#[test]
fn ahp_reproduces_saatys_drinks_example() {
    let text =
        std::fs::read_to_string(cityindex_tests::fixture("ahp/saaty_2008_drinks.json")).unwrap();
    let example: Value = serde_json::from_str(&text).unwrap();
    let floats = |v: &Value| -> Vec<f64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    let matrix: Vec<Vec<f64>> = example["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .map(floats)
        .collect();
    let tolerance = example["precision"].as_f64().unwrap();
    let result = weight::ahp(&matrix, false).unwrap();
    for (ours, published) in result.weights.iter().zip(floats(&example["weights"])) {
        assert!(
            (ours - published).abs() <= tolerance,
            "{ours} vs {published}"
        );
    }
    let cr = example["consistency_ratio"].as_f64().unwrap();
    assert!(
        (result.consistency_ratio - cr).abs() <= tolerance,
        "{}",
        result.consistency_ratio
    );
    assert!((result.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
}

/// A perfectly consistent matrix aᵢⱼ = wᵢ/wⱼ gives back w, λmax = n and CR = 0.
#[test]
fn ahp_on_a_consistent_matrix_returns_its_weights() {
    let w = [0.5, 0.3, 0.15, 0.05];
    let a: Vec<Vec<f64>> = w
        .iter()
        .map(|wi| w.iter().map(|wj| wi / wj).collect())
        .collect();
    let result = weight::ahp(&a, false).unwrap();
    for (ours, expected) in result.weights.iter().zip(w) {
        assert!((ours - expected).abs() < 1e-12);
    }
    assert!((result.lambda_max - 4.0).abs() < 1e-12);
    assert!(result.consistency_ratio.abs() < 1e-12);
}

#[test]
fn ahp_rejects_bad_matrices_and_inconsistent_judgements() {
    let not_reciprocal = vec![vec![1.0, 3.0], vec![0.5, 1.0]];
    let err = weight::ahp(&not_reciprocal, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "AHP: entries (1, 2) = 3 and (2, 1) = 0.5 are not reciprocal"
    );
    let negative = vec![vec![1.0, -2.0], vec![-0.5, 1.0]];
    assert!(matches!(
        weight::ahp(&negative, false),
        Err(MethodError::InvalidPairwise { .. })
    ));
    let ragged = vec![vec![1.0, 2.0], vec![0.5]];
    assert!(matches!(
        weight::ahp(&ragged, false),
        Err(MethodError::InvalidPairwise { .. })
    ));
    // a > b > c > a: intransitive judgements.
    let cyclic = vec![
        vec![1.0, 9.0, 1.0 / 9.0],
        vec![1.0 / 9.0, 1.0, 9.0],
        vec![9.0, 1.0 / 9.0, 1.0],
    ];
    let err = weight::ahp(&cyclic, false).unwrap_err();
    assert!(
        matches!(err, MethodError::Inconsistent { ratio } if ratio > 0.1),
        "{err}"
    );
    let accepted = weight::ahp(&cyclic, true).unwrap();
    assert!(accepted.consistency_ratio > 0.1);
}

fn matrix(columns: Vec<Vec<f64>>, weights: Vec<f64>) -> Result<DecisionMatrix, MethodError> {
    let n = columns.first().map_or(0, Vec::len);
    let criteria: Vec<String> = (0..columns.len()).map(|j| format!("c{j}")).collect();
    let directions = vec![Direction::Positive; columns.len()];
    DecisionMatrix::new(
        (0..n).map(|r| format!("a{r}")).collect(),
        criteria,
        columns,
        directions,
        weights,
    )
}

#[test]
fn bad_decision_matrices() {
    let err = matrix(vec![vec![1.0, 2.0], vec![3.0, 4.0]], vec![1.0]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "decision matrix: weights has 1 entries for 2 criteria"
    );
    let one = matrix(vec![vec![1.0], vec![2.0]], vec![1.0, 1.0]).unwrap();
    let err = mcda::evaluate(&one, &Method::Edas, Missing::Error).unwrap_err();
    assert_eq!(err.to_string(), "EDAS needs at least 2 alternatives, got 1");
    let constant = matrix(
        vec![vec![1.0, 1.0, 1.0], vec![1.0, 2.0, 3.0]],
        vec![1.0, 1.0],
    )
    .unwrap();
    for result in [
        weight::entropy(&constant),
        weight::critic(&constant),
        weight::standard_deviation(&constant),
    ] {
        let err = result.unwrap_err();
        assert!(
            err.to_string().contains("criterion `c0` is constant"),
            "{err}"
        );
    }
    let m = matrix(
        vec![vec![1.0, 2.0, 3.0], vec![3.0, 1.0, 2.0]],
        vec![1.0, 1.0],
    )
    .unwrap();
    let bad = Method::PrometheeII {
        preference: PreferenceFunction::Linear { q: 2.0, p: 1.0 },
    };
    let err = mcda::evaluate(&m, &bad, Missing::Error).unwrap_err();
    assert!(err.to_string().contains("q < p"), "{err}");
}

/// Missing values: an error naming the cell, or skipped with weights renormalised — never NaN
/// for every alternative (pymcdm and scikit-criteria return NaN for all).
#[test]
fn missing_values_are_named_or_skipped() {
    let m = matrix(
        vec![
            vec![1.0, 2.0, f64::NAN, 4.0],
            vec![4.0, 3.0, 2.0, 1.0],
            vec![2.0, 2.0, 3.0, 3.0],
        ],
        vec![1.0, 2.0, 1.0],
    )
    .unwrap();
    let methods = [
        Method::Topsis {
            scaling: Scaling::MinMax,
        },
        Method::Vikor { v: 0.5 },
        Method::PrometheeII {
            preference: PreferenceFunction::Usual,
        },
        Method::Copras,
        Method::Edas,
        Method::Moora,
        Method::Waspas { lambda: 0.5 },
        Method::Mpi { adjusted: false },
    ];
    for method in &methods {
        let err = mcda::evaluate(&m, method, Missing::Error).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}: criterion `c0` has no value for alternative `a2`",
                method.name()
            )
        );
        let scores = mcda::evaluate(&m, method, Missing::Skip).unwrap();
        assert!(
            scores.iter().all(|s| s.is_finite()),
            "{}: {scores:?}",
            method.name()
        );
    }
}

/// Without missing values, skipping changes nothing.
#[test]
fn skipping_is_neutral_on_complete_data() {
    let m = matrix(
        vec![vec![1.0, 2.0, 5.0, 4.0], vec![4.0, 3.0, 2.0, 1.0]],
        vec![0.3, 0.7],
    )
    .unwrap();
    for method in [
        Method::Topsis {
            scaling: Scaling::Vector,
        },
        Method::Edas,
        Method::Mpi { adjusted: true },
    ] {
        let a = mcda::evaluate(&m, &method, Missing::Error).unwrap();
        let b = mcda::evaluate(&m, &method, Missing::Skip).unwrap();
        assert_eq!(a, b, "{}", method.name());
    }
}

fn two_criteria(rows: &[(f64, f64)]) -> DecisionMatrix {
    matrix(
        vec![
            rows.iter().map(|r| r.0).collect(),
            rows.iter().map(|r| r.1).collect(),
        ],
        vec![1.0, 1.0],
    )
    .unwrap()
}

/// Benefit of the doubt: units on the frontier score 1, a unit inside it its radial distance
/// (0.4, 0.4) against the frontier point (0.5, 0.5) → 0.8; with one criterion, y/max y.
#[test]
fn benefit_of_the_doubt_on_a_known_frontier() {
    let m = two_criteria(&[(1.0, 0.0), (0.0, 1.0), (0.5, 0.5), (0.4, 0.4)]);
    let result = weight::benefit_of_the_doubt(&m, weight::ShareBounds::default()).unwrap();
    let expected = [1.0, 1.0, 1.0, 0.8];
    for (ours, e) in result.scores.iter().zip(expected) {
        assert!((ours - e).abs() < 1e-12, "{ours} vs {e}");
    }
    // The chosen weights reproduce the score.
    let w = &result.weights[3];
    assert!((w[0] * 0.4 + w[1] * 0.4 - 0.8).abs() < 1e-12);
    let one = matrix(vec![vec![2.0, 5.0, 4.0]], vec![1.0]).unwrap();
    let result = weight::benefit_of_the_doubt(&one, weight::ShareBounds::default()).unwrap();
    for (ours, e) in result.scores.iter().zip([0.4, 1.0, 0.8]) {
        assert!((ours - e).abs() < 1e-12);
    }
    // Share bounds: a specialist cannot put all its weight on one criterion any more.
    let bounded = weight::ShareBounds {
        min: Some(0.2),
        max: None,
        weight_min: None,
    };
    let result = weight::benefit_of_the_doubt(&m, bounded).unwrap();
    assert!(result.scores[0].abs() < 1e-12 && (result.scores[2] - 1.0).abs() < 1e-12);
}

#[test]
fn benefit_of_the_doubt_errors() {
    let m = two_criteria(&[(1.0, 0.0), (0.0, 1.0), (0.5, 0.5)]);
    // A lower bound on every weight that no unit's constraint can meet.
    let impossible = weight::ShareBounds {
        min: None,
        max: None,
        weight_min: Some(2.0),
    };
    let err = weight::benefit_of_the_doubt(&m, impossible).unwrap_err();
    assert_eq!(
        err.to_string(),
        "benefit of the doubt for unit `a0`: the constraints cannot all hold (infeasible)"
    );
    let bad = weight::ShareBounds {
        min: Some(0.7),
        max: Some(0.5),
        weight_min: None,
    };
    assert!(matches!(
        weight::benefit_of_the_doubt(&m, bad),
        Err(MethodError::InvalidParameter { .. })
    ));
    let negative = two_criteria(&[(-1.0, 0.0), (0.0, 1.0)]);
    assert!(matches!(
        weight::benefit_of_the_doubt(&negative, weight::ShareBounds::default()),
        Err(MethodError::DegenerateCriterion { .. })
    ));
}

/// Optimised weights bring the two sub-indices of the ASEM index to equal correlation with it.
#[test]
fn optimised_weights_balance_correlations() {
    let framework = cityindex_tests::asem_framework();
    let data =
        cityindex_tests::CoinrDataset::read("coinr-asem/A_simple/A_Treated.csv").to_dataset();
    let recipe = cityindex::Recipe::default();
    let result = cityindex::optimise::optimise_weights(
        &framework, &data, &recipe, "Index", "Index", None, 500,
    )
    .unwrap();
    assert_eq!(result.nodes, ["Conn", "Sust"]);
    let total: f64 = result.correlations.iter().sum();
    for c in &result.correlations {
        assert!((c / total - 0.5).abs() < 1e-4, "{:?}", result.correlations);
    }
    assert!(result.objective < 1e-8);
    assert!((result.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    let err =
        cityindex::optimise::optimise_weights(&framework, &data, &recipe, "LPI", "Index", None, 10)
            .unwrap_err();
    assert!(
        err.to_string().contains("`LPI` is not an aggregate"),
        "{err}"
    );
}

/// COINr's `get_opt_weights` for a whole level: at level 3 (Conn, Sust) equal shares of
/// correlation with the index, as the node form gives; at level 2 (eight pillars) a balance
/// better than the start (the equal shares COINr starts from), and better than every vertex of
/// the first simplex COINr's optimiser builds around it; infomax raises the total correlation.
#[test]
fn level_wide_optimised_weights() {
    use cityindex::analysis::CorrelationMethod;
    use cityindex::optimise::{LevelAim, Optimiser, level_objective, optimise_level_weights};
    let framework = cityindex_tests::asem_framework();
    let data =
        cityindex_tests::CoinrDataset::read("coinr-asem/A_simple/A_Treated.csv").to_dataset();
    let recipe = cityindex::Recipe::default();
    let equal = LevelAim::Balance { shares: None };
    let pearson = CorrelationMethod::Pearson;
    let top = optimise_level_weights(
        &framework,
        &data,
        &recipe,
        3,
        &equal,
        pearson,
        &Optimiser::Converge {
            max_iterations: 500,
        },
    )
    .unwrap();
    assert_eq!(top.nodes, ["Conn", "Sust"]);
    let total: f64 = top.correlations.iter().sum();
    for c in &top.correlations {
        assert!((c / total - 0.5).abs() < 1e-4, "{:?}", top.correlations);
    }
    let level2 = optimise_level_weights(
        &framework,
        &data,
        &recipe,
        2,
        &equal,
        pearson,
        &Optimiser::Converge {
            max_iterations: 2000,
        },
    )
    .unwrap();
    assert_eq!(level2.nodes.len(), 8);
    assert!((level2.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    // The objective at the equal start, evaluated independently by re-scoring.
    let correlations_at =
        |weights: &[f64]| index_correlations(&framework, &data, &recipe, &level2.nodes, weights);
    let targets = vec![0.125; 8];
    assert_eq!(
        level_objective(&correlations_at(&level2.weights), Some(&targets)),
        level2.objective
    );
    let start = level_objective(&correlations_at(&targets), Some(&targets));
    assert!(level2.objective < start, "{} vs {start}", level2.objective);
    // COINr's first simplex (R's optim: each coordinate in turn moved by 0.1 × the largest).
    for j in 0..8 {
        let mut vertex = targets.clone();
        vertex[j] += 0.1 * 0.125;
        let value = level_objective(&correlations_at(&vertex), Some(&targets));
        assert!(level2.objective < value, "vertex {j}: {value}");
    }
    let infomax = optimise_level_weights(
        &framework,
        &data,
        &recipe,
        2,
        &LevelAim::Infomax,
        pearson,
        &Optimiser::Converge {
            max_iterations: 500,
        },
    )
    .unwrap();
    let original: Vec<f64> = vec![1.0; 8];
    assert!(infomax.objective <= level_objective(&correlations_at(&original), None));
    let err = optimise_level_weights(
        &framework,
        &data,
        &recipe,
        4,
        &equal,
        pearson,
        &Optimiser::Converge { max_iterations: 10 },
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("level 4 has no weighted nodes"),
        "{err}"
    );
    let err = optimise_level_weights(
        &framework,
        &data,
        &recipe,
        3,
        &LevelAim::Balance {
            shares: Some(vec![1.0]),
        },
        pearson,
        &Optimiser::Converge { max_iterations: 10 },
    )
    .unwrap_err();
    assert!(err.to_string().contains("2 non-negative numbers"), "{err}");
}

/// The Pearson correlations of `nodes` with the ASEM index when they weigh `weights`,
/// re-scored independently of the optimiser.
fn index_correlations(
    framework: &cityindex::Framework,
    data: &cityindex::Dataset,
    recipe: &cityindex::Recipe,
    nodes: &[String],
    weights: &[f64],
) -> Vec<f64> {
    let mut r = recipe.clone();
    for (id, w) in nodes.iter().zip(weights) {
        r.weights.insert(id.clone(), *w);
    }
    let scores = cityindex::score(framework, data, &r).unwrap();
    let index = scores.score("Index").unwrap();
    nodes
        .iter()
        .map(|id| cityindex::analysis::pearson(scores.score(id).unwrap(), index))
        .collect()
}

/// COINr's own search for the eight pillars' balance (R's `optim` Nelder–Mead, reltol 0.1):
/// 9 evaluations, one weight moved by a step, and an objective the converged search beats by
/// 1.0 (−6.49 against −5.45; −5.43 at the start), both evaluated by re-scoring here.
#[test]
fn coinr_optimiser_stops_early_and_the_converged_one_does_better() {
    use cityindex::analysis::CorrelationMethod;
    use cityindex::optimise::{LevelAim, Optimiser, level_objective, optimise_level_weights};
    let framework = cityindex_tests::asem_framework();
    let data =
        cityindex_tests::CoinrDataset::read("coinr-asem/A_simple/A_Treated.csv").to_dataset();
    let recipe = cityindex::Recipe::default();
    let equal = LevelAim::Balance { shares: None };
    let pearson = CorrelationMethod::Pearson;
    let run = |optimiser: &Optimiser| {
        optimise_level_weights(&framework, &data, &recipe, 2, &equal, pearson, optimiser)
    };
    let level2 = run(&Optimiser::Converge {
        max_iterations: 2000,
    })
    .unwrap();
    let coinr = run(&Optimiser::COINR).unwrap();
    let targets = vec![0.125; 8];
    let objective_at = |weights: &[f64]| {
        let r = index_correlations(&framework, &data, &recipe, &coinr.nodes, weights);
        level_objective(&r, Some(&targets))
    };
    assert!(coinr.iterations < 60, "{} evaluations", coinr.iterations);
    assert!((coinr.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert!(
        coinr.weights.iter().all(|w| (w - 0.125).abs() < 0.05),
        "{:?}",
        coinr.weights
    );
    assert_eq!(objective_at(&coinr.weights), coinr.objective);
    assert_eq!(objective_at(&level2.weights), level2.objective);
    assert!(coinr.objective < objective_at(&targets));
    assert!(
        level2.objective < coinr.objective - 0.5,
        "{} vs COINr's {}",
        level2.objective,
        coinr.objective
    );
    // COINr's tolerance made tight, the same search goes on towards the optimum.
    let tight = Optimiser::Coinr {
        reltol: 1e-10,
        maxit: 5000,
    };
    let long = run(&tight).unwrap();
    assert!(long.objective < coinr.objective, "{}", long.objective);
    let bad = Optimiser::Coinr {
        reltol: f64::NAN,
        maxit: 5,
    };
    let err = run(&bad).unwrap_err();
    assert!(err.to_string().contains("reltol NaN"), "{err}");
}
