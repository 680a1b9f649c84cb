"""The intermediate data sets: `prepare` keeps the data after each preparation step of COINr's
example coin (denominate → group-mean imputation → screening → treatment), checked against
COINr 1.1.14's own data sets to 1e-9, with each step's report as tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cityindex

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"
COIN = FIXTURES / "coinr-asem" / "B_example_coin"
TOL = 1e-9
RECIPE = {
    "prepare": [
        {"step": "denominate"},
        {"step": "impute", "default": {"method": "group_mean", "group": "EurAsia_group"}},
        {"step": "screen", "units": {"min_availability": 0.9}},
        {"step": "treat"},
    ]
}


@pytest.fixture(scope="module")
def coin() -> tuple[cityindex.Framework, pd.DataFrame]:
    framework = cityindex.Framework.from_file(FIXTURES / "coinr-asem" / "data" / "ASEM_iMeta.csv")
    return framework, pd.read_csv(FIXTURES / "coinr-asem" / "data" / "ASEM_iData.csv")


def test_every_stage_is_coinrs_data_set(coin: tuple[cityindex.Framework, pd.DataFrame]) -> None:
    framework, raw = coin
    preparation = cityindex.prepare(framework, raw, RECIPE)
    assert list(preparation.stages) == ["denominate", "impute", "screen", "treat"]
    for stage, name in zip(preparation.stages, ["Denominated", "Imputed", "Screened", "Treated"], strict=True):
        theirs = pd.read_csv(COIN / f"B_{name}.csv").set_index("uCode")
        ours = preparation.stages[stage]
        assert sorted(ours.index) == sorted(theirs.index), name
        ours = ours.loc[theirs.index, theirs.columns]
        assert np.array_equal(ours.isna().to_numpy(), theirs.isna().to_numpy()), name
        assert np.nanmax(np.abs(ours.to_numpy() - theirs.to_numpy())) <= TOL, name
    assert preparation.data is preparation.stages["treat"]


def test_reports_as_tables(coin: tuple[cityindex.Framework, pd.DataFrame]) -> None:
    framework, raw = coin
    preparation = cityindex.prepare(framework, raw, RECIPE)
    screened = preparation.table("screen").set_index("id")
    summary = pd.read_csv(COIN / "B_Screened_DataSummary.csv").set_index("uCode")
    assert np.allclose(screened.loc[summary.index, "availability"], summary["Dat_Avail"], rtol=0, atol=TOL)
    assert (screened.loc[summary.index, "included"] == summary["Included"]).all()
    removed = pd.read_csv(COIN / "B_Screened_RemovedUnits.csv")
    assert preparation.summary().loc["screen", "changed"] == len(removed)
    treated = preparation.table("treat").set_index("indicator")
    details = pd.read_csv(COIN / "B_Treated_Dets_Table.csv").set_index("iCode")
    wins = details["winsorise.nwin"].dropna()
    assert (treated.loc[wins.index, "winsorised"] == wins).all()
    assert np.allclose(treated.loc[details.index, "before.skew"], details["check_SkewKurt0.Skew"], rtol=0, atol=TOL)
    points = preparation.points()
    theirs = pd.read_csv(COIN / "B_Treated_Points.csv", keep_default_na=False)
    ours = points.loc[sorted(points.index), theirs.columns]
    assert (ours.to_numpy() == theirs.to_numpy()).all()
    imputed = preparation.table("impute")
    assert set(imputed.columns) >= {"unit", "indicator", "method", "value"} and len(imputed) > 0
    assert preparation.summary().loc["impute", "changed"] == len(imputed)
    assert "<table" in preparation._repr_html_()


def test_score_keeps_the_reports(coin: tuple[cityindex.Framework, pd.DataFrame]) -> None:
    framework, raw = coin
    result = cityindex.score(framework, raw, RECIPE)
    preparation = cityindex.prepare(framework, raw, RECIPE)
    assert [r["step"] for r in result.preparation] == ["denominate", "impute", "screen", "treat"]
    assert result.preparation == preparation.reports
    # The scores start from the last stage: its units, in its order.
    assert list(result.scores.index) == list(preparation.stages["treat"].index)


def test_no_steps_and_repeated_steps() -> None:
    framework = {"nodes": [{"id": "index", "children": [{"id": "a"}, {"id": "b"}]}]}
    frame = pd.DataFrame({"a": [1.0, 2.0, 100.0, 3.0], "b": [4.0, 5.0, 6.0, 7.0]}, index=list("wxyz"))
    none = cityindex.prepare(framework, frame)
    assert none.stages == {} and none.data is None and repr(none) == "Preparation(no steps)"
    twice = cityindex.prepare(framework, frame, {"prepare": [{"step": "treat"}, {"step": "treat"}]})
    assert list(twice.stages) == ["treat", "treat_2"]
    assert cityindex.score(framework, frame).preparation == []


def test_errors_name_what_is_wrong(coin: tuple[cityindex.Framework, pd.DataFrame]) -> None:
    framework, raw = coin
    with pytest.raises(cityindex.ScoreError, match="nowhere"):
        cityindex.prepare(
            framework, raw, {"prepare": [{"step": "impute", "default": {"method": "group_mean", "group": "nowhere"}}]}
        )
    unknown = "`prepare\\[0\\].step`: unknown `polish`; the valid ones are `denominate`"
    with pytest.raises(cityindex.MethodError, match=unknown):
        cityindex.prepare(framework, raw, {"prepare": [{"step": "polish"}]})
    preparation = cityindex.prepare(framework, raw, RECIPE)
    with pytest.raises(KeyError, match="no stage `normalise`"):
        preparation.table("normalise")
    with pytest.raises(KeyError, match="no treatment stage `impute`"):
        preparation.points("impute")
