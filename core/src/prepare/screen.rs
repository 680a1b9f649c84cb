//! Screening: dropping units (and optionally indicators) with too little data, as COINr's
//! `Screen`.
//!
//! For a unit, availability = 1 − missing/indicators and the non-zero share =
//! 1 − zeros/(indicators − missing), over the framework's indicators. A unit is removed when its
//! availability is below `min_availability` (COINr's `dat_thresh`, default 2/3) or, if
//! `min_nonzero` is set, its non-zero share is below it (COINr's `nonzero_thresh`, used with
//! `unit_screen = "byNAandzeros"`). Indicators are screened the same way over the units (all
//! periods together); a removed indicator becomes all-missing, so aggregation skips it.

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::error::ScoreError;
use crate::framework::Framework;

/// Thresholds for keeping a unit or an indicator.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScreenRule {
    /// Keep when the share of present values is at least this.
    pub min_availability: f64,
    /// Keep only when the share of non-zero values among the present ones is at least this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_nonzero: Option<f64>,
}

impl Default for ScreenRule {
    fn default() -> Self {
        ScreenRule {
            min_availability: 2.0 / 3.0,
            min_nonzero: None,
        }
    }
}

/// The screen step: `{"step": "screen"}` removes units with less than 2/3 of their data.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScreenStep {
    /// The rule for units; `null` keeps every unit.
    pub units: Option<ScreenRule>,
    /// The rule for indicators; absent keeps every indicator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicators: Option<ScreenRule>,
}

impl Default for ScreenStep {
    fn default() -> Self {
        ScreenStep {
            units: Some(ScreenRule::default()),
            indicators: None,
        }
    }
}

/// Data availability of one unit or indicator (COINr's `DataSummary` row).
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Availability {
    /// The unit or indicator id.
    pub id: String,
    /// The period, for a unit of a panel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<i64>,
    /// Missing values.
    pub missing: usize,
    /// Zero values.
    pub zeros: usize,
    /// 1 − missing/total.
    pub availability: f64,
    /// 1 − zeros/(total − missing); `None` when nothing is present.
    pub nonzero: Option<f64>,
    /// Whether it was kept.
    pub included: bool,
}

/// What the screen step did.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ScreenReport {
    /// Every unit (row) with its availability.
    pub units: Vec<Availability>,
    /// Every indicator with its availability, when indicators were screened.
    pub indicators: Vec<Availability>,
}

impl ScreenReport {
    /// Ids of the removed units.
    #[must_use]
    pub fn removed_units(&self) -> Vec<&str> {
        self.units
            .iter()
            .filter(|u| !u.included)
            .map(|u| u.id.as_str())
            .collect()
    }
}

fn availability(
    id: &str,
    period: Option<i64>,
    values: impl Iterator<Item = f64>,
    rule: Option<ScreenRule>,
) -> Availability {
    let (mut total, mut missing, mut zeros) = (0usize, 0usize, 0usize);
    for v in values {
        total += 1;
        if v.is_nan() {
            missing += 1;
        } else if v == 0.0 {
            zeros += 1;
        }
    }
    let availability = 1.0 - missing as f64 / total as f64;
    let present = total - missing;
    let nonzero = (present > 0).then(|| 1.0 - zeros as f64 / present as f64);
    let included = rule.is_none_or(|r| {
        availability >= r.min_availability
            && r.min_nonzero
                .is_none_or(|m| nonzero.is_some_and(|z| z >= m))
    });
    Availability {
        id: id.to_owned(),
        period,
        missing,
        zeros,
        availability,
        nonzero,
        included,
    }
}

/// Screens units and indicators, removing rows from `data` and blanking removed indicators.
///
/// # Errors
/// [`ScoreError::InvalidParameter`] for thresholds outside [0, 1].
pub fn screen(
    framework: &Framework,
    data: &mut Dataset,
    step: &ScreenStep,
) -> Result<ScreenReport, ScoreError> {
    for rule in [step.units, step.indicators].into_iter().flatten() {
        let ok = |t: f64| (0.0..=1.0).contains(&t);
        if !ok(rule.min_availability) || !rule.min_nonzero.is_none_or(ok) {
            return Err(ScoreError::InvalidParameter {
                method: "screen",
                reason: "thresholds must lie between 0 and 1".to_owned(),
            });
        }
    }
    let n = data.n_units();
    let columns: Vec<usize> = framework
        .indicator_ids()
        .filter_map(|id| data.column_position(id))
        .collect();
    let mut report = ScreenReport::default();
    if step.indicators.is_some() {
        for &j in &columns {
            let a = availability(
                &data.column_ids[j],
                None,
                data.column_at(j).iter().copied(),
                step.indicators,
            );
            if !a.included {
                data.values_mut()[j * n..(j + 1) * n].fill(f64::NAN);
            }
            report.indicators.push(a);
        }
    }
    let rows = (0..n)
        .map(|r| {
            let values = columns.iter().map(|&j| data.values[j * n + r]);
            availability(
                &data.units[r].id,
                data.periods.as_ref().map(|p| p[r]),
                values,
                step.units,
            )
        })
        .collect::<Vec<_>>();
    let keep: Vec<usize> = (0..n).filter(|&r| rows[r].included).collect();
    if keep.len() < n {
        *data = data.select_rows(&keep);
    }
    report.units = rows;
    Ok(report)
}
