//! PROMETHEE II (Brans & Vincke 1985; pymcdm's `PROMETHEE_II`).

use serde::{Deserialize, Serialize};

use super::DecisionMatrix;
use crate::error::MethodError;

/// The six standard preference functions P(d) of the difference d between two alternatives on a
/// criterion (positive when the first is better), with indifference threshold q, preference
/// threshold p and Gaussian spread s.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum PreferenceFunction {
    /// Type I: 1 if d > 0.
    #[default]
    Usual,
    /// Type II (quasi-criterion): 1 if d > q.
    UShape {
        /// Indifference threshold.
        q: f64,
    },
    /// Type III: d/p up to p, then 1.
    VShape {
        /// Preference threshold.
        p: f64,
    },
    /// Type IV: ½ for q < d ≤ p, 1 above p.
    Level {
        /// Indifference threshold.
        q: f64,
        /// Preference threshold.
        p: f64,
    },
    /// Type V: (d − q)/(p − q) for q < d ≤ p, 1 above p.
    Linear {
        /// Indifference threshold.
        q: f64,
        /// Preference threshold.
        p: f64,
    },
    /// Type VI: 1 − exp(−d²/(2s²)) for d > 0.
    Gaussian {
        /// Spread.
        s: f64,
    },
}

impl PreferenceFunction {
    fn validate(self) -> Result<(), MethodError> {
        let ok = match self {
            PreferenceFunction::Usual => true,
            PreferenceFunction::UShape { q } => q.is_finite() && q >= 0.0,
            PreferenceFunction::VShape { p } => p.is_finite() && p > 0.0,
            PreferenceFunction::Level { q, p } | PreferenceFunction::Linear { q, p } => {
                q.is_finite() && p.is_finite() && q >= 0.0 && q < p
            }
            PreferenceFunction::Gaussian { s } => s.is_finite() && s > 0.0,
        };
        if ok {
            Ok(())
        } else {
            Err(MethodError::InvalidParameter {
                method: "PROMETHEE II",
                reason: format!("invalid thresholds {self:?}: need 0 ≤ q < p and p, s > 0"),
            })
        }
    }

    /// P(d).
    #[must_use]
    pub fn preference(self, d: f64) -> f64 {
        if d <= 0.0 {
            return 0.0;
        }
        match self {
            PreferenceFunction::Usual => 1.0,
            PreferenceFunction::UShape { q } => f64::from(u8::from(d > q)),
            PreferenceFunction::VShape { p } => (d / p).min(1.0),
            PreferenceFunction::Level { q, p } => {
                if d <= q {
                    0.0
                } else if d <= p {
                    0.5
                } else {
                    1.0
                }
            }
            PreferenceFunction::Linear { q, p } => ((d - q) / (p - q)).clamp(0.0, 1.0),
            PreferenceFunction::Gaussian { s } => 1.0 - libm::exp(-d * d / (2.0 * s * s)),
        }
    }
}

/// Net outranking flows: π(a, b) = Σ w·P(d) over the criteria (weights renormalised over those
/// both alternatives have), φ⁺(a) = Σᵦ π(a, b)/(n − 1), φ⁻(a) = Σᵦ π(b, a)/(n − 1), and the
/// score φ⁺ − φ⁻ in [−1, 1]. O(n²·m) time.
pub(super) fn promethee_ii(
    m: &DecisionMatrix,
    f: PreferenceFunction,
) -> Result<Vec<f64>, MethodError> {
    f.validate()?;
    match f {
        PreferenceFunction::Usual => Ok(flows(m, |d| f64::from(u8::from(d > 0.0)))),
        _ => Ok(flows(m, |d| f.preference(d))),
    }
}

/// The net flows for a preference function, on a row-major copy of the matrix with costs negated
/// so that the inner loop over criteria reads contiguous memory.
fn flows(m: &DecisionMatrix, preference: impl Fn(f64) -> f64) -> Vec<f64> {
    let n = m.n();
    let k = m.columns.len();
    let w = m.unit_weights();
    let rows: Vec<f64> = (0..n)
        .flat_map(|r| {
            m.columns
                .iter()
                .zip(&m.directions)
                .map(move |(c, d)| d.sign() * c[r])
        })
        .collect();
    let mut plus = vec![0.0; n];
    let mut minus = vec![0.0; n];
    for a in 0..n {
        let ra = &rows[a * k..(a + 1) * k];
        for b in a + 1..n {
            let rb = &rows[b * k..(b + 1) * k];
            let (mut ab, mut ba, mut total) = (0.0, 0.0, 0.0);
            for ((&xa, &xb), &wj) in ra.iter().zip(rb).zip(&w) {
                let d = xa - xb;
                if d.is_nan() {
                    continue;
                }
                total += wj;
                ab += wj * preference(d);
                ba += wj * preference(-d);
            }
            if total > 0.0 {
                plus[a] += ab / total;
                minus[b] += ab / total;
                plus[b] += ba / total;
                minus[a] += ba / total;
            }
        }
    }
    let scale = (n - 1) as f64;
    (0..n)
        .map(|a| {
            let present = rows[a * k..(a + 1) * k].iter().any(|v| !v.is_nan());
            if present {
                plus[a] / scale - minus[a] / scale
            } else {
                f64::NAN
            }
        })
        .collect()
}
