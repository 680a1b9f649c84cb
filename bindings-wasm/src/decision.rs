//! The decision tools beyond the pipeline, in the optional analysis module
//! (`cityindex/analysis`, built with the `analysis` feature): MCDA methods on a decision matrix,
//! weights of a matrix and AHP, benefit of the doubt, optimised weights, remove-one-element,
//! rank comparisons, trends over a panel. They would take the main
//! module past its 1 MB budget (+44 KB, mostly the deserialisers of the methods' JSON forms and
//! panel scoring), so they live in a second module that also holds everything the main one does.

use js_sys::{Float64Array, Object};
use wasm_bindgen::prelude::*;

use crate::convert::{Fail, dataset, in_period, json_text, set, to_js};
use crate::{ScoreOptions, parse_framework, parse_recipe};

/// A JSON-shaped argument (object, array or JSON text) read as `T`, errors naming `what`.
pub(crate) fn argument<T: serde::de::DeserializeOwned>(
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

/// Benefit of the doubt on a matrix of non-negative values (rows of alternatives, every
/// criterion a benefit; a missing value counts as 0): `{scores, weights}`, each alternative's
/// composite in [0, 1] and its own weights (one row per alternative). `bounds`: `{min, max}` on
/// each criterion's share of a composite, `weight_min` on each weight, each optional.
///
/// # Errors
/// Negative values; bounds outside [0, 1] or min > max; an infeasible programme.
#[wasm_bindgen(
    js_name = benefitOfTheDoubt,
    unchecked_return_type = "{ scores: Float64Array; weights: Float64Array[] }"
)]
pub fn benefit_of_the_doubt(
    #[wasm_bindgen(unchecked_param_type = "number[][]")] matrix: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "ShareBounds | null | undefined")] bounds: &JsValue,
) -> Result<JsValue, JsValue> {
    let bounds: cityindex::weight::ShareBounds = if bounds.is_undefined() || bounds.is_null() {
        cityindex::weight::ShareBounds::default()
    } else {
        argument(bounds, "share bounds")?
    };
    let rows: Vec<Vec<f64>> = argument(matrix, "decision matrix")?;
    let types = vec![1.0; rows.first().map_or(0, Vec::len)];
    let m = decision_matrix(matrix, types.clone(), &types)?;
    let result = cityindex::weight::benefit_of_the_doubt(&m, bounds).map_err(Fail::from)?;
    let weights = js_sys::Array::new();
    for row in &result.weights {
        weights.push(&Float64Array::from(row.as_slice()));
    }
    let out = Object::new();
    set(
        &out,
        "scores",
        &Float64Array::from(result.scores.as_slice()),
    )?;
    set(&out, "weights", &weights)?;
    Ok(out.into())
}

/// The weights of every node of `level` optimised together against the index (COINr's
/// `get_opt_weights`): `aim` `{aim: "balance", shares?}` or `{aim: "infomax"}`, `correlation`
/// `"pearson"`, `"spearman"` or `"kendall"`, `optimiser` `{optimiser: "converge",
/// max_iterations}` or COINr's stop `{optimiser: "coinr", reltol: 0.1, maxit: 500}`;
/// `options.period` picks one period of a panel. Returns `{nodes, weights, correlations,
/// targets, objective, iterations}`.
///
/// # Errors
/// A level without weighted nodes, bad shares or optimiser, any scoring error.
#[wasm_bindgen(js_name = optimiseLevelWeights, unchecked_return_type = "LevelWeights")]
#[allow(clippy::too_many_arguments, clippy::needless_pass_by_value)] // wasm-bindgen takes owned options
pub fn optimise_level_weights(
    #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "DataInput")] data: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Recipe | string | null | undefined")] recipe: &JsValue,
    level: u32,
    #[wasm_bindgen(unchecked_param_type = "LevelAim")] aim: &JsValue,
    correlation: &str,
    #[wasm_bindgen(unchecked_param_type = "Optimiser")] optimiser: &JsValue,
    options: Option<ScoreOptions>,
) -> Result<JsValue, JsValue> {
    let framework = parse_framework(framework)?;
    let options: Option<JsValue> = options.map(Into::into);
    let data = in_period(dataset(data)?, options.as_ref())?;
    let recipe = parse_recipe(recipe)?;
    let aim: cityindex::optimise::LevelAim = argument(aim, "aim")?;
    let correlation: cityindex::stats::CorrelationMethod = argument(
        &JsValue::from_str(&format!("\"{correlation}\"")),
        "correlation",
    )?;
    let optimiser: cityindex::optimise::Optimiser = argument(optimiser, "optimiser")?;
    let result = cityindex::optimise::optimise_level_weights(
        &framework,
        &data,
        &recipe,
        level,
        &aim,
        correlation,
        &optimiser,
    )
    .map_err(Fail::from)?;
    Ok(to_js(&result)?)
}

/// Remove one element (COINr's `remove_elements`): for each node of `level`, the mean over
/// units of |rank of `target` without it − nominal rank| (its weight set to 0, the framework
/// re-scored); `options.period` picks one period of a panel. Returns `[{removed,
/// meanAbsoluteRankChange}]`.
///
/// # Errors
/// Any scoring error.
#[wasm_bindgen(
    js_name = removeElements,
    unchecked_return_type = "{ removed: string; meanAbsoluteRankChange: number }[]"
)]
#[allow(clippy::needless_pass_by_value)] // wasm-bindgen takes owned options
pub fn remove_elements(
    #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "DataInput")] data: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Recipe | string | null | undefined")] recipe: &JsValue,
    level: u32,
    target: &str,
    options: Option<ScoreOptions>,
) -> Result<JsValue, JsValue> {
    let framework = parse_framework(framework)?;
    let options: Option<JsValue> = options.map(Into::into);
    let data = in_period(dataset(data)?, options.as_ref())?;
    let recipe = parse_recipe(recipe)?;
    let effects = cityindex::analysis::remove_elements(&framework, &data, &recipe, level, target)
        .map_err(Fail::from)?;
    let out = js_sys::Array::new();
    for effect in effects {
        let item = Object::new();
        set(&item, "removed", &JsValue::from_str(&effect.removed))?;
        set(
            &item,
            "meanAbsoluteRankChange",
            &JsValue::from_f64(effect.mean_absolute_rank_change),
        )?;
        out.push(&item);
    }
    Ok(out.into())
}
