//! Measures comparing two rankings (1 = best), as pymcdm's `correlations` module.

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
