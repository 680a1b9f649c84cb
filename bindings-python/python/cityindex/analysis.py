"""Statistical analysis of a scored framework: `analyse` and its result."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import _native
from ._documents import Data, JsonLike, _count, _json
from .inputs import Framework, _as_framework, _inputs


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
    raw = _native.analyse(fw._handle, i, _json(recipe), options)
    return Analysis(json.loads(raw))


def remove_elements(
    framework: Framework | JsonLike,
    data: Data,
    recipe: JsonLike | None = None,
    *,
    level: int,
    target: str,
    columns: list[str] | None = None,
    units: list[str] | None = None,
    period: int | None = None,
) -> pd.Series:
    """Remove one element (COINr's ``remove_elements``): for each node of `level`, the mean over
    units of |rank of `target` without it − nominal rank|, the node's weight set to 0 and the
    framework re-scored. A Series by removed node; data as for `score`."""
    fw = _as_framework(framework)
    i = _inputs(fw, data, columns, units, period)
    effects = _native.remove_elements(fw._handle, i, _json(recipe), _count("level", level), target)
    return pd.Series(dict(effects), name="mean_absolute_rank_change", dtype=np.float64).rename_axis("removed")


def targets(
    framework: Framework | JsonLike,
    data: Data,
    *,
    columns: list[str] | None = None,
    units: list[str] | None = None,
) -> pd.DataFrame:
    """Progress towards each indicator's target by its target year (the framework's ``target``
    and ``target_year``: DESI's Digital Decade 2030 targets), from the raw values of a panel,
    assessed as Eurostat assesses SDG targets: the growth achieved from the first to the latest
    period over the growth needed by the target year (compound annual rates; straight-line from
    a start at 0); ``status`` "on track" (≥ 95 %), "moderate progress" (60–95 %), "off track"
    (0–60 %), "moving away" (< 0) or "met". One row per indicator and unit;
    ``status_code`` holds the status as JavaScript gives it (``on_track``, …)."""
    fw = _as_framework(framework)
    i = _inputs(fw, data, columns, units, None, panel=True)
    table = pd.DataFrame(json.loads(_native.targets(fw._handle, i)))
    return table.set_index(["indicator", "unit"]) if len(table) else table
