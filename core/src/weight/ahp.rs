//! The analytic hierarchy process: weights from a pairwise-comparison matrix.

use crate::error::MethodError;

/// Saaty's random consistency index RI for n = 1…15 (Saaty 1980; 11–15 from Saaty 2008).
pub const RANDOM_INDEX: [f64; 15] = [
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
];

/// The result of AHP.
#[derive(Debug, Clone, PartialEq)]
pub struct Ahp {
    /// The normalised principal eigenvector (sums to 1).
    pub weights: Vec<f64>,
    /// The principal eigenvalue λmax.
    pub lambda_max: f64,
    /// Consistency index (λmax − n)/(n − 1).
    pub consistency_index: f64,
    /// Consistency ratio CI/RI (0 for n ≤ 2).
    pub consistency_ratio: f64,
}

/// Weights from a pairwise-comparison matrix `a` (row i, column j: how much more important i is
/// than j, on Saaty's 1–9 scale): the principal eigenvector by power iteration, λmax = Σ(A·w)
/// with Σw = 1, CI = (λmax − n)/(n − 1), CR = CI/RI (Saaty 1980).
///
/// # Errors
/// [`MethodError::InvalidPairwise`] unless `a` is square (1 ≤ n ≤ 15), positive, with ones on the
/// diagonal and reciprocal (aⱼᵢ = 1/aᵢⱼ within 1e-9, naming the cell);
/// [`MethodError::Inconsistent`] when CR > 0.1 and `accept_inconsistent` is false.
pub fn ahp(a: &[Vec<f64>], accept_inconsistent: bool) -> Result<Ahp, MethodError> {
    let n = a.len();
    let invalid = |reason: String| Err(MethodError::InvalidPairwise { reason });
    if n == 0 || n > RANDOM_INDEX.len() {
        return invalid(format!(
            "the matrix must have 1 to {} rows, not {n}",
            RANDOM_INDEX.len()
        ));
    }
    for (i, row) in a.iter().enumerate() {
        if row.len() != n {
            return invalid(format!("row {} has {} entries, not {n}", i + 1, row.len()));
        }
        for (j, &v) in row.iter().enumerate() {
            if !v.is_finite() || v <= 0.0 {
                return invalid(format!(
                    "entry ({}, {}) is {v}, not a positive number",
                    i + 1,
                    j + 1
                ));
            }
            if i == j && v != 1.0 {
                return invalid(format!("diagonal entry ({0}, {0}) is {v}, not 1", i + 1));
            }
            if (v * a[j][i] - 1.0).abs() > 1e-9 {
                return invalid(format!(
                    "entries ({}, {}) = {v} and ({}, {}) = {} are not reciprocal",
                    i + 1,
                    j + 1,
                    j + 1,
                    i + 1,
                    a[j][i]
                ));
            }
        }
    }
    let mut w = vec![1.0 / n as f64; n];
    for _ in 0..10_000 {
        let next: Vec<f64> = a
            .iter()
            .map(|row| row.iter().zip(&w).map(|(x, y)| x * y).sum())
            .collect();
        let total: f64 = next.iter().sum();
        let next: Vec<f64> = next.into_iter().map(|v| v / total).collect();
        let change = next
            .iter()
            .zip(&w)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        w = next;
        if change < 1e-16 {
            break;
        }
    }
    let lambda_max: f64 = a
        .iter()
        .map(|row| row.iter().zip(&w).map(|(x, y)| x * y).sum::<f64>())
        .sum();
    let nf = n as f64;
    let consistency_index = if n > 1 {
        (lambda_max - nf) / (nf - 1.0)
    } else {
        0.0
    };
    let ri = RANDOM_INDEX[n - 1];
    let consistency_ratio = if ri > 0.0 {
        consistency_index / ri
    } else {
        0.0
    };
    if consistency_ratio > 0.1 && !accept_inconsistent {
        return Err(MethodError::Inconsistent {
            ratio: consistency_ratio,
        });
    }
    Ok(Ahp {
        weights: w,
        lambda_max,
        consistency_index,
        consistency_ratio,
    })
}
