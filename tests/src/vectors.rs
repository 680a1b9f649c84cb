//! Language-neutral test vectors: inputs and the exact outputs of the Rust core.
//!
//! Each file in `tests/vectors/` holds a framework (JSON document form), a data set (JSON
//! document form, `null` = missing), a recipe and the expected result: either the scores
//! document or an error with its stable code and message. The Rust, Python and JavaScript test
//! suites all read these files and compare exactly (floats are written in the shortest form
//! that round-trips). [`generate`] rebuilds them; a test fails when a checked-in file is stale.

use std::path::PathBuf;

use cityindex::dataset::DatasetDocument;
use cityindex::framework::{Direction, FrameworkDocument, Indicator, Node, NodeKind, Scale};
use cityindex::scores::ScoresDocument;
use cityindex::{Dataset, Framework, Recipe, Unit};
use serde::{Deserialize, Serialize};

use crate::{CoinrDataset, asem_framework, egdi_data, egdi_framework};

/// One test vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vector {
    /// File stem.
    pub name: String,
    /// What it exercises.
    pub description: String,
    /// The framework, nested document form.
    pub framework: FrameworkDocument,
    /// The data, document form.
    pub data: DatasetDocument,
    /// The recipe.
    pub recipe: Recipe,
    /// The result.
    pub expected: Expected,
}

/// The expected result of a vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Expected {
    /// Scores, ranks, coverage (and bands) for every node.
    Scores(ScoresDocument),
    /// An error, by stable code and message.
    Error {
        /// `Error::code()`.
        code: String,
        /// `Error::to_string()`.
        message: String,
    },
}

/// Where the vectors live.
#[must_use]
pub fn directory() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// Runs the core on a vector's inputs.
#[must_use]
pub fn run(framework: &FrameworkDocument, data: &DatasetDocument, recipe: &Recipe) -> Expected {
    let result = Framework::try_from(framework.clone())
        .map_err(cityindex::Error::from)
        .and_then(|f| {
            let d = Dataset::try_from(data.clone())?;
            cityindex::score(&f, &d, recipe)
        });
    match result {
        Ok(scores) => Expected::Scores(scores.to_document()),
        Err(e) => Expected::Error {
            code: e.code().to_owned(),
            message: e.to_string(),
        },
    }
}

fn recipe(json: &str) -> Recipe {
    Recipe::from_json(json).expect("vector recipe")
}

fn vector(
    name: &str,
    description: &str,
    framework: &Framework,
    data: &Dataset,
    recipe: Recipe,
) -> Vector {
    let framework = framework.to_document();
    let data = data.to_document();
    let expected = run(&framework, &data, &recipe);
    Vector {
        name: name.to_owned(),
        description: description.to_owned(),
        framework,
        data,
        recipe,
        expected,
    }
}

/// A small framework exercising missing data, scales and ties.
fn small_framework() -> Framework {
    let mut yes_no = Node::indicator("online_form", Some("services"));
    if let NodeKind::Indicator(ind) = &mut yes_no.kind {
        ind.scale = Scale::YesNo;
    }
    let mut maturity = Node::indicator("maturity", Some("services"));
    maturity.kind = NodeKind::Indicator(Indicator {
        scale: serde_json::from_str(
            r#"{"type": "ordinal", "levels": [{"value": 1, "score": 0, "label": "none"},
                {"value": 2, "score": 50, "label": "partial"}, {"value": 3, "score": 100, "label": "full"}]}"#,
        )
        .expect("scale"),
        ..Indicator::default()
    });
    let mut waiting = Node::indicator("waiting_days", Some("outcomes")).with_weight(2.0);
    if let NodeKind::Indicator(ind) = &mut waiting.kind {
        ind.direction = Direction::Negative;
        ind.target = Some(1.0);
    }
    Framework::new(vec![
        Node::aggregate("index", None),
        Node::aggregate("services", Some("index")).with_weight(3.0),
        Node::aggregate("outcomes", Some("index")),
        yes_no,
        maturity,
        Node::indicator("satisfaction", Some("outcomes")),
        waiting,
    ])
    .expect("small framework")
}

fn small_data() -> Dataset<'static> {
    let nan = f64::NAN;
    let units = ["ams", "bcn", "cph", "dub", "ess", "fir"];
    Dataset::new(
        units.iter().map(|u| Unit::new(u)).collect(),
        vec![
            ("online_form".to_owned(), vec![1.0, 0.0, 1.0, nan, 1.0, nan]),
            ("maturity".to_owned(), vec![3.0, 2.0, 2.0, 1.0, 3.0, nan]),
            (
                "satisfaction".to_owned(),
                vec![7.5, 6.0, 8.0, 6.0, nan, nan],
            ),
            (
                "waiting_days".to_owned(),
                vec![3.0, 10.0, 2.0, 10.0, 4.0, nan],
            ),
        ],
    )
    .expect("small data")
}

fn constant_satisfaction(data: &Dataset) -> Dataset<'static> {
    let columns = data
        .column_ids()
        .iter()
        .map(|id| {
            let values = if id == "satisfaction" {
                vec![5.0; data.n_units()]
            } else {
                data.column(id).unwrap_or_default().to_vec()
            };
            (id.clone(), values)
        })
        .collect();
    Dataset::new(data.units().to_vec(), columns).expect("constant data")
}

/// Builds every vector from its inputs, running the core for the expected results.
///
/// # Panics
/// If a fixture does not load.
#[must_use]
#[allow(clippy::too_many_lines)] // one entry per vector: a list, not logic
pub fn generate() -> Vec<Vector> {
    let asem = asem_framework();
    let treated = CoinrDataset::read("coinr-asem/A_simple/A_Treated.csv").to_dataset();
    let desi = cityindex::builtin::get("desi-2022").expect("built-in DESI");
    let desi_framework = desi.framework().expect("DESI framework");
    let desi_data = desi
        .data()
        .and_then(|d| Ok(d.for_period(2022)?))
        .expect("DESI data");
    let small = small_framework();
    let mcda = crate::mcda_inputs();
    let small_data = small_data();
    vec![
        vector(
            "asem_default",
            "COINr's ASEM example from its treated data set: min-max 0-100, weighted arithmetic means, ranks with ties 'min' (COINr's defaults)",
            &asem,
            &treated,
            Recipe::default(),
        ),
        vector(
            "asem_zscore_geometric",
            "ASEM: min-max 1-100 with a geometric mean at the top levels and a z-score override",
            &asem,
            &treated,
            recipe(
                r#"{"normalise": {"default": {"method": "min_max", "lo": 1, "hi": 100},
                    "indicators": {"LPI": {"method": "z_score", "mean": 50, "sd": 10}}},
                   "aggregate": {"levels": {"3": {"method": "geometric_mean"}, "4": {"method": "harmonic_mean"}}}}"#,
            ),
        ),
        vector(
            "asem_copeland",
            "ASEM: Copeland outranking at every level, with missing values (COINr's convention)",
            &asem,
            &treated,
            recipe(r#"{"aggregate": {"default": {"method": "copeland"}}}"#),
        ),
        vector(
            "asem_geometric_on_zero",
            "ASEM: a geometric mean over min-max 0-100 scores meets zeros and must fail, naming node, unit and child",
            &asem,
            &treated,
            recipe(r#"{"aggregate": {"default": {"method": "geometric_mean"}}}"#),
        ),
        vector(
            "asem_example_coin",
            "COINr's build_example_coin from the raw ASEM data: denominate, impute by group mean, screen, treat outliers, then min-max and arithmetic means",
            &asem,
            &crate::asem_raw_sorted(),
            recipe(crate::ASEM_EXAMPLE_COIN_RECIPE),
        ),
        vector(
            "mcda_topsis_critic",
            "The pymcdm reference matrix: TOPSIS at the root with CRITIC weights derived from the children",
            &mcda.0,
            &mcda.1,
            recipe(
                r#"{"normalise": {"default": {"method": "none"}}, "aggregate": {"default": {"method": "topsis"}},
                   "weighting": [{"nodes": ["all"], "weighting": {"method": "critic"}}]}"#,
            ),
        ),
        vector(
            "mcda_promethee_entropy",
            "PROMETHEE II (linear preference) with entropy weights, on min-max scores",
            &mcda.0,
            &mcda.1,
            recipe(
                r#"{"normalise": {"default": {"method": "min_max", "lo": 1, "hi": 2}},
                   "aggregate": {"default": {"method": "promethee_ii", "preference": {"type": "linear", "q": 0.05, "p": 0.5}}},
                   "weighting": [{"levels": [2], "weighting": {"method": "entropy"}}]}"#,
            ),
        ),
        vector(
            "mcda_benefit_of_the_doubt",
            "Benefit of the doubt with share bounds at the root",
            &mcda.0,
            &mcda.1,
            recipe(
                r#"{"aggregate": {"default": {"method": "benefit_of_the_doubt", "shares": {"min": 0.05, "max": 0.6}}}}"#,
            ),
        ),
        vector(
            "desi_2022",
            "DESI 2022 as the European Commission computes it: goalposts times 100, no capping, weighted means",
            &desi_framework,
            &desi_data,
            desi.recipe().expect("DESI recipe"),
        ),
        vector(
            "desi_2022_what_if",
            "DESI 2022 with the Human capital dimension's weight moved to 3: the what-if page's browser test sets the same through its controls",
            &desi_framework,
            &desi_data,
            {
                let mut r = desi.recipe().expect("DESI recipe");
                r.weights.insert("HC".to_owned(), 3.0);
                r
            },
        ),
        vector(
            "egdi_2024_groups",
            "UN EGDI 2024: mean of OSI, HCI and TII, banded into the UN's four groups",
            &egdi_framework(),
            &egdi_data(2024),
            recipe(crate::EGDI_RECIPE),
        ),
        vector(
            "small_scales_missing_ties",
            "Yes/no and ordinal scales, a negative indicator with a target, missing values, a unit with no data, average ranks for ties, an availability threshold",
            &small,
            &small_data,
            recipe(
                r#"{"normalise": {"default": {"method": "categorical"},
                    "indicators": {"satisfaction": {"method": "percentile_rank"},
                                   "waiting_days": {"method": "distance_to_target", "cap": true}}},
                   "aggregate": {"availability_threshold": 0.5},
                   "rank": {"ties": "average"},
                   "banding": {"bands": [{"label": "leader", "min": 60}, {"label": "follower"}]}}"#,
            ),
        ),
        vector(
            "small_generalised_mean_weights",
            "Generalised mean (p = 2) with weights overridden by the recipe and dense ranks",
            &small,
            &small_data,
            recipe(
                r#"{"normalise": {"default": {"method": "categorical", "yes": 1, "no": 0},
                    "indicators": {"satisfaction": {"method": "min_max", "lo": 0, "hi": 1},
                                   "waiting_days": {"method": "min_max", "lo": 0, "hi": 1}}},
                   "weights": {"services": 1, "waiting_days": 1},
                   "aggregate": {"default": {"method": "generalised_mean", "p": 2}},
                   "rank": {"ties": "dense"}}"#,
            ),
        ),
        vector(
            "small_constant_zscore",
            "A z-score of a column that is constant must fail, naming the indicator",
            &small,
            &constant_satisfaction(&small_data),
            recipe(
                r#"{"normalise": {"default": {"method": "categorical"},
                    "indicators": {"satisfaction": {"method": "z_score"}}}}"#,
            ),
        ),
    ]
}
