//! The pipeline: framework + data set + recipe → [`Scores`].
//!
//! Stages run in a fixed order: match data columns to indicators, normalise each indicator,
//! aggregate level by level from the indicators up, band the chosen nodes. Ranks follow on
//! demand ([`Scores::rank`]).

use std::collections::HashSet;
use std::sync::OnceLock;

mod aggregates;
mod plan;

pub use aggregates::without_aggregates;
pub use plan::Plan;
pub(crate) use plan::{
    Aggregated, IndicatorColumns, IndicatorLogs, Indicators, Perturbation, PerturbedSlots,
};

use crate::dataset::Dataset;
use crate::error::{Error, ScoreError};
use crate::framework::Framework;
use crate::normalise::append_column;
use crate::prepare::{StepReport, prepare};
use crate::recipe::{PanelBounds, Recipe};
use crate::scores::{BandColumns, ScoredNode, Scores, Warning};

/// Scores every node of `framework` for every unit of `data` as `recipe` says.
///
/// The recipe's preparation steps run first ([`prepare`]), then normalisation, aggregation and
/// banding. Data columns are matched to indicators by id. A numeric column that no indicator
/// claims and the framework does not declare (as a group, denominator or other column) is
/// ignored and reported in [`Scores::warnings`].
///
/// # Errors
/// - [`ScoreError::NoUnits`] (also when screening removes every unit),
///   [`DataError::SeveralPeriods`](crate::DataError::SeveralPeriods) (use [`score_panel`]), [`ScoreError::MissingColumn`];
/// - invalid recipe parameters or ids ([`Recipe::validate`]), sibling weights summing to zero;
/// - preparation errors (missing denominators or group columns, panel-only imputation);
/// - normalisation errors (degenerate columns, missing goalposts or target, values off scale);
/// - aggregation domain errors (a geometric or harmonic mean over a value ≤ 0).
pub fn score(framework: &Framework, data: &Dataset, recipe: &Recipe) -> Result<Scores, Error> {
    recipe.validate(framework)?;
    data.one_period()?;
    let aggregates = aggregates::aggregate_rows(framework, data);
    if !aggregates.is_empty() {
        return score_with_aggregates(framework, data, recipe, &aggregates);
    }
    if recipe.prepare.is_empty() {
        // Nothing to prepare: score the data as given, without a copy.
        return score_prepared(framework, data, recipe, None, Vec::new(), Vec::new());
    }
    let prepared = prepare(framework, data, &recipe.prepare)?;
    score_prepared(
        framework,
        &prepared.data,
        recipe,
        None,
        prepared.reports,
        Vec::new(),
    )
}

/// [`score`] of data holding aggregates (the rows `aggregates`): the units as without them, the
/// aggregates placed against the units (see the `aggregates` module), unranked.
fn score_with_aggregates(
    framework: &Framework,
    data: &Dataset,
    recipe: &Recipe,
    aggregates: &[usize],
) -> Result<Scores, Error> {
    aggregates::refuse_comparisons(framework, recipe, &data.units()[aggregates[0]].id)?;
    let units = aggregates::unit_rows(data, aggregates);
    if units.is_empty() {
        return Err(ScoreError::NoUnits.into());
    }
    let population = data.select_rows(&units);
    let (population, reports) = if recipe.prepare.is_empty() {
        (population, Vec::new())
    } else {
        let prepared = prepare(framework, &population, &recipe.prepare)?;
        (prepared.data, prepared.reports)
    };
    let placed = data.select_rows(aggregates);
    let rows = aggregates::interleave(data, aggregates, &population);
    let combined = aggregates::combined(&population, &placed, &rows)?;
    let (own, warnings) = normalised_indicators(framework, &population, recipe)?;
    let own = (own.as_slice(), population.n_units());
    let normalised = aggregates::normalised(framework, &population, own, &placed, &rows, recipe)?;
    score_prepared(
        framework,
        &combined,
        recipe,
        Some(&normalised),
        reports,
        warnings,
    )
}

/// Scores of every period of a panel, with the preparation record.
#[derive(Debug, Clone)]
pub struct PanelScores {
    /// The periods, ascending.
    pub periods: Vec<i64>,
    /// The scores of each period, in the same order.
    pub scores: Vec<Scores>,
    /// What each preparation step did (on the whole panel).
    pub preparation: Vec<StepReport>,
}

/// How a unit's score moved between two periods.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trend {
    /// The score in the first period.
    pub start: f64,
    /// The score in the last period.
    pub end: f64,
    /// end − start.
    pub change: f64,
    /// Compound annual growth rate (end/start)^(1/(t₁ − t₀)) − 1, per period unit, by
    /// [`trend::cagr`](crate::trend::cagr): 0 when the scores are equal, missing from a start
    /// at 0 or across a change of sign.
    pub cagr: f64,
    /// The rank in the first period (missing for an aggregate).
    pub rank_start: f64,
    /// The rank in the last period.
    pub rank_end: f64,
}

impl Trend {
    /// Places gained: `rank_start − rank_end` (positive = moved up the ranking).
    #[must_use]
    pub fn rank_change(&self) -> f64 {
        self.rank_start - self.rank_end
    }
}

impl PanelScores {
    /// The scores of one period.
    #[must_use]
    pub fn period(&self, period: i64) -> Option<&Scores> {
        let k = self.periods.iter().position(|&p| p == period)?;
        Some(&self.scores[k])
    }

    /// Change, compound annual growth rate and ranks of `node` for every unit scored in both
    /// periods, in the order of the units of period `from`. CAGR = (end/start)^(1/(to − from)) − 1, with
    /// `pow` from `libm` (COINr's `CAGR` of the two periods; [`PanelScores::trends`] for COINr's
    /// `get_trends` over every period).
    #[must_use]
    pub fn trend(&self, node: &str, from: i64, to: i64) -> Option<Vec<(String, Trend)>> {
        let (a, b) = (self.period(from)?, self.period(to)?);
        let (sa, sb) = (a.score(node)?, b.score(node)?);
        let (ra, rb) = (a.rank(node)?, b.rank(node)?);
        Some(
            a.units()
                .iter()
                .enumerate()
                .filter_map(|(r, unit)| {
                    let q = b.units().iter().position(|u| u.id == unit.id)?;
                    let (start, end) = (sa[r], sb[q]);
                    let cagr = crate::trend::cagr(
                        &[from, to],
                        &[start, end],
                        crate::trend::FromZero::Missing,
                    );
                    Some((
                        unit.id.clone(),
                        Trend {
                            start,
                            end,
                            change: end - start,
                            cagr,
                            rank_start: ra[r],
                            rank_end: rb[q],
                        },
                    ))
                })
                .collect(),
        )
    }
}

impl PanelScores {
    /// COINr's `get_trends(purse, dset, f_trend)` for one node: each unit's trend over every
    /// period it was scored in, by `metric` from its first to its last observed score (see
    /// [`trend`](crate::trend)), in the order units first appear. `None` for an unknown node.
    #[must_use]
    pub fn trends(
        &self,
        node: &str,
        metric: crate::trend::TrendMetric,
        from_zero: crate::trend::FromZero,
    ) -> Option<Vec<(String, f64)>> {
        let mut series: Vec<(String, Vec<i64>, Vec<f64>)> = Vec::new();
        // Looked up, never iterated: the order is the units' first appearance.
        let mut position = std::collections::HashMap::new();
        for (&period, scores) in self.periods.iter().zip(&self.scores) {
            let values = scores.score(node)?;
            for (unit, &value) in scores.units().iter().zip(values) {
                let at = *position.entry(unit.id.clone()).or_insert_with(|| {
                    series.push((unit.id.clone(), Vec::new(), Vec::new()));
                    series.len() - 1
                });
                series[at].1.push(period);
                series[at].2.push(value);
            }
        }
        Some(
            series
                .into_iter()
                .map(|(unit, periods, values)| (unit, metric.of(&periods, &values, from_zero)))
                .collect(),
        )
    }
}

/// Scores each period of a panel (a data set with a period column). The preparation steps run
/// on the whole panel (cross-sectional ones within each period); normalisation takes its
/// statistics per period or over all periods ([`PanelBounds`]); aggregation, ranks and bands
/// are per period.
///
/// # Errors
/// As [`score`], for any period.
pub fn score_panel(
    framework: &Framework,
    data: &Dataset,
    recipe: &Recipe,
) -> Result<PanelScores, Error> {
    recipe.validate(framework)?;
    let aggregates = aggregates::aggregate_rows(framework, data);
    if !aggregates.is_empty() {
        return score_panel_with_aggregates(framework, data, recipe, &aggregates);
    }
    let prepared = prepare(framework, data, &recipe.prepare)?;
    let data = &prepared.data;
    let pooled = match recipe.normalise.panel_bounds {
        PanelBounds::EachPeriod => None,
        PanelBounds::AllPeriods => Some(normalised_indicators(framework, data, recipe)?),
    };
    let n = data.n_units();
    let mut periods = Vec::new();
    let mut scores = Vec::new();
    for (period, rows) in data.period_rows() {
        let mut one = data.select_rows(&rows);
        one.periods = None;
        let slice: Option<Vec<f64>> = pooled.as_ref().map(|(p, _)| {
            p.chunks_exact(n)
                .flat_map(|col| rows.iter().map(|&r| col[r]))
                .collect()
        });
        scores.push(score_prepared(
            framework,
            &one,
            recipe,
            slice.as_deref(),
            Vec::new(),
            Vec::new(),
        )?);
        periods.push(period.unwrap_or_default());
    }
    Ok(PanelScores {
        periods,
        scores,
        preparation: prepared.reports,
    })
}

/// [`score_panel`] of data holding aggregates: each period as [`score`] scores one with
/// aggregates, the population prepared (and, for [`PanelBounds::AllPeriods`], normalised)
/// over every period.
fn score_panel_with_aggregates(
    framework: &Framework,
    data: &Dataset,
    recipe: &Recipe,
    aggregates: &[usize],
) -> Result<PanelScores, Error> {
    aggregates::refuse_comparisons(framework, recipe, &data.units()[aggregates[0]].id)?;
    let units = aggregates::unit_rows(data, aggregates);
    let prepared = prepare(framework, &data.select_rows(&units), &recipe.prepare)?;
    let population = &prepared.data;
    let pooled = match recipe.normalise.panel_bounds {
        PanelBounds::EachPeriod => None,
        PanelBounds::AllPeriods => Some(normalised_indicators(framework, population, recipe)?),
    };
    let n = population.n_units();
    let mut periods = Vec::new();
    let mut scores = Vec::new();
    for (period, rows) in population.period_rows() {
        let mut own = population.select_rows(&rows);
        own.periods = None;
        // The data of this period, and its aggregates' rows within it.
        let in_period: Vec<usize> = (0..data.n_units())
            .filter(|&r| data.periods().map(|p| p[r]) == period)
            .collect();
        let mut whole = data.select_rows(&in_period);
        whole.periods = None;
        let theirs: Vec<usize> = (0..in_period.len())
            .filter(|&k| aggregates.contains(&in_period[k]))
            .collect();
        let placed = whole.select_rows(&theirs);
        let order = aggregates::interleave(&whole, &theirs, &own);
        let combined = aggregates::combined(&own, &placed, &order)?;
        let (normalised, warnings) = if let Some((all, warnings)) = &pooled {
            let slice: Vec<f64> = all
                .chunks_exact(n)
                .flat_map(|col| rows.iter().map(|&r| col[r]))
                .collect();
            let own_columns = (slice.as_slice(), rows.len());
            let values = aggregates::normalised(
                framework,
                population,
                own_columns,
                &placed,
                &order,
                recipe,
            )?;
            (values, warnings.clone())
        } else {
            let (values, warnings) = normalised_indicators(framework, &own, recipe)?;
            let own_columns = (values.as_slice(), own.n_units());
            let values =
                aggregates::normalised(framework, &own, own_columns, &placed, &order, recipe)?;
            (values, warnings)
        };
        scores.push(score_prepared(
            framework,
            &combined,
            recipe,
            Some(&normalised),
            Vec::new(),
            warnings,
        )?);
        periods.push(period.unwrap_or_default());
    }
    Ok(PanelScores {
        periods,
        scores,
        preparation: prepared.reports,
    })
}

/// The normalised indicator columns of `data` (all rows pooled), column-major, with the
/// warnings of normalisation.
pub(crate) fn normalised_indicators(
    framework: &Framework,
    data: &Dataset,
    recipe: &Recipe,
) -> Result<(Vec<f64>, Vec<Warning>), Error> {
    let n_ind = framework.indicator_positions().len();
    let mut run = Run {
        framework,
        data,
        recipe,
        score: Vec::with_capacity(data.n_units() * n_ind),
        missing: vec![f64::NAN; data.n_units()],
        warnings: Vec::new(),
    };
    run.normalise(None)?;
    run.grow_to(n_ind);
    Ok((run.score, run.warnings))
}

/// Normalises (unless given pre-normalised indicator columns, with the `warnings` of their
/// normalisation), aggregates and bands prepared data.
pub(crate) fn score_prepared(
    framework: &Framework,
    data: &Dataset,
    recipe: &Recipe,
    normalised: Option<&[f64]>,
    preparation: Vec<StepReport>,
    warnings: Vec<Warning>,
) -> Result<Scores, Error> {
    let n = data.n_units();
    if n == 0 {
        return Err(ScoreError::NoUnits.into());
    }
    let plan = Plan::new(framework, recipe);
    let columns = plan.order().len();
    let mut run = Run {
        framework,
        data,
        recipe,
        score: Vec::with_capacity(n * columns),
        missing: vec![f64::NAN; n],
        warnings: unclaimed_columns(framework, data),
    };
    run.warnings.extend(warnings);
    run.normalise(normalised)?;
    run.grow_to(plan.indicators());
    let mut aggregated = Aggregated::default();
    let indicators = Indicators {
        columns: IndicatorColumns::InOutput,
        units: data.units(),
        logs: None,
        excluded: None,
    };
    plan.aggregate(&indicators, None, false, &mut run.score, &mut aggregated)?;
    let (band_labels, bands) = run.bands(&plan);
    let nodes = framework.nodes();
    Ok(Scores {
        units: std::sync::Arc::clone(&data.units),
        nodes: plan
            .order()
            .iter()
            .map(|&i| ScoredNode {
                id: nodes[i].id.clone(),
                name: nodes[i].name.clone(),
                level: framework.level_of(i),
            })
            .collect(),
        n_indicators: plan.indicators(),
        score: run.score,
        weights: plan.weights_by_column(framework, &aggregated.weights),
        ties: recipe.rank.ties,
        rank: (0..columns).map(|_| OnceLock::new()).collect(),
        leaves: plan.leaves(framework),
        coverage: (0..columns).map(|_| OnceLock::new()).collect(),
        band_labels,
        bands,
        warnings: run.warnings,
        preparation,
    })
}

struct Run<'a> {
    framework: &'a Framework,
    data: &'a Dataset<'a>,
    recipe: &'a Recipe,
    score: Vec<f64>,
    /// One column of missing values, copied into each new column of `score`.
    missing: Vec<f64>,
    warnings: Vec<Warning>,
}

impl Run<'_> {
    /// Grows the score matrix to `columns` columns, the new ones missing. Each column starts so
    /// just before it is computed (filling the whole matrix first would send it through memory
    /// twice), copied from `missing`: one memory copy, where WebAssembly runs a fill loop
    /// element by element.
    fn grow_to(&mut self, columns: usize) {
        while self.score.len() < columns * self.missing.len() {
            self.score.extend_from_slice(&self.missing);
        }
    }

    /// Fills the indicator columns: copied from `given` (pre-normalised, column-major), or
    /// normalised from the data.
    fn normalise(&mut self, given: Option<&[f64]>) -> Result<(), Error> {
        let n = self.data.n_units();
        if let Some(given) = given {
            self.score.extend_from_slice(given);
            return Ok(());
        }
        let nodes = self.framework.nodes();
        for (j, &i) in self.framework.indicator_positions().iter().enumerate() {
            let id = &nodes[i].id;
            let column =
                self.data
                    .column_position(id)
                    .ok_or_else(|| ScoreError::MissingColumn {
                        indicator: id.clone(),
                    })?;
            let x = self.data.column_at(column);
            let meta = match nodes[i].as_indicator() {
                Some(meta) if !x.iter().all(|v| v.is_nan()) => meta,
                meta => {
                    if meta.is_some() {
                        self.warnings.push(Warning::EmptyIndicator {
                            indicator: id.clone(),
                        });
                    }
                    self.grow_to(j + 1);
                    continue;
                }
            };
            let method = self.recipe.normalisation_of(id);
            let units = self.data.units();
            self.warnings
                .extend(indicator_warnings(method, id, meta, units, x));
            let extremes = || self.data.column_extremes(column);
            append_column(
                method,
                id,
                meta,
                units,
                x,
                extremes,
                &self.missing,
                &mut self.score,
            )?;
        }
        debug_assert_eq!(
            self.score.len(),
            n * self.framework.indicator_positions().len()
        );
        Ok(())
    }

    /// The band labels, and for each banded node its column and each unit's band.
    fn bands(&self, plan: &Plan) -> (Vec<String>, BandColumns) {
        let Some(banding) = &self.recipe.banding else {
            return (Vec::new(), Vec::new());
        };
        let n = self.data.n_units();
        let targets: Vec<usize> = if banding.nodes.is_empty() {
            self.framework.roots()
        } else {
            banding
                .nodes
                .iter()
                .filter_map(|id| self.framework.position(id))
                .collect()
        };
        let bands = targets
            .into_iter()
            .map(|i| {
                let j = plan.column(i);
                let b = self.score[j * n..(j + 1) * n]
                    .iter()
                    .map(|&s| banding.band_of(s))
                    .collect();
                (j, b)
            })
            .collect();
        let labels = banding.bands.iter().map(|b| b.label.clone()).collect();
        (labels, bands)
    }
}

/// What normalising indicator `id`'s column `x` by `method` warns of: no target for target
/// bands, values outside the goalposts.
pub(crate) fn indicator_warnings(
    method: &crate::normalise::Normalisation,
    id: &str,
    meta: &crate::framework::Indicator,
    units: &[crate::dataset::Unit],
    x: &[f64],
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if method.lacks_target(meta) {
        warnings.push(Warning::NoTarget {
            indicator: id.to_owned(),
        });
    }
    if let Some((count, first, min, max, clamped)) =
        crate::normalise::outside_goalposts(method, meta, x)
    {
        warnings.push(Warning::OutsideGoalposts {
            indicator: id.to_owned(),
            count,
            unit: units[first].id.clone(),
            value: x[first],
            min,
            max,
            clamped,
        });
    }
    warnings
}

/// Aggregates, bands and ranks prepared `data` whose indicators are already normalised
/// (`normalised`, column-major), with the `warnings` of their normalisation: how a fitted model
/// scores.
pub(crate) fn score_normalised(
    framework: &Framework,
    data: &Dataset,
    recipe: &Recipe,
    normalised: &[f64],
    warnings: Vec<Warning>,
) -> Result<Scores, Error> {
    score_prepared(
        framework,
        data,
        recipe,
        Some(normalised),
        Vec::new(),
        warnings,
    )
}

fn unclaimed_columns(framework: &Framework, data: &Dataset) -> Vec<Warning> {
    let claimed: HashSet<&str> = framework
        .indicator_ids()
        .chain(framework.data_columns().iter().map(|c| c.id.as_str()))
        .collect();
    data.column_ids()
        .iter()
        .filter(|c| !claimed.contains(c.as_str()))
        .map(|c| Warning::UnclaimedColumn { column: c.clone() })
        .collect()
}
