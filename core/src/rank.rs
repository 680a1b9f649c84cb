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
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
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
/// The result depends only on the values and, for [`TieRule::First`], their row order.
///
/// # Panics
/// If `out` is shorter than `values`.
pub fn rank_into(values: &[f64], order: Order, ties: TieRule, out: &mut [f64]) {
    // (key, row) pairs sorted by key and then row: deterministic, and sorting integers by
    // buckets is several times faster than a comparison sort on floats.
    Ranker::default().rank(values, order, ties, out);
}

/// Writes the ranks of the sorted (key, row) pairs of a column of `len` values into `out`:
/// `NaN` for the rows not among them.
fn assign(keyed: &[(u64, usize)], ties: TieRule, len: usize, out: &mut [f64]) {
    for v in out.iter_mut().take(len) {
        *v = f64::NAN;
    }
    let mut start = 0;
    let mut dense = 0.0;
    while start < keyed.len() {
        let mut end = start + 1;
        while end < keyed.len() && keyed[end].0 == keyed[start].0 {
            end += 1;
        }
        dense += 1.0;
        for (k, &(_, i)) in keyed[start..end].iter().enumerate() {
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

/// Ranks many columns, keeping its buffers from one to the next (the replicates of an
/// uncertainty analysis). The ranks are those of [`rank_into`].
#[derive(Debug, Default)]
pub(crate) struct Ranker {
    sorter: Sorter,
}

impl Ranker {
    /// Ranks `values` into `out` as [`rank_into`] does.
    pub(crate) fn rank(&mut self, values: &[f64], order: Order, ties: TieRule, out: &mut [f64]) {
        let keyed = self.sorter.sort(values, order);
        assign(keyed, ties, values.len(), out);
    }

    /// Ranks exp(`m`) into `out` as [`rank_into`] would, mostly without computing `exp`:
    /// exp is increasing, and where two means of logarithms differ by more than 1e-14 their
    /// `libm::exp` values differ too (exp(a)/exp(b) ≥ 1 + 1e-14, beyond the two results' errors
    /// of under one unit in the last place, 2.2e-16 relative, as long as they are normal numbers:
    /// |m| ≤ 700). So when every pair of neighbours in the sorted order is that far apart, the
    /// order and the ties (none) are those of the exponentials; otherwise, or for |m| > 700,
    /// the exponentials are computed and ranked.
    pub(crate) fn rank_exp(&mut self, m: &[f64], order: Order, ties: TieRule, out: &mut [f64]) {
        if m.iter().all(|v| v.is_nan() || v.abs() <= 700.0) {
            let keyed = self.sorter.sort(m, order);
            let apart = keyed
                .windows(2)
                .all(|w| (m[w[0].1] - m[w[1].1]).abs() > 1e-14);
            if apart {
                assign(keyed, ties, m.len(), out);
                return;
            }
        }
        let exponentials: Vec<f64> = m.iter().map(|&v| libm::exp(v)).collect();
        self.rank(&exponentials, order, ties, out);
    }
}

/// Sorts a column's (key, row) pairs by key and then row, with reusable buffers.
#[derive(Debug, Default)]
struct Sorter {
    /// The pairs in row order.
    pairs: Vec<(u64, usize)>,
    /// The pairs sorted.
    sorted: Vec<(u64, usize)>,
    /// Bucket counts and offsets.
    counts: Vec<u32>,
}

impl Sorter {
    /// The present values' (key, row) pairs, sorted.
    fn sort(&mut self, values: &[f64], order: Order) -> &[(u64, usize)] {
        self.pairs.clear();
        self.pairs.extend(
            values
                .iter()
                .enumerate()
                .filter(|(_, v)| !v.is_nan())
                .map(|(i, &v)| (sort_key(v, order), i)),
        );
        if !self.bucket_sort() {
            // Keys too bunched for buckets: a comparison sort of the (key, row) pairs.
            self.sorted.clone_from(&self.pairs);
            self.sorted.sort_unstable();
        }
        &self.sorted
    }

    /// Distributes the pairs over about two buckets per pair by the leading bits of their key's
    /// offset from the smallest key (an order-preserving map), then finishes by insertion,
    /// which costs little when the buckets hold a pair or two (with one bucket per pair, the
    /// insertions cost the uncertainty engine 4 % more). Gives up (`false`) when the keys
    /// bunch into a few buckets.
    fn bucket_sort(&mut self) -> bool {
        let n = self.pairs.len();
        if n == 0 || u32::try_from(n).is_err() {
            self.sorted.clear();
            return n == 0;
        }
        let (lo, hi) = self
            .pairs
            .iter()
            .fold((u64::MAX, 0), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
        let buckets = 2 * n.next_power_of_two();
        let range_bits = 64 - (hi - lo).leading_zeros();
        let shift = range_bits.saturating_sub(buckets.trailing_zeros());
        let bucket = |key: u64| ((key - lo) >> shift) as usize;
        self.counts.clear();
        self.counts.resize(buckets, 0);
        for &(key, _) in &self.pairs {
            self.counts[bucket(key)] += 1;
        }
        // Each bucket's first slot.
        let mut total = 0;
        for count in &mut self.counts {
            (*count, total) = (total, total + *count);
        }
        self.sorted.clear();
        self.sorted.resize(n, (0, 0));
        for &pair in &self.pairs {
            let slot = &mut self.counts[bucket(pair.0)];
            self.sorted[*slot as usize] = pair;
            *slot += 1;
        }
        insertion_sort(&mut self.sorted, 4 * n)
    }
}

/// Sorts `pairs` by key by insertion, which is stable: pairs of equal keys stay in their
/// order. Gives up (`false`) when that takes more than `budget` moves.
fn insertion_sort(pairs: &mut [(u64, usize)], budget: usize) -> bool {
    let mut moves = 0;
    for i in 1..pairs.len() {
        let x = pairs[i];
        let mut j = i;
        while j > 0 && pairs[j - 1].0 > x.0 {
            pairs[j] = pairs[j - 1];
            j -= 1;
        }
        pairs[j] = x;
        moves += i - j;
        if moves > budget {
            return false;
        }
    }
    true
}

/// An integer that sorts like the value (ascending) or its negation (descending). Adding 0.0
/// turns -0.0 into 0.0, so the two zeros tie, as they compare equal in R.
fn sort_key(v: f64, order: Order) -> u64 {
    let bits = (v + 0.0).to_bits();
    let ascending = if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    };
    match order {
        Order::Ascending => ascending,
        Order::Descending => !ascending,
    }
}

/// Ranks `values`, highest first, with the given tie rule.
#[must_use]
pub fn rank(values: &[f64], ties: TieRule) -> Vec<f64> {
    let mut out = vec![f64::NAN; values.len()];
    rank_into(values, Order::Descending, ties, &mut out);
    out
}

/// The ranks of one partition of a ranking split by value: `values` are the partition's
/// scores, and `earlier` gives each earlier partition's (scores, distinct scores). Its units
/// rank among themselves, highest first, then after every score of the earlier partitions (for
/// [`TieRule::Dense`], after their distinct scores): the ranks of the whole ranking, for any
/// rule but [`TieRule::First`], when no two partitions share a score (a range partitioning
/// from the highest, as Spark's sort makes) — the distributed ranking of `cityindex.spark`.
#[must_use]
pub fn rank_in_partition(values: &[f64], ties: TieRule, earlier: &[(usize, usize)]) -> Vec<f64> {
    let before: usize = earlier
        .iter()
        .map(|&(n, distinct)| if ties == TieRule::Dense { distinct } else { n })
        .sum();
    let mut out = rank(values, ties);
    for r in &mut out {
        *r += before as f64;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_split_by_value_rank_as_the_whole() {
        let parts: [&[f64]; 3] = [&[9.0, 9.0, 8.0], &[7.0, 7.0, 7.0, 6.0], &[5.0, f64::NAN]];
        let whole: Vec<f64> = parts.concat();
        let counts: Vec<(usize, usize)> = parts
            .iter()
            .map(|p| {
                let present: Vec<f64> = p.iter().copied().filter(|v| !v.is_nan()).collect();
                let mut distinct = present.clone();
                distinct.dedup();
                (present.len(), distinct.len())
            })
            .collect();
        for ties in [TieRule::Min, TieRule::Max, TieRule::Average, TieRule::Dense] {
            let split: Vec<f64> = parts
                .iter()
                .enumerate()
                .flat_map(|(k, p)| rank_in_partition(p, ties, &counts[..k]))
                .collect();
            let ranks = rank(&whole, ties);
            assert_eq!(
                split.iter().map(|r| r.to_bits()).collect::<Vec<_>>(),
                ranks.iter().map(|r| r.to_bits()).collect::<Vec<_>>(),
                "{ties:?}"
            );
        }
    }

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

    #[test]
    fn large_columns_with_many_ties_follow_the_definition() {
        // Many values in many tie runs, with both signs.
        let x: Vec<f64> = (0..5000)
            .map(|i| f64::from((i * 7919) % 1000) - 500.0)
            .collect();
        for ties in [
            TieRule::Min,
            TieRule::Max,
            TieRule::Average,
            TieRule::Dense,
            TieRule::First,
        ] {
            let fast = rank(&x, ties);
            let mut order: Vec<usize> = (0..x.len()).collect();
            order.sort_by(|&a, &b| x[b].total_cmp(&x[a]).then(a.cmp(&b)));
            // Check against the definition: rank of the first and last row of each tie run.
            for w in order.windows(2) {
                let (a, b) = (w[0], w[1]);
                assert!(fast[a] <= fast[b], "{ties:?}");
                if x[a] == x[b] && ties != TieRule::First {
                    assert_eq!(fast[a], fast[b]);
                }
            }
            let better = |i: usize| x.iter().filter(|&&v| v > x[i]).count();
            let equal = |i: usize| x.iter().filter(|&&v| v == x[i]).count();
            for i in [0, 17, 4999] {
                let expected = match ties {
                    TieRule::Min => better(i) + 1,
                    TieRule::Max => better(i) + equal(i),
                    _ => continue,
                };
                assert_eq!(fast[i], expected as f64);
            }
        }
    }

    #[test]
    fn zeros_tie_and_negative_values_order_correctly() {
        let x = [-0.0, 0.0, -1.5, 2.0, -1e300, 1e-300];
        assert_eq!(rank(&x, TieRule::Min), [3.0, 3.0, 5.0, 1.0, 6.0, 2.0]);
        let mut asc = [0.0; 6];
        rank_into(&x, Order::Ascending, TieRule::Min, &mut asc);
        assert_eq!(asc, [3.0, 3.0, 2.0, 6.0, 1.0, 5.0]);
    }

    /// Tie rules (`Max` mirrors `Min`) in both orders.
    fn rules() -> impl Iterator<Item = (TieRule, Order)> {
        [
            TieRule::Min,
            TieRule::Average,
            TieRule::Dense,
            TieRule::First,
        ]
        .into_iter()
        .flat_map(|t| [(t, Order::Descending), (t, Order::Ascending)])
    }

    fn same_bits(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
    }

    #[test]
    fn bucket_and_comparison_sorts_give_the_same_ranks() {
        // Columns of several lengths with ties and missing
        // values, and with keys spread (buckets) or bunched by outliers (the fallback): the
        // ranks of a plain sort of the (key, row) pairs.
        let mut state = 7_u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as f64 / f64::from(1_u32 << 31)
        };
        for len in [1, 2, 37, 200, 700] {
            let mut ranker = Ranker::default();
            let mut column: Vec<f64> = (0..len).map(|_| (next() * 20.0).floor()).collect();
            for round in 0..12 {
                for v in &mut column {
                    let u = next();
                    if round % 3 == 2 {
                        *v = (u * 20.0).floor();
                    } else if u < 0.05 {
                        *v = f64::NAN;
                    } else if u < 0.2 {
                        *v += 1.0;
                    } else if u < 0.25 {
                        *v = u;
                    }
                }
                if round % 4 == 3 {
                    column[0] = 1e300;
                }
                for (ties, order) in rules() {
                    let mut pairs: Vec<(u64, usize)> = column
                        .iter()
                        .enumerate()
                        .filter(|(_, v)| !v.is_nan())
                        .map(|(i, &v)| (sort_key(v, order), i))
                        .collect();
                    pairs.sort_unstable();
                    let mut want = vec![0.0; len];
                    assign(&pairs, ties, len, &mut want);
                    let mut got = vec![0.0; len];
                    ranker.rank(&column, order, ties, &mut got);
                    assert!(same_bits(&want, &got), "{len} {round} {ties:?} {order:?}");
                }
            }
        }
    }

    #[test]
    fn ranks_of_exponentials_come_from_the_logarithms() {
        // Spread values (no exp needed), exact and near ties (exp decides), and values whose
        // exp overflows or leaves the normal range (ranked through exp).
        let cases: [&[f64]; 4] = [
            &[0.5, -1.25, 3.0, f64::NAN, 2.0],
            &[1.0, 1.0, 0.3, 1.0 + 4e-16, 0.3 + 1e-15],
            &[710.0, 720.0, 1.0, -750.0, -760.0],
            &[f64::NAN, f64::NAN],
        ];
        for m in cases {
            let exponentials: Vec<f64> = m.iter().map(|&v| libm::exp(v)).collect();
            for (ties, order) in rules() {
                let mut want = vec![0.0; m.len()];
                rank_into(&exponentials, order, ties, &mut want);
                let mut got = vec![0.0; m.len()];
                Ranker::default().rank_exp(m, order, ties, &mut got);
                assert!(
                    same_bits(&want, &got),
                    "{m:?} {ties:?} {order:?}: {got:?} vs {want:?}"
                );
            }
        }
    }
}
