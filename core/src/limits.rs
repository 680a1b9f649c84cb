//! The largest sizes the library accepts, so that no request can exhaust memory or run without
//! end: a size beyond one is refused up front with [`MethodError::TooLarge`] (code
//! `method.too_large`), which names what was asked for, how much, and the limit.
//!
//! | what | limit | why |
//! |---|---|---|
//! | replicates of an uncertainty analysis | [`MAX_REPLICATES`] | each is a pipeline run |
//! | runs of a Sobol design, N·(d + 2) | [`MAX_RUNS`] | each is a model evaluation |
//! | numbers an analysis keeps (ranks, design points, outputs) | [`MAX_KEPT`] | 800 MB of `f64` |
//! | bootstrap resamples of a Sobol estimate | [`MAX_RESAMPLES`] | each re-estimates every index |
//! | bootstrap work, resamples × base points × outputs | [`MAX_BOOTSTRAP_WORK`] | minutes at most |
//! | units of a pairwise method (Copeland, PROMETHEE II) | [`MAX_PAIRWISE_UNITS`] | n² comparisons |
//! | iterations or evaluations of an optimisation of weights | [`MAX_ITERATIONS`] | each re-scores |
//!
//! Memory then grows with what is asked for and returned, never with what a cancelled run would
//! have returned: work is handed out in blocks, and a cancelled run stops at the next block.

use crate::error::MethodError;

/// The most replicates of one uncertainty analysis.
pub const MAX_REPLICATES: usize = 10_000_000;
/// The most model evaluations of one Sobol design, N·(d + 2).
pub const MAX_RUNS: usize = 10_000_000;
/// The most numbers one analysis keeps for its results.
pub const MAX_KEPT: usize = 100_000_000;
/// The most bootstrap resamples of a Sobol estimate.
pub const MAX_RESAMPLES: usize = 100_000;
/// The most resamples × base points × outputs of a Sobol bootstrap.
pub const MAX_BOOTSTRAP_WORK: u128 = 10_000_000_000;
/// The most units a pairwise (n²) aggregation compares.
pub const MAX_PAIRWISE_UNITS: usize = 50_000;

/// The most iterations (or evaluations) of one optimisation of weights.
pub const MAX_ITERATIONS: usize = 1_000_000;

/// Refuses `requested` of `what` beyond `limit` ("replicates 1000000000 exceeds the limit of
/// 10000000").
///
/// # Errors
/// [`MethodError::TooLarge`].
pub fn check(what: &'static str, requested: u128, limit: u128) -> Result<(), MethodError> {
    if requested > limit {
        return Err(MethodError::TooLarge {
            what,
            requested,
            limit,
        });
    }
    Ok(())
}

/// The product of sizes, exact (no size can overflow it).
#[must_use]
pub fn product(sizes: &[usize]) -> u128 {
    sizes
        .iter()
        .fold(1_u128, |p, &s| p.saturating_mul(s as u128))
}
