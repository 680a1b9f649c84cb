"""Measures comparing two rankings (1 = best) of the same alternatives, as pymcdm's
``correlations`` module, computed by the Rust core."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from . import _native

__all__ = ["goodman_kruskal_gamma", "kendall_tau", "spearman", "weighted_spearman", "ws_coefficient"]


def _compare(measure: str, x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    return _native.compare_rankings(
        measure,
        [float(v) for v in np.asarray(x, dtype=np.float64)],
        [float(v) for v in np.asarray(y, dtype=np.float64)],
    )


def spearman(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Spearman's rs = 1 − 6Σd²/(n(n² − 1)) (rankings without ties; pymcdm's ``rs``)."""
    return _compare("spearman_rs", x, y)


def weighted_spearman(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Weighted Spearman rw, disagreements at the top weighing more (pymcdm's ``weighted_spearman``)."""
    return _compare("weighted_spearman", x, y)


def ws_coefficient(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Sałabun's WS similarity coefficient, asymmetric: ``x`` is the reference (pymcdm's ``ws``)."""
    return _compare("ws_coefficient", x, y)


def kendall_tau(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Kendall's τ (pymcdm's ``kendall_tau``)."""
    return _compare("kendall_tau", x, y)


def goodman_kruskal_gamma(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Goodman and Kruskal's γ (pymcdm's ``goodman_kruskal_gamma``)."""
    return _compare("goodman_kruskal_gamma", x, y)
