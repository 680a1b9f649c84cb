//! The native module of the `cityindex` Python package: every function converts its arguments,
//! calls the Rust core, and converts the result back. No arithmetic happens here.

use cityindex::analysis::{self, AnalysisOptions};
use cityindex::dataset::GroupColumn;
use cityindex::layout::ColumnRole;
use cityindex::uncertainty::UncertaintySpec;
use cityindex::{Dataset, Framework, Recipe, Scores, Unit};
use numpy::ndarray::{Array2, ShapeBuilder};
use numpy::{
    IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods,
};
use pyo3::exceptions::{PyKeyError, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// Python's process frees large blocks back to the system between calls, so every call would
/// fault in fresh pages for its data and results (two thirds of W1's time from Python); mimalloc
/// keeps them for the next call, as the Rust core's own allocations do in a Rust program.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The core's error as the Python exception of its domain (classes defined in
/// `cityindex/errors.py`, each a subclass of `cityindex.Error` and, where the input is at fault,
/// of `ValueError`), with the message and the stable code in `.code`.
fn to_py(py: Python<'_>, e: &cityindex::Error) -> PyErr {
    let class = match e {
        cityindex::Error::Framework(_) => "FrameworkError",
        cityindex::Error::Data(_) => "DataError",
        cityindex::Error::Score(_) => "ScoreError",
        cityindex::Error::Method(cityindex::MethodError::Cancelled { .. }) => "Cancelled",
        cityindex::Error::Method(_) => "MethodError",
        _ => "Error",
    };
    let raise = || -> PyResult<PyErr> {
        let cls = py.import("cityindex.errors")?.getattr(class)?;
        let instance = cls.call1((e.to_string(),))?;
        instance.setattr("code", e.code())?;
        Ok(PyErr::from_value(instance))
    };
    raise().unwrap_or_else(|import_error| import_error)
}

/// The error every native function returns: the core's, raised as the Python exception of its
/// domain with its code, or Python's own. `?` converts both (as polars' `PyPolarsErr` does).
enum NativeError {
    Core(cityindex::Error),
    Python(PyErr),
}

type NativeResult<T> = Result<T, NativeError>;

impl From<NativeError> for PyErr {
    fn from(e: NativeError) -> PyErr {
        match e {
            NativeError::Core(e) => Python::attach(|py| to_py(py, &e)),
            NativeError::Python(e) => e,
        }
    }
}

impl From<PyErr> for NativeError {
    fn from(e: PyErr) -> Self {
        NativeError::Python(e)
    }
}

/// An array that cannot take its shape: a failure of the binding, not of the input.
impl From<numpy::ndarray::ShapeError> for NativeError {
    fn from(e: numpy::ndarray::ShapeError) -> Self {
        NativeError::Core(
            cityindex::BoundaryError::Internal {
                reason: e.to_string(),
            }
            .into(),
        )
    }
}

/// A result that cannot be written as JSON: a failure of the binding, not of the input.
impl From<serde_json::Error> for NativeError {
    fn from(e: serde_json::Error) -> Self {
        NativeError::Core(
            cityindex::BoundaryError::Internal {
                reason: e.to_string(),
            }
            .into(),
        )
    }
}

macro_rules! from_core {
    ($($error:ty),*) => {$(
        impl From<$error> for NativeError {
            fn from(e: $error) -> Self {
                NativeError::Core(e.into())
            }
        }
    )*};
}

from_core!(
    cityindex::Error,
    cityindex::FrameworkError,
    cityindex::DataError,
    cityindex::ScoreError,
    cityindex::MethodError
);

/// Builds a framework from its JSON document and returns its canonical JSON (validated).
#[pyfunction]
fn framework_json(json: &str) -> NativeResult<String> {
    let framework = Framework::from_json(json)?;
    Ok(framework.to_json())
}

/// Reads a framework from the flat node table (CSV text, COINr iMeta columns accepted) and
/// returns its JSON document.
#[pyfunction]
fn framework_from_table(csv: &str) -> NativeResult<String> {
    let framework = Framework::from_table_csv(csv.as_bytes())?;
    Ok(framework.to_json())
}

/// The role of each column of a data table in COINr's iData layout (`uCode`, `uName`, `Time`,
/// `Group_*` and the framework's declared `groups`): `unit_id`, `unit_name`, `period`, `group`
/// or `indicator` — the core's rule ([`cityindex::CsvLayout::role`]), so Python reads a
/// DataFrame as Rust reads a CSV.
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn column_roles(headers: Vec<String>, groups: Vec<String>) -> Vec<&'static str> {
    let layout = cityindex::CsvLayout::with_groups(groups);
    headers
        .iter()
        .map(|h| match layout.role(h) {
            ColumnRole::UnitId => "unit_id",
            ColumnRole::UnitName => "unit_name",
            ColumnRole::Period => "period",
            ColumnRole::Group => "group",
            ColumnRole::Indicator => "indicator",
        })
        .collect()
}

/// The iData layout's column names: unit id, unit name, period (what `builtin` writes).
#[pyfunction]
fn layout_names() -> (&'static str, &'static str, &'static str) {
    (
        cityindex::CsvLayout::UNIT_ID,
        cityindex::CsvLayout::UNIT_NAME,
        cityindex::CsvLayout::PERIOD,
    )
}

/// The data a native function reads: the fields of Python's `_Inputs` (unit and column ids, a
/// units × columns float64 array, optional names, groups and periods), read by attribute.
#[derive(FromPyObject)]
struct DataArgs<'py> {
    units: Vec<String>,
    columns: Vec<String>,
    values: PyReadonlyArray2<'py, f64>,
    names: Option<Vec<Option<String>>>,
    groups: Option<Vec<(String, Vec<Option<String>>)>>,
    periods: Option<Vec<i64>>,
}

/// The data set of `data` (its ids and names taken out, its array borrowed for the data set's
/// lifetime: F-contiguous arrays are read in place, others copied in column order).
fn dataset<'a>(data: &'a mut DataArgs<'_>) -> NativeResult<Dataset<'a>> {
    let units = std::mem::take(&mut data.units);
    let columns = std::mem::take(&mut data.columns);
    let (names, groups, periods) = (data.names.take(), data.groups.take(), data.periods.take());
    let data: &'a DataArgs<'_> = data;
    let values = &data.values;
    let view = values.as_array();
    let shape = view.shape();
    if shape != [units.len(), columns.len()] {
        return Err(cityindex::DataError::Shape {
            rows: shape[0],
            columns: shape[1],
            units: units.len(),
            ids: columns.len(),
        }
        .into());
    }
    // Column-major, as the core stores it: F-contiguous input is borrowed (the readonly borrow
    // keeps Rust writers off it while the core runs), other layouts are copied column by column.
    let flat: Cow<'a, [f64]> = match values.as_slice() {
        Ok(slice) if values.is_fortran_contiguous() => Cow::Borrowed(slice),
        _ => Cow::Owned(view.t().iter().copied().collect()),
    };
    let names = names.unwrap_or_default();
    let units: Vec<Unit> = units
        .into_iter()
        .enumerate()
        .map(|(r, id)| Unit {
            id,
            name: names.get(r).cloned().flatten(),
            aggregate: false,
        })
        .collect();
    let groups = groups
        .unwrap_or_default()
        .into_iter()
        .map(|(id, values)| GroupColumn { id, values })
        .collect();
    Ok(Dataset::from_parts(units, columns, flat, groups, periods)?)
}

/// Scores `values` (units × columns, float64; F-contiguous arrays are read in place, others
/// copied in column order) with the framework and recipe given as JSON. Returns a dict with the
/// unit and node ids, node levels, the score, rank and coverage matrices (units × nodes) and
/// the maturity bands of banded nodes and the warnings. The GIL is released while the core runs.
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn score<'py>(
    py: Python<'py>,
    framework: &FrameworkHandle,
    mut inputs: DataArgs<'py>,
    recipe: &str,
) -> NativeResult<Bound<'py, PyDict>> {
    let (framework, recipe) = (&framework.framework, &Recipe::from_json(recipe)?);
    let data = dataset(&mut inputs)?;
    let scores = py.detach(|| cityindex::score(framework, &data, recipe))?;
    // Without preparation steps the scores share the data set's units: the caller has the ids.
    let same_units = std::ptr::eq(scores.units().as_ptr(), data.units().as_ptr());
    scores_dict(py, scores, same_units)
}

/// A fitted model (`cityindex.Model`): the recipe's data-dependent parameters, frozen
/// (`cityindex::model`).
#[pyclass(frozen, module = "cityindex._native", name = "Model")]
struct ModelHandle {
    model: cityindex::model::Model,
    framework: Framework,
}

impl ModelHandle {
    fn wrap(model: cityindex::model::Model) -> NativeResult<Self> {
        let framework = model.built_framework()?;
        Ok(ModelHandle { model, framework })
    }
}

#[pymethods]
impl ModelHandle {
    #[new]
    fn new(json: &str) -> NativeResult<Self> {
        Self::wrap(cityindex::model::Model::from_json(json)?)
    }

    /// The model's JSON form.
    fn to_json(&self) -> String {
        self.model.to_json()
    }

    /// The framework's JSON form.
    fn framework_json(&self) -> String {
        self.framework.to_json()
    }

    /// Scores `inputs` with the model (`Model::transform`).
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
    fn transform<'py>(
        &self,
        py: Python<'py>,
        mut inputs: DataArgs<'py>,
    ) -> NativeResult<Bound<'py, PyDict>> {
        let data = dataset(&mut inputs)?;
        let scores = py.detach(|| self.model.transform(&data))?;
        let same_units = std::ptr::eq(scores.units().as_ptr(), data.units().as_ptr());
        scores_dict(py, scores, same_units)
    }

    /// Each score's rank among the population's on `node` (`Model::place`); `None` for a node
    /// without reference scores.
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
    fn place(&self, node: &str, scores: Vec<f64>) -> Option<Vec<f64>> {
        self.model.place(node, &scores)
    }
}

/// Fits `recipe` on the data (`cityindex::model::fit`).
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn fit(
    py: Python<'_>,
    framework: &FrameworkHandle,
    mut inputs: DataArgs<'_>,
    recipe: &str,
) -> NativeResult<ModelHandle> {
    let (framework, recipe) = (&framework.framework, &Recipe::from_json(recipe)?);
    let data = dataset(&mut inputs)?;
    let model = py.detach(|| cityindex::model::fit(framework, &data, recipe))?;
    ModelHandle::wrap(model)
}

/// One partition's statistics for fitting `recipe` (`cityindex::model::summarise`), as JSON;
/// `means` (JSON, from `summary_means`) asks for the second pass.
#[pyfunction]
#[pyo3(signature = (framework, inputs, recipe, means=None))]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn summarise(
    py: Python<'_>,
    framework: &FrameworkHandle,
    mut inputs: DataArgs<'_>,
    recipe: &str,
    means: Option<&str>,
) -> NativeResult<String> {
    let (framework, recipe) = (&framework.framework, &Recipe::from_json(recipe)?);
    let means: Option<std::collections::BTreeMap<String, f64>> =
        means.map(|m| method_from_json(m, "means")).transpose()?;
    let data = dataset(&mut inputs)?;
    let summary =
        py.detach(|| cityindex::model::summarise(framework, recipe, &data, means.as_ref()))?;
    Ok(serde_json::to_string(&summary).unwrap_or_default())
}

/// Merges partition summaries (JSON) into one (`Summary::merge`); returns it as JSON with the
/// means for a second pass, if one is needed (else `None`).
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn merge_summaries(parts: Vec<String>) -> NativeResult<(String, Option<String>)> {
    let mut total = cityindex::model::Summary::default();
    for part in &parts {
        let part: cityindex::model::Summary = method_from_json(part, "summary")?;
        total.merge(&part);
    }
    let means = total
        .needs_squares()
        .then(|| serde_json::to_string(&total.means()).unwrap_or_default());
    Ok((serde_json::to_string(&total).unwrap_or_default(), means))
}

/// Whether the recipe's statistics are only counts and extremes
/// (`cityindex::model::extremes_suffice`).
#[pyfunction]
fn extremes_suffice(framework: &FrameworkHandle, recipe: &str) -> NativeResult<bool> {
    let recipe = Recipe::from_json(recipe)?;
    Ok(cityindex::model::extremes_suffice(
        &framework.framework,
        &recipe,
    ))
}

/// A summary (JSON) of `units` units from each indicator's (count, least, greatest)
/// (`Summary::from_extremes`; `None` extremes for an indicator without values).
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn summary_from_extremes(
    framework: &FrameworkHandle,
    recipe: &str,
    units: usize,
    columns: std::collections::BTreeMap<String, (usize, Option<f64>, Option<f64>)>,
) -> NativeResult<String> {
    let recipe = Recipe::from_json(recipe)?;
    let columns = columns
        .into_iter()
        .map(|(id, (count, min, max))| (id, (count, min.zip(max))))
        .collect();
    let summary =
        cityindex::model::Summary::from_extremes(&framework.framework, &recipe, units, columns)?;
    Ok(serde_json::to_string(&summary)?)
}

/// A model from merged statistics (`cityindex::model::from_summary`), without preparation.
#[pyfunction]
fn model_from_summary(
    framework: &FrameworkHandle,
    recipe: &str,
    summary: &str,
) -> NativeResult<ModelHandle> {
    let recipe = Recipe::from_json(recipe)?;
    let summary: cityindex::model::Summary = method_from_json(summary, "summary")?;
    let model =
        cityindex::model::from_summary(&framework.framework, &recipe, &summary, Vec::new())?;
    ModelHandle::wrap(model)
}

/// A data set converted and validated once (`cityindex.Dataset`): scoring it again with another
/// recipe skips converting its unit ids, checking them for duplicates and scanning its values,
/// which an array goes through in every call. It owns a copy of the values.
#[pyclass(frozen, module = "cityindex._native", name = "Dataset")]
struct DatasetHandle {
    data: Dataset<'static>,
}

#[pymethods]
impl DatasetHandle {
    #[new]
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
    fn new(py: Python<'_>, mut inputs: DataArgs<'_>) -> NativeResult<Self> {
        let data = dataset(&mut inputs)?;
        Ok(DatasetHandle {
            data: py.detach(|| data.into_owned()),
        })
    }

    /// A copy of the values (units × columns, Fortran order).
    fn values<'py>(&self, py: Python<'py>) -> NativeResult<Bound<'py, PyArray2<f64>>> {
        let shape = (self.data.n_units(), self.data.column_ids().len());
        let values = py.detach(|| self.data.values().to_vec());
        fortran_array(py, shape, values)
    }
}

/// A framework parsed once (kept by `cityindex.Framework`), for scoring a [`DatasetHandle`]
/// without parsing the framework's document in every call.
#[pyclass(frozen, module = "cityindex._native")]
struct FrameworkHandle {
    framework: Framework,
}

#[pymethods]
impl FrameworkHandle {
    #[new]
    fn new(json: &str) -> NativeResult<Self> {
        let framework = Framework::from_json(json)?;
        Ok(FrameworkHandle { framework })
    }
}

/// [`score`] of a [`DatasetHandle`] with a [`FrameworkHandle`].
#[pyfunction]
fn score_dataset<'py>(
    py: Python<'py>,
    framework: &FrameworkHandle,
    data: &DatasetHandle,
    recipe: &str,
) -> NativeResult<Bound<'py, PyDict>> {
    let recipe = Recipe::from_json(recipe)?;
    let (framework, data) = (&framework.framework, &data.data);
    let scores = py.detach(|| cityindex::score(framework, data, &recipe))?;
    let same_units = std::ptr::eq(scores.units().as_ptr(), data.units().as_ptr());
    scores_dict(py, scores, same_units)
}

/// Scores the data, then analyses the result (`cityindex::analysis::analyse`) with the options
/// given as JSON. Returns the analysis as JSON: statistics, correlations, Cronbach's alpha, PCA,
/// effective weights, strengths and weaknesses.
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn analyse<'py>(
    py: Python<'py>,
    framework: &FrameworkHandle,
    mut inputs: DataArgs<'py>,
    recipe: &str,
    options: &str,
) -> NativeResult<String> {
    let (framework, recipe) = (&framework.framework, &Recipe::from_json(recipe)?);
    let options = AnalysisOptions::from_json(options)?;
    let data = dataset(&mut inputs)?;
    let analysis = py.detach(|| {
        cityindex::score(framework, &data, recipe)
            .map(|scores| analysis::analyse(framework, &data, &scores, options))
    })?;
    Ok(serde_json::to_string(&analysis)?)
}

/// Runs the recipe's preparation steps on the data (`cityindex::prepare::prepare_stages`) and
/// returns, per step: the unit ids, the column ids, the values after the step (units × columns,
/// Fortran order) and the step's report as JSON. The GIL is released while the core runs.
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn prepare<'py>(
    py: Python<'py>,
    framework: &FrameworkHandle,
    mut inputs: DataArgs<'py>,
    recipe: &str,
) -> NativeResult<Vec<Stage<'py>>> {
    let (framework, recipe) = (&framework.framework, &Recipe::from_json(recipe)?);
    recipe.validate(framework)?;
    let data = dataset(&mut inputs)?;
    let stages =
        py.detach(|| cityindex::prepare::prepare_stages(framework, &data, &recipe.prepare))?;
    stages
        .into_iter()
        .map(|stage| {
            let data = stage.data;
            let shape = (data.n_units(), data.column_ids().len());
            let values = Array2::from_shape_vec(shape.f(), data.values().to_vec())?;
            let report = serde_json::to_string(&stage.report)?;
            Ok((
                data.units().iter().map(|u| u.id.clone()).collect(),
                data.column_ids().to_vec(),
                values.into_pyarray(py),
                report,
                stage.report.changed(),
            ))
        })
        .collect()
}

/// One preparation stage for Python: unit ids, column ids, values, the report as JSON, and how
/// many things the step changed (`StepReport::changed`).
type Stage<'py> = (
    Vec<String>,
    Vec<String>,
    Bound<'py, PyArray2<f64>>,
    String,
    usize,
);

/// A units × nodes matrix from its column-major values, as a Fortran-ordered numpy array (the
/// vector is moved, not copied).
fn matrix<'py>(
    py: Python<'py>,
    scores: &Scores,
    values: Vec<f64>,
) -> NativeResult<Bound<'py, PyArray2<f64>>> {
    fortran_array(py, (scores.units().len(), scores.nodes().len()), values)
}

/// A rows × columns numpy array of column-major `values`.
fn fortran_array(
    py: Python<'_>,
    shape: (usize, usize),
    values: Vec<f64>,
) -> NativeResult<Bound<'_, PyArray2<f64>>> {
    let array = Array2::from_shape_vec(shape.f(), values)?;
    Ok(array.into_pyarray(py))
}

/// The scores of a run, kept so that the score, rank and coverage matrices — a copy of 8.9 MB
/// for 10,000 units × 111 nodes, a sort per node — are made only when Python first asks for
/// them.
#[pyclass(frozen, module = "cityindex._native")]
struct ScoresHandle {
    scores: Scores,
}

#[pymethods]
impl ScoresHandle {
    /// Scores of every unit on every node (units × nodes, Fortran order).
    fn score<'py>(&self, py: Python<'py>) -> NativeResult<Bound<'py, PyArray2<f64>>> {
        let values = py.detach(|| self.scores.score_matrix().to_vec());
        matrix(py, &self.scores, values)
    }

    /// Scores of every unit on one node.
    fn score_of<'py>(
        &self,
        py: Python<'py>,
        node: &str,
    ) -> NativeResult<Bound<'py, PyArray1<f64>>> {
        let score = self
            .scores
            .score(node)
            .ok_or_else(|| PyKeyError::new_err(format!("no node `{node}` in the results")))?;
        Ok(score.to_vec().into_pyarray(py))
    }

    /// Ranks of every unit on every node (units × nodes, Fortran order).
    fn rank<'py>(&self, py: Python<'py>) -> NativeResult<Bound<'py, PyArray2<f64>>> {
        let ranks = py.detach(|| self.scores.rank_matrix());
        matrix(py, &self.scores, ranks)
    }

    /// Ranks of every unit on one node.
    fn rank_of<'py>(&self, py: Python<'py>, node: &str) -> NativeResult<Bound<'py, PyArray1<f64>>> {
        let ranks = py
            .detach(|| self.scores.rank(node).map(<[f64]>::to_vec))
            .ok_or_else(|| PyKeyError::new_err(format!("no node `{node}` in the results")))?;
        Ok(ranks.into_pyarray(py))
    }

    /// The rows of the units by rank on one node, best first (`Scores::order`).
    fn order<'py>(&self, py: Python<'py>, node: &str) -> NativeResult<Bound<'py, PyArray1<usize>>> {
        let rows = py
            .detach(|| self.scores.order(node))
            .ok_or_else(|| PyKeyError::new_err(format!("no node `{node}` in the results")))?;
        Ok(rows.into_pyarray(py))
    }

    /// Coverage of every unit on every node (units × nodes, Fortran order).
    fn coverage<'py>(&self, py: Python<'py>) -> NativeResult<Bound<'py, PyArray2<f64>>> {
        let coverage = py.detach(|| self.scores.coverage_matrix());
        matrix(py, &self.scores, coverage)
    }

    /// What each preparation step did, as a JSON list of the core's step reports.
    fn preparation(&self) -> NativeResult<String> {
        Ok(serde_json::to_string(self.scores.preparation())?)
    }
}

/// Scores as a dict: unit ids (None when `same_units`: the caller's own), node ids, node
/// levels, bands of banded nodes, warnings, and a `ScoresHandle` for the scores, ranks and
/// coverage.
fn scores_dict(
    py: Python<'_>,
    scores: Scores,
    same_units: bool,
) -> NativeResult<Bound<'_, PyDict>> {
    let out = PyDict::new(py);
    let units = (!same_units).then(|| {
        scores
            .units()
            .iter()
            .map(|u| u.id.clone())
            .collect::<Vec<_>>()
    });
    out.set_item("units", units)?;
    out.set_item(
        "nodes",
        scores
            .nodes()
            .iter()
            .map(|n| n.id.clone())
            .collect::<Vec<_>>(),
    )?;
    out.set_item(
        "levels",
        scores.nodes().iter().map(|n| n.level).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "node_names",
        scores
            .nodes()
            .iter()
            .map(|n| n.name.clone())
            .collect::<Vec<_>>(),
    )?;
    // Unit names only when there are any (a million unnamed units need no list of Nones).
    let named = scores.units().iter().any(|u| u.name.is_some());
    let names = named.then(|| {
        scores
            .units()
            .iter()
            .map(|u| u.name.clone())
            .collect::<Vec<_>>()
    });
    out.set_item("names", names)?;
    let aggregates: Vec<usize> = (0..scores.units().len())
        .filter(|&r| scores.units()[r].aggregate)
        .collect();
    out.set_item("aggregates", aggregates)?;
    let bands = PyDict::new(py);
    for node in scores.nodes() {
        if let Some(labels) = scores.band(&node.id) {
            bands.set_item(&node.id, labels)?;
        }
    }
    out.set_item("bands", bands)?;
    out.set_item(
        "warnings",
        scores
            .warnings()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
    )?;
    out.set_item("handle", ScoresHandle { scores })?;
    Ok(out)
}

/// Runs an uncertainty analysis (see `cityindex::uncertainty::run_uncertainty`) on the data given
/// as for `score`, with the specification as JSON. The core runs on its own thread with the GIL
/// released; this thread wakes every 50 ms to pass the number of finished replicates to
/// `progress(done, total)` (a callable returning `False` cancels) and to check for Ctrl-C, which
/// cancels the run and raises `KeyboardInterrupt`.
#[pyfunction]
#[pyo3(signature = (framework, inputs, recipe, spec, progress=None))]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn uncertainty<'py>(
    py: Python<'py>,
    framework: &FrameworkHandle,
    mut inputs: DataArgs<'py>,
    recipe: &str,
    spec: &str,
    progress: Option<Bound<'py, PyAny>>,
) -> NativeResult<Bound<'py, PyDict>> {
    let (framework, recipe) = (&framework.framework, &Recipe::from_json(recipe)?);
    let spec = UncertaintySpec::from_json(spec)?;
    let data = dataset(&mut inputs)?;
    let result = with_progress(py, progress.as_ref(), spec.replicates, |report| {
        cityindex::uncertainty::run_uncertainty(framework, &data, recipe, &spec, report)
    })?;
    uncertainty_dict(py, &result, &spec)
}

/// The replicates `start..end` of an uncertainty analysis (`cityindex::uncertainty::
/// run_replicates`), as JSON, to combine with the others (`uncertainty_combine`).
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
#[allow(clippy::too_many_arguments)] // the analysis and the range of replicates
fn uncertainty_replicates(
    py: Python<'_>,
    framework: &FrameworkHandle,
    mut inputs: DataArgs<'_>,
    recipe: &str,
    spec: &str,
    start: usize,
    end: usize,
) -> NativeResult<String> {
    let (framework, recipe) = (&framework.framework, &Recipe::from_json(recipe)?);
    let spec = UncertaintySpec::from_json(spec)?;
    let data = dataset(&mut inputs)?;
    let run = py.detach(|| {
        cityindex::uncertainty::run_replicates(
            framework,
            &data,
            recipe,
            &spec,
            start..end,
            &|_, _| true,
        )
    })?;
    Ok(serde_json::to_string(&run)?)
}

/// Combines runs of replicates (JSON, from `uncertainty_replicates`) into the analysis
/// (`cityindex::uncertainty::combine`), as `uncertainty` returns it.
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn uncertainty_combine<'py>(
    py: Python<'py>,
    framework: &FrameworkHandle,
    mut inputs: DataArgs<'py>,
    recipe: &str,
    spec_json: &str,
    runs: Vec<String>,
) -> NativeResult<Bound<'py, PyDict>> {
    let (framework, recipe) = (&framework.framework, &Recipe::from_json(recipe)?);
    let spec = UncertaintySpec::from_json(spec_json)?;
    let runs = runs
        .iter()
        .map(|run| method_from_json(run, "uncertainty run"))
        .collect::<NativeResult<Vec<cityindex::uncertainty::ReplicateRun>>>()?;
    let data = dataset(&mut inputs)?;
    let result =
        py.detach(|| cityindex::uncertainty::combine(framework, &data, recipe, &spec, runs))?;
    uncertainty_dict(py, &result, &spec)
}

/// Runs `work` on a thread of its own while this one, holding the GIL only briefly, passes its
/// progress to the Python callback `progress(done, total)` (returning False cancels) and watches
/// for Ctrl-C (cancels, then raises `KeyboardInterrupt`). `total` is shown until the core reports
/// its own; 0 means unknown, and nothing is shown until the core says.
fn with_progress<T: Send>(
    py: Python<'_>,
    progress: Option<&Bound<'_, PyAny>>,
    total: usize,
    work: impl FnOnce(cityindex::uncertainty::Progress<'_>) -> Result<T, cityindex::Error> + Send,
) -> NativeResult<T> {
    let done = AtomicUsize::new(0);
    let reported_total = AtomicUsize::new(total);
    let stop = AtomicBool::new(false);
    let mut interrupt: Option<PyErr> = None;
    let result = std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            let report = |finished: usize, total: usize| {
                reported_total.store(total, Ordering::Relaxed);
                done.fetch_max(finished, Ordering::Relaxed);
                !stop.load(Ordering::Relaxed)
            };
            work(&report)
        });
        let mut shown = usize::MAX;
        loop {
            let finished = worker.is_finished();
            let now = done.load(Ordering::Relaxed);
            let total = reported_total.load(Ordering::Relaxed);
            if interrupt.is_none() && now != shown && total > 0 {
                shown = now;
                if let Some(callback) = progress {
                    match callback.call1((now, total)) {
                        Ok(answer) if matches!(answer.extract::<bool>(), Ok(false)) => {
                            stop.store(true, Ordering::Relaxed);
                        }
                        Ok(_) => {}
                        Err(e) => {
                            stop.store(true, Ordering::Relaxed);
                            interrupt = Some(e);
                        }
                    }
                }
            }
            if finished {
                break;
            }
            if interrupt.is_none()
                && let Err(e) = py.check_signals()
            {
                stop.store(true, Ordering::Relaxed);
                interrupt = Some(e);
            }
            py.detach(|| std::thread::sleep(Duration::from_millis(50)));
        }
        worker
            .join()
            .map_err(|_| PyRuntimeError::new_err("the analysis panicked"))
    })?;
    if let Some(e) = interrupt {
        return Err(e.into());
    }
    Ok(result?)
}

/// An uncertainty result as a dict: the nominal scores, the summarised nodes, per node the rank
/// statistics (units × statistics) and the ranks of every replicate (replicates × units), the
/// replicates' configurations as columns (the option drawn per choice stage, the factor per
/// perturbed weight as `weight:<node>`, the excluded indicator, the failure), the number that
/// failed, and per node the convergence of the rank statistics.
fn uncertainty_dict<'py>(
    py: Python<'py>,
    result: &cityindex::uncertainty::Uncertainty,
    spec: &cityindex::uncertainty::UncertaintySpec,
) -> NativeResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("nominal", scores_dict(py, result.nominal.clone(), false)?)?;
    out.set_item("nodes", result.nodes.clone())?;
    let statistics = ["nominal", "median", "q05", "q95", "mean", "mean_abs_shift"];
    out.set_item("statistics", statistics.to_vec())?;
    let summary = PyDict::new(py);
    let ranks = PyDict::new(py);
    for (i, node) in result.nodes.iter().enumerate() {
        let units = &result.summary[i];
        let rows: Vec<f64> = units
            .iter()
            .flat_map(|u| [u.nominal, u.median, u.q05, u.q95, u.mean, u.mean_abs_shift])
            .collect();
        let table = Array2::from_shape_vec((units.len(), statistics.len()), rows)?;
        summary.set_item(node, table.into_pyarray(py))?;
        let replicates = &result.ranks[i];
        let width = replicates.first().map_or(0, Vec::len);
        let flat: Vec<f64> = replicates.iter().flatten().copied().collect();
        let table = Array2::from_shape_vec((replicates.len(), width), flat)?;
        ranks.set_item(node, table.into_pyarray(py))?;
    }
    out.set_item("summary", summary)?;
    out.set_item("ranks", ranks)?;
    let records = PyDict::new(py);
    let replicates = &result.replicates;
    for (k, choice) in spec.choices.iter().enumerate() {
        let drawn: Vec<usize> = replicates.iter().map(|r| r.choices[k]).collect();
        records.set_item(choice.stage(), drawn)?;
    }
    for (k, id) in result.perturbed.iter().enumerate() {
        let factors: Vec<f64> = replicates.iter().map(|r| r.weight_factors[k]).collect();
        records.set_item(format!("weight:{id}"), factors)?;
    }
    if spec.exclude_indicator {
        let excluded: Vec<_> = replicates.iter().map(|r| r.excluded.clone()).collect();
        records.set_item("excluded", excluded)?;
    }
    let failures: Vec<_> = replicates.iter().map(|r| r.failure.clone()).collect();
    records.set_item("failure", failures)?;
    out.set_item("replicates", records)?;
    out.set_item("failed", result.failed)?;
    let convergence = PyDict::new(py);
    for node in result.convergence() {
        let table = PyDict::new(py);
        table.set_item("replicates", node.replicates)?;
        table.set_item("median_change", node.median_change)?;
        table.set_item("largest_median_change", node.largest_median_change)?;
        table.set_item("interval_change", node.interval_change)?;
        convergence.set_item(node.node, table)?;
    }
    out.set_item("convergence", convergence)?;
    Ok(out)
}

/// Sobol' sensitivity of `node`'s scores and rank shift to the uncertain inputs of `spec`
/// (`cityindex::uncertainty::sensitivity`, Saltelli's design with `base_points` base points and
/// `resamples` bootstrap resamples), on the data given as for `score`. Returns the result as JSON:
/// inputs, units, the indices on the mean absolute rank shift and per unit. Runs as
/// `uncertainty` does: the core on its own thread without the GIL, `progress(done, total)` over
/// the core's steps (the runs, then the indices of each output), Ctrl-C cancels.
#[pyfunction]
#[pyo3(signature = (framework, inputs, recipe, spec, node, base_points, resamples, progress=None))]
#[allow(clippy::needless_pass_by_value, clippy::too_many_arguments)] // pyo3 extracts owned arguments
fn sensitivity<'py>(
    py: Python<'py>,
    framework: &FrameworkHandle,
    mut inputs: DataArgs<'py>,
    recipe: &str,
    spec: &str,
    node: &str,
    base_points: usize,
    resamples: usize,
    progress: Option<Bound<'py, PyAny>>,
) -> NativeResult<String> {
    let (framework, recipe) = (&framework.framework, &Recipe::from_json(recipe)?);
    let spec = UncertaintySpec::from_json(spec)?;
    let data = dataset(&mut inputs)?;
    let result = with_progress(py, progress.as_ref(), 0, |report| {
        cityindex::uncertainty::sensitivity(
            framework,
            &data,
            recipe,
            &spec,
            node,
            base_points,
            resamples,
            report,
        )
    })?;
    Ok(serde_json::to_string(&result)?)
}

/// The points of Saltelli's design for inputs over `ranges` in `groups` (each input's group,
/// numbered 0, 1, … in order of first appearance; `cityindex::uncertainty::sobol::
/// saltelli_points_groups`), one row per point: `n`·(g + 2) rows for g groups, d columns.
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn sobol_points(
    py: Python<'_>,
    ranges: Vec<(f64, f64)>,
    groups: Vec<usize>,
    n: usize,
    seed: u64,
) -> NativeResult<Bound<'_, PyArray2<f64>>> {
    let points = cityindex::uncertainty::sobol::saltelli_points_groups(&ranges, &groups, n, seed)?;
    let flat: Vec<f64> = points.into_iter().flatten().collect();
    let array = Array2::from_shape_vec((flat.len() / ranges.len(), ranges.len()), flat)?;
    Ok(array.into_pyarray(py))
}

/// The bootstrap seed the Rust Sobol tool derives from its design's seed
/// (`cityindex::uncertainty::sobol::bootstrap_seed`).
#[pyfunction]
fn sobol_bootstrap_seed(seed: u64) -> u64 {
    cityindex::uncertainty::sobol::bootstrap_seed(seed)
}

/// Sobol' indices of `d` inputs from the model outputs `y` at the points of `sobol_points`
/// (`cityindex::uncertainty::sobol::sobol_indices_and_convergence`), as JSON: the
/// indices and their convergence over N/8 … N base points.
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn sobol_indices(
    py: Python<'_>,
    y: PyReadonlyArray1<'_, f64>,
    d: usize,
    resamples: usize,
    seed: u64,
) -> NativeResult<String> {
    let y = y
        .as_slice()
        .map_or_else(|_| y.as_array().to_vec(), <[f64]>::to_vec);
    let (indices, convergence) = py.detach(|| {
        cityindex::uncertainty::sobol::sobol_indices_and_convergence(&y, d, resamples, seed)
    })?;
    Ok(serde_json::to_string(
        &serde_json::json!({"indices": indices, "convergence": convergence}),
    )?)
}

/// Runs a whole test vector's inputs given as JSON documents and returns the result document as
/// JSON: the language-neutral conformance path shared with Rust and JavaScript.
#[pyfunction]
fn score_documents(
    py: Python<'_>,
    framework: &str,
    data: &str,
    recipe: &str,
) -> NativeResult<String> {
    let framework = Framework::from_json(framework)?;
    let data = Dataset::from_json(data)?;
    let recipe = Recipe::from_json(recipe)?;
    let scores = py.detach(|| cityindex::score(&framework, &data, &recipe))?;
    Ok(serde_json::to_string(&scores.to_document())?)
}

/// The embedded frameworks: (id, summary) pairs.
#[pyfunction]
fn builtins() -> Vec<(String, String)> {
    cityindex::builtin::list()
        .iter()
        .map(|b| (b.id.to_owned(), b.summary.to_owned()))
        .collect()
}

/// An embedded framework's JSON document, sample data as CSV-derived JSON document, and recipe
/// JSON.
#[pyfunction]
fn builtin(id: &str) -> NativeResult<(String, String, String)> {
    let b = cityindex::builtin::get(id)
        .ok_or_else(|| PyKeyError::new_err(format!("no built-in framework `{id}`")))?;
    let framework = b.framework()?;
    let data = b.data()?;
    let recipe = b.recipe()?;
    let data = serde_json::to_string(&data.to_document())?;
    Ok((framework.to_json(), data, recipe.to_json()))
}

/// A decision matrix from a float64 array (alternatives × criteria), weights and types (1
/// benefit, −1 cost), as pymcdm takes them; alternatives numbered from 1.
fn decision_matrix(
    matrix: &PyReadonlyArray2<'_, f64>,
    weights: Vec<f64>,
    types: &[f64],
) -> NativeResult<cityindex::mcda::DecisionMatrix> {
    let view = matrix.as_array();
    let (n, m) = (view.nrows(), view.ncols());
    let directions = types
        .iter()
        .map(|&t| {
            cityindex::Direction::try_from(t).map_err(|reason| {
                cityindex::MethodError::InvalidParameter {
                    method: "decision matrix",
                    reason: format!("`types`: {reason}"),
                }
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(cityindex::mcda::DecisionMatrix::new(
        (1..=n).map(|r| format!("A{r}")).collect(),
        (1..=m).map(|c| format!("C{c}")).collect(),
        view.columns().into_iter().map(|c| c.to_vec()).collect(),
        directions,
        weights,
    )?)
}

/// An MCDA method (its JSON form, e.g. `{"method": "topsis"}`) on a decision matrix: the
/// preferences, one per alternative (`skip_missing`: use the present values instead of failing
/// on the first missing cell).
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn mcda_evaluate<'py>(
    py: Python<'py>,
    method: &str,
    matrix: PyReadonlyArray2<'py, f64>,
    weights: Vec<f64>,
    types: Vec<f64>,
    skip_missing: bool,
) -> NativeResult<Bound<'py, PyArray1<f64>>> {
    let method: cityindex::mcda::Method = method_from_json(method, "MCDA method")?;
    let m = decision_matrix(&matrix, weights, &types)?;
    let missing = if skip_missing {
        cityindex::mcda::Missing::Skip
    } else {
        cityindex::mcda::Missing::Error
    };
    let scores = py.detach(|| cityindex::mcda::evaluate(&m, &method, missing))?;
    Ok(scores.into_pyarray(py))
}

/// The ranks (1 = best, ties by `ties`: "min", "average", …) of an MCDA method's preferences,
/// in the method's direction (VIKOR's lower Q is better).
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn mcda_rank<'py>(
    py: Python<'py>,
    method: &str,
    preferences: Vec<f64>,
    ties: &str,
) -> NativeResult<Bound<'py, PyArray1<f64>>> {
    let method: cityindex::mcda::Method = method_from_json(method, "MCDA method")?;
    let ties: cityindex::rank::TieRule = method_from_json(&format!("\"{ties}\""), "tie rule")?;
    Ok(cityindex::mcda::rank_scores(&preferences, &method, ties).into_pyarray(py))
}

/// The global ranks of one partition of scores sorted from the highest, after the `earlier`
/// partitions' (scores, distinct scores): `cityindex::rank::rank_in_partition`, for
/// `cityindex.spark`.
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn rank_in_partition<'py>(
    py: Python<'py>,
    scores: PyReadonlyArray1<'py, f64>,
    ties: &str,
    earlier: Vec<(usize, usize)>,
) -> NativeResult<Bound<'py, PyArray1<f64>>> {
    let ties: cityindex::rank::TieRule = method_from_json(&format!("\"{ties}\""), "tie rule")?;
    let scores = scores.as_array().to_vec();
    Ok(cityindex::rank::rank_in_partition(&scores, ties, &earlier).into_pyarray(py))
}

/// Weights of a decision matrix's criteria by a weighting method (its JSON form, e.g.
/// `{"method": "entropy"}`).
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn matrix_weights(
    method: &str,
    matrix: PyReadonlyArray2<'_, f64>,
    types: Vec<f64>,
) -> NativeResult<Vec<f64>> {
    let method: cityindex::weight::Weighting = method_from_json(method, "weighting method")?;
    let m = decision_matrix(&matrix, vec![1.0; types.len()], &types)?;
    Ok(method.of_matrix(&m)?)
}

/// A level of a framework (1 = indicators), within u32.
fn level_number(level: u64) -> NativeResult<u32> {
    u32::try_from(level).map_err(|_| {
        NativeError::Core(
            cityindex::MethodError::InvalidParameter {
                method: "level",
                reason: format!("level {level} is not a level of any framework"),
            }
            .into(),
        )
    })
}

/// A numpy vector and matrix.
type VectorAndMatrix<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray2<f64>>);

/// Benefit of the doubt on a matrix of non-negative values (alternatives × criteria, every
/// criterion a benefit), with share bounds as JSON (`{"min": 0.05, "max": 0.5}`): each
/// alternative's composite, and its own weights (alternatives × criteria).
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn benefit_of_the_doubt<'py>(
    py: Python<'py>,
    matrix: PyReadonlyArray2<'py, f64>,
    bounds: &str,
) -> NativeResult<VectorAndMatrix<'py>> {
    let bounds: cityindex::weight::ShareBounds = method_from_json(bounds, "share bounds")?;
    let types = vec![1.0; matrix.as_array().ncols()];
    let m = decision_matrix(&matrix, types.clone(), &types)?;
    let result = py.detach(|| cityindex::weight::benefit_of_the_doubt(&m, bounds))?;
    let rows = result.weights.len();
    let flat: Vec<f64> = result.weights.into_iter().flatten().collect();
    let weights = Array2::from_shape_vec((rows, types.len()), flat)?;
    Ok((result.scores.into_pyarray(py), weights.into_pyarray(py)))
}

/// The weights of every node of `level` optimised together (`cityindex::optimise::
/// optimise_level_weights`); the aim, correlation and optimiser in their JSON forms. Returns
/// the result as JSON.
#[pyfunction]
#[allow(clippy::needless_pass_by_value, clippy::too_many_arguments)] // pyo3 extracts owned arguments
fn optimise_level_weights<'py>(
    py: Python<'py>,
    framework: &FrameworkHandle,
    mut inputs: DataArgs<'py>,
    recipe: &str,
    level: u64,
    aim: &str,
    correlation: &str,
    optimiser: &str,
) -> NativeResult<String> {
    let (framework, recipe) = (&framework.framework, &Recipe::from_json(recipe)?);
    let level = level_number(level)?;
    let aim: cityindex::optimise::LevelAim = method_from_json(aim, "aim")?;
    let correlation: cityindex::stats::CorrelationMethod =
        method_from_json(&format!("\"{correlation}\""), "correlation")?;
    let optimiser: cityindex::optimise::Optimiser = method_from_json(optimiser, "optimiser")?;
    let data = dataset(&mut inputs)?;
    let result = py.detach(|| {
        cityindex::optimise::optimise_level_weights(
            framework,
            &data,
            recipe,
            level,
            &aim,
            correlation,
            &optimiser,
        )
    })?;
    Ok(serde_json::to_string(&result)?)
}

/// The weights of `node`'s children optimised for their correlations with `target`
/// (`cityindex::optimise::optimise_weights`). Returns the result as JSON.
#[pyfunction]
#[allow(clippy::needless_pass_by_value, clippy::too_many_arguments)] // pyo3 extracts owned arguments
fn optimise_weights<'py>(
    py: Python<'py>,
    framework: &FrameworkHandle,
    mut inputs: DataArgs<'py>,
    recipe: &str,
    node: &str,
    target: &str,
    shares: Option<Vec<f64>>,
    max_iterations: usize,
) -> NativeResult<String> {
    let (framework, recipe) = (&framework.framework, &Recipe::from_json(recipe)?);
    let data = dataset(&mut inputs)?;
    let result = py.detach(|| {
        cityindex::optimise::optimise_weights(
            framework,
            &data,
            recipe,
            node,
            target,
            shares.as_deref(),
            max_iterations,
        )
    })?;
    Ok(serde_json::to_string(&result)?)
}

/// Remove one element (`cityindex::analysis::remove_elements`): for each node of `level`, the
/// mean absolute change of `target`'s ranks when its weight is 0. Returns (node, change) pairs.
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn remove_elements<'py>(
    py: Python<'py>,
    framework: &FrameworkHandle,
    mut inputs: DataArgs<'py>,
    recipe: &str,
    level: u64,
    target: &str,
) -> NativeResult<Vec<(String, f64)>> {
    let level = level_number(level)?;
    let (framework, recipe) = (&framework.framework, &Recipe::from_json(recipe)?);
    let data = dataset(&mut inputs)?;
    let effects = py
        .detach(|| cityindex::analysis::remove_elements(framework, &data, recipe, level, target))?;
    Ok(effects
        .into_iter()
        .map(|e| (e.removed, e.mean_absolute_rank_change))
        .collect())
}

/// AHP of a pairwise-comparison matrix: (weights, λmax, consistency index, consistency ratio).
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn ahp(
    pairwise: Vec<Vec<f64>>,
    accept_inconsistent: bool,
) -> NativeResult<(Vec<f64>, f64, f64, f64)> {
    let r = cityindex::weight::ahp(&pairwise, accept_inconsistent)?;
    Ok((
        r.weights,
        r.lambda_max,
        r.consistency_index,
        r.consistency_ratio,
    ))
}

/// A measure comparing two rankings, by name (`spearman_rs`, `weighted_spearman`,
/// `ws_coefficient`, `kendall_tau`, `goodman_kruskal_gamma`).
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn compare_rankings(measure: &str, x: Vec<f64>, y: Vec<f64>) -> NativeResult<f64> {
    let measure: cityindex::analysis::RankComparison =
        method_from_json(&format!("\"{measure}\""), "rank comparison")?;
    Ok(measure.between(&x, &y)?)
}

/// Each period of a panel scored (`cityindex::score_panel`): the periods, and for each its
/// scores' dict as [`score`] gives it.
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn score_panel<'py>(
    py: Python<'py>,
    framework: &FrameworkHandle,
    mut inputs: DataArgs<'py>,
    recipe: &str,
) -> NativeResult<(Vec<i64>, Vec<Bound<'py, PyDict>>, PanelHandle)> {
    let (framework, recipe) = (&framework.framework, &Recipe::from_json(recipe)?);
    let data = dataset(&mut inputs)?;
    let panel = py.detach(|| cityindex::score_panel(framework, &data, recipe))?;
    let periods = panel.periods.clone();
    let dicts = panel
        .scores
        .iter()
        .map(|scores| scores_dict(py, scores.clone(), false))
        .collect::<NativeResult<Vec<_>>>()?;
    Ok((periods, dicts, PanelHandle { panel }))
}

/// A scored panel kept for its trends.
#[pyclass(frozen, module = "cityindex._native")]
struct PanelHandle {
    panel: cityindex::PanelScores,
}

#[pymethods]
impl PanelHandle {
    /// Each unit's trend of `node` (COINr's `get_trends`): the metric as JSON
    /// (`{"metric": "cagr"}`), `infinite_from_zero` for COINr's ±∞ from a start at 0.
    fn trends(
        &self,
        node: &str,
        metric: &str,
        infinite_from_zero: bool,
    ) -> NativeResult<(Vec<String>, Vec<f64>)> {
        let metric: cityindex::trend::TrendMetric = method_from_json(metric, "trend metric")?;
        let from_zero = if infinite_from_zero {
            cityindex::trend::FromZero::Infinite
        } else {
            cityindex::trend::FromZero::Missing
        };
        let trends = self.panel.trends(node, metric, from_zero).ok_or_else(|| {
            cityindex::ScoreError::UnknownNode {
                node: node.to_owned(),
                known: Vec::new(),
            }
        })?;
        Ok(trends.into_iter().unzip())
    }

    /// Each unit's `node` from period `from` to `to` (`cityindex::PanelScores::trend`): (units,
    /// `[start, end, change, cagr, rank_start, rank_end, places gained]` per unit).
    fn trend(&self, node: &str, from: i64, to: i64) -> NativeResult<TrendRows> {
        let rows =
            self.panel
                .trend(node, from, to)
                .ok_or_else(|| cityindex::ScoreError::UnknownNode {
                    node: format!("{node} (or a period {from} or {to} the panel lacks)"),
                    known: Vec::new(),
                })?;
        Ok(rows
            .into_iter()
            .map(|(unit, t)| {
                (
                    unit,
                    [
                        t.start,
                        t.end,
                        t.change,
                        t.cagr,
                        t.rank_start,
                        t.rank_end,
                        t.rank_change(),
                    ],
                )
            })
            .unzip())
    }
}

/// Units and their trend rows.
type TrendRows = (Vec<String>, Vec<[f64; 7]>);

/// Progress towards every indicator's target (`cityindex::analysis::target_progress`) of the
/// panel given as for `score_panel`, as JSON.
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts owned arguments
fn targets(framework: &FrameworkHandle, mut inputs: DataArgs<'_>) -> NativeResult<String> {
    let data = dataset(&mut inputs)?;
    let rows = cityindex::analysis::target_progress(&framework.framework, &data);
    // The status as a report words it, beside its code.
    let rows: Vec<serde_json::Value> = rows
        .iter()
        .map(|row| {
            let mut value = serde_json::to_value(row)?;
            value["status_code"] = value["status"].clone();
            value["status"] = row.status.label().into();
            Ok(value)
        })
        .collect::<Result<_, serde_json::Error>>()?;
    Ok(serde_json::to_string(&rows)?)
}

/// A method's JSON form read, an error naming `what` and the valid forms otherwise.
fn method_from_json<T: serde::de::DeserializeOwned>(
    json: &str,
    what: &'static str,
) -> NativeResult<T> {
    serde_json::from_str(json).map_err(|e| {
        NativeError::Core(
            cityindex::MethodError::InvalidParameter {
                method: what,
                reason: e.to_string(),
            }
            .into(),
        )
    })
}

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ScoresHandle>()?;
    m.add_class::<DatasetHandle>()?;
    m.add_class::<FrameworkHandle>()?;
    m.add_class::<ModelHandle>()?;
    m.add_function(wrap_pyfunction!(score_dataset, m)?)?;
    m.add_function(wrap_pyfunction!(framework_json, m)?)?;
    m.add_function(wrap_pyfunction!(framework_from_table, m)?)?;
    m.add_function(wrap_pyfunction!(uncertainty, m)?)?;
    m.add_function(wrap_pyfunction!(uncertainty_replicates, m)?)?;
    m.add_function(wrap_pyfunction!(uncertainty_combine, m)?)?;
    m.add_function(wrap_pyfunction!(score, m)?)?;
    m.add_function(wrap_pyfunction!(fit, m)?)?;
    m.add_function(wrap_pyfunction!(summarise, m)?)?;
    m.add_function(wrap_pyfunction!(merge_summaries, m)?)?;
    m.add_function(wrap_pyfunction!(model_from_summary, m)?)?;
    m.add_function(wrap_pyfunction!(extremes_suffice, m)?)?;
    m.add_function(wrap_pyfunction!(summary_from_extremes, m)?)?;
    m.add_function(wrap_pyfunction!(analyse, m)?)?;
    m.add_function(wrap_pyfunction!(prepare, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(sobol_points, m)?)?;
    m.add_function(wrap_pyfunction!(sobol_indices, m)?)?;
    m.add_function(wrap_pyfunction!(sobol_bootstrap_seed, m)?)?;
    m.add_function(wrap_pyfunction!(score_documents, m)?)?;
    m.add_function(wrap_pyfunction!(builtins, m)?)?;
    m.add_function(wrap_pyfunction!(benefit_of_the_doubt, m)?)?;
    m.add_function(wrap_pyfunction!(optimise_level_weights, m)?)?;
    m.add_function(wrap_pyfunction!(optimise_weights, m)?)?;
    m.add_function(wrap_pyfunction!(remove_elements, m)?)?;
    m.add_function(wrap_pyfunction!(targets, m)?)?;
    m.add_function(wrap_pyfunction!(builtin, m)?)?;
    m.add_function(wrap_pyfunction!(column_roles, m)?)?;
    m.add_class::<PanelHandle>()?;
    m.add_function(wrap_pyfunction!(mcda_evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(mcda_rank, m)?)?;
    m.add_function(wrap_pyfunction!(rank_in_partition, m)?)?;
    m.add_function(wrap_pyfunction!(matrix_weights, m)?)?;
    m.add_function(wrap_pyfunction!(ahp, m)?)?;
    m.add_function(wrap_pyfunction!(compare_rankings, m)?)?;
    m.add_function(wrap_pyfunction!(score_panel, m)?)?;
    m.add_function(wrap_pyfunction!(layout_names, m)?)?;
    Ok(())
}
