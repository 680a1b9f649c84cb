"""Scoring: `score`, `score_panel` and `prepare`, and the results they return."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _native
from ._documents import Data, JsonLike, _json
from .inputs import Dataset, Framework, _as_framework, _check_dataset, _inputs


class Result:
    """Scores, ranks and coverage of every node for every unit, as DataFrames (units × nodes, each
    made from the core's results when first used); `bands` holds the maturity band of every unit
    on each banded node (None where unscored)."""

    def __init__(self, raw: Mapping[str, Any], units: list[str] | pd.Index | None = None) -> None:
        # The core leaves the unit ids out when they are the ones the caller passed.
        if raw["units"] is None and isinstance(units, pd.Index):
            self._index = units.rename("unit")
        else:
            # The ids are strings: saying so spares pandas inferring it (a fifth of the time).
            ids = raw["units"] if raw["units"] is not None else (units or [])
            self._index = pd.Index(ids, name="unit", dtype="str")
        self._columns = pd.Index(raw["nodes"], name="node")
        self._handle: _native.ScoresHandle = raw["handle"]
        self._bands: dict[str, list[str | None]] = raw["bands"]
        self.levels = dict(zip(raw["nodes"], raw["levels"], strict=True))
        self.node_names: dict[str, str] = dict(zip(raw["nodes"], raw["node_names"], strict=True))
        """Each node's name (its id when it has none)."""
        self._names: list[str | None] | None = raw["names"]
        self.aggregates: list[str] = [str(self._index[r]) for r in raw["aggregates"]]
        """The units that are aggregates (the EU, averages): scored, shown, never ranked."""
        self.warnings: list[str] = list(raw["warnings"])

    def _frame(self, matrix: npt.NDArray[np.float64]) -> pd.DataFrame:
        # The matrix is fresh from the core and owned by nobody else: no copy needed.
        return pd.DataFrame(matrix, index=self._index, columns=self._columns, copy=False)

    @functools.cached_property
    def names(self) -> pd.Series:
        """Each unit's name (``uName``; its id when it has none), indexed by unit id."""
        names = self._names or [None] * len(self._index)
        values = [str(u) if n is None else n for u, n in zip(self._index, names, strict=True)]
        return pd.Series(values, index=self._index, name="name", dtype=object)

    @functools.cached_property
    def scores(self) -> pd.DataFrame:
        """Scores of every node, made on first use."""
        return self._frame(self._handle.score())

    @functools.cached_property
    def bands(self) -> pd.DataFrame:
        """The band of every unit on each banded node, made on first use."""
        return pd.DataFrame(self._bands, index=self._index, dtype=object)

    @functools.cached_property
    def ranks(self) -> pd.DataFrame:
        """Ranks (1 = best; ties as the recipe says), computed on first use."""
        return self._frame(self._handle.rank())

    def to_arrow(self, what: str = "scores") -> Any:
        """The scores (or "ranks", "coverage") as a pyarrow Table: a ``unit`` column and one column
        per node, each a view of the core's column where no value is missing (missing values
        become nulls). Needs pyarrow (``pip install 'cityindex[arrow]'``)."""
        import pyarrow as pa

        matrix = {"scores": self._handle.score, "ranks": self._handle.rank, "coverage": self._handle.coverage}[what]()
        columns = [pa.array(self._index.astype(str).to_numpy(dtype=object), type=pa.string())]
        for k in range(matrix.shape[1]):
            column = matrix[:, k]
            missing = np.isnan(column)
            columns.append(pa.array(column, mask=missing) if missing.any() else pa.array(column))
        return pa.Table.from_arrays(columns, names=["unit", *map(str, self._columns)])

    @functools.cached_property
    def coverage(self) -> pd.DataFrame:
        """The share of each node's indicators with a value, computed on first use."""
        return self._frame(self._handle.coverage())

    @functools.cached_property
    def preparation(self) -> list[dict[str, Any]]:
        """What each preparation step did, in order: the core's step reports as dicts, each
        tagged by its ``step`` (see `Preparation.table` for them as DataFrames)."""
        reports: list[dict[str, Any]] = json.loads(self._handle.preparation())
        return reports

    @property
    def normalised(self) -> pd.DataFrame:
        """The normalised indicators (the level-1 columns of `scores`): the data set the
        aggregation started from."""
        return self.scores[[n for n, level in self.levels.items() if level == 1]]

    def plot(self, node: str | None = None, ax: Any = None) -> Any:
        """The ranking bar chart (needs matplotlib); see `cityindex.plot.ranking`."""
        from .plot import ranking

        return ranking(self, node, ax=ax)

    def ranking(self, node: str | None = None) -> pd.DataFrame:
        """Units ordered by rank on `node` (default: the top node): name, rank, score and (for a
        banded node) band, indexed by unit id. Aggregates (the EU, averages) come last, without
        a rank."""
        node = node or max(self.levels, key=lambda n: self.levels[n])
        if node not in self.levels:
            raise KeyError(f"no node `{node}` in the results")
        # One node's columns from the core unless the whole matrices are already made.
        ranks = self.ranks[node].to_numpy() if "ranks" in self.__dict__ else self._handle.rank_of(node)
        scores = self.scores[node].to_numpy() if "scores" in self.__dict__ else self._handle.score_of(node)
        order = self._handle.order(node)  # by rank, ties and unranked units (last) in data order
        # One 2-D block: pandas builds it in two thirds of the time of a dict of two columns.
        table = pd.DataFrame(
            np.column_stack((ranks[order], scores[order])),
            index=self._index[order],
            columns=["rank", "score"],
            copy=False,
        )
        table.insert(0, "name", self.names.to_numpy()[order])
        if node in self._bands:
            table["band"] = np.asarray(self._bands[node], dtype=object)[order]
        return table

    def _repr_html_(self) -> str:
        html: str = self.ranking().head(20).to_html()
        return html

    def __repr__(self) -> str:
        return f"Result({len(self._index)} units × {len(self._columns)} nodes)"


class Preparation:
    """The result of `prepare`: the data after each preparation step of the recipe (COINr's
    intermediate data sets, e.g. ``Denominated``, ``Imputed``, ``Screened``, ``Treated``) and
    what each step did.

    `stages` maps each step (``denominate``, ``impute``, ``screen``, ``treat``; ``treat_2`` for a
    second step of a kind) to its data: a DataFrame indexed by unit with one column per numeric
    column, in order; `reports` holds each step's report as a dict; `data` is the last stage."""

    def __init__(self, raw: list[tuple[list[str], list[str], npt.NDArray[np.float64], str, int]]) -> None:
        self.stages: dict[str, pd.DataFrame] = {}
        self.reports: list[dict[str, Any]] = []
        self._changed: list[int] = []  # per stage, as the core counts it
        for units, columns, values, report_json, changed in raw:
            report: dict[str, Any] = json.loads(report_json)
            step = str(report["step"])
            name, k = step, 1
            while name in self.stages:
                k += 1
                name = f"{step}_{k}"
            self.stages[name] = pd.DataFrame(
                values, index=pd.Index(units, name="unit"), columns=pd.Index(columns, name="column"), copy=False
            )
            self.reports.append(report)
            self._changed.append(changed)

    @property
    def data(self) -> pd.DataFrame | None:
        """The data after the last step (None without steps)."""
        return next(reversed(self.stages.values()), None)

    def table(self, stage: str) -> pd.DataFrame:
        """A stage's report as a table: the ratios ``denominate`` left undefined, the cells
        ``impute`` filled, each unit's availability in ``screen``, one row per indicator of
        ``treat`` (its tests flattened into columns; what it did to each point is `points`)."""
        if stage not in self.stages:
            raise KeyError(f"no stage `{stage}`; the stages are {list(self.stages)}")
        report = self.reports[list(self.stages).index(stage)]
        rows = {"denominate": "undefined", "impute": "cells", "screen": "units", "treat": "indicators"}
        records = [{k: v for k, v in r.items() if k != "points"} for r in report[rows[report["step"]]]]
        return pd.json_normalize(records) if records else pd.DataFrame()

    def points(self, stage: str = "treat") -> pd.DataFrame:
        """What treatment did to each point (COINr's ``Treated_Points``): units × indicators,
        ``winhi``, ``winlo``, ``log_CT`` and so on, empty where nothing was done."""
        report = self.reports[list(self.stages).index(stage)] if stage in self.stages else None
        if report is None or report["step"] != "treat":
            raise KeyError(f"no treatment stage `{stage}`; the stages are {list(self.stages)}")
        index = self.stages[stage].index
        return pd.DataFrame({r["indicator"]: r["points"] for r in report["indicators"]}, index=index)

    def summary(self) -> pd.DataFrame:
        """One row per stage: the units and columns after it and how many things the step
        changed (ratios left undefined, cells imputed, units removed, indicators treated)."""
        what = {
            "denominate": "indicators denominated",
            "impute": "cells imputed",
            "screen": "units removed",
            "treat": "indicators treated",
        }
        rows = [
            {
                "stage": name,
                "units": frame.shape[0],
                "columns": frame.shape[1],
                "changed": changed,
                "what": what[r["step"]],
            }
            for (name, frame), r, changed in zip(self.stages.items(), self.reports, self._changed, strict=True)
        ]
        return pd.DataFrame(rows, columns=["stage", "units", "columns", "changed", "what"]).set_index("stage")

    def _repr_html_(self) -> str:
        html: str = self.summary().to_html()
        return html

    def __repr__(self) -> str:
        return f"Preparation({', '.join(self.stages) or 'no steps'})"


def score(
    framework: Framework | JsonLike,
    data: Data,
    recipe: JsonLike | None = None,
    *,
    columns: list[str] | None = None,
    units: list[str] | None = None,
    period: int | None = None,
) -> Result:
    """Scores every node of `framework` for every unit of `data` as `recipe` says.

    `recipe` is a dict (or JSON text) of method choices, each optional (``cityindex.types.Recipe``
    types it): ``prepare`` (steps: denominate, impute, screen, treat), ``normalise``
    (``{"default": {"method": "min_max"}}``, per-indicator overrides), ``weighting`` (weights
    derived from the data, by node or level), ``weights`` (node → weight), ``aggregate``
    (``{"default": {"method": "geometric_mean"}}``, per level or node, an availability
    threshold), ``rank`` (ties) and ``banding`` (maturity levels). Without one: COINr's defaults,
    min-max 0–100, weighted arithmetic means, ranks with ties "min".

    `data` is a DataFrame (pandas; a polars DataFrame or a pyarrow Table is converted) with units
    as rows (its index, or a ``uCode`` column, gives the unit ids; ``uName`` the names; ``Time``
    the period; ``Group_*`` columns and the framework's group columns the groups), or a 2-D numpy
    array with `columns` (and optionally `units`) given. A panel (several ``Time`` values) is
    scored one `period` at a time. Missing values may be NaN, None or ``pd.NA`` (or nulls).
    Float64 Fortran-ordered arrays (a DataFrame's own layout) are read in place, not copied, while
    the core runs without the GIL: do not write to them from another thread meanwhile. Other
    layouts are copied in column order first, never transposed.
    """
    fw = _as_framework(framework)
    if isinstance(data, Dataset):
        _check_dataset(fw, data, columns, units, period)
        return Result(_native.score_dataset(fw._handle, data._handle, _json(recipe)), data.index)
    i = _inputs(fw, data, columns, units, period)
    raw = _native.score(fw._handle, i, _json(recipe))
    return Result(raw, i.units if i.unit_index is None else i.unit_index)


def prepare(
    framework: Framework | JsonLike,
    data: Data,
    recipe: JsonLike | None = None,
    *,
    columns: list[str] | None = None,
    units: list[str] | None = None,
    period: int | None = None,
) -> Preparation:
    """Runs the preparation steps of `recipe` (denominate, impute, screen, treat) on `data`, given
    as for `score`, and keeps the data after each step with what the step did: the intermediate
    data sets that `score` goes through before normalising."""
    fw = _as_framework(framework)
    i = _inputs(fw, data, columns, units, period)
    return Preparation(_native.prepare(fw._handle, i, _json(recipe)))


class Panel:
    """Every period of a panel scored (`score_panel`): `periods` ascending, `scores[period]` the
    `Result` of that period, and `trends(node)` each unit's trend over the periods."""

    def __init__(self, periods: list[int], results: list[Result], handle: _native.PanelHandle) -> None:
        self.periods = periods
        self.scores = dict(zip(periods, results, strict=True))
        self._handle = handle

    def __repr__(self) -> str:
        return f"Panel(periods={self.periods})"

    def trends(
        self, node: str, metric: str = "cagr", *, per: float = 1.0, infinite_from_zero: bool = False
    ) -> pd.Series:
        """Each unit's trend of `node` from its first to its last observed period, as COINr's
        ``get_trends``: ``metric`` "cagr" ((last/first)^(1/(t₁ − t₀)) − 1) or "percent_change"
        (100·(last − first)/first per `per` periods). A start at 0 gives a missing value unless
        ``infinite_from_zero`` asks for COINr's ±∞. Indexed by unit, in order of first appearance."""
        spec: dict[str, Any] = {"metric": metric}
        if metric == "percent_change":
            spec["per"] = per
        units, values = self._handle.trends(node, json.dumps(spec), infinite_from_zero)
        return pd.Series(values, index=pd.Index(units, name="unit", dtype="str"), name=node)

    def trend_table(self, node: str | None = None, start: int | None = None, end: int | None = None) -> pd.DataFrame:
        """Each unit's `node` (default: the top node) in periods `start` and `end` (default: the
        first and last): name, both scores, the change, the compound annual growth rate, both
        ranks and the places gained (positive: up the ranking), ordered by the last rank —
        the table of ``cityindex score --period all``."""
        start = self.periods[0] if start is None else start
        end = self.periods[-1] if end is None else end
        last = self.scores[end] if end in self.scores else self.scores[self.periods[-1]]
        node = node or max(last.levels, key=lambda n: last.levels[n])
        units, rows = self._handle.trend(node, start, end)
        columns = [f"score {start}", f"score {end}", "change", "cagr", f"rank {start}", f"rank {end}", "places gained"]
        table = pd.DataFrame(rows, index=pd.Index(units, name="unit", dtype="str"), columns=columns)
        table.insert(0, "name", last.names.reindex(table.index).fillna(pd.Series(table.index, index=table.index)))
        return table.sort_values(f"rank {end}", na_position="last", kind="stable")


def score_panel(
    framework: Framework | JsonLike,
    data: Data,
    recipe: JsonLike | None = None,
    *,
    columns: list[str] | None = None,
    units: list[str] | None = None,
) -> Panel:
    """Scores every period of a panel (data with a ``Time`` column, given as for `score`): the
    preparation steps run on the whole panel, normalisation per period or over all periods as the
    recipe's ``normalise.panel_bounds`` says, aggregation, ranks and bands per period."""
    fw = _as_framework(framework)
    i = _inputs(fw, data, columns, units, None, panel=True)
    periods, raws, handle = _native.score_panel(fw._handle, i, _json(recipe))
    return Panel(periods, [Result(raw) for raw in raws], handle)
