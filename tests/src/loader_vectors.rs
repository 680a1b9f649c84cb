//! Language-neutral vectors of random draws: one framework given as its JSON document and as a
//! flat iMeta table (rows in COINr's order, not the canonical one), with data, a recipe, an
//! uncertainty specification and a sensitivity run, and the exact results of the Rust core.
//! The Rust, Python and JavaScript suites load the framework both ways — JSON, a table CSV in
//! Rust, a DataFrame table in Python, a table string in JavaScript — and compare bit for bit
//! (Python also the sensitivity indices; the WebAssembly module has no sensitivity analysis).
//! The files live in `tests/vectors/draws/`; [`generate`] rebuilds them.

use std::path::PathBuf;

use cityindex::dataset::DatasetDocument;
use cityindex::framework::FrameworkDocument;
use cityindex::uncertainty::sobol::SobolIndices;
use cityindex::uncertainty::{UncertaintySpec, run_uncertainty, sensitivity};
use cityindex::{Dataset, Framework, Recipe};
use serde::{Deserialize, Serialize};

use crate::{CoinrDataset, fixture};

/// One vector of draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawVector {
    /// File stem.
    pub name: String,
    /// What it exercises.
    pub description: String,
    /// The framework, nested document form.
    pub framework: FrameworkDocument,
    /// The same framework as an iMeta table (CSV text), rows in the table's own order.
    pub framework_table: String,
    /// The data, document form.
    pub data: DatasetDocument,
    /// The recipe.
    pub recipe: Recipe,
    /// The uncertainty specification.
    pub uncertainty: UncertaintySpec,
    /// The sensitivity run.
    pub sensitivity: SensitivityRun,
    /// The results.
    pub expected: Draws,
}

/// A sensitivity analysis to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensitivityRun {
    /// Its specification.
    pub spec: UncertaintySpec,
    /// The node whose results are analysed.
    pub node: String,
    /// Base points N.
    pub base_points: usize,
    /// Bootstrap resamples.
    pub resamples: usize,
}

/// What the draws give.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draws {
    /// The nodes whose weights are perturbed, in the order of `weight_factors`.
    pub perturbed: Vec<String>,
    /// Each replicate's weight factors.
    pub weight_factors: Vec<Vec<f64>>,
    /// Each replicate's option of each uncertain stage.
    pub choices: Vec<Vec<usize>>,
    /// The first summarised node's ranks, per replicate, per unit.
    pub ranks: Vec<Vec<f64>>,
    /// The sensitivity run's inputs.
    pub sensitivity_inputs: Vec<String>,
    /// Its indices on the mean absolute rank shift.
    pub sensitivity_rank_shift: SobolIndices,
}

/// Where these vectors live.
#[must_use]
pub fn directory() -> PathBuf {
    crate::vectors::directory().join("draws")
}

/// Runs the core on a vector's inputs with `framework` (however it was loaded).
///
/// # Errors
/// Any error of the core, as text.
pub fn run(vector: &DrawVector, framework: &Framework) -> Result<Draws, String> {
    let data = Dataset::try_from(vector.data.clone()).map_err(|e| e.to_string())?;
    let never = &|_: usize, _: usize| true;
    let u = run_uncertainty(framework, &data, &vector.recipe, &vector.uncertainty, never)
        .map_err(|e| e.to_string())?;
    let s = &vector.sensitivity;
    let sens = sensitivity(
        framework,
        &data,
        &vector.recipe,
        &s.spec,
        &s.node,
        s.base_points,
        s.resamples,
        never,
    )
    .map_err(|e| e.to_string())?;
    Ok(Draws {
        perturbed: u.perturbed,
        weight_factors: u
            .replicates
            .iter()
            .map(|r| r.weight_factors.clone())
            .collect(),
        choices: u.replicates.iter().map(|r| r.choices.clone()).collect(),
        ranks: u.ranks[0].clone(),
        sensitivity_inputs: sens.inputs,
        sensitivity_rank_shift: sens.rank_shift,
    })
}

/// Every vector of draws, computed now.
///
/// # Panics
/// If a fixture is missing or a run fails (a bug in the generator).
#[must_use]
pub fn generate() -> Vec<DrawVector> {
    let table =
        std::fs::read_to_string(fixture("coinr-asem/data/ASEM_iMeta.csv")).expect("ASEM iMeta");
    let framework = Framework::from_table_csv(table.as_bytes()).expect("ASEM framework");
    let data = CoinrDataset::read("coinr-asem/A_simple/A_Treated.csv").to_dataset();
    let spec = |json: &str| UncertaintySpec::from_json(json).expect("vector specification");
    let mut vector = DrawVector {
        name: "asem_loaders".to_owned(),
        description: "COINr's ASEM framework as JSON and as its iMeta table (indicators first, \
                      as COINr writes it): the weight noise and choices drawn for one seed, \
                      the ranks they give, and a Sobol' sensitivity run with the weights as one \
                      input, whichever loader read the framework"
            .to_owned(),
        framework: framework.to_document(),
        framework_table: table,
        data: data.to_document(),
        recipe: Recipe::default(),
        uncertainty: spec(
            r#"{"replicates": 12, "seed": 7, "weights": {"fraction": 0.25, "levels": [2, 3]},
                "choices": [{"stage": "normalise", "options": [{"method": "min_max", "lo": 1, "hi": 100}, {"method": "rank"}]}]}"#,
        ),
        sensitivity: SensitivityRun {
            spec: spec(
                r#"{"replicates": 1, "seed": 3, "weights": {"fraction": 0.25, "levels": [3]},
                    "choices": [{"stage": "normalise", "options": [{"method": "min_max", "lo": 1, "hi": 100}, {"method": "z_score", "mean": 10, "sd": 2}]}],
                    "groups": [{"name": "weights", "inputs": ["weight:*"]}]}"#,
            ),
            node: "Index".to_owned(),
            base_points: 16,
            resamples: 10,
        },
        expected: Draws {
            perturbed: Vec::new(),
            weight_factors: Vec::new(),
            choices: Vec::new(),
            ranks: Vec::new(),
            sensitivity_inputs: Vec::new(),
            sensitivity_rank_shift: SobolIndices {
                first_order: Vec::new(),
                total: Vec::new(),
                first_order_conf: Vec::new(),
                total_conf: Vec::new(),
            },
        },
    };
    vector.expected = run(&vector, &framework).expect("the draws run");
    vec![vector]
}
