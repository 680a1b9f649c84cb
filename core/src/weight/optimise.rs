//! Weights optimised so that each child's correlation with a target node matches a target
//! share, as COINr's `get_opt_weights`.

use serde::{Deserialize, Serialize};

use crate::analysis::pearson;
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
