//! Banded target achievement: ITU U4SSC's scoring of a KPI against the city's target.
//!
//! The achievement ratio is r = x / target for a KPI where higher is better and r = target / x
//! where lower is better (reaching below the target counts as beyond it); the KPI gets
//! 1 + (the number of thresholds ≤ r) points, ITU's bands being < 33 %, 33–66 %, 66–95 % and
//! ≥ 95 % of the target for 1–4 points. The score is points / maximum points × scale, so that
//! an arithmetic mean of KPI scores over a group is ITU's "points over maximum points".
//! Reference: ITU U4SSC city factsheets (e.g. Pully 2020, Mashhad 2021), as summarised in
//! `tests/fixtures/frameworks/README.md`.

use crate::framework::Direction;

/// ITU's thresholds: 33 %, 66 % and 95 % of the target.
pub(crate) const U4SSC_THRESHOLDS: [f64; 3] = [0.33, 0.66, 0.95];

/// The target if it can score: given and not zero.
pub(crate) fn usable(target: Option<f64>) -> Option<f64> {
    target.filter(|t| *t != 0.0)
}

/// Points for each value (`NaN` stays missing), as a share of the maximum times `scale`; all
/// missing without a (non-zero) target, as ITU leaves such KPIs out.
pub(crate) fn target_bands(
    x: &[f64],
    target: Option<f64>,
    direction: Direction,
    thresholds: &[f64],
    scale: f64,
    out: &mut [f64],
) {
    let Some(target) = usable(target) else {
        out.fill(f64::NAN);
        return;
    };
    let max_points = (thresholds.len() + 1) as f64;
    for (o, &v) in out.iter_mut().zip(x) {
        *o = if v.is_nan() {
            f64::NAN
        } else {
            let ratio = match direction {
                Direction::Positive => v / target,
                Direction::Negative if v <= 0.0 => f64::INFINITY,
                Direction::Negative => target / v,
            };
            let points = 1.0 + thresholds.iter().filter(|&&t| t <= ratio).count() as f64;
            points / max_points * scale
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_follow_itu() {
        let mut out = [0.0; 7];
        let x = [0.0, 32.0, 33.0, 65.9, 66.0, 95.0, f64::NAN];
        target_bands(
            &x,
            Some(100.0),
            Direction::Positive,
            &U4SSC_THRESHOLDS,
            4.0,
            &mut out,
        );
        assert_eq!(out[..6], [1.0, 1.0, 2.0, 2.0, 3.0, 4.0]);
        assert!(out[6].is_nan());
        // Lower is better: 10 against a target of 5 is 50 % of the target, 2 is beyond it.
        target_bands(
            &[10.0, 2.0, 0.0],
            Some(5.0),
            Direction::Negative,
            &U4SSC_THRESHOLDS,
            100.0,
            &mut out[..3],
        );
        assert_eq!(out[..3], [50.0, 100.0, 100.0]);
        target_bands(
            &[1.0],
            None,
            Direction::Positive,
            &U4SSC_THRESHOLDS,
            100.0,
            &mut out[..1],
        );
        assert!(out[0].is_nan(), "no target, left out");
    }
}
