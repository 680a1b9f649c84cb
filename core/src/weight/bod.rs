//! Benefit of the doubt: each unit weighted in its own most favourable way, one linear
//! programme per unit.

use serde::{Deserialize, Serialize};

use crate::error::MethodError;
use crate::mcda::DecisionMatrix;

/// Optional bounds on the share each criterion may take of a unit's composite
/// (wⱼ·y(c, j) / Σᵢ wᵢ·y(c, i), Cherchye et al. 2007), and on the weights themselves.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ShareBounds {
    /// Smallest share of any criterion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest share of any criterion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Smallest absolute weight of any criterion (on the scale of the data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_min: Option<f64>,
}

/// Benefit-of-the-doubt scores and each unit's own weights.
#[derive(Debug, Clone, PartialEq)]
pub struct BenefitOfTheDoubt {
    /// The composite of each unit, in [0, 1] (1 = on the frontier).
    pub scores: Vec<f64>,
    /// The weights chosen for each unit (one row per unit, one entry per criterion).
    pub weights: Vec<Vec<f64>>,
}

/// Benefit of the doubt (Melyn & Moesen 1991; Cherchye, Moesen, Rogge & Van Puyenbroeck 2007;
/// OECD/JRC Handbook §6.1): for each unit c, maximise Σⱼ wⱼ·y(c, j) subject to Σⱼ wⱼ·y(k, j) ≤ 1 for
/// every unit k, wⱼ ≥ 0 (or a floor), and optionally share bounds. Without a weight floor the
/// programme is always feasible (w = 0) and bounded (by the unit's own constraint). Solved with the pure-Rust simplex solver
/// `microlp`. Values must be non-negative (normalised scores); a missing value counts as 0.
///
/// # Errors
/// Negative values; share bounds outside [0, 1] or with min > max;
/// [`MethodError::Programme`] naming the unit whose programme is infeasible or unbounded.
pub fn benefit_of_the_doubt(
    m: &DecisionMatrix,
    bounds: ShareBounds,
) -> Result<BenefitOfTheDoubt, MethodError> {
    let value = |c: usize, r: usize| {
        let v = m.columns[c][r];
        if v.is_nan() { 0.0 } else { v }
    };
    for (c, id) in m.criteria.iter().enumerate() {
        if m.columns[c].iter().any(|v| *v < 0.0) {
            return Err(MethodError::DegenerateCriterion {
                method: "benefit of the doubt",
                criterion: id.clone(),
                reason: "has negative values; normalise it first",
            });
        }
    }
    let in_unit = |x: Option<f64>| x.is_none_or(|v| (0.0..=1.0).contains(&v));
    let floor_ok = bounds.weight_min.is_none_or(|w| w.is_finite() && w >= 0.0);
    if !in_unit(bounds.min)
        || !in_unit(bounds.max)
        || bounds.min.unwrap_or(0.0) > bounds.max.unwrap_or(1.0)
        || !floor_ok
    {
        return Err(MethodError::InvalidParameter {
            method: "benefit of the doubt",
            reason: "share bounds must lie in [0, 1] with min ≤ max, and the weight floor be non-negative".to_owned(),
        });
    }
    solve(m, bounds, value)
}

/// One programme per unit, solved by `microlp`.
#[cfg(feature = "linear-programming")]
fn solve(
    m: &DecisionMatrix,
    bounds: ShareBounds,
    value: impl Fn(usize, usize) -> f64,
) -> Result<BenefitOfTheDoubt, MethodError> {
    use microlp::{ComparisonOp, OptimizationDirection, Problem};
    let k = m.columns.len();
    let n = m.alternatives.len();
    let mut scores = Vec::with_capacity(n);
    let mut weights = Vec::with_capacity(n);
    for c in 0..n {
        let mut problem = Problem::new(OptimizationDirection::Maximize);
        let floor = bounds.weight_min.unwrap_or(0.0);
        let vars: Vec<_> = (0..k)
            .map(|j| problem.add_var(value(j, c), (floor, f64::INFINITY)))
            .collect();
        for r in 0..n {
            let row: Vec<_> = vars
                .iter()
                .enumerate()
                .map(|(j, &v)| (v, value(j, r)))
                .collect();
            problem.add_constraint(&row, ComparisonOp::Le, 1.0);
        }
        for (share, op) in [
            (bounds.min, ComparisonOp::Ge),
            (bounds.max, ComparisonOp::Le),
        ] {
            let Some(share) = share else { continue };
            for j in 0..k {
                let row: Vec<_> = vars
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        (
                            v,
                            f64::from(u8::from(i == j)) * value(j, c) - share * value(i, c),
                        )
                    })
                    .collect();
                problem.add_constraint(&row, op, 0.0);
            }
        }
        let solution = problem.solve().map_err(|e| MethodError::Programme {
            unit: m.alternatives[c].clone(),
            reason: match e {
                microlp::Error::Infeasible => {
                    "the constraints cannot all hold (infeasible)".to_owned()
                }
                microlp::Error::Unbounded => "the composite is unbounded".to_owned(),
                microlp::Error::InternalError(s) => s,
            },
        })?;
        scores.push(solution.objective());
        weights.push(vars.iter().map(|&v| solution[v]).collect());
    }
    Ok(BenefitOfTheDoubt { scores, weights })
}

/// A build without the solver (the `linear-programming` feature).
#[cfg(not(feature = "linear-programming"))]
fn solve(
    _: &DecisionMatrix,
    _: ShareBounds,
    _: impl Fn(usize, usize) -> f64,
) -> Result<BenefitOfTheDoubt, MethodError> {
    Err(MethodError::Unavailable {
        method: "benefit of the doubt",
        feature: "linear-programming",
    })
}
