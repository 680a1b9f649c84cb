//! Rank-based normalisations: rank, percentile rank, Borda count.

use super::Degenerate;
use crate::rank::{Order, TieRule, rank_into};
use crate::stats;

/// Replaces values by their ascending rank with ties "min" (1 = lowest), COINr's `n_rank`.
pub fn rank_ascending(x: &mut [f64]) {
    let values = x.to_vec();
    rank_into(&values, Order::Ascending, TieRule::Min, x);
}

/// Percentile rank `(rank − 1)/(n − 1)` over the n present values, COINr's `n_prank`
/// (dplyr's `percent_rank`).
///
/// # Errors
/// Fewer than two present values.
pub fn percentile_rank(x: &mut [f64]) -> Result<(), Degenerate> {
    let n = stats::count(x);
    if n < 2 {
        return Err(Degenerate("it needs at least two values"));
    }
    rank_ascending(x);
    for v in x.iter_mut() {
        *v = (*v - 1.0) / (n - 1) as f64;
    }
    Ok(())
}

/// Borda count `rank − 1`, COINr's `n_borda`.
pub fn borda(x: &mut [f64]) {
    rank_ascending(x);
    for v in x.iter_mut() {
        *v -= 1.0;
    }
}

/// The rank (ties "min", 1 = lowest) `v` would take among `sorted`, present reference values
/// in ascending order, joined by it, theirs unchanged: 1 + how many lie below it, found by
/// bisection. [`rank_ascending`] gives the same number to the last value of the reference
/// followed by `v`.
pub(crate) fn rank_among_sorted(sorted: &[f64], v: f64) -> f64 {
    if v.is_nan() {
        return f64::NAN;
    }
    (1 + sorted.partition_point(|&r| r < v)) as f64
}
