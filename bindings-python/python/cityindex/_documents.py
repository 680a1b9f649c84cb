"""Documents (frameworks, recipes, specifications) as JSON text for the core, and the errors shared by every module."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

import numpy as np
import pandas as pd

from .errors import Error, FrameworkError, MethodError, ScoreError

if TYPE_CHECKING:
    from .inputs import Dataset


JsonLike = Mapping[str, Any] | str


class SupportsToPandas(Protocol):
    """A table that converts itself to pandas: a pyarrow Table or a polars DataFrame."""

    def to_pandas(self) -> pd.DataFrame: ...


Data: TypeAlias = "pd.DataFrame | np.ndarray | SupportsToPandas | Dataset"


# The exception and code of each kind of document when it cannot be written as JSON.
_DOCUMENT_ERRORS: dict[str, tuple[type[Error], str]] = {
    "framework": (FrameworkError, "framework.json"),
    "recipe": (ScoreError, "score.json"),
    "specification": (MethodError, "method.invalid_parameter"),
    "options": (MethodError, "method.invalid_parameter"),
}


def _json(value: JsonLike | None, kind: str = "recipe") -> str:
    """The JSON text of a document given as a dict (or already as text). A number JSON cannot
    hold (NaN, ±inf) is named by its place in the document, as the core would name any other
    bad value, instead of failing at a position in a text the user never wrote."""
    if value is None:
        return "{}"
    if isinstance(value, str):
        return value
    cls, code = _DOCUMENT_ERRORS[kind]
    try:
        place = _non_finite(value, "")
        if place is not None:
            raise _error(cls, code, f"{kind}: `{place[0]}` is {place[1]}: every number must be finite")
        return json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as e:
        if isinstance(e, Error):
            raise
        raise _error(cls, code, f"{kind}: cannot be written as JSON ({e})") from None


def _non_finite(value: Any, path: str) -> tuple[str, float] | None:
    """The path (``weights.a``, ``choices[0].probabilities[1]``) and value of the first number in
    `value` that is not finite."""
    if isinstance(value, float) and not np.isfinite(value):
        return path or "(the document)", value
    if isinstance(value, Mapping):
        items: Any = ((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
    elif isinstance(value, list | tuple):
        items = ((f"{path}[{k}]", v) for k, v in enumerate(value))
    else:
        return None
    for place, v in items:
        found = _non_finite(v, place)
        if found is not None:
            return found
    return None


def _count(name: str, value: Any) -> int:
    """A whole number the core takes as an unsigned 64-bit integer (base points, resamples, a
    seed, a number of inputs), or a MethodError naming the argument."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 0 <= value < 2**64:
        raise _method_error(f"`{name}` must be a whole number from 0 to 2**64 - 1, not {value!r}")
    return int(value)


def _error(cls: type[Error], code: str, message: str) -> Error:
    """An exception of `cls` with its stable `code`."""
    error = cls(message)
    error.code = code
    return error


def _method_error(message: str) -> Error:
    return _error(MethodError, "method.invalid_parameter", message)


def _progress(
    progress: bool | Callable[[int, int], bool | None], total: int | None, unit: str = "replicate"
) -> tuple[Callable[[int, int], bool | None] | None, Callable[[], None]]:
    """The callback for the core (the caller's own, or a tqdm bar of `total` `unit`s, the total
    taken from the core when not known beforehand) and what closes it."""
    if callable(progress):
        return progress, lambda: None
    if not progress:
        return None, lambda: None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None, lambda: None
    bar = tqdm(total=total, unit=unit)

    def update(done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    return update, bar.close
