"""Uncertainty and sensitivity analysis: Monte Carlo ranks, Sobol indices of the index, the generic Sobol tool."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _native
from ._documents import Data, JsonLike, _count, _json, _method_error, _progress
from .inputs import Framework, _as_framework, _inputs
from .results import Result


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
        raw = _native.uncertainty(fw._handle, i, _json(recipe), spec_json, callback)
    finally:
        close()
    return Uncertainty(raw)


def run_replicates(
    framework: Framework | JsonLike,
    data: Data,
    recipe: JsonLike | None,
    spec: JsonLike,
    start: int,
    end: int,
    *,
    period: int | None = None,
) -> str:
    """The replicates `start`…`end − 1` of the analysis `uncertainty` runs, as JSON: each draws
    from its own ChaCha stream (seed, replicate), so parts run anywhere (`cityindex.spark` runs
    them in tasks) and `combine` gives `uncertainty`'s result bit for bit."""
    fw = _as_framework(framework)
    i = _inputs(fw, data, None, None, period)
    return _native.uncertainty_replicates(fw._handle, i, _json(recipe), _json(spec, "specification"), start, end)


def combine(
    framework: Framework | JsonLike,
    data: Data,
    recipe: JsonLike | None,
    spec: JsonLike,
    runs: list[str],
    *,
    period: int | None = None,
) -> Uncertainty:
    """The analysis from runs of replicates (`run_replicates`) covering each replicate once, in
    any order: `uncertainty`'s result."""
    fw = _as_framework(framework)
    i = _inputs(fw, data, None, None, period)
    return Uncertainty(_native.uncertainty_combine(fw._handle, i, _json(recipe), _json(spec, "specification"), runs))


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
            fw._handle,
            i,
            _json(recipe),
            _json(spec, "specification"),
            node,
            _count("base_points", base_points),
            _count("resamples", resamples),
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
