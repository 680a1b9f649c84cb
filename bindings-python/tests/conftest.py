"""Shared helpers: the language-neutral test vectors in ``tests/vectors`` (also read by the Rust and
JavaScript suites)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"


def vector_files() -> list[Path]:
    files = sorted(VECTORS.glob("*.json"))
    assert files, f"no vectors in {VECTORS}"
    return files


def load(path: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


def data_frame(data: dict[str, Any]) -> pd.DataFrame:
    """A vector's data document as the DataFrame a notebook user would pass."""
    frame = pd.DataFrame(
        {
            k: np.array([np.nan if v is None else v for v in vals], dtype=np.float64)
            for k, vals in data["columns"].items()
        }
    )
    frame.insert(0, "uCode", [u["id"] for u in data["units"]])
    frame.insert(1, "uName", [u.get("name") for u in data["units"]])
    if data.get("periods") is not None:
        frame.insert(2, "Time", data["periods"])
    for group in data.get("groups") or []:
        frame[group["id"]] = group["values"]
    return frame


@pytest.fixture(params=vector_files(), ids=lambda p: p.stem)
def vector(request: pytest.FixtureRequest) -> dict[str, Any]:
    return load(request.param)
