"""The example notebook runs headless from top to bottom, draws its charts, and its committed
outputs are those of a fresh run (examples/run_notebook.py refreshes them)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "examples" / "run_notebook.py"


def _script() -> Any:
    spec = importlib.util.spec_from_file_location("run_notebook", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_notebook_runs_and_its_outputs_are_current() -> None:
    pytest.importorskip("nbclient")
    script = _script()
    cells = script.fingerprint(script.execute())
    outputs = [kind for cell in cells for kind, _ in cell]
    assert "error" not in outputs
    assert outputs.count("image/png") >= 4, "the notebook draws its charts"
    committed = script.fingerprint(script.read())
    assert committed == cells, "stale outputs: run python examples/run_notebook.py"
