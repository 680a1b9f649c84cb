//! Conversions between JS values and the core's types, and errors as JS `Error`s with a `code`.

use cityindex::dataset::GroupColumn;
use cityindex::{Dataset, Unit};
use js_sys::{Array, Float64Array, Object, Reflect};
use serde::Serialize;
use std::fmt::Write;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// An error on its way to JavaScript: a stable code and a message naming what is wrong.
pub struct Fail {
    code: &'static str,
    message: String,
}

impl Fail {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Fail {
            code,
            message: message.into(),
        }
    }

    /// Input the binding cannot read as data: the core's `DataError::InvalidInput`, built here
    /// from its code and message without going through the core's `Error` (smaller module).
    fn data(message: impl Into<String>) -> Self {
        Fail::new("data.invalid_input", message)
    }

    /// A failure of the binding itself (the core's `BoundaryError::Internal`), likewise.
    pub fn internal(reason: impl Into<String>) -> Self {
        Fail::new("internal", format!("internal error: {}", reason.into()))
    }
}

/// The core's errors, each with its own code: `?` converts them.
impl<E: Into<cityindex::Error>> From<E> for Fail {
    fn from(e: E) -> Self {
        Fail::core(&e.into())
    }
}

impl Fail {
    /// The core's error with its own code (one copy of the code for every error type).
    #[inline(never)]
    fn core(e: &cityindex::Error) -> Self {
        Fail::new(e.code(), e.to_string())
    }
}

impl From<Fail> for JsValue {
    fn from(f: Fail) -> JsValue {
        let error = js_sys::Error::new(&f.message);
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(&error, &"code".into(), &f.code.into());
        error.into()
    }
}

/// Serialises to a plain JS object (maps as objects, `NaN` as `null` like JSON) through JSON
/// text: `serde_json` writes each float in its shortest form that reads back to the same bits,
/// and `JSON.parse` reads it back. (Serialising straight to JS values with
/// `serde-wasm-bindgen` cost the module 25 KB more, for every type a second serialiser.)
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Fail> {
    let text = serde_json::to_string(value).map_err(|e| Fail::internal(e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| Fail::internal("JSON.parse failed"))
}

pub fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), Fail> {
    Reflect::set(target, &key.into(), value)
        .map(|_| ())
        .map_err(|_| Fail::internal(format!("cannot set `{key}`")))
}

/// A JSON document given as text or as a plain object, as JSON text. A number JSON cannot hold
/// (`NaN`, `±Infinity`, which `JSON.stringify` would quietly write as `null`) is an error naming
/// its place.
pub fn json_text(value: &JsValue, what: &str) -> Result<String, Fail> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if !value.is_object() {
        return Err(Fail::data(format!(
            "the {what} must be an object or JSON text"
        )));
    }
    let mut path = String::new();
    if let Some(x) = non_finite(value, &mut path, 0) {
        return Err(Fail::new(
            "data.not_a_number",
            format!("the {what}'s `{path}` is {x}: JSON has no such number"),
        ));
    }
    match js_sys::JSON::stringify(value) {
        Ok(text) => text.as_string(),
        Err(thrown) => {
            let reason = thrown
                .dyn_ref::<js_sys::Error>()
                .map(|e| format!(": {}", String::from(e.message())))
                .unwrap_or_default();
            return Err(Fail::data(format!(
                "the {what} cannot be written as JSON{reason}"
            )));
        }
    }
    .ok_or_else(|| Fail::data(format!("the {what} cannot be written as JSON")))
}

/// The first number in `value` that is not finite, with its path (`weights.a`,
/// `choices[0].options[1].p`) left in `path`. Objects with a `toJSON` method and values that
/// cannot be read are left to `JSON.stringify`; below 128 levels (deeper than any document
/// the core reads) nothing is looked at.
fn non_finite(value: &JsValue, path: &mut String, depth: usize) -> Option<f64> {
    if let Some(x) = value.as_f64() {
        return (!x.is_finite()).then_some(x);
    }
    if depth > 128 || !value.is_object() || get(value, "toJSON").is_function() {
        return None;
    }
    let mark = path.len();
    let found = if Array::is_array(value) {
        value
            .unchecked_ref::<Array>()
            .iter()
            .enumerate()
            .find_map(|(i, item)| {
                path.truncate(mark);
                let _ = write!(path, "[{i}]"); // writing to a String cannot fail
                non_finite(&item, path, depth + 1)
            })
    } else {
        Object::keys(value.unchecked_ref::<Object>())
            .iter()
            .find_map(|key| {
                let name = key.as_string()?;
                path.truncate(mark);
                if mark > 0 {
                    path.push('.');
                }
                path.push_str(&name);
                non_finite(&get(value, &name), path, depth + 1)
            })
    };
    if found.is_none() {
        path.truncate(mark);
    }
    found
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// One cell: a number, or `null`/`undefined`/`NaN` for missing. Anything else names its place.
fn cell(value: &JsValue, column: &str, row: usize) -> Result<f64, Fail> {
    if value.is_null() || value.is_undefined() {
        return Ok(f64::NAN);
    }
    value.as_f64().ok_or_else(|| {
        Fail::new(
            "data.not_a_number",
            format!(
                "column `{column}`, row {}: `{}` is not a number",
                row + 1,
                value.as_string().unwrap_or_else(|| format!("{value:?}"))
            ),
        )
    })
}

/// Appends a column to `flat`: a `Float64Array` is copied straight into place; an array is read
/// cell by cell.
fn push_column(flat: &mut Vec<f64>, value: &JsValue, id: &str, n: usize) -> Result<(), Fail> {
    let length = if let Some(typed) = value.dyn_ref::<Float64Array>() {
        typed.length() as usize
    } else if Array::is_array(value) {
        value.unchecked_ref::<Array>().length() as usize
    } else {
        return Err(Fail::data(format!(
            "column `{id}` must be a Float64Array or an array of numbers"
        )));
    };
    if length != n {
        return Err(Fail::new(
            "data.length_mismatch",
            format!("column `{id}` has {length} values for {n} units"),
        ));
    }
    if let Some(typed) = value.dyn_ref::<Float64Array>() {
        // Copied out in one call, then appended as a block: filling the space with zeros for
        // `copy_to` first ran element by element in the size-optimised build.
        flat.extend_from_slice(&typed.to_vec());
    } else {
        for (r, v) in value.unchecked_ref::<Array>().iter().enumerate() {
            flat.push(cell(&v, id, r)?);
        }
    }
    Ok(())
}

fn units(value: &JsValue) -> Result<Vec<Unit>, Fail> {
    if !Array::is_array(value) {
        return Err(Fail::data(
            "`units` must be an array of ids or of {id, name, aggregate} objects",
        ));
    }
    let array: &Array = value.unchecked_ref();
    array
        .iter()
        .enumerate()
        .map(|(r, u)| {
            if let Some(id) = u.as_string() {
                return Ok(Unit::new(&id));
            }
            let id = get(&u, "id")
                .as_string()
                .ok_or_else(|| Fail::data(format!("unit {}: needs a string `id`", r + 1)))?;
            Ok(Unit {
                id,
                name: get(&u, "name").as_string(),
                aggregate: get(&u, "aggregate").as_bool().unwrap_or(false),
            })
        })
        .collect()
}

fn groups(value: &JsValue, n: usize) -> Result<Vec<GroupColumn>, Fail> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    let groups: Vec<GroupColumn> = serde_json::from_str(&json_text(value, "groups")?)
        .map_err(|e| Fail::data(format!("`groups`: {e}")))?;
    if let Some(g) = groups.iter().find(|g| g.values.len() != n) {
        return Err(Fail::new(
            "data.length_mismatch",
            format!(
                "group `{}` has {} values for {n} units",
                g.id,
                g.values.len()
            ),
        ));
    }
    Ok(groups)
}

fn periods(value: &JsValue) -> Result<Option<Vec<i64>>, Fail> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    serde_json::from_str(&json_text(value, "periods")?)
        .map(Some)
        .map_err(|e| Fail::data(format!("`periods`: {e}")))
}

/// The data of one period when `options` (`{ period?: number }`, or null/undefined) names one:
/// `score(…, { period: 2022 })` on a panel, as Python's `period=` and the CLI's `--period`.
pub fn in_period(
    data: Dataset<'static>,
    options: Option<&JsValue>,
) -> Result<Dataset<'static>, Fail> {
    let Some(options) = options.filter(|o| !o.is_undefined() && !o.is_null()) else {
        return Ok(data);
    };
    let value = get(options, "period");
    if value.is_undefined() || value.is_null() {
        return Ok(data);
    }
    match value.as_f64() {
        #[allow(clippy::cast_possible_truncation)] // whole, and within ±2⁵³
        Some(p) if p.fract() == 0.0 && p.abs() <= 9_007_199_254_740_992.0 => {
            data.for_period(p as i64).map_err(Fail::from)
        }
        _ => Err(Fail::data("`period` must be a whole number, such as 2022")),
    }
}

/// The data set from its column form `{units, columns: {id: values}, groups?, periods?}` or its
/// row form `{units, columns: [ids], rows: [[values]]}`, or from JSON text of the column form.
pub fn dataset(value: &JsValue) -> Result<Dataset<'static>, Fail> {
    if let Some(text) = value.as_string() {
        return Dataset::from_json(&text).map_err(Fail::from);
    }
    if !value.is_object() {
        return Err(Fail::data(
            "the data must be an object {units, columns} (or {units, columns, rows})",
        ));
    }
    let units = units(&get(value, "units"))?;
    let n = units.len();
    let columns = get(value, "columns");
    let rows = get(value, "rows");
    let (ids, flat) = if Array::is_array(&rows) {
        rows_form(&columns, &rows, n)?
    } else if columns.is_object() && !Array::is_array(&columns) {
        let keys = Object::keys(columns.unchecked_ref::<Object>());
        let mut ids = Vec::with_capacity(keys.length() as usize);
        let mut flat = Vec::with_capacity(n * keys.length() as usize);
        for key in keys.iter() {
            let id = key.as_string().unwrap_or_default();
            push_column(&mut flat, &get(&columns, &id), &id, n)?;
            ids.push(id);
        }
        (ids, flat)
    } else {
        return Err(Fail::data(
            "`columns` must be an object of columns, or an array of ids with `rows`",
        ));
    };
    let groups = groups(&get(value, "groups"), n)?;
    let periods = periods(&get(value, "periods"))?;
    Dataset::from_parts(units, ids, flat, groups, periods).map_err(Fail::from)
}

fn rows_form(columns: &JsValue, rows: &JsValue, n: usize) -> Result<(Vec<String>, Vec<f64>), Fail> {
    let ids: Vec<String> = if Array::is_array(columns) {
        let array: &Array = columns.unchecked_ref();
        array
            .iter()
            .map(|c| {
                c.as_string()
                    .ok_or_else(|| Fail::data("`columns` must be an array of ids"))
            })
            .collect::<Result<_, _>>()?
    } else {
        return Err(Fail::data("with `rows`, `columns` must be an array of ids"));
    };
    let rows: &Array = rows.unchecked_ref();
    if rows.length() as usize != n {
        return Err(Fail::new(
            "data.length_mismatch",
            format!("{} rows for {n} units", rows.length()),
        ));
    }
    let k = ids.len();
    let mut flat = vec![f64::NAN; n * k];
    for (r, row) in rows.iter().enumerate() {
        let values: Vec<f64> = if let Some(typed) = row.dyn_ref::<Float64Array>() {
            typed.to_vec()
        } else if Array::is_array(&row) {
            let array: &Array = row.unchecked_ref();
            array
                .iter()
                .enumerate()
                .map(|(j, v)| cell(&v, ids.get(j).map_or("?", String::as_str), r))
                .collect::<Result<_, _>>()?
        } else {
            return Err(Fail::data(format!(
                "row {} must be an array of numbers",
                r + 1
            )));
        };
        if values.len() != k {
            return Err(Fail::new(
                "data.length_mismatch",
                format!("row {} has {} values for {k} columns", r + 1, values.len()),
            ));
        }
        for (j, v) in values.into_iter().enumerate() {
            flat[j * n + r] = v;
        }
    }
    Ok((ids, flat))
}
