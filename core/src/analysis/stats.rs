//! Per-indicator statistics, as COINr's `get_stats`.

use serde::{Deserialize, Serialize};

use crate::prepare::treat::{SkewKurtosis, Thresholds};
use crate::stats;

/// Thresholds for the flags of [`indicator_stats`] (COINr's defaults).
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StatsThresholds {
    /// Skewness and kurtosis for the outlier flag (2 and 3.5).
    pub outliers: Thresholds,
    /// Flag availability below this share (0.65).
    pub availability: f64,
    /// Flag a share of non-zero values below this (0.5).
    pub nonzero: f64,
    /// Flag a share of unique values below this (0.5).
    pub unique: f64,
}

impl Default for StatsThresholds {
    fn default() -> Self {
        StatsThresholds {
            outliers: Thresholds::default(),
            availability: 0.65,
            nonzero: 0.5,
            unique: 0.5,
        }
    }
}

/// Statistics of one indicator (COINr's `get_stats` row).
#[allow(clippy::struct_excessive_bools)] // one flag per COINr column
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorStats {
    /// The indicator.
    pub indicator: String,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Mean.
    pub mean: f64,
    /// Median.
    pub median: f64,
    /// Sample standard deviation (n − 1).
    pub sd: f64,
    /// Sample skewness (type 2).
    pub skew: f64,
    /// Sample excess kurtosis (type 2).
    pub kurtosis: f64,
    /// Present values.
    pub n_available: usize,
    /// Present non-zero values.
    pub n_nonzero: usize,
    /// Distinct present values.
    pub n_unique: usize,
    /// How often the most frequent value occurs.
    pub n_same: usize,
    /// Present values / units.
    pub share_available: f64,
    /// Non-zero values / present values.
    pub share_nonzero: f64,
    /// Distinct values / present values.
    pub share_unique: f64,
    /// Most frequent value's count / present values.
    pub share_same: f64,
    /// Availability below the threshold.
    pub low_availability: bool,
    /// Share of non-zero values below the threshold.
    pub low_nonzero: bool,
    /// Share of unique values below the threshold.
    pub low_unique: bool,
    /// Fails the skewness/kurtosis test (COINr's "OUT").
    pub outliers: bool,
}

/// Statistics of each column (`NaN` where a statistic is undefined, e.g. the skewness of fewer
/// than 3 values). As in COINr, availability is a share of all units; the non-zero, unique and
/// same-value shares are shares of the present values.
#[must_use]
pub fn indicator_stats(
    ids: &[&str],
    columns: &[&[f64]],
    t: StatsThresholds,
) -> Vec<IndicatorStats> {
    ids.iter()
        .zip(columns)
        .map(|(id, x)| {
            let n = x.len() as f64;
            let mut present: Vec<f64> = stats::present(x).collect();
            present.sort_by(f64::total_cmp);
            let (mut n_unique, mut n_same, mut run) = (0, 0, 0);
            for (k, v) in present.iter().enumerate() {
                if k == 0 || *v != present[k - 1] {
                    n_unique += 1;
                    run = 0;
                }
                run += 1;
                n_same = n_same.max(run);
            }
            let n_available = present.len();
            let n_nonzero = present.iter().filter(|v| **v != 0.0).count();
            let (min, max) = stats::min_max(x).unwrap_or((f64::NAN, f64::NAN));
            let mean = stats::mean(x).unwrap_or(f64::NAN);
            let check = SkewKurtosis::of(x, t.outliers);
            let share = |k: usize| k as f64 / n;
            let of_present = |k: usize| k as f64 / n_available as f64;
            IndicatorStats {
                indicator: (*id).to_owned(),
                min,
                max,
                mean,
                median: stats::median(x).unwrap_or(f64::NAN),
                sd: stats::sd(x, mean, 1).unwrap_or(f64::NAN),
                skew: stats::skewness(x).unwrap_or(f64::NAN),
                kurtosis: stats::kurtosis(x).unwrap_or(f64::NAN),
                n_available,
                n_nonzero,
                n_unique,
                n_same,
                share_available: share(n_available),
                share_nonzero: of_present(n_nonzero),
                share_unique: of_present(n_unique),
                share_same: of_present(n_same),
                low_availability: share(n_available) < t.availability,
                low_nonzero: of_present(n_nonzero) < t.nonzero,
                low_unique: of_present(n_unique) < t.unique,
                outliers: check.is_some_and(|c| !c.pass),
            }
        })
        .collect()
}
