#!/bin/sh
# The time of each phase of the Python analysis (tokenizer, prefilters, parse, facts builder)
# over the .py files of a tree, minimum of several runs: measure a hot path before and after
# a change. `facts add` is what the full analysis costs beyond the token pass a pattern-only
# scan makes; bench/model-overhead.sh measures the same on whole `check` runs.
# Usage: bench/python-phases.sh [DIR] [ROUNDS]
#   DIR defaults to Prefect 1.4.1's own source (from the differential test's venv), where
#   every file imports prefect, else the machine's site-packages.
set -eu
cd "$(dirname "$0")/.."
dir="${1:-$(ls -d "$HOME"/.cache/prefect-secrets-diff/venv-*/lib/python3*/site-packages/prefect 2>/dev/null | head -1 || true)}"
[ -n "$dir" ] || dir="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
swift build -c release --product prefect-secrets >/dev/null
"$(swift build -c release --show-bin-path)/prefect-secrets" debug python-phases "$dir" --rounds "${2:-10}"
