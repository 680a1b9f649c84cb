//! Ratio methods: COPRAS, EDAS, MOORA.

use super::scaling::{Scaling, scale};
use super::{DecisionMatrix, row_weighted_sum};
use crate::error::MethodError;
use crate::framework::Direction;
use crate::stats;

/// Weighted sums of benefit and cost columns per row, with weights renormalised over the
/// criteria present in the row.
fn split_sums(values: &[Vec<f64>], w: &[f64], directions: &[Direction], r: usize) -> (f64, f64) {
    let total: f64 = values
        .iter()
        .zip(w)
        .filter(|(c, _)| !c[r].is_nan())
        .map(|(_, wj)| wj)
        .sum();
    let (mut benefit, mut cost) = (0.0, 0.0);
    for ((c, &wj), &d) in values.iter().zip(w).zip(directions) {
        if c[r].is_nan() {
            continue;
        }
        match d {
            Direction::Positive => benefit += wj / total * c[r],
            Direction::Negative => cost += wj / total * c[r],
        }
    }
    (benefit, cost)
}

/// COPRAS as in the textbook (Zavadskas, Kaklauskas & Šarka 1994): with d = w·x/Σx (column
/// sums, no inversion of costs), S⁺ and S⁻ the sums over benefit and cost criteria,
/// Q = S⁺ + ΣS⁻/(S⁻·Σ(1/S⁻)) and the score is the utility degree Q/max Q (pyrepo-mcda;
/// scikit-criteria gives it in percent). pymcdm's COPRAS differs: its Q reduces to S⁺ + S⁻.
pub(super) fn copras(m: &DecisionMatrix) -> Result<Vec<f64>, MethodError> {
    let w = m.unit_weights();
    let mut shares = Vec::with_capacity(m.columns.len());
    for (x, id) in m.columns.iter().zip(&m.criteria) {
        if stats::present(x).any(|v| v < 0.0) {
            return Err(MethodError::DegenerateCriterion {
                method: "COPRAS",
                criterion: id.clone(),
                reason: "has negative values",
            });
        }
        let total: f64 = stats::present(x).sum();
        if total == 0.0 {
            return Err(MethodError::DegenerateCriterion {
                method: "COPRAS",
                criterion: id.clone(),
                reason: "sums to zero",
            });
        }
        shares.push(x.iter().map(|v| v / total).collect::<Vec<f64>>());
    }
    let n = m.n();
    let sums: Vec<(f64, f64)> = (0..n)
        .map(|r| split_sums(&shares, &w, &m.directions, r))
        .collect();
    let has_costs = m.directions.contains(&Direction::Negative);
    let q: Vec<f64> = if has_costs {
        if let Some(r) = (0..n).find(|&r| sums[r].1 == 0.0) {
            return Err(MethodError::InvalidParameter {
                method: "COPRAS",
                reason: format!(
                    "alternative `{}` has a zero total on the cost criteria",
                    m.alternatives[r]
                ),
            });
        }
        let present = sums.iter().filter(|s| !s.1.is_nan());
        let sum_minus: f64 = present.clone().map(|s| s.1).sum();
        let sum_inverse: f64 = present.map(|s| 1.0 / s.1).sum();
        sums.iter()
            .map(|&(p, c)| p + sum_minus / (c * sum_inverse))
            .collect()
    } else {
        sums.iter().map(|s| s.0).collect()
    };
    let best = q
        .iter()
        .copied()
        .filter(|v| !v.is_nan())
        .fold(f64::NEG_INFINITY, f64::max);
    Ok(q.iter().map(|v| v / best).collect())
}

/// EDAS (Keshavarz Ghorabaee et al. 2015; pymcdm's `EDAS`): with AV each criterion's average,
/// PDA = max(0, ±(x − AV)/AV) and NDA = max(0, ∓(x − AV)/AV) (sign by direction),
/// SP = Σ w·PDA, SN = Σ w·NDA, NSP = SP/max SP, NSN = 1 − SN/max SN; the score is
/// (NSP + NSN)/2 in [0, 1].
pub(super) fn edas(m: &DecisionMatrix) -> Result<Vec<f64>, MethodError> {
    let w = m.unit_weights();
    let mut positive = Vec::new();
    let mut negative = Vec::new();
    for ((x, &d), id) in m.columns.iter().zip(&m.directions).zip(&m.criteria) {
        let av = stats::mean(x).unwrap_or(f64::NAN);
        if av == 0.0 || av.is_nan() {
            return Err(MethodError::DegenerateCriterion {
                method: "EDAS",
                criterion: id.clone(),
                reason: "has an average of zero",
            });
        }
        let s = d.sign();
        // `f64::max` would turn a missing value into 0: keep it missing.
        let part = |t: f64| if t.is_nan() { t } else { t.max(0.0) };
        positive.push(
            x.iter()
                .map(|&v| part(s * (v - av) / av))
                .collect::<Vec<f64>>(),
        );
        negative.push(
            x.iter()
                .map(|&v| part(-s * (v - av) / av))
                .collect::<Vec<f64>>(),
        );
    }
    let n = m.n();
    let sp: Vec<f64> = (0..n).map(|r| row_weighted_sum(&positive, &w, r)).collect();
    let sn: Vec<f64> = (0..n).map(|r| row_weighted_sum(&negative, &w, r)).collect();
    let max = |v: &[f64]| {
        v.iter()
            .copied()
            .filter(|x| !x.is_nan())
            .fold(0.0, f64::max)
    };
    let (max_sp, max_sn) = (max(&sp), max(&sn));
    if max_sp == 0.0 || max_sn == 0.0 {
        return Err(MethodError::InvalidParameter {
            method: "EDAS",
            reason: "every alternative is at the average on every criterion".to_owned(),
        });
    }
    Ok((0..n)
        .map(|r| (sp[r] / max_sp + 1.0 - sn[r] / max_sn) / 2.0)
        .collect())
}

/// MOORA ratio system (Brauers & Zavadskas 2006; pymcdm's `MOORA`): with n = x/√Σx² (no
/// inversion of costs), the score is Σ w·n over benefits − Σ w·n over costs.
pub(super) fn moora(m: &DecisionMatrix) -> Result<Vec<f64>, MethodError> {
    let w = m.unit_weights();
    let scaled = m
        .columns
        .iter()
        .zip(&m.criteria)
        .map(|(x, id)| scale(x, Direction::Positive, Scaling::Vector, id))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((0..m.n())
        .map(|r| {
            let (benefit, cost) = split_sums(&scaled, &w, &m.directions, r);
            if m.columns.iter().all(|c| c[r].is_nan()) {
                f64::NAN
            } else {
                benefit - cost
            }
        })
        .collect())
}
