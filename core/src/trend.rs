//! Trends of a unit's series over time, as COINr's `get_trends` computes them with its `CAGR`
//! and `prc_change` (COINr 1.1.14, `R/trends.R`). A series is a unit's values at its periods;
//! missing values are dropped first, and a series with fewer than two observations has no
//! trend.
//!
//! | metric | formula (first and last *observed* points t₀, t₁ with values y₀, y₁) | COINr |
//! |---|---|---|
//! | [`cagr`] | y₀ = y₁: 0; else (y₁/y₀)^(1/(t₁ − t₀)) − 1 (`pow` from `libm`) | `CAGR(y, x)` |
//! | [`percent_change`], two points | (y₁ − y₀)·100/y₀ · per/(t₁ − t₀); all values equal: 0 | `prc_change(y, x, per)` |
//! | [`percent_change`], three or more | the least-squares line a + b·t through all points: b·per/(a + b·t₀)·100 | the same (`lm`) |
//!
//! **Growth from zero.** Where the starting value (or the fitted value at t₀) is 0 and the
//! series moves, COINr returns ±∞: a growth rate from nothing. cityindex gives a missing value
//! by default ([`FromZero::Missing`]), so that an infinity never reaches a ranking or a chart;
//! [`FromZero::Infinite`] gives COINr's value. Ratios of opposite signs under a fractional
//! power are missing in both (R's `^` gives `NaN`, as `libm::pow` does).

use serde::{Deserialize, Serialize};

/// Which trend of a series.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "metric", rename_all = "snake_case", deny_unknown_fields)]
pub enum TrendMetric {
    /// Compound annual growth rate between the first and last observations ([`cagr`]).
    Cagr,
    /// Percentage change per `per` periods ([`percent_change`]).
    PercentChange {
        /// The number of periods the change is expressed for (1: per year when periods are
        /// years; 10: per decade).
        #[serde(default = "one")]
        per: f64,
    },
}

fn one() -> f64 {
    1.0
}

/// What a growth rate from zero is.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FromZero {
    /// Missing (the default).
    #[default]
    Missing,
    /// ±∞, as COINr gives it.
    Infinite,
}

impl TrendMetric {
    /// The trend of the series `values` at `periods` (same length; missing values dropped).
    #[must_use]
    pub fn of(self, periods: &[i64], values: &[f64], from_zero: FromZero) -> f64 {
        match self {
            TrendMetric::Cagr => cagr(periods, values, from_zero),
            TrendMetric::PercentChange { per } => percent_change(periods, values, per, from_zero),
        }
    }
}

/// The observed points of a series, in time order.
fn observed(periods: &[i64], values: &[f64]) -> Vec<(f64, f64)> {
    let mut points: Vec<(i64, f64)> = periods
        .iter()
        .zip(values)
        .filter(|(_, y)| !y.is_nan())
        .map(|(&t, &y)| (t, y))
        .collect();
    points.sort_by_key(|&(t, _)| t);
    #[allow(clippy::cast_precision_loss)] // periods are years or similar small integers
    points.into_iter().map(|(t, y)| (t as f64, y)).collect()
}

/// A quotient whose denominator is zero: COINr's ±∞ or missing.
fn from_nothing(numerator: f64, from_zero: FromZero) -> f64 {
    match from_zero {
        FromZero::Infinite => numerator / 0.0,
        FromZero::Missing => f64::NAN,
    }
}

/// COINr's `CAGR`: 0 when the first and last observed values are equal (also both 0), else
/// (y₁/y₀)^(1/(t₁ − t₀)) − 1; missing with fewer than two observations. See the module docs
/// for a start at 0.
#[must_use]
pub fn cagr(periods: &[i64], values: &[f64], from_zero: FromZero) -> f64 {
    let points = observed(periods, values);
    let (Some(&(t0, y0)), Some(&(t1, y1))) = (points.first(), points.last()) else {
        return f64::NAN;
    };
    if points.len() < 2 {
        return f64::NAN;
    }
    if y1 == y0 {
        return 0.0;
    }
    if y0 == 0.0 {
        return from_nothing(y1, from_zero);
    }
    let rate = libm::pow(y1 / y0, 1.0 / (t1 - t0)) - 1.0;
    if rate.is_finite() { rate } else { f64::NAN }
}

/// COINr's `prc_change`: the percentage change per `per` periods — from the first and last
/// observations when there are two, from the least-squares line through all when there are
/// more; 0 when every value is equal; missing with fewer than two observations. See the module
/// docs for a start at 0.
#[must_use]
pub fn percent_change(periods: &[i64], values: &[f64], per: f64, from_zero: FromZero) -> f64 {
    let points = observed(periods, values);
    if points.len() < 2 {
        return f64::NAN;
    }
    if points.iter().all(|&(_, y)| y == points[0].1) {
        return 0.0;
    }
    let (t0, y0) = points[0];
    if let [_, (t1, y1)] = points[..] {
        // COINr's order: ((y₁ − y₀)·100/y₀)·(per/(t₁ − t₀)).
        if y0 == 0.0 {
            return from_nothing(y1 - y0, from_zero);
        }
        return ((y1 - y0) * 100.0 / y0) * (per / (t1 - t0));
    }
    // The least-squares line a + b·t, and its value a + b·t₀ at the first point.
    #[allow(clippy::cast_precision_loss)] // a series' length
    let n = points.len() as f64;
    let tm = points.iter().map(|p| p.0).sum::<f64>() / n;
    let ym = points.iter().map(|p| p.1).sum::<f64>() / n;
    let (sty, stt) = points.iter().fold((0.0, 0.0), |(sty, stt), &(t, y)| {
        (sty + (t - tm) * (y - ym), stt + (t - tm) * (t - tm))
    });
    let slope = sty / stt;
    let start = (ym - slope * tm) + slope * t0;
    if start == 0.0 {
        return from_nothing(slope, from_zero);
    }
    let change = slope * per / start * 100.0;
    if change.is_finite() { change } else { f64::NAN }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: [i64; 5] = [2018, 2019, 2020, 2021, 2022];

    #[test]
    fn cagr_as_coinr() {
        let m = FromZero::Missing;
        // First and last observed: 2019 (2) to 2021 (8): 2^(1/2)·… = (8/2)^(1/2) − 1 = 1.
        assert_eq!(cagr(&T, &[f64::NAN, 2.0, 5.0, 8.0, f64::NAN], m), 1.0);
        assert_eq!(cagr(&T, &[0.0, 1.0, 2.0, 3.0, 0.0], m), 0.0);
        assert!(cagr(&T, &[f64::NAN, 2.0, f64::NAN, f64::NAN, f64::NAN], m).is_nan());
        assert!(cagr(&T, &[0.0, 1.0, 2.0, 3.0, 4.0], m).is_nan());
        assert_eq!(
            cagr(&T, &[0.0, 1.0, 2.0, 3.0, 4.0], FromZero::Infinite),
            f64::INFINITY
        );
        assert!(cagr(&[2020, 2022], &[-1.0, 4.0], m).is_nan(), "(−4)^½");
        // The order of the rows does not matter.
        assert_eq!(cagr(&[2021, 2019], &[8.0, 2.0], m), 1.0);
    }

    #[test]
    fn percent_change_as_coinr() {
        let m = FromZero::Missing;
        // Two points: (6 − 4)·100/4 · (10/2) = 250 per decade.
        assert_eq!(percent_change(&[2020, 2022], &[4.0, 6.0], 10.0, m), 250.0);
        // A line y = 2t − 4030 through 2018…2022: slope 2, fitted start 6: 2/6·100.
        let y: Vec<f64> = T.iter().map(|&t| 2.0 * t as f64 - 4030.0).collect();
        let p = percent_change(&T, &y, 1.0, m);
        assert!((p - 100.0 / 3.0).abs() < 1e-9, "{p}");
        assert_eq!(percent_change(&T, &[3.0; 5], 1.0, m), 0.0);
        assert!(percent_change(&[2020, 2022], &[0.0, 6.0], 1.0, m).is_nan());
        assert_eq!(
            percent_change(&[2020, 2022], &[0.0, 6.0], 1.0, FromZero::Infinite),
            f64::INFINITY
        );
    }
}
