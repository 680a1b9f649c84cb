//! Preparation fitted on a population and applied to other units: what each step took from
//! the data ([`FittedStep`]), frozen so that a fitted model prepares new units as the
//! population was prepared, and the population itself to the same bits.
//!
//! | step | fitted | applied to a unit |
//! |---|---|---|
//! | denominate | nothing (a ratio per unit) | as for any unit |
//! | impute (mean, median, by group) | the population's centre of each indicator, overall and per group | a missing value takes its group's centre, else the overall one |
//! | impute (latest, linear) | — (along a unit's own series: a panel, which a model is not fitted on) | refused by the fit |
//! | screen | the indicators removed for low availability | removed indicators are blanked; the unit rule is the unit's own availability |
//! | treat | winsorising caps and the fallback transformation's statistics ([`TreatmentFit`]) | values beyond the caps take them, then the transformation with the population's statistics |

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::denominate::{DenominateStep, denominate};
use super::impute::{Imputation, ImputeStep, group_labels};
use super::screen::{ScreenRule, ScreenStep, screen};
use super::treat::{TreatStep, TreatmentFit, treat_column_fitted};
use super::{Prepared, Step, StepReport, run_step};
use crate::dataset::Dataset;
use crate::error::{Error, ScoreError};
use crate::framework::Framework;
use crate::stats;

/// What one preparation step took from the population; the JSON form is tagged by `step`.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum FittedStep {
    /// Denominators: nothing is fitted.
    Denominate(DenominateStep),
    /// The values missing cells take.
    Impute {
        /// One entry per indicator imputed from the population.
        indicators: Vec<ImputedValues>,
    },
    /// The screening rule for units and the indicators it removed.
    Screen {
        /// The rule for units (each unit's own availability).
        units: Option<ScreenRule>,
        /// Indicators removed for low availability in the population.
        removed_indicators: Vec<String>,
    },
    /// Each treated indicator's caps and transformation.
    Treat {
        /// Indicator id → what treating it fixed.
        indicators: BTreeMap<String, TreatmentFit>,
    },
}

/// The centres an imputation took from the population for one indicator.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImputedValues {
    /// The indicator.
    pub indicator: String,
    /// The centre over every unit (`None` when the population has no value).
    pub overall: Option<f64>,
    /// The group column, for a group mean or median.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The centre within each group that has a value.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, f64>,
}

/// Runs the steps in order as [`prepare`](super::prepare) does, and returns with the prepared
/// data what each step took from the data it met.
///
/// # Errors
/// As [`prepare`](super::prepare); data with several periods
/// ([`DataError::SeveralPeriods`](crate::DataError::SeveralPeriods)) or a panel imputation
/// (`latest`, `linear`: [`ScoreError::InvalidParameter`]), which a model is not fitted on.
pub fn prepare_fitted(
    framework: &Framework,
    data: &Dataset,
    steps: &[Step],
) -> Result<(Prepared, Vec<FittedStep>), Error> {
    data.one_period()?;
    let mut data = data.clone().into_owned();
    let mut reports = Vec::with_capacity(steps.len());
    let mut fitted = Vec::with_capacity(steps.len());
    for step in steps {
        let fit = match step {
            Step::Denominate(s) => FittedStep::Denominate(s.clone()),
            Step::Impute(s) => FittedStep::Impute {
                indicators: impute_centres(framework, &data, s)?,
            },
            Step::Screen(s) => FittedStep::Screen {
                units: s.units,
                removed_indicators: Vec::new(),
            },
            Step::Treat(s) => FittedStep::Treat {
                indicators: treatment_fits(framework, &data, s)?,
            },
        };
        let report = run_step(framework, &mut data, step)?;
        let fit = match (fit, &report) {
            (FittedStep::Screen { units, .. }, StepReport::Screen(r)) => FittedStep::Screen {
                units,
                removed_indicators: r
                    .indicators
                    .iter()
                    .filter(|a| !a.included)
                    .map(|a| a.id.clone())
                    .collect(),
            },
            (fit, _) => fit,
        };
        reports.push(report);
        fitted.push(fit);
    }
    Ok((Prepared { data, reports }, fitted))
}

/// Prepares `data` with the fitted steps, in order.
///
/// # Errors
/// A missing denominator or group column, and the numeric-safety rule: a value a fitted
/// transformation cannot take (below the population's least value, for a logarithm) is
/// [`ScoreError::Overflow`] naming the indicator and unit.
pub fn apply_fitted(
    framework: &Framework,
    data: &Dataset,
    steps: &[FittedStep],
) -> Result<Dataset<'static>, ScoreError> {
    let mut data = data.clone().into_owned();
    for step in steps {
        match step {
            FittedStep::Denominate(s) => {
                denominate(framework, &mut data, s)?;
            }
            FittedStep::Impute { indicators } => impute_with(&mut data, indicators)?,
            FittedStep::Screen {
                units,
                removed_indicators,
            } => {
                let n = data.n_units();
                for id in removed_indicators {
                    if let Some(j) = data.column_position(id) {
                        data.values_mut()[j * n..(j + 1) * n].fill(f64::NAN);
                    }
                }
                let rule = ScreenStep {
                    units: *units,
                    indicators: None,
                };
                screen(framework, &mut data, &rule)?;
            }
            FittedStep::Treat { indicators } => treat_with(&mut data, indicators)?,
        }
        super::check_finite(framework, &data, step.name())?;
    }
    Ok(data)
}

impl FittedStep {
    /// The step's name, its JSON tag.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            FittedStep::Denominate(_) => "denominate",
            FittedStep::Impute { .. } => "impute",
            FittedStep::Screen { .. } => "screen",
            FittedStep::Treat { .. } => "treat",
        }
    }
}

/// The centres the impute step `step` takes from `data` (one period), as `impute` computes
/// them: the mean or median of the present values, overall and within each group.
fn impute_centres(
    framework: &Framework,
    data: &Dataset,
    step: &ImputeStep,
) -> Result<Vec<ImputedValues>, ScoreError> {
    let mut out = Vec::new();
    for id in framework.indicator_ids() {
        let Some(j) = data.column_position(id) else {
            continue;
        };
        let x = data.column_at(j);
        let method = step.indicators.get(id).unwrap_or(&step.default);
        let (median, group) = match method {
            Imputation::None => continue,
            Imputation::Mean => (false, None),
            Imputation::Median => (true, None),
            Imputation::GroupMean { group } => (false, Some(group)),
            Imputation::GroupMedian { group } => (true, Some(group)),
            Imputation::Latest { .. } | Imputation::Linear { .. } => {
                return Err(ScoreError::InvalidParameter {
                    method: "fit",
                    reason: format!(
                        "`latest` and `linear` imputation of `{id}` work along a unit's own \
                         series and are not fitted on a population"
                    ),
                });
            }
        };
        let centre = |v: &[f64]| {
            if median {
                stats::median(v)
            } else {
                stats::mean(v)
            }
        };
        let mut groups = BTreeMap::new();
        if let Some(group) = group {
            let labels = group_labels(data, group)?;
            let mut members: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
            for (label, &v) in labels.iter().zip(x) {
                if let Some(label) = label {
                    members.entry(label.as_str()).or_default().push(v);
                }
            }
            for (label, values) in members {
                if let Some(c) = centre(&values) {
                    groups.insert(label.to_owned(), c);
                }
            }
        }
        out.push(ImputedValues {
            indicator: id.to_owned(),
            overall: centre(x),
            group: group.cloned(),
            groups,
        });
    }
    Ok(out)
}

fn impute_with(data: &mut Dataset, indicators: &[ImputedValues]) -> Result<(), ScoreError> {
    let n = data.n_units();
    for fit in indicators {
        let Some(j) = data.column_position(&fit.indicator) else {
            continue;
        };
        let labels: Option<Vec<Option<String>>> = match &fit.group {
            Some(group) => Some(group_labels(data, group)?.to_vec()),
            None => None,
        };
        let values = data.values_mut();
        for r in 0..n {
            if !values[j * n + r].is_nan() {
                continue;
            }
            let by_group = labels
                .as_ref()
                .and_then(|l| l[r].as_ref())
                .and_then(|label| fit.groups.get(label).copied());
            if let Some(v) = by_group.or(fit.overall) {
                values[j * n + r] = v;
            }
        }
    }
    Ok(())
}

/// What the treat step `step` fixes on each indicator of `data` (one period).
fn treatment_fits(
    framework: &Framework,
    data: &Dataset,
    step: &TreatStep,
) -> Result<BTreeMap<String, TreatmentFit>, ScoreError> {
    step.validate()?;
    let mut out = BTreeMap::new();
    for (j, id, spec) in super::treated_columns(framework, data, step) {
        let mut x = data.column_at(j).to_vec();
        let (_, fit) = treat_column_fitted(&mut x, spec, id);
        if fit != TreatmentFit::default() {
            out.insert(id.to_owned(), fit);
        }
    }
    Ok(out)
}

fn treat_with(
    data: &mut Dataset,
    indicators: &BTreeMap<String, TreatmentFit>,
) -> Result<(), ScoreError> {
    let n = data.n_units();
    for (id, fit) in indicators {
        let Some(j) = data.column_position(id) else {
            continue;
        };
        let (values, units, _) = data.values_mut_with_rows();
        let column = &mut values[j * n..(j + 1) * n];
        let before = column.to_vec();
        fit.apply(column);
        if let Some(r) = (0..n).find(|&r| !before[r].is_nan() && !column[r].is_finite()) {
            return Err(ScoreError::Overflow {
                node: id.clone(),
                unit: units[r].id.clone(),
                what: format!(
                    "the treatment fitted on the population (the value {} lies beyond what its \
                     transformation takes)",
                    before[r]
                ),
            });
        }
    }
    Ok(())
}
