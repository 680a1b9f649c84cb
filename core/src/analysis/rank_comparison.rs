//! Measures comparing two rankings (1 = best), as pymcdm's `correlations` module.

use serde::{Deserialize, Serialize};

/// A measure comparing two rankings, by name (pymcdm's function names in its `correlations`
/// module, snake case).
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankComparison {
    /// [`spearman_rs`].
    SpearmanRs,
    /// [`weighted_spearman`].
    WeightedSpearman,
    /// [`ws_coefficient`].
    WsCoefficient,
    /// [`kendall_tau`].
    KendallTau,
    /// [`goodman_kruskal_gamma`].
    GoodmanKruskalGamma,
}

impl RankComparison {
    /// The measure between rankings `x` and `y` (of the same alternatives, 1 = best).
    ///
    /// # Errors
    /// Rankings of different lengths, or of fewer than two alternatives.
    pub fn between(self, x: &[f64], y: &[f64]) -> Result<f64, crate::error::MethodError> {
        if x.len() != y.len() || x.len() < 2 {
            return Err(crate::error::MethodError::CountMismatch {
                method: "rank comparison",
                what: "the second ranking",
                expected: x.len().max(2),
                found: y.len(),
            });
        }
        Ok(match self {
            RankComparison::SpearmanRs => spearman_rs(x, y),
            RankComparison::WeightedSpearman => weighted_spearman(x, y),
            RankComparison::WsCoefficient => ws_coefficient(x, y),
            RankComparison::KendallTau => kendall_tau(x, y),
            RankComparison::GoodmanKruskalGamma => goodman_kruskal_gamma(x, y),
        })
    }
}

/// Spearman's rs = 1 − 6Σd²/(n(n² − 1)) for rankings without ties.
#[must_use]
pub fn spearman_rs(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let d2: f64 = x.iter().zip(y).map(|(a, b)| (a - b) * (a - b)).sum();
    1.0 - 6.0 * d2 / (n * (n * n - 1.0))
}

/// Weighted Spearman rw = 1 − 6Σ(x − y)²((n − x + 1) + (n − y + 1))/(n⁴ + n³ − n² − n), which
/// weighs disagreements at the top more (Pinto da Costa & Soares 2005).
#[must_use]
pub fn weighted_spearman(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let num: f64 = x
        .iter()
        .zip(y)
        .map(|(a, b)| (a - b) * (a - b) * ((n - a + 1.0) + (n - b + 1.0)))
        .sum();
    1.0 - 6.0 * num / (n.powi(4) + n.powi(3) - n * n - n)
}

/// The WS rank similarity coefficient (Sałabun & Urbaniak 2020):
/// WS = 1 − Σ 2^(−xᵢ)·|xᵢ − yᵢ|/max(|xᵢ − 1|, |xᵢ − n|), with x the reference ranking
/// (asymmetric).
#[must_use]
pub fn ws_coefficient(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    1.0 - x
        .iter()
        .zip(y)
        .map(|(a, b)| libm::pow(2.0, -a) * (a - b).abs() / (a - 1.0).abs().max((a - n).abs()))
        .sum::<f64>()
}

fn concordance(x: &[f64], y: &[f64]) -> (f64, f64) {
    let n = x.len();
    let (mut c, mut d) = (0.0, 0.0);
    for i in 0..n {
        for j in i + 1..n {
            let s = (x[i] - x[j]) * (y[i] - y[j]);
            if s > 0.0 {
                c += 1.0;
            } else if s < 0.0 {
                d += 1.0;
            }
        }
    }
    (c, d)
}

/// Kendall's τ = (C − D)/(n(n − 1)/2) over all pairs (τ-a, as pymcdm).
#[must_use]
pub fn kendall_tau(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (c, d) = concordance(x, y);
    (c - d) / (n * (n - 1.0) / 2.0)
}

/// Goodman and Kruskal's γ = (C − D)/(C + D).
#[must_use]
pub fn goodman_kruskal_gamma(x: &[f64], y: &[f64]) -> f64 {
    let (c, d) = concordance(x, y);
    (c - d) / (c + d)
}
