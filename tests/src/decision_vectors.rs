//! Language-neutral vectors of the core's tools beyond the pipeline: MCDA methods on a decision
//! matrix, weights derived from a matrix or from AHP judgements, rank comparison measures, and
//! trends over a panel, benefit of the doubt, optimised weights and remove-one-element. Each file in `tests/vectors/decision/` holds one call and the exact
//! result of the Rust core; the Rust, Python and JavaScript suites make the same call through
//! their own API (`cityindex.mcda.TOPSIS()(matrix, weights, types)` in Python,
//! `mcda(...)` in JavaScript) and compare bit for bit. [`generate`] rebuilds them.

use std::path::PathBuf;

use cityindex::Error;
use cityindex::analysis::RankComparison;
use cityindex::analysis::RemovalEffect;
use cityindex::framework::Direction;
use cityindex::mcda::{self, DecisionMatrix, Method, Missing};
use cityindex::optimise::{LevelAim, LevelWeights, Optimiser};
use cityindex::rank::TieRule;
use cityindex::stats::CorrelationMethod;
use cityindex::trend::{FromZero, TrendMetric};
use cityindex::weight::{ShareBounds, Weighting, ahp, benefit_of_the_doubt};
use serde::{Deserialize, Serialize};

use crate::Table;

/// One vector: a call and its result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionVector {
    /// File stem.
    pub name: String,
    /// What it exercises.
    pub description: String,
    /// The call.
    pub call: Call,
    /// Its result.
    pub expected: Output,
}

/// A call of one tool; the JSON form is tagged by `function`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "function", rename_all = "snake_case", deny_unknown_fields)]
pub enum Call {
    /// An MCDA method on a decision matrix (alternatives × criteria, row by row), criterion
    /// weights and types (1 benefit, −1 cost), as pymcdm takes them.
    Mcda {
        /// The method and its parameters.
        method: Method,
        /// The matrix, one row per alternative.
        matrix: Vec<Vec<f64>>,
        /// The criteria's weights.
        weights: Vec<f64>,
        /// The criteria's types.
        types: Vec<f64>,
    },
    /// Weights of a decision matrix's criteria.
    Weights {
        /// The method.
        method: Weighting,
        /// The matrix, one row per alternative.
        matrix: Vec<Vec<f64>>,
        /// The criteria's types.
        types: Vec<f64>,
    },
    /// AHP weights of a pairwise-comparison matrix, with its consistency.
    Ahp {
        /// Row i, column j: how much more important criterion i is than j.
        pairwise: Vec<Vec<f64>>,
    },
    /// A measure comparing two rankings.
    CompareRankings {
        /// The measure.
        measure: RankComparison,
        /// The first ranking.
        x: Vec<f64>,
        /// The second ranking.
        y: Vec<f64>,
    },
    /// Benefit of the doubt on a decision matrix of non-negative values (every criterion a
    /// benefit): each alternative's composite and its own weights.
    BenefitOfTheDoubt {
        /// The matrix, one row per alternative.
        matrix: Vec<Vec<f64>>,
        /// Bounds on the shares and weights.
        bounds: ShareBounds,
    },
    /// The weights of one level optimised together (COINr's `get_opt_weights`), on one period
    /// of an embedded framework's data, with its recipe.
    OptimiseLevelWeights {
        /// The embedded framework.
        builtin: String,
        /// The period of its data.
        period: i64,
        /// The level.
        level: u32,
        /// What the weights aim for.
        aim: LevelAim,
        /// The correlation with the index.
        correlation: CorrelationMethod,
        /// How the search stops.
        optimiser: Optimiser,
    },
    /// Remove one element (COINr's `remove_elements`): each node of a level given weight 0,
    /// and the mean absolute change of the ranks of `target`, on one period of an embedded
    /// framework's data.
    RemoveElements {
        /// The embedded framework.
        builtin: String,
        /// The period of its data.
        period: i64,
        /// The level.
        level: u32,
        /// The node whose ranks are compared.
        target: String,
    },
    /// Each unit's scores and ranks of a node in two periods of an embedded framework's panel
    /// (`PanelScores::trend`: the table of `cityindex score --period all`).
    TrendTable {
        /// The embedded framework, with its data and recipe.
        builtin: String,
        /// The node.
        node: String,
        /// The first period.
        from: i64,
        /// The last period.
        to: i64,
    },
    /// Progress towards every target of an embedded framework, from its panel.
    Targets {
        /// The embedded framework, with its data.
        builtin: String,
    },
    /// Each unit's trend of a node over the panel of an embedded framework, scored with its
    /// recipe (COINr's `get_trends`).
    Trends {
        /// The embedded framework, with its data and recipe.
        builtin: String,
        /// The node.
        node: String,
        /// The metric.
        metric: TrendMetric,
    },
    /// A model fitted on one period of an embedded framework's data without `units`, which are
    /// then scored with it (`Model::transform`) and placed among the population on `node`.
    PlaceUnits {
        /// The embedded framework, with its data and recipe.
        builtin: String,
        /// The period.
        period: i64,
        /// The units left out of the fit and scored against it.
        units: Vec<String>,
        /// The node they are placed on.
        node: String,
    },
    /// A model fitted from partition summaries (`summarise` on the rows between consecutive
    /// `cuts`, merged, a second pass where a z-score needs it, `from_summary`).
    MergedFit {
        /// The embedded framework, with its data.
        builtin: String,
        /// The period.
        period: i64,
        /// The recipe (the framework's own has preparation steps a summary does not fit).
        recipe: serde_json::Value,
        /// Row boundaries of the partitions, from 0 to the number of units.
        cuts: Vec<usize>,
    },
    /// An uncertainty analysis of one period of an embedded framework's data (its recipe) run
    /// in parts, the replicates between consecutive `cuts` each (`run_replicates`), combined in
    /// reverse order (`combine`).
    UncertaintyParts {
        /// The embedded framework, with its data and recipe.
        builtin: String,
        /// The period.
        period: i64,
        /// The specification.
        spec: serde_json::Value,
        /// Replicate boundaries, from 0 to the specification's replicates.
        cuts: Vec<usize>,
    },
    /// The ranks of one partition of a ranking split by value (`rank_in_partition`).
    RankInPartition {
        /// The partition's scores, highest first.
        values: Vec<Option<f64>>,
        /// The tie rule.
        ties: TieRule,
        /// Each earlier partition's (scores, distinct scores).
        earlier: Vec<(usize, usize)>,
    },
}

/// A call's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Output {
    /// An MCDA method's preferences and ranks (1 = best, ties "min").
    Mcda {
        /// One per alternative.
        preferences: Vec<f64>,
        /// One per alternative.
        ranks: Vec<f64>,
    },
    /// Weights, one per criterion.
    Weights(Vec<f64>),
    /// AHP's weights and consistency ratio.
    Ahp {
        /// One per criterion.
        weights: Vec<f64>,
        /// CI/RI.
        consistency_ratio: f64,
    },
    /// One number.
    Value(f64),
    /// Benefit of the doubt: one composite and one row of weights per alternative.
    BenefitOfTheDoubt {
        /// One per alternative.
        scores: Vec<f64>,
        /// One row per alternative, one weight per criterion.
        weights: Vec<Vec<f64>>,
    },
    /// Optimised weights of a level.
    LevelWeights(LevelWeights),
    /// Per unit: start, end, change, CAGR, first and last rank, places gained (`None` where
    /// missing: an aggregate has no rank).
    TrendTable {
        /// The units.
        units: Vec<String>,
        /// Their rows.
        rows: Vec<Vec<Option<f64>>>,
    },
    /// Progress towards targets.
    Targets(Vec<cityindex::analysis::TargetProgress>),
    /// The effect of removing each element.
    Removals(Vec<RemovalEffect>),
    /// The model's JSON form, the units it scored with every node's scores (`None` = missing),
    /// and their places.
    Placed {
        /// The model (`Model::to_json`).
        model: String,
        /// The nodes, in the scores' order.
        nodes: Vec<String>,
        /// The units scored.
        units: Vec<String>,
        /// One row per unit, one score per node.
        scores: Vec<Vec<Option<f64>>>,
        /// Each unit's place on the node.
        places: Vec<f64>,
    },
    /// A model's JSON form.
    Model(String),
    /// Every replicate's ranks on the first node summarised (`None` = missing), and each unit's
    /// median rank.
    Replicates {
        /// One row per replicate, one rank per unit.
        ranks: Vec<Vec<Option<f64>>>,
        /// Each unit's median rank.
        medians: Vec<f64>,
    },
    /// Ranks (`None` = missing).
    Ranks(Vec<Option<f64>>),
    /// Each unit's trend, in the order units first appear.
    Trends {
        /// The units.
        units: Vec<String>,
        /// Their trends.
        values: Vec<f64>,
    },
}

/// Where these vectors live.
#[must_use]
pub fn directory() -> PathBuf {
    crate::vectors::directory().join("decision")
}

/// A decision matrix from rows, weights and types, alternatives numbered from 1.
///
/// # Errors
/// Types other than 1 or −1, and [`DecisionMatrix::new`]'s errors.
pub fn decision_matrix(
    rows: &[Vec<f64>],
    weights: &[f64],
    types: &[f64],
) -> Result<DecisionMatrix, Error> {
    let m = types.len();
    let directions = types
        .iter()
        .map(|&t| {
            Direction::try_from(t).map_err(|reason| cityindex::MethodError::InvalidParameter {
                method: "decision matrix",
                reason,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DecisionMatrix::new(
        (1..=rows.len()).map(|r| format!("A{r}")).collect(),
        (1..=m).map(|c| format!("C{c}")).collect(),
        (0..m)
            .map(|c| {
                rows.iter()
                    .map(|row| row.get(c).copied().unwrap_or(f64::NAN))
                    .collect()
            })
            .collect(),
        directions,
        weights.to_vec(),
    )?)
}

/// Makes the call.
///
/// # Errors
/// The tool's errors.
pub fn run(call: &Call) -> Result<Output, Error> {
    Ok(match call {
        Call::Mcda {
            method,
            matrix,
            weights,
            types,
        } => {
            let m = decision_matrix(matrix, weights, types)?;
            let preferences = mcda::evaluate(&m, method, Missing::Error)?;
            let ranks = mcda::rank_scores(&preferences, method, TieRule::Min);
            Output::Mcda { preferences, ranks }
        }
        Call::Weights {
            method,
            matrix,
            types,
        } => {
            let m = decision_matrix(matrix, &vec![1.0; types.len()], types)?;
            Output::Weights(method.of_matrix(&m)?)
        }
        Call::Ahp { pairwise } => {
            let result = ahp(pairwise, true)?;
            Output::Ahp {
                weights: result.weights,
                consistency_ratio: result.consistency_ratio,
            }
        }
        Call::CompareRankings { measure, x, y } => Output::Value(measure.between(x, y)?),
        Call::BenefitOfTheDoubt { matrix, bounds } => {
            let types = vec![1.0; matrix.first().map_or(0, Vec::len)];
            let m = decision_matrix(matrix, &types, &types)?;
            let result = benefit_of_the_doubt(&m, *bounds)?;
            Output::BenefitOfTheDoubt {
                scores: result.scores,
                weights: result.weights,
            }
        }
        Call::OptimiseLevelWeights {
            builtin,
            period,
            level,
            aim,
            correlation,
            optimiser,
        } => {
            let b = cityindex::builtin::find(builtin)?;
            Output::LevelWeights(cityindex::optimise::optimise_level_weights(
                &b.framework()?,
                &b.data()?.for_period(*period)?,
                &b.recipe()?,
                *level,
                aim,
                *correlation,
                optimiser,
            )?)
        }
        Call::RemoveElements {
            builtin,
            period,
            level,
            target,
        } => {
            let b = cityindex::builtin::find(builtin)?;
            Output::Removals(cityindex::analysis::remove_elements(
                &b.framework()?,
                &b.data()?.for_period(*period)?,
                &b.recipe()?,
                *level,
                target,
            )?)
        }
        Call::TrendTable { .. } | Call::Targets { .. } => panel_call(call)?,
        Call::PlaceUnits { .. }
        | Call::MergedFit { .. }
        | Call::RankInPartition { .. }
        | Call::UncertaintyParts { .. } => model_call(call)?,
        Call::Trends {
            builtin,
            node,
            metric,
        } => {
            let b = cityindex::builtin::find(builtin)?;
            let panel = cityindex::score_panel(&b.framework()?, &b.data()?, &b.recipe()?)?;
            let trends = panel
                .trends(node, *metric, FromZero::Missing)
                .ok_or_else(|| cityindex::ScoreError::UnknownNode {
                    node: node.clone(),
                    known: Vec::new(),
                })?;
            let (units, values) = trends.into_iter().unzip();
            Output::Trends { units, values }
        }
    })
}

/// The calls of fitted models and their distributed parts.
fn model_call(call: &Call) -> Result<Output, Error> {
    let missing = |v: f64| (!v.is_nan()).then_some(v);
    Ok(match call {
        Call::PlaceUnits {
            builtin,
            period,
            units,
            node,
        } => {
            let b = cityindex::builtin::find(builtin)?;
            let data = b.data()?.for_period(*period)?;
            let (newcomers, population): (Vec<usize>, Vec<usize>) =
                (0..data.n_units()).partition(|&r| units.contains(&data.units()[r].id));
            let model = cityindex::model::fit(
                &b.framework()?,
                &data.select_rows(&population),
                &b.recipe()?,
            )?;
            let scored = model.transform(&data.select_rows(&newcomers))?;
            let nodes: Vec<String> = scored.nodes().iter().map(|n| n.id.clone()).collect();
            let scores = (0..scored.units().len())
                .map(|r| {
                    nodes
                        .iter()
                        .map(|n| scored.score(n).and_then(|s| missing(s[r])))
                        .collect()
                })
                .collect();
            let on_node = scored.score(node).unwrap_or_default();
            Output::Placed {
                model: model.to_json(),
                nodes,
                units: scored.units().iter().map(|u| u.id.clone()).collect(),
                scores,
                places: model.place(node, on_node).unwrap_or_default(),
            }
        }
        Call::MergedFit {
            builtin,
            period,
            recipe,
            cuts,
        } => {
            let b = cityindex::builtin::find(builtin)?;
            let framework = b.framework()?;
            let data = b.data()?.for_period(*period)?;
            let recipe = cityindex::Recipe::from_json(&recipe.to_string())?;
            let pass = |means: Option<&std::collections::BTreeMap<String, f64>>| {
                let mut total = cityindex::model::Summary::default();
                for w in cuts.windows(2) {
                    let part = data.select_rows(&(w[0]..w[1]).collect::<Vec<_>>());
                    total.merge(&cityindex::model::summarise(
                        &framework, &recipe, &part, means,
                    )?);
                }
                Ok::<_, Error>(total)
            };
            let mut summary = pass(None)?;
            if summary.needs_squares() {
                summary = pass(Some(&summary.means()))?;
            }
            let model = cityindex::model::from_summary(&framework, &recipe, &summary, Vec::new())?;
            Output::Model(model.to_json())
        }
        Call::UncertaintyParts {
            builtin,
            period,
            spec,
            cuts,
        } => uncertainty_parts(builtin, *period, spec, cuts)?,
        Call::RankInPartition {
            values,
            ties,
            earlier,
        } => {
            let values: Vec<f64> = values.iter().map(|v| v.unwrap_or(f64::NAN)).collect();
            let ranks = cityindex::rank::rank_in_partition(&values, *ties, earlier);
            Output::Ranks(ranks.into_iter().map(missing).collect())
        }
        _ => unreachable!("only model calls come here"),
    })
}

/// [`Call::UncertaintyParts`]: the parts run, combined in reverse order.
fn uncertainty_parts(
    builtin: &str,
    period: i64,
    spec: &serde_json::Value,
    cuts: &[usize],
) -> Result<Output, Error> {
    let missing = |v: f64| (!v.is_nan()).then_some(v);
    let b = cityindex::builtin::find(builtin)?;
    let (framework, recipe) = (b.framework()?, b.recipe()?);
    let data = b.data()?.for_period(period)?;
    let spec = cityindex::uncertainty::UncertaintySpec::from_json(&spec.to_string())?;
    let runs = cuts
        .windows(2)
        .rev()
        .map(|w| {
            cityindex::uncertainty::run_replicates(
                &framework,
                &data,
                &recipe,
                &spec,
                w[0]..w[1],
                &|_, _| true,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let result = cityindex::uncertainty::combine(&framework, &data, &recipe, &spec, runs)?;
    Ok(Output::Replicates {
        ranks: result.ranks[0]
            .iter()
            .map(|r| r.iter().map(|&v| missing(v)).collect())
            .collect(),
        medians: result.summary[0].iter().map(|u| u.median).collect(),
    })
}

/// The calls on an embedded framework's panel beyond COINr's trends: the trend table and the
/// progress towards targets.
fn panel_call(call: &Call) -> Result<Output, Error> {
    Ok(match call {
        Call::TrendTable {
            builtin,
            node,
            from,
            to,
        } => {
            let b = cityindex::builtin::find(builtin)?;
            let panel = cityindex::score_panel(&b.framework()?, &b.data()?, &b.recipe()?)?;
            let rows = panel.trend(node, *from, *to).ok_or_else(|| {
                cityindex::ScoreError::UnknownNode {
                    node: node.clone(),
                    known: Vec::new(),
                }
            })?;
            let (units, rows) = rows
                .into_iter()
                .map(|(u, t)| {
                    let row = vec![
                        t.start,
                        t.end,
                        t.change,
                        t.cagr,
                        t.rank_start,
                        t.rank_end,
                        t.rank_change(),
                    ];
                    (
                        u,
                        row.into_iter()
                            .map(|v| (!v.is_nan()).then_some(v))
                            .collect(),
                    )
                })
                .unzip();
            Output::TrendTable { units, rows }
        }
        Call::Targets { builtin } => {
            let b = cityindex::builtin::find(builtin)?;
            Output::Targets(cityindex::analysis::target_progress(
                &b.framework()?,
                &b.data()?,
            ))
        }
        _ => unreachable!("only panel calls come here"),
    })
}

/// The pymcdm fixture's decision matrix, weights and types (`tests/fixtures/mcda`).
fn pymcdm_fixture() -> (Vec<Vec<f64>>, Vec<f64>, Vec<f64>) {
    let matrix = Table::read("mcda/decision_matrix.csv");
    let rows = matrix
        .rows
        .iter()
        .map(|r| {
            r[1..]
                .iter()
                .map(|v| v.parse().expect("a number"))
                .collect()
        })
        .collect();
    let criteria = Table::read("mcda/criteria.csv");
    let types = criteria
        .rows
        .iter()
        .map(|r| r[1].parse().expect("a type"))
        .collect();
    let weights = criteria
        .rows
        .iter()
        .map(|r| r[2].parse().expect("a weight"))
        .collect();
    (rows, weights, types)
}

/// A call with its name and description.
type Named = (String, String, Call);

/// Every MCDA method on the pymcdm fixture.
fn mcda_calls(matrix: &[Vec<f64>], weights: &[f64], types: &[f64]) -> Vec<Named> {
    let methods: [(&str, Method); 9] = [
        (
            "topsis",
            serde_json::from_str(r#"{"method": "topsis"}"#).unwrap(),
        ),
        (
            "vikor",
            serde_json::from_str(r#"{"method": "vikor"}"#).unwrap(),
        ),
        (
            "promethee_ii",
            serde_json::from_str(r#"{"method": "promethee_ii"}"#).unwrap(),
        ),
        ("copras", Method::Copras),
        ("edas", Method::Edas),
        ("moora", Method::Moora),
        (
            "waspas",
            serde_json::from_str(r#"{"method": "waspas"}"#).unwrap(),
        ),
        ("mpi", Method::Mpi { adjusted: false }),
        ("ampi", Method::Mpi { adjusted: true }),
    ];
    methods
        .into_iter()
        .map(|(name, method)| {
            (
                format!("mcda_{name}"),
                format!(
                    "{} on pymcdm's 10 × 5 fixture with its weights and types",
                    method.name()
                ),
                Call::Mcda {
                    method,
                    matrix: matrix.to_vec(),
                    weights: weights.to_vec(),
                    types: types.to_vec(),
                },
            )
        })
        .collect()
}

/// Every weighting of a matrix on the pymcdm fixture, and AHP on Saaty's drinks.
fn weight_calls(matrix: &[Vec<f64>], types: &[f64]) -> Vec<Named> {
    let mut calls: Vec<Named> = [
        Weighting::Equal,
        Weighting::Entropy,
        Weighting::Critic,
        Weighting::CriticDirectionBlind,
        Weighting::StandardDeviation,
        Weighting::Merec,
        Weighting::Pca,
    ]
    .into_iter()
    .map(|method| {
        let name = serde_json::to_value(&method).unwrap()["method"]
            .as_str()
            .unwrap()
            .to_owned();
        (
            format!("weights_{name}"),
            format!("{name} weights of pymcdm's 10 × 5 fixture"),
            Call::Weights {
                method,
                matrix: matrix.to_vec(),
                types: types.to_vec(),
            },
        )
    })
    .collect();
    let drinks: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::fixture("ahp/saaty_2008_drinks.json")).unwrap(),
    )
    .unwrap();
    calls.push((
        "ahp_saaty_drinks".to_owned(),
        "AHP of Saaty's (2008) drinks example".to_owned(),
        Call::Ahp {
            pairwise: serde_json::from_value(drinks["matrix"].clone()).unwrap(),
        },
    ));
    calls
}

/// Every rank comparison of the TOPSIS and VIKOR rankings of the pymcdm fixture.
fn comparison_calls(matrix: &[Vec<f64>], weights: &[f64], types: &[f64]) -> Vec<Named> {
    let ranks_of = |method: &str| -> Vec<f64> {
        let call = Call::Mcda {
            method: serde_json::from_str(&format!(r#"{{"method": "{method}"}}"#)).unwrap(),
            matrix: matrix.to_vec(),
            weights: weights.to_vec(),
            types: types.to_vec(),
        };
        match run(&call).unwrap() {
            Output::Mcda { ranks, .. } => ranks,
            _ => unreachable!(),
        }
    };
    let (topsis, vikor) = (ranks_of("topsis"), ranks_of("vikor"));
    [
        RankComparison::SpearmanRs,
        RankComparison::WeightedSpearman,
        RankComparison::WsCoefficient,
        RankComparison::KendallTau,
        RankComparison::GoodmanKruskalGamma,
    ]
    .into_iter()
    .map(|measure| {
        let name = serde_json::to_value(measure)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned();
        (
            format!("compare_{name}"),
            format!("{name} of the TOPSIS and VIKOR rankings of pymcdm's fixture"),
            Call::CompareRankings {
                measure,
                x: topsis.clone(),
                y: vikor.clone(),
            },
        )
    })
    .collect()
}

/// Benefit of the doubt on the pymcdm fixture (free, and with share bounds), DESI 2022's four
/// dimensions' weights optimised (to convergence, and as COINr stops) and removed one by one.
fn model_calls(matrix: &[Vec<f64>]) -> Vec<Named> {
    let desi = "desi-2022".to_owned();
    let optimised = |name: &str, optimiser: Optimiser| {
        (
            format!("optimise_desi_dimensions_{name}"),
            format!(
                "DESI 2022's four dimensions' weights for equal Pearson correlations with DESI, \
                 searched {name}"
            ),
            Call::OptimiseLevelWeights {
                builtin: desi.clone(),
                period: 2022,
                level: 3,
                aim: LevelAim::Balance { shares: None },
                correlation: CorrelationMethod::Pearson,
                optimiser,
            },
        )
    };
    vec![
        (
            "bod_free".to_owned(),
            "benefit of the doubt on pymcdm's 10 × 5 fixture, weights free".to_owned(),
            Call::BenefitOfTheDoubt {
                matrix: matrix.to_vec(),
                bounds: ShareBounds::default(),
            },
        ),
        (
            "bod_share_bounds".to_owned(),
            "benefit of the doubt on pymcdm's fixture, each criterion 5–50 % of a composite"
                .to_owned(),
            Call::BenefitOfTheDoubt {
                matrix: matrix.to_vec(),
                bounds: ShareBounds {
                    min: Some(0.05),
                    max: Some(0.5),
                    weight_min: None,
                },
            },
        ),
        optimised(
            "to_convergence",
            Optimiser::Converge {
                max_iterations: 500,
            },
        ),
        optimised("as_coinr", Optimiser::COINR),
        (
            "remove_desi_dimensions".to_owned(),
            "DESI 2022's dimensions removed one at a time: mean absolute rank change of DESI"
                .to_owned(),
            Call::RemoveElements {
                builtin: desi,
                period: 2022,
                level: 3,
                target: "DESI".to_owned(),
            },
        ),
    ]
}

/// Every decision vector, computed now.
///
/// # Panics
/// If a fixture is missing or a call fails.
#[must_use]
pub fn generate() -> Vec<DecisionVector> {
    let (matrix, weights, types) = pymcdm_fixture();
    let mut calls = mcda_calls(&matrix, &weights, &types);
    calls.extend(weight_calls(&matrix, &types));
    calls.extend(comparison_calls(&matrix, &weights, &types));
    for (name, metric) in [
        ("cagr", TrendMetric::Cagr),
        ("percent_change", TrendMetric::PercentChange { per: 1.0 }),
    ] {
        calls.push((
            format!("trends_desi_{name}"),
            format!(
                "DESI 2017–2022 trends ({name}) of each country's DESI score, COINr's get_trends"
            ),
            Call::Trends {
                builtin: "desi-2022".to_owned(),
                node: "DESI".to_owned(),
                metric,
            },
        ));
    }
    calls.extend(model_calls(&matrix));
    calls.push((
        "trend_table_desi".to_owned(),
        "DESI's scores and ranks in 2017 and 2022, change, CAGR and places gained".to_owned(),
        Call::TrendTable {
            builtin: "desi-2022".to_owned(),
            node: "DESI".to_owned(),
            from: 2017,
            to: 2022,
        },
    ));
    calls.push((
        "model_place_desi".to_owned(),
        "DESI 2022 fitted without Denmark and Romania, which are then scored with the model and placed"
            .to_owned(),
        Call::PlaceUnits {
            builtin: "desi-2022".to_owned(),
            period: 2022,
            units: vec!["DK".to_owned(), "RO".to_owned()],
            node: "DESI".to_owned(),
        },
    ));
    calls.push((
        "model_merged_desi".to_owned(),
        "a z-score model of DESI 2022 fitted from four partitions' summaries, merged".to_owned(),
        Call::MergedFit {
            builtin: "desi-2022".to_owned(),
            period: 2022,
            recipe: serde_json::json!({"normalise": {"default": {"method": "z_score"}}}),
            cuts: vec![0, 5, 6, 19, 28],
        },
    ));
    calls.push((
        "uncertainty_parts_desi".to_owned(),
        "DESI 2022's weights perturbed, 40 replicates run in three parts and combined".to_owned(),
        Call::UncertaintyParts {
            builtin: "desi-2022".to_owned(),
            period: 2022,
            spec: serde_json::json!({"replicates": 40, "seed": 3, "weights": {"fraction": 0.3}}),
            cuts: vec![0, 7, 8, 40],
        },
    ));
    calls.push((
        "rank_in_partition".to_owned(),
        "the third partition of a ranking split by value, dense ties after 7 distinct scores"
            .to_owned(),
        Call::RankInPartition {
            values: vec![Some(4.0), Some(4.0), Some(3.5), None, Some(1.0)],
            ties: TieRule::Dense,
            earlier: vec![(5, 3), (6, 4)],
        },
    ));
    calls.push((
        "targets_desi".to_owned(),
        "progress towards the Digital Decade's 2030 targets (Eurostat's SDG method)".to_owned(),
        Call::Targets {
            builtin: "desi-2022".to_owned(),
        },
    ));
    calls
        .into_iter()
        .map(|(name, description, call)| {
            let expected = run(&call).unwrap_or_else(|e| panic!("{name}: {e}"));
            DecisionVector {
                name,
                description,
                call,
                expected,
            }
        })
        .collect()
}
