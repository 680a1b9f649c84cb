"""W1 from Python (every node's scores as a DataFrame and the index ranking, the baseline's outputs), on the baseline's own arrays, in one process: numpy (the baseline's functions),
cityindex from Python, and — via the `w1_same_arrays` binary, on the very same arrays — cityindex
from Rust, to show the binding's overhead: against Rust scoring a data set built once (as
Python scoring a `cityindex.Dataset` made once does), and against Rust building its data set
from the arrays in every call, as the binding does for a DataFrame or an array.

Usage: python benches/python/w1_python.py BASELINES_DIR RUST_BINARY
Prints one line per variant and the ratios.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

import cityindex

baselines, rust_binary = Path(sys.argv[1]), sys.argv[2]
sys.path.insert(0, str(baselines))
import bench_a_ci_pipeline as base  # noqa: E402  (generates X, X_nan, weights and directions)
from _timing import timeit  # noqa: E402

ids = [f"I{i:03d}" for i in range(base.N_IND)]
framework = cityindex.Framework(
    {
        "nodes": [
            {
                "id": "index",
                "children": [
                    {
                        "id": f"P{p:02d}",
                        "weight": float(base.w_pil[p]),
                        "children": [
                            {"id": ids[i], "weight": float(base.w_ind[i]), "direction": int(base.direction[i])}
                            for i in range(base.N_IND)
                            if base.pillar_of[i] == p
                        ],
                    }
                    for p in range(base.N_PIL)
                ],
            }
        ]
    }
)
recipe = {"normalise": {"default": {"method": "min_max", "lo": 0, "hi": 1}}}
units = [f"U{u:05d}" for u in range(base.N_UNITS)]

rows = {}
for suffix, X, numpy_fn in [("", base.X, base.pipeline_numpy), ("_nan5pct", base.X_nan, base.pipeline_numpy_nan)]:
    fortran = np.asfortranarray(X)
    frame = pd.DataFrame(fortran, index=pd.Index(units, name="uCode"), columns=ids)
    result = cityindex.score(framework, frame, recipe)
    _, index, rank = numpy_fn()
    assert np.allclose(result.scores["index"].to_numpy(), index, rtol=0, atol=1e-12, equal_nan=True)
    assert np.array_equal(result.ranks["index"].to_numpy(), np.where(np.isnan(index), np.nan, rank), equal_nan=True)
    rows["numpy" + suffix] = timeit(numpy_fn)["median_s"]
    rows["cityindex_py_dataframe" + suffix] = timeit(lambda: cityindex.score(framework, frame, recipe).ranking("index"))["median_s"]
    rows["cityindex_py_fortran" + suffix] = timeit(
        lambda: cityindex.score(framework, fortran, recipe, columns=ids, units=units).ranking("index")
    )["median_s"]
    rows["cityindex_py_c_order" + suffix] = timeit(
        lambda: cityindex.score(framework, X, recipe, columns=ids, units=units).ranking("index")
    )["median_s"]
    # A Dataset made once, as the Rust side's first line scores a data set built once.
    dataset = cityindex.Dataset(fortran, columns=ids, units=units)
    rows["cityindex_py_dataset" + suffix] = timeit(
        lambda: cityindex.score(framework, dataset, recipe).ranking("index")
    )["median_s"]
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "framework.json").write_text(framework.to_json())
        fortran.astype("<f8").tofile(Path(tmp) / "values.f64")  # column-major bytes
        line = subprocess.run(
            [rust_binary, str(Path(tmp) / "framework.json"), str(Path(tmp) / "values.f64"), str(base.N_UNITS)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for measured in map(json.loads, line.splitlines()):
            rows[measured["name"] + suffix] = measured["median_s"]

for name, seconds in rows.items():
    print(f"{name:36s} median {seconds * 1e3:9.2f} ms")
print()
for suffix in ["", "_nan5pct"]:
    numpy_s, rust_s = rows["numpy" + suffix], rows["cityindex_rust_same_arrays" + suffix]
    building_s = rows["cityindex_rust_same_arrays_building_the_data_set" + suffix]
    ranking_s = rows["cityindex_rust_same_arrays_with_the_ranking_table" + suffix]
    for variant in ["dataframe", "fortran", "c_order", "dataset"]:
        py_s = rows[f"cityindex_py_{variant}{suffix}"]
        # A Dataset is built once, as the Rust side's data set; Rust then doing the ranking
        # table's work too (order, ranks and scores gathered) is the same work as Python's.
        same_work = f"; vs Rust with the ranking table {100 * (py_s / ranking_s - 1):+6.1f} %" if variant == "dataset" else ""
        print(
            f"W1{suffix:9s} from {variant:9s}: numpy/cityindex-py {numpy_s / py_s:5.2f}x,"
            f" binding overhead vs Rust on the same arrays {100 * (py_s / rust_s - 1):+6.1f} %"
            f" (vs Rust building its data set per call too {100 * (py_s / building_s - 1):+6.1f} %{same_work})"
        )
