//! Ranking with a declared tie rule.
//!
//! Units are ranked by score, highest first (rank 1 is the best), as COINr's
//! `rank(-x, ties.method = "min", na.last = "keep")`. Missing scores get no rank (`NaN`).
//! Ties are exact equality of the doubles, as in R.

use serde::{Deserialize, Serialize};

/// How tied values share ranks. With values 9, 7, 7, 5 ranked highest first:
///
/// | rule | ranks | R's `ties.method` |
/// |---|---|---|
/// | `min` (default, COINr) | 1, 2, 2, 4 | `"min"` |
/// | `max` | 1, 3, 3, 4 | `"max"` |
/// | `average` | 1, 2.5, 2.5, 4 | `"average"` |
/// | `dense` | 1, 2, 2, 3 | — (scikit-criteria) |
/// | `first` | 1, 2, 3, 4 (by row order) | `"first"` |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieRule {
    /// Tied values all get the lowest rank of their run.
    #[default]
    Min,
    /// Tied values all get the highest rank of their run.
    Max,
    /// Tied values get the mean rank of their run.
    Average,
    /// Tied values share a rank and the next value gets the next integer.
    Dense,
    /// Ties are broken by row order.
    First,
}

/// Which values rank first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Highest value gets rank 1 (scores).
    Descending,
    /// Lowest value gets rank 1 (as R's `rank(x)`, used by rank normalisation).
    Ascending,
}

/// Ranks `values` into `out` (same length); `NaN` values get `NaN` ranks.
///
/// Sorting is stable and total on the present values, so the result depends only on the values
/// and, for [`TieRule::First`], their order.
///
/// # Panics
/// If `out` is shorter than `values`.
pub fn rank_into(values: &[f64], order: Order, ties: TieRule, out: &mut [f64]) {
    let mut idx: Vec<usize> = (0..values.len()).filter(|&i| !values[i].is_nan()).collect();
    match order {
        Order::Descending => idx.sort_by(|&a, &b| values[b].total_cmp(&values[a])),
        Order::Ascending => idx.sort_by(|&a, &b| values[a].total_cmp(&values[b])),
    }
    for v in out.iter_mut().take(values.len()) {
        *v = f64::NAN;
    }
    let mut start = 0;
    let mut dense = 0.0;
    while start < idx.len() {
        let mut end = start + 1;
        // -0.0 and 0.0 compare equal with `==`, as in R.
        while end < idx.len() && values[idx[end]] == values[idx[start]] {
            end += 1;
        }
        dense += 1.0;
        for (k, &i) in idx[start..end].iter().enumerate() {
            out[i] = match ties {
                TieRule::Min => (start + 1) as f64,
                TieRule::Max => end as f64,
                TieRule::Average => (start + 1 + end) as f64 / 2.0,
                TieRule::Dense => dense,
                TieRule::First => (start + k + 1) as f64,
            };
        }
        start = end;
    }
}

/// Ranks `values`, highest first, with the given tie rule.
#[must_use]
pub fn rank(values: &[f64], ties: TieRule) -> Vec<f64> {
    let mut out = vec![f64::NAN; values.len()];
    rank_into(values, Order::Descending, ties, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tie_rules_follow_the_table() {
        let x = [7.0, 9.0, 5.0, 7.0, f64::NAN];
        let r = |t| rank(&x, t);
        assert_eq!(r(TieRule::Min)[..4], [2.0, 1.0, 4.0, 2.0]);
        assert_eq!(r(TieRule::Max)[..4], [3.0, 1.0, 4.0, 3.0]);
        assert_eq!(r(TieRule::Average)[..4], [2.5, 1.0, 4.0, 2.5]);
        assert_eq!(r(TieRule::Dense)[..4], [2.0, 1.0, 3.0, 2.0]);
        assert_eq!(r(TieRule::First)[..4], [2.0, 1.0, 4.0, 3.0]);
        assert!(r(TieRule::Min)[4].is_nan());
    }
}
