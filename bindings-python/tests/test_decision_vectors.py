"""The decision vectors (`tests/vectors/decision/`): MCDA, weights, AHP, rank comparisons,
trends, benefit of the doubt, optimised weights and remove-one-element through the Python API
give the Rust core's results bit for bit."""

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import cityindex
from cityindex import mcda
from cityindex.uncertainty import combine, run_replicates

VECTORS = sorted((Path(__file__).resolve().parents[2] / "tests" / "vectors" / "decision").glob("*.json"))

METHODS: dict[str, Any] = {
    "topsis": lambda p: mcda.TOPSIS("vector" if p.get("scaling") == "vector" else "minmax"),
    "vikor": lambda p: mcda.VIKOR(p["v"]),
    "promethee_ii": lambda p: mcda.PROMETHEE_II(),
    "copras": lambda p: mcda.COPRAS(),
    "edas": lambda p: mcda.EDAS(),
    "moora": lambda p: mcda.MOORA(),
    "waspas": lambda p: mcda.WASPAS(p["lambda"]),
    "mpi": lambda p: mcda.MPI(p["adjusted"]),
}

WEIGHTS: dict[str, Any] = {
    "equal": lambda m, t: cityindex.weights.equal_weights(m),
    "entropy": lambda m, t: cityindex.weights.entropy_weights(m),
    "critic": lambda m, t: cityindex.weights.critic_weights(m, t),
    "critic_direction_blind": lambda m, t: cityindex.weights.critic_weights(m),
    "standard_deviation": lambda m, t: cityindex.weights.standard_deviation_weights(m),
    "merec": lambda m, t: cityindex.weights.merec_weights(m, t),
    "pca": lambda m, t: cityindex.weights.pca_weights(m),
}

COMPARE: dict[str, Any] = {
    "spearman_rs": cityindex.compare.spearman,
    "weighted_spearman": cityindex.compare.weighted_spearman,
    "ws_coefficient": cityindex.compare.ws_coefficient,
    "kendall_tau": cityindex.compare.kendall_tau,
    "goodman_kruskal_gamma": cityindex.compare.goodman_kruskal_gamma,
}


def _same(ours: Any, theirs: Any) -> None:
    """Equal bit for bit (NaN where the core gives null)."""
    a = np.atleast_1d(np.asarray(ours, dtype=np.float64))
    b = np.asarray([np.nan if v is None else v for v in np.atleast_1d(theirs)], dtype=np.float64)
    assert a.shape == b.shape
    assert np.array_equal(a, b, equal_nan=True), (a, b)


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_decision_vector(path: Path) -> None:
    vector = json.loads(path.read_text())
    call, expected = vector["call"], vector["expected"]
    function = call["function"]
    if function == "mcda":
        method = METHODS[call["method"]["method"]](call["method"])
        matrix = np.array(call["matrix"], dtype=np.float64)
        preferences = method(matrix, call["weights"], call["types"])
        _same(preferences, expected["mcda"]["preferences"])
        _same(method.rank(preferences), expected["mcda"]["ranks"])
    elif function == "weights":
        ours = WEIGHTS[call["method"]["method"]](np.array(call["matrix"]), call["types"])
        _same(ours, expected["weights"])
    elif function == "ahp":
        result = cityindex.weights.ahp(call["pairwise"], accept_inconsistent=True)
        _same(result.weights, expected["ahp"]["weights"])
        _same(result.consistency_ratio, expected["ahp"]["consistency_ratio"])
    elif function == "compare_rankings":
        _same(COMPARE[call["measure"]](call["x"], call["y"]), expected["value"])
    elif function == "trend_table":
        framework, panel, recipe = cityindex.builtin(call["builtin"])
        table = cityindex.score_panel(framework, panel, recipe).trend_table(call["node"], call["from"], call["to"])
        want = expected["trend_table"]
        assert sorted(table.index) == sorted(want["units"])
        for unit, row in zip(want["units"], want["rows"], strict=True):
            _same(table.loc[unit].iloc[1:].to_numpy(dtype=np.float64), row)
    elif function == "targets":
        framework, panel, _ = cityindex.builtin(call["builtin"])
        table = cityindex.targets(framework, panel).reset_index()
        want = expected["targets"]
        assert list(zip(table["indicator"], table["unit"], table["status_code"], strict=True)) == [
            (w["indicator"], w["unit"], w["status"]) for w in want
        ]
        for column in ["base", "latest", "actual_growth", "required_growth", "ratio"]:
            _same(table[column].to_numpy(dtype=np.float64), [w[column] for w in want])
    elif function in ("place_units", "merged_fit"):
        framework, panel, recipe = cityindex.builtin(call["builtin"])
        data = panel[panel["Time"] == call["period"]].drop(columns="Time").reset_index(drop=True)
        if function == "place_units":
            new = data["uCode"].isin(call["units"])
            model = cityindex.fit(framework, data[~new], recipe)
            want = expected["placed"]
            assert model.to_json() == want["model"]
            scored = model.transform(data[new])
            assert list(scored.scores.index) == want["units"]
            _same(scored.scores[want["nodes"]].to_numpy(), want["scores"])
            _same(model.place(scored, call["node"]).to_numpy(), want["places"])
            assert cityindex.Model.from_json(want["model"]).to_json() == want["model"]
        else:
            cuts = call["cuts"]
            parts = [data.iloc[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]

            def merged(means: str | None) -> tuple[str, str | None]:
                return cityindex.model.merge_summaries(
                    [cityindex.model.summarise(framework, p, call["recipe"], means) for p in parts]
                )

            summary, means = merged(None)
            if means is not None:
                summary, _ = merged(means)
            assert cityindex.model.from_summary(framework, call["recipe"], summary).to_json() == expected["model"]
    elif function == "uncertainty_parts":
        framework, panel, recipe = cityindex.builtin(call["builtin"])
        data = panel[panel["Time"] == call["period"]].drop(columns="Time").reset_index(drop=True)
        cuts = call["cuts"]
        runs = [
            run_replicates(framework, data, recipe, call["spec"], a, b) for a, b in zip(cuts, cuts[1:], strict=False)
        ]
        combined = combine(framework, data, recipe, call["spec"], runs[::-1])
        want = expected["replicates"]
        _same(combined.ranks[combined.nodes[0]].to_numpy(), want["ranks"])
        _same(combined.summaries[combined.nodes[0]]["median"].to_numpy(), want["medians"])
    elif function == "rank_in_partition":
        values = np.array([np.nan if x is None else x for x in call["values"]], dtype=np.float64)
        earlier = [(int(n), int(d)) for n, d in call["earlier"]]
        _same(cityindex._native.rank_in_partition(values, call["ties"], earlier), expected["ranks"])
    elif function == "trends":
        framework, panel, recipe = cityindex.builtin(call["builtin"])
        metric = call["metric"]
        trends = cityindex.score_panel(framework, panel, recipe).trends(
            call["node"], metric["metric"], per=metric.get("per", 1.0)
        )
        assert list(trends.index) == expected["trends"]["units"]
        _same(trends.to_numpy(), expected["trends"]["values"])
    elif function == "benefit_of_the_doubt":
        bounds = call["bounds"]
        bod = cityindex.weights.benefit_of_the_doubt(
            np.array(call["matrix"]),
            min_share=bounds.get("min"),
            max_share=bounds.get("max"),
            weight_min=bounds.get("weight_min"),
        )
        _same(bod.scores, expected["benefit_of_the_doubt"]["scores"])
        assert np.array_equal(bod.weights, np.array(expected["benefit_of_the_doubt"]["weights"]))
    elif function == "optimise_level_weights":
        framework, panel, recipe = cityindex.builtin(call["builtin"])
        search = call["optimiser"]
        if search["optimiser"] == "coinr":
            assert (search["reltol"], search["maxit"]) == (0.1, 500)
        level = cityindex.weights.optimise_level_weights(
            framework,
            panel,
            recipe,
            period=call["period"],
            level=call["level"],
            aim=call["aim"]["aim"],
            shares=call["aim"].get("shares"),
            correlation=call["correlation"],
            optimiser=search["optimiser"],
            max_iterations=search.get("max_iterations", 1000),
        )
        want = expected["level_weights"]
        assert list(level.weights.index) == want["nodes"]
        _same(level.weights, want["weights"])
        _same(level.correlations, want["correlations"])
        _same(level.objective, want["objective"])
        assert level.iterations == want["iterations"]
    elif function == "remove_elements":
        framework, panel, recipe = cityindex.builtin(call["builtin"])
        effects = cityindex.remove_elements(
            framework, panel, recipe, period=call["period"], level=call["level"], target=call["target"]
        )
        assert list(effects.index) == [e["removed"] for e in expected["removals"]]
        _same(effects, [e["mean_absolute_rank_change"] for e in expected["removals"]])
    else:
        raise AssertionError(f"unknown function {function}")


def test_misspelt_and_malformed_arguments_are_named() -> None:
    with pytest.raises(cityindex.MethodError, match="normalization `l2` is not one of: minmax, vector"):
        mcda.TOPSIS("l2")
    with pytest.raises(cityindex.MethodError, match="`types`: direction must be 1 or -1, got 2"):
        mcda.TOPSIS()(np.ones((3, 2)), [1, 1], [1, 2])
    with pytest.raises(cityindex.MethodError, match="2 dimensions"):
        mcda.TOPSIS()(np.ones(3), [1], [1])
    with pytest.raises(cityindex.MethodError, match="consistency ratio"):
        cityindex.weights.ahp([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])


def test_version() -> None:
    assert cityindex.__version__.count(".") == 2


def test_weights_optimised_for_one_node_and_sizes_refused() -> None:
    framework, panel, recipe = cityindex.builtin("desi-2022")
    best = cityindex.weights.optimise_weights(
        framework, panel, recipe, period=2022, node="DESI", target="DESI", max_iterations=200
    )
    assert list(best.weights.index) == ["HC", "CN", "IDT", "DPS"]
    assert abs(best.weights.sum() - 1) < 1e-12
    assert best.correlations.min() > 0.5
    with pytest.raises(cityindex.MethodError) as caught:
        cityindex.weights.optimise_level_weights(framework, panel, recipe, period=2022, level=3, max_iterations=10**9)
    assert caught.value.code == "method.too_large"
    with pytest.raises(cityindex.MethodError, match="level 4294967296 is not a level"):
        cityindex.remove_elements(framework, panel, recipe, period=2022, level=2**32, target="DESI")
    with pytest.raises(cityindex.MethodError, match="negative values"):
        cityindex.weights.benefit_of_the_doubt([[1.0, -1.0], [2.0, 3.0]])


def test_trend_table_and_targets_match_the_command_line() -> None:
    framework, panel, recipe = cityindex.builtin("desi-2022")
    table = cityindex.score_panel(framework, panel, recipe).trend_table()
    assert list(table.columns) == [
        "name",
        "score 2017",
        "score 2022",
        "change",
        "cagr",
        "rank 2017",
        "rank 2022",
        "places gained",
    ]
    assert table.index[0] == "FI" and table.loc["NL", "places gained"] == 1
    assert table.index[-1] == "EU" and np.isnan(table["rank 2022"].to_numpy()[-1])
    progress = cityindex.targets(framework, panel)
    eu = progress.xs("EU", level="unit")
    assert list(eu.index) == ["1a1", "2b2", "2c2", "3a1", "3b3", "3b4", "3b5", "4a3", "4a4"]
    assert eu.loc["1a1", "status"] == "off track" and eu.loc["2b2", "status"] == "on track"
    assert eu.loc["4a3", "status"] == "moderate progress"
