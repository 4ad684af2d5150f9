#!/usr/bin/env bash
# Holds the Python prefilters (PythonFactsPrefilter: which files get the shallow parse, and
# which statements and bodies in them) to the full analysis on every .py file of a tree:
# same facts, diagnostics and pattern scope. Not part of the unit tests (they check
# testdata/ only; CI runs it on files from bench/python-facts-fuzz.py); run it after
# touching the prefilters or the facts builder.
#
# usage: bench/prefilter-equivalence.sh [DIR...]   (default: this machine's stdlib and site-packages)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -eq 0 ]; then
    mapfile -t dirs < <(python3 -c 'import sysconfig; p = sysconfig.get_paths(); print(p["stdlib"]); print(p["purelib"])' | sort -u)
else
    dirs=("$@")
fi
cd "$root"
swift build --build-tests >/dev/null
for dir in "${dirs[@]}"; do
    PREFILTER_CORPUS="$dir" swift test --skip-build --filter 'PythonAnalyzerFastPathTests/corpusAgrees' 2>&1 \
        | grep -E 'prefilter equivalence|facts differ|diagnostics differ|scope differs|passed after|failed after' | grep -v 'Suite\|started'
done
