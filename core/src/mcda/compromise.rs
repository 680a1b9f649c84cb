//! Distance-to-ideal methods: TOPSIS and VIKOR.

use super::scaling::{Scaler, Scaling};
use super::{DecisionMatrix, row_weighted_sum};
use crate::error::MethodError;
use crate::framework::Direction;
use crate::stats;

/// TOPSIS (Hwang & Yoon 1981; pymcdm's `TOPSIS`): with n the normalised matrix and w the unit
/// weights, v = w·n; the ideal v⁺ and anti-ideal v⁻ are each column's maximum and minimum;
/// D± = √Σ(v − v±)²; the score is D⁻/(D⁺ + D⁻), in [0, 1], higher is better.
pub(super) fn topsis(m: &DecisionMatrix, scaling: Scaling) -> Result<Vec<f64>, MethodError> {
    let w = m.unit_weights();
    let n = m.n();
    // One criterion at a time, so that each scaled column stays in cache: per unit, the sums of
    // squared distances to the ideal and anti-ideal and of the weights present; weights are
    // renormalised over the present criteria at the end.
    // Criteria in fixed groups of 16, each group by one task (in parallel with the `parallel`
    // feature), one criterion at a time so that its column stays in cache; the groups' partial
    // sums are then added in group order, so the bits never depend on the number of threads.
    let criteria: Vec<usize> = (0..m.columns.len()).collect();
    let groups: Vec<&[usize]> = criteria.chunks(16).collect();
    let parts = crate::parallel::map(&groups, |group| -> Result<[Vec<f64>; 3], MethodError> {
        let (mut plus, mut minus, mut total) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        let mut complete_weight = 0.0;
        for &c in *group {
            let (x, wj) = (&m.columns[c], w[c]);
            let scaler = Scaler::new(x, m.directions[c], scaling, &m.criteria[c])?;
            let (lo, hi) = scaler.bounds();
            let (lo, hi) = (wj * lo, wj * hi);
            let cells = x.iter().zip(&mut plus).zip(&mut minus);
            if scaler.has_missing() {
                for (((&value, p), q), t) in cells.zip(&mut total) {
                    if !value.is_nan() {
                        let v = wj * scaler.apply(value);
                        *p += (v - hi) * (v - hi);
                        *q += (v - lo) * (v - lo);
                        *t += wj;
                    }
                }
            } else {
                complete_weight += wj;
                match scaler.affine() {
                    // The common case as one multiply-add per value, so the loop vectorises.
                    Some((a, b)) => {
                        let (a, b) = (wj * a, wj * b);
                        let (x, p, q) = (&x[..n], &mut plus[..n], &mut minus[..n]);
                        for r in 0..n {
                            let v = a * x[r] + b;
                            p[r] += (v - hi) * (v - hi);
                            q[r] += (v - lo) * (v - lo);
                        }
                    }
                    None => {
                        for ((&value, p), q) in cells {
                            let v = wj * scaler.apply(value);
                            *p += (v - hi) * (v - hi);
                            *q += (v - lo) * (v - lo);
                        }
                    }
                }
            }
        }
        for t in &mut total {
            *t += complete_weight;
        }
        Ok([plus, minus, total])
    });
    let (mut plus, mut minus, mut total) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for part in parts {
        let [p, q, t] = part?;
        for r in 0..n {
            plus[r] += p[r];
            minus[r] += q[r];
            total[r] += t[r];
        }
    }
    Ok((0..n)
        .map(|r| {
            if total[r] == 0.0 {
                return f64::NAN;
            }
            let (dp, dm) = (plus[r].sqrt() / total[r], minus[r].sqrt() / total[r]);
            dm / (dp + dm)
        })
        .collect())
}

/// VIKOR (Opricovic & Tzeng 2004; pymcdm's `VIKOR` without normalisation): with f* and f⁻ each
/// criterion's best and worst value, S = Σ w(f* − x)/(f* − f⁻) (group utility), R = max of the
/// same terms (individual regret), Q = v(S − S*)/(S⁻ − S*) + (1 − v)(R − R*)/(R⁻ − R*), with S*,
/// S⁻ the smallest and largest S (likewise R). Lower Q is better. A term whose spread is zero
/// (every alternative has the same S, or the same R) contributes 0.
pub(super) fn vikor(m: &DecisionMatrix, v: f64) -> Result<Vec<f64>, MethodError> {
    if !(0.0..=1.0).contains(&v) {
        return Err(MethodError::InvalidParameter {
            method: "VIKOR",
            reason: format!("v ({v}) must lie in [0, 1]"),
        });
    }
    let w = m.unit_weights();
    let mut terms = Vec::with_capacity(m.columns.len());
    for ((x, &d), id) in m.columns.iter().zip(&m.directions).zip(&m.criteria) {
        let (lo, hi) = stats::min_max(x).unwrap_or((f64::NAN, f64::NAN));
        if lo == hi || lo.is_nan() {
            return Err(MethodError::DegenerateCriterion {
                method: "VIKOR",
                criterion: id.clone(),
                reason: "is constant",
            });
        }
        let (best, worst) = if d == Direction::Negative {
            (lo, hi)
        } else {
            (hi, lo)
        };
        terms.push(
            x.iter()
                .map(|&x| (best - x) / (best - worst))
                .collect::<Vec<f64>>(),
        );
    }
    let n = m.n();
    let s: Vec<f64> = (0..n).map(|r| row_weighted_sum(&terms, &w, r)).collect();
    let big_r: Vec<f64> = (0..n)
        .map(|r| {
            let total: f64 = terms
                .iter()
                .zip(&w)
                .filter(|(t, _)| !t[r].is_nan())
                .map(|(_, wj)| wj)
                .sum();
            terms
                .iter()
                .zip(&w)
                .filter(|(t, _)| !t[r].is_nan())
                .map(|(t, wj)| wj / total * t[r])
                .fold(f64::NAN, f64::max)
        })
        .collect();
    let spread = |x: &[f64]| stats::min_max(x).unwrap_or((0.0, 0.0));
    let ((s_best, s_worst), (r_best, r_worst)) = (spread(&s), spread(&big_r));
    let part = |x: f64, best: f64, worst: f64| {
        if worst == best {
            0.0
        } else {
            (x - best) / (worst - best)
        }
    };
    Ok((0..n)
        .map(|r| v * part(s[r], s_best, s_worst) + (1.0 - v) * part(big_r[r], r_best, r_worst))
        .collect())
}
