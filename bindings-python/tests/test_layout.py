"""COINr's iData layout is read by the core's rule: Python asks it which column is what."""

from cityindex import _native


def test_each_column_gets_its_role_from_the_core() -> None:
    headers = ["uCode", "uName", "Time", "Group_income", "GDP_group", "broadband"]
    assert _native.column_roles(headers, ["GDP_group"]) == [
        "unit_id",
        "unit_name",
        "period",
        "group",
        "group",
        "indicator",
    ]
    assert _native.layout_names() == ("uCode", "uName", "Time")


def test_a_column_of_text_beside_a_default_index_is_named() -> None:
    import pandas as pd
    import pytest

    import cityindex

    frame = pd.DataFrame({"city": ["Tallinn", "Lisbon"], "a": [1.0, 2.0]})
    fw = {"nodes": [{"id": "i", "children": [{"id": "a"}]}]}
    with pytest.raises(cityindex.DataError, match=r"`city` holds text: make it the index \(`df.set_index\('city'\)`\)"):
        cityindex.score(fw, frame)
    assert list(cityindex.score(fw, frame.set_index("city")).scores.index) == ["Tallinn", "Lisbon"]


def test_discoverable_frameworks() -> None:
    import pytest

    import cityindex

    with pytest.raises(KeyError, match="known: desi-2022, "):
        cityindex.builtin("desi")
    framework, _, _ = cityindex.builtin("desi-2022")
    assert repr(framework).startswith("<Framework 'Digital Economy and Society Index (DESI) 2022': 33 indicators")
    assert "<code>DESI</code>" in framework._repr_html_()
    recipe: cityindex.types.Recipe = {"normalise": {"default": {"method": "min_max"}}}
    assert cityindex.score(framework, cityindex.builtin("desi-2022")[1], recipe, period=2022).scores.shape[0] == 28
    assert "normalise" in (cityindex.score.__doc__ or "")
