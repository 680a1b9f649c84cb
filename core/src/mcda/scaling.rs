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
use crate::stats;

/// A decision-matrix normalisation.
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
    let degenerate = |reason| MethodError::DegenerateCriterion {
        method: "normalisation",
        criterion: criterion.to_owned(),
        reason,
    };
    let (min, max) = stats::min_max(x).ok_or(degenerate("has no values"))?;
    let cost = direction == Direction::Negative;
    Ok(match scaling {
        Scaling::MinMax => {
            if max == min {
                return Err(degenerate("is constant"));
            }
            x.iter()
                .map(|&v| {
                    if cost {
                        (max - v) / (max - min)
                    } else {
                        (v - min) / (max - min)
                    }
                })
                .collect()
        }
        Scaling::Max => {
            if max == 0.0 {
                return Err(degenerate("has a maximum of zero"));
            }
            x.iter()
                .map(|&v| if cost { 1.0 - v / max } else { v / max })
                .collect()
        }
        Scaling::Sum => {
            if cost && stats::present(x).any(|v| v == 0.0) {
                return Err(degenerate(
                    "has a zero value, which a cost criterion inverts",
                ));
            }
            let total: f64 = stats::present(x)
                .map(|v| if cost { 1.0 / v } else { v })
                .sum();
            if total == 0.0 {
                return Err(degenerate("sums to zero"));
            }
            x.iter()
                .map(|&v| if cost { 1.0 / v / total } else { v / total })
                .collect()
        }
        Scaling::Vector => {
            let norm = stats::present(x).map(|v| v * v).sum::<f64>().sqrt();
            if norm == 0.0 {
                return Err(degenerate("is all zero"));
            }
            x.iter()
                .map(|&v| if cost { 1.0 - v / norm } else { v / norm })
                .collect()
        }
        Scaling::Linear => {
            if cost && stats::present(x).any(|v| v == 0.0) {
                return Err(degenerate(
                    "has a zero value, which a cost criterion inverts",
                ));
            }
            if !cost && max == 0.0 {
                return Err(degenerate("has a maximum of zero"));
            }
            x.iter()
                .map(|&v| if cost { min / v } else { v / max })
                .collect()
        }
    })
}
