"""The shared vectors, bit for bit: once through the JSON-document path and once through the
DataFrame path a notebook uses."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

import cityindex
from cityindex import _native
from conftest import data_frame


def test_documents_path_reproduces_every_vector(vector: dict[str, Any]) -> None:
    args = (json.dumps(vector["framework"]), json.dumps(vector["data"]), json.dumps(vector["recipe"]))
    expected = vector["expected"]
    if "error" in expected:
        with pytest.raises(cityindex.Error) as caught:
            _native.score_documents(*args)
        assert caught.value.code == expected["error"]["code"]
        assert str(caught.value) == expected["error"]["message"]
    else:
        assert json.loads(_native.score_documents(*args)) == expected["scores"]


def same_bits(actual: np.ndarray, expected: list[Any]) -> bool:
    want = np.array([np.nan if v is None else v for v in expected], dtype=np.float64)
    return bool(np.array_equal(actual, want, equal_nan=True))


def test_dataframe_path_reproduces_every_vector(vector: dict[str, Any]) -> None:
    frame = data_frame(vector["data"])
    expected = vector["expected"]
    if "error" in expected:
        with pytest.raises(cityindex.Error) as caught:
            cityindex.score(vector["framework"], frame, vector["recipe"])
        assert caught.value.code == expected["error"]["code"]
        return
    result = cityindex.score(vector["framework"], frame, vector["recipe"])
    scores = expected["scores"]
    assert list(result.scores.index) == scores["units"]
    for node in scores["nodes"]:
        node_id = node["id"]
        assert result.levels[node_id] == node["level"]
        assert same_bits(result.scores[node_id].to_numpy(), node["score"]), node_id
        assert same_bits(result.ranks[node_id].to_numpy(), node["rank"]), node_id
        assert same_bits(result.coverage[node_id].to_numpy(), node["coverage"]), node_id
        if "band" in node:
            assert list(result.bands[node_id]) == node["band"], node_id


def test_numpy_array_input_matches_dataframe_input() -> None:
    framework, panel, recipe = cityindex.builtin("desi-2022")
    data = panel[panel["Time"] == 2022]
    columns = framework.indicators()
    from_frame = cityindex.score(framework, panel, recipe, period=2022)
    array = data[columns].to_numpy(dtype=np.float64)  # C-ordered: copied in column order
    from_array = cityindex.score(framework, array, recipe, columns=columns, units=list(data["uCode"]))
    assert np.array_equal(from_frame.scores.to_numpy(), from_array.scores.to_numpy(), equal_nan=True)
    assert from_frame.scores.loc["FI", "DESI"] == pytest.approx(69.5976, abs=5e-5)


@pytest.mark.parametrize("library", ["pyarrow", "polars"])
def test_arrow_and_polars_tables_match_pandas(library: str) -> None:
    """A pyarrow Table or polars DataFrame (nulls for missing values) gives the same bits."""
    module = pytest.importorskip(library)
    framework, panel, recipe = cityindex.builtin("desi-2022")
    data = panel[panel["Time"] == 2022].drop(columns=["Time"]).reset_index(drop=True)
    data.loc[3, "1a1"] = np.nan
    table = module.Table.from_pandas(data) if library == "pyarrow" else module.from_pandas(data)
    assert table["1a1"].null_count == 1 if library == "pyarrow" else table["1a1"].null_count() == 1
    expected = cityindex.score(framework, data, recipe)
    actual = cityindex.score(framework, table, recipe)
    assert np.array_equal(expected.scores.to_numpy(), actual.scores.to_numpy(), equal_nan=True)
    assert list(actual.scores.index) == list(expected.scores.index)
