//! Imputation of missing values, as COINr's `Impute` and `impute_panel`.
//!
//! | method | value imputed | COINr |
//! |---|---|---|
//! | `mean`, `median` | the indicator's mean or median over the units of the same period | `i_mean`, `i_median` |
//! | `group_mean`, `group_median` | the same over the units of the same group (a group column of the data), or over all units when the group has no value | `i_mean_grp`, `i_median_grp` |
//! | `latest` | the unit's latest earlier value (panels) | `impute_panel(imp_type = "latest")` |
//! | `latest` with `"ends": "nearest"` | the same, and gaps before the first observation take the first observed value | `impute_panel(imp_type = "constant")` |
//! | `linear` | linear interpolation in time between the unit's nearest earlier and later values (panels) | — |
//! | `linear` with `"ends": "nearest"` | the same, and gaps before the first or after the last observation take the nearest observed value (also a series with one observation) | `impute_panel(imp_type = "linear")` (`approx(rule = 2)`; COINr 1.1.14 stops on a series with one observation, later versions' `"linear-constant"` fill it) |
//!
//! **Ends.** By default (`"ends": "missing"`) a panel method fills only gaps it can bound by
//! observations: a flat line beyond the first or last observation would let one year's value
//! stand for years the unit was not measured, and the index would report as measured what was
//! assumed. COINr extends to the nearest value; `"ends": "nearest"` gives its numbers.
//!
//! Statistics use only observed values (never values imputed in the same step). Every imputed
//! cell is recorded; a cell no method can fill stays missing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::error::ScoreError;
use crate::framework::Framework;
use crate::stats;

/// An imputation method; the JSON form is tagged by `method`.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Imputation {
    /// Mean of the indicator in the same period (COINr's default).
    #[default]
    Mean,
    /// Median of the indicator in the same period.
    Median,
    /// Mean within the unit's group.
    GroupMean {
        /// The group column.
        group: String,
    },
    /// Median within the unit's group.
    GroupMedian {
        /// The group column.
        group: String,
    },
    /// The unit's latest earlier value.
    Latest {
        /// What gaps before the unit's first observation get.
        #[serde(default, skip_serializing_if = "Ends::is_missing")]
        ends: Ends,
    },
    /// Linear interpolation between the unit's neighbouring periods.
    Linear {
        /// What gaps before the first or after the last observation get.
        #[serde(default, skip_serializing_if = "Ends::is_missing")]
        ends: Ends,
    },
    /// Leave missing values missing.
    None,
}

/// What a panel imputation gives the gaps of a unit's series beyond its observations.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ends {
    /// They stay missing (the default).
    #[default]
    Missing,
    /// They take the nearest observed value (COINr's `approx(rule = 2)`).
    Nearest,
}

impl Ends {
    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
    fn is_missing(&self) -> bool {
        *self == Ends::Missing
    }
}

/// The impute step: a default method and per-indicator overrides.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImputeStep {
    /// The method for every indicator without an override.
    pub default: Imputation,
    /// Overrides by indicator id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub indicators: BTreeMap<String, Imputation>,
}

/// One imputed cell.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImputedCell {
    /// The unit.
    pub unit: String,
    /// The period, for a panel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<i64>,
    /// The indicator.
    pub indicator: String,
    /// The method, e.g. `group_mean`, or `mean (group empty)` for the fallback.
    pub method: String,
    /// The value imputed.
    pub value: f64,
}

/// What the impute step did.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImputeReport {
    /// Every imputed cell, by indicator then row.
    pub cells: Vec<ImputedCell>,
    /// Cells that stayed missing.
    pub still_missing: usize,
}

/// Imputes the framework's indicators in place.
///
/// # Errors
/// [`ScoreError::UnknownGroup`] for a group column the data lack; [`ScoreError::InvalidParameter`]
/// for `latest` or `linear` on data without periods.
pub fn impute(
    framework: &Framework,
    data: &mut Dataset,
    step: &ImputeStep,
) -> Result<ImputeReport, ScoreError> {
    let n = data.n_units();
    let groups = data.period_rows();
    let mut report = ImputeReport::default();
    for id in framework.indicator_ids() {
        let Some(j) = data.column_position(id) else {
            continue;
        };
        let method = step.indicators.get(id).unwrap_or(&step.default);
        let observed = data.column_at(j).to_vec();
        let filled: Vec<Option<(f64, String)>> = match method {
            Imputation::None => vec![None; n],
            Imputation::Mean | Imputation::Median => {
                let median = *method == Imputation::Median;
                cross_section(&observed, &groups, None, median)
            }
            Imputation::GroupMean { group } | Imputation::GroupMedian { group } => {
                let labels = group_labels(data, group)?;
                let median = matches!(method, Imputation::GroupMedian { .. });
                cross_section(&observed, &groups, Some(labels), median)
            }
            Imputation::Latest { ends } | Imputation::Linear { ends } => {
                let Some(periods) = data.periods.as_deref() else {
                    return Err(ScoreError::InvalidParameter {
                        method: "impute",
                        reason: format!(
                            "`latest` and `linear` imputation of `{id}` need a panel (data with periods)"
                        ),
                    });
                };
                let linear = matches!(method, Imputation::Linear { .. });
                longitudinal(&observed, periods, &data.units, linear, *ends)
            }
        };
        for (r, fill) in filled.into_iter().enumerate() {
            if !observed[r].is_nan() {
                continue;
            }
            match fill {
                Some((value, how)) => {
                    data.values_mut()[j * n + r] = value;
                    report.cells.push(ImputedCell {
                        unit: data.units[r].id.clone(),
                        period: data.periods.as_ref().map(|p| p[r]),
                        indicator: id.to_owned(),
                        method: how,
                        value,
                    });
                }
                None => report.still_missing += 1,
            }
        }
    }
    Ok(report)
}

/// The labels of group column `group`, one per row.
///
/// # Errors
/// [`ScoreError::UnknownGroup`] when the data lack it.
pub(super) fn group_labels<'d>(
    data: &'d Dataset,
    group: &str,
) -> Result<&'d [Option<String>], ScoreError> {
    data.groups
        .iter()
        .find(|g| g.id == group)
        .map(|g| g.values.as_slice())
        .ok_or_else(|| ScoreError::UnknownGroup {
            group: group.to_owned(),
        })
}

/// Mean or median per period (and per group when labels are given, falling back to the whole
/// period when a group has no value).
fn cross_section(
    x: &[f64],
    periods: &[(Option<i64>, Vec<usize>)],
    labels: Option<&[Option<String>]>,
    median: bool,
) -> Vec<Option<(f64, String)>> {
    let centre = |v: &[f64]| {
        if median {
            stats::median(v)
        } else {
            stats::mean(v)
        }
    };
    let name = if median { "median" } else { "mean" };
    let mut out = vec![None; x.len()];
    for (_, rows) in periods {
        let values: Vec<f64> = rows.iter().map(|&r| x[r]).collect();
        let overall = centre(&values);
        let mut members: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        if let Some(labels) = labels {
            for &r in rows {
                if let Some(label) = &labels[r] {
                    members.entry(label.as_str()).or_default().push(x[r]);
                }
            }
        }
        let by_group: BTreeMap<&str, Option<f64>> =
            members.into_iter().map(|(g, v)| (g, centre(&v))).collect();
        for &r in rows {
            if !x[r].is_nan() {
                continue;
            }
            let group = labels.and_then(|l| l[r].as_deref());
            out[r] = match (
                labels,
                group.and_then(|g| by_group.get(g).copied().flatten()),
            ) {
                (None, _) => overall.map(|v| (v, name.to_owned())),
                (Some(_), Some(v)) => Some((v, format!("group_{name}"))),
                (Some(_), None) => overall.map(|v| (v, format!("{name} (group has no value)"))),
            };
        }
    }
    out
}

/// Latest earlier value, or linear interpolation between neighbouring periods, per unit; with
/// [`Ends::Nearest`], the nearest observed value beyond the first or last observation.
fn longitudinal(
    x: &[f64],
    periods: &[i64],
    units: &[crate::dataset::Unit],
    linear: bool,
    ends: Ends,
) -> Vec<Option<(f64, String)>> {
    let mut by_unit: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (r, u) in units.iter().enumerate() {
        by_unit.entry(u.id.as_str()).or_default().push(r);
    }
    let (name, nearest) = match (linear, ends) {
        (false, Ends::Missing) => ("latest", None),
        (false, Ends::Nearest) => ("latest", Some("first observed")),
        (true, Ends::Missing) => ("linear", None),
        (true, Ends::Nearest) => ("linear", Some("nearest observed")),
    };
    let mut out = vec![None; x.len()];
    for rows in by_unit.values_mut() {
        rows.sort_by_key(|&r| periods[r]);
        for (k, &r) in rows.iter().enumerate() {
            if !x[r].is_nan() {
                continue;
            }
            let before = rows[..k].iter().rev().find(|&&q| !x[q].is_nan());
            let after = rows[k + 1..].iter().find(|&&q| !x[q].is_nan());
            out[r] = match (linear, before, after) {
                (false, Some(&b), _) => Some((x[b], name.to_owned())),
                (true, Some(&b), Some(&a)) => {
                    let t = (periods[r] - periods[b]) as f64 / (periods[a] - periods[b]) as f64;
                    Some((x[b] + t * (x[a] - x[b]), name.to_owned()))
                }
                // Beyond the observations: the nearest one, if asked for.
                (_, b, a) => {
                    nearest.and_then(|how| b.or(a).map(|&q| (x[q], format!("{name} ({how})"))))
                }
            };
        }
    }
    out
}
