"""Analysis results as DataFrames, checked against COINr's exports, and the correlation heatmap."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

import cityindex

matplotlib.use("Agg")

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"
B = FIXTURES / "coinr-asem" / "B_analysis"


@pytest.fixture(scope="module")
def asem() -> cityindex.Analysis:
    """COINr's default pipeline on its treated ASEM data."""
    framework = cityindex.Framework.from_file(FIXTURES / "coinr-asem" / "data" / "ASEM_iMeta.csv")
    raw = pd.read_csv(FIXTURES / "coinr-asem" / "data" / "ASEM_iData.csv")
    return cityindex.analyse(framework, raw)


def test_statistics_match_get_stats(asem: cityindex.Analysis) -> None:
    theirs = pd.read_csv(B / "B_stats_Raw.csv").set_index("iCode")
    ours = asem.statistics.loc[theirs.index]
    for ours_name, their_name in [("mean", "Mean"), ("sd", "Std"), ("skew", "Skew"), ("kurtosis", "Kurt")]:
        assert np.allclose(ours[ours_name], theirs[their_name], rtol=0, atol=1e-9), ours_name
    assert list(ours["n_available"]) == list(theirs["N.Avail"])
    assert list(ours["outliers"]) == [flag == "OUT" for flag in theirs["Flag.SkewKurt"]]


def test_correlations_and_weights_are_frames(asem: cityindex.Analysis) -> None:
    indicators = asem.statistics.index
    assert list(asem.correlations.index) == list(indicators)
    assert np.allclose(np.diag(asem.correlations.to_numpy()), 1.0)
    assert np.allclose(asem.correlations.to_numpy(), asem.correlations.to_numpy().T)
    weights = pd.read_csv(B / "B_effective_weights.csv").set_index("iCode")
    assert np.allclose(asem.effective_weights.loc[weights.index], weights.iloc[:, 2], rtol=0, atol=1e-12)
    assert asem.pca_variance is not None and asem.pca_loadings is not None
    assert asem.pca_variance["variance_explained"].sum() == pytest.approx(1.0)
    assert asem.pca_loadings.shape == (len(indicators), len(indicators))
    assert set(asem.consistency.index) >= {"Index", "Conn", "Physical"}
    assert asem.strengths.index.names == ["unit", "position"]
    assert len(asem.strengths.loc["ESP"]) == 3
    assert "<table" in asem._repr_html_()


def test_spearman_and_unknown_method() -> None:
    framework, panel, recipe = cityindex.builtin("desi-2022")
    analysis = cityindex.analyse(framework, panel, recipe, period=2022, correlation="spearman")
    assert analysis.method == "spearman"
    with pytest.raises(cityindex.MethodError, match="pearson"):
        cityindex.analyse(framework, panel, recipe, period=2022, correlation="pearsn")


def test_correlation_heatmap(asem: cityindex.Analysis, tmp_path: Path) -> None:
    ax = asem.plot()
    assert len(ax.images) == 1
    assert ax.images[0].get_array().shape == asem.correlations.shape
    ax.figure.savefig(tmp_path / "heatmap.png")
    assert (tmp_path / "heatmap.png").stat().st_size > 0
