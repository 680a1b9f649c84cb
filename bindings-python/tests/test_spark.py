"""`cityindex.spark` on Spark local[2]: DESI 2022, COINr's example coin (every preparation step)
and a synthetic set of 1,000,000 units give through Spark, under several partitionings, the bits
of `cityindex.score` on one machine — scores, ranks and bands. `scripts/test` installs Java and
PySpark and sets CITYINDEX_SPARK=1; elsewhere these tests are skipped."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import cityindex

if not os.environ.get("CITYINDEX_SPARK"):
    pytest.skip("Spark tests run with CITYINDEX_SPARK=1 (scripts/test sets it)", allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402

import cityindex.spark  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "7")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def assert_same_bits(spark_out: Any, local: cityindex.Result, ranked: list[str]) -> None:
    ours = spark_out.toPandas().set_index("uCode").sort_index()
    theirs = local.scores.sort_index()
    assert list(ours.index) == list(theirs.index)
    for node in theirs.columns:
        a = ours[f"score {node}"].to_numpy(dtype=np.float64)
        b = theirs[node].to_numpy(dtype=np.float64)
        assert np.array_equal(a.view(np.uint64)[~np.isnan(a)], b.view(np.uint64)[~np.isnan(b)]), node
        assert np.array_equal(np.isnan(a), np.isnan(b)), node
    ranks = local.ranks.sort_index()
    for node in ranked:
        assert np.array_equal(
            ours[f"rank {node}"].to_numpy(dtype=np.float64), ranks[node].to_numpy(), equal_nan=True
        ), node
    bands = local.bands.sort_index()
    for node in bands.columns:
        assert list(ours[f"band {node}"]) == list(bands[node]), node


@pytest.mark.parametrize("partitions", [1, 3, 11])
def test_desi_2022(spark: Any, partitions: int) -> None:
    framework, panel, recipe = cityindex.builtin("desi-2022")
    local = cityindex.score(framework, panel, recipe, period=2022)
    df = spark.createDataFrame(panel.reset_index()).repartition(partitions)
    out = cityindex.spark.score(df, framework, recipe, period=2022)
    assert_same_bits(out, local, ["DESI"])


def test_egdi_bands_and_every_rank(spark: Any) -> None:
    framework, data, recipe = cityindex.builtin("un-egdi")
    periods = sorted(set(data["Time"])) if "Time" in data.columns else [None]
    local = cityindex.score(framework, data, recipe, period=periods[-1])
    df = spark.createDataFrame(data.reset_index()).repartition(5)
    out = cityindex.spark.score(df, framework, recipe, period=periods[-1], rank=list(local.scores.columns[-3:]))
    assert_same_bits(out, local, list(local.scores.columns[-3:]))


@pytest.mark.parametrize("ties", ["min", "max", "average", "dense"])
def test_ties_zeros_missing_scores_and_an_aggregate(spark: Any, ties: str) -> None:
    """Ranks where the buckets of Spark's ranking meet: seven distinct values (ties in every
    bucket), -0.0 beside 0.0 (equal, as in the core), missing scores and an aggregate."""
    rng = np.random.default_rng(7)
    n = 5000
    a = rng.integers(-3, 4, n).astype(float)
    a[rng.random(n) < 0.25] = 0.0
    a[::13] = -0.0
    a[::17] = np.nan
    data = pd.DataFrame({"uCode": [f"u{k:05d}" for k in range(n)], "a": a, "b": rng.integers(0, 3, n).astype(float)})
    framework = {"nodes": [{"id": "index", "children": [{"id": "a"}, {"id": "b"}]}], "aggregate_units": ["u00001"]}
    recipe = {"normalise": {"default": {"method": "none"}}, "rank": {"ties": ties}}
    local = cityindex.score(framework, data.set_index("uCode"), recipe)
    assert (np.signbit(local.scores["a"]) & (local.scores["a"] == 0)).any()
    for partitions in [1, 6]:
        df = spark.createDataFrame(data).repartition(partitions)
        out = cityindex.spark.score(df, framework, recipe, rank=["index", "a", "b"])
        assert_same_bits(out, local, ["index", "a", "b"])


@pytest.mark.parametrize("partitions", [2, 9])
def test_the_example_coin(spark: Any, partitions: int) -> None:
    framework = cityindex.Framework.from_file(FIXTURES / "coinr-asem" / "data" / "ASEM_iMeta.csv")
    raw = pd.read_csv(FIXTURES / "coinr-asem" / "data" / "ASEM_iData.csv")
    recipe = {
        "prepare": [
            {"step": "denominate"},
            {"step": "impute", "default": {"method": "group_mean", "group": "EurAsia_group"}},
            {"step": "screen", "units": {"min_availability": 0.9}},
            {"step": "treat"},
        ]
    }
    local = cityindex.score(framework, raw, recipe)
    out = cityindex.spark.score(spark.createDataFrame(raw).repartition(partitions), framework, recipe)
    assert_same_bits(out, local, ["Index"])


@pytest.mark.parametrize("method", ["min_max", "z_score"])
def test_a_million_units(spark: Any, method: str) -> None:
    rng = np.random.default_rng(25)
    n, k = 1_000_000, 4
    ids = [f"u{i:07d}" for i in range(n)]
    values = rng.normal(50, 15, size=(n, k)).round(3)
    values[rng.random((n, k)) < 0.01] = np.nan
    data = pd.DataFrame(values, columns=[f"i{j}" for j in range(k)], index=pd.Index(ids, name="uCode"))
    framework = cityindex.Framework(
        {
            "nodes": [
                {
                    "id": "index",
                    "children": [
                        {"id": "p1", "children": [{"id": "i0"}, {"id": "i1"}]},
                        {"id": "p2", "children": [{"id": "i2"}, {"id": "i3", "direction": -1}]},
                    ],
                }
            ]
        }
    )
    recipe = {
        "normalise": {"default": {"method": method}},
        "banding": {"bands": [{"label": "high", "min": 50}, {"label": "low"}]},
    }
    local = cityindex.score(framework, data, recipe)
    df = spark.createDataFrame(data.reset_index()).repartition(13)
    out = cityindex.spark.score(df, framework, recipe)
    assert_same_bits(out, local, ["index"])


@pytest.mark.parametrize("tasks", [1, 3, 7])
def test_an_uncertainty_run(spark: Any, tasks: int) -> None:
    framework = cityindex.Framework.from_file(FIXTURES / "coinr-asem" / "data" / "ASEM_iMeta.csv")
    raw = pd.read_csv(FIXTURES / "coinr-asem" / "data" / "ASEM_iData.csv")
    recipe = {"prepare": [{"step": "impute", "default": {"method": "mean"}}]}
    spec = {
        "replicates": 50,
        "seed": 11,
        "weights": {"fraction": 0.25},
        "choices": [
            {
                "stage": "normalise",
                "options": [{"method": "min_max"}, {"method": "z_score", "mean": 10, "sd": 2, "floor": 0.01}],
            }
        ],
    }
    local = cityindex.uncertainty(framework, raw.sort_values("uCode"), recipe, spec, progress=False)
    ours = cityindex.spark.uncertainty(spark.createDataFrame(raw).repartition(4), framework, recipe, spec, tasks=tasks)
    assert ours.failed == local.failed
    for node, table in local.summaries.items():
        assert list(ours.summaries[node].index) == list(table.index)
        assert np.array_equal(ours.summaries[node].to_numpy(), table.to_numpy(), equal_nan=True), node
    for node in local.ranks:
        a, b = ours.ranks[node].to_numpy(), local.ranks[node].to_numpy()
        assert np.array_equal(a, b, equal_nan=True), node


def test_a_panel_period_by_period(spark: Any) -> None:
    framework, panel, recipe = cityindex.builtin("desi-2022")
    local = cityindex.score_panel(framework, panel, recipe)
    out = cityindex.spark.score(spark.createDataFrame(panel).repartition(3), framework, recipe, period="all")
    frame = out.toPandas()
    assert sorted(set(frame["Time"])) == local.periods
    for period in local.periods:
        one = frame[frame["Time"] == period].set_index("uCode").sort_index()
        want = local.scores[period].scores.sort_index()
        assert np.array_equal(one["score DESI"].to_numpy(dtype=np.float64), want["DESI"].to_numpy(), equal_nan=True)
        ranks = local.scores[period].ranks.sort_index()["DESI"].to_numpy()
        assert np.array_equal(one["rank DESI"].to_numpy(dtype=np.float64), ranks, equal_nan=True)
