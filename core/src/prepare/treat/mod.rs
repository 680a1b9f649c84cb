//! Outlier treatment, as COINr's `Treat` with its defaults (`qTreat`).
//!
//! An indicator *passes* when |skewness| < 2 **or** kurtosis < 3.5 (sample "type 2" skewness
//! and excess kurtosis, [`stats::skewness`] and [`stats::kurtosis`]). One that fails is
//! [winsorised](winsorise::winsorise) up to `winmax` points (5); one that still fails gets the
//! [`Fallback`] transformation, applied by default to its *original* values (`combine = false`),
//! and keeps it even if it still fails. Every step is recorded in a [`TreatmentReport`] — COINr's
//! `Dets_Table` (skew, kurtosis and pass before, after winsorising and after the transformation,
//! points winsorised) and `Treated_Points` (a label per unit: `winhi`, `winlo`, `+log_CT`,
//! `winhi+log_CT`, …).
//!
//! An indicator with fewer than 4 values, or no spread, cannot be tested: it is left untreated and
//! its report says so (COINr returns it untreated with a warning).
//!
//! References: COINr 1.1, `R/treat.R`; OECD/JRC *Handbook on Constructing Composite Indicators*
//! (2008), section 3 (the skewness 2 / kurtosis 3.5 rule of thumb).

mod transform;
mod winsorise;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use transform::{Fallback, FallbackFit, box_cox};
pub use winsorise::{Winsorised, winsorise};

use crate::error::ScoreError;
use crate::stats;

/// The pass/fail thresholds of the outlier test.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// An indicator passes when |skewness| is below this (COINr: 2).
    pub skew: f64,
    /// … or when its kurtosis is below this (COINr: 3.5).
    pub kurtosis: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            skew: 2.0,
            kurtosis: 3.5,
        }
    }
}

/// Skewness, kurtosis and the verdict of the test (COINr's `check_SkewKurt`).
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SkewKurtosis {
    /// Sample skewness (type 2).
    pub skew: f64,
    /// Sample excess kurtosis (type 2).
    pub kurtosis: f64,
    /// |skew| < skew threshold or kurtosis < kurtosis threshold.
    pub pass: bool,
}

impl SkewKurtosis {
    /// The test on the present values of `x`; `None` with fewer than 4 values or no spread.
    #[must_use]
    pub fn of(x: &[f64], t: Thresholds) -> Option<Self> {
        let skew = stats::skewness(x)?;
        let kurtosis = stats::kurtosis(x)?;
        Some(SkewKurtosis {
            skew,
            kurtosis,
            pass: skew.abs() < t.skew || kurtosis < t.kurtosis,
        })
    }
}

/// How one indicator is treated.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TreatSpec {
    /// Most points to winsorise (COINr: 5); 0 goes straight to the fallback.
    pub winmax: usize,
    /// The pass/fail thresholds.
    pub thresholds: Thresholds,
    /// The transformation for indicators that still fail.
    pub fallback: Fallback,
    /// Apply the fallback to the winsorised values instead of the original ones.
    pub combine: bool,
}

impl Default for TreatSpec {
    fn default() -> Self {
        TreatSpec {
            winmax: 5,
            thresholds: Thresholds::default(),
            fallback: Fallback::LogCt,
            combine: false,
        }
    }
}

/// The treatment step of a recipe: a default for all indicators, per-indicator overrides and
/// exemptions. `{"step": "treat"}` is COINr's `qTreat` with its defaults.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TreatStep {
    /// The treatment of every indicator without an override.
    pub default: TreatSpec,
    /// Overrides by indicator id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub indicators: BTreeMap<String, TreatSpec>,
    /// Indicators left untreated.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exempt: Vec<String>,
}

impl TreatStep {
    /// Checks the thresholds.
    ///
    /// # Errors
    /// [`ScoreError::InvalidParameter`] for non-finite or negative thresholds or λ.
    pub fn validate(&self) -> Result<(), ScoreError> {
        for spec in std::iter::once(&self.default).chain(self.indicators.values()) {
            let t = spec.thresholds;
            let lambda_ok = match spec.fallback {
                Fallback::BoxCox { lambda } => lambda.is_finite(),
                _ => true,
            };
            if !(t.skew.is_finite() && t.skew >= 0.0 && t.kurtosis.is_finite() && lambda_ok) {
                return Err(ScoreError::InvalidParameter {
                    method: "treat",
                    reason: "thresholds and the Box-Cox exponent must be finite, the skew threshold non-negative"
                        .to_owned(),
                });
            }
        }
        Ok(())
    }
}

/// What happened to one indicator (COINr's `Dets_Table` row and `Treated_Points` column).
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreatmentReport {
    /// The indicator.
    pub indicator: String,
    /// The period, for a panel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<i64>,
    /// The test on the data as they came; `None` when it cannot be evaluated.
    pub before: Option<SkewKurtosis>,
    /// Points winsorised, when winsorisation was tried.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub winsorised: Option<usize>,
    /// The test after winsorising.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_winsorising: Option<SkewKurtosis>,
    /// The fallback transformation applied, if any (its point label, e.g. `log_CT`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transform: Option<String>,
    /// The test after the transformation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_transform: Option<SkewKurtosis>,
    /// Per row: `""`, `winhi`, `winlo`, `+log_CT`, `winhi+log_CT`, … (COINr's labels).
    pub points: Vec<String>,
    /// Why the indicator was not treated, when it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl TreatmentReport {
    /// Whether the treatment changed the indicator: points winsorised or a transformation.
    #[must_use]
    pub fn changed(&self) -> bool {
        self.winsorised.is_some_and(|w| w > 0) || self.transform.is_some()
    }
}

/// Treats one column in place and reports what was done.
pub fn treat_column(x: &mut [f64], spec: &TreatSpec, indicator: &str) -> TreatmentReport {
    treat_column_fitted(x, spec, indicator).0
}

/// What treating a column fixed, to treat other values as it treated these: values beyond the
/// winsorising caps become the caps (the winsorised points took exactly these values), then
/// the fallback transformation, if one was applied, with the statistics it took.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct TreatmentFit {
    /// Values below this were raised to it (low-side winsorising).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    /// Values above this were lowered to it (high-side winsorising).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    /// The transformation applied after, with its statistics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transform: Option<(Fallback, FallbackFit)>,
}

impl TreatmentFit {
    /// Treats `x` in place as the fitted column was treated.
    pub fn apply(&self, x: &mut [f64]) {
        for v in x.iter_mut() {
            if let Some(high) = self.high
                && *v > high
            {
                *v = high;
            }
            if let Some(low) = self.low
                && *v < low
            {
                *v = low;
            }
        }
        if let Some((fallback, fit)) = self.transform {
            fallback.apply_fitted(fit, x);
        }
    }
}

/// [`treat_column`], also returning what it fixed ([`TreatmentFit`]).
pub fn treat_column_fitted(
    x: &mut [f64],
    spec: &TreatSpec,
    indicator: &str,
) -> (TreatmentReport, TreatmentFit) {
    let mut report = TreatmentReport {
        indicator: indicator.to_owned(),
        period: None,
        before: SkewKurtosis::of(x, spec.thresholds),
        winsorised: None,
        after_winsorising: None,
        transform: None,
        after_transform: None,
        points: vec![String::new(); x.len()],
        note: None,
    };
    let Some(before) = report.before else {
        report.note = Some("not treated: fewer than 4 values, or no spread".to_owned());
        return (report, TreatmentFit::default());
    };
    if before.pass {
        return (report, TreatmentFit::default());
    }
    let original = x.to_vec();
    let win = winsorise(x, spec.winmax, spec.thresholds);
    report.winsorised = Some(win.count);
    report.after_winsorising = SkewKurtosis::of(x, spec.thresholds);
    let passes = report.after_winsorising.is_none_or(|c| c.pass);
    let cap = |label: &str| {
        let r = win.labels.iter().position(|l| *l == label)?;
        Some(x[r])
    };
    let mut fit = TreatmentFit {
        low: cap("winlo"),
        high: cap("winhi"),
        transform: None,
    };
    let transformed = if passes || spec.fallback == Fallback::None {
        None
    } else {
        if !spec.combine {
            x.copy_from_slice(&original);
            fit.low = None;
            fit.high = None;
        }
        let statistics = FallbackFit::of(x);
        fit.transform = statistics.map(|s| (spec.fallback, s));
        spec.fallback.apply(x)
    };
    if let Some(label) = transformed {
        report.transform = Some(label.to_owned());
        report.after_transform = SkewKurtosis::of(x, spec.thresholds);
    }
    for (point, w) in report.points.iter_mut().zip(&win.labels) {
        *point = match transformed {
            Some(label) => format!("{w}+{label}"),
            None => (*w).to_owned(),
        };
    }
    (report, fit)
}
