"""Weights of a decision matrix's criteria, and AHP weights from judgements, computed by the Rust
core (formulas and references in its ``weight`` module). Function names follow pymcdm's
``weights`` module::

    w = cityindex.weights.entropy_weights(matrix)
    w = cityindex.weights.critic_weights(matrix, types)   # direction-aware
    result = cityindex.weights.ahp(pairwise)              # weights and consistency ratio
"""

from __future__ import annotations

import json
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from . import _native
from .mcda import _matrix

__all__ = [
    "Ahp",
    "ahp",
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
