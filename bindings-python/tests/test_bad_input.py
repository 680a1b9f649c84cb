"""The shared bad-input corpus (tests/bad-input/cases.json) through Python: each case raises a
``cityindex.Error`` with the corpus' code (its message naming what the case says), or scores with
every value finite or missing and ranks ordered as the scores. Rust and JavaScript read the same
file."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import cityindex

CASES = json.loads((Path(__file__).parents[2] / "tests" / "bad-input" / "cases.json").read_text())["cases"]


def _frame(data: dict[str, Any]) -> pd.DataFrame:
    columns = {k: [math.nan if v is None else float(v) for v in values] for k, values in data["columns"].items()}
    return pd.DataFrame(columns, index=pd.Index(data["units"], dtype=object), dtype=float)


def _run(case: dict[str, Any]) -> list[np.ndarray]:
    framework = cityindex.Framework(case["framework"])
    data = _frame(case["data"])
    if case["call"] in ("score", "model"):
        if case["call"] == "model":
            result = cityindex.fit(framework, data, case["recipe"]).transform(_frame(case["new"]))
        else:
            result = cityindex.score(framework, data, case["recipe"])
        return [result.scores.to_numpy(), result.ranks.to_numpy()]
    result_u = cityindex.uncertainty(framework, data, case["recipe"], case["spec"], progress=False)
    return [result_u.summary().select_dtypes("number").to_numpy()]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case_answers_as_the_corpus_says(case: dict[str, Any]) -> None:
    if "python" not in case.get("surfaces", ["python"]):
        pytest.skip("not a Python input")
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(cityindex.Error) as caught:
            _run(case)
        assert caught.value.code == expect["error"], str(caught.value)
        if "mentions" in expect:
            assert expect["mentions"] in str(caught.value)
        return
    results = _run(case)
    for values in results:
        assert not np.isinf(values).any()
    if case["call"] in ("score", "model"):
        scores, ranks = results
        assert (np.isnan(scores) == np.isnan(ranks)).all()
