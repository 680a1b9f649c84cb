"""The shared vectors, bit for bit: once through the JSON-document path and once through the
DataFrame path a notebook uses."""

from __future__ import annotations

import copy
import io
import json
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import cityindex
from cityindex import _native
from conftest import VECTORS, data_frame, load


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


def test_every_array_layout_gives_the_same_bits_and_the_input_stays_as_it_was() -> None:
    """A Fortran-ordered array is read in place (also read-only, also when a preparation step
    changes values: the core changes its own copy); C-ordered and strided arrays are copied."""
    framework, panel, _ = cityindex.builtin("desi-2022")
    data = panel[panel["Time"] == 2022]
    columns, units = framework.indicators(), list(data["uCode"])
    recipe = {"prepare": [{"step": "treat"}], "normalise": {"default": {"method": "z_score"}}}
    fortran = np.asfortranarray(data[columns].to_numpy(dtype=np.float64))
    fortran.flags.writeable = False
    before = fortran.copy(order="F")
    expected = cityindex.score(framework, fortran, recipe, columns=columns, units=units)
    assert np.array_equal(fortran, before, equal_nan=True)
    wide = np.zeros((len(units), 2 * len(columns)))
    wide[:, ::2] = fortran
    for layout in [np.ascontiguousarray(fortran), wide[:, ::2]]:
        actual = cityindex.score(framework, layout, recipe, columns=columns, units=units)
        assert np.array_equal(actual.scores.to_numpy(), expected.scores.to_numpy(), equal_nan=True)


def test_dataset_path_reproduces_every_vector(vector: dict[str, Any]) -> None:
    """A Dataset, made once and scored twice, gives the DataFrame path's bits."""
    frame = data_frame(vector["data"])
    if "error" in vector["expected"]:
        with pytest.raises(cityindex.Error) as caught:
            cityindex.score(vector["framework"], cityindex.Dataset(frame, vector["framework"]), vector["recipe"])
        assert caught.value.code == vector["expected"]["error"]["code"]
        return
    expected = cityindex.score(vector["framework"], frame, vector["recipe"])
    dataset = cityindex.Dataset(frame, vector["framework"])
    for _ in range(2):
        actual = cityindex.score(vector["framework"], dataset, vector["recipe"])
        assert actual.scores.index.equals(expected.scores.index)
        for table in ["scores", "ranks", "coverage"]:
            assert np.array_equal(
                getattr(actual, table).to_numpy(), getattr(expected, table).to_numpy(), equal_nan=True
            ), table
        assert actual.bands.equals(expected.bands)


def test_a_dataset_keeps_its_own_copy_and_serves_every_function() -> None:
    framework, panel, recipe = cityindex.builtin("desi-2022")
    data = panel[panel["Time"] == 2022]
    columns, units = framework.indicators(), list(data["uCode"])
    values = np.array(data[columns].to_numpy(dtype=np.float64), order="F")
    dataset = cityindex.Dataset(values, columns=columns, units=units)
    expected = cityindex.score(framework, values, recipe, columns=columns, units=units)
    values[:, 0] = 0.0  # the caller's array changes; the Dataset does not
    assert np.array_equal(dataset.values(), data[columns].to_numpy(dtype=np.float64), equal_nan=True)
    actual = cityindex.score(framework, dataset, recipe)
    assert np.array_equal(actual.scores.to_numpy(), expected.scores.to_numpy(), equal_nan=True)
    assert list(actual.scores.index) == units
    assert repr(dataset) == f"Dataset({len(units)} units × {len(columns)} columns)"
    # The framework keeps its parsed form for Datasets; copies and pickles carry the document.
    copied = pickle.loads(pickle.dumps(copy.deepcopy(framework)))
    assert copied.to_json() == framework.to_json()
    assert np.array_equal(
        cityindex.score(copied, dataset, recipe).scores.to_numpy(), expected.scores.to_numpy(), equal_nan=True
    )
    # The other functions read the Dataset's values: the same results as from the frame.
    frame = data.drop(columns=["Time"])
    from_frame = cityindex.analyse(framework, frame, recipe)
    from_dataset = cityindex.analyse(framework, cityindex.Dataset(frame, framework), recipe)
    assert from_dataset.statistics.equals(from_frame.statistics)
    spec = {"replicates": 20, "seed": 5, "weights": {"fraction": 0.2, "levels": [2]}}
    a = cityindex.uncertainty(framework, cityindex.Dataset(frame, framework), recipe, spec, progress=False)
    b = cityindex.uncertainty(framework, frame, recipe, spec, progress=False)
    assert a.summary().equals(b.summary())


def test_ranking_orders_by_rank_with_ties_and_missing_ranks_in_data_order() -> None:
    framework = {"nodes": [{"id": "i", "children": [{"id": "a"}, {"id": "b"}]}]}
    data = pd.DataFrame(
        {"a": [1.0, 3.0, np.nan, 3.0, 2.0], "b": [1.0, 3.0, 5.0, 3.0, 2.0]}, index=["u", "v", "w", "x", "y"]
    )
    result = cityindex.score(framework, data, {"aggregate": {"availability_threshold": 1}})
    table = result.ranking("i")
    assert list(table.index) == ["v", "x", "y", "u", "w"]
    assert np.array_equal(table["rank"].to_numpy(), [1.0, 1.0, 3.0, 4.0, np.nan], equal_nan=True)
    assert np.array_equal(table["score"].to_numpy(), result.scores["i"].loc[table.index].to_numpy(), equal_nan=True)
    before_ranks = result.ranking("a")
    assert list(result.ranks.columns) == list(result.scores.columns)  # now every rank is kept
    assert result.ranking("a").equals(before_ranks)


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


@pytest.mark.parametrize("path", sorted((VECTORS / "draws").glob("*.json")), ids=lambda p: p.stem)
def test_draws_are_the_same_from_json_and_from_a_dataframe_table(path: Path) -> None:
    """One framework, given as its JSON document or as its iMeta table in a DataFrame (rows not in
    the canonical order), draws the same weights and choices for one seed as Rust does, to the bit."""
    vector = load(path)
    expected = vector["expected"]
    frame = data_frame(vector["data"])
    table = pd.read_csv(io.StringIO(vector["framework_table"]), dtype=str, keep_default_na=False)
    for framework in (cityindex.Framework(vector["framework"]), cityindex.Framework.from_table(table)):
        u = cityindex.uncertainty(framework, frame, vector["recipe"], vector["uncertainty"], progress=False)
        weights = u.replicates[[f"weight:{node}" for node in expected["perturbed"]]].to_numpy()
        assert np.array_equal(weights, np.array(expected["weight_factors"]))
        stages = [choice["stage"] for choice in vector["uncertainty"]["choices"]]
        assert u.replicates[stages].to_numpy().tolist() == expected["choices"]
        assert np.array_equal(u.ranks[u.nodes[0]].to_numpy(), np.array(expected["ranks"]), equal_nan=True)
        run = vector["sensitivity"]
        s = cityindex.sensitivity(
            framework,
            frame,
            vector["recipe"],
            run["spec"],
            node=run["node"],
            base_points=run["base_points"],
            resamples=run["resamples"],
            progress=False,
        )
        assert list(s.indices.index) == expected["sensitivity_inputs"]
        for column, values in expected["sensitivity_rank_shift"].items():
            assert same_bits(s.indices[column].to_numpy(), values), column
