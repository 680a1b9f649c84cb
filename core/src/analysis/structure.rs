//! Analyses that follow the framework's tree: effective weights, correlations between levels,
//! PCA weights, strengths and weaknesses, and "remove one element" sensitivity.

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::error::Error;
use crate::framework::Framework;
use crate::rank::{Order, TieRule, rank_into};
use crate::recipe::Recipe;
use crate::scores::Scores;
use crate::stats::{CorrelationMethod, pca};

/// Node `i`'s weight as a share of its siblings' (itself included; top nodes share among the
/// top nodes). `weight` gives each node's weight.
#[must_use]
pub fn sibling_share(framework: &Framework, i: usize, weight: impl Fn(usize) -> f64) -> f64 {
    let siblings: f64 = match framework.parent_of(i) {
        Some(p) => framework.children_of(p).iter().map(|&c| weight(c)).sum(),
        None => framework.roots().iter().map(|&r| weight(r)).sum(),
    };
    weight(i) / siblings
}

/// Each node's effective weight: the product of its weight and its ancestors' weights, each
/// rescaled to sum to 1 among siblings (COINr's `get_eff_weights`). Top nodes have 1 (or their
/// share among several top nodes). `weight` gives each node's weight (e.g. [`Scores::weight`]).
#[must_use]
pub fn effective_weights(
    framework: &Framework,
    weight: impl Fn(usize) -> f64,
) -> Vec<(String, f64)> {
    let nodes = framework.nodes();
    let share = |i: usize| sibling_share(framework, i, &weight);
    (0..nodes.len())
        .map(|i| {
            let mut w = share(i);
            let mut at = i;
            while let Some(p) = framework.parent_of(at) {
                w *= share(p);
                at = p;
            }
            (nodes[i].id.clone(), w)
        })
        .collect()
}

/// A correlation between two nodes.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeCorrelation {
    /// The node of the higher level.
    pub upper: String,
    /// The node of the lower level.
    pub lower: String,
    /// The coefficient.
    pub value: f64,
}

/// Correlations between the nodes of level `lower` and those of level `upper` (> lower) in the
/// scores; with `ancestors_only`, each node only against its own ancestor at `upper` (COINr's
/// `get_corr(Levels = c(lower, upper), withparent = TRUE)`).
#[must_use]
pub fn level_correlations(
    framework: &Framework,
    scores: &Scores,
    lower: u32,
    upper: u32,
    ancestors_only: bool,
    method: CorrelationMethod,
) -> Vec<NodeCorrelation> {
    let at = |level: u32| (0..framework.len()).filter(move |&i| framework.level_of(i) == level);
    let ancestor = |mut i: usize| {
        while framework.level_of(i) < upper {
            match framework.parent_of(i) {
                Some(p) => i = p,
                None => break,
            }
        }
        i
    };
    let mut out = Vec::new();
    for u in at(upper) {
        for l in at(lower) {
            if ancestors_only && ancestor(l) != u {
                continue;
            }
            let (id_u, id_l) = (&framework.nodes()[u].id, &framework.nodes()[l].id);
            if let (Some(x), Some(y)) = (scores.score(id_u), scores.score(id_l)) {
                out.push(NodeCorrelation {
                    upper: id_u.clone(),
                    lower: id_l.clone(),
                    value: method.between(x, y),
                });
            }
        }
    }
    out
}

/// A pair of siblings correlated beyond a threshold (COINr's `get_corr_flags`).
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrelationFlag {
    /// The parent of the pair.
    pub group: String,
    /// The first node, in framework order.
    pub first: String,
    /// The second node.
    pub second: String,
    /// Their correlation.
    pub value: f64,
}

/// Pairs of siblings at `level` (children of the same parent) whose correlation exceeds
/// `threshold` — high correlations suggest double counting (COINr's `get_corr_flags` with
/// `thresh_type = "high"`). With `threshold` negative, pairs *below* it are flagged instead
/// (COINr's `thresh_type = "low"`: indicators pulling against each other).
#[must_use]
pub fn correlation_flags(
    framework: &Framework,
    scores: &Scores,
    level: u32,
    threshold: f64,
    method: CorrelationMethod,
) -> Vec<CorrelationFlag> {
    let nodes = framework.nodes();
    let mut flags = Vec::new();
    for p in (0..framework.len()).filter(|&i| framework.level_of(i) == level + 1) {
        let kids = framework.children_of(p);
        for (a, &x) in kids.iter().enumerate() {
            for &y in &kids[a + 1..] {
                let (Some(sx), Some(sy)) = (scores.score(&nodes[x].id), scores.score(&nodes[y].id))
                else {
                    continue;
                };
                let r = method.between(sx, sy);
                if (threshold >= 0.0 && r > threshold) || (threshold < 0.0 && r < threshold) {
                    flags.push(CorrelationFlag {
                        group: nodes[p].id.clone(),
                        first: nodes[x].id.clone(),
                        second: nodes[y].id.clone(),
                        value: r,
                    });
                }
            }
        }
    }
    flags
}

/// Weights from the first principal component (COINr's `get_PCA`): for each aggregate at
/// `level + 1` (or, with `by_group = false`, for all nodes of `level` together), the loadings of
/// its children's scores on the first component. Loadings can be negative; the sign of a
/// component is arbitrary (see [`pca`](crate::stats::pca)).
#[must_use]
pub fn pca_weights(
    framework: &Framework,
    scores: &Scores,
    level: u32,
    by_group: bool,
) -> Vec<(String, f64)> {
    let nodes = framework.nodes();
    let groups: Vec<Vec<usize>> = if by_group {
        (0..framework.len())
            .filter(|&i| framework.level_of(i) == level + 1)
            .map(|p| framework.children_of(p).to_vec())
            .collect()
    } else {
        vec![
            (0..framework.len())
                .filter(|&i| framework.level_of(i) == level)
                .collect(),
        ]
    };
    let mut out = Vec::new();
    for group in groups {
        let columns: Vec<&[f64]> = group
            .iter()
            .filter_map(|&i| scores.score(&nodes[i].id))
            .collect();
        if let Some(result) = pca(&columns) {
            for (&i, &w) in group.iter().zip(&result.loadings[0]) {
                out.push((nodes[i].id.clone(), w));
            }
        }
    }
    out
}

/// An indicator at which a unit stands out.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standing {
    /// The indicator.
    pub indicator: String,
    /// Its parent node.
    pub parent: Option<String>,
    /// The unit's rank on it (1 = best, ties "min").
    pub rank: f64,
    /// The unit's value.
    pub value: f64,
}

/// A unit's strengths (best-ranked indicators) and weaknesses (worst-ranked), as COINr's
/// `get_str_weak`: ranks of direction-adjusted values (when `adjust_direction`), indicators where
/// the unit is missing or ranked last among all units left out, then `top` best and `bottom`
/// worst. Ties keep COINr's order, which sorts its iMeta by level and parent: indicators by
/// their parent's id (byte order; R collates mixed case by locale), then in framework order.
#[must_use]
pub fn strengths_and_weaknesses(
    framework: &Framework,
    data: &Dataset,
    unit: &str,
    top: usize,
    bottom: usize,
    adjust_direction: bool,
) -> Option<(Vec<Standing>, Vec<Standing>)> {
    let r = data.units().iter().position(|u| u.id == unit)?;
    let mut standings = Vec::new();
    for &i in framework.indicator_positions() {
        let node = &framework.nodes()[i];
        let Some(x) = data.column(&node.id) else {
            continue;
        };
        let sign = match node.as_indicator() {
            Some(ind) if adjust_direction => ind.direction.sign(),
            _ => 1.0,
        };
        let adjusted: Vec<f64> = x.iter().map(|v| v * sign).collect();
        let mut ranks = vec![f64::NAN; x.len()];
        rank_into(&adjusted, Order::Descending, TieRule::Min, &mut ranks);
        let worst = ranks
            .iter()
            .copied()
            .filter(|v| !v.is_nan())
            .fold(f64::NEG_INFINITY, f64::max);
        if ranks[r].is_nan() || ranks[r] == worst {
            continue;
        }
        standings.push(Standing {
            indicator: node.id.clone(),
            parent: framework
                .parent_of(i)
                .map(|p| framework.nodes()[p].id.clone()),
            rank: ranks[r],
            value: x[r],
        });
    }
    // Stable: equal ranks and parents keep the framework's order.
    standings.sort_by(|a, b| {
        a.rank
            .total_cmp(&b.rank)
            .then_with(|| a.parent.cmp(&b.parent))
    });
    let strengths = standings.iter().take(top).cloned().collect();
    let weaknesses = standings[standings.len().saturating_sub(bottom)..].to_vec();
    Some((strengths, weaknesses))
}

/// How much the ranking of `target` moves when one element is removed.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemovalEffect {
    /// The node removed (its weight set to 0).
    pub removed: String,
    /// Mean over units of |rank without it − nominal rank|.
    pub mean_absolute_rank_change: f64,
}

/// "Remove one element" sensitivity (COINr's `remove_elements`): for each node at `level`, the
/// scores are recomputed with that node's weight set to 0, and the ranks of `target` compared
/// with the nominal ones.
///
/// # Errors
/// Any error of [`crate::score`] on the modified recipe.
pub fn remove_elements(
    framework: &Framework,
    data: &Dataset,
    recipe: &Recipe,
    level: u32,
    target: &str,
) -> Result<Vec<RemovalEffect>, Error> {
    let nominal = crate::score(framework, data, recipe)?;
    let base = nominal.rank(target).unwrap_or_default().to_vec();
    let mut out = Vec::new();
    for i in (0..framework.len()).filter(|&i| framework.level_of(i) == level) {
        let id = &framework.nodes()[i].id;
        let mut without = recipe.clone();
        without.weights.insert(id.clone(), 0.0);
        let scores = crate::score(framework, data, &without)?;
        let ranks = scores.rank(target).unwrap_or_default();
        let diffs: Vec<f64> = base
            .iter()
            .zip(ranks)
            .filter(|(a, b)| !a.is_nan() && !b.is_nan())
            .map(|(a, b)| (a - b).abs())
            .collect();
        out.push(RemovalEffect {
            removed: id.clone(),
            mean_absolute_rank_change: diffs.iter().sum::<f64>() / diffs.len().max(1) as f64,
        });
    }
    Ok(out)
}
