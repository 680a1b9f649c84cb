from collections.abc import Callable
from typing import Any, final

import numpy as np
import numpy.typing as npt

__all__ = [
    "Dataset",
    "FrameworkHandle",
    "ScoresHandle",
    "analyse",
    "builtin",
    "builtins",
    "column_roles",
    "framework_from_table",
    "framework_json",
    "layout_names",
    "prepare",
    "score",
    "score_dataset",
    "score_documents",
    "sensitivity",
    "sobol_bootstrap_seed",
    "sobol_indices",
    "sobol_points",
    "uncertainty",
]

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
    def __new__(
        cls,
        units: list[str],
        columns: list[str],
        values: npt.NDArray[np.float64],
        names: list[str | None] | None = None,
        groups: list[tuple[str, list[str | None]]] | None = None,
        periods: list[int] | None = None,
    ) -> Dataset: ...
    def values(self) -> npt.NDArray[np.float64]: ...

@final
class FrameworkHandle:
    def __new__(cls, json: str) -> FrameworkHandle: ...

def score_dataset(framework: FrameworkHandle, data: Dataset, recipe: str) -> dict[str, Any]: ...
def framework_json(json: str) -> str: ...
def framework_from_table(csv: str) -> str: ...
def score(
    framework: str,
    units: list[str],
    columns: list[str],
    values: npt.NDArray[np.float64],
    recipe: str,
    names: list[str | None] | None = None,
    groups: list[tuple[str, list[str | None]]] | None = None,
    periods: list[int] | None = None,
) -> dict[str, Any]: ...
def analyse(
    framework: str,
    units: list[str],
    columns: list[str],
    values: npt.NDArray[np.float64],
    recipe: str,
    options: str,
    names: list[str | None] | None = None,
    groups: list[tuple[str, list[str | None]]] | None = None,
    periods: list[int] | None = None,
) -> str: ...
def prepare(
    framework: str,
    units: list[str],
    columns: list[str],
    values: npt.NDArray[np.float64],
    recipe: str,
    names: list[str | None] | None = None,
    groups: list[tuple[str, list[str | None]]] | None = None,
    periods: list[int] | None = None,
) -> list[tuple[list[str], list[str], npt.NDArray[np.float64], str, int]]: ...
def score_documents(framework: str, data: str, recipe: str) -> str: ...
def builtins() -> list[tuple[str, str]]: ...
def builtin(id: str) -> tuple[str, str, str]: ...
def uncertainty(
    framework: str,
    units: list[str],
    columns: list[str],
    values: npt.NDArray[np.float64],
    recipe: str,
    spec: str,
    names: list[str | None] | None = None,
    groups: list[tuple[str, list[str | None]]] | None = None,
    periods: list[int] | None = None,
    progress: Callable[[int, int], bool | None] | None = None,
) -> dict[str, Any]: ...
def sensitivity(
    framework: str,
    units: list[str],
    columns: list[str],
    values: npt.NDArray[np.float64],
    recipe: str,
    spec: str,
    node: str,
    base_points: int,
    resamples: int,
    names: list[str | None] | None = None,
    groups: list[tuple[str, list[str | None]]] | None = None,
    periods: list[int] | None = None,
    progress: Callable[[int, int], bool | None] | None = None,
) -> str: ...
def sobol_points(
    ranges: list[tuple[float, float]], groups: list[int], n: int, seed: int
) -> npt.NDArray[np.float64]: ...
def sobol_bootstrap_seed(seed: int) -> int: ...
def sobol_indices(y: npt.NDArray[np.float64], d: int, resamples: int, seed: int) -> str: ...
def column_roles(headers: list[str], groups: list[str]) -> list[str]: ...
def layout_names() -> tuple[str, str, str]: ...
