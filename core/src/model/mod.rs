//! Fitted models: the data-dependent part of a recipe, separated from its application.
//!
//! [`fit`] takes from a population every parameter the data determine — what each preparation
//! step took ([`FittedStep`]: imputed centres, screened indicators, treatment caps and
//! transformations), each indicator's normalisation statistics ([`NormalisationFit`]: extremes,
//! mean and standard deviation, the reference values ranks compare against), the weights a
//! weighting rule derived from the data — and freezes them in a [`Model`], whose JSON form also
//! holds the framework and recipe it came from. [`Model::transform`] scores any units with it:
//!
//! - the population itself gets exactly [`score`](crate::score)'s bits (scores, ranks, bands);
//! - a new unit is prepared and normalised against the population (the normalisations' rules in
//!   [`NormalisationFit`]'s apply: extremes-based methods use the population's extremes, so a
//!   value beyond them falls outside [lo, hi]; rank-based ones the rank it would take among the
//!   population's values joined by it alone), aggregated with the population's weights, and
//!   banded. [`Model::place`] gives its rank among the population's scores.
//!
//! Where a full re-score with the new unit would give the same numbers: for methods that take
//! nothing from the data (goalposts — DESI —, categories, target bands, `none`) with
//! preparation that takes nothing either, always: its scores and its place are those of the
//! re-score. For min-max, distance to max or target and fraction of max, whenever its values lie
//! within the population's extremes; for a z-score or an imputed mean, only approximately (the
//! unit would move the mean); for rank-based normalisations, a re-score would shift the ranks
//! of the units below it by one, so its own rank is the same but the others' are not.
//!
//! The statistics are computed by [`summarise`] and merged ([`Summary::merge`]): the same code
//! whether the population is one partition or many, so a model fitted from 97 partitions has
//! the bits of one fitted on one machine.

mod summary;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use summary::{ColumnSummary, Summary, extremes_suffice, summarise};

use crate::dataset::Dataset;
use crate::error::{Error, ScoreError};
use crate::framework::{Framework, FrameworkDocument};
use crate::normalise::{NormalisationFit, apply_fitted};
use crate::pipeline;
use crate::prepare::{FittedStep, apply_fitted as prepare_with, prepare_fitted};
use crate::rank::TieRule;
use crate::recipe::Recipe;
use crate::scores::{Scores, Warning};

/// A recipe fitted on a population (see the module docs). Its JSON form is
/// `{"version": 1, "framework": …, "recipe": …, "population": n, "preparation": […],
/// "normalisation": {id: fit}, "weights": {id: w}, "reference": {node: [scores]}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// The format's version (1).
    pub version: u32,
    /// The framework the model was fitted for.
    pub framework: FrameworkDocument,
    /// The recipe, as given.
    pub recipe: Recipe,
    /// The units fitted on (aggregates such as the EU left out).
    pub population: usize,
    /// What each preparation step took from the population, in the recipe's order.
    pub preparation: Vec<FittedStep>,
    /// Each indicator's normalisation statistics (an indicator without values is absent).
    pub normalisation: BTreeMap<String, NormalisationFit>,
    /// The weights a weighting rule derived from the population, by node (empty without rules).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub weights: BTreeMap<String, f64>,
    /// Each aggregate node's population scores, descending (missing ones left out), to place
    /// new units among ([`Model::place`]); empty for a model built from summaries alone.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reference: BTreeMap<String, Vec<f64>>,
}

/// Fits `recipe` on the units of `data` (one period; aggregates left out): see the module docs.
///
/// # Errors
/// As [`score`](crate::score) on the same data; [`DataError::SeveralPeriods`](crate::DataError::SeveralPeriods) for a panel
/// (fit one period); a panel imputation.
pub fn fit(framework: &Framework, data: &Dataset, recipe: &Recipe) -> Result<Model, Error> {
    recipe.validate(framework)?;
    data.one_period()?;
    let units_only = pipeline::without_aggregates(framework, data);
    let population = units_only.as_ref().unwrap_or(data);
    if population.n_units() == 0 {
        return Err(ScoreError::NoUnits.into());
    }
    let (prepared, preparation) = prepare_fitted(framework, population, &recipe.prepare)?;
    let prepared = &prepared.data;
    let mut summary = summarise(framework, recipe, prepared, None)?;
    if summary.needs_squares() {
        summary = summarise(framework, recipe, prepared, Some(&summary.means()))?;
    }
    let mut model = from_summary(framework, recipe, &summary, preparation)?;
    model.population = population.n_units();
    let scores = pipeline::score(framework, population, recipe)?;
    if !recipe.weighting.is_empty() {
        for node in framework.nodes() {
            if let Some(w) = scores.weight(&node.id) {
                model.weights.insert(node.id.clone(), w);
            }
        }
    }
    for node in scores.nodes().iter().skip(scores.n_indicators) {
        if let Some(s) = scores.score(&node.id) {
            let mut present: Vec<f64> = s.iter().copied().filter(|v| !v.is_nan()).collect();
            present.sort_by(|a, b| b.total_cmp(a));
            model.reference.insert(node.id.clone(), present);
        }
    }
    Ok(model)
}

/// A model from a population's merged [`Summary`] (both passes, for a z-score) and its fitted
/// preparation: what [`fit`] builds, without the reference scores to place units among and
/// without data-derived weights (which need the whole population: fit those on one machine).
///
/// # Errors
/// An invalid recipe, a weighting rule, a degenerate column.
pub fn from_summary(
    framework: &Framework,
    recipe: &Recipe,
    summary: &Summary,
    preparation: Vec<FittedStep>,
) -> Result<Model, Error> {
    recipe.validate(framework)?;
    let mut normalisation = BTreeMap::new();
    for id in framework.indicator_ids() {
        if let Some(fit) = summary.fit_of(id, recipe.normalisation_of(id))? {
            normalisation.insert(id.to_owned(), fit);
        }
    }
    Ok(Model {
        version: 1,
        framework: framework.to_document(),
        recipe: recipe.clone(),
        population: summary.units,
        preparation,
        normalisation,
        weights: BTreeMap::new(),
        reference: BTreeMap::new(),
    })
}

impl Model {
    /// Reads a model's JSON form.
    ///
    /// # Errors
    /// Malformed JSON, an unknown version, or a framework or recipe that does not validate.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let model: Model =
            serde_json::from_str(text).map_err(|e| ScoreError::InvalidParameter {
                method: "model",
                reason: format!("not a cityindex model: {e}"),
            })?;
        if model.version != 1 {
            return Err(ScoreError::InvalidParameter {
                method: "model",
                reason: format!("model version {} (this cityindex reads 1)", model.version),
            }
            .into());
        }
        model.recipe.validate(&model.built_framework()?)?;
        Ok(model)
    }

    /// The JSON form (numbers in shortest round-trip form: reading it back gives the same bits).
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The framework, built from its document.
    ///
    /// # Errors
    /// A framework document that does not validate.
    pub fn built_framework(&self) -> Result<Framework, Error> {
        Ok(Framework::try_from(self.framework.clone())?)
    }

    /// The recipe the model applies: the given one, with the data-derived weights frozen.
    #[must_use]
    pub fn applied_recipe(&self) -> Recipe {
        let mut recipe = self.recipe.clone();
        if !self.weights.is_empty() {
            recipe.weighting.clear();
            recipe.weights.extend(self.weights.clone());
        }
        recipe
    }

    /// Scores the units of `data` (one period) with the model: prepared with the fitted steps,
    /// normalised with the fitted statistics, aggregated with the fitted weights, banded and
    /// ranked among themselves. The population itself gets [`score`](crate::score)'s bits.
    ///
    /// # Errors
    /// A missing column, a value a fitted transformation cannot take, a degenerate fit, the
    /// numeric-safety rules; [`DataError::SeveralPeriods`](crate::DataError::SeveralPeriods).
    pub fn transform(&self, data: &Dataset) -> Result<Scores, Error> {
        data.one_period()?;
        let framework = self.built_framework()?;
        let recipe = self.applied_recipe();
        let mut prepared = prepare_with(&framework, data, &self.preparation)?;
        let n = prepared.n_units();
        if n == 0 {
            return Err(ScoreError::NoUnits.into());
        }
        let named = &framework.info().aggregate_units;
        if prepared.units().iter().any(|u| named.contains(&u.id)) {
            let units: Vec<_> = prepared
                .units()
                .iter()
                .map(|u| {
                    let mut u = u.clone();
                    u.aggregate |= named.contains(&u.id);
                    u
                })
                .collect();
            prepared.units = units.into();
        }
        let nodes = framework.nodes();
        let mut normalised = vec![f64::NAN; n * framework.indicator_positions().len()];
        let mut warnings = Vec::new();
        for (j, &i) in framework.indicator_positions().iter().enumerate() {
            let id = &nodes[i].id;
            let x = prepared
                .column(id)
                .ok_or_else(|| ScoreError::MissingColumn {
                    indicator: id.clone(),
                })?;
            let (Some(meta), Some(fit)) = (nodes[i].as_indicator(), self.normalisation.get(id))
            else {
                warnings.push(Warning::EmptyIndicator {
                    indicator: id.clone(),
                });
                continue;
            };
            let method = recipe.normalisation_of(id);
            warnings.extend(pipeline::indicator_warnings(
                method,
                id,
                meta,
                prepared.units(),
                x,
            ));
            let out = &mut normalised[j * n..(j + 1) * n];
            apply_fitted(method, fit, id, meta, prepared.units(), x, out)?;
        }
        pipeline::score_normalised(&framework, &prepared, &recipe, &normalised, warnings)
    }

    /// The rank each of `scores` (of `node`) would take among the population's scores joined
    /// by it alone, by the recipe's tie rule: with k population scores above it and e equal,
    /// `min` k + 1, `max` and `first` (it comes last) k + e + 1, `average` k + 1 + e/2, `dense`
    /// one more than the distinct scores above it. Missing for a missing score; `None` for a
    /// node without reference scores.
    #[must_use]
    pub fn place(&self, node: &str, scores: &[f64]) -> Option<Vec<f64>> {
        let reference = self.reference.get(node)?;
        let ties = self.recipe.rank.ties;
        Some(
            scores
                .iter()
                .map(|&s| {
                    if s.is_nan() {
                        return f64::NAN;
                    }
                    let above = reference.partition_point(|&r| r > s);
                    let equal = reference[above..].partition_point(|&r| r == s);
                    match ties {
                        TieRule::Min => (above + 1) as f64,
                        TieRule::Max | TieRule::First => (above + equal + 1) as f64,
                        TieRule::Average => (above + 1) as f64 + equal as f64 / 2.0,
                        TieRule::Dense => {
                            let distinct = reference[..above]
                                .windows(2)
                                .filter(|w| w[0] != w[1])
                                .count()
                                + usize::from(above > 0);
                            (distinct + 1) as f64
                        }
                    }
                })
                .collect(),
        )
    }
}
