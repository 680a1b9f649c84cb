//! Linear rescalings: min-max, goalposts, z-score, fraction of max, distance to max or target.
//!
//! Each works in place on a column whose direction has already been applied (except
//! [`goalposts`] and the pipeline's min-max, which apply it themselves), uses only the present
//! values for its statistics and leaves `NaN` where a value is missing.

use super::Degenerate;
use crate::framework::Direction;
use crate::stats;

const CONSTANT: Degenerate = Degenerate("the column is constant (max = min)");
const EMPTY: Degenerate = Degenerate("the column has no values");

/// Min-max: `(x − min)/(max − min)·(hi − lo) + lo`, COINr's `n_minmax` (same operation order).
///
/// # Errors
/// A constant or empty column.
pub fn min_max(x: &mut [f64], lo: f64, hi: f64) -> Result<(), Degenerate> {
    let bounds = signed_bounds(stats::min_max(x), 1.0)?;
    cityindex_kernels::min_max_in_place(x, bounds, (lo, hi));
    Ok(())
}

/// The least and greatest present values of `sign · x` (`sign` = ±1, an indicator's direction)
/// from `extremes`, those of the raw column x ([`stats::min_max`], which a data set keeps from
/// its construction): those of −x are those of x, negated and swapped. The pipeline's min-max
/// rescales `sign · x` between them straight from the raw column
/// ([`cityindex_kernels::min_max_append`]), a pass fewer than negating first, with the same
/// bits. An error for an empty or constant column.
pub(crate) fn signed_bounds(
    extremes: Option<(f64, f64)>,
    sign: f64,
) -> Result<(f64, f64), Degenerate> {
    let (min, max) = extremes.ok_or(EMPTY)?;
    let (min, max) = if sign < 0.0 { (-max, -min) } else { (min, max) };
    if max == min {
        return Err(CONSTANT);
    }
    Ok((min, max))
}

/// Goalposts: `(x − gmin)/(gmax − gmin)` for a positive indicator and `(gmax − x)/(gmax − gmin)`
/// for a negative one, clamped to [0, 1] if asked, times `scale`. The DESI method with
/// `clamp = false` and `scale = 100` (European Commission, DESI 2022 methodological note);
/// COINr's `n_goalposts` with `clamp = true`. Reads the raw column `x` and writes `out`.
pub fn goalposts(
    x: &[f64],
    gmin: f64,
    gmax: f64,
    direction: Direction,
    clamp: bool,
    scale: f64,
    out: &mut [f64],
) {
    for (o, &v) in out.iter_mut().zip(x) {
        let s = match direction {
            Direction::Positive => (v - gmin) / (gmax - gmin),
            Direction::Negative => (gmax - v) / (gmax - gmin),
        };
        *o = if clamp { s.clamp(0.0, 1.0) } else { s } * scale;
    }
}

/// Z-score: `(x − mean)/sd·s + m`, with the sample (`ddof = 1`, COINr's `n_zscore`) or
/// population (`ddof = 0`) standard deviation.
///
/// # Errors
/// A constant column (sd = 0) or fewer than `ddof + 1` values.
pub fn z_score(x: &mut [f64], m: f64, s: f64, ddof: usize) -> Result<(), Degenerate> {
    let fit = z_fit(x, ddof)?;
    z_apply(x, fit, m, s);
    Ok(())
}

/// The mean and standard deviation [`z_score`] rescales by, from the present values of
/// `reference`.
pub(crate) fn z_fit(reference: &[f64], ddof: usize) -> Result<(f64, f64), Degenerate> {
    let mean = stats::mean(reference).ok_or(EMPTY)?;
    let sd = stats::sd(reference, mean, ddof).ok_or(Degenerate(
        "the column has too few values for a standard deviation",
    ))?;
    if sd == 0.0 {
        return Err(Degenerate("the column is constant (standard deviation 0)"));
    }
    Ok((mean, sd))
}

/// [`z_score`] with a fitted mean and standard deviation.
pub(crate) fn z_apply(x: &mut [f64], (mean, sd): (f64, f64), m: f64, s: f64) {
    for v in x.iter_mut() {
        *v = (*v - mean) / sd * s + m;
    }
}

/// Fraction of max: `x / max`, COINr's `n_fracmax`.
///
/// # Errors
/// An empty column or a maximum of zero.
pub fn fraction_of_max(x: &mut [f64]) -> Result<(), Degenerate> {
    let max = fraction_of_max_fit(x)?;
    for v in x.iter_mut() {
        *v /= max;
    }
    Ok(())
}

/// The maximum [`fraction_of_max`] divides by, from `reference`.
pub(crate) fn fraction_of_max_fit(reference: &[f64]) -> Result<f64, Degenerate> {
    let (_, max) = stats::min_max(reference).ok_or(EMPTY)?;
    if max == 0.0 {
        return Err(Degenerate("the maximum is zero"));
    }
    Ok(max)
}

/// The share of the best value, direction-aware: x / max for a higher-is-better indicator
/// (every present x ≥ 0, max > 0) and min / x for a lower-is-better one (every present x > 0),
/// on the raw values, so the best unit scores 1 and the others less, in proportion. The
/// "distance to a reference" of the OECD/JRC Handbook (2008, section 5) with the best unit as the
/// reference; for higher-is-better indicators COINr's `n_fracmax`.
///
/// # Errors
/// An empty column, a maximum of zero, a negative value (or, lower being better, a value ≤ 0):
/// a ratio of signed values would reverse the ordering.
pub fn fraction_of_best(x: &mut [f64], direction: Direction) -> Result<(), Degenerate> {
    let best = fraction_of_best_fit(x, direction)?;
    fraction_of_best_apply(x, best, direction);
    Ok(())
}

/// The best value [`fraction_of_best`] relates to (the maximum, or for a negative indicator
/// the minimum), from `reference`.
pub(crate) fn fraction_of_best_fit(
    reference: &[f64],
    direction: Direction,
) -> Result<f64, Degenerate> {
    let (min, max) = stats::min_max(reference).ok_or(EMPTY)?;
    match direction {
        Direction::Positive => {
            if min < 0.0 {
                return Err(Degenerate(
                    "a ratio to the maximum needs values of zero or more (use min_max, or \
                     coinr_sign for COINr's signed ratio)",
                ));
            }
            if max == 0.0 {
                return Err(Degenerate("the maximum is zero"));
            }
            Ok(max)
        }
        Direction::Negative => {
            if min <= 0.0 {
                return Err(Degenerate(
                    "lower being better, the ratio of the least value to each needs positive \
                     values (use min_max, or coinr_sign for COINr's signed ratio)",
                ));
            }
            Ok(min)
        }
    }
}

/// [`fraction_of_best`] with a fitted best value.
pub(crate) fn fraction_of_best_apply(x: &mut [f64], best: f64, direction: Direction) {
    for v in x.iter_mut() {
        *v = match direction {
            Direction::Positive => *v / best,
            Direction::Negative => best / *v,
        };
    }
}

/// The factor that keeps a range finite: 1 where `span` (max − min, target − min) is finite,
/// else ½, by which every value is multiplied before the same formula. Halving is exact above
/// the subnormal range and the ratio is unchanged, so finite spans keep their bits (× 1).
fn halving(span: f64) -> f64 {
    if span.is_finite() { 1.0 } else { 0.5 }
}

/// Min-max of `sign · x` between `bounds` (the signed extremes) into `out`: the kernel, or
/// where the span overflows the halved form below.
pub(crate) fn min_max_between(
    x: &[f64],
    sign: f64,
    bounds: (f64, f64),
    range: (f64, f64),
    out: &mut [f64],
) {
    if (bounds.1 - bounds.0).is_finite() {
        cityindex_kernels::min_max_into(x, sign, bounds, range, out);
    } else {
        min_max_halved(x, sign, bounds, range, out);
    }
}

/// Min-max of `sign · x` between `bounds` whose span overflows (values near ±1.8e308): the
/// same formula on the halved values, which cannot overflow and give the same ratios (halving
/// is exact above the subnormal range). Only called where the plain span is infinite.
fn min_max_halved(x: &[f64], sign: f64, bounds: (f64, f64), (lo, hi): (f64, f64), out: &mut [f64]) {
    let h = halving(bounds.1 - bounds.0);
    let (min, max) = (bounds.0 * h, bounds.1 * h);
    for (o, &v) in out.iter_mut().zip(x) {
        *o = (sign * v * h - min) / (max - min) * (hi - lo) + lo;
    }
}

/// Distance to max: `1 − (max − x)/(max − min)`, COINr's `n_dist2max`.
///
/// # Errors
/// A constant or empty column.
pub fn distance_to_max(x: &mut [f64]) -> Result<(), Degenerate> {
    let fit = distance_to_max_fit(x)?;
    distance_to_max_apply(x, fit);
    Ok(())
}

/// The least and greatest values [`distance_to_max`] measures between, from `reference`.
pub(crate) fn distance_to_max_fit(reference: &[f64]) -> Result<(f64, f64), Degenerate> {
    let (min, max) = stats::min_max(reference).ok_or(EMPTY)?;
    if max == min {
        return Err(CONSTANT);
    }
    Ok((min, max))
}

/// [`distance_to_max`] with fitted extremes.
pub(crate) fn distance_to_max_apply(x: &mut [f64], (min, max): (f64, f64)) {
    let h = halving(max - min);
    let (min, max) = (min * h, max * h);
    for v in x.iter_mut() {
        *v = 1.0 - (max - *v * h) / (max - min);
    }
}

/// Distance to target: `(x − min)/(target − min)`, capped at 1 if asked; COINr's `n_dist2targ`
/// (with direction −1 COINr negates both values and target first, as the caller does here).
///
/// # Errors
/// An empty column, or a target equal to the column's minimum.
pub fn distance_to_target(x: &mut [f64], target: f64, cap: bool) -> Result<(), Degenerate> {
    let min = distance_to_target_fit(x, target)?;
    distance_to_target_apply(x, min, target, cap);
    Ok(())
}

/// The worst value [`distance_to_target`] measures from, from `reference`.
pub(crate) fn distance_to_target_fit(reference: &[f64], target: f64) -> Result<f64, Degenerate> {
    let (min, _) = stats::min_max(reference).ok_or(EMPTY)?;
    if target == min {
        return Err(Degenerate("the target equals the worst value"));
    }
    Ok(min)
}

/// [`distance_to_target`] with a fitted worst value.
pub(crate) fn distance_to_target_apply(x: &mut [f64], min: f64, target: f64, cap: bool) {
    let h = halving(target - min);
    let (min, target) = (min * h, target * h);
    for v in x.iter_mut() {
        let d = (*v * h - min) / (target - min);
        *v = if cap && d > 1.0 { 1.0 } else { d };
    }
}
