//! Weights optimised against the scores they produce — each child's, or each node of a level's,
//! correlation with the index in target shares, as COINr's `get_opt_weights`. Above the
//! pipeline: every candidate is scored by [`crate::score`].
//!
//! | function | optimises | reference |
//! |---|---|---|
//! | [`optimise_weights`] | the children of one node, towards target shares of correlation with a target node | — |
//! | [`optimise_level_weights`] | the weights of a whole level together, balancing the nodes' correlations with the index (or maximising them) | COINr `get_opt_weights(Level, itarg, optype, cortype)` |

mod simplex;

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::error::{Error, MethodError};
use crate::framework::Framework;
use crate::recipe::Recipe;
use crate::stats::{CorrelationMethod, pearson};

use simplex::{nelder_mead, r_nelder_mead, restarted_nelder_mead};

/// The result of [`optimise_weights`].
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptimisedWeights {
    /// The children of the node, in framework order.
    pub nodes: Vec<String>,
    /// Their optimised weights, summing to 1.
    pub weights: Vec<f64>,
    /// Each child's Pearson correlation with the target node under those weights.
    pub correlations: Vec<f64>,
    /// The objective reached: Σ (rᵢ/Σr − tᵢ)².
    pub objective: f64,
    /// Nelder–Mead iterations used.
    pub iterations: usize,
}

/// Optimises the weights of `node`'s children so that their correlations with `target` (e.g.
/// the index), normalised to sum to 1, approach `shares` (equal shares when `None`) — COINr's
/// `get_opt_weights(itarg = "equal")`, by which every child is made to matter equally.
///
/// The objective Σ (rᵢ/Σr − tᵢ)² is minimised over non-negative weights by the Nelder–Mead
/// simplex method (Nelder & Mead 1965; standard coefficients 1, 2, ½, ½), from the current
/// weights, re-scoring the framework with each candidate. Deterministic: same inputs, same
/// weights.
///
/// # Errors
/// `node` not an aggregate or `target` not a node; shares of the wrong length or not summing to
/// 1; any scoring error.
pub fn optimise_weights(
    framework: &Framework,
    data: &Dataset,
    recipe: &Recipe,
    node: &str,
    target: &str,
    shares: Option<&[f64]>,
    max_iterations: usize,
) -> Result<OptimisedWeights, Error> {
    // Correlations between units: aggregates (the EU, averages) are not units.
    let units_only = crate::pipeline::without_aggregates(framework, data);
    let data = units_only.as_ref().unwrap_or(data);
    let invalid = |reason: String| MethodError::InvalidParameter {
        method: "optimised weights",
        reason,
    };
    crate::limits::check(
        "iterations",
        max_iterations as u128,
        crate::limits::MAX_ITERATIONS as u128,
    )?;
    let i = framework
        .position(node)
        .filter(|&i| !framework.children_of(i).is_empty())
        .ok_or_else(|| invalid(format!("`{node}` is not an aggregate of the framework")))?;
    if framework.position(target).is_none() {
        return Err(invalid(format!("`{target}` is not a node of the framework")).into());
    }
    let kids: Vec<String> = framework
        .children_of(i)
        .iter()
        .map(|&c| framework.nodes()[c].id.clone())
        .collect();
    let k = kids.len();
    let targets: Vec<f64> = match shares {
        None => vec![1.0 / k as f64; k],
        Some(s) if s.len() == k && (s.iter().sum::<f64>() - 1.0).abs() < 1e-9 => s.to_vec(),
        Some(_) => {
            return Err(invalid(format!("shares must have {k} entries summing to 1")).into());
        }
    };
    let evaluate = |w: &[f64]| -> Result<(f64, Vec<f64>), Error> {
        let mut r = recipe.clone();
        for (id, &wi) in kids.iter().zip(w) {
            r.weights.insert(id.clone(), wi.abs());
        }
        let scores = crate::score(framework, data, &r)?;
        let index = scores.score(target).unwrap_or_default();
        let corr: Vec<f64> = kids
            .iter()
            .map(|id| pearson(scores.score(id).unwrap_or_default(), index))
            .collect();
        let total: f64 = corr.iter().sum();
        let objective = corr
            .iter()
            .zip(&targets)
            .map(|(c, t)| (c / total - t) * (c / total - t))
            .sum::<f64>();
        Ok((
            if objective.is_nan() {
                f64::INFINITY
            } else {
                objective
            },
            corr,
        ))
    };
    let start: Vec<f64> = framework
        .children_of(i)
        .iter()
        .map(|&c| framework.nodes()[c].weight)
        .collect();
    let (best, iterations) = nelder_mead(&start, |w| Ok(evaluate(w)?.0), max_iterations)?;
    let best: Vec<f64> = best.iter().map(|w| w.abs()).collect();
    let total: f64 = best.iter().sum();
    let weights: Vec<f64> = best.iter().map(|w| w / total).collect();
    let (objective, correlations) = evaluate(&weights)?;
    Ok(OptimisedWeights {
        nodes: kids,
        weights,
        correlations,
        objective,
        iterations,
    })
}

/// What [`optimise_level_weights`] aims for (COINr's `optype`).
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "aim", rename_all = "snake_case", deny_unknown_fields)]
pub enum LevelAim {
    /// Correlations with the index, normalised to sum to 1, as close as possible to target
    /// shares (equal when none are given): minimises log(Σ (tᵢ − rᵢ/Σr)² / k), COINr's
    /// `optype = "balance"`.
    Balance {
        /// Relative target importances, one per node of the level (normalised to sum to 1).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shares: Option<Vec<f64>>,
    },
    /// The largest total correlation with the index: minimises −Σ rᵢ, COINr's
    /// `optype = "infomax"`.
    Infomax,
}

/// How [`optimise_level_weights`] searches.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "optimiser", rename_all = "snake_case", deny_unknown_fields)]
pub enum Optimiser {
    /// To the optimum: the Nelder–Mead simplex from COINr's start until the objective's values
    /// over the simplex agree to 1e-12 relative, restarted from its best point up to 5 times
    /// while a restart still improves; weights enter as |w|/Σ|w|. The default.
    Converge {
        /// Bounds the iterations of all runs together.
        max_iterations: usize,
    },
    /// COINr's own search, for COINr's numbers: R's `optim` Nelder–Mead as `get_opt_weights`
    /// calls it, step for step (COINr 1.1.14: `reltol = toler = 0.1`, `maxit = maxiter =
    /// 500`), with weights entering as w/Σw. With COINr's tolerance the simplex stops after a
    /// few steps, so these weights are barely moved from the start: compare the two with
    /// [`level_objective`]. A candidate weight that is negative (which R would aggregate and
    /// cityindex refuses) counts as R counts a value that is not finite, 1e35.
    Coinr {
        /// R's `reltol` (COINr's `toler`).
        reltol: f64,
        /// R's `maxit` (COINr's `maxiter`): evaluations of the objective.
        maxit: usize,
    },
}

impl Optimiser {
    /// COINr 1.1.14's defaults: `toler = 0.1`, `maxiter = 500`.
    pub const COINR: Optimiser = Optimiser::Coinr {
        reltol: 0.1,
        maxit: 500,
    };

    /// A tolerance that is a finite non-negative number, and at most
    /// [`crate::limits::MAX_ITERATIONS`] iterations or evaluations.
    fn check(&self) -> Result<(), MethodError> {
        let (what, count) = match *self {
            Optimiser::Converge { max_iterations } => ("iterations", max_iterations),
            Optimiser::Coinr { reltol, maxit } => {
                if !(reltol >= 0.0 && reltol.is_finite()) {
                    return Err(MethodError::InvalidParameter {
                        method: "optimised weights",
                        reason: format!("reltol {reltol}: a finite non-negative tolerance"),
                    });
                }
                ("evaluations", maxit)
            }
        };
        crate::limits::check(what, count as u128, crate::limits::MAX_ITERATIONS as u128)
    }
}

/// Optimises the weights of every node of `level` together — COINr's
/// `get_opt_weights(coin, itarg, dset = "Aggregated", Level, cortype, optype)` — against the
/// correlation (`correlation`: Pearson, Spearman or Kendall) of each node of the level with the
/// top node above it (the index), re-scoring the framework with each candidate. The nodes of
/// the level are the search's coordinates in framework order (COINr's: the order of its weights
/// table, the same for a table listed parent by parent).
///
/// How it stops is the [`Optimiser`]'s choice: to convergence, or as COINr stops. COINr 1.1.14
/// calls `stats::optim` with `reltol = 0.1` on its logarithmic objective, so its simplex stops
/// after a few steps, barely moving the weights from the start. [`level_objective`] evaluates
/// The target shares of `aim` for the `k` nodes of `level`, summing to 1 (`None`: infomax).
fn level_targets(aim: &LevelAim, k: usize, level: u32) -> Result<Option<Vec<f64>>, MethodError> {
    Ok(match aim {
        LevelAim::Infomax => None,
        LevelAim::Balance { shares: None } => Some(vec![1.0 / k as f64; k]),
        LevelAim::Balance { shares: Some(s) } => {
            let total: f64 = s.iter().sum();
            if s.len() != k
                || s.iter().any(|v| !(*v >= 0.0 && v.is_finite()))
                || total <= 0.0
                || !total.is_finite()
            {
                return Err(MethodError::InvalidParameter {
                    method: "optimised weights",
                    reason: format!(
                        "shares must be {k} non-negative numbers (one per node of level {level}) \
                         with a positive sum"
                    ),
                });
            }
            Some(s.iter().map(|v| v / total).collect())
        }
    })
}

/// COINr's objective for any weights' correlations, so the two results can be compared on
/// COINr's own terms. The correlations reported are those at the weights returned (COINr's
/// `Obtained` are those of the last candidate it evaluated).
///
/// # Errors
/// A level without weighted nodes; shares of the wrong length, negative or summing to 0; a
/// tolerance that is not a finite non-negative number; any scoring error.
pub fn optimise_level_weights(
    framework: &Framework,
    data: &Dataset,
    recipe: &Recipe,
    level: u32,
    aim: &LevelAim,
    correlation: CorrelationMethod,
    optimiser: &Optimiser,
) -> Result<LevelWeights, Error> {
    // Correlations between units: aggregates (the EU, averages) are not units.
    let units_only = crate::pipeline::without_aggregates(framework, data);
    let data = units_only.as_ref().unwrap_or(data);
    let invalid = |reason: String| MethodError::InvalidParameter {
        method: "optimised weights",
        reason,
    };
    let positions: Vec<usize> = (0..framework.len())
        .filter(|&i| framework.level_of(i) == level && framework.parent_of(i).is_some())
        .collect();
    if positions.is_empty() {
        return Err(invalid(format!(
            "level {level} has no weighted nodes (a level below the top, 1 = indicators)"
        ))
        .into());
    }
    let targets = level_targets(aim, positions.len(), level)?;
    let ids: Vec<String> = positions
        .iter()
        .map(|&i| framework.nodes()[i].id.clone())
        .collect();
    let tops: Vec<String> = positions
        .iter()
        .map(|&i| {
            let mut top = i;
            while let Some(p) = framework.parent_of(top) {
                top = p;
            }
            framework.nodes()[top].id.clone()
        })
        .collect();
    // The candidate's weights as the search sees them: |w|/Σ|w| to convergence, COINr's
    // w/Σw (None: not weights the pipeline takes) for COINr's numbers.
    let coinr = matches!(optimiser, Optimiser::Coinr { .. });
    let weights_of = |w: &[f64]| -> Option<Vec<f64>> {
        if coinr {
            let total: f64 = w.iter().sum();
            let v: Vec<f64> = w.iter().map(|x| x / total).collect();
            v.iter().all(|x| *x >= 0.0 && x.is_finite()).then_some(v)
        } else {
            let total: f64 = w.iter().map(|v| v.abs()).sum();
            Some(w.iter().map(|x| x.abs() / total).collect())
        }
    };
    let correlations_for = |weights: &[f64]| -> Result<Vec<f64>, Error> {
        let mut r = recipe.clone();
        for (id, &wi) in ids.iter().zip(weights) {
            r.weights.insert(id.clone(), wi);
        }
        let scores = crate::score(framework, data, &r)?;
        Ok(ids
            .iter()
            .zip(&tops)
            .map(|(id, top)| {
                correlation.between(
                    scores.score(id).unwrap_or_default(),
                    scores.score(top).unwrap_or_default(),
                )
            })
            .collect())
    };
    let objective_of = |w: &[f64]| -> Result<f64, Error> {
        let Some(weights) = weights_of(w) else {
            return Ok(f64::INFINITY);
        };
        let value = level_objective(&correlations_for(&weights)?, targets.as_deref());
        Ok(if value.is_nan() { f64::INFINITY } else { value })
    };
    let start: Vec<f64> = match &targets {
        Some(t) => t.clone(),
        None => positions
            .iter()
            .map(|&i| framework.nodes()[i].weight)
            .collect(),
    };
    optimiser.check()?;
    let (best, iterations) = match *optimiser {
        Optimiser::Converge { max_iterations } => {
            restarted_nelder_mead(&start, objective_of, max_iterations)?
        }
        Optimiser::Coinr { reltol, maxit } => r_nelder_mead(&start, objective_of, reltol, maxit)?,
    };
    let weights = weights_of(&best)
        .or_else(|| weights_of(&start))
        .ok_or_else(|| invalid(format!("the weights of level {level} sum to 0")))?;
    let correlations = correlations_for(&weights)?;
    Ok(LevelWeights {
        objective: level_objective(&correlations, targets.as_deref()),
        nodes: ids,
        weights,
        correlations,
        targets,
        iterations,
    })
}

/// COINr's objective of `get_opt_weights` for the correlations `r` of a level's nodes with the
/// index: log(Σ (tᵢ − rᵢ/Σr)² / k) with target shares `t` (`balance`), or −Σ rᵢ without
/// (`infomax`). Lower is better. At exact balance the mean square is 0, whose logarithm is
/// −∞ (as in R); it is floored at the least positive normal number, so the objective stays
/// finite (≈ −708.4) and still ranks below every imbalance.
#[must_use]
pub fn level_objective(r: &[f64], targets: Option<&[f64]>) -> f64 {
    match targets {
        Some(t) => {
            let total: f64 = r.iter().sum();
            let squares: f64 = t.iter().zip(r).map(|(t, r)| (t - r / total).powi(2)).sum();
            libm::log((squares / r.len() as f64).max(f64::MIN_POSITIVE))
        }
        None => -r.iter().sum::<f64>(),
    }
}

/// The result of [`optimise_level_weights`].
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelWeights {
    /// The nodes of the level, in framework order.
    pub nodes: Vec<String>,
    /// Their optimised weights, summing to 1 over the level (each parent's children are
    /// aggregated with their share of it).
    pub weights: Vec<f64>,
    /// Each node's correlation with the index under those weights.
    pub correlations: Vec<f64>,
    /// The target shares (`balance`), summing to 1.
    pub targets: Option<Vec<f64>>,
    /// [`level_objective`] at the optimum.
    pub objective: f64,
    /// Iterations used ([`Optimiser::Converge`]) or evaluations of the objective, R's count
    /// ([`Optimiser::Coinr`]).
    pub iterations: usize,
}
