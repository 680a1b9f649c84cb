//! A framework and a recipe compiled for aggregation, and the one loop that aggregates: [`score`]
//! runs it once, the uncertainty engine once per replicate (with its weight noise, an excluded
//! indicator, and the logarithms of the indicators it caches). To change how a node is
//! aggregated, this is the place.
//!
//! [`score`]: crate::score

use crate::aggregate::{
    Aggregation, Children, Domain, aggregate_node, apply_threshold, linear_mean, settle_overflow,
};
use crate::dataset::Unit;
use crate::error::{Error, ScoreError};
use crate::framework::{Framework, check_sibling_weights};
use crate::recipe::Recipe;
use crate::weight::Weighting;

/// Every node's column and every aggregate's method, children and weights, resolved once from a
/// framework and a recipe. Columns hold the indicators first, in framework order, then the
/// aggregates in the order they are computed (each after its children).
pub struct Plan {
    /// Framework position → column.
    column: Vec<usize>,
    /// Column → framework position.
    order: Vec<usize>,
    /// The number of indicators (their columns come first).
    indicators: usize,
    /// The aggregates in computation order.
    aggregates: Vec<PlannedNode>,
    /// The recipe's availability threshold.
    threshold: Option<f64>,
}

/// One aggregate of a [`Plan`].
struct PlannedNode {
    /// The node's id.
    id: String,
    /// The recipe's method for the node.
    method: Aggregation,
    /// A pooled mean, whose children are the indicators below the node.
    pooled: bool,
    /// The children's columns.
    children: Vec<usize>,
    /// The children's ids.
    ids: Vec<String>,
    /// The children's weights unless a rule derives them: the recipe's, else the framework's
    /// (1 for the indicators of a pooled mean).
    weights: Vec<f64>,
    /// The recipe's weight of each child, which wins over a derived one.
    fixed: Vec<Option<f64>>,
    /// What a perturbed child's weight is multiplied from: the recipe's, else the framework's.
    perturbed_from: Vec<f64>,
    /// The recipe's rule deriving the children's weights from their scores.
    rule: Option<Weighting>,
    /// Whether another aggregate reads this one.
    consumed: bool,
}

/// Where the aggregation reads the indicators' columns.
#[derive(Clone, Copy)]
pub(crate) enum IndicatorColumns<'a> {
    /// In the output itself, before the aggregates (the pipeline's score matrix).
    InOutput,
    /// Elsewhere, column after column (the uncertainty engine's cache).
    Given(&'a [f64]),
}

/// The indicators as one run of the aggregation sees them.
pub(crate) struct Indicators<'a> {
    pub(crate) columns: IndicatorColumns<'a>,
    pub(crate) units: &'a [Unit],
    /// Their logarithms and what is known of them, when computed ahead for many runs.
    pub(crate) logs: Option<&'a IndicatorLogs>,
    /// An indicator's column to read as missing.
    pub(crate) excluded: Option<usize>,
}

/// The indicators' natural logarithms and two facts about each, computed once for the many runs
/// of an uncertainty analysis: geometric means of indicators then sum logarithms instead of
/// calling `ln` per run.
pub(crate) struct IndicatorLogs {
    /// `ln x` (`NaN` unless positive), column after column.
    logs: Vec<f64>,
    /// Per indicator: no value is missing.
    complete: Vec<bool>,
    /// Per indicator: the first unit whose value is zero or negative, if any.
    first_not_positive: Vec<Option<usize>>,
}

impl IndicatorLogs {
    /// From the indicators' columns of `n` units each.
    pub(crate) fn new(values: &[f64], n: usize) -> Self {
        let n = n.max(1);
        IndicatorLogs {
            logs: values
                .iter()
                .map(|&x| if x > 0.0 { libm::log(x) } else { f64::NAN })
                .collect(),
            complete: values
                .chunks(n)
                .map(|c| c.iter().all(|x| !x.is_nan()))
                .collect(),
            first_not_positive: values
                .chunks(n)
                .map(|c| c.iter().position(|&v| !v.is_nan() && v <= 0.0))
                .collect(),
        }
    }
}

/// Weights a run multiplies by factors: for each aggregate, (child slot, factor index).
pub(crate) type PerturbedSlots = Vec<Vec<(usize, usize)>>;

/// One run's weight noise: where the perturbed nodes sit, and their factors.
#[derive(Clone, Copy)]
pub(crate) struct Perturbation<'a> {
    pub(crate) slots: &'a PerturbedSlots,
    pub(crate) factors: &'a [f64],
}

/// What one run of the aggregation leaves besides the scores, and the scratch it reuses.
#[derive(Default)]
pub(crate) struct Aggregated {
    /// Each aggregate's children's weights, as used.
    pub(crate) weights: Vec<Vec<f64>>,
    /// Per aggregate: its column holds the mean of the logarithms of a geometric mean, left
    /// without `exp` because only ranks were asked for and no aggregate reads it.
    pub(crate) log_columns: Vec<bool>,
    /// A column of missing values.
    pub(crate) missing: Vec<f64>,
    /// Per-unit weight sums.
    sums: Vec<f64>,
}

impl Plan {
    /// Compiles `framework` and `recipe` (validated by the caller).
    #[must_use]
    pub fn new(framework: &Framework, recipe: &Recipe) -> Self {
        let nodes = framework.nodes();
        let order: Vec<usize> = framework
            .indicator_positions()
            .iter()
            .copied()
            .chain(framework.aggregate_positions())
            .collect();
        let mut column = vec![0; framework.len()];
        for (j, &i) in order.iter().enumerate() {
            column[i] = j;
        }
        let aggregates = framework
            .aggregate_positions()
            .into_iter()
            .map(|i| {
                let id = nodes[i].id.clone();
                let level = framework.level_of(i);
                let method = recipe.aggregation_of(&id, level);
                let pooled = method == Aggregation::PooledMean;
                let kids: Vec<usize> = if pooled {
                    framework.indicators_below(i)
                } else {
                    framework.children_of(i).to_vec()
                };
                let fixed: Vec<Option<f64>> = kids
                    .iter()
                    .map(|&c| recipe.weights.get(&nodes[c].id).copied())
                    .collect();
                PlannedNode {
                    method,
                    pooled,
                    children: kids.iter().map(|&c| column[c]).collect(),
                    ids: kids.iter().map(|&c| nodes[c].id.clone()).collect(),
                    weights: kids
                        .iter()
                        .zip(&fixed)
                        .map(|(&c, f)| f.unwrap_or(if pooled { 1.0 } else { nodes[c].weight }))
                        .collect(),
                    perturbed_from: kids
                        .iter()
                        .zip(&fixed)
                        .map(|(&c, f)| f.unwrap_or(nodes[c].weight))
                        .collect(),
                    fixed,
                    rule: recipe.weighting_of(&id, level).cloned(),
                    consumed: framework.parent_of(i).is_some(),
                    id,
                }
            })
            .collect();
        Plan {
            column,
            order,
            indicators: framework.indicator_positions().len(),
            aggregates,
            threshold: recipe.aggregate.availability_threshold,
        }
    }

    /// The column of the node at framework position `i`.
    pub(crate) fn column(&self, i: usize) -> usize {
        self.column[i]
    }

    /// The framework position of each column.
    pub(crate) fn order(&self) -> &[usize] {
        &self.order
    }

    /// The number of indicators, whose columns come first.
    pub(crate) fn indicators(&self) -> usize {
        self.indicators
    }

    /// For each column, the columns of the indicators under its node, in input order.
    pub(crate) fn leaves(&self, framework: &Framework) -> Vec<Vec<usize>> {
        fn collect(framework: &Framework, column: &[usize], i: usize, out: &mut Vec<usize>) {
            let kids = framework.children_of(i);
            if kids.is_empty() {
                out.push(column[i]);
            }
            for &c in kids {
                collect(framework, column, c, out);
            }
        }
        self.order
            .iter()
            .map(|&i| {
                let mut out = Vec::new();
                collect(framework, &self.column, i, &mut out);
                out
            })
            .collect()
    }

    /// Where the nodes at framework positions `perturbed` sit among the aggregates' children,
    /// each occurrence with the index of its factor.
    pub(crate) fn perturbed_slots(&self, perturbed: &[usize]) -> PerturbedSlots {
        self.aggregates
            .iter()
            .map(|node| {
                node.children
                    .iter()
                    .enumerate()
                    .filter_map(|(slot, &c)| {
                        let k = perturbed.iter().position(|&p| self.column[p] == c)?;
                        Some((slot, k))
                    })
                    .collect()
            })
            .collect()
    }

    /// Each node's weight among its siblings, by column, as a run used them (`used`, per
    /// aggregate): the framework's for a top node, and for an indicator that only a pooled mean
    /// reads.
    pub(crate) fn weights_by_column(&self, framework: &Framework, used: &[Vec<f64>]) -> Vec<f64> {
        let mut weights: Vec<f64> = self
            .order
            .iter()
            .map(|&i| framework.nodes()[i].weight)
            .collect();
        for (node, w) in self.aggregates.iter().zip(used) {
            if !node.pooled {
                for (&c, &wc) in node.children.iter().zip(w) {
                    weights[c] = wc;
                }
            }
        }
        weights
    }

    /// Aggregates level by level from the indicators up, appending each aggregate's column of
    /// `n` units to `out` (which holds just the indicators' columns for
    /// [`IndicatorColumns::InOutput`], and is cleared first otherwise).
    ///
    /// Each aggregate's children weigh the recipe's weight, else the one the recipe's rule
    /// derives from the children's scores, else the framework's; `perturbed` multiplies the
    /// weights of its slots by its factors (from the recipe's or framework's weight). Sibling
    /// weights are checked, then the node is aggregated by its method: arithmetic means, and
    /// geometric means of indicators whose logarithms are given, by the linear kernel (the same
    /// bits as [`aggregate_node`]), every other method by [`aggregate_node`]. With
    /// `ranks_only`, a geometric mean no other aggregate reads is left as the mean of the
    /// logarithms ([`Aggregated::log_columns`]).
    ///
    /// # Errors
    /// A weighting rule's error, sibling weights that do not sum to a positive finite number,
    /// and every error of [`aggregate_node`], naming the node.
    pub(crate) fn aggregate(
        &self,
        indicators: &Indicators<'_>,
        perturbed: Option<Perturbation<'_>>,
        ranks_only: bool,
        out: &mut Vec<f64>,
        work: &mut Aggregated,
    ) -> Result<(), Error> {
        let units = indicators.units;
        let n = units.len();
        let base = match indicators.columns {
            IndicatorColumns::InOutput => self.indicators * n,
            IndicatorColumns::Given(_) => 0,
        };
        out.truncate(base);
        let Aggregated {
            weights,
            log_columns,
            missing,
            sums,
        } = work;
        missing.clear();
        missing.resize(n, f64::NAN);
        weights.resize_with(self.aggregates.len(), Vec::new);
        log_columns.clear();
        log_columns.resize(self.aggregates.len(), false);
        let unit_ids: Vec<String> = if self.aggregates.iter().any(|a| a.rule.is_some()) {
            units.iter().map(|u| u.id.clone()).collect()
        } else {
            Vec::new()
        };
        for (a, node) in self.aggregates.iter().enumerate() {
            // A column starts just before it is computed, copied from `missing`: one memory
            // copy, where filling the whole matrix first would send it through memory twice.
            out.extend_from_slice(missing);
            let (done, rest) = out.split_at_mut(base + a * n);
            let target = &mut rest[..n];
            let column = |c: usize| -> &[f64] {
                if c >= self.indicators {
                    &done[base + (c - self.indicators) * n..][..n]
                } else if Some(c) == indicators.excluded {
                    missing
                } else {
                    match indicators.columns {
                        IndicatorColumns::InOutput => &done[c * n..][..n],
                        IndicatorColumns::Given(values) => &values[c * n..][..n],
                    }
                }
            };
            let columns: Vec<&[f64]> = node.children.iter().map(|&c| column(c)).collect();
            let w = &mut weights[a];
            node.weights_into(&columns, &unit_ids, perturbed, a, w)?;
            check_sibling_weights(&node.id, w)?;
            let method = if node.pooled {
                Aggregation::ArithmeticMean
            } else {
                node.method
            };
            let of_indicators = node.children.iter().all(|&c| c < self.indicators);
            let logs = indicators.logs.filter(|_| of_indicators);
            let complete = logs.is_some_and(|l| {
                node.children
                    .iter()
                    .all(|&c| l.complete[c] && Some(c) != indicators.excluded)
            });
            if method == Aggregation::ArithmeticMean {
                linear_mean(method, &columns, w, complete, target, sums);
                if !target.iter().all(|v| v.is_finite()) {
                    let ids: Vec<&str> = node.ids.iter().map(String::as_str).collect();
                    let children = Children {
                        ids: &ids,
                        columns: &columns,
                        weights: w,
                    };
                    settle_overflow(method, &node.id, &children, units, target)?;
                }
            } else if let (Aggregation::GeometricMean, Some(logs)) = (method, logs) {
                // Only the ranks wanted and no aggregate reading this one: stop at the mean of
                // the logarithms; `Ranker::rank_exp` ranks it as exp would.
                log_columns[a] = ranks_only && !node.consumed;
                let logged = Logged {
                    logs,
                    complete,
                    as_logs: log_columns[a],
                };
                node.geometric_from_logs(&logged, &columns, w, indicators, missing, target, sums)?;
            } else {
                let ids: Vec<&str> = node.ids.iter().map(String::as_str).collect();
                let children = Children {
                    ids: &ids,
                    columns: &columns,
                    weights: w,
                };
                // The general path applies the availability threshold itself.
                aggregate_node(method, &node.id, &children, units, self.threshold, target)?;
                continue;
            }
            if let Some(t) = self.threshold {
                apply_threshold(&columns, t, target);
            }
        }
        Ok(())
    }
}

impl PlannedNode {
    /// The children's weights for one run, into `w`: the recipe's, else the rule's derived from
    /// the children's `columns`, else the framework's; then the factors of its slots (it is
    /// aggregate `a`) in `perturbed`.
    fn weights_into(
        &self,
        columns: &[&[f64]],
        unit_ids: &[String],
        perturbed: Option<Perturbation<'_>>,
        a: usize,
        w: &mut Vec<f64>,
    ) -> Result<(), Error> {
        w.clear();
        match &self.rule {
            None => w.extend_from_slice(&self.weights),
            Some(rule) => {
                let ids: Vec<&str> = self.ids.iter().map(String::as_str).collect();
                let derived = rule.weights(&ids, columns, unit_ids)?;
                w.extend(self.fixed.iter().zip(derived).map(|(f, d)| f.unwrap_or(d)));
            }
        }
        if let Some(p) = perturbed {
            for &(slot, k) in &p.slots[a] {
                w[slot] = self.perturbed_from[slot] * p.factors[k];
            }
        }
        Ok(())
    }

    /// A geometric mean of indicators from their cached logarithms: the mean of the logarithms
    /// (exactly the value the geometric mean exponentiates), exponentiated unless
    /// `logged.as_logs` — the same bits as [`aggregate_node`], whose domain error it reports
    /// first.
    #[allow(clippy::too_many_arguments)] // the node's inputs, its output and the scratch
    fn geometric_from_logs(
        &self,
        logged: &Logged<'_>,
        columns: &[&[f64]],
        w: &[f64],
        indicators: &Indicators<'_>,
        missing: &[f64],
        target: &mut [f64],
        sums: &mut Vec<f64>,
    ) -> Result<(), ScoreError> {
        let units = indicators.units;
        let n = units.len();
        if let Some(error) = not_positive(self, logged.logs, columns, indicators, units) {
            return Err(error);
        }
        let log_values: Vec<&[f64]> = self
            .children
            .iter()
            .map(|&c| {
                if Some(c) == indicators.excluded {
                    missing
                } else {
                    &logged.logs.logs[c * n..][..n]
                }
            })
            .collect();
        let finish = if logged.as_logs {
            Aggregation::ArithmeticMean
        } else {
            Aggregation::GeometricMean
        };
        linear_mean(finish, &log_values, w, logged.complete, target, sums);
        finite_log_mean(target, sums, logged.complete, &self.id, units)
    }
}

/// How [`PlannedNode::geometric_from_logs`] reads the logarithms.
struct Logged<'a> {
    logs: &'a IndicatorLogs,
    /// No child has a missing value.
    complete: bool,
    /// Leave the mean of the logarithms.
    as_logs: bool,
}

/// The error of a geometric mean of indicators one of which is zero or negative, if any: the
/// first such value in unit order, then child order, as [`aggregate_node`] reports it.
fn not_positive(
    node: &PlannedNode,
    logs: &IndicatorLogs,
    columns: &[&[f64]],
    indicators: &Indicators<'_>,
    units: &[Unit],
) -> Option<ScoreError> {
    let (u, k) = node
        .children
        .iter()
        .enumerate()
        .filter(|&(_, &c)| Some(c) != indicators.excluded)
        .filter_map(|(k, &c)| logs.first_not_positive[c].map(|u| (u, k)))
        .min()?;
    Some(ScoreError::OutsideDomain {
        node: node.id.clone(),
        unit: units[u].id.clone(),
        child: node.ids[k].clone(),
        value: columns[k][u],
        method: Aggregation::GeometricMean.name(),
        requirement: Domain::Positive.requirement(),
    })
}

/// The overflow rule for a geometric mean computed from cached logarithms: a mean of logarithms
/// of finite values is finite, and its exponential at most the largest value, up to rounding at
/// the very top of the range, which is an error naming the node and the unit.
fn finite_log_mean(
    target: &[f64],
    sums: &[f64],
    complete: bool,
    id: &str,
    units: &[Unit],
) -> Result<(), ScoreError> {
    match (0..target.len())
        .find(|&r| !target[r].is_finite() && (complete || sums.get(r).is_some_and(|s| *s > 0.0)))
    {
        None => Ok(()),
        Some(r) => Err(ScoreError::Overflow {
            node: id.to_owned(),
            unit: units[r].id.clone(),
            what: "the geometric mean".to_owned(),
        }),
    }
}
