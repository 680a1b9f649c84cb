"""Installs the abi3 wheel given as argument into this interpreter's environment and runs what a
data scientist would, with no Rust toolchain on PATH (scripts/test runs it in a fresh venv):
proves that `pip install cityindex-…-abi3-….whl` is all a user needs."""

import shutil
import subprocess
import sys

assert shutil.which("cargo") is None and shutil.which("rustc") is None, "a Rust toolchain is on PATH"
subprocess.run(
    [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", sys.argv[1]], check=True
)

import numpy as np  # noqa: E402

import cityindex  # noqa: E402

framework, panel, recipe = cityindex.builtin("desi-2022")
ranking = cityindex.score(framework, panel, recipe, period=2022).ranking("DESI")
assert ranking.index[0] == "FI", ranking.head()
trends = cityindex.score_panel(framework, panel, recipe).trends("DESI", "cagr")
assert trends.notna().all(), trends
matrix = np.array([[42.5, 0.71, 8.3], [28.1, 0.64, 4.9], [65.3, 0.88, 12.7]])
topsis = cityindex.mcda.TOPSIS()
ranks = topsis.rank(topsis(matrix, [0.4, 0.3, 0.3], [1, 1, -1]))
assert sorted(ranks) == [1.0, 2.0, 3.0], ranks
print(f"the abi3 wheel works without Rust: cityindex {cityindex.__version__}, DESI 2022 leader {ranking.index[0]}")
