//! The uncertainty engine: draw each replicate's configuration, run it by the pipeline's plan,
//! and collect the ranks ([`summary`](super::summary) summarises them; the
//! [`sensitivity`](super::sensitivity) analysis runs its design through the same model).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use super::summary::{UnitRanks, summarise};
use super::{Choice, UncertaintySpec, WeightNoise};
use crate::dataset::{Dataset, Unit};
use crate::error::{Error, MethodError};
use crate::framework::Framework;
use crate::limits;
use crate::pipeline::{
    Aggregated, IndicatorColumns, IndicatorLogs, Indicators, Perturbation, PerturbedSlots, Plan,
    normalised_indicators,
};
use crate::prepare::{Step, prepare};
use crate::rank::{Order, Ranker};
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
    /// The factor applied to each perturbed node's weight, in the order of
    /// [`Uncertainty::perturbed`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weight_factors: Vec<f64>,
    /// The indicator left out, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded: Option<String>,
    /// Why the replicate failed, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

/// The result of an uncertainty analysis.
#[derive(Debug, Clone)]
pub struct Uncertainty {
    /// Scores under the nominal recipe.
    pub nominal: Scores,
    /// The nodes summarised.
    pub nodes: Vec<String>,
    /// For each node, each unit's rank statistics (the units of the nominal scores, in order).
    pub summary: Vec<Vec<UnitRanks>>,
    /// For each node, the ranks of every replicate: `ranks[node][replicate][unit]`, on the
    /// nominal units (`NaN` for a failed replicate, a unit without a rank, or a unit the
    /// replicate's preparation dropped; a unit it kept beyond the nominal ones is ranked with
    /// the others but not listed).
    pub ranks: Vec<Vec<Vec<f64>>>,
    /// The nodes whose weights are perturbed, in the order of each record's `weight_factors`.
    pub perturbed: Vec<String>,
    /// Every replicate's configuration.
    pub replicates: Vec<ReplicateRecord>,
    /// How many replicates failed.
    pub failed: usize,
}

/// The prepared data and normalised indicators of one upstream configuration.
struct Upstream {
    data: Dataset<'static>,
    /// The normalised indicators, column after column.
    values: Vec<f64>,
    /// Their logarithms, for geometric means.
    logs: IndicatorLogs,
    /// Where the preparation kept other units than the nominal recipe (a screening step after
    /// another imputation): for each nominal unit, its row here, if it was kept.
    nominal_rows: Option<Vec<Option<usize>>>,
}

impl Upstream {
    /// `values` (one per unit of this configuration) on the nominal units: `NaN` for a unit this
    /// configuration dropped. Moved through unchanged when the units are the nominal ones.
    fn on_nominal_units(&self, values: Vec<f64>) -> Vec<f64> {
        match &self.nominal_rows {
            None => values,
            Some(rows) => rows
                .iter()
                .map(|row| row.map_or(f64::NAN, |r| values[r]))
                .collect(),
        }
    }
}

/// Buffers one worker reuses from replicate to replicate.
#[derive(Default)]
pub(super) struct Workspace {
    /// The aggregates' scores, column after column, in the plan's order.
    scores: Vec<f64>,
    /// The aggregation's weights, log-mean flags and scratch.
    aggregated: Aggregated,
    /// The scores of the requested nodes.
    nodes: Vec<Vec<f64>>,
    /// Per requested node: `nodes` holds the mean of the logarithms of a geometric mean, whose
    /// `exp` was skipped because only its ranks are needed.
    log_means: Vec<bool>,
    /// Ranking buffers.
    ranker: Ranker,
}

/// Everything a replicate may vary, prepared once.
pub(super) struct Model<'a> {
    framework: &'a Framework,
    recipe: &'a Recipe,
    spec: &'a UncertaintySpec,
    /// Perturbed nodes (framework positions).
    noisy: Vec<usize>,
    /// Prepared data and normalised indicators per (winmax, impute, normalise) option triple.
    cache: BTreeMap<(usize, usize, usize), Result<Upstream, Error>>,
    /// The pipeline's plan for each aggregation option (one, when aggregation is certain), with
    /// where the perturbed nodes sit in it.
    plans: Vec<(Plan, PerturbedSlots)>,
}

/// Why a run failed: its upstream configuration's preparation (shared by every run drawing it,
/// so borrowed, not copied), or the run itself.
pub(super) enum RunError<'a> {
    Upstream(&'a Error),
    Run(Error),
}

impl From<Error> for RunError<'_> {
    fn from(e: Error) -> Self {
        RunError::Run(e)
    }
}

impl From<MethodError> for RunError<'_> {
    fn from(e: MethodError) -> Self {
        RunError::Run(e.into())
    }
}

impl RunError<'_> {
    /// The error, owned.
    pub(super) fn into_owned(self) -> Error {
        match self {
            RunError::Upstream(e) => e.clone(),
            RunError::Run(e) => e,
        }
    }
}

impl std::fmt::Display for RunError<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Upstream(e) => e.fmt(f),
            RunError::Run(e) => e.fmt(f),
        }
    }
}

/// One draw of every uncertain input.
struct Draw {
    choices: Vec<usize>,
    factors: Vec<f64>,
    excluded: Option<usize>,
}

impl<'a> Model<'a> {
    pub(super) fn new(
        framework: &'a Framework,
        data: &Dataset,
        recipe: &'a Recipe,
        spec: &'a UncertaintySpec,
    ) -> Result<Self, Error> {
        if let Some(w) = &spec.weights {
            check_noise_targets(framework, w)?;
        }
        if spec.exclude_indicator && framework.indicator_positions().len() < 2 {
            return Err(MethodError::InvalidParameter {
                method: "uncertainty specification",
                reason: "exclude_indicator needs at least 2 indicators: excluding the only one \
                         leaves nothing to score"
                    .to_owned(),
            }
            .into());
        }
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
        // The pipeline's own plan, one per aggregation a replicate may draw.
        let plan_for = |recipe: &Recipe| {
            let plan = Plan::new(framework, recipe);
            let slots = plan.perturbed_slots(&noisy);
            (plan, slots)
        };
        let plans = match spec.choices.iter().find_map(|c| match c {
            Choice::Aggregate { options, .. } => Some(options),
            _ => None,
        }) {
            None => vec![plan_for(recipe)],
            Some(options) => options
                .iter()
                .map(|&method| {
                    let mut drawn = recipe.clone();
                    drawn.aggregate.default = method;
                    drawn.aggregate.levels.clear();
                    drawn.aggregate.nodes.clear();
                    plan_for(&drawn)
                })
                .collect(),
        };
        let mut model = Model {
            framework,
            recipe,
            spec,
            noisy,
            cache: BTreeMap::new(),
            plans,
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

    fn prepare_option(
        &self,
        data: &Dataset,
        key: (usize, usize, usize),
    ) -> Result<Upstream, Error> {
        let recipe = self.upstream_recipe(key);
        let prepared = prepare(self.framework, data, &recipe.prepare)?;
        let (values, _) = normalised_indicators(self.framework, &prepared.data, &recipe)?;
        let logs = IndicatorLogs::new(&values, prepared.data.n_units());
        Ok(Upstream {
            data: prepared.data,
            values,
            logs,
            nominal_rows: None,
        })
    }

    /// Records, for each configuration whose prepared units are not `nominal`'s, where each
    /// nominal unit is.
    pub(super) fn align_to(&mut self, nominal: &[Unit]) {
        for up in self.cache.values_mut().flatten() {
            let units = up.data.units();
            if units.len() == nominal.len() && units.iter().zip(nominal).all(|(a, b)| a.id == b.id)
            {
                continue;
            }
            let rows: std::collections::HashMap<&str, usize> = units
                .iter()
                .enumerate()
                .map(|(r, u)| (u.id.as_str(), r))
                .collect();
            up.nominal_rows = Some(
                nominal
                    .iter()
                    .map(|u| rows.get(u.id.as_str()).copied())
                    .collect(),
            );
        }
    }

    /// The (winmax, impute, normalise) options a draw chose.
    fn upstream_key(&self, draw: &Draw) -> (usize, usize, usize) {
        (
            self.stage_index(draw, "winmax"),
            self.stage_index(draw, "impute"),
            self.stage_index(draw, "normalise"),
        )
    }

    /// The cached upstream configuration a draw chose.
    fn upstream(&self, draw: &Draw) -> Result<&Upstream, RunError<'_>> {
        self.cache[&self.upstream_key(draw)]
            .as_ref()
            .map_err(RunError::Upstream)
    }

    /// The number of uncertain inputs: one per choice, one per perturbed weight, one for the
    /// exclusion.
    fn inputs(&self) -> usize {
        self.spec.choices.len() + self.noisy.len() + usize::from(self.spec.exclude_indicator)
    }

    pub(super) fn input_names(&self) -> Vec<String> {
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

    /// Computes the scores of `nodes` (framework positions) under a draw into `work.nodes`, by
    /// the pipeline's plan for the drawn aggregation. With `ranks_only`, a geometric mean of
    /// indicators that no other aggregate reads may be left as the mean of the logarithms (see
    /// `work.log_means`).
    fn evaluate(
        &self,
        draw: &Draw,
        nodes: &[usize],
        ranks_only: bool,
        work: &mut Workspace,
    ) -> Result<(), RunError<'_>> {
        let up = self.upstream(draw)?;
        let (plan, slots) = &self.plans[self.stage_index(draw, "aggregate")];
        let indicators = Indicators {
            columns: IndicatorColumns::Given(&up.values),
            units: up.data.units(),
            logs: Some(&up.logs),
            excluded: draw.excluded.map(|e| plan.column(e)),
        };
        plan.aggregate(
            &indicators,
            Some(Perturbation {
                slots,
                factors: &draw.factors,
            }),
            ranks_only,
            &mut work.scores,
            &mut work.aggregated,
        )?;
        let n = up.data.n_units();
        let k = plan.indicators();
        work.nodes.resize_with(nodes.len(), Vec::new);
        work.log_means.clear();
        for (out, &i) in work.nodes.iter_mut().zip(nodes) {
            let c = plan.column(i);
            out.clear();
            if c < k {
                out.extend_from_slice(if Some(c) == indicators.excluded {
                    &work.aggregated.missing
                } else {
                    &up.values[c * n..(c + 1) * n]
                });
                work.log_means.push(false);
            } else {
                out.extend_from_slice(&work.scores[(c - k) * n..(c - k + 1) * n]);
                work.log_means.push(work.aggregated.log_columns[c - k]);
            }
        }
        Ok(())
    }

    /// One run of a sensitivity analysis at design point `u`: the mean absolute shift of
    /// `node`'s ranks from `base` over the units, and each of the `nominal` units' score.
    pub(super) fn shift_and_scores(
        &self,
        u: &[f64],
        node: usize,
        base: &[f64],
        nominal: &[Unit],
        work: &mut Workspace,
    ) -> Result<(f64, Vec<f64>), RunError<'_>> {
        let draw = self.draw(u);
        self.evaluate(&draw, &[node], false, work)?;
        let up = self.upstream(&draw)?;
        if let Some(rows) = &up.nominal_rows
            && let Some(dropped) = rows.iter().position(Option::is_none)
        {
            return Err(MethodError::UnitDropped {
                unit: nominal[dropped].id.clone(),
            }
            .into());
        }
        let scores = work.nodes.swap_remove(0);
        let mut ranks = vec![f64::NAN; scores.len()];
        work.ranker.rank(
            &scores,
            Order::Descending,
            self.recipe.rank.ties,
            &mut ranks,
        );
        let ranks = up.on_nominal_units(ranks);
        let (sum, count) = ranks
            .iter()
            .zip(base)
            .map(|(r, b)| (r - b).abs())
            .filter(|v| !v.is_nan())
            .fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
        Ok((sum / count as f64, up.on_nominal_units(scores)))
    }

    fn record(&self, draw: Draw, failure: Option<String>) -> ReplicateRecord {
        ReplicateRecord {
            choices: draw.choices,
            weight_factors: draw.factors,
            excluded: draw.excluded.map(|e| self.framework.nodes()[e].id.clone()),
            failure,
        }
    }
}

/// The uniforms of replicate `i`: ChaCha8 seeded with `seed`, on stream `i`, one per input.
fn uniforms(seed: u64, i: usize, d: usize) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(i as u64);
    (0..d).map(|_| rng.random::<f64>()).collect()
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
    let (part, nominal, nodes) =
        replicates(framework, data, recipe, spec, 0..spec.replicates, progress)?;
    Ok(assemble(nominal, nodes, vec![part]))
}

/// The replicates `first..end` of an uncertainty analysis, to run apart (on other machines, in
/// other tasks) and [`combine`]: each draws from its own stream (seed, replicate), so the parts
/// combined are [`run_uncertainty`]'s result, bit for bit, however the replicates were split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "ReplicateRunDocument", into = "ReplicateRunDocument")]
pub struct ReplicateRun {
    /// The first replicate.
    pub first: usize,
    /// Each replicate's configuration.
    pub records: Vec<ReplicateRecord>,
    /// For each summarised node, each replicate's ranks of the nominal units (`NaN` = none).
    pub ranks: Vec<Vec<Vec<f64>>>,
    /// The nodes whose weights are perturbed, in the order of the records' factors.
    pub perturbed: Vec<String>,
}

/// [`ReplicateRun`]'s JSON form: missing ranks as `null`.
#[derive(Serialize, Deserialize)]
struct ReplicateRunDocument {
    first: usize,
    records: Vec<ReplicateRecord>,
    ranks: Vec<Vec<Vec<Option<f64>>>>,
    perturbed: Vec<String>,
}

/// Every rank of a run (node, replicate, unit) mapped by `f`: NaN to JSON's null and back.
fn map_ranks<A, B>(ranks: Vec<Vec<Vec<A>>>, f: impl Fn(A) -> B + Copy) -> Vec<Vec<Vec<B>>> {
    ranks
        .into_iter()
        .map(|node| {
            node.into_iter()
                .map(|r| r.into_iter().map(f).collect())
                .collect()
        })
        .collect()
}

impl From<ReplicateRunDocument> for ReplicateRun {
    fn from(d: ReplicateRunDocument) -> Self {
        ReplicateRun {
            first: d.first,
            records: d.records,
            ranks: map_ranks(d.ranks, |v| v.unwrap_or(f64::NAN)),
            perturbed: d.perturbed,
        }
    }
}

impl From<ReplicateRun> for ReplicateRunDocument {
    fn from(run: ReplicateRun) -> Self {
        ReplicateRunDocument {
            first: run.first,
            records: run.records,
            ranks: map_ranks(run.ranks, |v| (!v.is_nan()).then_some(v)),
            perturbed: run.perturbed,
        }
    }
}

/// Runs the replicates `range` of the analysis `spec` describes (see [`ReplicateRun`]).
///
/// # Errors
/// As [`run_uncertainty`]; a range beyond the specification's replicates.
pub fn run_replicates(
    framework: &Framework,
    data: &Dataset,
    recipe: &Recipe,
    spec: &UncertaintySpec,
    range: std::ops::Range<usize>,
    progress: Progress<'_>,
) -> Result<ReplicateRun, Error> {
    Ok(replicates(framework, data, recipe, spec, range, progress)?.0)
}

/// Combines runs of replicates ([`run_replicates`]) into the analysis: they must cover the
/// specification's replicates exactly once, in any order.
///
/// # Errors
/// As [`run_uncertainty`]'s nominal run; runs that overlap, leave a gap, or were made for
/// other nodes ([`MethodError::InvalidParameter`]).
pub fn combine(
    framework: &Framework,
    data: &Dataset,
    recipe: &Recipe,
    spec: &UncertaintySpec,
    mut runs: Vec<ReplicateRun>,
) -> Result<Uncertainty, Error> {
    spec.validate()?;
    let units_only = crate::pipeline::without_aggregates(framework, data);
    let data = units_only.as_ref().unwrap_or(data);
    let nominal = crate::score(framework, data, recipe)?;
    let nodes = summarised_nodes(framework, spec, nominal.units().len())?;
    runs.sort_by_key(|r| r.first);
    let invalid = |reason: String| MethodError::InvalidParameter {
        method: "uncertainty runs",
        reason,
    };
    let mut next = 0;
    for run in &runs {
        if run.first != next {
            return Err(invalid(format!(
                "the runs must cover replicates 0 to {} once each: replicate {next} is {}",
                spec.replicates,
                if run.first > next {
                    "missing"
                } else {
                    "in two runs"
                }
            ))
            .into());
        }
        if run.ranks.len() != nodes.len() || run.ranks.iter().any(|r| r.len() != run.records.len())
        {
            return Err(invalid(format!(
                "the run from replicate {} holds ranks of other nodes than {}",
                run.first,
                nodes.join(", ")
            ))
            .into());
        }
        next += run.records.len();
    }
    if next != spec.replicates {
        return Err(invalid(format!(
            "the runs hold {next} replicates; the specification asks for {}",
            spec.replicates
        ))
        .into());
    }
    Ok(assemble(nominal, nodes, runs))
}

/// The analysis from the nominal scores and runs covering every replicate in order.
fn assemble(nominal: Scores, nodes: Vec<String>, runs: Vec<ReplicateRun>) -> Uncertainty {
    let perturbed = runs
        .first()
        .map(|r| r.perturbed.clone())
        .unwrap_or_default();
    let mut replicates = Vec::new();
    let mut ranks = vec![Vec::new(); nodes.len()];
    for run in runs {
        replicates.extend(run.records);
        for (all, theirs) in ranks.iter_mut().zip(run.ranks) {
            all.extend(theirs);
        }
    }
    let failed = replicates.iter().filter(|r| r.failure.is_some()).count();
    let summary = summarise(&nodes, &ranks, &nominal);
    Uncertainty {
        nominal,
        nodes,
        summary,
        ranks,
        perturbed,
        replicates,
        failed,
    }
}

/// The replicates `range`, with the nominal scores and the summarised nodes.
fn replicates(
    framework: &Framework,
    data: &Dataset,
    recipe: &Recipe,
    spec: &UncertaintySpec,
    range: std::ops::Range<usize>,
    progress: Progress<'_>,
) -> Result<(ReplicateRun, Scores, Vec<String>), Error> {
    spec.validate()?;
    if range.start > range.end || range.end > spec.replicates {
        return Err(MethodError::InvalidParameter {
            method: "uncertainty runs",
            reason: format!(
                "replicates {}..{} lie outside the specification's 0..{}",
                range.start, range.end, spec.replicates
            ),
        }
        .into());
    }
    let units_only = crate::pipeline::without_aggregates(framework, data);
    let data = units_only.as_ref().unwrap_or(data);
    let nominal = crate::score(framework, data, recipe)?;
    let nodes = summarised_nodes(framework, spec, nominal.units().len())?;
    let mut model = Model::new(framework, data, recipe, spec)?;
    model.align_to(nominal.units());
    let positions: Vec<usize> = nodes
        .iter()
        .filter_map(|id| framework.position(id))
        .collect();
    let d = model.inputs();
    let total = range.len();
    let done = AtomicUsize::new(0);
    let cancelled = AtomicBool::new(false);
    // Replicates go to workers in blocks, each block reusing one workspace; every replicate's
    // result depends only on its own stream, whatever the blocks.
    let blocks: Vec<std::ops::Range<usize>> = crate::parallel::blocks(total, REPLICATES_PER_TASK)
        .into_iter()
        .map(|b| b.start + range.start..b.end + range.start)
        .collect();
    let results = crate::parallel::map(&blocks, |block| {
        let mut work = Workspace::default();
        let mut out = Vec::with_capacity(block.len());
        for i in block.clone() {
            if cancelled.load(Ordering::Relaxed) {
                break;
            }
            let draw = model.draw(&uniforms(spec.seed, i, d.max(1)));
            let outcome = model
                .evaluate(&draw, &positions, true, &mut work)
                .and_then(|()| {
                    let up = model.upstream(&draw)?;
                    Ok(work
                        .nodes
                        .iter()
                        .zip(&work.log_means)
                        .map(|(s, &log_mean)| {
                            let mut r = vec![f64::NAN; s.len()];
                            let ties = recipe.rank.ties;
                            if log_mean {
                                work.ranker.rank_exp(s, Order::Descending, ties, &mut r);
                            } else {
                                work.ranker.rank(s, Order::Descending, ties, &mut r);
                            }
                            up.on_nominal_units(r)
                        })
                        .collect::<Vec<Vec<f64>>>())
                });
            let (ranks, failure) = match outcome {
                Ok(r) => (r, None),
                Err(e) => (Vec::new(), Some(e.to_string())),
            };
            out.push((model.record(draw, failure), ranks));
            let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
            if !progress(finished, total) {
                cancelled.store(true, Ordering::Relaxed);
            }
        }
        out
    });
    if cancelled.load(Ordering::Relaxed) {
        return Err(MethodError::Cancelled {
            completed: done.load(Ordering::Relaxed),
        }
        .into());
    }
    let n = nominal.units().len();
    let mut records = Vec::with_capacity(total);
    let mut ranks = vec![Vec::with_capacity(total); nodes.len()];
    for (record, r) in results.into_iter().flatten() {
        let mut r = r.into_iter();
        for node_ranks in &mut ranks {
            node_ranks.push(r.next().unwrap_or_else(|| vec![f64::NAN; n]));
        }
        records.push(record);
    }
    let run = ReplicateRun {
        first: range.start,
        records,
        ranks,
        perturbed: model
            .noisy
            .iter()
            .map(|&i| framework.nodes()[i].id.clone())
            .collect(),
    };
    Ok((run, nominal, nodes))
}

/// The levels and nodes whose weights a specification perturbs must be ones whose weights
/// count: a level the framework has below its top, a node it has with a parent. Anything else
/// would be ignored, giving intervals of width zero.
fn check_noise_targets(framework: &Framework, noise: &WeightNoise) -> Result<(), MethodError> {
    let invalid = |reason: String| MethodError::InvalidParameter {
        method: "uncertainty specification",
        reason,
    };
    let weighted = |i: usize| framework.parent_of(i).is_some();
    for &level in &noise.levels {
        if !(0..framework.len()).any(|i| weighted(i) && framework.level_of(i) == level) {
            return Err(invalid(format!(
                "weights.levels names level {level}, which has no weighted nodes (the framework's \
                 levels run from 1, the indicators, to {}, the top)",
                (0..framework.len())
                    .map(|i| framework.level_of(i))
                    .max()
                    .unwrap_or(1)
            )));
        }
    }
    for id in &noise.nodes {
        match framework.position(id) {
            None => {
                return Err(invalid(format!(
                    "weights.nodes names `{id}`, which is not a node"
                )));
            }
            Some(i) if !weighted(i) => {
                return Err(invalid(format!(
                    "weights.nodes names `{id}`, a top node, whose weight is not used"
                )));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The nodes whose ranks an uncertainty analysis summarises (the top nodes unless the
/// specification names some), refused if one is unknown or the ranks kept would pass
/// [`limits::MAX_KEPT`].
fn summarised_nodes(
    framework: &Framework,
    spec: &UncertaintySpec,
    units: usize,
) -> Result<Vec<String>, MethodError> {
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
        });
    }
    limits::check(
        "ranks kept, replicates × units × nodes,",
        limits::product(&[spec.replicates, units, nodes.len()]),
        limits::MAX_KEPT as u128,
    )?;
    Ok(nodes)
}

/// Replicates per parallel task: enough to amortise a workspace, few enough to balance cores.
pub(super) const REPLICATES_PER_TASK: usize = 16;
