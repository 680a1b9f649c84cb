//! Normalisations of a decision matrix, direction-aware as in pymcdm 1.4
//! (`pymcdm.normalizations`): each returns values where higher is better.
//!
//! | scaling | benefit | cost |
//! |---|---|---|
//! | `min_max` | (x − min)/(max − min) | (max − x)/(max − min) |
//! | `max` | x/max | 1 − x/max |
//! | `sum` | x/Σx | (1/x)/Σ(1/x) |
//! | `vector` | x/√Σx² | 1 − x/√Σx² |
//! | `linear` | x/max | min/x |
//!
//! Statistics use the present values; missing values stay missing.

use serde::{Deserialize, Serialize};

use crate::error::MethodError;
use crate::framework::Direction;

/// A decision-matrix normalisation.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scaling {
    /// Min-max.
    MinMax,
    /// Fraction of the maximum.
    Max,
    /// Fraction of the sum.
    Sum,
    /// Fraction of the Euclidean norm.
    Vector,
    /// Linear: x/max for benefits, min/x for costs.
    Linear,
}

/// A column's scaling, applicable value by value. Every scaling above has the form
/// offset + factor·(x − shift), or factor/x for the inverted costs (`sum`, `linear`), with the
/// divisions by the column statistics done once per column.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scaler {
    offset: f64,
    factor: f64,
    shift: f64,
    reciprocal: bool,
    min: f64,
    max: f64,
    missing: bool,
}

impl Scaler {
    /// Reads the statistics of `x` in one pass and checks the scaling is defined.
    pub(crate) fn new(
        x: &[f64],
        direction: Direction,
        scaling: Scaling,
        criterion: &str,
    ) -> Result<Self, MethodError> {
        let degenerate = |reason| MethodError::DegenerateCriterion {
            method: "normalisation",
            criterion: criterion.to_owned(),
            reason,
        };
        let cost = direction == Direction::Negative;
        let inverted = cost && matches!(scaling, Scaling::Sum | Scaling::Linear);
        // Comparisons with NaN are false, so missing values never become a bound; no branch
        // on NaN keeps the loop vectorisable.
        // Four independent lanes so the loop vectorises.
        let (mut lo, mut hi, mut nan) = ([f64::INFINITY; 4], [f64::NEG_INFINITY; 4], [false; 4]);
        let chunks = x.chunks_exact(4);
        let tail = chunks.remainder();
        for chunk in chunks {
            for k in 0..4 {
                let v = chunk[k];
                lo[k] = if v < lo[k] { v } else { lo[k] };
                hi[k] = if v > hi[k] { v } else { hi[k] };
                nan[k] |= v.is_nan();
            }
        }
        let (mut min, mut max, mut missing) =
            (f64::INFINITY, f64::NEG_INFINITY, nan.contains(&true));
        for &v in lo.iter().chain(tail) {
            min = if v < min { v } else { min };
        }
        for &v in hi.iter().chain(tail) {
            max = if v > max { v } else { max };
        }
        missing |= tail.iter().any(|v| v.is_nan());
        let present = x.iter().filter(|v| !v.is_nan());
        let zero = inverted && present.clone().any(|&v| v == 0.0);
        let mut total: f64 = match (scaling, cost) {
            (Scaling::Sum, true) if !zero => present.map(|v| 1.0 / v).sum(),
            (Scaling::Sum, false) => present.sum(),
            (Scaling::Vector, _) => present.map(|v| v * v).sum(),
            _ => 0.0,
        };
        if min > max {
            return Err(degenerate("has no values"));
        }
        if scaling == Scaling::Vector {
            total = total.sqrt();
        }
        if scaling == Scaling::MinMax && max == min {
            return Err(degenerate("is constant"));
        }
        if inverted && zero {
            return Err(degenerate(
                "has a zero value, which a cost criterion inverts",
            ));
        }
        if (scaling == Scaling::Max || (scaling == Scaling::Linear && !cost)) && max == 0.0 {
            return Err(degenerate("has a maximum of zero"));
        }
        if matches!(scaling, Scaling::Sum | Scaling::Vector) && total == 0.0 {
            return Err(degenerate("sums to zero"));
        }
        let affine = |offset, factor, shift| (offset, factor, shift, false);
        let (offset, factor, shift, reciprocal) = match (scaling, cost) {
            (Scaling::MinMax, false) => affine(0.0, 1.0 / (max - min), min),
            (Scaling::MinMax, true) => affine(0.0, -1.0 / (max - min), max),
            (Scaling::Max | Scaling::Linear, false) => affine(0.0, 1.0 / max, 0.0),
            (Scaling::Max, true) => affine(1.0, -1.0 / max, 0.0),
            (Scaling::Sum | Scaling::Vector, false) => affine(0.0, 1.0 / total, 0.0),
            (Scaling::Vector, true) => affine(1.0, -1.0 / total, 0.0),
            (Scaling::Sum, true) => (0.0, 1.0 / total, 0.0, true),
            (Scaling::Linear, true) => (0.0, min, 0.0, true),
        };
        Ok(Scaler {
            offset,
            factor,
            shift,
            reciprocal,
            min,
            max,
            missing,
        })
    }

    /// Whether the column has missing values.
    pub(crate) fn has_missing(&self) -> bool {
        self.missing
    }

    /// The scaled value of `v` (`NaN` stays `NaN`).
    #[inline]
    pub(crate) fn apply(&self, v: f64) -> f64 {
        if self.reciprocal {
            self.factor / v
        } else {
            self.offset + self.factor * (v - self.shift)
        }
    }

    /// The scaling as a + b·x, unless it inverts x.
    pub(crate) fn affine(&self) -> Option<(f64, f64)> {
        (!self.reciprocal).then_some((self.factor, self.offset - self.factor * self.shift))
    }

    /// The smallest and largest scaled values: every scaling is monotone and so is rounding,
    /// so they are the scaled minimum and maximum of the data, in some order.
    pub(crate) fn bounds(&self) -> (f64, f64) {
        if self.min > self.max {
            return (f64::NAN, f64::NAN);
        }
        let (a, b) = (self.apply(self.min), self.apply(self.max));
        if a <= b { (a, b) } else { (b, a) }
    }
}

/// Normalises one column.
///
/// # Errors
/// [`MethodError::DegenerateCriterion`] for a constant column (min-max), a zero maximum, sum or
/// norm, or a zero value where a cost is inverted (`sum`, `linear`).
pub fn scale(
    x: &[f64],
    direction: Direction,
    scaling: Scaling,
    criterion: &str,
) -> Result<Vec<f64>, MethodError> {
    let scaler = Scaler::new(x, direction, scaling, criterion)?;
    Ok(x.iter().map(|&v| scaler.apply(v)).collect())
}
