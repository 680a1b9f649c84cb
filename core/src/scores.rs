//! The result of a scoring run: score, rank and coverage for every node and unit.

use std::fmt;
use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::dataset::Unit;
use crate::prepare::StepReport;
use crate::rank::{TieRule, rank};

/// A node as it appears in the results.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoredNode {
    /// Node id.
    pub id: String,
    /// Node name.
    pub name: String,
    /// Level (1 for indicators).
    pub level: u32,
}

/// Something worth knowing about a run that did not stop it.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// A numeric data column that no indicator claims and the framework does not declare; it
    /// was ignored.
    UnclaimedColumn {
        /// The column id.
        column: String,
    },
    /// An indicator with no value for any unit; its scores are all missing.
    EmptyIndicator {
        /// The indicator id.
        indicator: String,
    },
    /// An indicator scored by `target_bands` without a target (in the framework or the
    /// recipe); it is left out, as ITU leaves out KPIs without a target: its scores are all
    /// missing.
    NoTarget {
        /// The indicator id.
        indicator: String,
    },
    /// Values outside an indicator's goalposts: clamped to the scale (`clamp`), or scored past
    /// its ends.
    OutsideGoalposts {
        /// The indicator id.
        indicator: String,
        /// How many values.
        count: usize,
        /// The first such unit.
        unit: String,
        /// Its value.
        value: f64,
        /// The goalposts.
        min: f64,
        /// The goalposts.
        max: f64,
        /// Whether the values were clamped.
        clamped: bool,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::UnclaimedColumn { column } => {
                write!(
                    f,
                    "data column `{column}` is not an indicator of the framework and was ignored"
                )
            }
            Warning::EmptyIndicator { indicator } => {
                write!(
                    f,
                    "indicator `{indicator}` has no values; its scores are missing"
                )
            }
            Warning::NoTarget { indicator } => {
                write!(
                    f,
                    "indicator `{indicator}` has no target for `target_bands` and was left out; \
                     its scores are missing"
                )
            }
            Warning::OutsideGoalposts {
                indicator,
                count,
                unit,
                value,
                min,
                max,
                clamped,
            } => {
                let values = if *count == 1 {
                    "value lies"
                } else {
                    "values lie"
                };
                let fate = if *clamped {
                    "clamped to the ends of the scale"
                } else {
                    "scored past the ends of the scale"
                };
                write!(
                    f,
                    "indicator `{indicator}`: {count} {values} outside its goalposts [{min}, {max}] \
                     (first `{unit}`: {value}), {fate}"
                )
            }
        }
    }
}

/// For each banded node, its column and each unit's band index.
pub(crate) type BandColumns = Vec<(usize, Vec<Option<usize>>)>;

/// Scores, ranks and coverage for every node and unit, stored column-major with one column per
/// node: indicators first (their normalised values), then aggregates by level.
///
/// Missing values are `NaN`: a unit without data for a node has a `NaN` score and a `NaN`
/// rank. Coverage is the share of the node's indicators that have a value for the unit.
///
/// Ranks and coverage are computed when first asked for, per node, and kept: ranking every
/// indicator of a large data set costs more than the rest of the pipeline, and most uses need a
/// few nodes.
#[derive(Debug, Clone)]
pub struct Scores {
    pub(crate) units: std::sync::Arc<[Unit]>,
    pub(crate) nodes: Vec<ScoredNode>,
    pub(crate) n_indicators: usize,
    pub(crate) score: Vec<f64>,
    pub(crate) weights: Vec<f64>,
    pub(crate) ties: TieRule,
    pub(crate) rank: Vec<OnceLock<Vec<f64>>>,
    /// For each column, the columns of the indicators under it (itself for an indicator).
    pub(crate) leaves: Vec<Vec<usize>>,
    pub(crate) coverage: Vec<OnceLock<Vec<f64>>>,
    pub(crate) band_labels: Vec<String>,
    pub(crate) bands: BandColumns,
    pub(crate) warnings: Vec<Warning>,
    pub(crate) preparation: Vec<StepReport>,
}

impl Scores {
    /// The units, in data order.
    #[must_use]
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// The nodes, in column order.
    #[must_use]
    pub fn nodes(&self) -> &[ScoredNode] {
        &self.nodes
    }

    /// What each preparation step did (denominate, impute, screen, treat), in order.
    #[must_use]
    pub fn preparation(&self) -> &[StepReport] {
        &self.preparation
    }

    /// Warnings raised during the run.
    #[must_use]
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    fn column_of(&self, node: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == node)
    }

    fn slice<'a>(&self, data: &'a [f64], node: &str) -> Option<&'a [f64]> {
        let n = self.units.len();
        self.column_of(node).map(|j| &data[j * n..(j + 1) * n])
    }

    /// Scores of a node, one per unit (`NaN` = missing). For an indicator, its normalised values.
    #[must_use]
    pub fn score(&self, node: &str) -> Option<&[f64]> {
        self.slice(&self.score, node)
    }

    /// The weight a node had among its siblings in this run: the framework's, one derived by a
    /// weighting rule, or the recipe's override.
    #[must_use]
    pub fn weight(&self, node: &str) -> Option<f64> {
        self.column_of(node).map(|j| self.weights[j])
    }

    /// Ranks of a node, one per unit (1 = best; `NaN` = no rank), with the recipe's tie rule.
    #[must_use]
    pub fn rank(&self, node: &str) -> Option<&[f64]> {
        let j = self.column_of(node)?;
        Some(self.rank_at(j))
    }

    /// Ranks of column `j` among the units; aggregates ([`Unit::aggregate`]) have none.
    fn rank_at(&self, j: usize) -> &[f64] {
        let n = self.units.len();
        self.rank[j].get_or_init(|| {
            let column = &self.score[j * n..(j + 1) * n];
            if self.units.iter().any(|u| u.aggregate) {
                let units_only: Vec<f64> = column
                    .iter()
                    .zip(self.units.iter())
                    .map(|(&s, u)| if u.aggregate { f64::NAN } else { s })
                    .collect();
                rank(&units_only, self.ties)
            } else {
                rank(column, self.ties)
            }
        })
    }

    /// Coverage of a node: the share of its indicators with a value, one per unit.
    #[must_use]
    pub fn coverage(&self, node: &str) -> Option<&[f64]> {
        let j = self.column_of(node)?;
        Some(self.coverage_at(j))
    }

    /// The share of the column's indicators with a value: an indicator's normalised value is
    /// present exactly when its data value is.
    fn coverage_at(&self, j: usize) -> &[f64] {
        let n = self.units.len();
        self.coverage[j].get_or_init(|| {
            let leaves = &self.leaves[j];
            let mut covered = vec![0.0; n];
            for &leaf in leaves {
                for (c, v) in covered
                    .iter_mut()
                    .zip(&self.score[leaf * n..(leaf + 1) * n])
                {
                    *c += if v.is_nan() { 0.0 } else { 1.0 };
                }
            }
            let total = leaves.len() as f64;
            covered.into_iter().map(|c| c / total).collect()
        })
    }

    /// The band label of each unit for a banded node; `None` if the node is not banded.
    #[must_use]
    pub fn band(&self, node: &str) -> Option<Vec<Option<&str>>> {
        let j = self.column_of(node)?;
        let (_, bands) = self.bands.iter().find(|(c, _)| *c == j)?;
        Some(
            bands
                .iter()
                .map(|b| b.map(|k| self.band_labels[k].as_str()))
                .collect(),
        )
    }

    /// All scores, column-major (`units × nodes`).
    #[must_use]
    pub fn score_matrix(&self) -> &[f64] {
        &self.score
    }

    /// All ranks, column-major (`units × nodes`).
    #[must_use]
    pub fn rank_matrix(&self) -> Vec<f64> {
        (0..self.nodes.len())
            .flat_map(|j| self.rank_at(j).iter().copied())
            .collect()
    }

    /// All coverages, column-major (`units × nodes`).
    #[must_use]
    pub fn coverage_matrix(&self) -> Vec<f64> {
        (0..self.nodes.len())
            .flat_map(|j| self.coverage_at(j).iter().copied())
            .collect()
    }

    /// The normalised data: the indicator columns of the score matrix, column-major
    /// (`units × indicators`), with the indicator nodes.
    #[must_use]
    pub fn normalised(&self) -> (&[ScoredNode], &[f64]) {
        let n = self.units.len();
        (
            &self.nodes[..self.n_indicators],
            &self.score[..n * self.n_indicators],
        )
    }

    /// Units ordered by rank for a node (missing ranks last, in data order), as
    /// `(row, score, rank)`.
    #[must_use]
    pub fn ranking(&self, node: &str) -> Option<Vec<(usize, f64, f64)>> {
        let score = self.score(node)?;
        let rank = self.rank(node)?;
        let rows = self.order(node)?;
        Some(rows.into_iter().map(|r| (r, score[r], rank[r])).collect())
    }

    /// The rows of the units ordered by rank for a node, best first; equal ranks, and the units
    /// without a rank (last), in data order.
    ///
    /// Every tie rule gives ranks in `[1, n]`; different ranks have different integer parts
    /// (average ranks of different tie groups lie in disjoint intervals). So the rows are
    /// counted into a bucket per integer part — a stable counting sort, in linear time — and a
    /// bucket holding several rows is sorted by rank, stably, to stay right whatever the rule.
    #[must_use]
    pub fn order(&self, node: &str) -> Option<Vec<usize>> {
        let rank = self.rank(node)?;
        let n = rank.len();
        // Bucket 0..n for ranks 1..=n, bucket n for missing ranks.
        let bucket = |r: f64| {
            if r.is_nan() {
                n
            } else {
                (r as usize).saturating_sub(1).min(n)
            }
        };
        let mut start = vec![0usize; n + 2];
        for &r in rank {
            start[bucket(r) + 1] += 1;
        }
        for k in 1..start.len() {
            start[k] += start[k - 1];
        }
        let mut rows = vec![0usize; n];
        let mut next = start.clone();
        for (row, &r) in rank.iter().enumerate() {
            let b = bucket(r);
            rows[next[b]] = row;
            next[b] += 1;
        }
        for k in 0..n {
            let bucket_rows = &mut rows[start[k]..start[k + 1]];
            if bucket_rows.len() > 1 {
                bucket_rows.sort_by(|&a, &b| rank[a].total_cmp(&rank[b]));
            }
        }
        Some(rows)
    }

    /// A plain-text ranking table of a node (with its band, when banded) and its children, best
    /// first; aggregates, unranked, last.
    #[must_use]
    pub fn ranking_table(&self, node: &str, children: &[&str]) -> Option<String> {
        let ranking = self.ranking(node)?;
        let name_width = self
            .units
            .iter()
            .map(|u| u.name.as_deref().unwrap_or(&u.id).chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        let bands = self.band(node);
        let band_width = bands
            .iter()
            .flatten()
            .flatten()
            .map(|b| b.chars().count())
            .max()
            .unwrap_or(0)
            .max(4);
        let mut out = String::new();
        let _ = write!(out, "{:>4}  {:<name_width$}  {:>8}", "rank", "unit", node);
        if bands.is_some() {
            let _ = write!(out, "  {:<band_width$}", "band");
        }
        for c in children {
            let _ = write!(out, "  {c:>8}");
        }
        out.push('\n');
        let cell = |v: f64| {
            if v.is_nan() {
                "—".to_owned()
            } else {
                format!("{v:.2}")
            }
        };
        for (r, score, rank) in ranking {
            let unit = &self.units[r];
            let rank = if rank.is_nan() {
                "—".to_owned()
            } else {
                rank.to_string()
            };
            let name = unit.name.as_deref().unwrap_or(&unit.id);
            let _ = write!(out, "{rank:>4}  {name:<name_width$}  {:>8}", cell(score));
            if let Some(bands) = &bands {
                let _ = write!(out, "  {:<band_width$}", bands[r].unwrap_or("—"));
            }
            for c in children {
                let v = self.score(c).map_or(f64::NAN, |s| s[r]);
                let _ = write!(out, "  {:>8}", cell(v));
            }
            out.push('\n');
        }
        Some(out)
    }

    /// The JSON-friendly document form (`null` for missing values).
    #[must_use]
    pub fn to_document(&self) -> ScoresDocument {
        let n = self.units.len();
        let opt = |v: &[f64]| v.iter().map(|x| (!x.is_nan()).then_some(*x)).collect();
        ScoresDocument {
            units: self.units.iter().map(|u| u.id.clone()).collect(),
            nodes: self
                .nodes
                .iter()
                .enumerate()
                .map(|(j, node)| NodeResult {
                    id: node.id.clone(),
                    level: node.level,
                    score: opt(&self.score[j * n..(j + 1) * n]),
                    rank: opt(self.rank_at(j)),
                    coverage: self.coverage_at(j).to_vec(),
                    band: self
                        .band(&node.id)
                        .map(|b| b.into_iter().map(|l| l.map(str::to_owned)).collect()),
                })
                .collect(),
            warnings: self.warnings.clone(),
        }
    }
}

/// [`Scores`] as a JSON document: per node, one entry per unit in `units` order.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoresDocument {
    /// Unit ids.
    pub units: Vec<String>,
    /// Results per node.
    pub nodes: Vec<NodeResult>,
    /// Warnings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

/// One node's results in a [`ScoresDocument`].
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeResult {
    /// Node id.
    pub id: String,
    /// Level.
    pub level: u32,
    /// Scores (`null` = missing).
    pub score: Vec<Option<f64>>,
    /// Ranks (`null` = no rank).
    pub rank: Vec<Option<f64>>,
    /// Coverage in [0, 1].
    pub coverage: Vec<f64>,
    /// Band labels, for banded nodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<Vec<Option<String>>>,
}
