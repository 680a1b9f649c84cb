"""Arrow in and out: any object with the Arrow PyCapsule interface (pyarrow, polars) is read
without pandas, a single float64 indicator without copying it, and results come back as Arrow."""

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import cityindex
from cityindex import inputs

polars = pytest.importorskip("polars")

FW = {"nodes": [{"id": "index", "children": [{"id": "a"}, {"id": "b", "direction": -1}]}]}


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"uCode": ["x", "y", "z"], "a": [1.0, 5.0, 3.0], "b": [2.0, 1.0, np.nan]})


def test_polars_and_pyarrow_give_pandas_bits() -> None:
    expected = cityindex.score(FW, _frame().set_index("uCode")).scores
    for table in (pa.table(_frame()), polars.from_pandas(_frame())):
        scores = cityindex.score(FW, table).scores
        pd.testing.assert_frame_equal(scores, expected, check_exact=True, check_index_type=False)


def test_a_float64_column_reaches_the_core_without_a_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    table = pa.table({"uCode": ["x", "y", "z"], "a": pa.array([1.0, 5.0, 3.0])})
    buffer_address = table["a"].chunk(0).buffers()[1].address
    seen: dict[str, Any] = {}
    original = cityindex._native.score

    def spy(framework: Any, data: Any, recipe: str) -> Any:
        seen["address"] = data.values.__array_interface__["data"][0]
        seen["f_contiguous"] = data.values.flags.f_contiguous
        return original(framework, data, recipe)

    monkeypatch.setattr(cityindex._native, "score", spy)
    result = cityindex.score({"nodes": [{"id": "index", "children": [{"id": "a"}]}]}, table)
    assert seen == {"address": buffer_address, "f_contiguous": True}
    assert list(result.ranks["index"]) == [3.0, 1.0, 2.0]


def test_results_as_arrow() -> None:
    result = cityindex.score(FW, polars.from_pandas(_frame()))
    table = result.to_arrow()
    assert table.column_names == ["unit", "a", "b", "index"]
    assert table["unit"].to_pylist() == ["x", "y", "z"]
    assert table["b"].null_count == 1  # z has no b: missing, not NaN
    np.testing.assert_array_equal(table["index"].to_numpy(), result.scores["index"].to_numpy())
    assert result.to_arrow("ranks")["index"].to_pylist() == list(result.ranks["index"])


def test_arrow_panels_and_errors() -> None:
    framework, panel, recipe = cityindex.builtin("desi-2022")
    arrow_panel = pa.table(panel)
    ours = cityindex.score(framework, arrow_panel, recipe, period=2022).scores
    pd.testing.assert_frame_equal(
        ours, cityindex.score(framework, panel, recipe, period=2022).scores, check_exact=True, check_index_type=False
    )
    trends = cityindex.score_panel(framework, polars.from_arrow(arrow_panel), recipe).trends("DESI")
    assert trends.index[0] == panel["uCode"].iloc[0]
    with pytest.raises(cityindex.DataError, match="6 periods") as caught:
        cityindex.score(framework, arrow_panel, recipe)
    assert caught.value.code == "data.several_periods"
    bad = pa.table({"uCode": ["x"], "a": ["one"], "b": [1.0]})
    with pytest.raises(cityindex.DataError, match="column `a` holds string"):
        cityindex.score(FW, bad)
    assert inputs._arrow_column(pa.chunked_array([[1, 2], [None]]), "n").tolist()[:2] == [1.0, 2.0]
