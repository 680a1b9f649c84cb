#!/usr/bin/env bash
# Runs the numpy/pandas baseline of W1 and cityindex's W1 in one run and prints the ratios.
# Usage: PYTHON=path/to/python benches/compare.sh [path/to/shared/baselines]
# PYTHON needs numpy, pandas and scipy (see the baselines' README).
set -euo pipefail
cd "$(dirname "$0")/.."
BASELINES=${1:-../shared/baselines}
PY=${PYTHON:-python3}
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 BENCH_TAG=_compare
cargo build --release --quiet -p cityindex-benches --bin w1
echo "loadavg: $(cat /proc/loadavg)"
rust=$(target/release/w1)
base=$("$PY" "$BASELINES/bench_a_ci_pipeline.py" | grep -E '^(numpy|pandas)')
rm -f "$BASELINES/results_a_ci_pipeline_compare.json" 2>/dev/null || true
echo "$base"
echo "$rust"
"$PY" - "$rust" "$base" <<'PY'
import json, sys
rust = {j["name"]: j["median_s"] for j in map(json.loads, sys.argv[1].splitlines())}
base = {l.split()[0]: float(l.split()[2]) / 1e3 for l in sys.argv[2].splitlines()}
print(f"\n{'workload':28s} {'cityindex':>10s} {'numpy':>10s} {'pandas':>10s} {'numpy/ci':>9s} {'pandas/ci':>9s}")
for ours, suffix in [("cityindex_rust", ""), ("cityindex_rust_nan5pct", "_nan5pct")]:
    c, n, p = rust[ours], base["numpy" + suffix], base["pandas" + suffix]
    print(f"{'W1' + suffix:28s} {c*1e3:8.2f}ms {n*1e3:8.2f}ms {p*1e3:8.2f}ms {n/c:8.2f}x {p/c:8.2f}x")
PY
