#!/usr/bin/env bash
# Benchmark: `prefect-secrets check --staged` (the pre-commit hook) in a git repository with
# 5,000 files of which 3 are staged. Target (issue 8): well under 100 ms wall, startup included.
# Uses hyperfine when installed (apt-get install hyperfine), else a timed loop.
# Usage: bench/staged-bench.sh [FILES] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-5000}
runs=${2:-30}

swift build -c release --product prefect-secrets 2>&1 | tail -n 1
tool="$(swift build -c release --show-bin-path)/prefect-secrets"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
mkdir -p "$repo"

# A Prefect 1.x-looking tree: flows, agent scripts and manifests, plus plain modules.
python3 bench/make-prefect-tree.py "$repo" "$files"
git -C "$repo" init -q -b main
git -C "$repo" config user.email bench@example.invalid
git -C "$repo" config user.name bench
git -C "$repo" add -A
git -C "$repo" -c commit.gpgsign=false commit -q -m "5000 files"

# Three staged changes: a flow, a module and an agent script; one with a fake credential.
printf 'API_KEY = "example-not-a-real-key"\n' >> "$repo/pkg00/flow_0.py"
printf 'def extra():\n    return 1\n' >> "$repo/pkg03/module_3.py"
printf '# restart nightly\n' >> "$repo/pkg02/start_2.sh"
git -C "$repo" add pkg00/flow_0.py pkg03/module_3.py pkg02/start_2.sh

echo "repository: $(git -C "$repo" ls-files | wc -l) files, $(git -C "$repo" diff --cached --name-only | wc -l) staged"
(cd "$repo" && "$tool" check --staged --fail-on never | tail -n 1)

if command -v hyperfine >/dev/null; then
    hyperfine --warmup 3 --runs "$runs" --ignore-failure --shell=none \
        --command-name "check --staged (${files} files, 3 staged)" "$tool check --staged $repo" \
        --command-name "check --since HEAD (${files} files read, 3 changed)" "$tool check --since HEAD $repo"
else
    total=0
    best=999999999
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        "$tool" check --staged "$repo" >/dev/null 2>&1 || true
        elapsed=$(( $(date +%s%N) - start ))
        total=$(( total + elapsed ))
        [ "$elapsed" -lt "$best" ] && best=$elapsed
    done
    echo "check --staged (${files} files, 3 staged): mean $(( total / runs / 1000000 )) ms, min $(( best / 1000000 )) ms over $runs runs"
fi
