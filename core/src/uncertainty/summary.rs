//! Each unit's rank statistics over the replicates: median, mean, 5 % and 95 % quantiles
//! (numpy's `linear`), counted per half step where ranks allow.

use serde::{Deserialize, Serialize};

use crate::scores::Scores;

/// A unit's ranks on a node across the successful replicates (`NaN` statistics when no replicate
/// ranked the unit, e.g. every one failed).
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct UnitRanks {
    /// The rank under the nominal recipe.
    pub nominal: f64,
    /// Mean rank.
    pub mean: f64,
    /// Median rank.
    pub median: f64,
    /// 5th percentile (linear interpolation, R's type 7).
    pub q05: f64,
    /// 95th percentile.
    pub q95: f64,
    /// Mean of |rank − nominal rank|.
    pub mean_abs_shift: f64,
}

/// The `p` quantile (numpy's `linear`) of a sorted sample of `len` values, the `k`-th smallest
/// being `at(k)`.
fn quantile(len: usize, p: f64, at: impl Fn(usize) -> f64) -> f64 {
    if len == 0 {
        return f64::NAN;
    }
    let h = (len - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(len - 1);
    at(lo) + (h - lo as f64) * (at(hi) - at(lo))
}

/// Each unit's rank statistics on each node, over the replicates that gave it a rank.
///
/// Units go in blocks, in parallel (each unit's statistics depend on its ranks alone); a block
/// reads its units' slice of every replicate's ranks and counts them per half step as it goes,
/// instead of first gathering each unit's ranks over the replicates. A unit with a rank off the
/// half steps gets [`unit_ranks`] of its gathered ranks instead.
pub(super) fn summarise(
    nodes: &[String],
    ranks: &[Vec<Vec<f64>>],
    nominal: &Scores,
) -> Vec<Vec<UnitRanks>> {
    let n = nominal.units().len();
    let width = 2 * n + 1;
    nodes
        .iter()
        .zip(ranks)
        .map(|(id, per_replicate)| {
            let base = nominal.rank(id).unwrap_or_default();
            let blocks = crate::parallel::blocks(n, 32);
            crate::parallel::map(&blocks, |block| {
                let units = block.len();
                let mut counts = vec![0_u32; units * width];
                let mut counted: Vec<bool> = block
                    .clone()
                    .map(|u| base[u].is_nan() || half_step(base[u], n).is_some())
                    .collect();
                for row in per_replicate {
                    let mine = &row[block.start.min(row.len())..block.end.min(row.len())];
                    let unit_counts = counts.chunks_exact_mut(width);
                    for ((&r, c), ok) in mine.iter().zip(unit_counts).zip(&mut counted) {
                        match half_step(r, n) {
                            Some(s) => c[s] += 1,
                            None => *ok &= r.is_nan(),
                        }
                    }
                }
                block
                    .clone()
                    .enumerate()
                    .map(|(k, u)| {
                        if counted[k] {
                            from_half_steps(&counts[k * width..(k + 1) * width], base[u])
                        } else {
                            let sample: Vec<f64> = per_replicate
                                .iter()
                                .map(|row| row.get(u).copied().unwrap_or(f64::NAN))
                                .collect();
                            unit_ranks(&sample, n, base[u], &mut Vec::new())
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .into_iter()
            .flatten()
            .collect()
        })
        .collect()
}

/// `ranks[replicate][unit]` unit after unit: each of the `n` units' ranks over the replicates.
pub(super) fn ranks_by_unit(ranks: &[Vec<f64>], n: usize) -> Vec<f64> {
    let replicates = ranks.len();
    let mut by_unit = vec![f64::NAN; n * replicates];
    for (r, row) in ranks.iter().enumerate() {
        for (u, &v) in row.iter().enumerate().take(n) {
            by_unit[u * replicates + r] = v;
        }
    }
    by_unit
}

/// The half step of rank `r` among `n` units (2r, for whole and half ranks in 1..=n), if it is on
/// one.
#[inline]
fn half_step(r: f64, n: usize) -> Option<usize> {
    let h = 2.0 * r;
    let s = h as usize;
    (s as f64 == h && (2..=2 * n).contains(&s)).then_some(s)
}

/// One unit's rank statistics from its ranks in the replicates (`NaN` where it had none) and
/// its nominal rank.
///
/// Every tie rule gives whole or half ranks in 1..=n, so a count per half step gives the sorted
/// sample in one pass, and the sums exactly: every partial sum of halves is a double, so the
/// order of the additions cannot change the bits. Other values are sorted and summed in order.
pub(super) fn unit_ranks(
    sample: &[f64],
    n: usize,
    nominal: f64,
    counts: &mut Vec<u32>,
) -> UnitRanks {
    let width = 2 * n + 1;
    let counted = (nominal.is_nan() || half_step(nominal, n).is_some())
        && count_half_steps(sample, width, |r| half_step(r, n), counts);
    if counted {
        return from_half_steps(&counts[..width], nominal);
    }
    let mut sorted: Vec<f64> = sample.iter().copied().filter(|v| !v.is_nan()).collect();
    sorted.sort_by(f64::total_cmp);
    let count = sorted.len() as f64;
    let at = |k: usize| sorted[k];
    UnitRanks {
        nominal,
        mean: sorted.iter().sum::<f64>() / count,
        median: quantile(sorted.len(), 0.5, at),
        q05: quantile(sorted.len(), 0.05, at),
        q95: quantile(sorted.len(), 0.95, at),
        mean_abs_shift: sorted.iter().map(|r| (r - nominal).abs()).sum::<f64>() / count,
    }
}

/// A unit's rank statistics from the number of its ranks on each half step (`counts[h]` ranks
/// equal to h/2) and its nominal rank.
fn from_half_steps(counts: &[u32], nominal: f64) -> UnitRanks {
    // The occupied half steps with the number of values up to and including each.
    let (mut sum, mut shift, mut len) = (0.0, 0.0, 0);
    let mut steps = Vec::new();
    for (h, &c) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
        let r = h as f64 / 2.0;
        sum += f64::from(c) * r;
        shift += f64::from(c) * (r - nominal).abs();
        len += c as usize;
        steps.push((r, len));
    }
    // The k-th smallest rank: the first step whose values reach past k.
    let at = |k: usize| steps[steps.partition_point(|&(_, end)| end <= k)].0;
    let count = len as f64;
    UnitRanks {
        nominal,
        mean: sum / count,
        median: quantile(len, 0.5, at),
        q05: quantile(len, 0.05, at),
        q95: quantile(len, 0.95, at),
        mean_abs_shift: shift / count,
    }
}

/// Counts the present values of `sample` per half step into `counts[..width]`, giving up
/// (`false`) at the first value not on one. Four interleaved sets of counters, added at the end:
/// a unit's ranks often repeat, and one counter bumped again and again waits on its own last
/// store each time.
fn count_half_steps(
    sample: &[f64],
    width: usize,
    slot: impl Fn(f64) -> Option<usize>,
    counts: &mut Vec<u32>,
) -> bool {
    const WAYS: usize = 4;
    counts.clear();
    counts.resize(WAYS * width, 0);
    for (k, &r) in sample.iter().enumerate().filter(|(_, r)| !r.is_nan()) {
        let Some(s) = slot(r) else {
            return false;
        };
        counts[(k % WAYS) * width + s] += 1;
    }
    let (total, rest) = counts.split_at_mut(width);
    for way in rest.chunks_exact(width) {
        for (t, &c) in total.iter_mut().zip(way) {
            *t += c;
        }
    }
    true
}
