//! The data set: units × columns of `f64`, stored column-major, `NaN` meaning missing.
//!
//! Each column is one contiguous slice, so per-indicator stages read memory in order and a
//! column-major array (pandas' own layout) maps onto it directly. Infinities are rejected on
//! construction; missing values are `NaN` and every stage states what it does with them.
//!
//! The values are a [`Cow`]: a data set may borrow them (a caller's column-major array, read in
//! place) or own them; stages that change values ([`crate::prepare`]) work on an owned copy.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::error::DataError;
use crate::layout::{ColumnRole, CsvLayout};
use crate::stats;

/// A unit: a city, region or country.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Unique id (COINr's `uCode`).
    pub id: String,
    /// Name (COINr's `uName`); defaults to the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// An aggregate (the EU, an average of the units): scored and shown, never ranked, and left
    /// out of every statistic taken from the data. A framework can also name its aggregates
    /// ([`FrameworkInfo::aggregate_units`](crate::framework::FrameworkInfo::aggregate_units)).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub aggregate: bool,
}

impl Unit {
    /// A unit with an id and no name.
    #[must_use]
    pub fn new(id: &str) -> Self {
        Unit {
            id: id.to_owned(),
            name: None,
            aggregate: false,
        }
    }
}

/// A text column grouping units, e.g. income group or region (COINr's `Group_*` columns).
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupColumn {
    /// Column name.
    pub id: String,
    /// One label per unit; `None` when missing.
    pub values: Vec<Option<String>>,
}

/// Units × numeric columns, column-major, plus group columns and an optional period per row.
///
/// The lifetime is that of borrowed values ([`Dataset::from_parts`] with a slice); a data set
/// that owns its values is a `Dataset<'static>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset<'a> {
    pub(crate) units: std::sync::Arc<[Unit]>,
    pub(crate) column_ids: Vec<String>,
    pub(crate) values: Cow<'a, [f64]>,
    pub(crate) groups: Vec<GroupColumn>,
    pub(crate) periods: Option<Vec<i64>>,
    /// Change values through [`Dataset::values_mut`], which forgets these.
    pub(crate) extremes: Extremes,
}

/// Each numeric column's least and greatest present value (`None` for a column without one),
/// as [`stats::min_max`] finds them: found while [`Dataset::from_parts`] checks for infinities
/// and kept for min-max normalisation, which would otherwise read every column once more.
/// Unknown (`None`) once values change, and in a clone (usually made to change its values).
/// Derived from the values, so data sets with the same values are equal whether or not they
/// know them.
#[derive(Debug, Default)]
pub(crate) struct Extremes(Option<Vec<Option<(f64, f64)>>>);

impl Clone for Extremes {
    fn clone(&self) -> Self {
        Extremes(None)
    }
}

impl PartialEq for Extremes {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// [`CsvLayout`]s made for a framework.
impl CsvLayout {
    /// The default layout, also reading the framework's declared group columns as groups
    /// (COINr's iMeta rows of type `Group`, such as `GDP_group` in the ASEM example).
    #[must_use]
    pub fn for_framework(framework: &crate::Framework) -> Self {
        Self::with_groups(
            framework
                .data_columns()
                .iter()
                .filter(|c| c.kind == crate::framework::DataColumnKind::Group)
                .map(|c| c.id.clone()),
        )
    }
}

/// Cells read as missing: empty, `NA`, `NaN`, `N/A`, `null` (any case).
fn is_missing_marker(text: &str) -> bool {
    text.is_empty()
        || ["na", "nan", "n/a", "null", "#n/a"]
            .iter()
            .any(|m| text.eq_ignore_ascii_case(m))
}

impl<'a> Dataset<'a> {
    /// Builds a data set from units and numeric columns, each given as `(id, values)` with one
    /// value per unit.
    ///
    /// # Errors
    /// Empty or duplicate unit ids, duplicate column ids, a column of the wrong length, or an
    /// infinite value (naming unit and column).
    pub fn new(units: Vec<Unit>, columns: Vec<(String, Vec<f64>)>) -> Result<Self, DataError> {
        let n = units.len();
        let mut column_ids = Vec::with_capacity(columns.len());
        let mut values = Vec::with_capacity(n * columns.len());
        for (id, col) in columns {
            if col.len() != n {
                return Err(DataError::LengthMismatch {
                    column: id,
                    expected: n,
                    found: col.len(),
                });
            }
            column_ids.push(id);
            values.extend_from_slice(&col);
        }
        Self::from_parts(units, column_ids, values, Vec::new(), None)
    }

    /// Builds a data set from a column-major buffer of `units.len() × column_ids.len()` values,
    /// group columns and optional periods (one per unit row). The values are taken over (a
    /// `Vec<f64>`) or borrowed (a `&[f64]`, read in place: nothing is copied unless a
    /// preparation step changes values).
    ///
    /// ```
    /// use cityindex::{Dataset, Unit};
    /// // Two units × two columns, column by column, borrowed from the caller.
    /// let values = [1.0, 2.0, 30.0, f64::NAN];
    /// let units = vec![Unit::new("Ghent"), Unit::new("Porto")];
    /// let data = Dataset::from_parts(units, vec!["a".into(), "b".into()], &values[..], vec![], None)?;
    /// assert_eq!(data.column("a"), Some(&[1.0, 2.0][..]));
    /// let owned: Dataset<'static> = data.into_owned(); // outlives `values`
    /// assert!(owned.column("b").unwrap()[1].is_nan());
    /// # Ok::<(), cityindex::DataError>(())
    /// ```
    ///
    /// # Errors
    /// As [`Dataset::new`]; with periods, unit ids need only be unique within a period.
    pub fn from_parts(
        units: Vec<Unit>,
        column_ids: Vec<String>,
        values: impl Into<Cow<'a, [f64]>>,
        groups: Vec<GroupColumn>,
        periods: Option<Vec<i64>>,
    ) -> Result<Self, DataError> {
        let values = values.into();
        let n = units.len();
        if values.len() != n * column_ids.len() {
            return Err(DataError::LengthMismatch {
                column: "(all columns)".to_owned(),
                expected: n * column_ids.len(),
                found: values.len(),
            });
        }
        if let Some(p) = &periods
            && p.len() != n
        {
            return Err(DataError::LengthMismatch {
                column: "(periods)".to_owned(),
                expected: n,
                found: p.len(),
            });
        }
        let mut seen = HashSet::with_capacity_and_hasher(n, FastHash::default());
        for (position, unit) in units.iter().enumerate() {
            if unit.id.chars().all(char::is_whitespace) {
                return Err(DataError::EmptyUnitId { position });
            }
            let period = periods.as_ref().map(|p| p[position]);
            if !seen.insert((unit.id.as_str(), period)) {
                return Err(DataError::DuplicateUnit {
                    unit: unit.id.clone(),
                });
            }
        }
        let mut names = HashSet::new();
        for id in column_ids.iter().chain(groups.iter().map(|g| &g.id)) {
            if !names.insert(id.as_str()) {
                return Err(DataError::DuplicateColumn { column: id.clone() });
            }
        }
        for g in &groups {
            if g.values.len() != n {
                return Err(DataError::LengthMismatch {
                    column: g.id.clone(),
                    expected: n,
                    found: g.values.len(),
                });
            }
        }
        let extremes: Vec<Option<(f64, f64)>> = (0..column_ids.len())
            .map(|j| stats::min_max(&values[j * n..(j + 1) * n]))
            .collect();
        let infinite =
            |e: &Option<(f64, f64)>| e.is_some_and(|(lo, hi)| lo.is_infinite() || hi.is_infinite());
        if let Some(j) = extremes.iter().position(infinite) {
            let col = &values[j * n..(j + 1) * n];
            let r = col.iter().position(|v| v.is_infinite()).unwrap_or_default();
            return Err(DataError::NonFinite {
                unit: units[r].id.clone(),
                column: column_ids[j].clone(),
                value: col[r],
            });
        }
        Ok(Dataset {
            units: units.into(),
            column_ids,
            values,
            groups,
            periods,
            extremes: Extremes(Some(extremes)),
        })
    }

    /// Reads a CSV in the given layout. Every column that is not the unit id, name, period or a
    /// group column is numeric; missing cells are empty, `NA`, `NaN`, `N/A` or `null`.
    ///
    /// Lines starting with `#` are comments (a data template's guide to each indicator).
    ///
    /// # Errors
    /// Malformed CSV, no unit id column, a cell that is not a number (naming column and line),
    /// an unparsable period, and the checks of [`Dataset::from_parts`].
    pub fn from_csv<R: Read>(reader: R, layout: &CsvLayout) -> Result<Self, DataError> {
        let mut csv = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_reader(reader);
        let csv_error = |e: &csv::Error| DataError::Csv {
            line: e.position().map_or(0, csv::Position::line),
            message: e.to_string(),
        };
        let header = csv.headers().map_err(|e| csv_error(&e))?.clone();
        // Every column once: a second `uCode` would otherwise be read as an indicator.
        let mut seen = std::collections::HashSet::with_capacity(header.len());
        if let Some(repeated) = header.iter().find(|h| !seen.insert(*h)) {
            return Err(DataError::DuplicateColumn {
                column: repeated.to_owned(),
            });
        }
        let roles: Vec<ColumnRole> = header.iter().map(|h| layout.role(h)).collect();
        let roles = &roles;
        let of = |role: ColumnRole| (0..roles.len()).filter(move |&k| roles[k] == role);
        let id_col = of(ColumnRole::UnitId)
            .next()
            .ok_or_else(|| DataError::MissingIdColumn {
                column: layout.unit_id.clone(),
            })?;
        let name_col = of(ColumnRole::UnitName).next();
        let period_col = of(ColumnRole::Period).next();
        let group_cols: Vec<usize> = of(ColumnRole::Group).collect();
        let numeric_cols: Vec<usize> = of(ColumnRole::Indicator).collect();
        let mut units = Vec::new();
        let mut periods = Vec::new();
        let mut columns: Vec<Vec<f64>> = vec![Vec::new(); numeric_cols.len()];
        let mut groups: Vec<Vec<Option<String>>> = vec![Vec::new(); group_cols.len()];
        for record in csv.records() {
            let record = record.map_err(|e| csv_error(&e))?;
            let line = record.position().map_or(0, csv::Position::line);
            units.push(Unit {
                id: record[id_col].to_owned(),
                name: name_col
                    .map(|k| record[k].to_owned())
                    .filter(|s| !s.is_empty()),
                aggregate: false,
            });
            if let Some(k) = period_col {
                let text = &record[k];
                let period = text
                    .parse::<f64>()
                    .ok()
                    .filter(|p| p.fract() == 0.0 && p.abs() < 1e15)
                    .ok_or_else(|| DataError::InvalidPeriod {
                        line,
                        text: text.to_owned(),
                    })?;
                periods.push(period as i64);
            }
            for (g, &k) in groups.iter_mut().zip(&group_cols) {
                g.push(Some(record[k].to_owned()).filter(|s| !is_missing_marker(s)));
            }
            for (col, &k) in columns.iter_mut().zip(&numeric_cols) {
                let text = &record[k];
                let value = if is_missing_marker(text) {
                    f64::NAN
                } else {
                    text.parse::<f64>().map_err(|_| DataError::NotANumber {
                        column: header[k].to_owned(),
                        line,
                        text: text.to_owned(),
                    })?
                };
                col.push(value);
            }
        }
        let column_ids = numeric_cols.iter().map(|&k| header[k].to_owned()).collect();
        let groups = group_cols
            .iter()
            .zip(groups)
            .map(|(&k, values)| GroupColumn {
                id: header[k].to_owned(),
                values,
            })
            .collect();
        Self::from_parts(
            units,
            column_ids,
            columns.concat(),
            groups,
            period_col.map(|_| periods),
        )
    }

    /// The units, in row order.
    #[must_use]
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// Number of rows (units, or unit-periods in a panel).
    #[must_use]
    pub fn n_units(&self) -> usize {
        self.units.len()
    }

    /// Ids of the numeric columns.
    #[must_use]
    pub fn column_ids(&self) -> &[String] {
        &self.column_ids
    }

    /// A numeric column by id.
    #[must_use]
    pub fn column(&self, id: &str) -> Option<&[f64]> {
        let j = self.column_position(id)?;
        Some(self.column_at(j))
    }

    /// The numeric column at position `j`.
    ///
    /// # Panics
    /// If `j` is out of range.
    #[must_use]
    pub fn column_at(&self, j: usize) -> &[f64] {
        let n = self.units.len();
        &self.values[j * n..(j + 1) * n]
    }

    /// The least and greatest present values of the numeric column at position `j` (`None`
    /// when it has none), as [`stats::min_max`] finds them: kept from construction while the
    /// values are unchanged.
    ///
    /// # Panics
    /// If `j` is out of range.
    pub(crate) fn column_extremes(&self, j: usize) -> Option<(f64, f64)> {
        match &self.extremes.0 {
            Some(extremes) => extremes[j],
            None => stats::min_max(self.column_at(j)),
        }
    }

    /// The values, to change (copied first if borrowed); the kept extremes are forgotten.
    pub(crate) fn values_mut(&mut self) -> &mut [f64] {
        self.values_mut_with_rows().0
    }

    /// [`Dataset::values_mut`], with the units and the periods to read while changing them.
    pub(crate) fn values_mut_with_rows(&mut self) -> (&mut [f64], &[Unit], Option<&[i64]>) {
        self.extremes = Extremes::default();
        (self.values.to_mut(), &self.units, self.periods.as_deref())
    }

    /// The rows of each period, periods ascending; one group of every row without periods.
    #[must_use]
    pub fn period_rows(&self) -> Vec<(Option<i64>, Vec<usize>)> {
        match &self.periods {
            None => vec![(None, (0..self.units.len()).collect())],
            Some(p) => self
                .distinct_periods()
                .into_iter()
                .map(|period| {
                    (
                        Some(period),
                        (0..p.len()).filter(|&r| p[r] == period).collect(),
                    )
                })
                .collect(),
        }
    }

    /// Position of a numeric column.
    #[must_use]
    pub fn column_position(&self, id: &str) -> Option<usize> {
        self.column_ids.iter().position(|c| c == id)
    }

    /// The whole column-major buffer.
    #[must_use]
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The same data set owning its values (borrowed values are copied).
    #[must_use]
    pub fn into_owned(self) -> Dataset<'static> {
        Dataset {
            units: self.units,
            column_ids: self.column_ids,
            values: Cow::Owned(self.values.into_owned()),
            groups: self.groups,
            periods: self.periods,
            extremes: self.extremes,
        }
    }

    /// The group columns.
    #[must_use]
    pub fn groups(&self) -> &[GroupColumn] {
        &self.groups
    }

    /// The period of each row, for a panel.
    #[must_use]
    pub fn periods(&self) -> Option<&[i64]> {
        self.periods.as_deref()
    }

    /// The distinct periods, ascending.
    #[must_use]
    pub fn distinct_periods(&self) -> Vec<i64> {
        let mut p: Vec<i64> = self.periods.clone().unwrap_or_default();
        p.sort_unstable();
        p.dedup();
        p
    }

    /// Refuses data of several periods, which only a panel scoring takes.
    ///
    /// # Errors
    /// [`DataError::SeveralPeriods`], naming how many and the first and last.
    pub fn one_period(&self) -> Result<(), DataError> {
        let periods = self.distinct_periods();
        if periods.len() > 1 {
            return Err(DataError::SeveralPeriods {
                count: periods.len(),
                first: periods[0],
                last: periods[periods.len() - 1],
            });
        }
        Ok(())
    }

    /// The rows of one period, as a data set without periods.
    ///
    /// # Errors
    /// [`DataError::NoPeriods`] for data without periods; [`DataError::UnknownPeriod`] when no
    /// row has that period.
    pub fn for_period(&self, period: i64) -> Result<Dataset<'static>, DataError> {
        let rows: Vec<usize> = match &self.periods {
            Some(p) => (0..p.len()).filter(|&r| p[r] == period).collect(),
            None => return Err(DataError::NoPeriods { period }),
        };
        if rows.is_empty() {
            return Err(DataError::UnknownPeriod { period });
        }
        let mut one = self.select_rows(&rows);
        one.periods = None;
        Ok(one)
    }

    /// A data set holding the given rows, in the given order (periods kept).
    ///
    /// # Panics
    /// If a row index is out of range.
    #[must_use]
    pub fn select_rows(&self, rows: &[usize]) -> Dataset<'static> {
        let n = self.units.len();
        let values = (0..self.column_ids.len())
            .flat_map(|j| rows.iter().map(move |&r| self.values[j * n + r]))
            .collect();
        Dataset {
            units: rows.iter().map(|&r| self.units[r].clone()).collect(),
            column_ids: self.column_ids.clone(),
            values: Cow::Owned(values),
            groups: self
                .groups
                .iter()
                .map(|g| GroupColumn {
                    id: g.id.clone(),
                    values: rows.iter().map(|&r| g.values[r].clone()).collect(),
                })
                .collect(),
            periods: self
                .periods
                .as_ref()
                .map(|p| rows.iter().map(|&r| p[r]).collect()),
            extremes: Extremes::default(),
        }
    }

    /// The JSON-friendly document form.
    #[must_use]
    pub fn to_document(&self) -> DatasetDocument {
        DatasetDocument {
            units: self.units.to_vec(),
            columns: self
                .column_ids
                .iter()
                .enumerate()
                .map(|(j, id)| {
                    let values = self
                        .column_at(j)
                        .iter()
                        .map(|v| (!v.is_nan()).then_some(*v))
                        .collect();
                    (id.clone(), values)
                })
                .collect(),
            groups: self.groups.clone(),
            periods: self.periods.clone(),
        }
    }
}

/// A data set as a JSON document: units, and columns keyed by id with `null` for missing
/// values. Columns are kept in key order.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetDocument {
    /// The units.
    pub units: Vec<Unit>,
    /// Numeric columns: id → one value (or null) per unit.
    pub columns: BTreeMap<String, Vec<Option<f64>>>,
    /// Group columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupColumn>,
    /// Period of each row, for a panel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periods: Option<Vec<i64>>,
}

impl TryFrom<DatasetDocument> for Dataset<'static> {
    type Error = DataError;
    fn try_from(doc: DatasetDocument) -> Result<Self, DataError> {
        let n = doc.units.len();
        let mut column_ids = Vec::with_capacity(doc.columns.len());
        let mut values = Vec::with_capacity(n * doc.columns.len());
        for (id, col) in doc.columns {
            if col.len() != n {
                return Err(DataError::LengthMismatch {
                    column: id,
                    expected: n,
                    found: col.len(),
                });
            }
            values.extend(col.into_iter().map(|v| v.unwrap_or(f64::NAN)));
            column_ids.push(id);
        }
        Dataset::from_parts(doc.units, column_ids, values, doc.groups, doc.periods)
    }
}

impl Dataset<'static> {
    /// Parses the JSON document form (see [`DatasetDocument`]).
    ///
    /// # Errors
    /// Malformed JSON and the checks of [`Dataset::from_parts`].
    pub fn from_json(text: &str) -> Result<Self, DataError> {
        let doc: DatasetDocument =
            crate::json::parse(text).map_err(|e| DataError::Json(e.into_text()))?;
        doc.try_into()
    }
}

/// FNV-1a, for checking unit ids for duplicates: the ids are the caller's own, so the flooding
/// resistance of the standard hasher buys nothing, and in WebAssembly it cost more than scoring
/// a small data set.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastHash = BuildHasherDefault<Fnv>;

#[cfg(test)]
mod tests {
    use super::{Dataset, Unit};
    use crate::error::DataError;
    use crate::stats;

    fn one_column(values: Vec<f64>) -> Result<Dataset<'static>, DataError> {
        let units = (0..values.len())
            .map(|r| Unit::new(&format!("u{r}")))
            .collect();
        Dataset::from_parts(units, vec!["x".into()], values, Vec::new(), None)
    }

    #[test]
    fn infinities_are_found_in_the_chunks_and_the_rest() {
        let values = vec![
            1.0,
            f64::NAN,
            -3.0,
            0.0,
            2.5,
            f64::NAN,
            7.0,
            -1.0,
            4.0,
            f64::NAN,
        ];
        assert!(one_column(values.clone()).is_ok());
        assert!(one_column(Vec::new()).is_ok());
        for (position, infinity) in [(2, f64::NEG_INFINITY), (9, f64::INFINITY)] {
            let mut with = values.clone();
            with[position] = infinity;
            let Err(DataError::NonFinite {
                unit,
                column,
                value,
            }) = one_column(with)
            else {
                panic!("{infinity} at {position} not found");
            };
            assert_eq!((unit, column.as_str()), (format!("u{position}"), "x"));
            assert_eq!(value, infinity);
        }
    }

    #[test]
    fn extremes_are_kept_until_the_values_change() {
        let mut data =
            one_column(vec![f64::NAN, 3.0, -0.0, 0.0, -2.0]).unwrap_or_else(|e| panic!("{e}"));
        assert!(data.extremes.0.is_some());
        assert!(data.clone().extremes.0.is_none());
        let bits = |e: Option<(f64, f64)>| e.map(|(lo, hi)| (lo.to_bits(), hi.to_bits()));
        let fresh = stats::min_max(data.column_at(0));
        assert_eq!(bits(data.column_extremes(0)), bits(fresh));
        data.values_mut()[4] = -5.0;
        assert!(data.extremes.0.is_none());
        assert_eq!(data.column_extremes(0), Some((-5.0, 3.0)));
        let empty = one_column(vec![f64::NAN; 3]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(empty.column_extremes(0), None);
    }
}
