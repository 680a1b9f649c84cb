"""The COINr ASEM and DESI 2022 reproductions of the Rust suite, run again through the pandas API:
the numbers others published, to 1e-9."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import cityindex

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"
TOL = 1e-9


def test_coinr_asem_default_pipeline() -> None:
    """COINr 1.1.14's default pipeline (min-max 0–100, arithmetic means) on its treated ASEM data,
    from pandas CSV readers to DataFrames: every normalised and aggregated column."""
    framework = cityindex.Framework.from_table(pd.read_csv(FIXTURES / "coinr-asem" / "data" / "ASEM_iMeta.csv"))
    treated = pd.read_csv(FIXTURES / "coinr-asem" / "A_simple" / "A_Treated.csv")
    result = cityindex.score(framework, treated)
    for name in ("A_Normalised", "A_Aggregated"):
        theirs = pd.read_csv(FIXTURES / "coinr-asem" / "A_simple" / f"{name}.csv").set_index("uCode")
        ours = result.scores.loc[theirs.index, theirs.columns]
        assert np.array_equal(ours.isna().to_numpy(), theirs.isna().to_numpy()), name
        assert np.nanmax(np.abs(ours.to_numpy() - theirs.to_numpy())) <= TOL, name


def test_coinr_asem_ranks_exact() -> None:
    framework = cityindex.Framework.from_file(FIXTURES / "coinr-asem" / "data" / "ASEM_iMeta.csv")
    treated = pd.read_csv(FIXTURES / "coinr-asem" / "A_simple" / "A_Treated.csv")
    result = cityindex.score(framework, treated)
    ranks = pd.read_csv(FIXTURES / "coinr-asem" / "A_simple" / "A_results_full_ranks.csv").set_index("uCode")
    numeric = [c for c in ranks.columns if c in result.ranks.columns]
    assert numeric
    assert result.ranks.loc[ranks.index, numeric].equals(ranks[numeric].astype(np.float64))


def test_desi_2022_every_published_score() -> None:
    """Every DESI, dimension and sub-dimension score the European Commission published for
    2017–2022 (2,520 values), from the embedded framework and data."""
    framework, panel, recipe = cityindex.builtin("desi-2022")
    published = pd.read_csv(FIXTURES / "desi-2022" / "published.csv")
    assert len(published) == 2520
    worst = 0.0
    for year in sorted(set(published["desi_year"])):
        rows = published[published["desi_year"] == year]
        result = cityindex.score(framework, panel, recipe, period=int(year))
        ours = np.array([result.scores.at[c, n] for c, n in zip(rows["country"], rows["node"], strict=True)])
        worst = max(worst, float(np.max(np.abs(ours - rows["value"].to_numpy()))))
    assert worst <= TOL
