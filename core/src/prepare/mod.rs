//! Data preparation: the steps that turn raw data into the data set that is normalised —
//! denominate, impute, screen, treat — run in the order the recipe lists them, each recorded.
//!
//! ```json
//! {"prepare": [
//!   {"step": "denominate"},
//!   {"step": "impute", "default": {"method": "group_mean", "group": "EurAsia_group"}},
//!   {"step": "screen", "units": {"min_availability": 0.9}},
//!   {"step": "treat"}
//! ]}
//! ```
//!
//! That is COINr's `build_example_coin()`: `Denominate` → `Impute(i_mean_grp)` →
//! `Screen(dat_thresh = 0.9)` → `Treat`. Cross-sectional steps (means, medians, treatment) work
//! within each period of a panel; `latest` and `linear` imputation work along time.

pub mod denominate;
mod fitted;
pub mod impute;
pub mod screen;
pub mod treat;

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::error::ScoreError;
use crate::framework::Framework;
pub use fitted::{FittedStep, ImputedValues, apply_fitted, prepare_fitted};

use denominate::{DenominateReport, DenominateStep, denominate};
use impute::{ImputeReport, ImputeStep, impute};
use screen::{ScreenReport, ScreenStep, screen};
use treat::{TreatStep, TreatmentReport, treat_column};

/// One preparation step; the JSON form is tagged by `step`.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// Divide indicators by their denominators.
    Denominate(DenominateStep),
    /// Fill missing values.
    Impute(ImputeStep),
    /// Drop units or indicators with too little data.
    Screen(ScreenStep),
    /// Winsorise or transform outliers.
    Treat(TreatStep),
}

impl Step {
    /// The step's name, its JSON tag: `denominate`, `impute`, `screen` or `treat`.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Step::Denominate(_) => "denominate",
            Step::Impute(_) => "impute",
            Step::Screen(_) => "screen",
            Step::Treat(_) => "treat",
        }
    }
}

/// What one step did; the JSON form is tagged by `step`.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum StepReport {
    /// See [`DenominateReport`].
    Denominate(DenominateReport),
    /// See [`ImputeReport`].
    Impute(ImputeReport),
    /// See [`ScreenReport`].
    Screen(ScreenReport),
    /// One report per indicator (and period) treated.
    Treat {
        /// The reports.
        indicators: Vec<TreatmentReport>,
    },
}

impl StepReport {
    /// How many things the step changed: indicators divided by their denominators, cells
    /// imputed, units removed, or indicators treated ([`TreatmentReport::changed`]).
    #[must_use]
    pub fn changed(&self) -> usize {
        match self {
            StepReport::Denominate(d) => d.denominated.len(),
            StepReport::Impute(i) => i.cells.len(),
            StepReport::Screen(s) => s.removed_units().len(),
            StepReport::Treat { indicators } => indicators.iter().filter(|t| t.changed()).count(),
        }
    }
}

/// The prepared data and the record of every step.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The data after the last step.
    pub data: Dataset<'static>,
    /// One report per step, in order.
    pub reports: Vec<StepReport>,
}

/// Runs the steps in order on a copy of `data`.
///
/// # Errors
/// Any step's error: a missing denominator or group column, invalid thresholds, panel-only
/// imputation on data without periods, an id in an override that is not an indicator.
pub fn prepare(
    framework: &Framework,
    data: &Dataset,
    steps: &[Step],
) -> Result<Prepared, ScoreError> {
    let mut data = data.clone().into_owned();
    let mut reports = Vec::with_capacity(steps.len());
    for step in steps {
        reports.push(run_step(framework, &mut data, step)?);
    }
    Ok(Prepared { data, reports })
}

/// The data after one preparation step, and what the step did.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    /// The data after the step.
    pub data: Dataset<'static>,
    /// What the step did.
    pub report: StepReport,
}

/// Runs the steps in order as [`prepare`] does, keeping a copy of the data after each one:
/// COINr's intermediate data sets (`Denominated`, `Imputed`, `Screened`, `Treated`), to look
/// at what each step changed. The last stage's data is what [`prepare`] returns.
///
/// # Errors
/// As [`prepare`].
pub fn prepare_stages(
    framework: &Framework,
    data: &Dataset,
    steps: &[Step],
) -> Result<Vec<Stage>, ScoreError> {
    let mut data = data.clone().into_owned();
    let mut stages = Vec::with_capacity(steps.len());
    for step in steps {
        let report = run_step(framework, &mut data, step)?;
        stages.push(Stage {
            data: data.clone(),
            report,
        });
    }
    Ok(stages)
}

/// Runs one step on `data`, in place.
fn run_step(
    framework: &Framework,
    data: &mut Dataset<'static>,
    step: &Step,
) -> Result<StepReport, ScoreError> {
    check_ids(framework, step)?;
    let report = match step {
        Step::Denominate(s) => StepReport::Denominate(denominate(framework, data, s)?),
        Step::Impute(s) => StepReport::Impute(impute(framework, data, s)?),
        Step::Screen(s) => StepReport::Screen(screen(framework, data, s)?),
        Step::Treat(s) => StepReport::Treat {
            indicators: treat(framework, data, s)?,
        },
    };
    check_finite(framework, data, step.name())?;
    Ok(report)
}

/// The numeric-safety rule of preparation: no step leaves an infinity in an indicator column
/// (a mean imputed from values near 1.8e308, a ratio to a tiny denominator, a Box-Cox power).
/// Treatment names its own (it also sees a present value turned missing); this catches the rest.
fn check_finite(framework: &Framework, data: &Dataset, step: &str) -> Result<(), ScoreError> {
    for id in framework.indicator_ids() {
        let Some(j) = data.column_position(id) else {
            continue;
        };
        if let Some(r) = data.column_at(j).iter().position(|v| v.is_infinite()) {
            return Err(ScoreError::Overflow {
                node: id.to_owned(),
                unit: data.units()[r].id.clone(),
                what: format!("the {step} step"),
            });
        }
    }
    Ok(())
}

fn check_ids(framework: &Framework, step: &Step) -> Result<(), ScoreError> {
    let ids: Vec<&String> = match step {
        Step::Denominate(s) => s.indicators.keys().collect(),
        Step::Impute(s) => s.indicators.keys().collect(),
        Step::Screen(_) => Vec::new(),
        Step::Treat(s) => s.indicators.keys().chain(&s.exempt).collect(),
    };
    for id in ids {
        if framework.node(id).and_then(|n| n.as_indicator()).is_none() {
            return Err(ScoreError::UnknownId {
                id: id.clone(),
                context: "preparation overrides",
                expected: "an indicator",
            });
        }
    }
    Ok(())
}

/// The indicators the treat step `step` treats in `data`: (column, id, specification), exempt
/// ones and those the data lack left out.
fn treated_columns<'a>(
    framework: &'a Framework,
    data: &Dataset,
    step: &'a TreatStep,
) -> Vec<(usize, &'a str, &'a treat::TreatSpec)> {
    framework
        .indicator_ids()
        .filter(|id| !step.exempt.iter().any(|e| e == id))
        .filter_map(|id| {
            let j = data.column_position(id)?;
            Some((j, id, step.indicators.get(id).unwrap_or(&step.default)))
        })
        .collect()
}

fn treat(
    framework: &Framework,
    data: &mut Dataset,
    step: &TreatStep,
) -> Result<Vec<TreatmentReport>, ScoreError> {
    step.validate()?;
    let n = data.n_units();
    let periods = data.period_rows();
    let mut reports = Vec::new();
    for (j, id, spec) in treated_columns(framework, data, step) {
        for (period, rows) in &periods {
            let (values, units, _) = data.values_mut_with_rows();
            let mut x: Vec<f64> = rows.iter().map(|&r| values[j * n + r]).collect();
            let mut report = treat_column(&mut x, spec, id);
            report.period = *period;
            for (&r, v) in rows.iter().zip(x) {
                // A transformation (a Box-Cox power, a log of a constant column) that takes a
                // present value out of the finite range: named, never kept as `inf`.
                if !values[j * n + r].is_nan() && !v.is_finite() {
                    return Err(ScoreError::Overflow {
                        node: id.to_owned(),
                        unit: units[r].id.clone(),
                        what: format!(
                            "the treatment ({})",
                            report.transform.as_deref().unwrap_or("winsorising")
                        ),
                    });
                }
                values[j * n + r] = v;
            }
            reports.push(report);
        }
    }
    Ok(reports)
}
