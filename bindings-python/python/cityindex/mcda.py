"""Multi-criteria decision analysis on a decision matrix, with pymcdm's interface: a method object
called on ``(matrix, weights, types)`` gives the preferences, its ``rank`` the ranking::

    topsis = cityindex.mcda.TOPSIS()
    preferences = topsis(matrix, weights, types)   # one per alternative (row)
    ranking = topsis.rank(preferences)             # 1 = best

``matrix`` is alternatives × criteria (a numpy array, or anything ``numpy.asarray`` reads),
``weights`` one per criterion (relative), ``types`` 1 for a benefit and −1 for a cost. Every
number is computed by the Rust core (formulas and references in its ``mcda`` module); the
preferences equal pymcdm 1.4's except COPRAS, where cityindex follows the textbook.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _native
from ._documents import _method_error

__all__ = ["COPRAS", "EDAS", "MOORA", "MPI", "PROMETHEE_II", "TOPSIS", "VIKOR", "WASPAS", "MCDAMethod"]


class MCDAMethod:
    """An MCDA method with its parameters (the core's JSON form in ``spec``)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.spec.items() if k != "method")
        return f"{type(self).__name__}({params})"

    def __call__(
        self,
        matrix: npt.ArrayLike,
        weights: npt.ArrayLike,
        types: npt.ArrayLike,
        *,
        skip_missing: bool = False,
    ) -> npt.NDArray[np.float64]:
        """The preference of each alternative. A missing value (NaN) is an error naming it unless
        ``skip_missing``: then each alternative uses the criteria it has."""
        m = _matrix(matrix)
        return _native.mcda_evaluate(
            json.dumps(self.spec), m, _vector(weights, "weights"), _vector(types, "types"), skip_missing
        )

    def rank(self, preferences: npt.ArrayLike, ties: str = "min") -> npt.NDArray[np.float64]:
        """Ranks of the preferences, 1 = best, in the method's direction (VIKOR: lower is better);
        ``ties``: "min" (competition ranking, the default), "average", "max", "first"."""
        return _native.mcda_rank(json.dumps(self.spec), _vector(preferences, "preferences"), ties)


class TOPSIS(MCDAMethod):
    """Closeness to the ideal solution (Hwang & Yoon 1981); ``normalization``: "minmax" (pymcdm's
    default) or "vector"."""

    def __init__(self, normalization: str = "minmax") -> None:
        scaling = {"minmax": "min_max", "min_max": "min_max", "vector": "vector"}.get(normalization)
        if scaling is None:
            raise _method_error(f"TOPSIS: normalization `{normalization}` is not one of: minmax, vector")
        super().__init__({"method": "topsis", "scaling": scaling})


class VIKOR(MCDAMethod):
    """VIKOR's Q (Opricovic & Tzeng 2004), lower is better; ``v`` weighs group utility."""

    def __init__(self, v: float = 0.5) -> None:
        super().__init__({"method": "vikor", "v": v})


class PROMETHEE_II(MCDAMethod):  # noqa: N801 (pymcdm's name)
    """PROMETHEE II net flows (Brans & Vincke 1985); ``preference`` one function for every
    criterion: "usual" (default), "ushape" (q), "vshape" (p), "level" (q, p), "linear" (q, p),
    "gaussian" (s)."""

    def __init__(self, preference: str = "usual", **thresholds: float) -> None:
        kinds = {"usual": "usual", "ushape": "u_shape", "vshape": "v_shape", "level": "level",
                 "linear": "linear", "gaussian": "gaussian"}  # fmt: skip
        kind = kinds.get(preference)
        if kind is None:
            raise _method_error(f"PROMETHEE II: preference `{preference}` is not one of: {', '.join(kinds)}")
        super().__init__({"method": "promethee_ii", "preference": {"type": kind, **thresholds}})


class COPRAS(MCDAMethod):
    """COPRAS utility degree (Zavadskas et al. 1994), as the textbook defines it."""

    def __init__(self) -> None:
        super().__init__({"method": "copras"})


class EDAS(MCDAMethod):
    """EDAS appraisal score (Keshavarz Ghorabaee et al. 2015)."""

    def __init__(self) -> None:
        super().__init__({"method": "edas"})


class MOORA(MCDAMethod):
    """MOORA's ratio system (Brauers & Zavadskas 2006)."""

    def __init__(self) -> None:
        super().__init__({"method": "moora"})


class WASPAS(MCDAMethod):
    """WASPAS joint criterion (Zavadskas et al. 2012); ``lam`` weighs the sum against the product."""

    def __init__(self, lam: float = 0.5) -> None:
        super().__init__({"method": "waspas", "lambda": lam})


class MPI(MCDAMethod):
    """Mazziotta–Pareto index (MPI⁻), or the adjusted AMPI⁻ with ``adjusted=True``."""

    def __init__(self, adjusted: bool = False) -> None:
        super().__init__({"method": "mpi", "adjusted": adjusted})


def _matrix(matrix: npt.ArrayLike) -> npt.NDArray[np.float64]:
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2:
        raise _method_error(f"the decision matrix must have 2 dimensions (alternatives × criteria), not {m.ndim}")
    return m


def _vector(values: npt.ArrayLike, name: str) -> list[float]:
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 1:
        raise _method_error(f"`{name}` must have 1 dimension, not {v.ndim}")
    return [float(x) for x in v]
