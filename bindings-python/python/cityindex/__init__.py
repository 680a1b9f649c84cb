"""cityindex: composite indicators for cities and countries, computed by the cityindex Rust core.

Frameworks and recipes are plain dicts with the same JSON shape as in Rust and JavaScript; data are
pandas DataFrames (units as rows, COINr's iData layout accepted) or numpy arrays; results are
DataFrames indexed by unit with one column per node. Every number comes from the Rust core.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, Protocol, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _native
from .errors import Cancelled, DataError, Error, FrameworkError, MethodError, ScoreError

__all__ = [
    "Analysis",
    "Cancelled",
    "DataError",
    "Dataset",
    "Error",
    "Framework",
    "FrameworkError",
    "MethodError",
    "Preparation",
    "Result",
    "ScoreError",
    "Sensitivity",
    "Sobol",
    "analyse",
    "builtin",
    "builtins",
    "prepare",
    "score",
    "sensitivity",
    "sobol",
    "sobol_indices",
    "uncertainty",
    "Uncertainty",
]

JsonLike = Mapping[str, Any] | str


class SupportsToPandas(Protocol):
    """A table that converts itself to pandas: a pyarrow Table or a polars DataFrame."""

    def to_pandas(self) -> pd.DataFrame: ...


Data: TypeAlias = "pd.DataFrame | np.ndarray | SupportsToPandas | Dataset"


# The exception and code of each kind of document when it cannot be written as JSON.
_DOCUMENT_ERRORS: dict[str, tuple[type[Error], str]] = {
    "framework": (FrameworkError, "framework.json"),
    "recipe": (ScoreError, "score.json"),
    "specification": (MethodError, "method.invalid_parameter"),
    "options": (MethodError, "method.invalid_parameter"),
}


def _json(value: JsonLike | None, kind: str = "recipe") -> str:
    """The JSON text of a document given as a dict (or already as text). A number JSON cannot
    hold (NaN, ±inf) is named by its place in the document, as the core would name any other
    bad value, instead of failing at a position in a text the user never wrote."""
    if value is None:
        return "{}"
    if isinstance(value, str):
        return value
    cls, code = _DOCUMENT_ERRORS[kind]
    try:
        place = _non_finite(value, "")
        if place is not None:
            raise _error(cls, code, f"{kind}: `{place[0]}` is {place[1]}: every number must be finite")
        return json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as e:
        if isinstance(e, Error):
            raise
        raise _error(cls, code, f"{kind}: cannot be written as JSON ({e})") from None


def _non_finite(value: Any, path: str) -> tuple[str, float] | None:
    """The path (``weights.a``, ``choices[0].probabilities[1]``) and value of the first number in
    `value` that is not finite."""
    if isinstance(value, float) and not np.isfinite(value):
        return path or "(the document)", value
    if isinstance(value, Mapping):
        items: Any = ((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
    elif isinstance(value, list | tuple):
        items = ((f"{path}[{k}]", v) for k, v in enumerate(value))
    else:
        return None
    for place, v in items:
        found = _non_finite(v, place)
        if found is not None:
            return found
    return None


def _count(name: str, value: Any) -> int:
    """A whole number the core takes as an unsigned 64-bit integer (base points, resamples, a
    seed, a number of inputs), or a MethodError naming the argument."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 0 <= value < 2**64:
        raise _method_error(f"`{name}` must be a whole number from 0 to 2**64 - 1, not {value!r}")
    return int(value)


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

    def __repr__(self) -> str:
        doc = self.to_dict()
        return f"Framework({doc.get('name') or doc.get('id') or 'unnamed'}, {len(self.indicators())} indicators)"


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
        self._handle = _native.Dataset(i.units, i.columns, i.values, i.names, i.groups, i.periods)
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
        self.warnings: list[str] = list(raw["warnings"])

    def _frame(self, matrix: npt.NDArray[np.float64]) -> pd.DataFrame:
        # The matrix is fresh from the core and owned by nobody else: no copy needed.
        return pd.DataFrame(matrix, index=self._index, columns=self._columns, copy=False)

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
        """Units ordered by rank on `node` (default: the top node), with score, rank and band."""
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


class Uncertainty:
    """The result of `uncertainty`: the nominal scores, each unit's rank statistics per node, every
    replicate's ranks and configuration.

    `replicates` has a row per replicate: the option drawn for each uncertain stage (its index in
    the specification's list), the factor applied to each perturbed weight (``weight:<node>``),
    the excluded indicator when indicators are left out, and why the replicate failed (None when
    it ran). `convergence` says whether N was enough: per node, how far the median ranks and the
    5–95 % intervals of the first N/8, N/4 and N/2 replicates lie from those of all N (the mean
    and the largest change of the medians over the units, the mean change of the interval
    bounds), one row per number of replicates."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.nominal = Result(raw["nominal"])
        self.nodes: list[str] = list(raw["nodes"])
        index = self.nominal.scores.index
        self.summaries = {
            node: pd.DataFrame(table, index=index, columns=raw["statistics"]) for node, table in raw["summary"].items()
        }
        self.ranks = {
            node: pd.DataFrame(table, columns=index).rename_axis("replicate") for node, table in raw["ranks"].items()
        }
        self.replicates = pd.DataFrame(raw["replicates"]).rename_axis("replicate")
        self.failed: int = raw["failed"]
        self.convergence = pd.concat(
            {node: pd.DataFrame(table).set_index("replicates") for node, table in raw["convergence"].items()},
            names=["node", "replicates"],
        )

    def summary(self, node: str | None = None) -> pd.DataFrame:
        """Each unit's nominal, median, 5th and 95th percentile and mean rank and mean absolute
        rank shift on `node` (default: the first node summarised, the index), by median rank."""
        table = self.summaries[node or self.nodes[0]]
        return table.sort_values(["median", "nominal"], kind="stable")

    def plot(self, node: str | None = None, ax: Any = None) -> Any:
        """The rank-interval chart (needs matplotlib); see `cityindex.plot.rank_intervals`."""
        from .plot import rank_intervals

        return rank_intervals(self, node, ax=ax)

    def _repr_html_(self) -> str:
        html: str = self.summary().head(20).to_html()
        return html

    def __repr__(self) -> str:
        return f"Uncertainty({len(self.replicates)} replicates, {self.failed} failed, nodes {self.nodes})"


_SOBOL_COLUMNS = ["first_order", "total", "first_order_conf", "total_conf"]


def _sobol_frame(indices: Mapping[str, list[float]], inputs: pd.Index) -> pd.DataFrame:
    """Indices of the core's `SobolIndices` shape as a table: one row per input."""
    return pd.DataFrame({c: indices[c] for c in _SOBOL_COLUMNS}, index=inputs, dtype=np.float64)


def _convergence_frame(convergence: Mapping[str, Any], inputs: pd.Index) -> pd.DataFrame:
    """The core's Sobol' convergence as one table, rows by base points and input."""
    frames = {
        m: _sobol_frame(i, inputs) for m, i in zip(convergence["base_points"], convergence["indices"], strict=True)
    }
    table: pd.DataFrame = pd.concat(frames, names=["base_points", "input"])
    return table


class Sobol:
    """Sobol' indices of each input (see `sobol`): `indices` has one row per input with the
    first-order and total-effect indices and their 95 % bootstrap half-widths; `convergence`
    the same on the first N/8, N/4, N/2 and all N base points (rows by base points and input):
    estimates that still move between the last rows need more base points."""

    def __init__(self, raw: Mapping[str, Any], inputs: pd.Index) -> None:
        self.indices = _sobol_frame(raw["indices"], inputs)
        self.convergence = _convergence_frame(raw["convergence"], inputs)

    def _repr_html_(self) -> str:
        html: str = self.indices.to_html()
        return html

    def __repr__(self) -> str:
        return f"Sobol({len(self.indices)} inputs)"


class Sensitivity:
    """The result of `sensitivity`: which uncertain inputs of the specification drive the
    results on `node`. `indices` holds the Sobol' indices of each input (its choices, each
    perturbed weight as ``weight:<node>``, the exclusion) on the mean absolute rank shift of the
    units, one row per input (see `Sobol`), and `convergence` the same from the first N/8, N/4,
    N/2 and all N base points; `first_order` and `total` hold each unit's indices on its score,
    units × inputs."""

    def __init__(self, raw: Mapping[str, Any], node: str) -> None:
        self.node = node
        inputs = pd.Index(raw["inputs"], name="input")
        self.indices = _sobol_frame(raw["rank_shift"], inputs)
        self.convergence = _convergence_frame(raw["rank_shift_convergence"], inputs)
        units = pd.Index(raw["units"], name="unit")
        per_unit = raw["per_unit"]
        self.first_order = pd.DataFrame(
            [u["first_order"] for u in per_unit], index=units, columns=inputs, dtype=np.float64
        )
        self.total = pd.DataFrame([u["total"] for u in per_unit], index=units, columns=inputs, dtype=np.float64)

    def plot(self, ax: Any = None) -> Any:
        """The bar chart of the indices on the rank shift (needs matplotlib); see
        `cityindex.plot.sensitivity`."""
        from .plot import sensitivity as chart

        return chart(self, ax=ax)

    def _repr_html_(self) -> str:
        html: str = self.indices.to_html()
        return html

    def __repr__(self) -> str:
        return f"Sensitivity({self.node}: {', '.join(self.indices.index)})"


class Analysis:
    """The usual checks of a scored index (see the Rust docs of ``cityindex::analysis::analyse``),
    as pandas objects:

    - `statistics`: per indicator of the data as given (COINr's ``get_stats`` columns and flags);
    - `correlations`: the correlation matrix of the normalised indicators;
    - `consistency`: Cronbach's alpha of each aggregate's children;
    - `pca_variance` and `pca_loadings`: the principal components of the normalised indicators
      (None when undefined);
    - `effective_weights`: each node's weight in the index;
    - `strengths` and `weaknesses`: each unit's best- and worst-ranked indicators.
    """

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.statistics = pd.DataFrame(raw["statistics"]).set_index("indicator")
        correlations = raw["correlations"]
        self.method: str = correlations["method"]
        nodes = pd.Index(correlations["nodes"], name="node")
        self.correlations = pd.DataFrame(correlations["values"], index=nodes, columns=nodes, dtype=np.float64)
        self.consistency = pd.Series(
            {g["node"]: g["alpha"] for g in raw["consistency"]}, name="alpha", dtype=np.float64
        ).rename_axis("node")
        self.pca_variance: pd.DataFrame | None = None
        self.pca_loadings: pd.DataFrame | None = None
        if raw["pca"] is not None:
            pca = raw["pca"]
            components = pd.Index([f"PC{k + 1}" for k in range(len(pca["sdev"]))], name="component")
            self.pca_variance = pd.DataFrame(
                {"sdev": pca["sdev"], "variance_explained": pca["variance_explained"]}, index=components
            )
            self.pca_loadings = pd.DataFrame(
                pca["loadings"], index=components, columns=pd.Index(pca["nodes"], name="node")
            )
        self.effective_weights = pd.Series(
            dict(raw["effective_weights"]), name="effective_weight", dtype=np.float64
        ).rename_axis("node")
        self.strengths = self._standings(raw["standings"], "strengths")
        self.weaknesses = self._standings(raw["standings"], "weaknesses")

    @staticmethod
    def _standings(standings: list[dict[str, Any]], kind: str) -> pd.DataFrame:
        rows = [{"unit": s["unit"], "position": k + 1, **entry} for s in standings for k, entry in enumerate(s[kind])]
        columns = ["unit", "position", "indicator", "parent", "rank", "value"]
        return pd.DataFrame(rows, columns=columns).set_index(["unit", "position"])

    def plot(self, ax: Any = None) -> Any:
        """The correlation heatmap (needs matplotlib); see `cityindex.plot.correlation_heatmap`."""
        from .plot import correlation_heatmap

        return correlation_heatmap(self, ax=ax)

    def _repr_html_(self) -> str:
        html: str = self.statistics.to_html()
        return html

    def __repr__(self) -> str:
        return f"Analysis({len(self.statistics)} indicators, {self.method} correlations)"


def _as_framework(framework: Framework | JsonLike) -> Framework:
    return framework if isinstance(framework, Framework) else Framework(framework)


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
    raw = _native.score(fw.to_json(), i.units, i.columns, i.values, _json(recipe), i.names, i.groups, i.periods)
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
    return Preparation(
        _native.prepare(fw.to_json(), i.units, i.columns, i.values, _json(recipe), i.names, i.groups, i.periods)
    )


def analyse(
    framework: Framework | JsonLike,
    data: Data,
    recipe: JsonLike | None = None,
    *,
    correlation: str = "pearson",
    strengths: int = 3,
    weaknesses: int = 3,
    columns: list[str] | None = None,
    units: list[str] | None = None,
    period: int | None = None,
) -> Analysis:
    """Scores `data` as `score` does, then analyses the result: indicator statistics, the
    `correlation` matrix (``pearson``, ``spearman`` or ``kendall``) of the normalised indicators,
    Cronbach's alpha, PCA, effective weights and each unit's `strengths` best and `weaknesses`
    worst indicators."""
    fw = _as_framework(framework)
    i = _inputs(fw, data, columns, units, period)
    options = _json({"correlation": correlation, "strengths": strengths, "weaknesses": weaknesses}, "options")
    raw = _native.analyse(
        fw.to_json(), i.units, i.columns, i.values, _json(recipe), options, i.names, i.groups, i.periods
    )
    return Analysis(json.loads(raw))


def uncertainty(
    framework: Framework | JsonLike,
    data: Data,
    recipe: JsonLike | None,
    spec: JsonLike,
    *,
    columns: list[str] | None = None,
    units: list[str] | None = None,
    period: int | None = None,
    progress: bool | Callable[[int, int], bool | None] = True,
) -> Uncertainty:
    """Monte Carlo uncertainty analysis of the ranks (see the Rust docs of
    ``cityindex::uncertainty``): `spec` says how many replicates, the seed, the weight noise, the
    alternative methods and whether to leave one indicator out. Data are given as for `score`.

    `progress` shows a tqdm bar when tqdm is installed (True), or calls ``progress(done, total)``
    (return False to cancel). The GIL is released while the replicates run; Ctrl-C cancels the
    run and raises KeyboardInterrupt.
    """
    fw = _as_framework(framework)
    i = _inputs(fw, data, columns, units, period)
    spec_json = _json(spec, "specification")
    replicates = spec.get("replicates") if isinstance(spec, Mapping) else None
    # The bar's total, when the specification states it plainly; the core checks it.
    total = replicates if isinstance(replicates, int) and not isinstance(replicates, bool) else None
    callback, close = _progress(progress, total)
    try:
        raw = _native.uncertainty(
            fw.to_json(), i.units, i.columns, i.values, _json(recipe), spec_json, i.names, i.groups, i.periods, callback
        )
    finally:
        close()
    return Uncertainty(raw)


def sensitivity(
    framework: Framework | JsonLike,
    data: Data,
    recipe: JsonLike | None,
    spec: JsonLike,
    *,
    node: str | None = None,
    base_points: int = 256,
    resamples: int = 1000,
    columns: list[str] | None = None,
    units: list[str] | None = None,
    period: int | None = None,
    progress: bool | Callable[[int, int], bool | None] = True,
) -> Sensitivity:
    """Variance-based sensitivity analysis (COINr's ``get_sensitivity(SA_type = "SA")``): Sobol'
    first-order and total-effect indices of each uncertain input of `spec` on `node` (default:
    the first top node), from Saltelli's design with `base_points` base points — so
    `base_points`·(d + 2) runs of the index for d inputs — and `resamples` bootstrap resamples
    for the intervals. Data are given as for `score`.

    `progress` works as for `uncertainty`, over the core's steps: each run, then the indices of
    each output (the rank shift, then every unit). The GIL is released while the core runs;
    Ctrl-C cancels and raises KeyboardInterrupt."""
    fw = _as_framework(framework)
    node = node or str(fw.to_dict()["nodes"][0]["id"])
    i = _inputs(fw, data, columns, units, period)
    callback, close = _progress(progress, None, "step")
    try:
        raw = _native.sensitivity(
            fw.to_json(),
            i.units,
            i.columns,
            i.values,
            _json(recipe),
            _json(spec, "specification"),
            node,
            _count("base_points", base_points),
            _count("resamples", resamples),
            i.names,
            i.groups,
            i.periods,
            callback,
        )
    finally:
        close()
    return Sensitivity(json.loads(raw), node)


def sobol(
    model: Callable[[npt.NDArray[np.float64]], npt.ArrayLike],
    ranges: list[tuple[float, float]],
    n: int = 1024,
    *,
    names: list[str] | None = None,
    resamples: int = 1000,
    seed: int = 0,
    groups: list[str] | None = None,
) -> Sobol:
    """Sobol' indices of any model: draws Saltelli's design for the inputs' `ranges` (each
    (lo, hi)) with `n` base points, calls `model` once with all n·(d + 2) points (an array with
    one row per point and one column per input) for one output per row, and estimates the
    first-order (Saltelli 2010) and total-effect (Jansen) indices with bootstrap intervals, as
    the Rust `sobol_analysis` does with the same seed.

    `groups` (SALib's): one group name per input; inputs of a group are varied together and
    the indices are the groups', n·(g + 2) points for g groups, rows named by group."""
    ranges_ = _ranges(ranges)
    labels = list(groups) if groups is not None else [f"x{k + 1}" for k in range(len(ranges_))]
    if len(labels) != len(ranges_):
        raise _method_error(f"{len(labels)} groups for {len(ranges_)} inputs: give one group name per input")
    order = list(dict.fromkeys(labels))  # groups in order of first appearance, as the core numbers them
    membership = [order.index(label) for label in labels]
    points = _native.sobol_points(ranges_, membership, _count("n", n), _count("seed", seed))
    y = np.asarray(model(points), dtype=np.float64)
    if y.shape != (points.shape[0],):
        raise _method_error(
            f"the model returned shape {y.shape} for {points.shape[0]} points: one value per row is needed"
        )
    bootstrap = _native.sobol_bootstrap_seed(_count("seed", seed))  # as the Rust `sobol_analysis` derives it
    if groups is not None and names is None:
        names = order
    return sobol_indices(y, len(order), names=names, resamples=resamples, seed=bootstrap)


def sobol_indices(
    y: npt.ArrayLike,
    d: int,
    *,
    names: list[str] | None = None,
    resamples: int = 1000,
    seed: int = 0,
) -> Sobol:
    """Sobol' indices of `d` inputs from model outputs `y` computed elsewhere at the points of
    Saltelli's design, laid out as SALib's ``sobol.sample(calc_second_order=False)`` lays them
    out (per base point: A, AB(1) … AB(d), B); `resamples` bootstrap resamples drawn from
    `seed`."""
    d = _count("d", d)
    raw = np.asarray(y)
    if raw.dtype.kind not in "fiub":
        raise _method_error(f"the outputs `y` must be real numbers, not {raw.dtype}")
    values = np.ascontiguousarray(raw, dtype=np.float64).reshape(-1)
    inputs = pd.Index(names if names is not None else [f"x{k + 1}" for k in range(d)], name="input")
    if len(inputs) != d:
        raise _method_error(f"{len(inputs)} names for {d} inputs")
    native = _native.sobol_indices(values, d, _count("resamples", resamples), _count("seed", seed))
    return Sobol(json.loads(native), inputs)


def _ranges(ranges: Any) -> list[tuple[float, float]]:
    """The inputs' (lo, hi) ranges as pairs of floats, or a MethodError saying what they must be."""
    try:
        return [(float(lo), float(hi)) for lo, hi in ranges]
    except (TypeError, ValueError):
        raise _method_error("`ranges` must be a list of (lo, hi) pairs of numbers") from None


def _error(cls: type[Error], code: str, message: str) -> Error:
    """An exception of `cls` with its stable `code`."""
    error = cls(message)
    error.code = code
    return error


def _method_error(message: str) -> Error:
    return _error(MethodError, "method.invalid_parameter", message)


def _progress(
    progress: bool | Callable[[int, int], bool | None], total: int | None, unit: str = "replicate"
) -> tuple[Callable[[int, int], bool | None] | None, Callable[[], None]]:
    """The callback for the core (the caller's own, or a tqdm bar of `total` `unit`s, the total
    taken from the core when not known beforehand) and what closes it."""
    if callable(progress):
        return progress, lambda: None
    if not progress:
        return None, lambda: None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None, lambda: None
    bar = tqdm(total=total, unit=unit)

    def update(done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    return update, bar.close


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
) -> _Inputs:
    """Unit ids, column ids, the float64 values (Fortran order), names, groups and periods."""
    if isinstance(data, Dataset):
        _check_dataset(fw, data, columns, units, period)
        return data._inputs._replace(values=data.values(), unit_index=data.index)
    names = None
    unit_index = None
    groups: list[tuple[str, list[str | None]]] | None = None
    periods = None
    if not isinstance(data, pd.DataFrame | np.ndarray) and hasattr(data, "to_pandas"):
        data = data.to_pandas()  # pyarrow and polars tables: nulls become NaN
    if isinstance(data, pd.DataFrame):
        frame = _select_period(data, period)
        ids = frame["uCode"] if "uCode" in frame.columns else frame.index
        if ids.isna().any():
            k = int(np.flatnonzero(np.asarray(ids.isna()))[0])
            raise _data_error("data.empty_unit_id", f"unit number {k + 1} has no id (a missing value)")
        unit_ids = [str(u) for u in ids] if ids.dtype == object else ids.astype(str).tolist()
        if isinstance(ids, pd.Index) and ids.dtype != object and pd.api.types.is_string_dtype(ids) and not ids.hasnans:
            unit_index = ids  # building an index of 10,000 strings again costs more than scoring them
        if "uName" in frame.columns:
            names = [None if pd.isna(n) else str(n) for n in frame["uName"]]
        if "Time" in frame.columns:
            periods = _periods(frame["Time"])
        declared = [] if fw is None else fw.group_columns()
        group_columns = [c for c in frame.columns if str(c).startswith("Group_") or c in declared]
        if group_columns:
            groups = [(str(g), [None if pd.isna(v) else str(v) for v in frame[g]]) for g in group_columns]
        skip = {"uCode", "uName", "Time", *group_columns}
        column_ids = [str(c) for c in frame.columns if c not in skip] if columns is None else list(columns)
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


def _select_period(frame: pd.DataFrame, period: int | None) -> pd.DataFrame:
    if "Time" not in frame.columns:
        if period is not None:
            raise _data_error("data.no_periods", f"period {period} was asked for but the data have no `Time` column")
        return frame
    periods = sorted(set(_periods(frame["Time"])))
    if period is None:
        if len(periods) > 1:
            raise _data_error(
                "data.several_periods",
                f"the data hold {len(periods)} periods ({periods[0]}–{periods[-1]}); choose one with `period=`",
            )
        return frame
    if period not in periods:
        raise _data_error("data.unknown_period", f"no rows for period {period}; the data hold {periods}")
    return frame[frame["Time"] == period]


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
    framework_json, data_json, recipe_json = _native.builtin(name)
    framework = Framework(framework_json)
    doc = json.loads(data_json)
    frame = pd.DataFrame({k: [np.nan if v is None else v for v in vals] for k, vals in doc["columns"].items()})
    frame.insert(0, "uCode", [u["id"] for u in doc["units"]])
    frame.insert(1, "uName", [u.get("name") for u in doc["units"]])
    if doc.get("periods") is not None:
        frame.insert(2, "Time", doc["periods"])
    recipe: dict[str, Any] = json.loads(recipe_json)
    return framework, frame, recipe
