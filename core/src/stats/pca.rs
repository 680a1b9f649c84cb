//! Principal component analysis of standardised variables, by the cyclic Jacobi method.

use serde::{Deserialize, Serialize};

use super::correlation::pearson;

/// The principal components of a set of variables (R's `prcomp(x, center = TRUE, scale. = TRUE)`
/// on the complete rows).
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pca {
    /// Standard deviation of each component (√eigenvalue of the correlation matrix), descending.
    pub sdev: Vec<f64>,
    /// Share of the total variance each component explains.
    pub variance_explained: Vec<f64>,
    /// Loadings: `loadings[c][v]` is variable v's coefficient in component c (unit length). The
    /// sign of each component is arbitrary; here the largest coefficient in absolute value is
    /// made positive.
    pub loadings: Vec<Vec<f64>>,
}

/// PCA of the columns over the rows where every column is present.
///
/// The correlation matrix is diagonalised by cyclic Jacobi rotations (Golub & Van Loan,
/// *Matrix Computations*, §8.5) until the off-diagonal mass is below 1e-30 relative to the
/// diagonal: only arithmetic and square roots, so the result is the same on every platform.
/// `None` with fewer than two complete rows or a constant column.
#[must_use]
pub fn pca(columns: &[&[f64]]) -> Option<Pca> {
    let k = columns.len();
    let rows: Vec<usize> = (0..columns.first()?.len())
        .filter(|&r| columns.iter().all(|c| !c[r].is_nan()))
        .collect();
    if rows.len() < 2 {
        return None;
    }
    let complete: Vec<Vec<f64>> = columns
        .iter()
        .map(|c| rows.iter().map(|&r| c[r]).collect())
        .collect();
    let mut a = vec![vec![0.0; k]; k];
    for i in 0..k {
        for j in 0..=i {
            let r = if i == j {
                1.0
            } else {
                pearson(&complete[i], &complete[j])
            };
            if r.is_nan() {
                return None;
            }
            a[i][j] = r;
            a[j][i] = r;
        }
    }
    let (values, vectors) = jacobi(a);
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&x, &y| values[y].total_cmp(&values[x]));
    let total: f64 = values.iter().map(|v| v.max(0.0)).sum();
    let loadings: Vec<Vec<f64>> = order
        .iter()
        .map(|&c| {
            let v: Vec<f64> = (0..k).map(|i| vectors[i][c]).collect();
            let big = v
                .iter()
                .copied()
                .fold(0.0_f64, |m, x| if x.abs() > m.abs() { x } else { m });
            v.into_iter()
                .map(|x| if big < 0.0 { -x } else { x })
                .collect()
        })
        .collect();
    Some(Pca {
        sdev: order.iter().map(|&c| values[c].max(0.0).sqrt()).collect(),
        variance_explained: order.iter().map(|&c| values[c].max(0.0) / total).collect(),
        loadings,
    })
}

/// Eigenvalues and eigenvectors (columns of the returned matrix) of a symmetric matrix.
fn jacobi(mut a: Vec<Vec<f64>>) -> (Vec<f64>, Vec<Vec<f64>>) {
    let n = a.len();
    let mut v: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect())
        .collect();
    for _ in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        let diag: f64 = (0..n).map(|i| a[i][i] * a[i][i]).sum();
        if off <= 1e-30 * diag {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q] == 0.0 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in &mut a {
                    let (x, y) = (row[p], row[q]);
                    row[p] = c * x - s * y;
                    row[q] = s * x + c * y;
                }
                let (upper, lower) = a.split_at_mut(q);
                for (x, y) in upper[p].iter_mut().zip(lower[0].iter_mut()) {
                    let (u, w) = (*x, *y);
                    *x = c * u - s * w;
                    *y = s * u + c * w;
                }
                for row in &mut v {
                    let (x, y) = (row[p], row[q]);
                    row[p] = c * x - s * y;
                    row[q] = s * x + c * y;
                }
            }
        }
    }
    ((0..n).map(|i| a[i][i]).collect(), v)
}
