//! The decision tools beyond the pipeline, in the optional analysis module
//! (`cityindex/analysis`, built with the `analysis` feature): MCDA methods on a decision matrix,
//! weights of a matrix and AHP, rank comparisons, trends over a panel. They would take the main
//! module past its 1 MB budget (+44 KB, mostly the deserialisers of the methods' JSON forms and
//! panel scoring), so they live in a second module that also holds everything the main one does.

use js_sys::{Float64Array, Object};
use wasm_bindgen::prelude::*;

use crate::convert::{Fail, dataset, json_text, set, to_js};
use crate::{parse_framework, parse_recipe};

/// A JSON-shaped argument (object, array or JSON text) read as `T`, errors naming `what`.
fn argument<T: serde::de::DeserializeOwned>(
    value: &JsValue,
    what: &'static str,
) -> Result<T, Fail> {
    let text = if value.is_string() {
        value.as_string().unwrap_or_default()
    } else {
        json_text(value, what)?
    };
    serde_json::from_str(&text).map_err(|e| {
        Fail::from(cityindex::MethodError::InvalidParameter {
            method: what,
            reason: e.to_string(),
        })
    })
}

/// A decision matrix from rows (alternatives × criteria), weights and types (1 benefit, −1
/// cost), alternatives numbered from 1.
fn decision_matrix(
    matrix: &JsValue,
    weights: Vec<f64>,
    types: &[f64],
) -> Result<cityindex::mcda::DecisionMatrix, Fail> {
    let rows: Vec<Vec<f64>> = argument(matrix, "decision matrix")?;
    let directions = types
        .iter()
        .map(|&t| {
            cityindex::Direction::try_from(t).map_err(|reason| {
                Fail::from(cityindex::MethodError::InvalidParameter {
                    method: "decision matrix",
                    reason: format!("`types`: {reason}"),
                })
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let m = types.len();
    Ok(cityindex::mcda::DecisionMatrix::new(
        (1..=rows.len()).map(|r| format!("A{r}")).collect(),
        (1..=m).map(|c| format!("C{c}")).collect(),
        (0..m)
            .map(|c| {
                rows.iter()
                    .map(|r| r.get(c).copied().unwrap_or(f64::NAN))
                    .collect()
            })
            .collect(),
        directions,
        weights,
    )?)
}

/// An MCDA method on a decision matrix, as pymcdm takes it: `method` its JSON form
/// (`{method: "topsis"}`, `{method: "vikor", v: 0.5}`, …), `matrix` rows of alternatives,
/// `weights` and `types` (1 benefit, −1 cost) one per criterion. Returns `{preferences, ranks}`
/// as `Float64Array`s (ranks 1 = best, in the method's direction; ties "min").
///
/// # Errors
/// An unknown method or parameter, counts that differ, a missing value, the method's errors.
#[wasm_bindgen(unchecked_return_type = "{ preferences: Float64Array; ranks: Float64Array }")]
pub fn mcda(
    #[wasm_bindgen(unchecked_param_type = "McdaMethod | string")] method: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[][]")] matrix: &JsValue,
    weights: Vec<f64>,
    types: &[f64],
) -> Result<JsValue, JsValue> {
    let method: cityindex::mcda::Method = argument(method, "MCDA method")?;
    let m = decision_matrix(matrix, weights, types)?;
    let preferences = cityindex::mcda::evaluate(&m, &method, cityindex::mcda::Missing::Error)
        .map_err(Fail::from)?;
    let ranks = cityindex::mcda::rank_scores(&preferences, &method, cityindex::rank::TieRule::Min);
    let out = Object::new();
    set(
        &out,
        "preferences",
        &Float64Array::from(preferences.as_slice()),
    )?;
    set(&out, "ranks", &Float64Array::from(ranks.as_slice()))?;
    Ok(out.into())
}

/// Weights of a decision matrix's criteria: `method` a weighting's JSON form (`{method:
/// "entropy"}`, `"critic"`, `"critic_direction_blind"`, `"standard_deviation"`, `"merec"`,
/// `"pca"`, `"equal"`), `matrix` rows of alternatives, `types` one per criterion.
///
/// # Errors
/// An unknown method, counts that differ, the method's errors.
#[wasm_bindgen(js_name = matrixWeights)]
pub fn matrix_weights(
    #[wasm_bindgen(unchecked_param_type = "Weighting | string")] method: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[][]")] matrix: &JsValue,
    types: &[f64],
) -> Result<Vec<f64>, JsValue> {
    let method: cityindex::weight::Weighting = argument(method, "weighting method")?;
    let m = decision_matrix(matrix, vec![1.0; types.len()], types)?;
    Ok(method.of_matrix(&m).map_err(Fail::from)?)
}

/// AHP weights of a pairwise-comparison matrix: `{weights, consistencyRatio}`; a consistency
/// ratio above 0.1 is an error unless `acceptInconsistent`.
///
/// # Errors
/// A matrix that is not square, positive and reciprocal; an inconsistent one.
#[wasm_bindgen(unchecked_return_type = "{ weights: Float64Array; consistencyRatio: number }")]
pub fn ahp(
    #[wasm_bindgen(unchecked_param_type = "number[][]")] pairwise: &JsValue,
    #[wasm_bindgen(js_name = acceptInconsistent)] accept_inconsistent: bool,
) -> Result<JsValue, JsValue> {
    let pairwise: Vec<Vec<f64>> = argument(pairwise, "pairwise matrix")?;
    let result = cityindex::weight::ahp(&pairwise, accept_inconsistent).map_err(Fail::from)?;
    let out = Object::new();
    set(
        &out,
        "weights",
        &Float64Array::from(result.weights.as_slice()),
    )?;
    set(
        &out,
        "consistencyRatio",
        &JsValue::from_f64(result.consistency_ratio),
    )?;
    Ok(out.into())
}

/// A measure comparing two rankings (1 = best): `"spearman_rs"`, `"weighted_spearman"`,
/// `"ws_coefficient"`, `"kendall_tau"` or `"goodman_kruskal_gamma"`.
///
/// # Errors
/// An unknown measure; rankings of different lengths.
#[wasm_bindgen(js_name = compareRankings)]
pub fn compare_rankings(measure: &str, x: &[f64], y: &[f64]) -> Result<f64, JsValue> {
    let measure: cityindex::analysis::RankComparison = argument(
        &JsValue::from_str(&format!("\"{measure}\"")),
        "rank comparison",
    )?;
    Ok(measure.between(x, y).map_err(Fail::from)?)
}

/// Each unit's trend of `node` over a panel scored period by period (COINr's `get_trends`):
/// `metric` `{metric: "cagr"}` or `{metric: "percent_change", per: 1}`. Returns `{units,
/// values}` in the order units first appear; a start at 0 gives `NaN`.
///
/// # Errors
/// As [`score`], for any period; an unknown node or metric.
#[wasm_bindgen(unchecked_return_type = "{ units: string[]; values: Float64Array }")]
pub fn trends(
    #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "DataInput")] data: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Recipe | string | null | undefined")] recipe: &JsValue,
    node: &str,
    #[wasm_bindgen(unchecked_param_type = "TrendMetric")] metric: &JsValue,
) -> Result<JsValue, JsValue> {
    let framework = parse_framework(framework)?;
    let data = dataset(data)?;
    let recipe = parse_recipe(recipe)?;
    let metric: cityindex::trend::TrendMetric = argument(metric, "trend metric")?;
    let panel = cityindex::score_panel(&framework, &data, &recipe).map_err(Fail::from)?;
    let trends = panel
        .trends(node, metric, cityindex::trend::FromZero::Missing)
        .ok_or_else(|| {
            Fail::from(cityindex::ScoreError::UnknownNode {
                node: node.to_owned(),
                known: Vec::new(),
            })
        })?;
    let (units, values): (Vec<String>, Vec<f64>) = trends.into_iter().unzip();
    let out = Object::new();
    set(&out, "units", &to_js(&units)?)?;
    set(&out, "values", &Float64Array::from(values.as_slice()))?;
    Ok(out.into())
}
