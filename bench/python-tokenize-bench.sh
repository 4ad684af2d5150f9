#!/bin/sh
# Tokenizes every .py file of site-packages with python-tokens --bench and with CPython's
# tokenize module (tokens generated and discarded), and prints both times and the speed-up.
# Usage: bench/python-tokenize-bench.sh [ITERATIONS]   (default 5 for python-tokens, 1 for CPython)
set -eu
cd "$(dirname "$0")/.."
iterations="${1:-5}"
swift build -c release --product python-tokens >/dev/null
tool="$(swift build -c release --show-bin-path)/python-tokens"
list="$(mktemp)"
trap 'rm -f "$list"' EXIT
site="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
find "$site" -name '*.py' -type f | sort > "$list"
echo "site-packages: $site ($(wc -l < "$list") files)"
echo "== python-tokens --bench $iterations"
ours="$("$tool" --bench "$iterations" --files-from "$list")"
echo "$ours"
echo "== CPython $(python3 -c 'import sys; print(sys.version.split()[0])') tokenize"
theirs="$(python3 - "$list" <<'PY'
import io, sys, time, tokenize
paths = open(sys.argv[1]).read().split("\n")
datas = []
for p in paths:
    if p:
        with open(p, "rb") as f:
            datas.append(f.read())
start = time.perf_counter()
count = 0
failed = 0
for data in datas:
    try:
        for _ in tokenize.tokenize(io.BytesIO(data).readline):
            count += 1
    except Exception:
        failed += 1
elapsed = time.perf_counter() - start
print("files: %d" % len(datas))
print("bytes: %d" % sum(len(d) for d in datas))
print("tokens: %d (files raising: %d)" % (count, failed))
print("per iteration: %.3f s" % elapsed)
PY
)"
echo "$theirs"
ours_s="$(echo "$ours" | sed -n 's/^per iteration: \([0-9.]*\) s/\1/p')"
theirs_s="$(echo "$theirs" | sed -n 's/^per iteration: \([0-9.]*\) s/\1/p')"
python3 -c "print('speed-up: %.1fx (target >= 20x)' % ($theirs_s / max($ours_s, 1e-9)))"
