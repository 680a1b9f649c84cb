//! One call that runs the usual checks of a scored index (OECD/JRC Handbook, step 4), for the
//! bindings, the command-line tool and the report: each is computed by the functions of this
//! module's siblings, which are tested against COINr.

use serde::{Deserialize, Serialize};

use super::stats::{IndicatorStats, StatsThresholds, indicator_stats};
use super::structure::{Standing, effective_weights, strengths_and_weaknesses};
use crate::dataset::Dataset;
use crate::error::MethodError;
use crate::framework::Framework;
use crate::scores::Scores;
use crate::stats::{CorrelationMethod, Pca, correlation_matrix, cronbach_alpha, pca};

/// What [`analyse`] computes and how.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalysisOptions {
    /// The coefficient of the correlation matrix (Pearson).
    pub correlation: CorrelationMethod,
    /// Thresholds of the statistics' flags (COINr's defaults).
    pub thresholds: StatsThresholds,
    /// How many strengths to list per unit (3, as COINr's `get_str_weak`).
    pub strengths: usize,
    /// How many weaknesses to list per unit (3).
    pub weaknesses: usize,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            correlation: CorrelationMethod::default(),
            thresholds: StatsThresholds::default(),
            strengths: 3,
            weaknesses: 3,
        }
    }
}

impl AnalysisOptions {
    /// Reads options from JSON (missing keys take their defaults).
    ///
    /// # Errors
    /// Malformed JSON, an unknown key or an unknown correlation method.
    pub fn from_json(text: &str) -> Result<Self, MethodError> {
        crate::json::parse(text).map_err(|invalid| match invalid {
            crate::json::Invalid::Choice(e) => e,
            crate::json::Invalid::Text(reason) => MethodError::InvalidParameter {
                method: "analysis options",
                reason,
            },
        })
    }
}

/// A correlation matrix with its variables.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correlations {
    /// The coefficient.
    pub method: CorrelationMethod,
    /// The variables, in framework order.
    pub nodes: Vec<String>,
    /// `values[i][j]`: the coefficient of `nodes[i]` and `nodes[j]` (pairwise complete).
    pub values: Vec<Vec<f64>>,
}

/// Cronbach's α of an aggregate's children.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupConsistency {
    /// The aggregate.
    pub node: String,
    /// α over its children's scores (`NaN` with fewer than two children or complete rows).
    pub alpha: f64,
}

/// A principal component analysis with its variables.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorPca {
    /// The variables (indicators), in framework order.
    pub nodes: Vec<String>,
    /// The components (see [`Pca`]).
    #[serde(flatten)]
    pub pca: Pca,
}

/// One unit's strengths and weaknesses.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitStandings {
    /// The unit.
    pub unit: String,
    /// Its best-ranked indicators, best first.
    pub strengths: Vec<Standing>,
    /// Its worst-ranked indicators, worst last.
    pub weaknesses: Vec<Standing>,
}

/// The analysis of a scored index.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Statistics of each indicator's data as given ([`indicator_stats`]).
    pub statistics: Vec<IndicatorStats>,
    /// Correlations of the normalised indicators ([`correlation_matrix`]); linear normalisations
    /// leave Pearson's r unchanged, and every normalisation leaves Spearman's and Kendall's.
    pub correlations: Correlations,
    /// Cronbach's α of each aggregate's children ([`cronbach_alpha`]).
    pub consistency: Vec<GroupConsistency>,
    /// PCA of the normalised indicators over the units with every indicator ([`pca`]); `None`
    /// with fewer than two such units or a constant indicator.
    pub pca: Option<IndicatorPca>,
    /// Each node's effective weight in the index ([`effective_weights`]) as scored.
    pub effective_weights: Vec<(String, f64)>,
    /// Each unit's strengths and weaknesses in the data as given, direction-adjusted
    /// ([`strengths_and_weaknesses`]).
    pub standings: Vec<UnitStandings>,
}

/// Analyses `scores`, the result of scoring `data` with `framework`.
#[must_use]
pub fn analyse(
    framework: &Framework,
    data: &Dataset,
    scores: &Scores,
    options: AnalysisOptions,
) -> Analysis {
    let nodes = framework.nodes();
    let indicators: Vec<&str> = framework.indicator_ids().collect();
    let raw: Vec<(&str, &[f64])> = indicators
        .iter()
        .filter_map(|&id| data.column(id).map(|c| (id, c)))
        .collect();
    let raw_ids: Vec<&str> = raw.iter().map(|(id, _)| *id).collect();
    let raw_columns: Vec<&[f64]> = raw.iter().map(|(_, c)| *c).collect();

    let scored: Vec<(&str, &[f64])> = indicators
        .iter()
        .filter_map(|&id| scores.score(id).map(|c| (id, c)))
        .collect();
    let scored_columns: Vec<&[f64]> = scored.iter().map(|(_, c)| *c).collect();
    let scored_ids: Vec<String> = scored.iter().map(|(id, _)| (*id).to_owned()).collect();

    let consistency = framework
        .aggregate_positions()
        .into_iter()
        .map(|p| {
            let children: Vec<&[f64]> = framework
                .children_of(p)
                .iter()
                .filter_map(|&c| scores.score(&nodes[c].id))
                .collect();
            GroupConsistency {
                node: nodes[p].id.clone(),
                alpha: cronbach_alpha(&children),
            }
        })
        .collect();

    let standings = data
        .units()
        .iter()
        .filter_map(|unit| {
            let (strengths, weaknesses) = strengths_and_weaknesses(
                framework,
                data,
                &unit.id,
                options.strengths,
                options.weaknesses,
                true,
            )?;
            Some(UnitStandings {
                unit: unit.id.clone(),
                strengths,
                weaknesses,
            })
        })
        .collect();

    Analysis {
        statistics: indicator_stats(&raw_ids, &raw_columns, options.thresholds),
        correlations: Correlations {
            method: options.correlation,
            nodes: scored_ids.clone(),
            values: correlation_matrix(&scored_columns, options.correlation),
        },
        consistency,
        pca: pca(&scored_columns).map(|pca| IndicatorPca {
            nodes: scored_ids,
            pca,
        }),
        effective_weights: effective_weights(framework, |i| {
            scores.weight(&nodes[i].id).unwrap_or(f64::NAN)
        }),
        standings,
    }
}
