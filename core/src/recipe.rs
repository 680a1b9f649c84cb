//! The recipe: every method choice of a scoring run, as plain serialisable data.
//!
//! The same JSON means the same thing in Rust, Python and JavaScript. Every field has a default
//! matching COINr's (`qNormalise` min-max 0–100, `Aggregate` weighted arithmetic mean, ranks with
//! ties "min"), so `{}` is a complete recipe:
//!
//! ```json
//! {
//!   "normalise": {"default": {"method": "min_max", "lo": 0, "hi": 100},
//!                 "indicators": {"2a3": {"method": "rank"}}},
//!   "weights": {"HC": 2},
//!   "aggregate": {"default": {"method": "arithmetic_mean"},
//!                 "levels": {"3": {"method": "geometric_mean"}},
//!                 "nodes": {"Index": {"method": "copeland"}},
//!                 "availability_threshold": 0.5},
//!   "rank": {"ties": "min"},
//!   "banding": {"bands": [{"label": "high", "min": 50}, {"label": "low"}]}
//! }
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::aggregate::Aggregation;
use crate::band::Banding;
use crate::error::{Error, ScoreError};
use crate::framework::Framework;
use crate::json::Invalid;
use crate::normalise::Normalisation;
use crate::prepare::Step;
use crate::rank::TieRule;
use crate::weight::{Weighting, WeightingRule};

/// A complete description of how to score a framework.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Recipe {
    /// Data preparation steps, run in this order before normalising.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prepare: Vec<Step>,
    /// How indicators are normalised.
    pub normalise: NormaliseStage,
    /// Weights overriding the framework's, by node id (they win over weighting rules).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub weights: BTreeMap<String, f64>,
    /// Rules deriving the weights of nodes' children from the data or from judgements.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub weighting: Vec<WeightingRule>,
    /// How aggregates are computed.
    pub aggregate: AggregateStage,
    /// How units are ranked.
    pub rank: RankStage,
    /// Optional banding of scores into named levels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub banding: Option<Banding>,
}

/// Normalisation for all indicators, with per-indicator overrides.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NormaliseStage {
    /// The method for every indicator without an override.
    pub default: Normalisation,
    /// Overrides by indicator id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub indicators: BTreeMap<String, Normalisation>,
    /// For panels: take the statistics of each normalisation (min, max, mean, ranks…) over each
    /// period separately, or over all periods together (COINr's `global = TRUE` for purses).
    #[serde(skip_serializing_if = "is_default")]
    pub panel_bounds: PanelBounds,
}

/// Where a panel's normalisation statistics come from.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelBounds {
    /// Each period is normalised on its own.
    #[default]
    EachPeriod,
    /// All periods are normalised together, so scores are comparable over time.
    AllPeriods,
}

fn is_default<T: Default + PartialEq>(x: &T) -> bool {
    *x == T::default()
}

/// Aggregation for all aggregates, with per-level and per-node overrides (a node's own override
/// wins over its level's).
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AggregateStage {
    /// The method for every aggregate without an override.
    pub default: Aggregation,
    /// Overrides by level (2 = the level above the indicators).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub levels: BTreeMap<u32, Aggregation>,
    /// Overrides by node id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub nodes: BTreeMap<String, Aggregation>,
    /// A unit whose share of present children is below this (in [0, 1]) gets a missing score
    /// (COINr's `dat_thresh`); `None` keeps every unit with at least one child present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_threshold: Option<f64>,
}

/// Ranking options.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RankStage {
    /// How ties share ranks.
    pub ties: TieRule,
}

impl Recipe {
    /// Parses the JSON form.
    ///
    /// # Errors
    /// [`MethodError::UnknownChoice`](crate::MethodError::UnknownChoice) for a name a field does not accept (a misspelt method),
    /// naming the field and the valid names; otherwise [`ScoreError::Json`] with serde's
    /// message (an unknown field, a value of the wrong type) and the path of the field.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        crate::json::parse(text).map_err(|invalid| match invalid {
            Invalid::Choice(e) => e.into(),
            Invalid::Text(text) => ScoreError::Json(text).into(),
        })
    }

    /// The JSON form, pretty-printed.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The normalisation of an indicator.
    #[must_use]
    pub fn normalisation_of(&self, indicator: &str) -> &Normalisation {
        self.normalise
            .indicators
            .get(indicator)
            .unwrap_or(&self.normalise.default)
    }

    /// The weighting rule for the children of a node at a level, if any.
    #[must_use]
    pub fn weighting_of(&self, node: &str, level: u32) -> Option<&Weighting> {
        let rules = &self.weighting;
        rules
            .iter()
            .find(|r| r.nodes.iter().any(|n| n == node))
            .or_else(|| rules.iter().find(|r| r.levels.contains(&level)))
            .map(|r| &r.weighting)
    }

    /// The aggregation of a node at a level.
    #[must_use]
    pub fn aggregation_of(&self, node: &str, level: u32) -> Aggregation {
        let stage = &self.aggregate;
        *stage
            .nodes
            .get(node)
            .or_else(|| stage.levels.get(&level))
            .unwrap_or(&stage.default)
    }

    /// Checks every parameter and that every id the recipe names is in the framework.
    ///
    /// # Errors
    /// [`ScoreError::InvalidParameter`] or [`ScoreError::UnknownId`].
    pub fn validate(&self, framework: &Framework) -> Result<(), ScoreError> {
        self.normalise.default.validate()?;
        for (id, method) in &self.normalise.indicators {
            if framework.node(id).and_then(|n| n.as_indicator()).is_none() {
                return Err(unknown(id, "normalisation overrides", "an indicator"));
            }
            method.validate()?;
        }
        for (id, &w) in &self.weights {
            if framework.node(id).is_none() {
                return Err(unknown(id, "weights", "a node"));
            }
            if !w.is_finite() || w < 0.0 {
                return Err(ScoreError::InvalidParameter {
                    method: "weights",
                    reason: format!("the weight of `{id}` ({w}) must be finite and non-negative"),
                });
            }
        }
        for rule in &self.weighting {
            for id in &rule.nodes {
                match framework.position(id) {
                    Some(i) if !framework.children_of(i).is_empty() => {}
                    _ => return Err(unknown(id, "weighting rules", "an aggregate")),
                }
            }
            if let Some(&level) = rule
                .levels
                .iter()
                .find(|&&l| l < 2 || l > framework.max_level())
            {
                return Err(unknown(
                    &level.to_string(),
                    "weighting rules",
                    "an aggregate level",
                ));
            }
        }
        let stage = &self.aggregate;
        stage.default.validate()?;
        for (&level, method) in &stage.levels {
            if level < 2 || level > framework.max_level() {
                return Err(unknown(
                    &level.to_string(),
                    "aggregation levels",
                    "an aggregate level",
                ));
            }
            method.validate()?;
        }
        for (id, method) in &stage.nodes {
            match framework.position(id) {
                Some(i) if !framework.children_of(i).is_empty() => method.validate()?,
                _ => return Err(unknown(id, "aggregation overrides", "an aggregate")),
            }
        }
        if let Some(t) = stage.availability_threshold
            && !(0.0..=1.0).contains(&t)
        {
            return Err(ScoreError::InvalidParameter {
                method: "availability threshold",
                reason: format!("{t} is not between 0 and 1"),
            });
        }
        if let Some(banding) = &self.banding {
            banding.validate()?;
            for id in &banding.nodes {
                if framework.node(id).is_none() {
                    return Err(unknown(id, "banding", "a node"));
                }
            }
        }
        Ok(())
    }
}

fn unknown(id: &str, context: &'static str, expected: &'static str) -> ScoreError {
    ScoreError::UnknownId {
        id: id.to_owned(),
        context,
        expected,
    }
}
