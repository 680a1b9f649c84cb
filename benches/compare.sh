#!/usr/bin/env bash
# Runs the numpy/pandas/pymcdm baselines and cityindex's same workloads in one run and prints
# the ratios: W1 (the pipeline) and the MCDA workloads (TOPSIS, entropy, CRITIC, PROMETHEE II).
# Usage: PYTHON=path/to/python benches/compare.sh [path/to/shared/baselines]
# PYTHON needs numpy, pandas, scipy, pymcdm, scikit-criteria and pyrepo-mcda (see the
# baselines' README).
set -euo pipefail
cd "$(dirname "$0")/.."
# The baseline scripts write result files next to themselves: run a copy.
BASELINES=$(mktemp -d)
cp -r "${1:-../shared/baselines}"/. "$BASELINES"/
trap 'rm -rf "$BASELINES"' EXIT
PY=${PYTHON:-python3}
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 BENCH_TAG=_compare
cargo build --release --quiet -p cityindex-benches --bin w1 --bin mcda --bin uncertainty
echo "loadavg: $(cat /proc/loadavg)"
rust=$(target/release/w1)
base=$("$PY" "$BASELINES/bench_a_ci_pipeline.py" | grep -E '^(numpy|pandas)')
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

echo
echo "== MCDA (10,000 x 100; PROMETHEE II on 1,000 and 2,000 x 100)"
mcda=$(target/release/mcda)
base=$("$PY" "$BASELINES/bench_c_mcda_libs.py" | grep -E 'median')
echo "$base"
echo "$mcda"
"$PY" - "$mcda" "$base" <<'PY'
import json, re, sys
ours = {j["name"]: j["median_s"] for j in map(json.loads, sys.argv[1].splitlines())}
base = {}
for line in sys.argv[2].splitlines():
    m = re.match(r"(\S+)\s+median\s+([\d.]+) ms", line)
    if m:
        base[m.group(1)] = float(m.group(2)) / 1e3
    m = re.match(r"pymcdm PROMETHEE_II usual (\d+)x100: median ([\d.]+) s", line)
    if m:
        base[f"pymcdm_PROMETHEE_II_{m.group(1)}"] = float(m.group(2))
rows = [
    ("TOPSIS vs hand-written numpy", "topsis_10000x100", "numpy_topsis_handwritten"),
    ("TOPSIS vs pymcdm", "topsis_10000x100", "pymcdm_TOPSIS_validation_on"),
    ("entropy weights vs pymcdm", "entropy_10000x100", "pymcdm_entropy_weights"),
    ("CRITIC (blind, as pymcdm) vs pymcdm", "critic_direction_blind_10000x100", "pymcdm_critic_weights"),
    ("CRITIC (direction-aware) vs pymcdm", "critic_10000x100", "pymcdm_critic_weights"),
    ("PROMETHEE II 1,000 x 100 vs pymcdm", "promethee_ii_usual_1000x100", "pymcdm_PROMETHEE_II_1000"),
    ("PROMETHEE II 2,000 x 100 vs pymcdm", "promethee_ii_usual_2000x100", "pymcdm_PROMETHEE_II_2000"),
]
print(f"\n{'workload':40s} {'cityindex':>12s} {'baseline':>12s} {'speed-up':>9s}")
for label, o, b in rows:
    if o in ours and b in base:
        print(f"{label:40s} {ours[o]*1e3:10.2f}ms {base[b]*1e3:10.2f}ms {base[b]/ours[o]:8.1f}x")
PY

echo
echo "== Uncertainty (W2: 200 x 50, 1,000 replicates; W3: ASEM coin, COINr's specification; W4: its SA, N = 1,000; W7: Sobol, 10 inputs, N = 4,096)"
unc=$(target/release/uncertainty)
base_b=$(OPENBLAS_NUM_THREADS=1 "$PY" "$BASELINES/bench_b_mc_uncertainty.py" | grep -E 'median')
base_d=$("$PY" "$BASELINES/bench_d_salib.py" | grep -E 'median')
echo "$base_b"
echo "$base_d"
echo "$unc"
"$PY" - "$unc" "$base_b
$base_d" <<'PY'
import json, re, sys
ours = {j["name"]: j["median_s"] for j in map(json.loads, sys.argv[1].splitlines())}
base = {}
for line in sys.argv[2].splitlines():
    m = re.match(r"\s*(\S+)\s+median\s+([\d.]+) (ms|s)", line)
    if m:
        base[m.group(1)] = float(m.group(2)) / (1e3 if m.group(3) == "ms" else 1)
rows = [
    ("W2 one thread vs numpy vectorised", "w2_mc_200x50x1000_1thread", "vectorised"),
    ("W2 all cores vs numpy vectorised", "w2_mc_200x50x1000_all_cores", "vectorised"),
    ("W2 one thread vs numpy loop", "w2_mc_200x50x1000_1thread", "loop"),
    ("W7 Saltelli sample vs SALib", "w7_sobol_sample_4096x10", "sobol_sample"),
    ("W7 analysis, 100 resamples vs SALib", "w7_sobol_analyze_resamples100", "sobol_analyze_resamples100"),
    ("W7 analysis, 1,000 resamples vs SALib", "w7_sobol_analyze_resamples1000", "sobol_analyze_resamples1000"),
]
print(f"\n{'workload':40s} {'cityindex':>12s} {'baseline':>12s} {'speed-up':>9s}")
for label, o, b in rows:
    if o in ours and b in base:
        print(f"{label:40s} {ours[o]*1e3:10.2f}ms {base[b]*1e3:10.2f}ms {base[b]/ours[o]:8.1f}x")
for k in ("w3_asem_coinr_1000_1thread", "w3_asem_coinr_1000_all_cores"):
    print(f"{k:40s} {ours[k]*1e3:10.2f}ms   (COINr: 239 s on this machine type, per the issue)")
for k in ("w4_asem_coinr_sa_1000_1thread", "w4_asem_coinr_sa_1000_all_cores",
          "w4_asem_coinr_sa_1000_ungrouped_all_cores"):
    print(f"{k:40s} {ours[k]*1e3:10.2f}ms   (COINr: 1,113-1,317 s on this machine type, per the issue)")
PY

echo
echo "== W1 from Python (issue 6): numpy baseline, cityindex from Python and from Rust on the same arrays"
# A venv of its own with the release wheel, installed the way users install it.
VENV=target/bench-venv
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check numpy pandas scipy ./bindings-python
cargo build --release --quiet -p cityindex-benches --bin w1_same_arrays
"$VENV/bin/python" benches/python/w1_python.py "$BASELINES" target/release/w1_same_arrays
