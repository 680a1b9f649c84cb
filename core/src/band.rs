//! Banding: turning scores into named levels by thresholds (e.g. the UN's EGDI groups).

use serde::{Deserialize, Serialize};

use crate::error::ScoreError;

/// One band: units scoring at least `min` (and less than the band above) get `label`. The last
/// band may omit `min` to catch every remaining score.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Name of the level, e.g. "very high".
    pub label: String,
    /// Lowest score in the band (inclusive); `None` for a catch-all last band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
}

/// Bands from best to worst, and the nodes they apply to.
///
/// ```json
/// {"nodes": ["EGDI"], "bands": [
///   {"label": "very high", "min": 0.75}, {"label": "high", "min": 0.5},
///   {"label": "middle", "min": 0.25}, {"label": "low"}]}
/// ```
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Banding {
    /// Nodes to band; empty means the top nodes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<String>,
    /// The bands, highest first, with strictly decreasing thresholds.
    pub bands: Vec<Band>,
}

impl Banding {
    /// Checks that there is at least one band, thresholds are finite and strictly decreasing,
    /// and only the last band omits its threshold.
    ///
    /// # Errors
    /// [`ScoreError::InvalidParameter`] saying which band is wrong.
    pub fn validate(&self) -> Result<(), ScoreError> {
        let invalid = |reason: String| {
            Err(ScoreError::InvalidParameter {
                method: "banding",
                reason,
            })
        };
        if self.bands.is_empty() {
            return invalid("there are no bands".to_owned());
        }
        let mut previous = f64::INFINITY;
        for (k, band) in self.bands.iter().enumerate() {
            match band.min {
                None if k + 1 != self.bands.len() => {
                    return invalid(format!(
                        "band `{}` has no min but is not the last",
                        band.label
                    ));
                }
                None => {}
                Some(m) if !m.is_finite() || m >= previous => {
                    return invalid(format!(
                        "band `{}`: thresholds must be finite and strictly decreasing",
                        band.label
                    ));
                }
                Some(m) => previous = m,
            }
        }
        Ok(())
    }

    /// The band index of a score: the first band whose `min` the score reaches; `None` for a
    /// missing score or one below every threshold without a catch-all band.
    #[must_use]
    pub fn band_of(&self, score: f64) -> Option<usize> {
        if score.is_nan() {
            return None;
        }
        self.bands
            .iter()
            .position(|b| b.min.is_none_or(|m| score >= m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn egdi() -> Banding {
        serde_json::from_str(
            r#"{"bands": [{"label": "very high", "min": 0.75}, {"label": "high", "min": 0.5},
                {"label": "middle", "min": 0.25}, {"label": "low"}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn thresholds_are_inclusive_below() {
        let b = egdi();
        assert_eq!(b.band_of(0.75), Some(0));
        assert_eq!(b.band_of(0.749_99), Some(1));
        assert_eq!(b.band_of(0.25), Some(2));
        assert_eq!(b.band_of(0.0), Some(3));
        assert_eq!(b.band_of(f64::NAN), None);
    }

    #[test]
    fn unordered_thresholds_are_rejected() {
        let mut b = egdi();
        b.bands[1].min = Some(0.8);
        assert!(b.validate().is_err());
        b.bands[1].min = None;
        assert!(b.validate().is_err());
    }
}
