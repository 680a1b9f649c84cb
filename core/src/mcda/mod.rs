//! Multi-criteria decision analysis on a decision matrix (alternatives × criteria), usable on a
//! flat matrix or for any aggregate node of a framework.
//!
//! | method | formula (x normalised as stated, w weights summing to 1) | reference |
//! |---|---|---|
//! | [`Topsis`](Method::Topsis) | closeness D⁻/(D⁺ + D⁻) to the ideal and anti-ideal points of the weighted normalised matrix | Hwang & Yoon (1981) |
//! | [`Vikor`](Method::Vikor) | Q = v·(S − S*)/(S⁻ − S*) + (1 − v)·(R − R*)/(R⁻ − R*), lower is better | Opricovic & Tzeng (2004) |
//! | [`PrometheeII`](Method::PrometheeII) | net flow φ⁺ − φ⁻ of the weighted preference index | Brans & Vincke (1985) |
//! | [`Copras`](Method::Copras) | utility Q/max Q, Q = S⁺ + ΣS⁻/(S⁻·Σ(1/S⁻)) on sum-normalised data | Zavadskas et al. (1994) |
//! | [`Edas`](Method::Edas) | (NSP + NSN)/2 from positive and negative distances to the average | Keshavarz Ghorabaee et al. (2015) |
//! | [`Moora`](Method::Moora) | Σ benefit − Σ cost of the weighted vector-normalised matrix (ratio system) | Brauers & Zavadskas (2006) |
//! | [`Waspas`](Method::Waspas) | λ·Σ w·n + (1 − λ)·Π n^w on linear-normalised data | Zavadskas et al. (2012) |
//! | [`Mpi`](Method::Mpi) | M − S·cv of the standardised values (MPI), or of values rescaled to 70–130 (AMPI) | De Muro, Mazziotta & Pareto (2011); Mazziotta & Pareto (2016) |
//!
//! The formulas follow pymcdm 1.4 except COPRAS, where pymcdm is wrong (its score reduces to
//! S⁺ + S⁻, so costs raise it): cityindex follows the textbook, as scikit-criteria and
//! pyrepo-mcda do.
//!
//! **Missing values** are never silently propagated: with [`Missing::Error`] (the default) the
//! first missing cell is an error naming it; with [`Missing::Skip`] column statistics use the
//! present values and each alternative's sums use the criteria it has, with weights renormalised
//! over them. An alternative with no value at all scores `NaN`.

mod additive;
mod compromise;
mod mpi;
mod outranking;
mod ratio;
pub mod scaling;

use serde::{Deserialize, Serialize};

pub use outranking::PreferenceFunction;

use crate::error::MethodError;
use crate::framework::Direction;
use crate::limits;
use crate::rank::{Order, TieRule, rank_into};

/// What to do with missing values.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// Fail on the first missing cell, naming it.
    #[default]
    Error,
    /// Use the present values; renormalise each alternative's weights over its criteria.
    Skip,
}

/// An MCDA method with its parameters; the JSON form is tagged by `method`.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Method {
    /// TOPSIS with min-max (pymcdm's default) or vector normalisation.
    Topsis {
        /// The normalisation.
        #[serde(default = "Method::default_topsis_scaling")]
        scaling: scaling::Scaling,
    },
    /// VIKOR; the score is Q (lower is better).
    Vikor {
        /// Weight of the group utility S against the individual regret R.
        #[serde(default = "Method::half")]
        v: f64,
    },
    /// PROMETHEE II net flows, one preference function for every criterion.
    #[serde(rename = "promethee_ii")]
    PrometheeII {
        /// The preference function.
        #[serde(default)]
        preference: PreferenceFunction,
    },
    /// COPRAS utility degree (textbook).
    Copras,
    /// EDAS appraisal score.
    Edas,
    /// MOORA ratio system.
    Moora,
    /// WASPAS joint criterion.
    Waspas {
        /// Weight λ of the weighted sum against the weighted product.
        #[serde(default = "Method::half")]
        lambda: f64,
    },
    /// Mazziotta–Pareto index, penalised for unbalance (MPI⁻), or its adjusted form (AMPI⁻).
    Mpi {
        /// Adjusted MPI: rescale to 70–130 by the goalposts min and max of each criterion
        /// (taken from the data) instead of standardising.
        #[serde(default)]
        adjusted: bool,
    },
}

impl Method {
    fn default_topsis_scaling() -> scaling::Scaling {
        scaling::Scaling::MinMax
    }
    fn half() -> f64 {
        0.5
    }

    /// The method's name.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Method::Topsis { .. } => "TOPSIS",
            Method::Vikor { .. } => "VIKOR",
            Method::PrometheeII { .. } => "PROMETHEE II",
            Method::Copras => "COPRAS",
            Method::Edas => "EDAS",
            Method::Moora => "MOORA",
            Method::Waspas { .. } => "WASPAS",
            Method::Mpi { .. } => "MPI",
        }
    }

    /// Whether lower scores are better (VIKOR's Q).
    #[must_use]
    pub fn lower_is_better(&self) -> bool {
        matches!(self, Method::Vikor { .. })
    }
}

/// A decision matrix: one column per criterion, one row per alternative, `NaN` = missing.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionMatrix {
    /// Alternative ids (rows).
    pub alternatives: Vec<String>,
    /// Criterion ids (columns).
    pub criteria: Vec<String>,
    /// The columns.
    pub columns: Vec<Vec<f64>>,
    /// Benefit (+1) or cost (−1) per criterion.
    pub directions: Vec<Direction>,
    /// Weight per criterion (relative; rescaled to sum to 1).
    pub weights: Vec<f64>,
}

impl DecisionMatrix {
    /// A matrix from columns, checking that every count agrees.
    ///
    /// # Errors
    /// [`MethodError::CountMismatch`] for weights, directions or a column of the wrong length;
    /// [`MethodError::InvalidParameter`] for negative, non-finite or all-zero weights.
    pub fn new(
        alternatives: Vec<String>,
        criteria: Vec<String>,
        columns: Vec<Vec<f64>>,
        directions: Vec<Direction>,
        weights: Vec<f64>,
    ) -> Result<Self, MethodError> {
        let m = criteria.len();
        let mismatch = |what, found| MethodError::CountMismatch {
            method: "decision matrix",
            what,
            expected: m,
            found,
        };
        if columns.len() != m {
            return Err(mismatch("columns", columns.len()));
        }
        if directions.len() != m {
            return Err(mismatch("directions", directions.len()));
        }
        if weights.len() != m {
            return Err(mismatch("weights", weights.len()));
        }
        if let Some(c) = columns.iter().find(|c| c.len() != alternatives.len()) {
            return Err(MethodError::CountMismatch {
                method: "decision matrix",
                what: "a column",
                expected: alternatives.len(),
                found: c.len(),
            });
        }
        if weights.iter().any(|w| !w.is_finite() || *w < 0.0) || weights.iter().sum::<f64>() <= 0.0
        {
            return Err(MethodError::InvalidParameter {
                method: "decision matrix",
                reason: "weights must be finite, non-negative and not all zero".to_owned(),
            });
        }
        Ok(DecisionMatrix {
            alternatives,
            criteria,
            columns,
            directions,
            weights,
        })
    }

    fn n(&self) -> usize {
        self.alternatives.len()
    }

    /// Weights rescaled to sum to 1.
    fn unit_weights(&self) -> Vec<f64> {
        let total: f64 = self.weights.iter().sum();
        self.weights.iter().map(|w| w / total).collect()
    }

    /// Checks the minimum number of alternatives and, unless skipping, that no cell is missing.
    fn check(
        &self,
        method: &'static str,
        needed: usize,
        missing: Missing,
    ) -> Result<(), MethodError> {
        if self.n() < needed {
            return Err(MethodError::TooFewAlternatives {
                method,
                needed,
                found: self.n(),
            });
        }
        if missing == Missing::Error {
            for (c, col) in self.columns.iter().enumerate() {
                // A fold without early exit vectorises; the position is only sought on failure.
                if !col.iter().fold(false, |seen, v| seen | v.is_nan()) {
                    continue;
                }
                if let Some(r) = col.iter().position(|v| v.is_nan()) {
                    return Err(MethodError::MissingValue {
                        method,
                        criterion: self.criteria[c].clone(),
                        alternative: self.alternatives[r].clone(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// Weighted sum over the criteria present in row `r`, with weights renormalised over them;
/// `NaN` when none is present.
pub(crate) fn row_weighted_sum(values: &[Vec<f64>], w: &[f64], r: usize) -> f64 {
    let (mut acc, mut total) = (0.0, 0.0);
    for (col, &wj) in values.iter().zip(w) {
        let v = col[r];
        if !v.is_nan() {
            acc += wj * v;
            total += wj;
        }
    }
    if total == 0.0 { f64::NAN } else { acc / total }
}

/// Scores every alternative with `method`.
///
/// # Errors
/// Fewer than two alternatives, a missing cell under [`Missing::Error`], a criterion on which the
/// method is undefined (e.g. constant, or non-positive where a ratio is taken), invalid
/// parameters (such as PROMETHEE thresholds with q > p).
pub fn evaluate(
    matrix: &DecisionMatrix,
    method: &Method,
    missing: Missing,
) -> Result<Vec<f64>, MethodError> {
    matrix.check(method.name(), 2, missing)?;
    if matches!(method, Method::PrometheeII { .. }) {
        limits::check(
            "alternatives of a pairwise method",
            matrix.alternatives.len() as u128,
            limits::MAX_PAIRWISE_UNITS as u128,
        )?;
    }
    let scores = match *method {
        Method::Topsis { scaling } => compromise::topsis(matrix, scaling),
        Method::Vikor { v } => compromise::vikor(matrix, v),
        Method::PrometheeII { preference } => outranking::promethee_ii(matrix, preference),
        Method::Copras => ratio::copras(matrix),
        Method::Edas => ratio::edas(matrix),
        Method::Moora => ratio::moora(matrix),
        Method::Waspas { lambda } => additive::waspas(matrix, lambda),
        Method::Mpi { adjusted } => mpi::mpi(matrix, adjusted),
    }?;
    // The numeric-safety rule: an alternative with a present value has a finite score.
    let present = |r: usize| matrix.columns.iter().any(|c| !c[r].is_nan());
    if let Some(r) = (0..scores.len()).find(|&r| !scores[r].is_finite() && present(r)) {
        return Err(MethodError::Overflow {
            method: method.name(),
            alternative: matrix.alternatives[r].clone(),
        });
    }
    Ok(scores)
}

/// Ranks of MCDA scores (1 = best), taking the method's direction into account.
#[must_use]
pub fn rank_scores(scores: &[f64], method: &Method, ties: TieRule) -> Vec<f64> {
    let order = if method.lower_is_better() {
        Order::Ascending
    } else {
        Order::Descending
    };
    let mut out = vec![f64::NAN; scores.len()];
    rank_into(scores, order, ties, &mut out);
    out
}
