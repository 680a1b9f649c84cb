"""Fitted models: `fit` freezes what a recipe takes from a population, `Model.transform` scores
any units with it (the population itself with `score`'s bits), `Model.place` ranks new units
among the population. `cityindex.spark` builds the same model from partition summaries."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from . import _native
from ._documents import Data, JsonLike, _json
from .inputs import Framework, _as_framework, _inputs
from .results import Result


class Model:
    """A recipe fitted on a population: every parameter the data determine (imputed centres,
    treatment caps, normalisation statistics, data-derived weights), with the framework and
    recipe it came from. Save it with `to_json`/`save`, read it with `Model.from_json`/`load`."""

    def __init__(self, handle: _native.Model) -> None:
        self._handle = handle
        self.framework = Framework(handle.framework_json())
        """The framework the model was fitted for."""

    @classmethod
    def from_json(cls, text: str) -> Model:
        """Reads a model's JSON form."""
        return cls(_native.Model(text))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Model:
        """Reads a model from a file written by `save` (or `cityindex fit --out`)."""
        with open(path, encoding="utf-8") as file:
            return cls.from_json(file.read())

    def to_json(self) -> str:
        """The model's JSON form: reading it back gives the same bits."""
        return self._handle.to_json()

    def save(self, path: str | os.PathLike[str]) -> None:
        """Writes the model's JSON form to `path`."""
        with open(path, "w", encoding="utf-8") as file:
            file.write(self.to_json())

    def to_dict(self) -> dict[str, Any]:
        """The model as a dict (its JSON form parsed)."""
        import json

        result: dict[str, Any] = json.loads(self.to_json())
        return result

    def __repr__(self) -> str:
        model = self.to_dict()
        return f"<cityindex.Model fitted on {model['population']} units>"

    def transform(
        self,
        data: Data,
        *,
        columns: list[str] | None = None,
        units: list[str] | None = None,
        period: int | None = None,
    ) -> Result:
        """Scores `data` (given as for `score`) with the fitted parameters: prepared, normalised
        against the population, aggregated with its weights, banded, and ranked among the units
        given. The population itself gets exactly `score`'s result."""
        i = _inputs(self.framework, data, columns, units, period)
        raw = self._handle.transform(i)
        return Result(raw, i.units if i.unit_index is None else i.unit_index)

    def place(self, result: Result, node: str | None = None) -> pd.Series:
        """The rank each unit of `result` would take among the population on `node` (the root by
        default) joined by it alone, by the recipe's tie rule: where a full re-score with the unit
        would place it when its scores are those a re-score gives (see the Rust docs of
        `cityindex::model` for when that holds)."""
        node = node or str(result.scores.columns[-1])
        scores = np.asarray(result.scores[node], dtype=np.float64)
        placed = self._handle.place(node, scores.tolist())
        if placed is None:
            raise KeyError(f"the model holds no population scores for `{node}`")
        return pd.Series(placed, index=result.scores.index, name=f"place {node}")


def fit(
    framework: Framework | JsonLike,
    data: Data,
    recipe: JsonLike | None = None,
    *,
    columns: list[str] | None = None,
    units: list[str] | None = None,
    period: int | None = None,
) -> Model:
    """Fits `recipe` on the units of `data` (given as for `score`; one period, aggregates such as
    the EU left out) and returns the frozen `Model`."""
    fw = _as_framework(framework)
    i = _inputs(fw, data, columns, units, period)
    return Model(_native.fit(fw._handle, i, _json(recipe)))


def summarise(
    framework: Framework | JsonLike,
    data: Data,
    recipe: JsonLike | None = None,
    means: str | None = None,
) -> str:
    """One partition's statistics for fitting `recipe` (given as for `score`), as JSON: what
    `cityindex.spark` computes on each partition. `means` (from `merge_summaries`) asks for the
    second pass of a z-score."""
    fw = _as_framework(framework)
    return _native.summarise(fw._handle, _inputs(fw, data, None, None, None), _json(recipe), means)


def merge_summaries(parts: list[str]) -> tuple[str, str | None]:
    """Merges partition summaries into the population's, exactly (the same bits in any order):
    the merged summary, and the means for a second pass when a z-score needs one (else None)."""
    return _native.merge_summaries(parts)


def from_summary(framework: Framework | JsonLike, recipe: JsonLike | None, summary: str) -> Model:
    """The model of a merged summary (recipes without preparation steps or data-derived
    weights): the one `fit` makes on the same units."""
    fw = _as_framework(framework)
    return Model(_native.model_from_summary(fw._handle, _json(recipe), summary))
