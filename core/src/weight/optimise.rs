//! Weights optimised so that each child's correlation with a target node matches a target
//! share, as COINr's `get_opt_weights`.

use serde::{Deserialize, Serialize};

use crate::analysis::{CorrelationMethod, pearson};
use crate::dataset::Dataset;
use crate::error::{Error, MethodError};
use crate::framework::Framework;
use crate::recipe::Recipe;

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
    let invalid = |reason: String| MethodError::InvalidParameter {
        method: "optimised weights",
        reason,
    };
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

/// How many times [`optimise_level_weights`] restarts the simplex from its best point.
const RESTARTS: usize = 5;

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

/// Optimises the weights of every node of `level` together — COINr's
/// `get_opt_weights(coin, itarg, dset = "Aggregated", Level, cortype, optype)` — against the
/// correlation (`correlation`: Pearson, Spearman or Kendall) of each node of the level with the
/// top node above it (the index), re-scoring the framework with each candidate.
///
/// How it stops: the Nelder–Mead simplex (as in [`optimise_weights`]) runs from COINr's start
/// (the target shares for `balance`, the current weights for `infomax`) until the objective's
/// values over the simplex agree to 1e-12 relative; it is then restarted from its best point,
/// up to 5 times, while a restart still improves the objective; `max_iterations` bounds all
/// runs together.
/// COINr 1.1.14 calls `stats::optim` with `reltol = 0.1` on its logarithmic objective, so its
/// simplex stops after a few steps, barely moving the weights from the start; this one runs to
/// convergence. [`level_objective`] evaluates COINr's objective for any weights' correlations,
/// so the two results can be compared on COINr's own terms.
///
/// # Errors
/// A level without weighted nodes; shares of the wrong length, negative or summing to 0; any
/// scoring error.
pub fn optimise_level_weights(
    framework: &Framework,
    data: &Dataset,
    recipe: &Recipe,
    level: u32,
    aim: &LevelAim,
    correlation: CorrelationMethod,
    max_iterations: usize,
) -> Result<LevelWeights, Error> {
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
    let k = positions.len();
    let targets = match aim {
        LevelAim::Infomax => None,
        LevelAim::Balance { shares: None } => Some(vec![1.0 / k as f64; k]),
        LevelAim::Balance { shares: Some(s) } => {
            let total: f64 = s.iter().sum();
            if s.len() != k
                || s.iter().any(|v| !(*v >= 0.0 && v.is_finite()))
                || total <= 0.0
                || !total.is_finite()
            {
                return Err(invalid(format!(
                    "shares must be {k} non-negative numbers (one per node of level {level}) \
                     with a positive sum"
                ))
                .into());
            }
            Some(s.iter().map(|v| v / total).collect())
        }
    };
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
    let correlations_for = |w: &[f64]| -> Result<Vec<f64>, Error> {
        let total: f64 = w.iter().map(|v| v.abs()).sum();
        let mut r = recipe.clone();
        for (id, &wi) in ids.iter().zip(w) {
            r.weights.insert(id.clone(), wi.abs() / total);
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
        let value = level_objective(&correlations_for(w)?, targets.as_deref());
        Ok(if value.is_nan() { f64::INFINITY } else { value })
    };
    let start: Vec<f64> = match &targets {
        Some(t) => t.clone(),
        None => positions
            .iter()
            .map(|&i| framework.nodes()[i].weight)
            .collect(),
    };
    let (best, iterations) = restarted_nelder_mead(&start, objective_of, max_iterations)?;
    let total: f64 = best.iter().map(|w| w.abs()).sum();
    let weights: Vec<f64> = best.iter().map(|w| w.abs() / total).collect();
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
/// (`infomax`). Lower is better.
#[must_use]
pub fn level_objective(r: &[f64], targets: Option<&[f64]>) -> f64 {
    match targets {
        Some(t) => {
            let total: f64 = r.iter().sum();
            let squares: f64 = t.iter().zip(r).map(|(t, r)| (t - r / total).powi(2)).sum();
            libm::log(squares / r.len() as f64)
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
    /// Nelder–Mead iterations used.
    pub iterations: usize,
}

/// [`nelder_mead`] restarted from its best point, up to [`RESTARTS`] times, while that still
/// improves: a simplex in several dimensions can collapse before the optimum (Press et al.,
/// Numerical Recipes, §10.5). `max_iterations` bounds all runs together.
fn restarted_nelder_mead(
    start: &[f64],
    f: impl Fn(&[f64]) -> Result<f64, Error> + Copy,
    max_iterations: usize,
) -> Result<(Vec<f64>, usize), Error> {
    let (mut best, mut iterations) = nelder_mead(start, f, max_iterations)?;
    let mut value = f(&best)?;
    for _ in 0..RESTARTS {
        if iterations >= max_iterations {
            break;
        }
        let (again, used) = nelder_mead(&best, f, max_iterations - iterations)?;
        iterations += used;
        let again_value = f(&again)?;
        // (The objectives here are never NaN.)
        if again_value >= value - 1e-12 * value.abs() {
            break;
        }
        (best, value) = (again, again_value);
    }
    Ok((best, iterations))
}

/// Nelder–Mead minimisation of `f` from `start` (initial simplex: each coordinate scaled by
/// 1.1, or set to 0.1 if zero), stopping when the simplex's values agree to 1e-12 (relative) or
/// after `max_iterations`. Returns the best point and the iterations used.
fn nelder_mead(
    start: &[f64],
    f: impl Fn(&[f64]) -> Result<f64, Error>,
    max_iterations: usize,
) -> Result<(Vec<f64>, usize), Error> {
    let k = start.len();
    let start = start.to_vec();
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(k + 1);
    simplex.push((start.clone(), f(&start)?));
    for j in 0..k {
        let mut v = start.clone();
        v[j] = if v[j] == 0.0 { 0.1 } else { v[j] * 1.1 };
        let value = f(&v)?;
        simplex.push((v, value));
    }
    let mut iterations = 0;
    while iterations < max_iterations {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        if simplex[k].1 - simplex[0].1 <= 1e-12 * (1.0 + simplex[0].1.abs()) {
            break;
        }
        iterations += 1;
        let centroid: Vec<f64> = (0..k)
            .map(|j| simplex[..k].iter().map(|p| p.0[j]).sum::<f64>() / k as f64)
            .collect();
        let along = |t: f64| -> Vec<f64> {
            (0..k)
                .map(|j| centroid[j] + t * (simplex[k].0[j] - centroid[j]))
                .collect()
        };
        let reflected = along(-1.0);
        let fr = f(&reflected)?;
        if fr < simplex[0].1 {
            let expanded = along(-2.0);
            let fe = f(&expanded)?;
            simplex[k] = if fe < fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr < simplex[k - 1].1 {
            simplex[k] = (reflected, fr);
        } else {
            let contracted = along(0.5);
            let fc = f(&contracted)?;
            if fc < simplex[k].1 {
                simplex[k] = (contracted, fc);
            } else {
                let best = simplex[0].0.clone();
                for p in simplex.iter_mut().skip(1) {
                    p.0 = (0..k).map(|j| best[j] + 0.5 * (p.0[j] - best[j])).collect();
                    p.1 = f(&p.0)?;
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    Ok((simplex.swap_remove(0).0, iterations))
}
