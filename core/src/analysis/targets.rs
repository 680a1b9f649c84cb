//! Progress towards quantified targets, as Eurostat assesses it in its monitoring of the
//! Sustainable Development Goals ("Sustainable development in the European Union — Monitoring
//! report", Annex: methodology, assessment of progress towards quantified targets): the growth
//! a unit achieved from its base period to its latest observation, against the growth it needs
//! from the base period to reach the target by the target year.
//!
//! Growth is the compound annual growth rate (y₁/y₀)^(1/(t₁ − t₀)) − 1 when the base, the
//! latest value and the target are all positive, otherwise (a base of 0: a network not yet
//! built) the straight-line change per period (y₁ − y₀)/(t₁ − t₀) — the required growth in
//! the same form. The ratio of actual to required growth gives the status, with Eurostat's
//! thresholds: at least 95 % on track ("significant progress"), 60–95 % moderate progress,
//! 0–60 % off track ("insufficient progress"), below 0 moving away. A unit whose latest value
//! already meets the target has met it.

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::framework::{Framework, NodeKind};

/// Where a unit stands against a target.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    /// The latest value meets the target.
    Met,
    /// Growth at least 95 % of the required growth.
    OnTrack,
    /// Growth 60–95 % of the required growth.
    Moderate,
    /// Growth 0–60 % of the required growth.
    OffTrack,
    /// Movement away from the target.
    MovingAway,
}

impl TargetStatus {
    /// The words a report shows: "met", "on track", "moderate progress", "off track",
    /// "moving away".
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            TargetStatus::Met => "met",
            TargetStatus::OnTrack => "on track",
            TargetStatus::Moderate => "moderate progress",
            TargetStatus::OffTrack => "off track",
            TargetStatus::MovingAway => "moving away",
        }
    }
}

/// One unit's progress on one indicator towards its target.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetProgress {
    /// The indicator.
    pub indicator: String,
    /// The unit.
    pub unit: String,
    /// The first period with a value.
    pub base_period: i64,
    /// Its value.
    pub base: f64,
    /// The latest period with a value.
    pub latest_period: i64,
    /// Its value.
    pub latest: f64,
    /// The target.
    pub target: f64,
    /// The period by which it is to be reached.
    pub target_year: i64,
    /// Growth per period from the base to the latest value (compound, or straight-line; see
    /// the module docs).
    pub actual_growth: f64,
    /// Growth per period needed from the base to reach the target by the target year.
    pub required_growth: f64,
    /// Actual over required growth (`None` when the target is met).
    pub ratio: Option<f64>,
    /// The assessment.
    pub status: TargetStatus,
}

/// The assessment of one series (see the module docs): `None` without two periods, or with a
/// target year not after the base period.
#[must_use]
pub fn assess(
    (base_period, base): (i64, f64),
    (latest_period, latest): (i64, f64),
    target: f64,
    target_year: i64,
) -> Option<(f64, f64, Option<f64>, TargetStatus)> {
    if latest_period <= base_period || target_year <= base_period {
        return None;
    }
    let rising = target >= base;
    let met = if rising {
        latest >= target
    } else {
        latest <= target
    };
    #[allow(clippy::cast_precision_loss)] // periods are years
    let (done, needed) = (
        (latest_period - base_period) as f64,
        (target_year - base_period) as f64,
    );
    let compound = base > 0.0 && latest > 0.0 && target > 0.0;
    let growth = |to: f64, span: f64| {
        if compound {
            libm::pow(to / base, 1.0 / span) - 1.0
        } else {
            (to - base) / span
        }
    };
    let (actual, required) = (growth(latest, done), growth(target, needed));
    if met {
        return Some((actual, required, None, TargetStatus::Met));
    }
    let ratio = actual / required;
    if !ratio.is_finite() {
        return None;
    }
    let status = if ratio >= 0.95 {
        TargetStatus::OnTrack
    } else if ratio >= 0.6 {
        TargetStatus::Moderate
    } else if ratio >= 0.0 {
        TargetStatus::OffTrack
    } else {
        TargetStatus::MovingAway
    };
    Some((actual, required, Some(ratio), status))
}

/// Every unit's progress on every indicator of `framework` with a target and a target year,
/// from the raw values of a panel `data` (indicator by indicator in framework order, units in
/// the order they first appear). A unit needs values in two periods.
#[must_use]
pub fn target_progress(framework: &Framework, data: &Dataset) -> Vec<TargetProgress> {
    let Some(periods) = data.periods() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for node in framework.nodes() {
        let NodeKind::Indicator(indicator) = &node.kind else {
            continue;
        };
        let (Some(target), Some(target_year)) = (indicator.target, indicator.target_year) else {
            continue;
        };
        let Some(column) = data.column(&node.id) else {
            continue;
        };
        let mut series: Vec<(&str, Vec<(i64, f64)>)> = Vec::new();
        for (r, unit) in data.units().iter().enumerate() {
            if column[r].is_nan() {
                continue;
            }
            match series.iter_mut().find(|(id, _)| *id == unit.id) {
                Some((_, points)) => points.push((periods[r], column[r])),
                None => series.push((&unit.id, vec![(periods[r], column[r])])),
            }
        }
        for (unit, mut points) in series {
            points.sort_by_key(|p| p.0);
            let (Some(&first), Some(&last)) = (points.first(), points.last()) else {
                continue;
            };
            let Some((actual, required, ratio, status)) = assess(first, last, target, target_year)
            else {
                continue;
            };
            out.push(TargetProgress {
                indicator: node.id.clone(),
                unit: unit.to_owned(),
                base_period: first.0,
                base: first.1,
                latest_period: last.0,
                latest: last.1,
                target,
                target_year,
                actual_growth: actual,
                required_growth: required,
                ratio,
                status,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eurostats_thresholds() {
        // From 50 in 2020, 80 by 2030: 4.81 % a year needed.
        let at = |latest: f64| assess((2020, 50.0), (2022, latest), 80.0, 2030).unwrap();
        let (actual, required, ratio, status) = at(55.125);
        assert!((required - (1.6f64.powf(0.1) - 1.0)).abs() < 1e-15);
        assert!((actual - 0.05).abs() < 1e-12);
        assert_eq!(status, TargetStatus::OnTrack);
        assert!(ratio.unwrap() > 1.0);
        assert_eq!(at(53.0).3, TargetStatus::Moderate);
        assert_eq!(at(51.0).3, TargetStatus::OffTrack);
        assert_eq!(at(49.0).3, TargetStatus::MovingAway);
        assert_eq!(at(81.0).3, TargetStatus::Met);
        // A base of 0 (5G coverage before roll-out): straight-line growth.
        let (actual, required, _, status) = assess((2020, 0.0), (2022, 0.66), 1.0, 2030).unwrap();
        assert_eq!((actual, required), (0.33, 0.1));
        assert_eq!(status, TargetStatus::OnTrack);
        // A falling target (emissions): progress is falling.
        assert_eq!(
            assess((2020, 10.0), (2022, 8.6), 5.0, 2030).unwrap().3,
            TargetStatus::OnTrack
        );
        assert_eq!(
            assess((2020, 10.0), (2022, 9.0), 5.0, 2030).unwrap().3,
            TargetStatus::Moderate
        );
        assert!(assess((2020, 10.0), (2020, 9.0), 5.0, 2030).is_none());
    }
}
