//! Fitted models in the analysis module (`cityindex/analysis`): `fit` freezes what a recipe
//! takes from a population, `Model#transform` scores other units with it (the population with
//! `score`'s bits), `Model#place` ranks new units among the population
//! (`cityindex::model`).

use wasm_bindgen::prelude::*;

use crate::convert::{Fail, dataset, in_period, json_text};
use crate::decision::argument;
use crate::{ScoreOptions, ScoreResult, UncertaintyResult, parse_framework, parse_recipe};

/// A recipe fitted on a population.
#[wasm_bindgen(js_name = Model)]
pub struct ModelHandle {
    model: cityindex::model::Model,
}

#[wasm_bindgen(js_class = Model)]
impl ModelHandle {
    /// Reads a model's JSON form (from `toJson`, Python's `Model.to_json` or `cityindex fit`).
    ///
    /// # Errors
    /// Not a model, or one whose framework or recipe does not validate.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> Result<ModelHandle, JsValue> {
        let model = cityindex::model::Model::from_json(text).map_err(Fail::from)?;
        Ok(ModelHandle { model })
    }

    /// The model's JSON form.
    #[wasm_bindgen(js_name = toJson)]
    #[must_use]
    pub fn to_json(&self) -> String {
        self.model.to_json()
    }

    /// Scores `data` (as for `score`; `options.period` picks one period) with the model.
    ///
    /// # Errors
    /// A missing column, a value a fitted transformation cannot take, the numeric-safety rules.
    #[allow(clippy::needless_pass_by_value)] // wasm-bindgen takes owned options
    pub fn transform(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DataInput")] data: &JsValue,
        options: Option<ScoreOptions>,
    ) -> Result<ScoreResult, JsValue> {
        let options: Option<JsValue> = options.map(Into::into);
        let data = in_period(dataset(data)?, options.as_ref())?;
        let scores = self.model.transform(&data).map_err(Fail::from)?;
        Ok(ScoreResult { scores })
    }

    /// The rank each of `scores` (of `node`) would take among the population's scores joined
    /// by it alone; `undefined` for a node without population scores.
    #[must_use]
    pub fn place(&self, node: &str, scores: &[f64]) -> Option<Vec<f64>> {
        self.model.place(node, scores)
    }
}

/// Fits `recipe` on the units of `data` (as for `score`; one period, `options.period`).
///
/// # Errors
/// As `score` on the same data.
#[wasm_bindgen]
#[allow(clippy::needless_pass_by_value)] // wasm-bindgen takes owned options
pub fn fit(
    #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "DataInput")] data: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Recipe | string | null | undefined")] recipe: &JsValue,
    options: Option<ScoreOptions>,
) -> Result<ModelHandle, JsValue> {
    let framework = parse_framework(framework)?;
    let options: Option<JsValue> = options.map(Into::into);
    let data = in_period(dataset(data)?, options.as_ref())?;
    let recipe = parse_recipe(recipe)?;
    let model = cityindex::model::fit(&framework, &data, &recipe).map_err(Fail::from)?;
    Ok(ModelHandle { model })
}

/// One partition's statistics for fitting `recipe` (`cityindex::model::summarise`) as JSON;
/// `means` (from `mergeSummaries`) asks for the second pass of a z-score.
///
/// # Errors
/// A missing indicator column, an invalid recipe or means.
#[wasm_bindgen]
pub fn summarise(
    #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "DataInput")] data: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Recipe | string | null | undefined")] recipe: &JsValue,
    means: Option<String>,
) -> Result<String, JsValue> {
    let framework = parse_framework(framework)?;
    let data = dataset(data)?;
    let recipe = parse_recipe(recipe)?;
    let means: Option<std::collections::BTreeMap<String, f64>> = means
        .map(|m| argument(&JsValue::from_str(&m), "means"))
        .transpose()?;
    let summary = cityindex::model::summarise(&framework, &recipe, &data, means.as_ref())
        .map_err(Fail::from)?;
    Ok(serde_json::to_string(&summary).unwrap_or_default())
}

/// Merges partition summaries (JSON texts) into one: `{summary, means}`, `means` the JSON of
/// the merged means when a z-score needs a second pass, else `undefined`.
///
/// # Errors
/// A text that is not a summary.
#[wasm_bindgen(
    js_name = mergeSummaries,
    unchecked_return_type = "{ summary: string; means?: string }"
)]
#[allow(clippy::needless_pass_by_value)] // wasm-bindgen takes owned arrays
pub fn merge_summaries(parts: Vec<String>) -> Result<JsValue, JsValue> {
    let mut total = cityindex::model::Summary::default();
    for part in &parts {
        let part: cityindex::model::Summary = argument(&JsValue::from_str(part), "summary")?;
        total.merge(&part);
    }
    let out = js_sys::Object::new();
    let summary = serde_json::to_string(&total).unwrap_or_default();
    crate::convert::set(&out, "summary", &JsValue::from_str(&summary))?;
    if total.needs_squares() {
        let means = serde_json::to_string(&total.means()).unwrap_or_default();
        crate::convert::set(&out, "means", &JsValue::from_str(&means))?;
    }
    Ok(out.into())
}

/// A model from merged statistics (`cityindex::model::from_summary`), without preparation.
///
/// # Errors
/// An invalid recipe or summary, a degenerate column.
#[wasm_bindgen(js_name = modelFromSummary)]
pub fn model_from_summary(
    #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Recipe | string | null | undefined")] recipe: &JsValue,
    summary: &str,
) -> Result<ModelHandle, JsValue> {
    let framework = parse_framework(framework)?;
    let recipe = parse_recipe(recipe)?;
    let summary: cityindex::model::Summary = argument(&JsValue::from_str(summary), "summary")?;
    let model = cityindex::model::from_summary(&framework, &recipe, &summary, Vec::new())
        .map_err(Fail::from)?;
    Ok(ModelHandle { model })
}

/// The ranks of one partition of a ranking split by value, after the `earlier` partitions'
/// `[scores, distinct scores]` (`cityindex::rank::rank_in_partition`).
///
/// # Errors
/// An unknown tie rule, or `earlier` not pairs of counts.
#[wasm_bindgen(js_name = rankInPartition)]
pub fn rank_in_partition(
    values: &[f64],
    ties: &str,
    #[wasm_bindgen(unchecked_param_type = "[number, number][]")] earlier: &JsValue,
) -> Result<Vec<f64>, JsValue> {
    let ties: cityindex::rank::TieRule =
        argument(&JsValue::from_str(&format!("\"{ties}\"")), "tie rule")?;
    let earlier: Vec<(usize, usize)> = argument(earlier, "earlier partitions")?;
    Ok(cityindex::rank::rank_in_partition(values, ties, &earlier))
}

/// The replicates `start..end` of an uncertainty analysis as JSON
/// (`cityindex::uncertainty::run_replicates`), to run apart and `combineUncertainty`.
///
/// # Errors
/// As `uncertainty`; a range beyond the specification's replicates.
#[wasm_bindgen(js_name = uncertaintyReplicates)]
pub fn uncertainty_replicates(
    #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "DataInput")] data: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Recipe | string | null | undefined")] recipe: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "UncertaintySpec | string")] spec: &JsValue,
    start: usize,
    end: usize,
) -> Result<String, JsValue> {
    let framework = parse_framework(framework)?;
    let data = dataset(data)?;
    let recipe = parse_recipe(recipe)?;
    let spec = cityindex::uncertainty::UncertaintySpec::from_json(&json_text(spec, "spec")?)
        .map_err(Fail::from)?;
    let run = cityindex::uncertainty::run_replicates(
        &framework,
        &data,
        &recipe,
        &spec,
        start..end,
        &|_, _| true,
    )
    .map_err(Fail::from)?;
    Ok(serde_json::to_string(&run).unwrap_or_default())
}

/// The analysis from runs of replicates (JSON texts from `uncertaintyReplicates`) covering each
/// replicate once, in any order: `uncertainty`'s result (`cityindex::uncertainty::combine`).
///
/// # Errors
/// As `uncertainty`'s nominal run; runs that overlap or leave a gap.
#[wasm_bindgen(js_name = combineUncertainty)]
#[allow(clippy::needless_pass_by_value)] // wasm-bindgen takes owned arrays
pub fn combine_uncertainty(
    #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "DataInput")] data: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Recipe | string | null | undefined")] recipe: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "UncertaintySpec | string")] spec: &JsValue,
    runs: Vec<String>,
) -> Result<UncertaintyResult, JsValue> {
    let framework = parse_framework(framework)?;
    let data = dataset(data)?;
    let recipe = parse_recipe(recipe)?;
    let spec = cityindex::uncertainty::UncertaintySpec::from_json(&json_text(spec, "spec")?)
        .map_err(Fail::from)?;
    let runs = runs
        .iter()
        .map(|run| argument(&JsValue::from_str(run), "uncertainty run"))
        .collect::<Result<Vec<cityindex::uncertainty::ReplicateRun>, Fail>>()?;
    let result = cityindex::uncertainty::combine(&framework, &data, &recipe, &spec, runs)
        .map_err(Fail::from)?;
    Ok(UncertaintyResult { result })
}
