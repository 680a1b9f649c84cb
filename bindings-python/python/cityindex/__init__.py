"""cityindex: composite indicators for cities and countries, computed by the cityindex Rust core.

Frameworks and recipes are plain dicts with the same JSON shape as in Rust and JavaScript; data are
pandas DataFrames (units as rows, COINr's iData layout accepted) or numpy arrays; results are
DataFrames indexed by unit with one column per node. Every number comes from the Rust core.
"""

from __future__ import annotations

from .analysis import Analysis, analyse
from .errors import Cancelled, DataError, Error, FrameworkError, MethodError, ScoreError
from .inputs import Dataset, Framework, builtin, builtins
from .results import Preparation, Result, prepare, score
from .uncertainty import Sensitivity, Sobol, Uncertainty, sensitivity, sobol, sobol_indices, uncertainty

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
