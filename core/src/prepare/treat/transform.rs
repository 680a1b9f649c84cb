//! Non-linear transformations used when winsorising is not enough (COINr's `f2`).

use serde::{Deserialize, Serialize};

use crate::stats;

/// The transformation applied to an indicator that still fails the skew/kurtosis test after
/// winsorising. All of them first shift the values, so none takes the log of a value ≤ 0.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fallback {
    /// COINr's `log_CT` (the default): ln(x − min + a), a = 0.01·(max − min).
    #[default]
    LogCt,
    /// COINr's `log_CT_plus`: `log_ct` when the skew is positive, else −ln(max + a − x).
    LogCtPlus,
    /// COINr's `log_CT_orig`, the COIN Tool's original: ln(x − min + 1).
    LogCtOrig,
    /// COINr's `boxcox` with `makepos = TRUE`: with x' = x − min + 1, ln(x') for λ = 0, else
    /// (x'^λ − 1)/λ.
    BoxCox {
        /// The Box-Cox exponent λ.
        lambda: f64,
    },
    /// Keep the winsorised values even if they still fail.
    None,
}

impl Fallback {
    /// The label COINr writes for each treated point (`log_CT`, `log_CT_neg`, …).
    fn label(self, positive_skew: bool) -> &'static str {
        match self {
            Fallback::LogCt => "log_CT",
            Fallback::LogCtPlus if positive_skew => "log_CT",
            Fallback::LogCtPlus => "log_CT_neg",
            Fallback::LogCtOrig => "log_CT_orig",
            Fallback::BoxCox { .. } => "boxcox",
            Fallback::None => "",
        }
    }

    /// Applies the transformation to `x` in place and returns the label of the treated points;
    /// missing values stay missing. `None` for an empty column.
    pub fn apply(self, x: &mut [f64]) -> Option<&'static str> {
        let fit = FallbackFit::of(x)?;
        self.apply_fitted(fit, x);
        Some(self.label(fit.positive_skew))
    }

    /// The transformation with the statistics of the column it was fitted on (a fitted model
    /// applies it to new units with the population's): the same formula, the same bits.
    pub fn apply_fitted(self, fit: FallbackFit, x: &mut [f64]) {
        let FallbackFit {
            min,
            max,
            positive_skew,
        } = fit;
        let a = 0.01 * (max - min);
        for v in x.iter_mut() {
            *v = match self {
                Fallback::LogCt => libm::log(*v - min + a),
                Fallback::LogCtPlus if positive_skew => libm::log(*v - min + a),
                Fallback::LogCtPlus => -libm::log(max + a - *v),
                Fallback::LogCtOrig => libm::log(*v - min + 1.0),
                Fallback::BoxCox { lambda } => box_cox(*v - min + 1.0, lambda),
                Fallback::None => *v,
            };
        }
    }
}

/// What a [`Fallback`] takes from the column it transforms: its extremes and the sign of its
/// skew.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FallbackFit {
    /// The least present value.
    pub min: f64,
    /// The greatest present value.
    pub max: f64,
    /// Whether the skewness is positive.
    pub positive_skew: bool,
}

impl FallbackFit {
    /// The statistics of `x`; `None` for an empty column.
    #[must_use]
    pub fn of(x: &[f64]) -> Option<Self> {
        let (min, max) = stats::min_max(x)?;
        let positive_skew = stats::skewness(x).is_some_and(|s| s > 0.0);
        Some(FallbackFit {
            min,
            max,
            positive_skew,
        })
    }
}

/// Box-Cox of a positive value: ln(x) for λ = 0, else (x^λ − 1)/λ.
#[must_use]
pub fn box_cox(x: f64, lambda: f64) -> f64 {
    if lambda == 0.0 {
        libm::log(x)
    } else {
        (libm::pow(x, lambda) - 1.0) / lambda
    }
}
