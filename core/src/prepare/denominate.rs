//! Denomination: dividing indicators by a unit-level quantity (population, GDP, area…), as
//! COINr's `Denominate`: x / d · scale.
//!
//! Each indicator's denominator is named in the framework ([`Indicator::denominator`], COINr's
//! `Denominator` column) or overridden in the step; denominators are numeric columns of the data
//! set. A missing or zero denominator makes the result missing and is recorded, never a division
//! by zero.
//!
//! [`Indicator::denominator`]: crate::framework::Indicator::denominator

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::error::ScoreError;
use crate::framework::Framework;

/// The denominate step: `{"step": "denominate"}` uses the framework's denominators unscaled.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DenominateStep {
    /// Multiplier applied after dividing (e.g. 1000 for "per thousand inhabitants").
    pub scale: f64,
    /// Overrides by indicator id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub indicators: BTreeMap<String, Denomination>,
}

impl Default for DenominateStep {
    fn default() -> Self {
        DenominateStep {
            scale: 1.0,
            indicators: BTreeMap::new(),
        }
    }
}

/// An indicator's denomination, overriding the framework and the step's scale.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Denomination {
    /// The denominator column; `null` leaves the indicator as it is.
    pub by: Option<String>,
    /// Multiplier; the step's when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<f64>,
}

/// A cell left missing because its denominator is missing or zero.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UndefinedRatio {
    /// The unit.
    pub unit: String,
    /// The period, for a panel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<i64>,
    /// The indicator.
    pub indicator: String,
    /// The denominator column.
    pub denominator: String,
    /// The denominator's value (`None` when missing).
    pub value: Option<f64>,
}

/// What the denominate step did.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DenominateReport {
    /// (indicator, denominator) pairs applied.
    pub denominated: Vec<(String, String)>,
    /// Cells whose denominator was missing or zero.
    pub undefined: Vec<UndefinedRatio>,
}

/// Divides each indicator by its denominator in place.
///
/// # Errors
/// [`ScoreError::MissingColumn`] naming the denominator when the data lack it;
/// [`ScoreError::InvalidParameter`] for a non-finite or zero scale.
pub fn denominate(
    framework: &Framework,
    data: &mut Dataset,
    step: &DenominateStep,
) -> Result<DenominateReport, ScoreError> {
    let mut report = DenominateReport::default();
    let n = data.n_units();
    for &i in framework.indicator_positions() {
        let node = &framework.nodes()[i];
        let own = node.as_indicator().and_then(|m| m.denominator.clone());
        let (by, scale) = match step.indicators.get(&node.id) {
            Some(o) => (o.by.clone(), o.scale.unwrap_or(step.scale)),
            None => (own, step.scale),
        };
        let Some(by) = by else { continue };
        if !scale.is_finite() || scale == 0.0 {
            return Err(ScoreError::InvalidParameter {
                method: "denominate",
                reason: format!(
                    "the scale of `{}` ({scale}) must be finite and non-zero",
                    node.id
                ),
            });
        }
        let d = data
            .column_position(&by)
            .ok_or_else(|| ScoreError::MissingColumn {
                indicator: format!("{} (its denominator `{by}`)", node.id),
            })?;
        let Some(j) = data.column_position(&node.id) else {
            continue;
        };
        let (values, units, periods) = data.values_mut_with_rows();
        for r in 0..n {
            let denominator = values[d * n + r];
            let x = &mut values[j * n + r];
            if x.is_nan() {
                continue;
            }
            if denominator.is_nan() || denominator == 0.0 {
                *x = f64::NAN;
                report.undefined.push(UndefinedRatio {
                    unit: units[r].id.clone(),
                    period: periods.map(|p| p[r]),
                    indicator: node.id.clone(),
                    denominator: by.clone(),
                    value: (!denominator.is_nan()).then_some(denominator),
                });
            } else {
                *x = *x / denominator * scale;
            }
        }
        report.denominated.push((node.id.clone(), by));
    }
    Ok(report)
}
