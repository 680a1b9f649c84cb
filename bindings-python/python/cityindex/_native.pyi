from collections.abc import Callable
from typing import Any, Protocol, final, type_check_only

import numpy as np
import numpy.typing as npt

__all__ = [
    "Dataset",
    "FrameworkHandle",
    "PanelHandle",
    "ScoresHandle",
    "ahp",
    "analyse",
    "benefit_of_the_doubt",
    "builtin",
    "builtins",
    "column_roles",
    "compare_rankings",
    "framework_from_table",
    "framework_json",
    "layout_names",
    "matrix_weights",
    "mcda_evaluate",
    "mcda_rank",
    "optimise_level_weights",
    "optimise_weights",
    "prepare",
    "remove_elements",
    "score",
    "score_dataset",
    "score_documents",
    "score_panel",
    "sensitivity",
    "sobol_bootstrap_seed",
    "sobol_indices",
    "sobol_points",
    "targets",
    "uncertainty",
]

@type_check_only
class Inputs(Protocol):
    """What every function that reads data takes (`cityindex.inputs._Inputs`), read by attribute."""

    @property
    def units(self) -> list[str]: ...
    @property
    def columns(self) -> list[str]: ...
    @property
    def values(self) -> npt.NDArray[np.float64]: ...
    @property
    def names(self) -> list[str | None] | None: ...
    @property
    def groups(self) -> list[tuple[str, list[str | None]]] | None: ...
    @property
    def periods(self) -> list[int] | None: ...

@final
class ScoresHandle:
    def score(self) -> npt.NDArray[np.float64]: ...
    def score_of(self, node: str) -> npt.NDArray[np.float64]: ...
    def rank(self) -> npt.NDArray[np.float64]: ...
    def rank_of(self, node: str) -> npt.NDArray[np.float64]: ...
    def order(self, node: str) -> npt.NDArray[np.uintp]: ...
    def coverage(self) -> npt.NDArray[np.float64]: ...
    def preparation(self) -> str: ...

@final
class Dataset:
    def __new__(cls, inputs: Inputs) -> Dataset: ...
    def values(self) -> npt.NDArray[np.float64]: ...

@final
class FrameworkHandle:
    def __new__(cls, json: str) -> FrameworkHandle: ...

def score_dataset(framework: FrameworkHandle, data: Dataset, recipe: str) -> dict[str, Any]: ...
def framework_json(json: str) -> str: ...
def framework_from_table(csv: str) -> str: ...
def score(framework: FrameworkHandle, inputs: Inputs, recipe: str) -> dict[str, Any]: ...
def analyse(framework: FrameworkHandle, inputs: Inputs, recipe: str, options: str) -> str: ...
def prepare(
    framework: FrameworkHandle, inputs: Inputs, recipe: str
) -> list[tuple[list[str], list[str], npt.NDArray[np.float64], str, int]]: ...
def score_documents(framework: str, data: str, recipe: str) -> str: ...
def builtins() -> list[tuple[str, str]]: ...
def builtin(id: str) -> tuple[str, str, str]: ...
def uncertainty(
    framework: FrameworkHandle,
    inputs: Inputs,
    recipe: str,
    spec: str,
    progress: Callable[[int, int], bool | None] | None = None,
) -> dict[str, Any]: ...
def sensitivity(
    framework: FrameworkHandle,
    inputs: Inputs,
    recipe: str,
    spec: str,
    node: str,
    base_points: int,
    resamples: int,
    progress: Callable[[int, int], bool | None] | None = None,
) -> str: ...
def sobol_points(
    ranges: list[tuple[float, float]], groups: list[int], n: int, seed: int
) -> npt.NDArray[np.float64]: ...
def sobol_bootstrap_seed(seed: int) -> int: ...
def sobol_indices(y: npt.NDArray[np.float64], d: int, resamples: int, seed: int) -> str: ...
def column_roles(headers: list[str], groups: list[str]) -> list[str]: ...
def layout_names() -> tuple[str, str, str]: ...

@final
class PanelHandle:
    def trends(self, node: str, metric: str, infinite_from_zero: bool) -> tuple[list[str], list[float]]: ...
    def trend(self, node: str, start: int, end: int) -> tuple[list[str], list[list[float]]]: ...

def mcda_evaluate(
    method: str,
    matrix: npt.NDArray[np.float64],
    weights: list[float],
    types: list[float],
    skip_missing: bool,
) -> npt.NDArray[np.float64]: ...
def mcda_rank(method: str, preferences: list[float], ties: str) -> npt.NDArray[np.float64]: ...
def matrix_weights(method: str, matrix: npt.NDArray[np.float64], types: list[float]) -> list[float]: ...
def ahp(pairwise: list[list[float]], accept_inconsistent: bool) -> tuple[list[float], float, float, float]: ...
def compare_rankings(measure: str, x: list[float], y: list[float]) -> float: ...
def benefit_of_the_doubt(
    matrix: npt.NDArray[np.float64], bounds: str
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def optimise_level_weights(
    framework: FrameworkHandle,
    inputs: Inputs,
    recipe: str,
    level: int,
    aim: str,
    correlation: str,
    optimiser: str,
) -> str: ...
def optimise_weights(
    framework: FrameworkHandle,
    inputs: Inputs,
    recipe: str,
    node: str,
    target: str,
    shares: list[float] | None,
    max_iterations: int,
) -> str: ...
def targets(framework: FrameworkHandle, inputs: Inputs) -> str: ...
def remove_elements(
    framework: FrameworkHandle, inputs: Inputs, recipe: str, level: int, target: str
) -> list[tuple[str, float]]: ...
def score_panel(
    framework: FrameworkHandle, inputs: Inputs, recipe: str
) -> tuple[list[int], list[dict[str, Any]], PanelHandle]: ...
