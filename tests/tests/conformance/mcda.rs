//! pymcdm 1.4.0: the normalisations the core shares with it reproduce to 1e-12 on the 10 × 5
//! decision matrix. pymcdm reverses cost criteria inside each method; cityindex multiplies by the
//! direction first (as COINr does), which gives the same numbers for min-max and z-scores.

use cityindex::normalise::Normalisation;
use cityindex::{Framework, Node, Recipe, Unit};
use cityindex_tests::{Table, max_abs_diff, number};

fn score_matrix(method: &Normalisation) -> (Vec<String>, cityindex::Scores) {
    let criteria = Table::read("mcda/criteria.csv");
    let matrix = Table::read("mcda/decision_matrix.csv");
    let ids: Vec<String> = criteria
        .column("criterion")
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let mut nodes = vec![Node::aggregate("all", None)];
    for (id, kind) in ids.iter().zip(criteria.column("type")) {
        let mut node = Node::indicator(id, Some("all"));
        if let Some(ind) = node.as_indicator_mut() {
            ind.direction = number(kind).try_into().expect("direction");
        }
        nodes.push(node);
    }
    let data = cityindex::Dataset::new(
        matrix
            .column("alternative")
            .into_iter()
            .map(Unit::new)
            .collect(),
        ids.iter()
            .map(|id| {
                (
                    id.clone(),
                    matrix.column(id).into_iter().map(number).collect(),
                )
            })
            .collect(),
    )
    .expect("data");
    let recipe = Recipe {
        normalise: cityindex::recipe::NormaliseStage {
            default: method.clone(),
            ..Default::default()
        },
        ..Recipe::default()
    };
    let framework = Framework::new(nodes).expect("framework");
    (
        ids,
        cityindex::score(&framework, &data, &recipe).expect("scores"),
    )
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
    };
    check("mcda/normalized_zscore_ddof1.csv", &z(Deviation::Sample));
    check(
        "mcda/normalized_zscore_ddof0.csv",
        &z(Deviation::Population),
    );
}
