//! How the rank statistics of an uncertainty analysis settle as replicates are added: the
//! summary of the first N/8, N/4 and N/2 replicates against that of all N (the same checkpoints
//! as [`super::sobol::sobol_convergence`]). Changes that are still large at N/2 say that N is
//! too small for the statistics to be read to the rank.

use serde::Serialize;

use super::engine::Uncertainty;
use super::summary::{ranks_by_unit, unit_ranks};

/// How one summarised node's rank statistics settle as replicates are added.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankConvergence {
    /// The node.
    pub node: String,
    /// The numbers of replicates summarised: the first N/8, N/4, N/2 and all N (those of at
    /// least one).
    pub replicates: Vec<usize>,
    /// For each: the mean over the units of |median rank − the median rank over all N|.
    pub median_change: Vec<f64>,
    /// For each: the largest such change over the units.
    pub largest_median_change: Vec<f64>,
    /// For each: the mean over the units of the changes of the 5th and 95th percentiles
    /// (their average).
    pub interval_change: Vec<f64>,
}

impl Uncertainty {
    /// The convergence of each summarised node's rank statistics (see the module docs),
    /// computed from the replicates' ranks on demand. Units without a median (ranked by no
    /// replicate of a prefix) are left out of that prefix's means; a node no unit has a median
    /// on gives `NaN`s.
    #[must_use]
    pub fn convergence(&self) -> Vec<RankConvergence> {
        self.nodes
            .iter()
            .zip(&self.ranks)
            .zip(&self.summary)
            .map(|((node, per_replicate), full)| {
                let n = full.len();
                let total = per_replicate.len();
                let by_unit = ranks_by_unit(per_replicate, n);
                let mut replicates: Vec<usize> = [total / 8, total / 4, total / 2, total]
                    .into_iter()
                    .filter(|&m| m >= 1)
                    .collect();
                replicates.dedup();
                let mut counts = Vec::new();
                let mut convergence = RankConvergence {
                    node: node.clone(),
                    replicates: replicates.clone(),
                    median_change: Vec::new(),
                    largest_median_change: Vec::new(),
                    interval_change: Vec::new(),
                };
                for m in replicates {
                    let (mut median, mut largest, mut interval, mut units) =
                        (0.0, 0.0_f64, 0.0, 0_usize);
                    for (u, all) in full.iter().enumerate() {
                        let sample = &by_unit[u * total..u * total + m];
                        let prefix = unit_ranks(sample, n, all.nominal, &mut counts);
                        let change = (prefix.median - all.median).abs();
                        if change.is_nan() {
                            continue;
                        }
                        median += change;
                        largest = largest.max(change);
                        interval += f64::midpoint(
                            (prefix.q05 - all.q05).abs(),
                            (prefix.q95 - all.q95).abs(),
                        );
                        units += 1;
                    }
                    let units = if units == 0 { f64::NAN } else { units as f64 };
                    convergence.median_change.push(median / units);
                    convergence.largest_median_change.push(if units.is_nan() {
                        f64::NAN
                    } else {
                        largest
                    });
                    convergence.interval_change.push(interval / units);
                }
                convergence
            })
            .collect()
    }
}
