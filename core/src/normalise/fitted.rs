//! Normalisation fitted on a population and applied to any values: the split of every
//! data-dependent method into what the population determines ([`NormalisationFit`]) and the
//! formula that uses it, so that a fitted model scores new units against the population and
//! the population itself with exactly the bits of [`normalise_column`](super::normalise_column).

use serde::{Deserialize, Serialize};

use super::{Degenerate, Normalisation, check_finite, degenerate, floor_at, linear, ordinal};
use crate::dataset::Unit;
use crate::error::ScoreError;
use crate::framework::Indicator;
use crate::stats;

/// What an indicator's normalisation took from the population: the least and greatest raw
/// values, and where the method needs them, the mean and standard deviation of the signed
/// values (z-score) or the sorted signed values themselves (rank, percentile rank, Borda).
/// Every field is independent of the order of the units and of how they were partitioned:
/// extremes and counts trivially, moments by exact sums ([`stats::ExactSum`]), the reference
/// values by sorting.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NormalisationFit {
    /// The number of present values.
    pub count: usize,
    /// The least and greatest present raw values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extremes: Option<(f64, f64)>,
    /// The mean and standard deviation of the signed values (z-score only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moments: Option<(f64, f64)>,
    /// The present signed values, ascending (rank-based methods only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Vec<f64>>,
}

impl Normalisation {
    /// Whether the method compares a value with the population's values one by one (rank,
    /// percentile rank, Borda): its fit holds every value.
    #[must_use]
    pub fn needs_reference(&self) -> bool {
        matches!(
            self,
            Normalisation::Rank | Normalisation::PercentileRank | Normalisation::Borda
        )
    }
}

/// Fits `method` on the raw population column `x` of indicator `id`.
///
/// # Errors
/// A degenerate population column ([`ScoreError::DegenerateColumn`]), as normalising it would
/// give.
pub(crate) fn fit_column(
    method: &Normalisation,
    id: &str,
    indicator: &Indicator,
    x: &[f64],
) -> Result<NormalisationFit, ScoreError> {
    let sign = indicator.direction.sign();
    let mut fit = NormalisationFit {
        count: stats::count(x),
        extremes: stats::min_max(x),
        ..NormalisationFit::default()
    };
    let signed = || -> Vec<f64> { stats::present(x).map(|v| sign * v).collect() };
    match *method {
        Normalisation::ZScore { deviation, .. } => {
            let moments =
                linear::z_fit(&signed(), deviation.ddof()).map_err(degenerate(method, id))?;
            fit.moments = Some(moments);
        }
        Normalisation::Rank | Normalisation::PercentileRank | Normalisation::Borda => {
            let mut values = signed();
            values.sort_by(f64::total_cmp);
            fit.reference = Some(values);
        }
        _ => {}
    }
    Ok(fit)
}

/// Normalises the raw values `x` into `out` with `fit`, the population's statistics, per method:
/// - goalposts, categories, target bands and `none` use no statistics: as for any unit;
/// - min-max, z-score, fraction of max, distance to max or target: the population's extremes,
///   mean and standard deviation, so a value outside the population's range falls outside
///   [lo, hi];
/// - rank, percentile rank and Borda: the rank the value would take among the population's
///   values joined by it alone (1 + how many lie below it, ties "min"), on the population's
///   scale: a value equal to a unit's gets that unit's rank, percentile (rank − 1)/(n − 1) and
///   count, and one beyond the greatest a percentile above 1.
///
/// For the population's own values this is [`normalise_column`](super::normalise_column), bit
/// for bit.
///
/// # Errors
/// A degenerate population column, missing metadata, values off a categorical scale, and the
/// numeric-safety rule on the result ([`ScoreError::Overflow`]).
pub(crate) fn apply_fitted(
    method: &Normalisation,
    fit: &NormalisationFit,
    id: &str,
    indicator: &Indicator,
    units: &[Unit],
    x: &[f64],
    out: &mut [f64],
) -> Result<(), ScoreError> {
    let sign = indicator.direction.sign();
    let degenerate = degenerate(method, id);
    // The signed extremes, as a two-value column: every extremes-based fit reads only these.
    let extremes: Vec<f64> = fit
        .extremes
        .map(|(a, b)| vec![sign * a, sign * b])
        .unwrap_or_default();
    for (o, v) in out.iter_mut().zip(x) {
        *o = sign * v;
    }
    match *method {
        Normalisation::MinMax { lo, hi } => {
            let bounds = linear::signed_bounds(fit.extremes, sign).map_err(degenerate)?;
            linear::min_max_between(x, sign, bounds, (lo, hi), out);
        }
        Normalisation::ZScore {
            mean, sd, floor, ..
        } => {
            let moments = fit.moments.ok_or(degenerate(Degenerate(
                "the model holds no mean and standard deviation for it",
            )))?;
            linear::z_apply(out, moments, mean, sd);
            if let Some(floor) = floor {
                floor_at(out, floor);
            }
        }
        Normalisation::Rank | Normalisation::PercentileRank | Normalisation::Borda => {
            let reference = fit.reference.as_deref().ok_or(degenerate(Degenerate(
                "the model holds no reference values for it",
            )))?;
            let n = reference.len();
            if matches!(method, Normalisation::PercentileRank) && n < 2 {
                return Err(degenerate(Degenerate("it needs at least two values")));
            }
            for o in out.iter_mut() {
                let rank = ordinal::rank_among_sorted(reference, *o);
                *o = match method {
                    Normalisation::Rank => rank,
                    Normalisation::Borda => rank - 1.0,
                    _ => (rank - 1.0) / (n - 1) as f64,
                };
            }
        }
        Normalisation::FractionOfMax { coinr_sign: true } => {
            let max = linear::fraction_of_max_fit(&extremes).map_err(degenerate)?;
            for v in out.iter_mut() {
                *v /= max;
            }
        }
        Normalisation::FractionOfMax { coinr_sign: false } => {
            let raw: Vec<f64> = fit.extremes.map(|(a, b)| vec![a, b]).unwrap_or_default();
            let best =
                linear::fraction_of_best_fit(&raw, indicator.direction).map_err(degenerate)?;
            out.copy_from_slice(x);
            linear::fraction_of_best_apply(out, best, indicator.direction);
        }
        Normalisation::DistanceToMax => {
            let fit = linear::distance_to_max_fit(&extremes).map_err(degenerate)?;
            linear::distance_to_max_apply(out, fit);
        }
        Normalisation::DistanceToTarget { cap } => {
            let target = indicator
                .target
                .ok_or_else(|| ScoreError::MissingMetadata {
                    indicator: id.to_owned(),
                    method: method.name(),
                    what: "a target",
                })?;
            let min =
                linear::distance_to_target_fit(&extremes, sign * target).map_err(degenerate)?;
            linear::distance_to_target_apply(out, min, sign * target, cap);
        }
        Normalisation::Goalposts { .. }
        | Normalisation::Categorical { .. }
        | Normalisation::TargetBands { .. }
        | Normalisation::None => {
            return super::normalise_column(method, id, indicator, units, x, out);
        }
    }
    check_finite(method, id, units, x, out)
}
