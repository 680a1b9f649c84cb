"""TypedDicts of the documents the functions take, so that mypy and editors catch a misspelt key:
``recipe: cityindex.types.Recipe = {"normalise": {"default": {"method": "min_max"}}}``. The core
checks every value (a misspelt method is an error naming the valid ones); these only type the
keys. The complete forms are the JSON Schemas of the Rust types (see the crate docs)."""

from __future__ import annotations

from typing import Any, Literal, TypedDict

__all__ = [
    "AggregateStage",
    "Banding",
    "Choice",
    "NormaliseStage",
    "Recipe",
    "UncertaintySpec",
    "WeightNoise",
    "WeightingRule",
]

Method = dict[str, Any]  # {"method": "...", parameters…}


class NormaliseStage(TypedDict, total=False):
    default: Method
    indicators: dict[str, Method]
    panel_bounds: Literal["each_period", "all_periods"]


class AggregateStage(TypedDict, total=False):
    default: Method
    levels: dict[str, Method]
    nodes: dict[str, Method]
    availability_threshold: float


class WeightingRule(TypedDict, total=False):
    weighting: Method
    nodes: list[str]
    levels: list[int]


class Band(TypedDict, total=False):
    label: str
    min: float


class Banding(TypedDict, total=False):
    bands: list[Band]
    nodes: list[str]


class RankStage(TypedDict, total=False):
    ties: Literal["min", "max", "average", "first", "dense"]


class Recipe(TypedDict, total=False):
    prepare: list[dict[str, Any]]
    normalise: NormaliseStage
    weighting: list[WeightingRule]
    weights: dict[str, float]
    aggregate: AggregateStage
    rank: RankStage
    banding: Banding


class WeightNoise(TypedDict, total=False):
    fraction: float
    levels: list[int]
    nodes: list[str]


class Choice(TypedDict, total=False):
    stage: Literal["normalise", "aggregate", "winmax", "impute"]
    options: list[Any]
    probabilities: list[float]


class InputGroup(TypedDict):
    name: str
    inputs: list[str]


class UncertaintySpec(TypedDict, total=False):
    replicates: int
    seed: int
    weights: WeightNoise
    choices: list[Choice]
    exclude_indicator: bool
    nodes: list[str]
    groups: list[InputGroup]
