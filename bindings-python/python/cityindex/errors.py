"""The exceptions of cityindex, one per domain of the Rust core's errors.

Every exception carries the core's message, which names the indicator, unit or node at fault,
and a stable machine-readable ``code`` (for example ``"framework.unknown_parent"``).
"""

from __future__ import annotations


class Error(Exception):
    """Base class of every cityindex error."""

    code: str = "error"


class FrameworkError(Error, ValueError):
    """The framework is invalid: unknown parent, cycle, duplicate id, bad weight…"""


class DataError(Error, ValueError):
    """The data set is invalid: duplicate unit, infinite value, wrong shape, not a number…"""


class ScoreError(Error, ValueError):
    """The recipe cannot score this data: a missing column, a degenerate column, a value outside
    a method's domain, an unknown field or id in the recipe…"""


class MethodError(Error, ValueError):
    """A weighting, MCDA or analysis method cannot be applied to its input, or a document names a
    method that does not exist (``method.unknown``: the message names the field, the valid names
    and the closest one)."""


class Cancelled(Error):
    """A long computation was stopped (by its progress callback or Ctrl-C)."""
