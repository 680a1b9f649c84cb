//! The Mazziotta–Pareto index (MPI) and its adjusted form (AMPI).

use super::DecisionMatrix;
use crate::error::MethodError;
use crate::framework::Direction;
use crate::stats;

/// MPI⁻ (De Muro, Mazziotta & Pareto 2011): each criterion is standardised to
/// z = 100 ± 10·(x − mean)/sd (population sd; − for costs); for each unit, with M and S the
/// mean and population standard deviation of its z values and cv = S/M, MPI⁻ = M − S·cv, which
/// penalises unbalanced profiles.
///
/// AMPI⁻ (Mazziotta & Pareto 2016) rescales instead to r = 70 + 60·(x − min)/(max − min)
/// (reversed for costs), the goalposts here being each criterion's range, then applies the same
/// penalty. With unequal weights, M and S are the weighted mean and weighted population
/// standard deviation (weights renormalised over the criteria present); equal weights give the
/// published formulas.
pub(super) fn mpi(m: &DecisionMatrix, adjusted: bool) -> Result<Vec<f64>, MethodError> {
    let w = m.unit_weights();
    let mut z = Vec::with_capacity(m.columns.len());
    for ((x, &d), id) in m.columns.iter().zip(&m.directions).zip(&m.criteria) {
        let degenerate = || MethodError::DegenerateCriterion {
            method: "MPI",
            criterion: id.clone(),
            reason: "is constant",
        };
        let s = d.sign();
        z.push(if adjusted {
            let (lo, hi) = stats::min_max(x).ok_or_else(degenerate)?;
            if lo == hi {
                return Err(degenerate());
            }
            x.iter()
                .map(|&v| {
                    let t = (v - lo) / (hi - lo);
                    70.0 + 60.0 * if d == Direction::Negative { 1.0 - t } else { t }
                })
                .collect::<Vec<f64>>()
        } else {
            let mean = stats::mean(x).ok_or_else(degenerate)?;
            let sd = stats::sd(x, mean, 0)
                .filter(|s| *s > 0.0)
                .ok_or_else(degenerate)?;
            x.iter()
                .map(|&v| 100.0 + s * 10.0 * (v - mean) / sd)
                .collect()
        });
    }
    Ok((0..m.n())
        .map(|r| {
            let present: Vec<(f64, f64)> = z
                .iter()
                .zip(&w)
                .filter(|(c, _)| !c[r].is_nan())
                .map(|(c, &wj)| (c[r], wj))
                .collect();
            let total: f64 = present.iter().map(|p| p.1).sum();
            if total == 0.0 {
                return f64::NAN;
            }
            let mean = present.iter().map(|(v, wj)| wj * v).sum::<f64>() / total;
            let var = present
                .iter()
                .map(|(v, wj)| wj * (v - mean) * (v - mean))
                .sum::<f64>()
                / total;
            let sd = var.sqrt();
            mean - sd * (sd / mean)
        })
        .collect())
}
