"""Weights of a decision matrix's criteria, and AHP weights from judgements, computed by the Rust
core (formulas and references in its ``weight`` module). Function names follow pymcdm's
``weights`` module::

    w = cityindex.weights.entropy_weights(matrix)
    w = cityindex.weights.critic_weights(matrix, types)   # direction-aware
    result = cityindex.weights.ahp(pairwise)              # weights and consistency ratio
    bod = cityindex.weights.benefit_of_the_doubt(normalised, max_share=0.5)

and the weights of a framework optimised against its index (COINr's ``get_opt_weights``)::

    best = cityindex.weights.optimise_level_weights(framework, data, recipe, level=3)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _native
from ._documents import Data, JsonLike, _count, _json
from .inputs import Framework, _as_framework, _inputs
from .mcda import _matrix

__all__ = [
    "Ahp",
    "BenefitOfTheDoubt",
    "LevelWeights",
    "OptimisedWeights",
    "ahp",
    "benefit_of_the_doubt",
    "optimise_level_weights",
    "optimise_weights",
    "critic_weights",
    "entropy_weights",
    "equal_weights",
    "merec_weights",
    "pca_weights",
    "standard_deviation_weights",
]


def _weights(method: str, matrix: npt.ArrayLike, types: npt.ArrayLike | None) -> npt.NDArray[np.float64]:
    m = _matrix(matrix)
    t = [1.0] * m.shape[1] if types is None else [float(x) for x in np.asarray(types, dtype=np.float64)]
    return np.asarray(_native.matrix_weights(json.dumps({"method": method}), m, t))


def equal_weights(matrix: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """1/m for each of the m criteria."""
    return _weights("equal", matrix, None)


def entropy_weights(matrix: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Shannon entropy weights, 1 − E normalised (pymcdm's ``entropy_weights``)."""
    return _weights("entropy", matrix, None)


def critic_weights(matrix: npt.ArrayLike, types: npt.ArrayLike | None = None) -> npt.NDArray[np.float64]:
    """CRITIC (Diakoulaki et al. 1995): with ``types``, cost criteria are reversed before scaling
    (the method's definition); without, the matrix is scaled as given, as pymcdm does."""
    if types is None:
        return _weights("critic_direction_blind", matrix, None)
    return _weights("critic", matrix, types)


def standard_deviation_weights(matrix: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Weights proportional to each criterion's (population) standard deviation."""
    return _weights("standard_deviation", matrix, None)


def merec_weights(matrix: npt.ArrayLike, types: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """MEREC (Keshavarz-Ghorabaee et al. 2021): the removal effect of each criterion."""
    return _weights("merec", matrix, types)


def pca_weights(matrix: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Squared loadings on the first principal component of the standardised criteria."""
    return _weights("pca", matrix, None)


class Ahp(NamedTuple):
    """AHP's result: the weights (principal eigenvector, summing to 1), λmax, the consistency
    index (λmax − n)/(n − 1) and ratio CI/RI."""

    weights: npt.NDArray[np.float64]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float


def ahp(pairwise: npt.ArrayLike, accept_inconsistent: bool = False) -> Ahp:
    """AHP weights (Saaty 1980) of a pairwise-comparison matrix (row i, column j: how much more
    important criterion i is than j). A consistency ratio above 0.1 raises ``MethodError``
    unless ``accept_inconsistent``."""
    a = np.asarray(pairwise, dtype=np.float64)
    weights, lambda_max, ci, cr = _native.ahp([[float(x) for x in row] for row in a], accept_inconsistent)
    return Ahp(np.asarray(weights), lambda_max, ci, cr)


class BenefitOfTheDoubt(NamedTuple):
    """Benefit of the doubt: each alternative's composite in [0, 1] (1 on the frontier) and the
    weights most favourable to it (alternatives × criteria)."""

    scores: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64]


def benefit_of_the_doubt(
    matrix: npt.ArrayLike,
    *,
    min_share: float | None = None,
    max_share: float | None = None,
    weight_min: float | None = None,
) -> BenefitOfTheDoubt:
    """Benefit of the doubt (Cherchye et al. 2007; OECD/JRC Handbook §6.1): one linear programme
    per alternative, choosing the weights that maximise its composite while no alternative's
    exceeds 1. `matrix` holds non-negative values (normalised scores, every criterion a benefit;
    a missing value counts as 0). `min_share` and `max_share` bound each criterion's share of a
    composite, `weight_min` each weight."""
    m = _matrix(matrix)
    bounds = {"min": min_share, "max": max_share, "weight_min": weight_min}
    scores, weights = _native.benefit_of_the_doubt(
        m, _json({k: v for k, v in bounds.items() if v is not None}, "options")
    )
    return BenefitOfTheDoubt(scores, weights)


@dataclass(frozen=True)
class LevelWeights:
    """Weights of one level optimised together: `weights` (a Series by node, summing to 1 over
    the level), each node's `correlations` with the index under them, the `targets` shares
    (balance) or None (infomax), the `objective` reached (COINr's, see the Rust docs of
    ``level_objective``) and the `iterations` (or evaluations, as COINr) used."""

    weights: pd.Series
    correlations: pd.Series
    targets: pd.Series | None
    objective: float
    iterations: int


@dataclass(frozen=True)
class OptimisedWeights:
    """Weights of one node's children optimised for their correlations with a target node:
    `weights` (a Series by child, summing to 1), the `correlations`, the `objective`
    Σ (rᵢ/Σr − tᵢ)² reached and the `iterations` used."""

    weights: pd.Series
    correlations: pd.Series
    objective: float
    iterations: int


def _series(nodes: list[str], values: list[float], name: str) -> pd.Series:
    return pd.Series(values, index=pd.Index(nodes, name="node"), name=name, dtype=np.float64)


def optimise_level_weights(
    framework: Framework | JsonLike,
    data: Data,
    recipe: JsonLike | None = None,
    *,
    level: int,
    aim: str = "balance",
    shares: list[float] | None = None,
    correlation: str = "pearson",
    optimiser: str = "converge",
    max_iterations: int = 1000,
    columns: list[str] | None = None,
    units: list[str] | None = None,
    period: int | None = None,
) -> LevelWeights:
    """The weights of every node of `level` optimised together against the index (COINr's
    ``get_opt_weights``): ``aim="balance"`` makes the nodes' `correlation` (``pearson``,
    ``spearman`` or ``kendall``) with the index match `shares` (equal when None),
    ``aim="infomax"`` maximises their sum. ``optimiser="converge"`` searches to the optimum
    (Nelder–Mead restarted until it no longer improves, at most `max_iterations`);
    ``optimiser="coinr"`` stops where COINr 1.1.14 stops (R's ``optim`` with ``reltol=0.1``,
    ``maxit=500``), for COINr's numbers. Data as for `score`."""
    fw = _as_framework(framework)
    i = _inputs(fw, data, columns, units, period)
    aim_json: dict[str, Any] = {"aim": aim} if shares is None else {"aim": aim, "shares": shares}
    search: dict[str, Any] = (
        {"optimiser": "coinr", "reltol": 0.1, "maxit": 500}
        if optimiser == "coinr"
        else {"optimiser": optimiser, "max_iterations": _count("max_iterations", max_iterations)}
    )
    raw = json.loads(
        _native.optimise_level_weights(
            fw._handle,
            i,
            _json(recipe),
            _count("level", level),
            _json(aim_json, "options"),
            correlation,
            _json(search, "options"),
        )
    )
    nodes = raw["nodes"]
    targets = raw["targets"]
    return LevelWeights(
        weights=_series(nodes, raw["weights"], "weight"),
        correlations=_series(nodes, raw["correlations"], "correlation"),
        targets=None if targets is None else _series(nodes, targets, "target"),
        objective=float(raw["objective"]),
        iterations=int(raw["iterations"]),
    )


def optimise_weights(
    framework: Framework | JsonLike,
    data: Data,
    recipe: JsonLike | None = None,
    *,
    node: str,
    target: str,
    shares: list[float] | None = None,
    max_iterations: int = 1000,
    columns: list[str] | None = None,
    units: list[str] | None = None,
    period: int | None = None,
) -> OptimisedWeights:
    """The weights of `node`'s children optimised so that their Pearson correlations with
    `target` (e.g. the index), normalised to sum to 1, approach `shares` (equal when None), by
    Nelder–Mead from the current weights. Data as for `score`."""
    fw = _as_framework(framework)
    i = _inputs(fw, data, columns, units, period)
    raw = json.loads(
        _native.optimise_weights(
            fw._handle,
            i,
            _json(recipe),
            node,
            target,
            None if shares is None else [float(s) for s in shares],
            _count("max_iterations", max_iterations),
        )
    )
    nodes = raw["nodes"]
    return OptimisedWeights(
        weights=_series(nodes, raw["weights"], "weight"),
        correlations=_series(nodes, raw["correlations"], "correlation"),
        objective=float(raw["objective"]),
        iterations=int(raw["iterations"]),
    )
