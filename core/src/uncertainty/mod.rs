//! Uncertainty and sensitivity analysis (OECD/JRC Handbook, step 7): how much do the ranks
//! depend on the modeller's choices?
//!
//! An [`UncertaintySpec`] says which choices are uncertain: weights perturbed by a uniform
//! factor, alternative methods for the normalisation, aggregation, outlier treatment (`winmax`)
//! and imputation stages with their probabilities, and optionally the exclusion of one indicator.
//! Each of N replicates draws its configuration from its own ChaCha stream derived from
//! (seed, replicate), runs the pipeline, and records the ranks: the results are the same bits for
//! 1 thread, N threads and wasm32. Stages whose output a choice does not affect are computed once
//! per distinct upstream configuration and shared by every replicate that draws it.
//! [`Uncertainty::convergence`] says whether N was enough: how far the rank statistics of the
//! first N/8, N/4 and N/2 replicates lie from those of all N.
//!
//! Variance-based sensitivity of the index to each uncertain input uses the generic
//! [`sobol`] tool on the same model.

mod convergence;
mod engine;
mod sensitivity;
pub mod sobol;
mod summary;

use serde::{Deserialize, Serialize};

pub use convergence::RankConvergence;
pub use engine::{
    Progress, ReplicateRecord, ReplicateRun, Uncertainty, combine, run_replicates, run_uncertainty,
};
pub use sensitivity::{Sensitivity, sensitivity};
pub use summary::UnitRanks;

use crate::aggregate::Aggregation;
use crate::error::MethodError;
use crate::limits;
use crate::normalise::Normalisation;
use crate::prepare::impute::Imputation;

/// Uniform noise on weights: each weight w becomes w·(1 + u), u ~ U(−fraction, fraction)
/// (COINr's `w + U(−1, 1)·f·w`), then weights are rescaled within each group.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightNoise {
    /// The noise fraction f, in [0, 1).
    pub fraction: f64,
    /// Levels whose nodes' weights are perturbed (e.g. 2 and 3); empty means every level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<u32>,
    /// Further nodes whose weights are perturbed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<String>,
}

/// Alternatives for one stage, with their probabilities (equal when omitted).
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case", deny_unknown_fields)]
pub enum Choice {
    /// The normalisation of every indicator.
    Normalise {
        /// The methods.
        options: Vec<Normalisation>,
        /// Their probabilities.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        probabilities: Vec<f64>,
    },
    /// The aggregation of every aggregate.
    Aggregate {
        /// The methods.
        options: Vec<Aggregation>,
        /// Their probabilities.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        probabilities: Vec<f64>,
    },
    /// The most points winsorised by the recipe's treatment step.
    Winmax {
        /// The values.
        options: Vec<usize>,
        /// Their probabilities.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        probabilities: Vec<f64>,
    },
    /// The imputation method of the recipe's impute step.
    Impute {
        /// The methods.
        options: Vec<Imputation>,
        /// Their probabilities.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        probabilities: Vec<f64>,
    },
}

impl Choice {
    /// The stage's name.
    #[must_use]
    pub fn stage(&self) -> &'static str {
        match self {
            Choice::Normalise { .. } => "normalise",
            Choice::Aggregate { .. } => "aggregate",
            Choice::Winmax { .. } => "winmax",
            Choice::Impute { .. } => "impute",
        }
    }

    /// The number of options and their probabilities (equal when none are given).
    fn distribution(&self) -> (usize, Vec<f64>) {
        let (k, p) = match self {
            Choice::Normalise {
                options,
                probabilities,
            } => (options.len(), probabilities),
            Choice::Aggregate {
                options,
                probabilities,
            } => (options.len(), probabilities),
            Choice::Winmax {
                options,
                probabilities,
            } => (options.len(), probabilities),
            Choice::Impute {
                options,
                probabilities,
            } => (options.len(), probabilities),
        };
        let p = if p.is_empty() {
            vec![1.0 / k as f64; k]
        } else {
            p.clone()
        };
        (k, p)
    }

    /// The option drawn by a uniform number u ∈ [0, 1), by cumulative probabilities.
    #[must_use]
    pub fn pick(&self, u: f64) -> usize {
        let (k, p) = self.distribution();
        let mut cumulative = 0.0;
        for (i, pi) in p.iter().enumerate() {
            cumulative += pi;
            if u < cumulative {
                return i;
            }
        }
        k.saturating_sub(1)
    }
}

/// What is uncertain, how many replicates to run and from which seed.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncertaintySpec {
    /// Number of replicates N.
    pub replicates: usize,
    /// Seed of every random draw.
    #[serde(default)]
    pub seed: u64,
    /// Noise on weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightNoise>,
    /// Alternative methods per stage.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// Leave out one indicator, drawn uniformly, in each replicate.
    #[serde(default)]
    pub exclude_indicator: bool,
    /// Nodes whose ranks are summarised; empty means the top nodes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<String>,
    /// Inputs a sensitivity analysis treats as one (SALib's groups; COINr's `get_sensitivity`
    /// treats all weights as one input). Unused by the uncertainty analysis.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<InputGroup>,
}

/// A group of uncertain inputs that a sensitivity analysis varies together, as one input.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputGroup {
    /// The group's name, which names its indices.
    pub name: String,
    /// Its inputs, named as the sensitivity analysis names them: a stage (`normalise`, …),
    /// `weight:<node>`, `exclusion`; `weight:*` stands for every perturbed weight.
    pub inputs: Vec<String>,
}

/// Each input's factor and each factor's name, for the inputs `names` and the `groups`: an
/// input of a group is its group's factor, any other its own; factors are numbered in order of
/// their first input.
///
/// # Errors
/// A group without a name or inputs, a name used twice, an input that is not one of `names`
/// or belongs to two groups.
pub(crate) fn factors(
    names: &[String],
    groups: &[InputGroup],
) -> Result<(Vec<usize>, Vec<String>), MethodError> {
    let invalid = |reason: String| MethodError::InvalidParameter {
        method: "sensitivity groups",
        reason,
    };
    let mut group_of: Vec<Option<usize>> = vec![None; names.len()];
    for (g, group) in groups.iter().enumerate() {
        if group.name.trim().is_empty() || group.inputs.is_empty() {
            return Err(invalid(format!(
                "group {} needs a name and at least one input",
                g + 1
            )));
        }
        if groups[..g].iter().any(|other| other.name == group.name) || names.contains(&group.name) {
            return Err(invalid(format!(
                "the name `{}` is used twice (groups and inputs need names of their own)",
                group.name
            )));
        }
        for input in &group.inputs {
            let matching: Vec<usize> = (0..names.len())
                .filter(|&i| {
                    *input == names[i] || (input == "weight:*" && names[i].starts_with("weight:"))
                })
                .collect();
            if matching.is_empty() {
                return Err(invalid(format!(
                    "group `{}`: `{input}` is not an input of the specification (its inputs: {})",
                    group.name,
                    names.join(", ")
                )));
            }
            for i in matching {
                if group_of[i].is_some_and(|other| other != g) {
                    return Err(invalid(format!("`{}` is in two groups", names[i])));
                }
                group_of[i] = Some(g);
            }
        }
    }
    let mut membership = Vec::with_capacity(names.len());
    let mut factor_names: Vec<String> = Vec::new();
    let mut factor_of_group: Vec<Option<usize>> = vec![None; groups.len()];
    for (i, name) in names.iter().enumerate() {
        let factor = if let Some(g) = group_of[i] {
            *factor_of_group[g].get_or_insert_with(|| {
                factor_names.push(groups[g].name.clone());
                factor_names.len() - 1
            })
        } else {
            factor_names.push(name.clone());
            factor_names.len() - 1
        };
        membership.push(factor);
    }
    Ok((membership, factor_names))
}

impl UncertaintySpec {
    /// Parses the JSON form.
    ///
    /// # Errors
    /// [`MethodError::UnknownChoice`] for a misspelt method, otherwise
    /// [`MethodError::InvalidParameter`] with serde's message.
    pub fn from_json(text: &str) -> Result<Self, MethodError> {
        crate::json::parse(text).map_err(|invalid| match invalid {
            crate::json::Invalid::Choice(e) => e,
            crate::json::Invalid::Text(reason) => MethodError::InvalidParameter {
                method: "uncertainty specification",
                reason,
            },
        })
    }

    /// Checks N, the noise fraction and every choice's options and probabilities.
    ///
    /// # Errors
    /// N = 0 or beyond [`limits::MAX_REPLICATES`]; a noise fraction negative or ≥ 1; a stage
    /// without options; probabilities that are negative, of the wrong count, or do not sum to 1.
    pub fn validate(&self) -> Result<(), MethodError> {
        let invalid = |reason: String| {
            Err(MethodError::InvalidParameter {
                method: "uncertainty specification",
                reason,
            })
        };
        if self.replicates == 0 {
            return invalid("the number of replicates must be at least 1".to_owned());
        }
        limits::check(
            "replicates",
            self.replicates as u128,
            limits::MAX_REPLICATES as u128,
        )?;
        if let Some(w) = &self.weights
            && !(w.fraction >= 0.0 && w.fraction < 1.0)
        {
            return invalid(format!(
                "the weight noise fraction ({}) must lie in [0, 1)",
                w.fraction
            ));
        }
        for choice in &self.choices {
            let (k, p) = choice.distribution();
            if k == 0 {
                return invalid(format!("stage `{}` has no options", choice.stage()));
            }
            if p.len() != k || p.iter().any(|x| !x.is_finite() || *x < 0.0) {
                return invalid(format!(
                    "stage `{}`: give one non-negative probability per option",
                    choice.stage()
                ));
            }
            let total: f64 = p.iter().sum();
            if (total - 1.0).abs() > 1e-9 {
                return invalid(format!(
                    "stage `{}`: probabilities sum to {total}, not 1",
                    choice.stage()
                ));
            }
        }
        Ok(())
    }
}
