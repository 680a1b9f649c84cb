//! Aggregation: combining the children of a node into the node's score, level by level.
//!
//! | method | formula over the present children | COINr |
//! |---|---|---|
//! | [`arithmetic_mean`](Aggregation::ArithmeticMean) | Σ wᵢxᵢ / Σ wᵢ | `a_amean` |
//! | [`geometric_mean`](Aggregation::GeometricMean) | exp(Σ wᵢ ln xᵢ / Σ wᵢ), all xᵢ > 0 | `a_gmean` |
//! | [`harmonic_mean`](Aggregation::HarmonicMean) | Σ wᵢ / Σ (wᵢ/xᵢ), all xᵢ > 0 | `a_hmean` |
//! | [`generalised_mean`](Aggregation::GeneralisedMean) | (Σ wᵢxᵢᵖ / Σ wᵢ)^(1/p) | `a_genmean` |
//! | [`copeland`](Aggregation::Copeland) | Σⱼ sign(O\[i,j\] − ½) over the outranking matrix | `a_copeland` |
//!
//! Missing children are skipped and the weights of those present renormalised (COINr's
//! `a_amean`, `a_gmean`, `a_hmean`; COINr's `a_genmean` instead returns `NA` when any child is
//! missing — here all means treat missing values alike). A unit with no present child has a
//! missing score. With an availability threshold, a unit whose share of present children is
//! below it has a missing score (COINr's `dat_thresh`).
//!
//! References: COINr 1.1, `R/aggregate.R`; OECD/JRC *Handbook on Constructing Composite
//! Indicators* (2008), section 6; Munda & Nardo (2009), "Noncompensatory/nonlinear composite
//! indicators for ranking countries: a defensible setting", *Applied Economics* 41(12).

mod copeland;
mod mean;

use serde::{Deserialize, Serialize};

pub use copeland::copeland;
pub use mean::{Domain, weighted_mean};

use crate::dataset::Unit;
use crate::error::{Error, ScoreError};
use crate::framework::Direction;
use crate::mcda;

/// An aggregation method; the JSON form is tagged by `method`, e.g.
/// `{"method": "generalised_mean", "p": 2}`.
///
/// The MCDA methods of [`crate::mcda`] aggregate a node too: the children are the criteria (all
/// benefits, being normalised scores), the units the alternatives, missing children skipped with
/// weights renormalised. Their scores are on the method's own scale; VIKOR's Q is reported as
/// 1 − Q so that higher is better at every node.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Aggregation {
    /// Weighted arithmetic mean (fully compensatory).
    #[default]
    ArithmeticMean,
    /// Weighted geometric mean (partially compensatory); values must be positive.
    GeometricMean,
    /// Weighted harmonic mean; values must be positive.
    HarmonicMean,
    /// Weighted power mean with exponent `p` (p = 1 arithmetic, p = −1 harmonic).
    GeneralisedMean {
        /// The exponent; non-zero and finite (use the geometric mean for p = 0).
        p: f64,
    },
    /// The arithmetic mean of every indicator below the node that the unit has, equally
    /// weighted, skipping the groups in between: ITU U4SSC's "points over maximum points" when
    /// the indicators are scored by [`target_bands`](crate::normalise::Normalisation::TargetBands).
    /// The pipeline hands the node its indicators instead of its children.
    PooledMean,
    /// Copeland's outranking count (non-compensatory); scores are integers in [−(n−1), n−1].
    Copeland,
    /// TOPSIS closeness (see [`mcda::Method::Topsis`]).
    Topsis {
        /// The normalisation.
        #[serde(default = "min_max_scaling")]
        scaling: mcda::scaling::Scaling,
    },
    /// 1 − VIKOR's Q (see [`mcda::Method::Vikor`]).
    Vikor {
        /// Weight of group utility against individual regret.
        #[serde(default = "half")]
        v: f64,
    },
    /// PROMETHEE II net flow (see [`mcda::Method::PrometheeII`]).
    #[serde(rename = "promethee_ii")]
    PrometheeII {
        /// The preference function.
        #[serde(default)]
        preference: mcda::PreferenceFunction,
    },
    /// COPRAS utility degree.
    Copras,
    /// EDAS appraisal score.
    Edas,
    /// MOORA ratio system.
    Moora,
    /// WASPAS joint criterion.
    Waspas {
        /// Weight of the weighted sum against the weighted product.
        #[serde(default = "half")]
        lambda: f64,
    },
    /// Mazziotta–Pareto index (MPI⁻ or AMPI⁻).
    Mpi {
        /// Adjusted MPI.
        #[serde(default)]
        adjusted: bool,
    },
    /// Benefit of the doubt: each unit's composite under its most favourable weights, in
    /// [0, 1] (see [`crate::weight::benefit_of_the_doubt`]).
    BenefitOfTheDoubt {
        /// Optional bounds on each child's share of a unit's composite.
        #[serde(default)]
        shares: crate::weight::ShareBounds,
    },
}

fn min_max_scaling() -> mcda::scaling::Scaling {
    mcda::scaling::Scaling::MinMax
}

fn half() -> f64 {
    0.5
}

impl Aggregation {
    /// The method's name as in JSON.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Aggregation::ArithmeticMean => "arithmetic mean",
            Aggregation::GeometricMean => "geometric mean",
            Aggregation::HarmonicMean => "harmonic mean",
            Aggregation::GeneralisedMean { .. } => "generalised mean",
            Aggregation::PooledMean => "pooled mean",
            Aggregation::Copeland => "copeland",
            Aggregation::BenefitOfTheDoubt { .. } => "benefit of the doubt",
            _ => self.as_mcda().map_or("mcda", |m| m.name()),
        }
    }

    /// Whether a unit's result depends on the other units' values (MCDA, Copeland, benefit of
    /// the doubt), not only on its own children's.
    #[must_use]
    pub fn compares_units(&self) -> bool {
        matches!(
            self,
            Aggregation::Copeland | Aggregation::BenefitOfTheDoubt { .. }
        ) || self.as_mcda().is_some()
    }

    /// The MCDA method behind an MCDA aggregation.
    #[must_use]
    pub fn as_mcda(&self) -> Option<mcda::Method> {
        Some(match *self {
            Aggregation::Topsis { scaling } => mcda::Method::Topsis { scaling },
            Aggregation::Vikor { v } => mcda::Method::Vikor { v },
            Aggregation::PrometheeII { preference } => mcda::Method::PrometheeII { preference },
            Aggregation::Copras => mcda::Method::Copras,
            Aggregation::Edas => mcda::Method::Edas,
            Aggregation::Moora => mcda::Method::Moora,
            Aggregation::Waspas { lambda } => mcda::Method::Waspas { lambda },
            Aggregation::Mpi { adjusted } => mcda::Method::Mpi { adjusted },
            _ => return None,
        })
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`ScoreError::InvalidParameter`] for a zero or non-finite exponent.
    pub fn validate(&self) -> Result<(), ScoreError> {
        if let Aggregation::GeneralisedMean { p } = *self
            && (!p.is_finite() || p == 0.0)
        {
            return Err(ScoreError::InvalidParameter {
                method: self.name(),
                reason: format!(
                    "the exponent p ({p}) must be finite and non-zero (p = 0 is the geometric mean)"
                ),
            });
        }
        Ok(())
    }
}

/// The children of one aggregate node, as the aggregation sees them.
pub struct Children<'a> {
    /// Ids of the children, for error messages.
    pub ids: &'a [&'a str],
    /// Score columns of the children, one value per unit.
    pub columns: &'a [&'a [f64]],
    /// Weights of the children (relative).
    pub weights: &'a [f64],
}

/// Aggregates the children of `node` into `out` (one value per unit).
///
/// # Errors
/// [`ScoreError::OutsideDomain`] when a value is outside the method's domain (e.g. zero for a
/// geometric mean), naming node, unit and child; an MCDA method's [`crate::MethodError`].
pub fn aggregate_node(
    method: Aggregation,
    node: &str,
    children: &Children<'_>,
    units: &[Unit],
    threshold: Option<f64>,
    out: &mut [f64],
) -> Result<(), Error> {
    // The caller passed the indicators below the node: their plain mean.
    let method = match method {
        Aggregation::PooledMean => Aggregation::ArithmeticMean,
        other => other,
    };
    if let Aggregation::BenefitOfTheDoubt { shares } = method {
        let matrix = decision_matrix(children, units)?;
        let result = crate::weight::benefit_of_the_doubt(&matrix, shares)?;
        for (r, (o, s)) in out.iter_mut().zip(result.scores).enumerate() {
            *o = if children.columns.iter().all(|c| c[r].is_nan()) {
                f64::NAN
            } else {
                s
            };
        }
    } else if let Some(m) = method.as_mcda() {
        let matrix = decision_matrix(children, units)?;
        let scores = mcda::evaluate(&matrix, &m, mcda::Missing::Skip)?;
        for (o, s) in out.iter_mut().zip(scores) {
            *o = if m.lower_is_better() { 1.0 - s } else { s };
        }
    } else if method == Aggregation::Copeland {
        crate::limits::check(
            "units of a pairwise aggregation (Copeland)",
            units.len() as u128,
            crate::limits::MAX_PAIRWISE_UNITS as u128,
        )?;
        copeland(children.columns, children.weights, out);
    } else {
        check_domain(method, node, children, units)?;
        let mut sw = vec![0.0; out.len()];
        out.fill(0.0);
        let (acc, sums) = (&mut *out, &mut sw);
        if method == Aggregation::ArithmeticMean {
            cityindex_kernels::add_present_products(children.columns, children.weights, acc, sums);
        } else {
            // The terms of the other means call libm: nothing to gain from blocking.
            accumulate(children, acc, sums, |w, x| mean::term(method, w, x));
        }
        finish_all(method, out, &sw);
    }
    settle_overflow(method, node, children, units, out)?;
    if let Some(t) = threshold {
        apply_threshold(children.columns, t, out);
    }
    Ok(())
}

/// The numeric-safety rule of aggregation: a unit with a present child of positive weight has a
/// finite score. Where the plain sums of a mean left the finite range, the unit's mean is
/// recomputed on rescaled numbers ([`mean::rescaled`]); what still is not finite (or a
/// non-finite score of a method that is not a mean) is [`ScoreError::Overflow`], naming the node
/// and the unit. Units without such a child keep their missing value. One pass over `out`; the
/// bits of finite scores are never touched.
///
/// # Errors
/// [`ScoreError::Overflow`].
pub(crate) fn settle_overflow(
    method: Aggregation,
    node: &str,
    children: &Children<'_>,
    units: &[Unit],
    out: &mut [f64],
) -> Result<(), ScoreError> {
    if out.iter().all(|v| v.is_finite()) {
        return Ok(());
    }
    let is_mean = matches!(
        method,
        Aggregation::ArithmeticMean
            | Aggregation::GeometricMean
            | Aggregation::HarmonicMean
            | Aggregation::GeneralisedMean { .. }
    );
    let mut row = Vec::with_capacity(children.columns.len());
    for (r, o) in out.iter_mut().enumerate() {
        if o.is_finite() {
            continue;
        }
        row.clear();
        row.extend(children.columns.iter().map(|c| c[r]));
        let weighted = row
            .iter()
            .zip(children.weights)
            .any(|(v, &w)| !v.is_nan() && w > 0.0);
        if !weighted {
            continue;
        }
        let repaired = is_mean
            .then(|| mean::rescaled(method, &row, children.weights))
            .flatten()
            .filter(|v| v.is_finite());
        match repaired {
            Some(v) => *o = v,
            None => {
                return Err(ScoreError::Overflow {
                    node: node.to_owned(),
                    unit: units[r].id.clone(),
                    what: format!("the {}", method.name()),
                });
            }
        }
    }
    Ok(())
}

/// The first value, in unit order and then child order, outside the method's domain.
fn check_domain(
    method: Aggregation,
    node: &str,
    children: &Children<'_>,
    units: &[Unit],
) -> Result<(), ScoreError> {
    let Some(domain) = mean::domain(method) else {
        return Ok(());
    };
    for (r, unit) in units.iter().enumerate() {
        for (c, col) in children.columns.iter().enumerate() {
            let v = col[r];
            if !v.is_nan() && !domain.admits(v) {
                return Err(ScoreError::OutsideDomain {
                    node: node.to_owned(),
                    unit: unit.id.clone(),
                    child: children.ids[c].to_owned(),
                    value: v,
                    method: method.name(),
                    requirement: domain.requirement(),
                });
            }
        }
    }
    Ok(())
}

/// Adds each child's term `f(w, x)` and weight into the per-unit sums, column by column. Each
/// unit's sums run in child order, giving the same bits as [`weighted_mean`] on its row: a
/// missing value adds +0.0, which leaves any sum started at +0.0 unchanged.
fn accumulate(
    children: &Children<'_>,
    acc: &mut [f64],
    sw: &mut [f64],
    f: impl Fn(f64, f64) -> f64,
) {
    for (col, &w) in children.columns.iter().zip(children.weights) {
        for ((a, s), &x) in acc.iter_mut().zip(sw.iter_mut()).zip(col.iter()) {
            let present = !x.is_nan();
            *a += if present { f(w, x) } else { 0.0 };
            *s += if present { w } else { 0.0 };
        }
    }
}

/// The weighted arithmetic mean of the children, or their weighted geometric mean from their
/// natural logarithms (`NaN` where missing; computed once and reused across many weightings):
/// exactly the bits [`aggregate_node`] gives for [`Aggregation::ArithmeticMean`] or
/// [`Aggregation::GeometricMean`] on the values themselves, provided (for the geometric mean)
/// every present value is positive, which the caller checks. `complete` says that no column has
/// a missing value, which skips the per-unit weight sums. `sw` is scratch space.
pub(crate) fn linear_mean(
    method: Aggregation,
    columns: &[&[f64]],
    weights: &[f64],
    complete: bool,
    out: &mut [f64],
    sw: &mut Vec<f64>,
) {
    out.fill(0.0);
    if complete {
        cityindex_kernels::add_products(columns, weights, out);
        // The same bits as adding the weights per unit.
        let total = weights.iter().fold(0.0, |s, &w| s + w);
        if method == Aggregation::ArithmeticMean {
            cityindex_kernels::divide_by(out, total);
        } else {
            for acc in out.iter_mut() {
                *acc = mean::finish(method, *acc, total);
            }
        }
        return;
    }
    sw.clear();
    sw.resize(out.len(), 0.0);
    cityindex_kernels::add_present_products(columns, weights, out, sw);
    finish_all(method, out, sw);
}

/// [`mean::finish`] for every unit from its sum `out` and its weights' sum `sw`, the arithmetic
/// mean (most indices) by the kernel's division loop.
fn finish_all(method: Aggregation, out: &mut [f64], sw: &[f64]) {
    if method == Aggregation::ArithmeticMean {
        cityindex_kernels::divide(out, sw);
    } else {
        for (acc, &s) in out.iter_mut().zip(sw) {
            *acc = mean::finish(method, *acc, s);
        }
    }
}

/// Blanks the units whose share of present children is below `threshold` (COINr's `dat_thresh`).
pub(crate) fn apply_threshold(columns: &[&[f64]], threshold: f64, out: &mut [f64]) {
    let k = columns.len() as f64;
    for (r, o) in out.iter_mut().enumerate() {
        let present = columns.iter().filter(|c| !c[r].is_nan()).count();
        if (present as f64) / k < threshold {
            *o = f64::NAN;
        }
    }
}

/// The children of a node as a decision matrix: units are the alternatives, children the
/// criteria (all benefits: they are normalised scores).
fn decision_matrix(
    children: &Children<'_>,
    units: &[Unit],
) -> Result<mcda::DecisionMatrix, crate::MethodError> {
    mcda::DecisionMatrix::new(
        units.iter().map(|u| u.id.clone()).collect(),
        children.ids.iter().map(|&id| id.to_owned()).collect(),
        children.columns.iter().map(|c| c.to_vec()).collect(),
        vec![Direction::Positive; children.columns.len()],
        children.weights.to_vec(),
    )
}
