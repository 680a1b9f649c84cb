"""Uncertainty analysis from Python: the same engine as Rust, with progress, cancellation and
Ctrl-C."""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

import numpy as np
import pytest

import cityindex

SPEC: dict[str, Any] = {
    "replicates": 300,
    "seed": 7,
    "weights": {"fraction": 0.25, "levels": [2, 3]},
    "choices": [{"stage": "normalise", "options": [{"method": "goalposts", "scale": 100}, {"method": "min_max"}]}],
}


def desi() -> tuple[cityindex.Framework, Any, dict[str, Any]]:
    framework, panel, recipe = cityindex.builtin("desi-2022")
    return framework, panel, recipe


def test_summary_ranks_and_replicates_are_consistent() -> None:
    framework, panel, recipe = desi()
    result = cityindex.uncertainty(framework, panel, recipe, SPEC, period=2022, progress=False)
    nominal = cityindex.score(framework, panel, recipe, period=2022)
    # The ranks of an uncertainty analysis are the units': the EU, an aggregate, is left out.
    assert result.nominal.scores.equals(nominal.scores.drop(index="EU"))
    assert len(result.replicates) == 300 and result.failed == 0
    weights = [c for c in result.replicates.columns if c.startswith("weight:")]
    factors = result.replicates[weights].to_numpy()
    assert weights and ((factors >= 0.75) & (factors <= 1.25)).all()
    assert result.replicates["failure"].isna().all()
    assert set(result.replicates["normalise"]) == {0, 1}
    summary = result.summary("DESI")
    assert summary.index[0] == "FI"
    assert (summary["q05"] <= summary["median"]).all() and (summary["median"] <= summary["q95"]).all()
    ranks = result.ranks["DESI"]
    assert ranks.shape == (300, len(panel[panel["Time"] == 2022]) - 1)
    assert np.array_equal(np.median(ranks.to_numpy(), axis=0), result.summaries["DESI"]["median"].to_numpy())
    assert "FI" in result._repr_html_()


def test_convergence_compares_the_first_replicates_with_all() -> None:
    framework, panel, recipe = desi()
    result = cityindex.uncertainty(framework, panel, recipe, SPEC, period=2022, progress=False)
    table = result.convergence.loc["DESI"]
    assert list(table.index) == [37, 75, 150, 300]
    assert list(table.columns) == ["median_change", "largest_median_change", "interval_change"]
    assert (table.loc[300] == 0).all()
    # The medians of the first half, recomputed here with numpy's (R's) quantiles.
    ranks, full = result.ranks["DESI"].to_numpy(), result.summaries["DESI"]["median"].to_numpy()
    change = np.abs(np.median(ranks[:150], axis=0) - full)
    assert table.loc[150, "median_change"] == pytest.approx(change.mean(), abs=1e-12)
    assert table.loc[150, "largest_median_change"] == change.max()


def test_the_same_seed_gives_the_same_bits() -> None:
    framework, panel, recipe = desi()
    first = cityindex.uncertainty(framework, panel, recipe, SPEC, period=2022, progress=False)
    second = cityindex.uncertainty(framework, panel, recipe, SPEC, period=2022, progress=False)
    assert np.array_equal(first.ranks["DESI"].to_numpy(), second.ranks["DESI"].to_numpy(), equal_nan=True)


def test_progress_is_reported_and_false_cancels() -> None:
    framework, panel, recipe = desi()
    seen: list[tuple[int, int]] = []
    cityindex.uncertainty(framework, panel, recipe, SPEC, period=2022, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (300, 300)
    with pytest.raises(cityindex.Cancelled) as caught:
        cityindex.uncertainty(
            framework, panel, recipe, {**SPEC, "replicates": 1_000_000}, period=2022, progress=lambda d, t: False
        )
    assert caught.value.code == "method.cancelled"


def test_an_exception_in_the_progress_callback_stops_the_run_and_propagates() -> None:
    framework, panel, recipe = desi()

    def broken(done: int, total: int) -> None:
        raise RuntimeError("the progress bar broke")

    with pytest.raises(RuntimeError, match="progress bar broke"):
        cityindex.uncertainty(framework, panel, recipe, {**SPEC, "replicates": 1_000_000}, period=2022, progress=broken)


def test_ctrl_c_cancels_with_keyboard_interrupt() -> None:
    framework, panel, recipe = desi()
    long_run = {**SPEC, "replicates": 1_000_000}
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            cityindex.uncertainty(framework, panel, recipe, long_run, period=2022, progress=False)
    finally:
        timer.cancel()


def test_an_invalid_specification_names_the_problem() -> None:
    framework, panel, recipe = desi()
    with pytest.raises(cityindex.MethodError, match="replicates"):
        cityindex.uncertainty(framework, panel, recipe, {**SPEC, "replicates": 0}, period=2022, progress=False)
    with pytest.raises(cityindex.Error, match="replicate"):
        cityindex.uncertainty(framework, panel, recipe, {"replicate": 10}, period=2022, progress=False)


def test_plots_draw_when_matplotlib_is_installed() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    framework, panel, recipe = desi()
    result = cityindex.uncertainty(framework, panel, recipe, SPEC, period=2022, progress=False)
    assert result.plot("DESI") is not None
    assert result.nominal.plot() is not None
