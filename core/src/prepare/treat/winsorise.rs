//! Winsorisation as COINr's `winsorise`: one value (with its ties) at a time, on the side the
//! skew points to, until the indicator passes or `winmax` points are reached.

use super::{SkewKurtosis, Thresholds};

/// The result of winsorising a column.
#[derive(Debug, Clone, PartialEq)]
pub struct Winsorised {
    /// Number of points winsorised (COINr's `nwin`; ties count, so it can exceed `winmax`).
    pub count: usize,
    /// For each row, `"winhi"`, `"winlo"` or `""`.
    pub labels: Vec<&'static str>,
}

/// Winsorises `x` in place. While the column fails the test and fewer than `winmax` points are
/// winsorised: if the skew is ≥ 0, every value equal to the maximum becomes the largest other
/// value, else every value equal to the minimum becomes the smallest other value.
///
/// As in COINr, the count is the size of the last high-side set plus the last low-side set
/// (each set grows as winsorised points join the next value), and the loop stops if the test
/// cannot be evaluated any more (fewer than 4 values or no spread left).
pub fn winsorise(x: &mut [f64], winmax: usize, thresholds: Thresholds) -> Winsorised {
    let mut high: Vec<usize> = Vec::new();
    let mut low: Vec<usize> = Vec::new();
    let mut count = 0;
    let mut check = SkewKurtosis::of(x, thresholds);
    while let Some(c) = check
        && !c.pass
        && count < winmax
    {
        let side = if c.skew >= 0.0 { &mut high } else { &mut low };
        let extreme = if c.skew >= 0.0 {
            x.iter()
                .copied()
                .filter(|v| !v.is_nan())
                .fold(f64::NEG_INFINITY, f64::max)
        } else {
            x.iter()
                .copied()
                .filter(|v| !v.is_nan())
                .fold(f64::INFINITY, f64::min)
        };
        *side = (0..x.len()).filter(|&i| x[i] == extreme).collect();
        let others = (0..x.len()).filter(|&i| !x[i].is_nan() && x[i] != extreme);
        let next = if c.skew >= 0.0 {
            others.map(|i| x[i]).fold(f64::NEG_INFINITY, f64::max)
        } else {
            others.map(|i| x[i]).fold(f64::INFINITY, f64::min)
        };
        if !next.is_finite() {
            break;
        }
        for &i in side.iter() {
            x[i] = next;
        }
        count = high.len() + low.len();
        check = SkewKurtosis::of(x, thresholds);
    }
    let mut labels = vec![""; x.len()];
    for &i in &high {
        labels[i] = "winhi";
    }
    for &i in &low {
        labels[i] = "winlo";
    }
    Winsorised { count, labels }
}
