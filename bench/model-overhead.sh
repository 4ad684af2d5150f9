#!/usr/bin/env bash
# What the whole-project analysis (facts, the Prefect model, every rule) adds to a
# pattern-only scan (`--select PS101`) of the same tree. Prints the minimum and median wall
# time of each, and of the check without the cross-file rules, and what the full check adds
# to the pattern-only scan (minimum against minimum); not part of the tests.
#
# usage: bench/model-overhead.sh [DIR ...]
#   default trees: testdata/projects/demo; all of testdata/projects; a generated 5,000-file Prefect project; the
#   corpus bench/scan-bench.sh copies (the
#   machine's Python stdlib and site-packages, when it exists); Prefect 1.4.1's own source
#   (from the differential test's venv, when it exists), where every file imports prefect,
#   and four copies of it.
#   BENCH_RUNS   runs per command (default 30)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${BENCH_RUNS:-30}"
(cd "$root" && swift build -c release --product prefect-secrets >/dev/null)
bin="$root/.build/release/prefect-secrets"

if [ $# -gt 0 ]; then
    trees=("$@")
else
    # The demo, and every fixture project in one tree: thirteen small projects whose agents
    # run one another's flows, as in a monorepo of deployments.
    trees=("$root/testdata/projects/demo" "$root/testdata/projects")
    # A large Prefect project: 5,000 files, 500 of them flows (bench/make-prefect-tree.py).
    project="${TMPDIR:-/tmp}/prefect-secrets-bench-project"
    rm -rf "$project"
    python3 "$root/bench/make-prefect-tree.py" "$project" 5000
    trees+=("$project")
    corpus="${TMPDIR:-/tmp}/prefect-secrets-bench-corpus"
    [ -d "$corpus" ] && trees+=("$corpus")
    prefect_src="$(ls -d "$HOME"/.cache/prefect-secrets-diff/venv-*/lib/python3*/site-packages/prefect 2>/dev/null | head -1 || true)"
    if [ -n "$prefect_src" ]; then
        trees+=("$prefect_src")
        # Four copies of it: a larger Prefect-dense tree, where start-up costs weigh less.
        copies="${TMPDIR:-/tmp}/prefect-secrets-bench-prefect-x4"
        rm -rf "$copies"
        for i in 1 2 3 4; do mkdir -p "$copies/c$i" && cp -R "$prefect_src/." "$copies/c$i/"; done
        trees+=("$copies")
    fi
fi

python3 - "$bin" "$runs" "${trees[@]}" <<'PY'
import statistics, subprocess, sys, time
binary, runs, trees = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def wall(args):
    start = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000

# The commands alternate, so that other load on the machine hits them alike; the minimum is
# the least disturbed run, the median shows the spread. `file rules` is the check without
# the cross-file rules (PS2xx, PS3xx): what parsing every file costs, apart from the model.
modes = {"patterns": ["--select", "PS101"], "file rules": ["--ignore", "PS2,PS3"], "full": []}
print(f"{'tree':<40} {'patterns only':>17} {'file rules':>17} {'full check':>17} {'added':>6}")
print(f"{'':<40} {'(min/median ms)':>17} {'(min/median ms)':>17} {'(min/median ms)':>17}")
for tree in trees:
    common = [binary, "check", "--format", "json", "--fail-on", "never"]
    times = {mode: [] for mode in modes}
    for i in range(runs + 2):
        for mode, extra in modes.items():
            t = wall(common + extra + [tree])
            if i >= 2:  # two warm-up rounds
                times[mode].append(t)
    cells = " ".join(f"{min(t):>8.1f} / {statistics.median(t):>6.1f}" for t in times.values())
    pm, fm = min(times["patterns"]), min(times["full"])
    print(f"{tree[-40:]:<40} {cells} {100 * (fm - pm) / pm:>5.0f}%")
PY
