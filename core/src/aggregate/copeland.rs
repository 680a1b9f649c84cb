//! Copeland's outranking count, as COINr's `a_copeland`.

/// Copeland scores of the units (rows) from their children's columns and weights.
///
/// With weights rescaled to sum to 1, the outranking matrix is, for i < j,
/// O\[i,j\] = Σ w over children where xᵢ > xⱼ, plus ½ Σ w over children where xᵢ = xⱼ (skipping
/// children where either value is missing), and O\[j,i\] = 1 − O\[i,j\]. Unit i scores
/// Σⱼ≠ᵢ sign(O\[i,j\] − ½).
///
/// With W the sum of the raw weights and G, L, M the raw weights of the children where xᵢ > xⱼ,
/// xᵢ < xⱼ, or a value is missing, O\[i,j\] − ½ = (G − L − M)/(2W), so the sign is computed as
/// sign(G − L − M) without rescaling. This is exact for whole-number weights and, without
/// missing values, antisymmetric in i and j whatever the weights, so equal units get equal
/// scores (rescaled weights can round 3 × ⅓ away from 1 and break such ties).
///
/// This is COINr's `outrankMatrix`, including its convention of deriving the lower triangle from
/// the upper one: when values are missing, the missing comparisons count against the unit listed
/// first, and scores then depend on the order of the units. Without missing values they do not.
/// A unit with no present child scores `NaN`. Runs in O(n²·k) time and O(n) memory.
///
/// Reference: Munda & Nardo (2009), *Applied Economics* 41(12); COINr 1.1, `R/aggregate.R`.
pub fn copeland(columns: &[&[f64]], weights: &[f64], out: &mut [f64]) {
    let n = out.len();
    out.fill(0.0);
    for i in 0..n {
        for j in i + 1..n {
            let (mut greater, mut less, mut missing) = (0.0, 0.0, 0.0);
            for (col, &w) in columns.iter().zip(weights) {
                let (a, b) = (col[i], col[j]);
                if a.is_nan() || b.is_nan() {
                    missing += w;
                } else if a > b {
                    greater += w;
                } else if a < b {
                    less += w;
                }
            }
            let s = sign(greater - less - missing);
            out[i] += s;
            out[j] -= s;
        }
    }
    for (i, o) in out.iter_mut().enumerate() {
        if columns.iter().all(|c| c[i].is_nan()) {
            *o = f64::NAN;
        }
    }
}

fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}
