#!/usr/bin/env bash
# What the whole-project analysis (facts, the Prefect model, every rule) adds to a
# pattern-only scan (`--select PS101`) of the same tree. Prints the median wall time of each
# and the ratio; not part of the tests.
#
# usage: bench/model-overhead.sh [DIR ...]
#   default trees: testdata/projects/demo; the corpus bench/scan-bench.sh copies (the
#   machine's Python stdlib and site-packages, when it exists); Prefect 1.4.1's own source
#   (from the differential test's venv, when it exists), where every file imports prefect.
#   BENCH_RUNS   runs per command (default 15)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${BENCH_RUNS:-15}"
(cd "$root" && swift build -c release --product prefect-secrets >/dev/null)
bin="$root/.build/release/prefect-secrets"

if [ $# -gt 0 ]; then
    trees=("$@")
else
    trees=("$root/testdata/projects/demo")
    corpus="${TMPDIR:-/tmp}/prefect-secrets-bench-corpus"
    [ -d "$corpus" ] && trees+=("$corpus")
    prefect_src="$(ls -d "$HOME"/.cache/prefect-secrets-diff/venv-*/lib/python3*/site-packages/prefect 2>/dev/null | head -1 || true)"
    [ -n "$prefect_src" ] && trees+=("$prefect_src")
fi

python3 - "$bin" "$runs" "${trees[@]}" <<'PY'
import statistics, subprocess, sys, time
binary, runs, trees = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def median_ms(args):
    times = []
    for i in range(runs + 2):
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i >= 2:  # two warm-up runs
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000

print(f"{'tree':<60} {'patterns only':>14} {'full check':>11} {'added':>7}")
for tree in trees:
    common = [binary, "check", "--format", "json", "--fail-on", "never"]
    # Alternate the two so that load changes on the machine hit both alike.
    patterns, full = [], []
    for _ in range(3):
        patterns.append(median_ms(common + ["--select", "PS101", tree]))
        full.append(median_ms(common + [tree]))
    p, f = min(patterns), min(full)
    print(f"{tree[-60:]:<60} {p:>11.1f} ms {f:>8.1f} ms {100 * (f - p) / p:>6.0f}%")
PY
