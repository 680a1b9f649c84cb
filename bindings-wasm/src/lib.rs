//! The WebAssembly bindings of cityindex: every function converts its arguments, calls the Rust
//! core, and converts the result back. No arithmetic happens here, so a browser computes the same
//! bits as Rust and Python.
//!
//! Frameworks, recipes, uncertainty specifications and analysis options are plain JS objects (or
//! JSON text) with the same JSON shape as in Rust and Python. Data are either columns —
//! `{units: [{id, name?}] | string[], columns: {id: Float64Array | (number|null)[]}, groups?,
//! periods?}` — or rows — `{units, columns: string[], rows: (number|null)[][]}`. Errors are thrown
//! as JS `Error`s with the message and a stable `code`.

mod convert;
#[cfg(feature = "analysis")]
mod decision;
#[cfg(feature = "analysis")]
mod model;

use cityindex::analysis::{self, AnalysisOptions};
use cityindex::uncertainty::UncertaintySpec;
use cityindex::{Dataset, Framework, Recipe, Scores};
use js_sys::{Array, Float64Array, Function, Object};
use serde::Serialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

use convert::{Fail, dataset, in_period, json_text, set, to_js};

#[wasm_bindgen(typescript_custom_section)]
const DATA_INPUT: &str = r#"
/** Data: the column form (a `DatasetDocument`, columns also as `Float64Array`s, units also as
 * plain ids), the row form, or the column form as JSON text. `null`, `undefined` and `NaN` are
 * missing values. */
export type DataInput =
  | DatasetDocument
  | {
      units: (string | Unit)[];
      columns: Record<string, Float64Array | (number | null)[]>;
      groups?: GroupColumn[];
      periods?: number[];
    }
  | { units: (string | Unit)[]; columns: string[]; rows: (Float64Array | (number | null)[])[] }
  | string;
"#;

/// An embedded official framework.
#[derive(Serialize, Tsify)]
pub struct BuiltinInfo {
    /// Its id, e.g. `desi-2022`.
    pub id: String,
    /// One line on what it is.
    pub summary: String,
}

/// A node as it appears in the results.
#[derive(Serialize, Tsify)]
pub struct NodeInfo {
    /// Node id.
    pub id: String,
    /// Node name.
    pub name: String,
    /// Level (1 for indicators).
    pub level: u32,
}

/// One unit's rank statistics on a node across the replicates of an uncertainty analysis.
#[derive(Serialize, Tsify)]
pub struct RankInterval {
    /// The unit.
    pub unit: String,
    /// Rank under the nominal recipe.
    pub nominal: f64,
    /// Median rank.
    pub median: f64,
    /// 5th percentile.
    pub q05: f64,
    /// 95th percentile.
    pub q95: f64,
    /// Mean rank.
    pub mean: f64,
    /// Mean absolute shift from the nominal rank.
    pub mean_abs_shift: f64,
}

/// One preparation stage: the data after a step of the recipe's preparation, and what it did.
#[derive(Serialize, Tsify)]
pub struct PreparationStage {
    /// The step: `denominate`, `impute`, `screen` or `treat`.
    pub step: String,
    /// The data after the step.
    pub data: cityindex::dataset::DatasetDocument,
    /// What the step did (tagged by `step`, as in Rust and Python).
    pub report: cityindex::prepare::StepReport,
}

/// The embedded official frameworks.
#[derive(Serialize, Tsify)]
#[serde(transparent)]
pub struct Builtins(Vec<BuiltinInfo>);

/// The nodes of a result.
#[derive(Serialize, Tsify)]
#[serde(transparent)]
pub struct Nodes(Vec<NodeInfo>);

/// Rank statistics of every unit.
#[derive(Serialize, Tsify)]
#[serde(transparent)]
pub struct RankIntervals(Vec<RankInterval>);

/// A typed JS value, through the same JSON as [`to_js`].
fn ts<T: Tsify + Serialize>(value: &T) -> Result<Ts<T>, JsValue> {
    Ok(Ts::new_unchecked(to_js(value)?))
}

/// The embedded official frameworks.
///
/// # Errors
/// Never in practice (serialisation of plain data).
#[wasm_bindgen]
pub fn builtins() -> Result<Ts<Builtins>, JsValue> {
    ts(&Builtins(
        cityindex::builtin::list()
            .iter()
            .map(|b| BuiltinInfo {
                id: b.id.to_owned(),
                summary: b.summary.to_owned(),
            })
            .collect(),
    ))
}

/// An embedded framework by id: `{framework, data, recipe}` as plain objects (`data` in the
/// column form).
///
/// # Errors
/// An unknown id (the message lists the known ones).
#[wasm_bindgen(
    unchecked_return_type = "{ framework: FrameworkDocument; data: DatasetDocument; recipe: Recipe }"
)]
pub fn builtin(id: &str) -> Result<JsValue, JsValue> {
    let b = cityindex::builtin::find(id).map_err(Fail::from)?;
    let out = Object::new();
    set(
        &out,
        "framework",
        &to_js(&b.framework().map_err(Fail::from)?.to_document())?,
    )?;
    set(
        &out,
        "data",
        &to_js(&b.data().map_err(Fail::from)?.to_document())?,
    )?;
    set(&out, "recipe", &to_js(&b.recipe().map_err(Fail::from)?)?)?;
    Ok(out.into())
}

/// Validates a framework (object or JSON text) and returns its canonical document.
///
/// # Errors
/// Malformed JSON or an invalid framework (the message names the node).
#[wasm_bindgen(js_name = validateFramework, unchecked_return_type = "FrameworkDocument")]
pub fn validate_framework(
    #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
) -> Result<JsValue, JsValue> {
    let framework = parse_framework(framework)?;
    Ok(to_js(&framework.to_document())?)
}

/// Reads a framework from the flat node table (CSV text; COINr iMeta columns accepted).
///
/// # Errors
/// An invalid table or framework.
#[wasm_bindgen(js_name = frameworkFromTable, unchecked_return_type = "FrameworkDocument")]
pub fn framework_from_table(csv: &str) -> Result<JsValue, JsValue> {
    let framework = Framework::from_table_csv(csv.as_bytes()).map_err(Fail::from)?;
    Ok(to_js(&framework.to_document())?)
}

/// Reads a data set from CSV text (COINr's iData layout accepted) for a framework.
///
/// # Errors
/// An invalid framework, or a CSV that does not parse (the message names the row and column).
#[wasm_bindgen(js_name = dataFromCsv, unchecked_return_type = "DatasetDocument")]
pub fn data_from_csv(
    #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
    csv: &str,
) -> Result<JsValue, JsValue> {
    let framework = parse_framework(framework)?;
    let data = Dataset::from_csv(
        csv.as_bytes(),
        &cityindex::CsvLayout::for_framework(&framework),
    )
    .map_err(Fail::from)?;
    Ok(to_js(&data.to_document())?)
}

pub(crate) fn parse_framework(value: &JsValue) -> Result<Framework, Fail> {
    framework_from_text(&json_text(value, "framework")?)
}

fn framework_from_text(text: &str) -> Result<Framework, Fail> {
    Framework::from_json(text).map_err(Fail::from)
}

pub(crate) fn parse_recipe(value: &JsValue) -> Result<Recipe, Fail> {
    if value.is_undefined() || value.is_null() {
        return Ok(Recipe::default());
    }
    Recipe::from_json(&json_text(value, "recipe")?).map_err(Fail::from)
}

#[wasm_bindgen(typescript_custom_section)]
const SCORE_OPTIONS: &str = r#"
/** Options of `score`: `period` scores one period of a panel (data with `periods`). */
export interface ScoreOptions {
  period?: number;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `{ period?: number }`.
    #[wasm_bindgen(typescript_type = "ScoreOptions")]
    pub type ScoreOptions;
}

/// Scores every node of `framework` for every unit of `data` as `recipe` says (the default
/// recipe when `recipe` is null or undefined); `options.period` scores one period of a panel.
///
/// # Errors
/// Invalid inputs (the message names the indicator, unit or node) and errors of the methods;
/// `data.several_periods` for a panel without `options.period`.
#[wasm_bindgen]
pub fn score(
    #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "DataInput")] data: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Recipe | string | null | undefined")] recipe: &JsValue,
    options: Option<ScoreOptions>,
) -> Result<ScoreResult, JsValue> {
    let framework = parse_framework(framework)?;
    let options: Option<JsValue> = options.map(Into::into);
    let data = in_period(dataset(data)?, options.as_ref())?;
    let recipe = parse_recipe(recipe)?;
    let scores = cityindex::score(&framework, &data, &recipe).map_err(Fail::from)?;
    Ok(ScoreResult { scores })
}

/// A data set converted and checked once (`new Dataset(data)`, data as for [`score`]), for
/// scoring it with one recipe after another — a what-if page re-scoring on every slider move —
/// without copying its columns and unit ids into WebAssembly and checking them again (two
/// thirds of the time of scoring 10,000 units × 100 indicators from JavaScript objects).
#[wasm_bindgen(js_name = Dataset)]
pub struct DatasetHandle {
    data: Dataset<'static>,
    /// The framework last scored, with its JSON text: a page re-scoring one framework parses it
    /// once (8 % of W1's time from a Dataset).
    framework: std::cell::RefCell<Option<(String, Framework)>>,
}

#[wasm_bindgen(js_class = Dataset)]
impl DatasetHandle {
    /// # Errors
    /// Invalid data, as [`score`] reports them.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "DataInput")] data: &JsValue,
    ) -> Result<DatasetHandle, JsValue> {
        Ok(DatasetHandle {
            data: dataset(data)?,
            framework: std::cell::RefCell::default(),
        })
    }

    /// The periods of a panel, in order (empty for data without periods).
    #[wasm_bindgen(getter)]
    pub fn periods(&self) -> Vec<f64> {
        #[allow(clippy::cast_precision_loss)] // years, far below 2⁵³
        self.data
            .distinct_periods()
            .into_iter()
            .map(|p| p as f64)
            .collect()
    }

    /// The rows of one period of a panel, as a new data set without periods.
    ///
    /// # Errors
    /// `data.no_periods` for data without periods; `data.unknown_period` for a period the data
    /// do not hold; `data.invalid_input` for a period that is not a whole number.
    #[wasm_bindgen(js_name = forPeriod)]
    pub fn for_period(&self, period: f64) -> Result<DatasetHandle, JsValue> {
        let options = Object::new();
        set(&options, "period", &period.into())?;
        Ok(DatasetHandle {
            data: in_period(self.data.clone(), Some(&options))?,
            framework: std::cell::RefCell::default(),
        })
    }

    /// Scores the data set as [`score`] does.
    ///
    /// # Errors
    /// As [`score`].
    pub fn score(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "Recipe | string | null | undefined")]
        recipe: &JsValue,
    ) -> Result<ScoreResult, JsValue> {
        // Both documents are read (JSON.stringify may run the caller's code, which may score
        // this Dataset too) before the kept framework is borrowed.
        let text = json_text(framework, "framework")?;
        let recipe = parse_recipe(recipe)?;
        let mut last = self.framework.borrow_mut();
        let framework = match &*last {
            Some((seen, framework)) if *seen == text => framework,
            _ => {
                let parsed = framework_from_text(&text)?;
                &last.insert((text, parsed)).1
            }
        };
        let scores = cityindex::score(framework, &self.data, &recipe).map_err(Fail::from)?;
        Ok(ScoreResult { scores })
    }
}

/// Runs a test vector's inputs given as JSON text and returns the result document as JSON text:
/// the language-neutral conformance path shared with Rust and Python.
///
/// # Errors
/// As [`score`].
#[wasm_bindgen(js_name = scoreDocuments)]
pub fn score_documents(framework: &str, data: &str, recipe: &str) -> Result<String, JsValue> {
    let framework = Framework::from_json(framework).map_err(Fail::from)?;
    let data = Dataset::from_json(data).map_err(Fail::from)?;
    let recipe = Recipe::from_json(recipe).map_err(Fail::from)?;
    let scores = cityindex::score(&framework, &data, &recipe).map_err(Fail::from)?;
    serde_json::to_string(&scores.to_document()).map_err(|e| Fail::internal(e.to_string()).into())
}

/// Runs the recipe's preparation steps (denominate, impute, screen, treat) on the data and keeps
/// the data after each one with what the step did: the intermediate data sets (COINr's
/// `Denominated`, `Imputed`, `Screened`, `Treated`) that [`score`] goes through.
///
/// # Errors
/// As [`score`].
#[wasm_bindgen(unchecked_return_type = "PreparationStage[]")]
pub fn prepare(
    #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "DataInput")] data: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Recipe | string | null | undefined")] recipe: &JsValue,
) -> Result<JsValue, JsValue> {
    let framework = parse_framework(framework)?;
    let data = dataset(data)?;
    let recipe = parse_recipe(recipe)?;
    let core = Fail::from;
    recipe.validate(&framework).map_err(core)?;
    let stages = cityindex::prepare::prepare_stages(&framework, &data, &recipe.prepare)
        .map_err(core)?
        .into_iter()
        .zip(&recipe.prepare)
        .map(|(s, step)| PreparationStage {
            step: step.name().to_owned(),
            data: s.data.to_document(),
            report: s.report,
        })
        .collect::<Vec<_>>();
    Ok(to_js(&stages)?)
}

/// Scores the data, then analyses the result (statistics, correlations, Cronbach's alpha, PCA,
/// effective weights, strengths and weaknesses; see `cityindex::analysis::analyse`), with
/// options `{correlation?: "pearson" | "spearman" | "kendall", strengths?, weaknesses?}`.
///
/// # Errors
/// As [`score`], and invalid options.
#[wasm_bindgen(unchecked_return_type = "Analysis")]
pub fn analyse(
    #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "DataInput")] data: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Recipe | string | null | undefined")] recipe: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Partial<AnalysisOptions> | string | null | undefined")]
    options: &JsValue,
) -> Result<JsValue, JsValue> {
    let framework = parse_framework(framework)?;
    let data = dataset(data)?;
    let recipe = parse_recipe(recipe)?;
    let options = if options.is_undefined() || options.is_null() {
        AnalysisOptions::default()
    } else {
        AnalysisOptions::from_json(&json_text(options, "options")?).map_err(Fail::from)?
    };
    let scores = cityindex::score(&framework, &data, &recipe).map_err(Fail::from)?;
    Ok(to_js(&analysis::analyse(
        &framework, &data, &scores, options,
    ))?)
}

/// Monte Carlo uncertainty analysis of the ranks (see `cityindex::uncertainty`). `progress`, if
/// given, is called as `progress(done, total)` as replicates finish; returning `false` cancels
/// the run (an `Error` with code `method.cancelled`), and an exception it throws cancels the run
/// and is rethrown. It may itself run another analysis.
///
/// # Errors
/// As [`score`], an invalid specification, or cancellation.
#[wasm_bindgen]
pub fn uncertainty(
    #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "DataInput")] data: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Recipe | string | null | undefined")] recipe: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "UncertaintySpec | string")] spec: &JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "((done: number, total: number) => boolean | void) | null | void"
    )]
    progress: Option<Function>,
) -> Result<UncertaintyResult, JsValue> {
    let framework = parse_framework(framework)?;
    let data = dataset(data)?;
    let recipe = parse_recipe(recipe)?;
    let spec = UncertaintySpec::from_json(&json_text(spec, "spec")?).map_err(Fail::from)?;
    // Nested runs (a progress function may start another analysis) each see their own
    // function: the outer run's is put back when the inner one ends.
    let outer = PROGRESS.with(|slot| slot.replace(Progress::new(progress)));
    let result = cityindex::uncertainty::run_uncertainty(
        &framework,
        &data,
        &recipe,
        &spec,
        &report_progress,
    );
    let this = PROGRESS.with(|slot| slot.replace(outer));
    if let Some(thrown) = this.thrown {
        return Err(thrown);
    }
    Ok(UncertaintyResult {
        result: result.map_err(Fail::from)?,
    })
}

/// The JS progress function of the running analysis, and what it threw, if anything.
#[derive(Default)]
struct Progress {
    function: Option<Function>,
    thrown: Option<JsValue>,
}

impl Progress {
    fn new(function: Option<Function>) -> Self {
        Progress {
            function,
            thrown: None,
        }
    }
}

thread_local! {
    /// The core wants a `Sync` callback and a JS function is not one; on wasm32 everything runs
    /// on this one thread, so the callback (a plain function, trivially `Sync`) finds the JS
    /// function here. It is never borrowed while JS code runs.
    static PROGRESS: std::cell::RefCell<Progress> = std::cell::RefCell::default();
}

/// Calls the JS progress function, if any: `false` from it cancels the run; an exception
/// cancels it too and is rethrown by [`uncertainty`].
fn report_progress(done: usize, total: usize) -> bool {
    let Some(function) = PROGRESS.with(|slot| slot.borrow().function.clone()) else {
        return true;
    };
    #[allow(clippy::cast_precision_loss)] // counts of replicates
    match function.call2(
        &JsValue::NULL,
        &JsValue::from(done as f64),
        &JsValue::from(total as f64),
    ) {
        Ok(answer) => answer != JsValue::FALSE,
        Err(thrown) => {
            PROGRESS.with(|slot| slot.borrow_mut().thrown = Some(thrown));
            false
        }
    }
}

/// Scores every period of a panel (data with `periods`): the preparation steps on the whole
/// panel, normalisation per period or over all periods as the recipe's
/// `normalise.panel_bounds` says, aggregation, ranks and bands per period.
///
/// # Errors
/// As [`score`], for any period.
#[wasm_bindgen(js_name = scorePanel)]
pub fn score_panel(
    #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "DataInput")] data: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "Recipe | string | null | undefined")] recipe: &JsValue,
) -> Result<PanelResult, JsValue> {
    let framework = parse_framework(framework)?;
    let data = dataset(data)?;
    let recipe = parse_recipe(recipe)?;
    let panel = cityindex::score_panel(&framework, &data, &recipe).map_err(Fail::from)?;
    Ok(PanelResult { panel })
}

/// Progress towards every indicator's target by its target year (the framework's `target` and
/// `target_year`), from the raw values of a panel, assessed as Eurostat assesses SDG targets
/// (`cityindex::analysis::target_progress`): one row per indicator and unit, `status`
/// `"met"`, `"on_track"`, `"moderate"`, `"off_track"` or `"moving_away"`.
///
/// # Errors
/// Invalid inputs.
#[wasm_bindgen(unchecked_return_type = "TargetProgress[]")]
pub fn targets(
    #[wasm_bindgen(unchecked_param_type = "FrameworkDocument | string")] framework: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "DataInput")] data: &JsValue,
) -> Result<JsValue, JsValue> {
    let framework = parse_framework(framework)?;
    let data = dataset(data)?;
    Ok(to_js(&cityindex::analysis::target_progress(
        &framework, &data,
    ))?)
}

/// The result of [`score_panel`].
#[wasm_bindgen]
pub struct PanelResult {
    panel: cityindex::PanelScores,
}

#[wasm_bindgen]
impl PanelResult {
    /// The periods, ascending.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn periods(&self) -> Vec<f64> {
        #[allow(clippy::cast_precision_loss)] // years
        self.panel.periods.iter().map(|&p| p as f64).collect()
    }

    /// The scores of one period.
    ///
    /// # Errors
    /// A period the panel does not hold (`data.unknown_period`).
    #[allow(clippy::cast_possible_truncation)] // a year
    pub fn period(&self, period: f64) -> Result<ScoreResult, JsValue> {
        let scores = self.panel.period(period as i64).ok_or_else(|| {
            Fail::from(cityindex::DataError::UnknownPeriod {
                period: period as i64,
            })
        })?;
        Ok(ScoreResult {
            scores: scores.clone(),
        })
    }

    /// Each unit's `node` from period `from` to `to`, ordered by the last rank (aggregates
    /// last): `{unit, name, start, end, change, cagr, rankStart, rankEnd, placesGained}` rows.
    ///
    /// # Errors
    /// An unknown node or period.
    #[allow(clippy::cast_possible_truncation)] // years
    pub fn trend(&self, node: &str, from: f64, to: f64) -> Result<Array, JsValue> {
        let (from, to) = (from as i64, to as i64);
        let mut rows = self.panel.trend(node, from, to).ok_or_else(|| {
            Fail::from(cityindex::ScoreError::UnknownNode {
                node: format!("{node} (or a period {from} or {to} the panel lacks)"),
                known: Vec::new(),
            })
        })?;
        let key = |t: &cityindex::Trend| {
            if t.rank_end.is_nan() {
                f64::INFINITY
            } else {
                t.rank_end
            }
        };
        rows.sort_by(|a, b| key(&a.1).total_cmp(&key(&b.1)));
        let names = self.panel.period(to).map(Scores::units).unwrap_or_default();
        let out = Array::new();
        for (unit, t) in rows {
            let name = names
                .iter()
                .find(|u| u.id == unit)
                .and_then(|u| u.name.clone())
                .unwrap_or_else(|| unit.clone());
            let row = Object::new();
            set(&row, "unit", &JsValue::from_str(&unit))?;
            set(&row, "name", &JsValue::from_str(&name))?;
            for (key, value) in [
                ("start", t.start),
                ("end", t.end),
                ("change", t.change),
                ("cagr", t.cagr),
                ("rankStart", t.rank_start),
                ("rankEnd", t.rank_end),
                ("placesGained", t.rank_change()),
            ] {
                set(&row, key, &JsValue::from_f64(value))?;
            }
            out.push(&row);
        }
        Ok(out)
    }
}

/// The result of [`score`]: each node's scores, ranks and coverage, one value per unit
/// (`NaN` = missing). Ranks and coverage are computed when first asked for.
#[wasm_bindgen]
pub struct ScoreResult {
    pub(crate) scores: Scores,
}

fn column(values: Option<&[f64]>, node: &str) -> Result<Float64Array, JsValue> {
    values.map(Float64Array::from).ok_or_else(|| {
        Fail::from(cityindex::ScoreError::UnknownNode {
            node: node.to_owned(),
            known: Vec::new(),
        })
        .into()
    })
}

#[wasm_bindgen]
impl ScoreResult {
    /// Unit ids, in data order.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn units(&self) -> Vec<String> {
        self.scores.units().iter().map(|u| u.id.clone()).collect()
    }

    /// Unit names (the id where a unit has none), in data order.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn names(&self) -> Vec<String> {
        self.scores
            .units()
            .iter()
            .map(|u| u.name.clone().unwrap_or_else(|| u.id.clone()))
            .collect()
    }

    /// The ids of the units that are aggregates (the EU, averages): scored, never ranked.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn aggregates(&self) -> Vec<String> {
        self.scores
            .units()
            .iter()
            .filter(|u| u.aggregate)
            .map(|u| u.id.clone())
            .collect()
    }

    /// The nodes, indicators first, then each level up.
    ///
    /// # Errors
    /// Never in practice (serialisation of plain data).
    #[wasm_bindgen(getter)]
    pub fn nodes(&self) -> Result<Ts<Nodes>, JsValue> {
        ts(&Nodes(
            self.scores
                .nodes()
                .iter()
                .map(|n| NodeInfo {
                    id: n.id.clone(),
                    name: n.name.clone(),
                    level: n.level,
                })
                .collect(),
        ))
    }

    /// Scores of a node (for an indicator, its normalised values).
    ///
    /// # Errors
    /// An unknown node.
    pub fn score(&self, node: &str) -> Result<Float64Array, JsValue> {
        column(self.scores.score(node), node)
    }

    /// Ranks on a node (1 = best; ties as the recipe says).
    ///
    /// # Errors
    /// An unknown node.
    pub fn rank(&self, node: &str) -> Result<Float64Array, JsValue> {
        column(self.scores.rank(node), node)
    }

    /// Coverage of a node: the share of its indicators with a value.
    ///
    /// # Errors
    /// An unknown node.
    pub fn coverage(&self, node: &str) -> Result<Float64Array, JsValue> {
        column(self.scores.coverage(node), node)
    }

    /// The maturity band of each unit on a banded node (`null` where unscored); `undefined` for
    /// a node without bands.
    #[must_use]
    pub fn band(&self, node: &str) -> Option<Vec<JsValue>> {
        self.scores.band(node).map(|labels| {
            labels
                .into_iter()
                .map(|l| l.map_or(JsValue::NULL, JsValue::from_str))
                .collect()
        })
    }

    /// Units ordered by rank on a node (missing ranks, and aggregates, last), as `{unit, name,
    /// score, rank}` rows, with `band` on a banded node and `aggregate: true` for an aggregate
    /// (the EU, an average: scored, never ranked).
    ///
    /// # Errors
    /// An unknown node.
    pub fn ranking(&self, node: &str) -> Result<Array, JsValue> {
        let rows = self.scores.ranking(node).ok_or_else(|| {
            Fail::from(cityindex::ScoreError::UnknownNode {
                node: node.to_owned(),
                known: Vec::new(),
            })
        })?;
        let bands = self.scores.band(node);
        let out = Array::new();
        for (r, score, rank) in rows {
            let unit = &self.scores.units()[r];
            let row = Object::new();
            set(&row, "unit", &JsValue::from_str(&unit.id))?;
            set(
                &row,
                "name",
                &JsValue::from_str(unit.name.as_deref().unwrap_or(&unit.id)),
            )?;
            set(&row, "score", &JsValue::from(score))?;
            set(&row, "rank", &JsValue::from(rank))?;
            if let Some(bands) = &bands {
                set(
                    &row,
                    "band",
                    &bands[r].map_or(JsValue::NULL, JsValue::from_str),
                )?;
            }
            if unit.aggregate {
                set(&row, "aggregate", &JsValue::TRUE)?;
            }
            out.push(&row);
        }
        Ok(out)
    }

    /// Warnings of the run (ignored columns, empty indicators).
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn warnings(&self) -> Vec<String> {
        self.scores
            .warnings()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// The result document (the JSON shape of the test vectors).
    ///
    /// # Errors
    /// Never in practice (serialisation of plain data).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "ScoresDocument")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.scores.to_document())?)
    }
}

/// The result of [`uncertainty`].
#[wasm_bindgen]
pub struct UncertaintyResult {
    pub(crate) result: cityindex::uncertainty::Uncertainty,
}

#[wasm_bindgen]
impl UncertaintyResult {
    /// Scores under the nominal recipe.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn nominal(&self) -> ScoreResult {
        ScoreResult {
            scores: self.result.nominal.clone(),
        }
    }

    /// The nodes summarised.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn nodes(&self) -> Vec<String> {
        self.result.nodes.clone()
    }

    /// How many replicates failed.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn failed(&self) -> usize {
        self.result.failed
    }

    /// Each unit's rank statistics on a node, in data order.
    ///
    /// # Errors
    /// A node that was not summarised.
    pub fn intervals(&self, node: &str) -> Result<Ts<RankIntervals>, JsValue> {
        let i = self.position(node)?;
        ts(&RankIntervals(
            self.result.summary[i]
                .iter()
                .zip(self.result.nominal.units())
                .map(|(s, u)| RankInterval {
                    unit: u.id.clone(),
                    nominal: s.nominal,
                    median: s.median,
                    q05: s.q05,
                    q95: s.q95,
                    mean: s.mean,
                    mean_abs_shift: s.mean_abs_shift,
                })
                .collect(),
        ))
    }

    /// Whether the replicates were enough: how far the rank statistics on a node of the first
    /// N/8, N/4 and N/2 replicates lie from those of all N (see
    /// `cityindex::uncertainty::RankConvergence`).
    ///
    /// # Errors
    /// A node that was not summarised.
    pub fn convergence(
        &self,
        node: &str,
    ) -> Result<Ts<cityindex::uncertainty::RankConvergence>, JsValue> {
        let i = self.position(node)?;
        ts(&self.result.convergence()[i])
    }

    /// Every replicate's ranks on a node: one `Float64Array` per replicate (`NaN` for a failed
    /// replicate).
    ///
    /// # Errors
    /// A node that was not summarised.
    pub fn ranks(&self, node: &str) -> Result<Array, JsValue> {
        let i = self.position(node)?;
        Ok(self.result.ranks[i]
            .iter()
            .map(|r| JsValue::from(Float64Array::from(r.as_slice())))
            .collect())
    }

    /// The nodes whose weights are perturbed, in the order of each record's `weight_factors`.
    #[must_use]
    #[wasm_bindgen(getter)]
    pub fn perturbed(&self) -> Vec<String> {
        self.result.perturbed.clone()
    }

    /// Every replicate's configuration: choices drawn, weight factors (in the order of
    /// `perturbed`), indicator left out, failure.
    ///
    /// # Errors
    /// Never in practice (serialisation of plain data).
    #[wasm_bindgen(getter, unchecked_return_type = "ReplicateRecord[]")]
    pub fn replicates(&self) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.result.replicates)?)
    }

    fn position(&self, node: &str) -> Result<usize, Fail> {
        self.result
            .nodes
            .iter()
            .position(|n| n == node)
            .ok_or_else(|| {
                Fail::from(cityindex::ScoreError::UnknownNode {
                    node: node.to_owned(),
                    known: self.result.nodes.clone(),
                })
            })
    }
}

/// Run on wasm32 in Node by `wasm-bindgen-test-runner` (scripts/test): the shared vectors through
/// the JSON-document path give Rust's documents, compared as JSON values.
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    const VECTORS: [&str; 4] = [
        include_str!("../../tests/vectors/desi_2022.json"),
        include_str!("../../tests/vectors/asem_default.json"),
        include_str!("../../tests/vectors/small_scales_missing_ties.json"),
        include_str!("../../tests/vectors/asem_geometric_on_zero.json"),
    ];

    #[wasm_bindgen_test]
    fn vectors_reproduce_on_wasm32() {
        for text in VECTORS {
            let v: serde_json::Value = serde_json::from_str(text).unwrap();
            let out = super::score_documents(
                &v["framework"].to_string(),
                &v["data"].to_string(),
                &v["recipe"].to_string(),
            );
            match (&v["expected"]["scores"], out) {
                (serde_json::Value::Null, Err(_)) => {}
                (expected, Ok(json)) => {
                    let ours: serde_json::Value = serde_json::from_str(&json).unwrap();
                    assert_eq!(&ours, expected, "{}", v["name"]);
                }
                (_, Err(_)) => panic!("{} failed", v["name"]),
            }
        }
    }

    #[wasm_bindgen_test]
    fn builtins_load() {
        let b = cityindex::builtin::get("desi-2022").unwrap();
        assert!(b.framework().is_ok() && b.data().is_ok() && b.recipe().is_ok());
    }
}
