//! WASPAS: the weighted sum and the weighted product combined.

use super::DecisionMatrix;
use super::scaling::{Scaling, scale};
use crate::error::MethodError;

/// WASPAS (Zavadskas et al. 2012; pymcdm's `WASPAS`): with n linear-normalised (x/max for
/// benefits, min/x for costs), Q = λ·Σ w·n + (1 − λ)·Π n^w.
pub(super) fn waspas(m: &DecisionMatrix, lambda: f64) -> Result<Vec<f64>, MethodError> {
    if !(0.0..=1.0).contains(&lambda) {
        return Err(MethodError::InvalidParameter {
            method: "WASPAS",
            reason: format!("λ ({lambda}) must lie in [0, 1]"),
        });
    }
    let w = m.unit_weights();
    let scaled = m
        .columns
        .iter()
        .zip(&m.directions)
        .zip(&m.criteria)
        .map(|((x, &d), id)| scale(x, d, Scaling::Linear, id))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((0..m.n())
        .map(|r| {
            let total: f64 = scaled
                .iter()
                .zip(&w)
                .filter(|(c, _)| !c[r].is_nan())
                .map(|(_, wj)| wj)
                .sum();
            if total == 0.0 {
                return f64::NAN;
            }
            let (mut sum, mut product) = (0.0, 1.0);
            for (c, &wj) in scaled.iter().zip(&w) {
                if !c[r].is_nan() {
                    sum += wj / total * c[r];
                    product *= libm::pow(c[r], wj / total);
                }
            }
            lambda * sum + (1.0 - lambda) * product
        })
        .collect())
}
