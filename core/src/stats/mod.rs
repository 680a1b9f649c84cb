//! Statistics every layer above uses: summaries over the present (non-`NaN`) values of a
//! column, summed in index order, correlations and principal components. Missing values are
//! skipped by every statistic, as in COINr (`na.rm = TRUE`).

mod correlation;
mod exact;
mod pca;

pub use correlation::{
    CorrelationMethod, correlation_matrix, cronbach_alpha, kendall, pearson, spearman,
};
pub use exact::{ExactSum, exact_sum};
pub use pca::{Pca, pca};

/// The present values, in order.
pub(crate) fn present(x: &[f64]) -> impl Iterator<Item = f64> + '_ {
    x.iter().copied().filter(|v| !v.is_nan())
}

/// Number of present values.
pub(crate) fn count(x: &[f64]) -> usize {
    present(x).count()
}

/// Smallest and largest present value.
pub(crate) use cityindex_kernels::min_max;

/// Arithmetic mean of the present values.
pub(crate) fn mean(x: &[f64]) -> Option<f64> {
    let n = count(x);
    (n > 0).then(|| present(x).sum::<f64>() / n as f64)
}

/// Standard deviation of the present values around `mean`, dividing by `n - ddof`.
pub(crate) fn sd(x: &[f64], mean: f64, ddof: usize) -> Option<f64> {
    let n = count(x);
    (n > ddof).then(|| {
        let ss: f64 = present(x).map(|v| (v - mean) * (v - mean)).sum();
        (ss / (n - ddof) as f64).sqrt()
    })
}

/// Median of the present values (mean of the two middle values for an even count).
pub(crate) fn median(x: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = present(x).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[m]
    } else {
        f64::midpoint(v[m - 1], v[m])
    })
}

/// Sample skewness, "type 2" (e1071, Excel's `SKEW`, COINr's `skew`): with d = x − mean,
/// √n·Σd³/(Σd²)^1.5 · √(n(n − 1))/(n − 2). `None` with fewer than 3 values or no spread.
#[must_use]
pub fn skewness(x: &[f64]) -> Option<f64> {
    let n = count(x) as f64;
    if n < 3.0 {
        return None;
    }
    let m = mean(x)?;
    let (s2, s3) = present(x).fold((0.0, 0.0), |(s2, s3), v| {
        let d = v - m;
        (s2 + d * d, s3 + d * d * d)
    });
    if s2 == 0.0 {
        return None;
    }
    let y = n.sqrt() * s3 / libm::pow(s2, 1.5);
    Some(y * (n * (n - 1.0)).sqrt() / (n - 2.0))
}

/// Sample excess kurtosis, "type 2" (e1071, Excel's `KURT`, COINr's `kurt`): with
/// r = n·Σd⁴/(Σd²)², ((n + 1)(r − 3) + 6)(n − 1)/((n − 2)(n − 3)). `None` with fewer than 4
/// values or no spread.
#[must_use]
pub fn kurtosis(x: &[f64]) -> Option<f64> {
    let n = count(x) as f64;
    if n < 4.0 {
        return None;
    }
    let m = mean(x)?;
    let (s2, s4) = present(x).fold((0.0, 0.0), |(s2, s4), v| {
        let d = (v - m) * (v - m);
        (s2 + d, s4 + d * d)
    });
    if s2 == 0.0 {
        return None;
    }
    let r = n * s4 / (s2 * s2);
    Some(((n + 1.0) * (r - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0)))
}

/// Σ aᵢ·bᵢ with eight running sums combined in a fixed order: the same bits on every platform,
/// and independent sums let the compiler vectorise (a single running sum cannot be reordered).
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut lanes = [0.0; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            lanes[k] += x[k] * y[k];
        }
    }
    let tail: f64 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]))
        + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
        + tail
}

/// The matrix of dot products of the columns (upper triangle and diagonal filled, then
/// mirrored), computed in blocks of rows so that every block of every column stays in cache:
/// each entry is the sum, over the blocks in order, of [`dot`] on the block.
pub(crate) fn gram(columns: &[Vec<f64>]) -> Vec<Vec<f64>> {
    const BLOCK: usize = 512;
    let k = columns.len();
    let n = columns.first().map_or(0, Vec::len);
    let rows: Vec<usize> = (0..k).collect();
    // Each row j of the upper triangle by one task, blocks in order: the same bits in parallel.
    let upper = crate::parallel::map(&rows, |&j| {
        let mut row = vec![0.0; k];
        for block in crate::parallel::blocks(n, BLOCK) {
            let a = &columns[j][block.clone()];
            for l in j..k {
                row[l] += dot(a, &columns[l][block.clone()]);
            }
        }
        row
    });
    let mut g = upper.clone();
    for (j, row) in g.iter_mut().enumerate() {
        for (l, v) in row.iter_mut().enumerate().take(j) {
            *v = upper[l][j];
        }
    }
    g
}
