//! Summary statistics over the present (non-`NaN`) values of a column, summed in index order.

/// The present values, in order.
pub(crate) fn present(x: &[f64]) -> impl Iterator<Item = f64> + '_ {
    x.iter().copied().filter(|v| !v.is_nan())
}

/// Number of present values.
pub(crate) fn count(x: &[f64]) -> usize {
    present(x).count()
}

/// Smallest and largest present value.
pub(crate) fn min_max(x: &[f64]) -> Option<(f64, f64)> {
    // Comparisons with NaN are false, so missing values never replace a bound; written without
    // branches on NaN so that the loop vectorises.
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &v in x {
        lo = if v < lo { v } else { lo };
        hi = if v > hi { v } else { hi };
    }
    (lo <= hi).then_some((lo, hi))
}

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
