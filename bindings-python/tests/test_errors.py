"""Bad input gets a clear exception with a stable code, naming what is at fault; never a crash and
never a silent NaN."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import cityindex

FRAMEWORK: dict[str, Any] = {
    "nodes": [
        {
            "id": "Index",
            "children": [
                {"id": "online", "direction": 1},
                {"id": "waiting", "direction": -1},
            ],
        }
    ]
}
RECIPE: dict[str, Any] = {"normalise": {"default": {"method": "min_max"}}}


def frame(**columns: list[Any]) -> pd.DataFrame:
    data = {"online": [1.0, 2.0, 3.0, 4.0], "waiting": [5.0, 4.0, 6.0, 8.0]}
    data.update(columns)
    return pd.DataFrame(data, index=["Oslo", "Lyon", "Porto", "Graz"])


def test_a_small_framework_scores() -> None:
    result = cityindex.score(FRAMEWORK, frame(), RECIPE)
    # min-max onto 0-100: online (÷100) 0, 1/3, 2/3, 1; waiting (lower is better) 3/4, 1, 1/2, 0.
    assert list(result.ranking().index) == ["Lyon", "Porto", "Graz", "Oslo"]
    assert list(result.ranking()["rank"]) == [1.0, 2.0, 3.0, 4.0]
    assert result.scores.loc["Lyon", "Index"] == pytest.approx(100 * (1 / 3 + 1) / 2, abs=1e-12)
    assert "Lyon" in result._repr_html_()


@pytest.mark.parametrize(
    ("document", "code", "named"),
    [
        ({"nodes": [{"id": "a", "children": [{"id": "b"}, {"id": "b"}]}]}, "framework.duplicate_id", "b"),
        ({"nodes": [{"id": "a", "children": [{"id": "b", "weight": -1}]}]}, "framework.invalid_weight", "b"),
        ({"nodes": []}, "framework.empty", None),
    ],
)
def test_invalid_frameworks_raise_framework_error(document: dict[str, Any], code: str, named: str | None) -> None:
    with pytest.raises(cityindex.FrameworkError) as caught:
        cityindex.Framework(document)
    assert caught.value.code == code
    if named:
        assert f"`{named}`" in str(caught.value)


def test_malformed_json_is_a_framework_error() -> None:
    with pytest.raises(cityindex.FrameworkError):
        cityindex.Framework("{not json")


def test_text_in_a_numeric_column_names_column_and_value() -> None:
    with pytest.raises(cityindex.DataError, match="column `online`: `n/a` is not a number") as caught:
        cityindex.score(FRAMEWORK, frame(online=[1.0, "n/a", 3.0, 4.0]), RECIPE)
    assert caught.value.code == "data.not_a_number"


def test_missing_values_in_any_spelling_are_missing() -> None:
    spellings = frame(online=[1.0, None, 3.0, np.nan], waiting=[5.0, 4.0, pd.NA, 8.0])
    result = cityindex.score(FRAMEWORK, spellings, RECIPE)
    assert result.scores["online"].isna().tolist() == [False, True, False, True]
    assert result.scores["waiting"].isna().tolist() == [False, False, True, False]
    assert list(result.coverage["Index"]) == [1.0, 0.5, 0.5, 0.5]


def test_duplicated_units_are_named() -> None:
    data = frame()
    data.index = ["Oslo", "Oslo", "Porto", "Graz"]
    with pytest.raises(cityindex.DataError, match="`Oslo`") as caught:
        cityindex.score(FRAMEWORK, data, RECIPE)
    assert caught.value.code == "data.duplicate_unit"


def test_a_dataset_checks_its_data_when_made_and_takes_no_second_columns_or_period() -> None:
    data = frame()
    data.index = ["Oslo", "Oslo", "Porto", "Graz"]
    with pytest.raises(cityindex.DataError, match="`Oslo`") as caught:
        cityindex.Dataset(data)
    assert caught.value.code == "data.duplicate_unit"
    with pytest.raises(cityindex.DataError, match="not a number"):
        cityindex.Dataset(frame(online=[1.0, "two", 3.0, 4.0]))
    dataset = cityindex.Dataset(frame())
    given: list[tuple[str, dict[str, Any]]] = [
        ("columns", {"columns": ["online"]}),
        ("units", {"units": ["a"]}),
        ("period", {"period": 2022}),
    ]
    for name, arguments in given:
        with pytest.raises(cityindex.DataError, match=f"`{name}`") as caught:
            cityindex.score(FRAMEWORK, dataset, RECIPE, **arguments)
        assert caught.value.code == "data.invalid_input"
    with pytest.raises(cityindex.DataError, match="none of the data's columns") as caught:
        cityindex.score(FRAMEWORK, cityindex.Dataset(frame().rename(columns=str.upper)), RECIPE)
    assert caught.value.code == "data.no_indicator_columns"


def test_a_missing_indicator_column_is_named() -> None:
    with pytest.raises(cityindex.Error, match="waiting"):
        cityindex.score(FRAMEWORK, frame().drop(columns=["waiting"]), RECIPE)


def test_infinite_values_are_rejected() -> None:
    with pytest.raises(cityindex.DataError, match="Lyon"):
        cityindex.score(FRAMEWORK, frame(online=[1.0, np.inf, 3.0, 4.0]), RECIPE)


def test_unknown_recipe_keys_and_methods_are_rejected() -> None:
    with pytest.raises(cityindex.Error, match="normalize"):
        cityindex.score(FRAMEWORK, frame(), {"normalize": {}})
    with pytest.raises(cityindex.MethodError) as caught:
        cityindex.score(FRAMEWORK, frame(), {"normalise": {"default": {"method": "min_maxx"}}})
    assert caught.value.code == "method.unknown"
    assert str(caught.value).startswith(
        "`normalise.default.method`: unknown `min_maxx` (did you mean `min_max`?); the valid ones are `min_max`,"
    )
    assert "line" not in str(caught.value)


def test_a_degenerate_column_is_a_score_error_naming_the_indicator() -> None:
    with pytest.raises(cityindex.ScoreError, match="`online`") as caught:
        cityindex.score(
            FRAMEWORK, frame(online=[2.0, 2.0, 2.0, 2.0]), {"normalise": {"default": {"method": "z_score"}}}
        )
    assert caught.value.code == "score.degenerate_column"


def test_array_shape_and_columns_are_checked() -> None:
    with pytest.raises(cityindex.DataError, match="columns"):
        cityindex.score(FRAMEWORK, np.ones((4, 2)), RECIPE)
    with pytest.raises(cityindex.DataError, match="shape"):
        cityindex.score(FRAMEWORK, np.ones((4, 3)), RECIPE, columns=["online", "waiting"])


def test_panels_need_a_period() -> None:
    framework, panel, recipe = cityindex.builtin("desi-2022")
    with pytest.raises(cityindex.DataError, match="period=") as caught:
        cityindex.score(framework, panel, recipe)
    assert caught.value.code == "data.several_periods"
    with pytest.raises(cityindex.DataError, match="1999"):
        cityindex.score(framework, panel, recipe, period=1999)


def test_unknown_builtin_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="nope"):
        cityindex.builtin("nope")


def test_every_error_is_a_value_error_for_generic_handlers() -> None:
    assert issubclass(cityindex.FrameworkError, ValueError)
    assert issubclass(cityindex.DataError, cityindex.Error)


def test_a_misspelt_recipe_key_lists_the_valid_ones() -> None:
    with pytest.raises(cityindex.Error, match="normalize") as caught:
        cityindex.score(FRAMEWORK, frame(), {"normalize": {}})
    assert "normalise" in str(caught.value)


def test_object_dtype_columns_of_numbers_are_read() -> None:
    objects = frame().astype(object)
    assert objects["online"].dtype == object
    plain = cityindex.score(FRAMEWORK, frame(), RECIPE)
    assert cityindex.score(FRAMEWORK, objects, RECIPE).scores.equals(plain.scores)


def test_a_frame_matching_no_indicator_is_rejected_with_both_lists() -> None:
    transposed = frame().T
    with pytest.raises(cityindex.DataError, match="none of the data's columns") as caught:
        cityindex.score(FRAMEWORK, transposed, RECIPE)
    assert caught.value.code == "data.no_indicator_columns"
    assert "Oslo" in str(caught.value) and "online" in str(caught.value)


# Every input a user can get wrong raises a cityindex.Error with a code, naming the argument:
# never a bare TypeError, ValueError, OverflowError or RecursionError, nor a JSON position.
_FW = {"nodes": [{"id": "index", "children": [{"id": "a"}, {"id": "b"}]}]}
_FRAME = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]}, index=["x", "y", "z"])


@pytest.mark.parametrize(
    ("call", "code", "named"),
    [
        (lambda: cityindex.score(_FW, _FRAME, {"weights": {"a": float("nan")}}), "score.json", "weights.a"),
        (lambda: cityindex.score(_FW, _FRAME, {"weights": {"a": object()}}), "score.json", "cannot be written"),
        (
            lambda: cityindex.uncertainty(
                _FW, _FRAME, None, {"replicates": 5, "weights": {"fraction": float("inf")}}, progress=False
            ),
            "method.invalid_parameter",
            "weights.fraction",
        ),
        (
            lambda: cityindex.uncertainty(_FW, _FRAME, None, {"replicates": "abc"}, progress=False),
            "method.invalid_parameter",
            "replicates",
        ),
        (lambda: cityindex.uncertainty(_FW, _FRAME, None, [1, 2], progress=False), "method.invalid_parameter", None),  # type: ignore[arg-type]
        (
            lambda: cityindex.uncertainty(_FW, _FRAME, None, {"replicates": 5, "seed": 2**64}, progress=False),
            "method.invalid_parameter",
            None,
        ),
        (lambda: cityindex.sobol_indices(np.zeros(12), 1, seed=2**64), "method.invalid_parameter", "`seed`"),
        (lambda: cityindex.sobol_indices(np.zeros(12), 1, resamples=-1), "method.invalid_parameter", "`resamples`"),
        (lambda: cityindex.sobol_indices(np.zeros(12, dtype=complex), 1), "method.invalid_parameter", "complex"),
        (lambda: cityindex.sobol(lambda x: x[:, 0], [(0, 1)], n=10**10), "method.too_large", "limit"),
        (
            lambda: cityindex.sensitivity(_FW, _FRAME, None, {"replicates": 1}, base_points=10**9, progress=False),
            "method.too_large",
            "limit",
        ),
        (lambda: cityindex.sobol(lambda x: x[:, 0], [("a", 1)]), "method.invalid_parameter", "ranges"),  # type: ignore[list-item]
        (
            lambda: cityindex.score(_FW, _FRAME.set_axis(["x", np.nan, "z"])),
            "data.empty_unit_id",
            "unit number 2",
        ),
        (lambda: cityindex.score(_FW, _FRAME.assign(Time=[2022, 2022.5, 2022])), "data.invalid_period", "2022.5"),
        (lambda: cityindex.score(_FW, _FRAME.assign(Time=[2022, np.nan, 2022])), "data.invalid_period", "row 2"),
        (
            lambda: cityindex.score(_FW, _FRAME.assign(Time=pd.to_datetime(["2022-01-01"] * 3))),
            "data.invalid_period",
            "dates",
        ),
        (
            lambda: cityindex.score(_FW, _FRAME.assign(a=pd.to_datetime(["2022-01-01"] * 3))),
            "data.not_a_number",
            "column `a` holds dates",
        ),
        (lambda: cityindex.score(_FW, _FRAME.assign(a=[1 + 2j, 2, 3])), "data.not_a_number", "complex"),
        (lambda: cityindex.score(_FW, np.zeros(3), columns=["a"]), "data.invalid_input", "2 dimensions"),
        (lambda: cityindex.score(_FW, np.zeros((3, 2, 1)), columns=["a", "b"]), "data.invalid_input", "not 3"),
        (
            lambda: cityindex.score(_FW, np.array([["1", "x"], ["2", "y"]]), columns=["a", "b"]),
            "data.not_a_number",
            "not numbers",
        ),
        (
            lambda: cityindex.score(_FW, np.ones((2, 2)), columns=["a", "b"], units=["x", float("nan")]),  # type: ignore[list-item]
            "data.empty_unit_id",
            "unit number 2",
        ),
        (lambda: cityindex.Framework({"nodes": [{"id": "i", "children": []}]}), "framework.empty_aggregate", "`i`"),
        (
            lambda: cityindex.Framework({"nodes": [{"id": "i", "children": [{"id": "Time"}]}]}),
            "framework.reserved_id",
            "Time",
        ),
        (lambda: cityindex.Framework.from_table(42), "framework.table", "CSV text"),  # type: ignore[arg-type]
    ],
)
def test_every_bad_argument_is_a_coded_error(call: Any, code: str, named: str | None) -> None:
    with pytest.raises(cityindex.Error) as caught:
        call()
    assert caught.value.code == code, str(caught.value)
    if named is not None:
        assert named in str(caught.value)


def test_a_deep_framework_is_too_deep_not_a_recursion_error() -> None:
    node: dict[str, Any] = {"id": "a"}
    for k in range(100):
        node = {"id": f"n{k}", "children": [node]}
    with pytest.raises(cityindex.FrameworkError) as caught:
        cityindex.Framework({"nodes": [node]})
    assert caught.value.code == "framework.too_deep"
    node = {"id": "a"}
    for k in range(5000):  # deeper than Python's own JSON writer goes
        node = {"id": f"n{k}", "children": [node]}
    with pytest.raises(cityindex.FrameworkError) as caught:
        cityindex.Framework({"nodes": [node]})
    assert caught.value.code == "framework.json"


def test_results_carry_names_bands_and_unranked_aggregates() -> None:
    framework, panel, recipe = cityindex.builtin("desi-2022")
    result = cityindex.score(framework, panel, recipe, period=2022)
    ranking = result.ranking()
    assert list(ranking.columns) == ["name", "rank", "score"]
    assert ranking.loc["RO", "name"] == "Romania" and ranking.loc["RO", "rank"] == 27
    assert ranking.index[-1] == "EU" and np.isnan(ranking["rank"].to_numpy()[-1])
    assert result.aggregates == ["EU"] and result.names["FI"] == "Finland"
    assert result.node_names["DPS"] == "Digital public services"
    framework, panel, recipe = cityindex.builtin("un-egdi")
    egdi = cityindex.score(framework, panel, recipe, period=2024).ranking()
    assert list(egdi.columns) == ["name", "rank", "score", "band"]
    assert egdi.iloc[0].tolist() == ["Denmark", 1.0, egdi.iloc[0]["score"], "very high"]
