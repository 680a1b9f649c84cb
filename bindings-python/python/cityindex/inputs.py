"""Inputs: frameworks, data sets (COINr's iData layout, DataFrames, arrays, tables that convert to
pandas) and the embedded frameworks."""

from __future__ import annotations

import functools
import json
import os
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _native
from ._documents import Data, JsonLike, _error, _json
from .errors import DataError, Error, FrameworkError


class Framework:
    """A validated tree of indicators and aggregates."""

    def __init__(self, document: JsonLike) -> None:
        self._json = _native.framework_json(_json(document, "framework"))

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Framework:
        """Reads a framework from a JSON document or a flat CSV node table (by extension)."""
        with open(path, encoding="utf-8") as file:
            text = file.read()
        if str(path).lower().endswith(".csv"):
            return cls.from_table(text)
        return cls(text)

    @classmethod
    def from_table(cls, table: str | pd.DataFrame) -> Framework:
        """Reads the flat node table (COINr's iMeta columns accepted) from CSV text or a DataFrame."""
        text = table.to_csv(index=False) if isinstance(table, pd.DataFrame) else table
        if not isinstance(text, str):
            raise _error(FrameworkError, "framework.table", "a framework table is CSV text or a DataFrame")
        framework = cls.__new__(cls)
        framework._json = _native.framework_from_table(text)
        return framework

    def to_dict(self) -> dict[str, Any]:
        """The nested JSON document."""
        result: dict[str, Any] = json.loads(self._json)
        return result

    def __getstate__(self) -> dict[str, Any]:
        # The parsed forms are caches: copies and pickles carry the document only.
        return {"_json": self._json}

    @functools.cached_property
    def _handle(self) -> _native.FrameworkHandle:
        """The framework parsed once, for scoring Datasets (a framework does not change)."""
        return _native.FrameworkHandle(self._json)

    @functools.cached_property
    def _document(self) -> dict[str, Any]:
        """The document parsed once, for reading only (a framework does not change)."""
        return self.to_dict()

    def __repr__(self) -> str:
        doc = self._document
        name = doc.get("name") or doc.get("id") or "framework"
        return f"<Framework {name!r}: {len(self._indicators)} indicators, top node {doc['nodes'][0]['id']!r}>"

    def _repr_html_(self) -> str:
        """The tree as nested lists (Jupyter shows this), each node with its id, name and weight."""
        import html

        def item(node: dict[str, Any]) -> str:
            label = f"<code>{html.escape(str(node['id']))}</code>"
            if node.get("name"):
                label += f" {html.escape(str(node['name']))}"
            if node.get("weight", 1) != 1:
                label += f" <small>(weight {node['weight']})</small>"
            children = node.get("children") or []
            inner = "<ul>" + "".join(item(c) for c in children) + "</ul>" if children else ""
            return f"<li>{label}{inner}</li>"

        doc = self._document
        title = html.escape(str(doc.get("name") or doc.get("id") or "Framework"))
        return f"<div><strong>{title}</strong><ul>{''.join(item(n) for n in doc['nodes'])}</ul></div>"

    def to_json(self) -> str:
        """The nested JSON document as text."""
        return self._json

    def indicators(self) -> list[str]:
        """The indicator ids, in framework order."""
        return list(self._indicators)

    @functools.cached_property
    def _indicators(self) -> tuple[str, ...]:
        ids: list[str] = []

        def walk(nodes: list[dict[str, Any]]) -> None:
            for node in nodes:
                if node.get("children"):
                    walk(node["children"])
                else:
                    ids.append(node["id"])

        walk(self._document["nodes"])
        return tuple(ids)

    def group_columns(self) -> list[str]:
        """The data columns the framework declares as unit groups (kind ``group``)."""
        return [c["id"] for c in self._document.get("data_columns", []) if c.get("kind") == "group"]


class Dataset:
    """Data converted and validated once, for scoring them many times — a what-if analysis trying
    one recipe or set of weights after another. `data` is given as for `score` (a DataFrame, a
    numpy array with `columns` and `units`, a pyarrow or polars table; one `period` of a panel);
    `framework` is needed only when it declares group columns.

    Every function that takes data takes a Dataset. `score` then skips what a DataFrame or array
    goes through in every call: converting the unit ids, checking them for duplicates, scanning
    every value for infinities and bounds, parsing the framework and building the results' unit
    index (about a third of the time of scoring 10,000 units × 100 indicators from an array).
    The values are copied: changing the DataFrame or array afterwards does not change the
    Dataset. Bad data raise here, as `score` would raise them."""

    def __init__(
        self,
        data: Data,
        framework: Framework | JsonLike | None = None,
        *,
        columns: list[str] | None = None,
        units: list[str] | None = None,
        period: int | None = None,
    ) -> None:
        fw = None if framework is None else _as_framework(framework)
        i = _inputs(fw, data, columns, units, period)
        self._handle = _native.Dataset(i)
        # The inputs without the values (the handle holds their copy), for the other functions.
        self._inputs = i._replace(values=np.empty((0, 0)))
        self.index: pd.Index = (
            i.unit_index.rename("unit") if i.unit_index is not None else pd.Index(i.units, name="unit", dtype="str")
        )
        """The unit ids, as the results' index."""
        self.columns: list[str] = list(i.columns)
        """The numeric column ids."""

    def values(self) -> npt.NDArray[np.float64]:
        """A copy of the values, units × columns (Fortran order)."""
        return self._handle.values()

    def __repr__(self) -> str:
        return f"Dataset({len(self.index)} units × {len(self.columns)} columns)"


def _as_framework(framework: Framework | JsonLike) -> Framework:
    return framework if isinstance(framework, Framework) else Framework(framework)


class _Inputs(NamedTuple):
    """What the native functions take, and the unit index for the results."""

    units: list[str]
    columns: list[str]
    values: np.ndarray  # float64, Fortran order
    names: list[str | None] | None
    groups: list[tuple[str, list[str | None]]] | None
    periods: list[int] | None
    unit_index: pd.Index | None  # a DataFrame's own index of string ids, reused for the results


def _inputs(
    fw: Framework | None,
    data: Data,
    columns: list[str] | None,
    units: list[str] | None,
    period: int | None,
    *,
    panel: bool = False,
) -> _Inputs:
    """Unit ids, column ids, the float64 values (Fortran order), names, groups and periods (of
    one period, or with ``panel`` of every period)."""
    if isinstance(data, Dataset):
        _check_dataset(fw, data, columns, units, period)
        return data._inputs._replace(values=data.values(), unit_index=data.index)
    names = None
    unit_index = None
    groups: list[tuple[str, list[str | None]]] | None = None
    periods = None
    if not isinstance(data, pd.DataFrame | np.ndarray) and (
        hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__")
    ):
        return _arrow_inputs(fw, data, columns, period, panel)
    if not isinstance(data, pd.DataFrame | np.ndarray) and hasattr(data, "to_pandas"):
        data = data.to_pandas()  # other tables that convert themselves: nulls become NaN
    if isinstance(data, pd.DataFrame):
        # Which column is what: the core's rule for COINr's iData layout, as for a CSV.
        declared = [] if fw is None else fw.group_columns()
        roles = dict(zip(data.columns, _native.column_roles([str(c) for c in data.columns], declared), strict=True))
        role_of = {role: c for c, role in reversed(roles.items())}  # the first column of each role
        frame = data if panel else _select_period(data, period, role_of.get("period"))
        if "unit_id" not in role_of:
            _check_unit_index(frame, roles)
        ids = frame[role_of["unit_id"]] if "unit_id" in role_of else frame.index
        if ids.isna().any():
            k = int(np.flatnonzero(np.asarray(ids.isna()))[0])
            raise _data_error("data.empty_unit_id", f"unit number {k + 1} has no id (a missing value)")
        unit_ids = [str(u) for u in ids] if ids.dtype == object else ids.astype(str).tolist()
        if isinstance(ids, pd.Index) and ids.dtype != object and pd.api.types.is_string_dtype(ids) and not ids.hasnans:
            unit_index = ids  # building an index of 10,000 strings again costs more than scoring them
        if "unit_name" in role_of:
            names = [None if pd.isna(n) else str(n) for n in frame[role_of["unit_name"]]]
        if "period" in role_of:
            periods = _periods(frame[role_of["period"]])
        group_columns = [c for c in frame.columns if roles[c] == "group"]
        if group_columns:
            groups = [(str(g), [None if pd.isna(v) else str(v) for v in frame[g]]) for g in group_columns]
        indicators = [str(c) for c in frame.columns if roles[c] == "indicator"]
        column_ids = indicators if columns is None else list(columns)
        if fw is not None:
            _check_columns_match(fw, column_ids)
        values = _numeric(frame, column_ids)
    else:
        if columns is None:
            raise _data_error("data.missing_column", "a numpy array needs `columns`: the id of each column")
        values = np.asarray(data)
        if values.ndim != 2:
            raise _data_error(
                "data.invalid_input",
                f"a numpy array of data must have 2 dimensions (units × columns), not {values.ndim}",
            )
        _check_kind(values.dtype, "the array")
        column_ids = list(columns)
        unit_ids = _unit_ids(units) if units is not None else [str(i) for i in range(values.shape[0])]
        if values.dtype != np.float64:
            try:
                values = values.astype(np.float64)
            except (TypeError, ValueError):
                raise _data_error(
                    "data.not_a_number", f"the array ({values.dtype}) holds values that are not numbers"
                ) from None
    # Duplicated unit ids are found by the core, which names the first.
    return _Inputs(unit_ids, column_ids, np.asfortranarray(values), names, groups, periods, unit_index)


def _check_unit_index(frame: pd.DataFrame, roles: dict[Any, str]) -> None:
    """Without a ``uCode`` column the index holds the unit ids; a default 0, 1, 2… index beside a
    column of text (``city``, ``name``) means the ids were meant to be that column: say how."""
    if not isinstance(frame.index, pd.RangeIndex):
        return
    text = [
        c
        for c in frame.columns
        if roles[c] == "indicator" and (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c]))
    ]
    if text:
        raise _data_error(
            "data.missing_id_column",
            f"which column names the units? `{text[0]}` holds text: make it the index "
            f"(`df.set_index({str(text[0])!r})`) or call it `uCode`",
        )


def _arrow_inputs(
    fw: Framework | None, data: Any, columns: list[str] | None, period: int | None, panel: bool
) -> _Inputs:
    """The inputs from any object with the Arrow PyCapsule interface (``__arrow_c_stream__`` or
    ``__arrow_c_array__``: pyarrow, polars, DuckDB, pandas with Arrow dtypes), read through
    pyarrow's C Data Interface without pandas. A float64 column without nulls in one chunk is a
    view of the Arrow buffer; a single such indicator reaches the core with no copy at all, more
    columns are laid side by side once (the core reads one column-major block)."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        raise _data_error(
            "data.invalid_input", "reading Arrow data needs pyarrow: pip install 'cityindex[arrow]'"
        ) from None
    table = pa.table(data)
    names = [str(c) for c in table.column_names]
    declared = [] if fw is None else fw.group_columns()
    roles = dict(zip(names, _native.column_roles(names, declared), strict=True))
    role_of = {role: c for c, role in reversed(roles.items())}
    time = role_of.get("period")
    if time is not None and not panel:
        available = sorted({int(p) for p in pc.unique(table[time]).to_pylist()})
        if period is None and len(available) > 1:
            raise _data_error(
                "data.several_periods",
                f"the data hold {len(available)} periods ({available[0]}–{available[-1]}); choose one with `period=`",
            )
        if period is not None:
            if period not in available:
                raise _data_error("data.unknown_period", f"no rows for period {period}; the data hold {available}")
            table = table.filter(pc.equal(table[time], period))
    elif period is not None and time is None:
        raise _data_error("data.no_periods", f"period {period} was asked for but the data have no `Time` column")
    if "unit_id" not in role_of:
        raise _data_error("data.missing_id_column", "Arrow data need a `uCode` column of unit ids")
    unit_ids = [None if u is None else str(u) for u in table[role_of["unit_id"]].to_pylist()]
    if None in unit_ids:
        k = unit_ids.index(None)
        raise _data_error("data.empty_unit_id", f"unit number {k + 1} has no id (a missing value)")
    unit_names = None
    if "unit_name" in role_of:
        unit_names = [None if n is None else str(n) for n in table[role_of["unit_name"]].to_pylist()]
    periods = None if time is None else [int(p) for p in table[time].to_pylist()]
    group_columns = [c for c in names if roles[c] == "group"]
    groups = [(g, [None if v is None else str(v) for v in table[g].to_pylist()]) for g in group_columns] or None
    column_ids = [c for c in names if roles[c] == "indicator"] if columns is None else list(columns)
    if fw is not None:
        _check_columns_match(fw, column_ids)
    arrays = []
    for c in column_ids:
        if c not in names:
            raise _data_error("data.missing_column", f"the data have no column `{c}`")
        arrays.append(_arrow_column(table[c], c))
    if len(arrays) == 1:
        values = arrays[0].reshape(-1, 1, order="F")  # a view: one column is already column-major
    else:
        values = np.empty((table.num_rows, len(arrays)), dtype=np.float64, order="F")
        for k, a in enumerate(arrays):
            values[:, k] = a
    return _Inputs([u for u in unit_ids if u is not None], column_ids, values, unit_names, groups, periods, None)


def _arrow_column(column: Any, name: str) -> np.ndarray:
    """An Arrow column as float64: a view of its buffer when it is float64 in one chunk without
    nulls, else converted (nulls become NaN); not a number is a DataError naming the column."""
    import pyarrow as pa

    if column.num_chunks == 1 and column.type == pa.float64() and column.null_count == 0:
        return np.asarray(column.chunk(0).to_numpy(zero_copy_only=True))
    if not (pa.types.is_integer(column.type) or pa.types.is_floating(column.type) or pa.types.is_null(column.type)):
        raise _data_error("data.not_a_number", f"column `{name}` holds {column.type}, not numbers")
    return np.asarray(column.cast(pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)


def _check_dataset(
    fw: Framework | None, data: Dataset, columns: list[str] | None, units: list[str] | None, period: int | None
) -> None:
    """A Dataset carries its columns, units and period: giving them again is a mistake. Its
    columns must match the framework as a DataFrame's must."""
    given = [name for name, value in [("columns", columns), ("units", units), ("period", period)] if value is not None]
    if given:
        raise _data_error(
            "data.invalid_input",
            f"a Dataset has its own columns, units and period; give `{given[0]}` when making the Dataset",
        )
    if fw is not None:
        _check_columns_match(fw, data.columns)


def _check_columns_match(fw: Framework, column_ids: list[str]) -> None:
    """A DataFrame none of whose columns is an indicator is almost always the wrong frame (or
    units in columns); say so instead of naming the first missing indicator."""
    indicators = fw._indicators
    if column_ids and set(indicators).isdisjoint(column_ids):
        raise _data_error(
            "data.no_indicator_columns",
            f"none of the data's columns ({', '.join(column_ids[:5])}{', …' if len(column_ids) > 5 else ''}) "
            f"is an indicator of the framework ({', '.join(indicators[:5])}{', …' if len(indicators) > 5 else ''})",
        )


def _select_period(frame: pd.DataFrame, period: int | None, column: Any) -> pd.DataFrame:
    """The rows of `period` (by the period `column`, None if the data have none)."""
    if column is None:
        if period is not None:
            raise _data_error("data.no_periods", f"period {period} was asked for but the data have no `Time` column")
        return frame
    periods = sorted(set(_periods(frame[column])))
    if period is None:
        if len(periods) > 1:
            raise _data_error(
                "data.several_periods",
                f"the data hold {len(periods)} periods ({periods[0]}–{periods[-1]}); choose one with `period=`",
            )
        return frame
    if period not in periods:
        raise _data_error("data.unknown_period", f"no rows for period {period}; the data hold {periods}")
    selected: pd.DataFrame = frame[frame[column] == period]
    return selected


def _unit_ids(units: Any) -> list[str]:
    """Unit ids given as a list: text, each present."""
    ids = list(units)
    for k, u in enumerate(ids):
        if u is None or (isinstance(u, float) and np.isnan(u)):
            raise _data_error("data.empty_unit_id", f"unit number {k + 1} has no id (a missing value)")
        if not isinstance(u, str):
            raise _data_error("data.invalid_input", f"unit number {k + 1}: the id {u!r} is not text")
    return ids


def _periods(column: pd.Series) -> list[int]:
    """The periods of a ``Time`` column as whole numbers (years, say), or a DataError naming the
    first that is not one: a fraction, a missing value, a date."""
    if column.dtype.kind in "mM":
        raise _data_error("data.invalid_period", "the `Time` column holds dates; give periods as whole numbers (years)")
    periods = []
    for k, p in enumerate(column):
        if (
            isinstance(p, bool)
            or not isinstance(p, int | float | np.integer | np.floating)
            or not float(p).is_integer()
        ):
            raise _data_error("data.invalid_period", f"row {k + 1}: period `{p}` is not a whole number")
        periods.append(int(p))
    return periods


def _data_error(code: str, message: str) -> Error:
    return _error(DataError, code, message)


def _numeric(frame: pd.DataFrame, column_ids: list[str]) -> np.ndarray:
    """The named columns as a Fortran-ordered float64 array; a column that is not numeric is a
    DataError naming it (NaN, None and pd.NA all mean missing)."""
    for c in column_ids:
        if c not in frame.columns:
            raise _data_error("data.missing_column", f"the data have no column `{c}`")
    selected = frame if column_ids == list(frame.columns) else frame[column_ids]
    if (selected.dtypes == np.float64).all():
        # A frame holding its columns in one float64 block (as one built from an array does)
        # stores them column by column: this is a view, read in place by the core.
        return np.asfortranarray(selected.to_numpy(dtype=np.float64))
    arrays = []
    for c in column_ids:
        column = frame[c]
        _check_kind(column.dtype, f"column `{c}`")
        try:
            arrays.append(pd.to_numeric(column, errors="raise").to_numpy(dtype=np.float64, na_value=np.nan))
        except (ValueError, TypeError):
            bad = next(v for v in column if not _is_number(v))
            raise _data_error("data.not_a_number", f"column `{c}`: `{bad}` is not a number") from None
    if not arrays:
        return np.empty((len(frame), 0), dtype=np.float64, order="F")
    return np.asfortranarray(np.column_stack(arrays))


def _check_kind(dtype: np.dtype[Any] | Any, what: str) -> None:
    """Dates, durations and complex numbers would be converted silently (to nanoseconds, or
    losing their imaginary part): a DataError naming `what` instead."""
    kind = getattr(dtype, "kind", "O")
    if kind in "mMc":
        held = {"m": "durations", "M": "dates", "c": "complex numbers"}[kind]
        raise _data_error("data.not_a_number", f"{what} holds {held}, not real numbers")


def _is_number(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def builtins() -> list[tuple[str, str]]:
    """The embedded official frameworks, as (id, one-line summary)."""
    return list(_native.builtins())


def builtin(name: str) -> tuple[Framework, pd.DataFrame, dict[str, Any]]:
    """An embedded framework, its sample data (a DataFrame with ``uCode``, ``uName`` and ``Time``
    when the data are a panel) and its publisher's recipe."""
    known = [b for b, _ in _native.builtins()]
    if name not in known:
        raise KeyError(f"no built-in framework `{name}`; known: {', '.join(known)}")
    framework_json, data_json, recipe_json = _native.builtin(name)
    framework = Framework(framework_json)
    doc = json.loads(data_json)
    frame = pd.DataFrame({k: [np.nan if v is None else v for v in vals] for k, vals in doc["columns"].items()})
    unit_id, unit_name, time = _native.layout_names()
    frame.insert(0, unit_id, [u["id"] for u in doc["units"]])
    frame.insert(1, unit_name, [u.get("name") for u in doc["units"]])
    if doc.get("periods") is not None:
        frame.insert(2, time, doc["periods"])
    recipe: dict[str, Any] = json.loads(recipe_json)
    return framework, frame, recipe
