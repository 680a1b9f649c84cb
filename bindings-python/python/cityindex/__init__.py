"""cityindex: composite indicators for cities and countries, computed by the cityindex Rust core.

Frameworks and recipes are plain dicts with the same JSON shape as in Rust and JavaScript; data are
pandas DataFrames (units as rows, COINr's iData layout accepted) or numpy arrays; results are
DataFrames indexed by unit with one column per node. Every number comes from the Rust core.
"""

from __future__ import annotations

from importlib.metadata import version as _version

from . import compare, mcda, model, types, weights
from .analysis import Analysis, analyse, remove_elements, targets
from .errors import Cancelled, DataError, Error, FrameworkError, MethodError, ScoreError
from .inputs import Dataset, Framework, builtin, builtins
from .model import Model, fit
from .results import Panel, Preparation, Result, prepare, score, score_panel
from .uncertainty import Sensitivity, Sobol, Uncertainty, sensitivity, sobol, sobol_indices, uncertainty

__version__: str = _version("cityindex")

__all__ = [
    "__version__",
    "Analysis",
    "Panel",
    "Cancelled",
    "DataError",
    "Dataset",
    "Error",
    "Framework",
    "FrameworkError",
    "MethodError",
    "Model",
    "Preparation",
    "Result",
    "ScoreError",
    "Sensitivity",
    "Sobol",
    "analyse",
    "builtin",
    "builtins",
    "compare",
    "fit",
    "mcda",
    "model",
    "prepare",
    "remove_elements",
    "score",
    "score_panel",
    "sensitivity",
    "sobol",
    "sobol_indices",
    "targets",
    "types",
    "uncertainty",
    "weights",
    "Uncertainty",
]
