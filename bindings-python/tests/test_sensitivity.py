"""Variance-based sensitivity from Python: the Sobol estimators against SALib on its own fixed
sample (to 1e-12), the generic tool on the Ishigami function against its analytic indices, and
the index's sensitivity to its uncertain inputs on COINr's ASEM data, as the Rust suite checks
them; and each kind of bad input."""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

import cityindex

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"
REFERENCE = json.loads((FIXTURES / "sobol" / "ishigami_reference.json").read_text(encoding="utf-8"))


def ishigami(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    result: npt.NDArray[np.float64] = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    return result


def test_estimators_reproduce_salib_on_its_sample() -> None:
    sample = pd.read_csv(FIXTURES / "sobol" / "ishigami_sobol_N1024_noS2_XY.csv")
    salib = REFERENCE["ishigami_salib_estimates"]["fixed_sample_N1024_noS2"]
    ours = cityindex.sobol_indices(sample["y"].to_numpy(), 3, names=["x1", "x2", "x3"], resamples=100, seed=7)
    assert list(ours.indices.index) == ["x1", "x2", "x3"]
    assert np.max(np.abs(ours.indices["first_order"].to_numpy() - np.array(salib["S1"], dtype=float))) <= 1e-12
    assert np.max(np.abs(ours.indices["total"].to_numpy() - np.array(salib["ST"], dtype=float))) <= 1e-12
    assert (ours.indices["first_order_conf"] > 0).all()


def test_generic_tool_approaches_the_analytic_indices() -> None:
    analytic = REFERENCE["ishigami_a7_b0.1_analytic"]
    s1, st = np.array(analytic["S1"], dtype=float), np.array(analytic["ST"], dtype=float)
    result = cityindex.sobol(ishigami, [(-np.pi, np.pi)] * 3, 1024, resamples=200, seed=42)
    assert np.max(np.abs(result.indices["first_order"].to_numpy() - s1)) < 0.1
    assert np.max(np.abs(result.indices["total"].to_numpy() - st)) < 0.1
    assert list(result.convergence.index.get_level_values("base_points").unique()) == [128, 256, 512, 1024]
    assert result.convergence.loc[[1024]].droplevel("base_points").equals(result.indices)
    # The same seed, the same bits.
    again = cityindex.sobol(ishigami, [(-np.pi, np.pi)] * 3, 1024, resamples=200, seed=42)
    assert again.indices.equals(result.indices)
    assert "<table" in result._repr_html_()


def asem() -> tuple[cityindex.Framework, pd.DataFrame, dict[str, Any]]:
    """COINr's ASEM framework, its treated data and a specification perturbing the two
    sub-indices' weights."""
    framework = cityindex.Framework.from_file(FIXTURES / "coinr-asem" / "data" / "ASEM_iMeta.csv")
    treated = pd.read_csv(FIXTURES / "coinr-asem" / "A_simple" / "A_Treated.csv")
    return framework, treated, {"replicates": 1, "weights": {"fraction": 0.25, "levels": [3]}}


def test_sensitivity_of_the_index_to_its_inputs() -> None:
    framework, treated, _ = asem()
    spec = {
        "replicates": 1,
        "seed": 5,
        "weights": {"fraction": 0.25, "levels": [3]},
        "choices": [{"stage": "normalise", "options": [{"method": "min_max", "lo": 1, "hi": 100}, {"method": "rank"}]}],
    }
    result = cityindex.sensitivity(framework, treated, None, spec, base_points=256, resamples=50)
    assert result.node == "Index"
    assert list(result.indices.index) == ["normalise", "weight:Conn", "weight:Sust"]
    total = result.indices["total"]
    assert float(total["normalise"]) > float(total["weight:Conn"])
    assert result.first_order.shape == result.total.shape == (51, 3)
    assert list(result.total.index) == list(treated["uCode"])
    assert repr(result) == "Sensitivity(Index: normalise, weight:Conn, weight:Sust)"
    assert list(result.convergence.index.get_level_values("base_points").unique()) == [32, 64, 128, 256]
    assert result.convergence.loc[[256]].droplevel("base_points").equals(result.indices)


def test_sensitivity_reports_progress_and_false_cancels() -> None:
    framework, treated, spec = asem()
    seen: list[tuple[int, int]] = []
    cityindex.sensitivity(
        framework, treated, None, spec, base_points=64, resamples=20, progress=lambda d, t: seen.append((d, t))
    )
    # 2 inputs: 64 × 4 runs, then the indices of the rank shift and of the 51 countries.
    assert seen[-1] == (64 * 4 + 1 + 51, 64 * 4 + 1 + 51)
    assert all(total == seen[-1][1] for _, total in seen)
    with pytest.raises(cityindex.Cancelled) as caught:
        cityindex.sensitivity(framework, treated, None, spec, base_points=1 << 16, progress=lambda d, t: False)
    assert caught.value.code == "method.cancelled"


def test_ctrl_c_cancels_a_sensitivity_analysis() -> None:
    framework, treated, spec = asem()
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            cityindex.sensitivity(framework, treated, None, spec, base_points=1 << 17, progress=False)
    finally:
        timer.cancel()


def test_sensitivity_chart_draws_when_matplotlib_is_installed() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    framework, panel, recipe = cityindex.builtin("desi-2022")
    spec = {"replicates": 1, "seed": 3, "weights": {"fraction": 0.25, "levels": [3]}}
    result = cityindex.sensitivity(framework, panel, recipe, spec, period=2022, base_points=32, resamples=20)
    assert result.plot() is not None


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(cityindex.MethodError, match="finite range lo < hi"):
        cityindex.sobol(ishigami, [(1.0, 1.0)], 64)
    with pytest.raises(cityindex.MethodError, match="one value per row"):
        cityindex.sobol(lambda x: x, [(0.0, 1.0), (0.0, 1.0)], 64)
    with pytest.raises(cityindex.MethodError, match="2 names for 3 inputs"):
        cityindex.sobol_indices(np.ones(50), 3, names=["a", "b"])
    with pytest.raises(cityindex.MethodError, match="7 outputs do not form at least 2 base points of 5 evaluations"):
        cityindex.sobol_indices(np.arange(7.0), 3)
    framework, panel, recipe = cityindex.builtin("desi-2022")
    geometric = {
        "replicates": 1,
        "choices": [{"stage": "aggregate", "options": [{"method": "arithmetic_mean"}, {"method": "geometric_mean"}]}],
    }
    with pytest.raises(cityindex.MethodError, match="a run failed: .*geometric mean needs positive values"):
        cityindex.sensitivity(framework, panel, recipe, geometric, period=2022, base_points=8, resamples=10)
    with pytest.raises(cityindex.MethodError, match="node `nowhere` is not in the framework"):
        cityindex.sensitivity(framework, panel, recipe, geometric, node="nowhere", period=2022, base_points=8)


def test_grouped_inputs_are_varied_together() -> None:
    """SALib's groups: x1 and x3 of Ishigami as one input, whose first-order index is
    S1 + S3 + S13 = 1 − S2 (analytic S2 = 0.4424), and a design of n·(g + 2) points."""
    calls: list[int] = []

    def model(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        calls.append(len(x))
        return ishigami(x)

    grouped = cityindex.sobol(model, [(-np.pi, np.pi)] * 3, 2048, groups=["x1+x3", "x2", "x1+x3"], resamples=20)
    assert calls == [2048 * 4]
    assert list(grouped.indices.index) == ["x1+x3", "x2"]
    first, total = grouped.indices["first_order"].to_numpy(), grouped.indices["total"].to_numpy()
    assert abs(first[1] - 0.4424) < 0.05
    assert abs(total[0] - (1 - 0.4424)) < 0.05
    with pytest.raises(cityindex.MethodError, match="2 groups for 3 inputs"):
        cityindex.sobol(model, [(-np.pi, np.pi)] * 3, 16, groups=["a", "b"])
