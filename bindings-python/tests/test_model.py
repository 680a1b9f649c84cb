"""Fitted models from Python: `fit(...).transform(data)` is `score(data)` bit for bit, the JSON
form reads back, and a new unit is placed in DESI 2022 where a full re-score places it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import cityindex


def test_the_population_gets_scores_bits_and_the_model_reads_back(tmp_path: Path) -> None:
    framework, panel, recipe = cityindex.builtin("desi-2022")
    model = cityindex.fit(framework, panel, recipe, period=2022)
    local = cityindex.score(framework, panel, recipe, period=2022)
    ours = model.transform(panel, period=2022)
    assert np.array_equal(ours.scores.to_numpy(), local.scores.to_numpy(), equal_nan=True)
    assert np.array_equal(ours.ranks.to_numpy(), local.ranks.to_numpy(), equal_nan=True)
    model.save(tmp_path / "desi.json")
    again = cityindex.Model.load(tmp_path / "desi.json")
    assert again.to_json() == model.to_json()
    assert "27 units" in repr(model)


def test_a_new_unit_is_placed_where_a_rescore_places_it() -> None:
    framework, panel, recipe = cityindex.builtin("desi-2022")
    data = panel[panel["Time"] == 2022].drop(columns="Time")
    full = cityindex.score(framework, data, recipe)
    for newcomer in ["DK", "PL"]:
        others = data[data.index != newcomer] if "uCode" not in data.columns else data[data["uCode"] != newcomer]
        alone = data[data.index == newcomer] if "uCode" not in data.columns else data[data["uCode"] == newcomer]
        model = cityindex.fit(framework, others, recipe)
        placed = model.transform(alone)
        assert np.array_equal(placed.scores.to_numpy()[0], full.scores.loc[newcomer].to_numpy(), equal_nan=True)
        assert model.place(placed, "DESI").iloc[0] == full.ranks.loc[newcomer, "DESI"]
