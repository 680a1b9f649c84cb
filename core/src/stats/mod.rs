//! Statistics every layer above uses: summaries over the present (non-`NaN`) values of a
//! column, correlations and principal components. Means and moments are summed exactly
//! ([`ExactSum`]), so a fitted parameter has the same bits whatever the order of the units
//! and however they were partitioned. Missing values are
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

/// 2⁻⁶⁴ and 2⁶⁴: sums and squares that would leave the finite range are taken on values scaled
/// by the first and scaled back by the second (exact, powers of two).
const DOWN: f64 = exact::power_of_two(-64);
const UP: f64 = exact::power_of_two(64);
/// 2⁻⁵²⁰ and 2⁵²⁰, for deviations whose squares would overflow.
const TINY: f64 = exact::power_of_two(-520);
const HUGE: f64 = exact::power_of_two(520);

/// Arithmetic mean of the present values: their exact sum ([`ExactSum`]) rounded once, divided
/// by their count. It does not depend on the order of the values, nor on how they were split
/// into partitions and merged. A sum beyond the finite range is taken on the values scaled by
/// 2⁻⁶⁴ and the mean scaled back.
pub(crate) fn mean(x: &[f64]) -> Option<f64> {
    let n = count(x);
    if n == 0 {
        return None;
    }
    let n = n as f64;
    Some(match present(x).collect::<ExactSum>().value() {
        Some(sum) => sum / n,
        None => present(x).map(|v| v * DOWN).collect::<ExactSum>().value()? / n * UP,
    })
}

/// Σ (v − centre)ᵖ over the present values v, for p = 2, 3 or 4, summed exactly
/// ([`ExactSum`]: independent of order and partitioning; each power rounded once per value).
/// `None` when a power leaves the finite range.
fn central_power_sum(x: &[f64], centre: f64, p: u8) -> Option<f64> {
    present(x)
        .map(|v| {
            let d = v - centre;
            match p {
                2 => d * d,
                3 => d * d * d,
                _ => (d * d) * (d * d),
            }
        })
        .collect::<ExactSum>()
        .value()
}

/// Standard deviation of the present values around `mean`, dividing by `n - ddof`: the
/// squared deviations summed exactly ([`ExactSum`]), so independent of order and partitioning.
/// Deviations whose squares would leave the finite range are scaled by 2⁻⁵²⁰ first.
pub(crate) fn sd(x: &[f64], mean: f64, ddof: usize) -> Option<f64> {
    let n = count(x);
    if n <= ddof {
        return None;
    }
    let m = (n - ddof) as f64;
    if let Some(ss) = central_power_sum(x, mean, 2) {
        return Some((ss / m).sqrt());
    }
    // Scaled by 2⁻⁵²⁰ before subtracting: neither the difference nor its square can
    // overflow then.
    let scaled: Vec<f64> = present(x).map(|v| v * TINY - mean * TINY).collect();
    Some((central_power_sum(&scaled, 0.0, 2)? / m).sqrt() * HUGE)
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
/// √n·Σd³/(Σd²)^1.5 · √(n(n − 1))/(n − 2), the sums exact. `None` with fewer than 3 values,
/// no spread, or powers beyond the finite range.
#[must_use]
pub fn skewness(x: &[f64]) -> Option<f64> {
    let n = count(x) as f64;
    if n < 3.0 {
        return None;
    }
    let m = mean(x)?;
    let (s2, s3) = (central_power_sum(x, m, 2)?, central_power_sum(x, m, 3)?);
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
    let (s2, s4) = (central_power_sum(x, m, 2)?, central_power_sum(x, m, 4)?);
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

#[cfg(test)]
mod order_tests {
    use super::*;

    #[test]
    fn scale_factors_are_the_powers_of_two_they_name() {
        assert_eq!(DOWN, 2f64.powi(-64));
        assert_eq!(UP, 2f64.powi(64));
        assert_eq!(TINY, 2f64.powi(-520));
        assert_eq!(HUGE, 2f64.powi(520));
    }

    #[test]
    fn moments_do_not_depend_on_the_order_of_the_values() {
        let x = [0.1, 1e16, 0.2, -1e16, 0.3, 7.0, f64::NAN, 2.5e-3];
        let mut y = x;
        y.reverse();
        let m = mean(&x).unwrap();
        assert_eq!(m.to_bits(), mean(&y).unwrap().to_bits());
        assert_eq!(
            sd(&x, m, 1).unwrap().to_bits(),
            sd(&y, m, 1).unwrap().to_bits()
        );
        assert_eq!(
            skewness(&x).unwrap().to_bits(),
            skewness(&y).unwrap().to_bits()
        );
        assert_eq!(
            kurtosis(&x).unwrap().to_bits(),
            kurtosis(&y).unwrap().to_bits()
        );
    }

    #[test]
    fn means_and_deviations_near_the_largest_double_stay_finite() {
        let x = [1.7e308, -1.7e308, 1.6e308, 1.5e308];
        let m = mean(&x).unwrap();
        assert!(m.is_finite());
        assert!(sd(&x, m, 1).unwrap().is_finite());
    }
}
