//! Copeland's outranking count, as COINr's `a_copeland`.

/// Copeland scores of the units (rows) from their children's columns and weights.
///
/// With weights rescaled to sum to 1, the outranking matrix is, for i < j,
/// O[i,j] = Σ w over children where xᵢ > xⱼ, plus ½ Σ w over children where xᵢ = xⱼ (each sum
/// in child order, skipping children where either value is missing), and O[j,i] = 1 − O[i,j].
/// Unit i scores Σⱼ≠ᵢ sign(O[i,j] − ½).
///
/// This is COINr's `outrankMatrix` exactly, including its convention of deriving the lower
/// triangle from the upper one: when values are missing, O[i,j] + O[j,i] = 1 still holds, so the
/// missing comparisons count against the unit listed first, and scores then depend on the order
/// of the units. Without missing values they do not. A unit with no present child scores `NaN`.
/// Runs in O(n²·k) time and O(n) memory.
///
/// Reference: Munda & Nardo (2009), *Applied Economics* 41(12); COINr 1.1, `R/aggregate.R`.
pub fn copeland(columns: &[&[f64]], weights: &[f64], out: &mut [f64]) {
    let n = out.len();
    let total: f64 = weights.iter().sum();
    let w: Vec<f64> = weights.iter().map(|wi| wi / total).collect();
    out.fill(0.0);
    for i in 0..n {
        for j in i + 1..n {
            let mut gt = 0.0;
            let mut eq = 0.0;
            for (col, &wk) in columns.iter().zip(&w) {
                let (a, b) = (col[i], col[j]);
                if a > b {
                    gt += wk;
                } else if a == b {
                    eq += wk;
                }
            }
            let o = gt + eq / 2.0;
            out[i] += sign(o - 0.5);
            out[j] += sign((1.0 - o) - 0.5);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// COINr 1.1.14, `D_functions/D_copeland.csv`.
    #[test]
    fn coinr_copeland_vector() {
        let x1 = [1.0, 2.0, 3.0, 4.0];
        let x2 = [3.0, 2.0, 1.0, 5.0];
        let x3 = [2.0, 3.0, 1.0, 4.0];
        let mut out = [0.0; 4];
        copeland(&[&x1, &x2, &x3], &[1.0, 1.0, 1.0], &mut out);
        assert_eq!(out, [-1.0, 1.0, -3.0, 3.0]);
    }
}
