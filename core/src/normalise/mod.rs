//! Normalisation: bringing indicators onto a common scale, direction-aware.
//!
//! As in COINr, each indicator is first multiplied by its direction (±1), then normalised, so
//! that higher is always better afterwards. Statistics (min, max, mean, sd, ranks) are taken over
//! the present values; missing values stay missing. The methods and their formulas, for
//! `x' = direction · x`:
//!
//! | method | formula | COINr |
//! |---|---|---|
//! | [`min_max`](Normalisation::MinMax) | (x' − min)/(max − min)·(hi − lo) + lo | `n_minmax` |
//! | [`goalposts`](Normalisation::Goalposts) | (x − gmin)/(gmax − gmin) (or (gmax − x)/(gmax − gmin) for direction −1), optionally clamped to [0, 1], times `scale` | `n_goalposts` |
//! | [`z_score`](Normalisation::ZScore) | (x' − mean)/sd·s + m, optionally at least a floor | `n_zscore` |
//! | [`rank`](Normalisation::Rank) | ascending rank, ties "min" | `n_rank` |
//! | [`percentile_rank`](Normalisation::PercentileRank) | (rank − 1)/(n − 1) | `n_prank` |
//! | [`borda`](Normalisation::Borda) | rank − 1 | `n_borda` |
//! | [`fraction_of_max`](Normalisation::FractionOfMax) | x/max (higher is better, x ≥ 0); min/x (lower is better, x > 0) | `n_fracmax` with `coinr_sign` |
//! | [`distance_to_max`](Normalisation::DistanceToMax) | 1 − (max − x')/(max − min) | `n_dist2max` |
//! | [`distance_to_target`](Normalisation::DistanceToTarget) | (x' − min)/(t' − min), t' = direction·target, optionally capped at 1 | `n_dist2targ` |
//! | [`target_bands`](Normalisation::TargetBands) | points for x/target in bands (ITU U4SSC: < 33 %, 33–66 %, 66–95 %, ≥ 95 %), / max points | — |
//! | [`categorical`](Normalisation::Categorical) | yes/no → `yes`/`no`; ordinal value → its level's score | — |
//! | [`none`](Normalisation::None) | x' | — |
//!
//! References: COINr 1.1 (Becker, EU JRC), the `n_*` functions in `R/normalise.R`;
//! OECD/JRC *Handbook on Constructing Composite Indicators* (2008), section 5.

mod categorical;
mod fitted;
mod linear;
mod ordinal;
mod target;

use serde::{Deserialize, Serialize};

pub use categorical::{ordinal_levels, yes_no};
pub use fitted::NormalisationFit;
pub(crate) use fitted::{apply_fitted, fit_column};
pub use linear::{
    distance_to_max, distance_to_target, fraction_of_best, fraction_of_max, goalposts, min_max,
    z_score,
};
pub use ordinal::{borda, percentile_rank, rank_ascending};

use crate::dataset::Unit;
use crate::error::ScoreError;
use crate::framework::{Direction, Indicator, Scale, valid_range};
use crate::stats;

/// Why a normalisation is undefined on a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Degenerate(pub &'static str);

/// Which standard deviation a z-score divides by.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deviation {
    /// Divide by n − 1 (R's `sd`, pandas' default, COINr).
    #[default]
    Sample,
    /// Divide by n (numpy's default, scikit-learn's `StandardScaler`).
    Population,
}

impl Deviation {
    fn ddof(self) -> usize {
        match self {
            Deviation::Sample => 1,
            Deviation::Population => 0,
        }
    }
}

/// A normalisation method with its parameters; the JSON form is tagged by `method`, e.g.
/// `{"method": "min_max", "lo": 0, "hi": 100}`. Defaults follow COINr.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Normalisation {
    /// Min-max scaling to [lo, hi] (default 0–100).
    MinMax {
        /// Value of the worst unit.
        #[serde(default)]
        lo: f64,
        /// Value of the best unit.
        #[serde(default = "hundred")]
        hi: f64,
    },
    /// Min-max against fixed goalposts (DESI). Goalposts come from the framework unless given here.
    Goalposts {
        /// Multiplier applied after scaling (100 gives a 0–100 scale).
        #[serde(default = "hundred")]
        scale: f64,
        /// Clamp to [0, 1] before scaling (COINr does; DESI does not).
        #[serde(default = "yes")]
        clamp: bool,
        /// Lower goalpost, overriding the framework's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        /// Upper goalpost, overriding the framework's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    /// Standardisation to mean `mean` and standard deviation `sd`.
    ZScore {
        /// Mean of the result.
        #[serde(default)]
        mean: f64,
        /// Standard deviation of the result.
        #[serde(default = "one")]
        sd: f64,
        /// Sample (n − 1, COINr) or population (n) standard deviation.
        #[serde(default)]
        deviation: Deviation,
        /// Values below this are raised to it, so that a geometric mean stays defined (the
        /// convention of the JRC's COIN tool and of `shared/baselines`' uncertainty benchmark,
        /// `max(10 + 2z, 0.01)`); none by default, as COINr's `n_zscore`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        floor: Option<f64>,
    },
    /// Ascending rank, ties "min" (1 = worst).
    Rank,
    /// (rank − 1)/(n − 1), in [0, 1].
    PercentileRank,
    /// Borda count: rank − 1.
    Borda,
    /// The share of the best value: x / max where higher is better (values of zero or more),
    /// min / x where lower is better (positive values), in (0, 1] with 1 for the best unit.
    /// A ratio cannot be taken of signed values as COINr's `n_fracmax` does (x' = −x, then
    /// x'/max(x')): for a lower-is-better indicator with positive values that ranks the worst
    /// unit highest. That behaviour is kept, for reproducing COINr, only with `coinr_sign`.
    FractionOfMax {
        /// COINr's order: multiply by the direction, then divide by the greatest signed value.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        coinr_sign: bool,
    },
    /// 1 − (max − x)/(max − min).
    DistanceToMax,
    /// (x − min)/(target − min) with the framework's target.
    DistanceToTarget {
        /// Cap results at 1 (units beyond the target score 1).
        #[serde(default)]
        cap: bool,
    },
    /// Points for the share of the framework's target achieved, in bands (ITU U4SSC); see
    /// `target_bands` in this module's source. Indicators without a target are left out (all
    /// missing), as ITU excludes KPIs without a target.
    TargetBands {
        /// Shares of the target that earn one more point each (ITU: 0.33, 0.66, 0.95).
        #[serde(default = "u4ssc_thresholds")]
        thresholds: Vec<f64>,
        /// The score of the maximum points (100: scores are percentages of the maximum).
        #[serde(default = "hundred")]
        scale: f64,
        /// The target, overriding the framework's (give it per indicator in the recipe).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<f64>,
    },
    /// Maps a yes/no or ordinal scale to scores.
    Categorical {
        /// Score of "yes" (1).
        #[serde(default = "hundred")]
        yes: f64,
        /// Score of "no" (0).
        #[serde(default)]
        no: f64,
    },
    /// Leaves values as they are (times the direction).
    None,
}

fn hundred() -> f64 {
    100.0
}
fn one() -> f64 {
    1.0
}
fn yes() -> bool {
    true
}

impl Default for Normalisation {
    fn default() -> Self {
        Normalisation::MinMax { lo: 0.0, hi: 100.0 }
    }
}

impl Normalisation {
    /// The method's name as in JSON.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Normalisation::MinMax { .. } => "min_max",
            Normalisation::Goalposts { .. } => "goalposts",
            Normalisation::ZScore { .. } => "z_score",
            Normalisation::Rank => "rank",
            Normalisation::PercentileRank => "percentile_rank",
            Normalisation::Borda => "borda",
            Normalisation::FractionOfMax { .. } => "fraction_of_max",
            Normalisation::DistanceToMax => "distance_to_max",
            Normalisation::DistanceToTarget { .. } => "distance_to_target",
            Normalisation::TargetBands { .. } => "target_bands",
            Normalisation::Categorical { .. } => "categorical",
            Normalisation::None => "none",
        }
    }

    /// Whether the method leaves the indicator out for want of a target: `target_bands` with
    /// neither the recipe nor the framework giving a non-zero target.
    pub(crate) fn lacks_target(&self, indicator: &Indicator) -> bool {
        match self {
            Normalisation::TargetBands { target, .. } => {
                target::usable(target.or(indicator.target)).is_none()
            }
            _ => false,
        }
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`ScoreError::InvalidParameter`] for non-finite numbers, `lo >= hi`, `sd <= 0`.
    pub fn validate(&self) -> Result<(), ScoreError> {
        let invalid = |reason: String| {
            Err(ScoreError::InvalidParameter {
                method: self.name(),
                reason,
            })
        };
        match *self {
            Normalisation::MinMax { lo, hi } if !valid_range(lo, hi) => invalid(format!(
                "lo ({lo}) must be below hi ({hi}), both finite, with a finite span"
            )),
            Normalisation::Goalposts { scale, .. } if !scale.is_finite() || scale == 0.0 => {
                invalid(format!("scale ({scale}) must be finite and non-zero"))
            }
            Normalisation::Goalposts { min, max, .. }
                if [min, max].iter().flatten().any(|v| !v.is_finite())
                    || min.zip(max).is_some_and(|(lo, hi)| !valid_range(lo, hi)) =>
            {
                invalid(format!(
                    "goalposts min ({}) and max ({}) must be finite, min below max, with a finite span",
                    min.unwrap_or(f64::NAN),
                    max.unwrap_or(f64::NAN)
                ))
            }
            Normalisation::ZScore { mean, sd, .. }
                if !mean.is_finite() || !sd.is_finite() || sd <= 0.0 =>
            {
                invalid(format!(
                    "mean ({mean}) must be finite and sd ({sd}) positive"
                ))
            }
            Normalisation::ZScore {
                floor: Some(floor), ..
            } if !floor.is_finite() => invalid(format!("floor ({floor}) must be finite")),
            Normalisation::TargetBands {
                ref thresholds,
                scale,
                ..
            } if thresholds.is_empty()
                || thresholds.iter().any(|t| !t.is_finite() || *t <= 0.0)
                || thresholds.windows(2).any(|w| w[0] >= w[1])
                || !scale.is_finite()
                || scale <= 0.0 =>
            {
                invalid(format!(
                    "thresholds ({thresholds:?}) must be positive and increasing, scale ({scale}) positive"
                ))
            }
            Normalisation::Categorical { yes, no } if !yes.is_finite() || !no.is_finite() => {
                invalid("scores must be finite".to_owned())
            }
            _ => Ok(()),
        }
    }
}

/// [`normalise_column`] appending the column to `out`: min-max straight from the rescaling,
/// with the column's `extremes` ([`stats::min_max`] of `x`, asked for only by min-max: the data
/// set keeps them from its construction), every other method into a copy of `missing` (a
/// column of `NaN`s) first. Writing a column of missing values only to overwrite it sent the
/// score matrix through memory twice.
#[allow(clippy::too_many_arguments)] // the column, where it goes, and what it is
pub(crate) fn append_column(
    method: &Normalisation,
    id: &str,
    indicator: &Indicator,
    units: &[Unit],
    x: &[f64],
    extremes: impl FnOnce() -> Option<(f64, f64)>,
    missing: &[f64],
    out: &mut Vec<f64>,
) -> Result<(), ScoreError> {
    if let Normalisation::MinMax { lo, hi } = *method {
        let sign = indicator.direction.sign();
        let bounds = linear::signed_bounds(extremes(), sign).map_err(degenerate(method, id))?;
        // A span that overflows takes `normalise_column`'s halved form below.
        if (bounds.1 - bounds.0).is_finite() {
            cityindex_kernels::min_max_append(x, sign, bounds, (lo, hi), out);
            return Ok(());
        }
    }
    let start = out.len();
    out.extend_from_slice(missing);
    normalise_column(method, id, indicator, units, x, &mut out[start..])?;
    if !method.lacks_target(indicator) {
        check_finite(method, id, units, x, &out[start..])?;
    }
    Ok(())
}

/// For the goalposts method: how many present values of `x` lie outside the goalposts, the
/// first one's row, and the goalposts and clamping (`None` for other methods, no goalposts, or
/// no value outside).
pub(crate) fn outside_goalposts(
    method: &Normalisation,
    indicator: &Indicator,
    x: &[f64],
) -> Option<(usize, usize, f64, f64, bool)> {
    let Normalisation::Goalposts {
        clamp, min, max, ..
    } = *method
    else {
        return None;
    };
    let lo = min.or(indicator.goalposts.map(|g| g.min))?;
    let hi = max.or(indicator.goalposts.map(|g| g.max))?;
    let outside = |v: &f64| *v < lo || *v > hi;
    let count = x.iter().filter(|v| outside(v)).count();
    let first = x.iter().position(outside)?;
    Some((count, first, lo, hi, clamp))
}

/// The numeric-safety rule of normalisation: a present value normalises to a finite one. Min-max
/// cannot break it (its result lies between `lo` and `hi`, its range is halved where it would
/// overflow); ranks and categories cannot either. The others can, on extreme data or
/// parameters (a mean or standard deviation beyond the finite range, goalposts 1e-310 apart, a
/// ratio to a value near zero): that is [`ScoreError::Overflow`], naming the indicator and the
/// first unit, never a silent `inf` or `NaN`.
///
/// # Errors
/// [`ScoreError::Overflow`].
fn check_finite(
    method: &Normalisation,
    id: &str,
    units: &[Unit],
    x: &[f64],
    out: &[f64],
) -> Result<(), ScoreError> {
    if let Some(r) = out
        .iter()
        .zip(x)
        .position(|(o, v)| !v.is_nan() && !o.is_finite())
    {
        return Err(ScoreError::Overflow {
            node: id.to_owned(),
            unit: units[r].id.clone(),
            what: format!("the {} normalisation", method.name()),
        });
    }
    Ok(())
}

/// The error of a degenerate column under `method`.
fn degenerate(method: &Normalisation, id: &str) -> impl Fn(Degenerate) -> ScoreError {
    move |Degenerate(reason)| ScoreError::DegenerateColumn {
        indicator: id.to_owned(),
        method: method.name(),
        reason,
    }
}

/// Normalises one indicator column into `out`, applying the indicator's direction.
///
/// # Errors
/// A degenerate column (constant, zero maximum, too few values), missing goalposts or target,
/// a categorical method on a continuous indicator, a value not on the indicator's scale.
///
/// # Panics
/// If `out` and `x` differ in length.
#[allow(clippy::too_many_lines)] // one arm per method
pub fn normalise_column(
    method: &Normalisation,
    id: &str,
    indicator: &Indicator,
    units: &[Unit],
    x: &[f64],
    out: &mut [f64],
) -> Result<(), ScoreError> {
    let sign = indicator.direction.sign();
    let degenerate = degenerate(method, id);
    let missing = |what| ScoreError::MissingMetadata {
        indicator: id.to_owned(),
        method: method.name(),
        what,
    };
    let signed = |out: &mut [f64]| {
        for (o, v) in out.iter_mut().zip(x) {
            *o = sign * v;
        }
    };
    match *method {
        Normalisation::Goalposts {
            scale,
            clamp,
            min,
            max,
        } => {
            let posts = indicator.goalposts;
            let lo = min
                .or(posts.map(|g| g.min))
                .ok_or_else(|| missing("goalposts"))?;
            let hi = max
                .or(posts.map(|g| g.max))
                .ok_or_else(|| missing("goalposts"))?;
            if !valid_range(lo, hi) {
                return Err(ScoreError::InvalidParameter {
                    method: method.name(),
                    reason: format!(
                        "indicator `{id}`: goalposts min ({lo}) and max ({hi}) must be finite, \
                         min below max, with a finite span"
                    ),
                });
            }
            goalposts(x, lo, hi, indicator.direction, clamp, scale, out);
            Ok(())
        }
        Normalisation::Categorical { yes, no } => {
            let (yes, no) = match indicator.direction {
                Direction::Positive => (yes, no),
                Direction::Negative => (no, yes),
            };
            let bad = |r: usize, scale| ScoreError::NotOnScale {
                indicator: id.to_owned(),
                unit: units[r].id.clone(),
                value: x[r],
                scale,
            };
            match &indicator.scale {
                Scale::Continuous => Err(ScoreError::NotCategorical {
                    indicator: id.to_owned(),
                }),
                Scale::YesNo => yes_no(x, yes, no, out).map_err(|r| bad(r, "yes/no")),
                Scale::Ordinal { levels } => {
                    ordinal_levels(x, levels, out).map_err(|r| bad(r, "ordinal"))
                }
            }
        }
        Normalisation::MinMax { lo, hi } => {
            let bounds = linear::signed_bounds(stats::min_max(x), sign).map_err(degenerate)?;
            linear::min_max_between(x, sign, bounds, (lo, hi), out);
            Ok(())
        }
        Normalisation::ZScore {
            mean,
            sd,
            deviation,
            floor,
        } => {
            signed(out);
            z_score(out, mean, sd, deviation.ddof()).map_err(degenerate)?;
            if let Some(floor) = floor {
                floor_at(out, floor);
            }
            Ok(())
        }
        Normalisation::Rank => {
            signed(out);
            rank_ascending(out);
            Ok(())
        }
        Normalisation::PercentileRank => {
            signed(out);
            percentile_rank(out).map_err(degenerate)
        }
        Normalisation::Borda => {
            signed(out);
            borda(out);
            Ok(())
        }
        Normalisation::FractionOfMax { coinr_sign: true } => {
            signed(out);
            fraction_of_max(out).map_err(degenerate)
        }
        Normalisation::FractionOfMax { coinr_sign: false } => {
            out.copy_from_slice(x);
            fraction_of_best(out, indicator.direction).map_err(degenerate)
        }
        Normalisation::DistanceToMax => {
            signed(out);
            distance_to_max(out).map_err(degenerate)
        }
        Normalisation::DistanceToTarget { cap } => {
            let target = indicator.target.ok_or_else(|| missing("a target"))?;
            signed(out);
            distance_to_target(out, sign * target, cap).map_err(degenerate)
        }
        Normalisation::TargetBands {
            ref thresholds,
            scale,
            target,
        } => {
            let target = target.or(indicator.target);
            target::target_bands(x, target, indicator.direction, thresholds, scale, out);
            Ok(())
        }
        Normalisation::None => {
            signed(out);
            Ok(())
        }
    }
}

/// Normalises `x`, the values of units outside the population (aggregates such as the EU), as
/// they stand against the population column `reference`, which keeps its own normalisation
/// ([`normalise_column`] of `reference` alone, unchanged by them). Per method:
/// - goalposts, categories, target bands and `none` use no statistics: as for any unit;
/// - min-max, z-score, fraction of max, distance to max or target: the population's statistics
///   (extremes, mean and standard deviation), so an aggregate outside the population's range
///   falls outside [lo, hi];
/// - rank, percentile rank and Borda: the rank the value would take among the population's
///   values joined by it alone (1 + how many lie below it, ties "min"), on the population's
///   scale: a value equal to a unit's gets that unit's rank, percentile (rank − 1)/(n − 1) and
///   count, and one beyond the greatest a percentile above 1.
///
/// # Errors
/// As [`normalise_column`] on `reference` (a degenerate population column), and its
/// numeric-safety rule on the result.
pub(crate) fn place_column(
    method: &Normalisation,
    id: &str,
    indicator: &Indicator,
    units: &[Unit],
    reference: &[f64],
    x: &[f64],
    out: &mut [f64],
) -> Result<(), ScoreError> {
    let fit = fit_column(method, id, indicator, reference)?;
    apply_fitted(method, &fit, id, indicator, units, x, out)
}

/// Raises z-scores below `floor` to it; `NaN`s (missing) stay missing, as `max` would not
/// leave them.
fn floor_at(out: &mut [f64], floor: f64) {
    for v in out.iter_mut().filter(|v| **v < floor) {
        *v = floor;
    }
}

fn u4ssc_thresholds() -> Vec<f64> {
    target::U4SSC_THRESHOLDS.to_vec()
}
