//! The uncertainty engine: draw, run and summarise replicates.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use super::sobol::{SobolIndices, saltelli_design, sobol_indices};
use super::{Choice, UncertaintySpec};
use crate::aggregate::{
    Aggregation, Children, aggregate_node, apply_threshold, geometric_from_logs,
};
use crate::dataset::Dataset;
use crate::error::{Error, MethodError};
use crate::framework::Framework;
use crate::pipeline::{normalised_indicators, score_prepared};
use crate::prepare::{Step, prepare};
use crate::rank::{Order, rank_into};
use crate::recipe::Recipe;
use crate::scores::Scores;

/// Reports progress (replicates done, total) and returns `false` to cancel the run.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) -> bool + Sync);

/// The configuration one replicate drew, and whether it ran.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplicateRecord {
    /// The option index drawn for each choice, in the specification's order.
    pub choices: Vec<usize>,
    /// The factor applied to each perturbed node's weight, by node id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weight_factors: Vec<(String, f64)>,
    /// The indicator left out, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded: Option<String>,
    /// Why the replicate failed, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

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

/// The result of an uncertainty analysis.
#[derive(Debug, Clone)]
pub struct Uncertainty {
    /// Scores under the nominal recipe.
    pub nominal: Scores,
    /// The nodes summarised.
    pub nodes: Vec<String>,
    /// For each node, each unit's rank statistics (units in data order).
    pub summary: Vec<Vec<UnitRanks>>,
    /// For each node, the ranks of every replicate: `ranks[node][replicate][unit]` (`NaN` for a
    /// failed replicate or a unit without a rank).
    pub ranks: Vec<Vec<Vec<f64>>>,
    /// Every replicate's configuration.
    pub replicates: Vec<ReplicateRecord>,
    /// How many replicates failed.
    pub failed: usize,
}

/// Prepared data, normalised indicators and their logarithms (`NaN` unless positive) of one
/// upstream configuration, or why it failed.
type Upstream = Result<(Dataset, Vec<f64>, Vec<f64>), String>;

/// Everything a replicate may vary, prepared once.
struct Model<'a> {
    framework: &'a Framework,
    recipe: &'a Recipe,
    spec: &'a UncertaintySpec,
    /// Perturbed nodes (framework positions).
    noisy: Vec<usize>,
    /// Prepared data and normalised indicators per (winmax, impute, normalise) option triple.
    cache: BTreeMap<(usize, usize, usize), Upstream>,
    /// The aggregation plan, when the recipe needs nothing but it (no derived weights).
    plan: Option<Plan>,
}

/// The aggregation stage precomputed for fast replicates: columns in computation order (the
/// indicators, then the aggregates by level), each aggregate's children and base weights.
struct Plan {
    /// Framework position → column.
    column: Vec<usize>,
    /// The aggregates in computation order.
    aggregates: Vec<PlanNode>,
    /// Position of each perturbed node among the children lists: (aggregate, child slot).
    noisy_slots: Vec<(usize, usize)>,
}

/// One draw of every uncertain input.
struct Draw {
    choices: Vec<usize>,
    factors: Vec<f64>,
    excluded: Option<usize>,
}

impl<'a> Model<'a> {
    fn new(
        framework: &'a Framework,
        data: &Dataset,
        recipe: &'a Recipe,
        spec: &'a UncertaintySpec,
    ) -> Result<Self, Error> {
        let noisy = match &spec.weights {
            None => Vec::new(),
            Some(w) => (0..framework.len())
                .filter(|&i| {
                    framework.parent_of(i).is_some()
                        && ((w.levels.is_empty() && w.nodes.is_empty())
                            || w.levels.contains(&framework.level_of(i))
                            || w.nodes.iter().any(|n| *n == framework.nodes()[i].id))
                })
                .collect(),
        };
        let options = |stage: &str| {
            spec.choices
                .iter()
                .find(|c| c.stage() == stage)
                .map_or(1, |c| c.distribution().0)
        };
        let needs_step = |stage: &str, found: bool| {
            if spec.choices.iter().any(|c| c.stage() == stage) && !found {
                return Err(MethodError::InvalidParameter {
                    method: "uncertainty specification",
                    reason: format!(
                        "the `{stage}` choice needs a matching step in the recipe's preparation"
                    ),
                });
            }
            Ok(())
        };
        needs_step(
            "winmax",
            recipe.prepare.iter().any(|s| matches!(s, Step::Treat(_))),
        )?;
        needs_step(
            "impute",
            recipe.prepare.iter().any(|s| matches!(s, Step::Impute(_))),
        )?;
        // The plan aggregates children; weighting rules and pooled means (which read the
        // indicators below a node) go through the full pipeline instead.
        let pooled = std::iter::once(&recipe.aggregate.default)
            .chain(recipe.aggregate.levels.values())
            .chain(recipe.aggregate.nodes.values())
            .chain(spec.choices.iter().flat_map(|c| match c {
                Choice::Aggregate { options, .. } => options.as_slice(),
                _ => &[],
            }))
            .any(|a| *a == Aggregation::PooledMean);
        let plan =
            (recipe.weighting.is_empty() && !pooled).then(|| Plan::new(framework, recipe, &noisy));
        let mut model = Model {
            framework,
            recipe,
            spec,
            noisy,
            cache: BTreeMap::new(),
            plan,
        };
        let keys: Vec<(usize, usize, usize)> = (0..options("winmax"))
            .flat_map(|w| {
                (0..options("impute"))
                    .flat_map(move |i| (0..options("normalise")).map(move |n| (w, i, n)))
            })
            .collect();
        let built = crate::parallel::map(&keys, |&key| model.prepare_option(data, key));
        model.cache = keys.into_iter().zip(built).collect();
        Ok(model)
    }

    /// The recipe of a draw's upstream options (preparation and normalisation).
    fn upstream_recipe(&self, (winmax, impute, normalise): (usize, usize, usize)) -> Recipe {
        let mut recipe = self.recipe.clone();
        for choice in &self.spec.choices {
            match choice {
                Choice::Winmax { options, .. } => {
                    for step in &mut recipe.prepare {
                        if let Step::Treat(t) = step {
                            t.default.winmax = options[winmax];
                        }
                    }
                }
                Choice::Impute { options, .. } => {
                    for step in &mut recipe.prepare {
                        if let Step::Impute(s) = step {
                            s.default = options[impute].clone();
                        }
                    }
                }
                Choice::Normalise { options, .. } => {
                    recipe.normalise.default = options[normalise].clone();
                    recipe.normalise.indicators.clear();
                }
                Choice::Aggregate { .. } => {}
            }
        }
        recipe
    }

    fn prepare_option(&self, data: &Dataset, key: (usize, usize, usize)) -> Upstream {
        let recipe = self.upstream_recipe(key);
        let prepared = prepare(self.framework, data, &recipe.prepare).map_err(|e| e.to_string())?;
        let normalised = normalised_indicators(self.framework, &prepared.data, &recipe)
            .map_err(|e| e.to_string())?;
        let logs = normalised
            .iter()
            .map(|&x| if x > 0.0 { libm::log(x) } else { f64::NAN })
            .collect();
        Ok((prepared.data, normalised, logs))
    }

    /// The number of uncertain inputs: one per choice, one per perturbed weight, one for the
    /// exclusion.
    fn inputs(&self) -> usize {
        self.spec.choices.len() + self.noisy.len() + usize::from(self.spec.exclude_indicator)
    }

    fn input_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .spec
            .choices
            .iter()
            .map(|c| c.stage().to_owned())
            .collect();
        names.extend(
            self.noisy
                .iter()
                .map(|&i| format!("weight:{}", self.framework.nodes()[i].id)),
        );
        if self.spec.exclude_indicator {
            names.push("exclusion".to_owned());
        }
        names
    }

    /// Maps uniforms in [0, 1) to a configuration: options by cumulative probability, weight
    /// factors 1 + f·(2u − 1), the excluded indicator uniformly.
    fn draw(&self, u: &[f64]) -> Draw {
        let k = self.spec.choices.len();
        let fraction = self.spec.weights.as_ref().map_or(0.0, |w| w.fraction);
        let indicators = self.framework.indicator_positions();
        Draw {
            choices: self
                .spec
                .choices
                .iter()
                .zip(u)
                .map(|(c, &x)| c.pick(x))
                .collect(),
            factors: u[k..k + self.noisy.len()]
                .iter()
                .map(|x| 1.0 + fraction * (2.0 * x - 1.0))
                .collect(),
            excluded: self.spec.exclude_indicator.then(|| {
                indicators[((u[u.len() - 1] * indicators.len() as f64) as usize)
                    .min(indicators.len() - 1)]
            }),
        }
    }

    fn stage_index(&self, draw: &Draw, stage: &str) -> usize {
        self.spec
            .choices
            .iter()
            .position(|c| c.stage() == stage)
            .map_or(0, |k| draw.choices[k])
    }

    /// Runs one configuration.
    fn run(&self, draw: &Draw) -> Result<Scores, String> {
        let key = (
            self.stage_index(draw, "winmax"),
            self.stage_index(draw, "impute"),
            self.stage_index(draw, "normalise"),
        );
        let (data, normalised, _) = self.cache[&key].as_ref().map_err(Clone::clone)?;
        let mut recipe = self.upstream_recipe(key);
        if let Some(Choice::Aggregate { options, .. }) =
            self.spec.choices.iter().find(|c| c.stage() == "aggregate")
        {
            recipe.aggregate.default = options[self.stage_index(draw, "aggregate")];
            recipe.aggregate.levels.clear();
            recipe.aggregate.nodes.clear();
        }
        for (&i, &f) in self.noisy.iter().zip(&draw.factors) {
            let node = &self.framework.nodes()[i];
            let base = recipe.weights.get(&node.id).copied().unwrap_or(node.weight);
            recipe.weights.insert(node.id.clone(), base * f);
        }
        let mut columns;
        let normalised = match draw.excluded {
            None => normalised,
            Some(e) => {
                let n = data.n_units();
                let j = self
                    .framework
                    .indicator_positions()
                    .iter()
                    .position(|&i| i == e)
                    .unwrap_or(0);
                columns = normalised.clone();
                columns[j * n..(j + 1) * n].fill(f64::NAN);
                &columns
            }
        };
        score_prepared(self.framework, data, &recipe, Some(normalised), Vec::new())
            .map_err(|e| e.to_string())
    }

    /// The scores of `nodes` (framework positions) under a draw: through the precomputed plan
    /// when there is one (no `Scores` built, no recipe copied), else through the full pipeline.
    fn scores_of(&self, draw: &Draw, nodes: &[usize]) -> Result<Vec<Vec<f64>>, String> {
        let Some(plan) = &self.plan else {
            return self.scores_via_pipeline(draw, nodes);
        };
        let key = (
            self.stage_index(draw, "winmax"),
            self.stage_index(draw, "impute"),
            self.stage_index(draw, "normalise"),
        );
        let (data, normalised, logs) = self.cache[&key].as_ref().map_err(Clone::clone)?;
        let n = data.n_units();
        let indicators = normalised.len() / n.max(1);
        // Indicator columns are read from the cache (a copy only when one is excluded);
        // aggregate columns go to a buffer after them.
        let excluded_copy;
        let indicator_values: &[f64] = match draw.excluded {
            None => normalised,
            Some(e) => {
                let j = plan.column[e];
                let mut copy = normalised.clone();
                copy[j * n..(j + 1) * n].fill(f64::NAN);
                excluded_copy = copy;
                &excluded_copy
            }
        };
        let mut score = vec![f64::NAN; n * (plan.column.len() - indicators)];
        let weights = plan.weights(&draw.factors);
        let chosen = self.aggregation_drawn(draw);
        let threshold = self.recipe.aggregate.availability_threshold;
        for (
            PlanNode {
                position: i,
                children: kids,
                ids,
                level,
                ..
            },
            w,
        ) in plan.aggregates.iter().zip(&weights)
        {
            let node = &self.framework.nodes()[*i].id;
            if w.iter().sum::<f64>() == 0.0 {
                return Err(format!(
                    "the weights of the children of `{node}` sum to zero"
                ));
            }
            let method = chosen.unwrap_or_else(|| self.recipe.aggregation_of(node, *level));
            let j = plan.column[*i] - indicators;
            let (done, rest) = score.split_at_mut(j * n);
            let column = |c: usize| -> &[f64] {
                if c < indicators {
                    &indicator_values[c * n..(c + 1) * n]
                } else {
                    &done[(c - indicators) * n..(c - indicators + 1) * n]
                }
            };
            let columns: Vec<&[f64]> = kids.iter().map(|&c| column(c)).collect();
            // A geometric mean of indicators reuses their logarithms, computed once per
            // upstream configuration, when every present value is positive.
            if method == Aggregation::GeometricMean
                && draw.excluded.is_none()
                && logs_cover(kids, indicators, n, normalised, logs)
            {
                let log_columns: Vec<&[f64]> =
                    kids.iter().map(|&c| &logs[c * n..(c + 1) * n]).collect();
                geometric_from_logs(&log_columns, w, &mut rest[..n]);
                if let Some(t) = threshold {
                    apply_threshold(&columns, t, &mut rest[..n]);
                }
                continue;
            }
            let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            let children = Children {
                ids: &id_refs,
                columns: &columns,
                weights: w,
            };
            aggregate_node(
                method,
                node,
                &children,
                data.units(),
                threshold,
                &mut rest[..n],
            )
            .map_err(|e| e.to_string())?;
        }
        Ok(nodes
            .iter()
            .map(|&i| {
                let c = plan.column[i];
                if c < indicators {
                    indicator_values[c * n..(c + 1) * n].to_vec()
                } else {
                    score[(c - indicators) * n..(c - indicators + 1) * n].to_vec()
                }
            })
            .collect())
    }

    /// [`Model::scores_of`] through the full pipeline (for recipes with weighting rules).
    fn scores_via_pipeline(&self, draw: &Draw, nodes: &[usize]) -> Result<Vec<Vec<f64>>, String> {
        let scores = self.run(draw)?;
        Ok(nodes
            .iter()
            .map(|&i| {
                scores
                    .score(&self.framework.nodes()[i].id)
                    .unwrap_or_default()
                    .to_vec()
            })
            .collect())
    }

    /// The aggregation a draw chose, if aggregation is uncertain.
    fn aggregation_drawn(&self, draw: &Draw) -> Option<Aggregation> {
        self.spec.choices.iter().find_map(|c| match c {
            Choice::Aggregate { options, .. } => Some(options[self.stage_index(draw, "aggregate")]),
            _ => None,
        })
    }

    fn record(&self, draw: &Draw, failure: Option<String>) -> ReplicateRecord {
        ReplicateRecord {
            choices: draw.choices.clone(),
            weight_factors: self
                .noisy
                .iter()
                .zip(&draw.factors)
                .map(|(&i, &f)| (self.framework.nodes()[i].id.clone(), f))
                .collect(),
            excluded: draw.excluded.map(|e| self.framework.nodes()[e].id.clone()),
            failure,
        }
    }
}

/// One aggregate of a [`Plan`].
struct PlanNode {
    /// Framework position.
    position: usize,
    /// The children's columns.
    children: Vec<usize>,
    /// The children's ids.
    ids: Vec<String>,
    /// The children's base weights (framework or recipe).
    weights: Vec<f64>,
    /// The aggregate's level.
    level: u32,
}

impl Plan {
    /// Every aggregate's children weights with the draw's noise factors applied.
    fn weights(&self, factors: &[f64]) -> Vec<Vec<f64>> {
        let mut weights: Vec<Vec<f64>> =
            self.aggregates.iter().map(|a| a.weights.clone()).collect();
        for (&(a, slot), &f) in self.noisy_slots.iter().zip(factors) {
            weights[a][slot] *= f;
        }
        weights
    }

    fn new(framework: &Framework, recipe: &Recipe, noisy: &[usize]) -> Self {
        let nodes = framework.nodes();
        let column = crate::pipeline::Layout::new(framework).column;
        let mut noisy_slots = vec![(0, 0); noisy.len()];
        let aggregates = framework
            .aggregate_positions()
            .into_iter()
            .enumerate()
            .map(|(a, i)| {
                let kids = framework.children_of(i);
                for (slot, &c) in kids.iter().enumerate() {
                    if let Some(k) = noisy.iter().position(|&x| x == c) {
                        noisy_slots[k] = (a, slot);
                    }
                }
                PlanNode {
                    position: i,
                    children: kids.iter().map(|&c| column[c]).collect(),
                    ids: kids.iter().map(|&c| nodes[c].id.clone()).collect(),
                    weights: kids
                        .iter()
                        .map(|&c| {
                            recipe
                                .weights
                                .get(&nodes[c].id)
                                .copied()
                                .unwrap_or(nodes[c].weight)
                        })
                        .collect(),
                    level: framework.level_of(i),
                }
            })
            .collect();
        Plan {
            column,
            aggregates,
            noisy_slots,
        }
    }
}

/// The uniforms of replicate `i`: ChaCha8 seeded with `seed`, on stream `i`, one per input.
fn uniforms(seed: u64, i: usize, d: usize) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(i as u64);
    (0..d).map(|_| rng.random::<f64>()).collect()
}

fn quantile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Runs the uncertainty analysis: N replicates, each drawing its configuration from its own
/// ChaCha stream (seed, replicate), in parallel with the `parallel` feature and with the same
/// results without it. A replicate whose configuration fails on the data (say a geometric mean
/// meeting a zero) is recorded as failed, with its reason; the others go on.
///
/// `progress` is called after each replicate with (done, total); returning `false` cancels.
///
/// # Errors
/// An invalid specification or recipe, an error of the nominal run, a choice without a matching
/// preparation step, or [`MethodError::Cancelled`].
pub fn run_uncertainty(
    framework: &Framework,
    data: &Dataset,
    recipe: &Recipe,
    spec: &UncertaintySpec,
    progress: Progress<'_>,
) -> Result<Uncertainty, Error> {
    spec.validate()?;
    let nominal = crate::score(framework, data, recipe)?;
    let nodes: Vec<String> = if spec.nodes.is_empty() {
        framework
            .roots()
            .iter()
            .map(|&i| framework.nodes()[i].id.clone())
            .collect()
    } else {
        spec.nodes.clone()
    };
    if let Some(id) = nodes.iter().find(|id| framework.node(id).is_none()) {
        return Err(MethodError::InvalidParameter {
            method: "uncertainty specification",
            reason: format!("node `{id}` is not in the framework"),
        }
        .into());
    }
    let model = Model::new(framework, data, recipe, spec)?;
    let positions: Vec<usize> = nodes
        .iter()
        .filter_map(|id| framework.position(id))
        .collect();
    let d = model.inputs();
    let total = spec.replicates;
    let done = AtomicUsize::new(0);
    let cancelled = AtomicBool::new(false);
    let indices: Vec<usize> = (0..total).collect();
    let results = crate::parallel::map(&indices, |&i| {
        if cancelled.load(Ordering::Relaxed) {
            return None;
        }
        let draw = model.draw(&uniforms(spec.seed, i, d.max(1)));
        let outcome = model.scores_of(&draw, &positions).map(|scores| {
            scores
                .iter()
                .map(|s| {
                    let mut r = vec![f64::NAN; s.len()];
                    rank_into(s, Order::Descending, recipe.rank.ties, &mut r);
                    r
                })
                .collect::<Vec<Vec<f64>>>()
        });
        let (ranks, failure) = match outcome {
            Ok(r) => (r, None),
            Err(e) => (Vec::new(), Some(e)),
        };
        let record = model.record(&draw, failure);
        let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
        if !progress(finished, total) {
            cancelled.store(true, Ordering::Relaxed);
        }
        Some((record, ranks))
    });
    if cancelled.load(Ordering::Relaxed) {
        return Err(MethodError::Cancelled {
            completed: done.load(Ordering::Relaxed),
        }
        .into());
    }
    let n = nominal.units().len();
    let mut replicates = Vec::with_capacity(total);
    let mut ranks = vec![Vec::with_capacity(total); nodes.len()];
    for (record, r) in results.into_iter().flatten() {
        for (k, node_ranks) in ranks.iter_mut().enumerate() {
            node_ranks.push(r.get(k).cloned().unwrap_or_else(|| vec![f64::NAN; n]));
        }
        replicates.push(record);
    }
    let failed = replicates.iter().filter(|r| r.failure.is_some()).count();
    let summary = summarise(&nodes, &ranks, &nominal);
    Ok(Uncertainty {
        nominal,
        nodes,
        summary,
        ranks,
        replicates,
        failed,
    })
}

/// Sobol' sensitivity of the results to each uncertain input of `spec` (its choices, each
/// perturbed weight, the exclusion): Saltelli's design with `base_points` base points (so
/// `base_points`·(d + 2) pipeline runs), outputs the mean absolute rank shift of `node` over the
/// units and each unit's score on `node`. Returns the input names, the indices on the rank shift,
/// and the indices per unit (in data order). Failed runs are an error here: a variance needs
/// every output.
///
/// # Errors
/// As [`run_uncertainty`]; a run that fails; [`sobol_indices`]' errors.
pub fn sensitivity(
    framework: &Framework,
    data: &Dataset,
    recipe: &Recipe,
    spec: &UncertaintySpec,
    node: &str,
    base_points: usize,
    resamples: usize,
) -> Result<(Vec<String>, SobolIndices, Vec<SobolIndices>), Error> {
    spec.validate()?;
    let nominal = crate::score(framework, data, recipe)?;
    let base =
        nominal
            .rank(node)
            .map(<[f64]>::to_vec)
            .ok_or_else(|| MethodError::InvalidParameter {
                method: "sensitivity",
                reason: format!("node `{node}` is not in the framework"),
            })?;
    let model = Model::new(framework, data, recipe, spec)?;
    let d = model.inputs();
    let points = saltelli_design(d, base_points, spec.seed);
    let position = framework.position(node).unwrap_or_default();
    let runs = crate::parallel::map(&points, |u| -> Result<(f64, Vec<f64>), String> {
        let scores = model.scores_of(&model.draw(u), &[position])?.swap_remove(0);
        let mut ranks = vec![f64::NAN; scores.len()];
        rank_into(&scores, Order::Descending, recipe.rank.ties, &mut ranks);
        let shifts: Vec<f64> = ranks
            .iter()
            .zip(&base)
            .map(|(r, b)| (r - b).abs())
            .filter(|v| !v.is_nan())
            .collect();
        Ok((shifts.iter().sum::<f64>() / shifts.len() as f64, scores))
    });
    let runs = runs
        .into_iter()
        .collect::<Result<Vec<_>, String>>()
        .map_err(|reason| MethodError::InvalidParameter {
            method: "sensitivity",
            reason: format!("a run failed: {reason}"),
        })?;
    let shift: Vec<f64> = runs.iter().map(|r| r.0).collect();
    let on_shift = sobol_indices(&shift, d, resamples, spec.seed ^ 0x5EED)?;
    let n = base.len();
    let per_unit = (0..n)
        .map(|u| {
            let y: Vec<f64> = runs.iter().map(|r| r.1[u]).collect();
            sobol_indices(&y, d, resamples, spec.seed ^ 0x5EED)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((model.input_names(), on_shift, per_unit))
}

/// Each unit's rank statistics on each node, over the replicates that gave it a rank.
fn summarise(nodes: &[String], ranks: &[Vec<Vec<f64>>], nominal: &Scores) -> Vec<Vec<UnitRanks>> {
    let n = nominal.units().len();
    nodes
        .iter()
        .zip(ranks)
        .map(|(id, per_replicate)| {
            let base = nominal.rank(id).unwrap_or_default();
            (0..n)
                .map(|u| {
                    let mut sample: Vec<f64> = per_replicate
                        .iter()
                        .map(|r| r[u])
                        .filter(|v| !v.is_nan())
                        .collect();
                    sample.sort_by(f64::total_cmp);
                    let count = sample.len() as f64;
                    UnitRanks {
                        nominal: base[u],
                        mean: sample.iter().sum::<f64>() / count,
                        median: quantile(&sample, 0.5),
                        q05: quantile(&sample, 0.05),
                        q95: quantile(&sample, 0.95),
                        mean_abs_shift: sample.iter().map(|r| (r - base[u]).abs()).sum::<f64>()
                            / count,
                    }
                })
                .collect()
        })
        .collect()
}

/// Whether the cached logarithms stand for every child: all children are indicators and every
/// present value is positive.
fn logs_cover(
    children: &[usize],
    indicators: usize,
    n: usize,
    values: &[f64],
    logs: &[f64],
) -> bool {
    children.iter().all(|&c| {
        c < indicators && (c * n..(c + 1) * n).all(|k| values[k].is_nan() || !logs[k].is_nan())
    })
}
