//! The native module of the `cityindex` Python package: every function converts its arguments,
//! calls the Rust core, and converts the result back. No arithmetic happens here.

use cityindex::dataset::GroupColumn;
use cityindex::{Dataset, Framework, Recipe, Unit};
use numpy::ndarray::{Array2, ShapeBuilder};
use numpy::{IntoPyArray, PyArray2, PyReadonlyArray2};
use pyo3::exceptions::{PyKeyError, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

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

/// An error raised by the binding itself (shapes that do not match), as `cityindex.DataError`.
fn data_error(py: Python<'_>, message: String) -> PyErr {
    match py
        .import("cityindex.errors")
        .and_then(|m| m.getattr("DataError"))
    {
        Ok(cls) => match cls.call1((message,)) {
            Ok(instance) => {
                let _ = instance.setattr("code", "data.shape");
                PyErr::from_value(instance)
            }
            Err(e) => e,
        },
        Err(e) => e,
    }
}

/// Builds a framework from its JSON document and returns its canonical JSON (validated).
#[pyfunction]
fn framework_json(py: Python<'_>, json: &str) -> PyResult<String> {
    let framework = Framework::from_json(json).map_err(|e| to_py(py, &e.into()))?;
    Ok(framework.to_json())
}

/// Reads a framework from the flat node table (CSV text, COINr iMeta columns accepted) and
/// returns its JSON document.
#[pyfunction]
fn framework_from_table(py: Python<'_>, csv: &str) -> PyResult<String> {
    let framework = Framework::from_table_csv(csv.as_bytes()).map_err(|e| to_py(py, &e.into()))?;
    Ok(framework.to_json())
}

/// Scores `values` (units × columns, float64; F-contiguous arrays are read in place, others
/// copied in column order) with the framework and recipe given as JSON. Returns a dict with the
/// unit and node ids, node levels, the score, rank and coverage matrices (units × nodes) and
/// the maturity bands of banded nodes and the warnings. The GIL is released while the core runs.
#[pyfunction]
#[pyo3(signature = (framework, units, columns, values, recipe, names=None, groups=None, periods=None))]
#[allow(clippy::needless_pass_by_value, clippy::too_many_arguments)] // pyo3 extracts owned arguments
fn score<'py>(
    py: Python<'py>,
    framework: &str,
    units: Vec<String>,
    columns: Vec<String>,
    values: PyReadonlyArray2<'py, f64>,
    recipe: &str,
    names: Option<Vec<Option<String>>>,
    groups: Option<Vec<(String, Vec<Option<String>>)>>,
    periods: Option<Vec<i64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let framework = Framework::from_json(framework).map_err(|e| to_py(py, &e.into()))?;
    let recipe = Recipe::from_json(recipe).map_err(|e| to_py(py, &e.into()))?;
    let view = values.as_array();
    let shape = view.shape();
    if shape != [units.len(), columns.len()] {
        return Err(data_error(
            py,
            format!(
                "the values have shape {shape:?} for {} units and {} columns",
                units.len(),
                columns.len()
            ),
        ));
    }
    // Column-major, as the core stores it: F-contiguous input is read in one pass.
    let flat: Vec<f64> = view.t().iter().copied().collect();
    let names = names.unwrap_or_default();
    let units: Vec<Unit> = units
        .into_iter()
        .enumerate()
        .map(|(r, id)| Unit {
            id,
            name: names.get(r).cloned().flatten(),
        })
        .collect();
    let groups = groups
        .unwrap_or_default()
        .into_iter()
        .map(|(id, values)| GroupColumn { id, values })
        .collect();
    let data = Dataset::from_parts(units, columns, flat, groups, periods)
        .map_err(|e| to_py(py, &e.into()))?;
    let scores = py
        .detach(|| cityindex::score(&framework, &data, &recipe))
        .map_err(|e| to_py(py, &e))?;
    let n = scores.units().len();
    let k = scores.nodes().len();
    let matrix = |v: Vec<f64>| -> PyResult<Bound<'py, PyArray2<f64>>> {
        let array = Array2::from_shape_vec((n, k).f(), v)
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        Ok(array.into_pyarray(py))
    };
    let out = PyDict::new(py);
    out.set_item(
        "units",
        scores
            .units()
            .iter()
            .map(|u| u.id.clone())
            .collect::<Vec<_>>(),
    )?;
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
    out.set_item("score", matrix(scores.score_matrix().to_vec())?)?;
    out.set_item("rank", matrix(scores.rank_matrix())?)?;
    out.set_item("coverage", matrix(scores.coverage_matrix())?)?;
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
    Ok(out)
}

/// Runs a whole test vector's inputs given as JSON documents and returns the result document as
/// JSON: the language-neutral conformance path shared with Rust and JavaScript.
#[pyfunction]
fn score_documents(py: Python<'_>, framework: &str, data: &str, recipe: &str) -> PyResult<String> {
    let framework = Framework::from_json(framework).map_err(|e| to_py(py, &e.into()))?;
    let data = Dataset::from_json(data).map_err(|e| to_py(py, &e.into()))?;
    let recipe = Recipe::from_json(recipe).map_err(|e| to_py(py, &e.into()))?;
    let scores = py
        .detach(|| cityindex::score(&framework, &data, &recipe))
        .map_err(|e| to_py(py, &e))?;
    serde_json::to_string(&scores.to_document()).map_err(|e| PyRuntimeError::new_err(e.to_string()))
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
fn builtin(py: Python<'_>, id: &str) -> PyResult<(String, String, String)> {
    let b = cityindex::builtin::get(id)
        .ok_or_else(|| PyKeyError::new_err(format!("no built-in framework `{id}`")))?;
    let framework = b.framework().map_err(|e| to_py(py, &e))?;
    let data = b.data().map_err(|e| to_py(py, &e))?;
    let recipe = b.recipe().map_err(|e| to_py(py, &e))?;
    let data = serde_json::to_string(&data.to_document())
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    Ok((framework.to_json(), data, recipe.to_json()))
}

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(framework_json, m)?)?;
    m.add_function(wrap_pyfunction!(framework_from_table, m)?)?;
    m.add_function(wrap_pyfunction!(score, m)?)?;
    m.add_function(wrap_pyfunction!(score_documents, m)?)?;
    m.add_function(wrap_pyfunction!(builtins, m)?)?;
    m.add_function(wrap_pyfunction!(builtin, m)?)?;
    Ok(())
}
