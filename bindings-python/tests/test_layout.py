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
