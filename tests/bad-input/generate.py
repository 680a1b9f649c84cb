"""Writes cases.json, the bad-input corpus shared by the Rust, Python and JavaScript suites.
Add a case here, run `python3 tests/bad-input/generate.py`, commit both files."""

import json
from pathlib import Path

T = {
    "nodes": [
        {
            "id": "index",
            "children": [
                {"id": "p1", "children": [{"id": "a"}, {"id": "b"}]},
                {"id": "p2", "children": [{"id": "c"}, {"id": "d", "direction": -1}]},
            ],
        }
    ]
}


def fw(**over):
    """The test framework T with fields of named nodes replaced: fw(a={"weight": 2})."""
    f = json.loads(json.dumps(T))
    stack = list(f["nodes"])
    while stack:
        n = stack.pop()
        n.update(over.get(n["id"], {}))
        stack.extend(n.get("children", []))
    return f


U = ["u1", "u2", "u3", "u4"]


def data(**cols):
    base = {"a": [1, 2, 3, 4], "b": [4, 3, 2, 1], "c": [10, 20, 30, 45], "d": [5, 6, 7, 8]}
    base.update(cols)
    return {"units": U, "columns": base}


cases = []


def case(name, cls, expect, call="score", framework=None, data_=None, recipe=None, spec=None, mentions=None):
    c = {
        "name": name,
        "class": cls,
        "call": call,
        "framework": framework or T,
        "data": data_ or data(),
        "recipe": recipe,
    }
    if spec is not None:
        c["spec"] = spec
    c["expect"] = {"error": expect} if expect else {"ok": True}
    if mentions:
        c["expect"]["mentions"] = mentions
    cases.append(c)


big = 1e308
# weights
case(
    "four sibling weights of 1e308",
    "weight sum overflow",
    "framework.weight_overflow",
    framework=fw(a={"weight": big}, b={"weight": big}),
    mentions="p1",
)
case(
    "pillar weights overflow",
    "weight sum overflow",
    "framework.weight_overflow",
    framework=fw(p1={"weight": 1.7e308}, p2={"weight": 1.7e308}),
    mentions="index",
)
case(
    "recipe weights overflow",
    "weight sum overflow",
    "framework.weight_overflow",
    recipe={"weights": {"c": big, "d": big}},
    mentions="p2",
)
case(
    "recipe weights zero", "zero weights", "framework.zero_weights", recipe={"weights": {"a": 0, "b": 0}}, mentions="p1"
)
case(
    "framework weights zero",
    "zero weights",
    "framework.zero_weights",
    framework=fw(c={"weight": 0}, d={"weight": 0}),
    mentions="p2",
)
case("negative weight", "invalid weight", "framework.invalid_weight", framework=fw(a={"weight": -1}), mentions="a")
case("negative recipe weight", "invalid weight", "score.invalid_parameter", recipe={"weights": {"b": -2}}, mentions="b")
case("tiny weights are fine", "extreme weights", None, framework=fw(a={"weight": 5e-324}, b={"weight": 1e-310}))
# aggregation parameters
for p in [400, -400, 1000, -1000]:
    case(
        f"generalised mean p={p} is rescaled",
        "power overflow",
        None,
        recipe={
            "aggregate": {"default": {"method": "generalised_mean", "p": p}},
            "normalise": {"default": {"method": "min_max", "lo": 1, "hi": 100}},
        },
    )
case(
    "generalised mean p=0",
    "invalid parameter",
    "score.invalid_parameter",
    recipe={"aggregate": {"default": {"method": "generalised_mean", "p": 0}}},
)
case(
    "geometric mean over zeros",
    "outside domain",
    "score.outside_domain",
    recipe={"aggregate": {"default": {"method": "geometric_mean"}}},
    mentions="u",
)
case(
    "harmonic mean over zeros",
    "outside domain",
    "score.outside_domain",
    recipe={"aggregate": {"default": {"method": "harmonic_mean"}}},
)
# normalisation parameters
case(
    "min-max lo/hi span overflows",
    "parameter overflow",
    "score.invalid_parameter",
    recipe={"normalise": {"default": {"method": "min_max", "lo": -1e308, "hi": 1e308}}},
)
case(
    "min-max lo above hi",
    "invalid parameter",
    "score.invalid_parameter",
    recipe={"normalise": {"default": {"method": "min_max", "lo": 100, "hi": 0}}},
)
case(
    "goalposts min above max in recipe",
    "flipped goalposts",
    "score.invalid_parameter",
    recipe={"normalise": {"default": {"method": "goalposts", "min": 10, "max": 0}}},
)
case(
    "goalposts min above max in framework",
    "flipped goalposts",
    "framework.invalid_goalposts",
    framework=fw(a={"goalposts": {"min": 10, "max": 0}}),
    mentions="a",
)
case(
    "goalposts span overflows",
    "parameter overflow",
    "framework.invalid_goalposts",
    framework=fw(a={"goalposts": {"min": -1e308, "max": 1e308}}),
)
case(
    "goalposts 1e-310 apart",
    "division overflow",
    "score.overflow",
    recipe={"normalise": {"default": {"method": "goalposts", "min": 0, "max": 1e-310, "clamp": False}}},
    mentions="a",
)
case(
    "goalposts scale 1e308 unclamped",
    "product overflow",
    "score.overflow",
    recipe={"normalise": {"default": {"method": "goalposts", "min": 0, "max": 1, "clamp": False, "scale": 1e308}}},
)
case(
    "goalposts scale 1e308 clamped is fine",
    "extreme parameter",
    None,
    recipe={
        "normalise": {"default": {"method": "goalposts", "min": 0, "max": 100, "scale": 1e308}},
        "aggregate": {"default": {"method": "arithmetic_mean"}},
    },
)
case(
    "goalposts missing",
    "missing metadata",
    "score.missing_metadata",
    recipe={"normalise": {"default": {"method": "goalposts"}}},
    mentions="a",
)
case(
    "z-score sd zero",
    "invalid parameter",
    "score.invalid_parameter",
    recipe={"normalise": {"default": {"method": "z_score", "sd": 0}}},
)
case(
    "z-score sd and mean 1e308",
    "sum overflow",
    "score.overflow",
    recipe={"normalise": {"default": {"method": "z_score", "sd": 1e308, "mean": 1e308}}},
)
U8 = [f"v{i}" for i in range(10)]
case(
    "box-cox lambda 500",
    "power overflow",
    "score.overflow",
    data_={
        "units": U8,
        "columns": {
            "a": [1, 1, 1, 1, 1, 1, 1, 1, 2, 400],
            "b": list(range(10)),
            "c": list(range(10)),
            "d": list(range(10)),
        },
    },
    recipe={"prepare": [{"step": "treat", "default": {"winmax": 0, "fallback": {"method": "box_cox", "lambda": 500}}}]},
    mentions="`a`",
)
# extreme data
case("column spanning the finite range, min-max", "range overflow", None, data_=data(a=[-1.7e308, 0, 1.7e308, 1]))
case(
    "column spanning the finite range, distance to max",
    "range overflow",
    None,
    data_=data(a=[-1.7e308, 0, 1.7e308, 1]),
    recipe={"normalise": {"default": {"method": "distance_to_max"}}},
)
case(
    "none normalisation near 1.7e308 is rescaled",
    "sum overflow",
    None,
    data_=data(a=[1.7e308, 1.6e308, 1.5e308, 1.4e308], b=[1.7e308, 1.7e308, 1.7e308, 1.7e308]),
    recipe={"normalise": {"default": {"method": "none"}}},
)
case(
    "z-score of a column near 1.7e308",
    "mean overflow",
    "score.overflow",
    data_=data(a=[1.7e308, 1.6e308, 1.5e308, -1.7e308]),
    recipe={"normalise": {"default": {"method": "z_score"}}},
)
case("subnormal values", "extreme data", None, data_=data(a=[5e-324, 1e-310, 2e-310, 0]))
case(
    "constant column min-max", "degenerate column", "score.degenerate_column", data_=data(a=[2, 2, 2, 2]), mentions="a"
)
case(
    "constant column z-score",
    "degenerate column",
    "score.degenerate_column",
    data_=data(b=[2, 2, 2, 2]),
    recipe={"normalise": {"default": {"method": "z_score"}}},
    mentions="b",
)
case("all missing column", "empty indicator", None, data_=data(a=[None, None, None, None]))
case(
    "fraction of max, lower is better, positive values",
    "direction-aware ratio",
    None,
    recipe={"normalise": {"default": {"method": "fraction_of_max"}}},
)
case(
    "fraction of max over negative values",
    "ratio of signed values",
    "score.degenerate_column",
    data_=data(a=[-1, 2, 3, 4]),
    recipe={"normalise": {"default": {"method": "fraction_of_max"}}},
    mentions="a",
)
case(
    "fraction of max, lower is better, a zero",
    "ratio of signed values",
    "score.degenerate_column",
    data_=data(d=[0, 1, 2, 3]),
    recipe={"normalise": {"default": {"method": "fraction_of_max"}}},
    mentions="d",
)
case(
    "fraction of max, zero maximum",
    "degenerate column",
    "score.degenerate_column",
    data_=data(a=[0, 0, 0, None]),
    recipe={"normalise": {"default": {"method": "fraction_of_max"}}},
)
case(
    "distance to target without target",
    "missing metadata",
    "score.missing_metadata",
    recipe={"normalise": {"default": {"method": "distance_to_target"}}},
)
# structure
case(
    "duplicate node id",
    "structure",
    "framework.duplicate_id",
    framework={"nodes": [{"id": "index", "children": [{"id": "a"}, {"id": "a"}]}]},
)
case(
    "empty children",
    "structure",
    "framework.empty_aggregate",
    framework={"nodes": [{"id": "index", "children": [{"id": "a"}, {"id": "p", "children": []}]}]},
)
case("empty framework", "structure", "framework.empty", framework={"nodes": []})
case(
    "direction 2", "structure", "framework.json", framework=fw(a={"direction": 2}), mentions="direction must be 1 or -1"
)
case(
    "indicator without data column",
    "missing column",
    "score.missing_column",
    data_={"units": U, "columns": {"a": [1, 2, 3, 4], "b": [1, 2, 3, 4], "c": [1, 2, 3, 4]}},
    mentions="d",
)
case("no units", "empty data", "score.no_units", data_={"units": [], "columns": {"a": [], "b": [], "c": [], "d": []}})
case(
    "duplicate unit",
    "data",
    "data.duplicate_unit",
    data_={"units": ["u1", "u1", "u3", "u4"], "columns": data()["columns"]},
    mentions="u1",
)
case(
    "empty unit id",
    "data",
    "data.empty_unit_id",
    data_={"units": ["u1", " ", "u3", "u4"], "columns": data()["columns"]},
)
case(
    "column length mismatch",
    "data",
    "data.length_mismatch",
    data_={"units": U, "columns": dict(data()["columns"], a=[1, 2, 3])},
    mentions="a",
)
cases[-1]["surfaces"] = ["rust", "javascript"]  # a DataFrame cannot hold columns of different lengths
case(
    "indicator named Time",
    "reserved id",
    "framework.reserved_id",
    framework={"nodes": [{"id": "index", "children": [{"id": "Time"}, {"id": "b"}]}]},
    data_={"units": U, "columns": {"Time": [1, 2, 3, 4], "b": [1, 2, 3, 4]}},
    mentions="Time",
)
case(
    "indicator named Group_x",
    "reserved id",
    "framework.reserved_id",
    framework={"nodes": [{"id": "index", "children": [{"id": "Group_x"}, {"id": "b"}]}]},
    data_={"units": U, "columns": {"Group_x": [1, 2, 3, 4], "b": [1, 2, 3, 4]}},
    mentions="Group_x",
)


def deep(n):
    node = {"id": "a"}
    for i in range(n):
        node = {"id": f"n{i}", "children": [node]}
    return {"nodes": [node]}


case(
    "nesting past the depth limit",
    "too deep",
    "framework.too_deep",
    framework=json.dumps(deep(100)),
    data_={"units": U, "columns": {"a": [1, 2, 3, 4]}},
    mentions="64 levels",
)
case(
    "nesting just past the depth rule",
    "too deep",
    "framework.too_deep",
    framework=json.dumps(deep(66)),
    data_={"units": U, "columns": {"a": [1, 2, 3, 4]}},
)


def csv_case(name, cls, expect, text, mentions=None):
    c = {
        "name": name,
        "class": cls,
        "call": "data_csv",
        "framework": T,
        "csv": text,
        "surfaces": ["rust", "javascript"],
        "expect": {"error": expect} if expect else {"ok": True},
    }
    if mentions:
        c["expect"]["mentions"] = mentions
    cases.append(c)


csv_case(
    "a second uCode column", "csv layout", "data.duplicate_column", "uCode,a,b,c,d,uCode\nx,1,2,3,4,TLL\n", "uCode"
)
csv_case("a repeated indicator column", "csv layout", "data.duplicate_column", "uCode,a,a,b,c,d\nx,1,1,2,3,4\n", "`a`")
csv_case("no uCode column", "csv layout", "data.missing_id_column", "id,a,b,c,d\nx,1,2,3,4\n", "uCode")
csv_case("a text cell", "csv layout", "data.not_a_number", "uCode,a,b,c,d\nx,1,2,three,4\n", "three")
csv_case("an infinite cell", "csv layout", "data.non_finite", "uCode,a,b,c,d\nx,1,2,inf,4\n", "`c`")
csv_case("a fractional period", "csv layout", "data.invalid_period", "uCode,Time,a,b,c,d\nx,2022.5,1,2,3,4\n", "2022.5")
csv_case("a ragged row", "csv layout", "data.csv", "uCode,a,b,c,d\nx,1,2\n")
csv_case("missing markers", "csv layout", None, "uCode,a,b,c,d\nx,NA,,null,4\ny,1,2,3,N/A\n")
# recipe
case(
    "unknown normalisation method",
    "recipe",
    "method.unknown",
    recipe={"normalise": {"default": {"method": "minmax"}}},
    mentions="did you mean `min_max`?",
)
case(
    "unknown aggregation method, far from any",
    "recipe",
    "method.unknown",
    recipe={"aggregate": {"levels": {"1": {"method": "average"}}}},
    mentions="`aggregate.levels.1.method`: unknown `average`; the valid ones are `arithmetic_mean`",
)
case(
    "unknown imputation method",
    "recipe",
    "method.unknown",
    recipe={"prepare": [{"step": "impute", "default": {"method": "meen"}}]},
    mentions="`prepare[0].default.method`",
)
case(
    "unknown field in a method",
    "recipe",
    "score.json",
    recipe={"normalise": {"default": {"method": "min_max", "low": 0}}},
)
case("recipe weight for an unknown node", "recipe", "score.unknown_id", recipe={"weights": {"zz": 1}}, mentions="zz")
case(
    "availability threshold 2", "recipe", "score.invalid_parameter", recipe={"aggregate": {"availability_threshold": 2}}
)
case(
    "unknown group",
    "recipe",
    "score.unknown_group",
    recipe={"prepare": [{"step": "impute", "default": {"method": "group_mean", "group": "nosuch"}}]},
    mentions="nosuch",
)
# uncertainty
S = lambda **k: dict({"replicates": 10, "seed": 1}, **k)
case(
    "uncertainty: 1e9 replicates",
    "size limit",
    "method.too_large",
    call="uncertainty",
    spec=S(replicates=1000000000),
    mentions="replicates",
)
case("uncertainty: zero replicates", "size limit", "method.invalid_parameter", call="uncertainty", spec=S(replicates=0))
case(
    "uncertainty: level 99",
    "unknown level",
    "method.invalid_parameter",
    call="uncertainty",
    spec=S(weights={"fraction": 0.2, "levels": [99]}),
    mentions="99",
)
case(
    "uncertainty: node nosuch",
    "unknown node",
    "method.invalid_parameter",
    call="uncertainty",
    spec=S(weights={"fraction": 0.2, "nodes": ["nosuch"]}),
    mentions="nosuch",
)
case(
    "uncertainty: top node's weight",
    "unknown node",
    "method.invalid_parameter",
    call="uncertainty",
    spec=S(weights={"fraction": 0.2, "nodes": ["index"]}),
    mentions="index",
)
case(
    "uncertainty: summarised node nosuch",
    "unknown node",
    "method.invalid_parameter",
    call="uncertainty",
    spec=S(nodes=["nosuch"]),
    mentions="nosuch",
)
case(
    "uncertainty: noise fraction 1",
    "invalid parameter",
    "method.invalid_parameter",
    call="uncertainty",
    spec=S(weights={"fraction": 1}),
)
case(
    "uncertainty: probabilities not summing to 1",
    "invalid parameter",
    "method.invalid_parameter",
    call="uncertainty",
    spec=S(
        choices=[
            {"stage": "normalise", "options": [{"method": "min_max"}, {"method": "rank"}], "probabilities": [0.5, 0.6]}
        ]
    ),
)
case(
    "uncertainty: a misspelt method among the options",
    "invalid parameter",
    "method.unknown",
    call="uncertainty",
    spec=S(choices=[{"stage": "aggregate", "options": [{"method": "geometric"}]}]),
    mentions="did you mean `geometric_mean`?",
)
case(
    "uncertainty: stage without options",
    "invalid parameter",
    "method.invalid_parameter",
    call="uncertainty",
    spec=S(choices=[{"stage": "aggregate", "options": []}]),
)
case(
    "uncertainty: winmax without treat step",
    "invalid parameter",
    "method.invalid_parameter",
    call="uncertainty",
    spec=S(choices=[{"stage": "winmax", "options": [1, 2]}]),
)
case(
    "uncertainty: exclude the only indicator",
    "nothing to score",
    "method.invalid_parameter",
    call="uncertainty",
    framework={"nodes": [{"id": "index", "children": [{"id": "a"}]}]},
    data_={"units": U, "columns": {"a": [1, 2, 3, 4]}},
    spec=S(exclude_indicator=True),
    mentions="exclude_indicator",
)
case(
    "uncertainty: 1e5 replicates × 4 units is fine in size",
    "size limit",
    None,
    call="uncertainty",
    spec=S(replicates=200),
)
case(
    "uncertainty: extreme weights drawn",
    "weight sum overflow",
    "framework.weight_overflow",
    call="uncertainty",
    framework=fw(a={"weight": 1e308}, b={"weight": 1e308}),
    spec=S(weights={"fraction": 0.5}),
)
ABOUT = (
    "Bad input and the error code each surface (Rust, Python, JavaScript) must answer with, or ok for a "
    "documented correct result. Read by tests/tests/conformance/bad_input_corpus.rs, "
    "bindings-python/tests/test_bad_input.py and bindings-wasm/tests/bad_input.test.js. Data: units and columns, "
    "null = missing. A case with `surfaces` applies only to those. A framework given as a string is its JSON "
    "text (for documents nested deeper than JSON parsers hold as values)."
)
with open(Path(__file__).with_name("cases.json"), "w") as out:
    json.dump({"about": ABOUT, "cases": cases}, out, indent=1)
print(len(cases), "cases")
