#!/usr/bin/env bash
# Throughput of `prefect-secrets check` next to ripgrep running the same PS101 regexes and
# detect-secrets, on one corpus of text files. Prints MB/s for each; not part of the tests.
#
# usage: bench/scan-bench.sh [DIR]
#   DIR            tree to scan (default: this machine's Python stdlib + site-packages)
#   BENCH_MAX_MB   cap on the copied corpus in MB (default 100; 0 = no cap)
#   BENCH_SKIP     space-separated tools to skip: prefect-secrets rg detect-secrets
#
# The corpus is copied to $TMPDIR/prefect-secrets-bench-corpus with only text files (no NUL byte in the first
# 8 KiB, under 10 MiB), so all three tools read exactly the same bytes and none of them gets
# to skip binaries the others read.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/out"
mkdir -p "$out"
max_mb="${BENCH_MAX_MB:-100}"
skip=" ${BENCH_SKIP:-} "

# --- corpus -----------------------------------------------------------------------------------
if [ $# -ge 1 ]; then
    sources=("$1")
else
    mapfile -t sources < <(python3 -c 'import sysconfig; p = sysconfig.get_paths(); print(p["stdlib"]); print(p["purelib"])' | sort -u)
fi
# Outside the repository: bench/out/ is git-ignored, and the tool honours .gitignore.
corpus="${TMPDIR:-/tmp}/prefect-secrets-bench-corpus"
rm -rf "$corpus"
BENCH_OUT="$out" python3 - "$corpus" "$max_mb" "${sources[@]}" <<'PY'
import os, shutil, sys
dest, cap = sys.argv[1], int(sys.argv[2]) * 1_000_000
total = files = 0
full = False
for index, src in enumerate(sys.argv[3:]):
    if full:
        break
    src = os.path.abspath(src)
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if d not in (".git", "__pycache__", "bench"))
        if full:
            break
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            size = os.path.getsize(path)
            if size == 0 or size > 10 << 20:
                continue
            with open(path, "rb") as f:
                if b"\0" in f.read(8192):
                    continue
            if cap and total + size > cap:
                full = True
                break
            target = os.path.join(dest, f"{index}-{os.path.basename(src)}", os.path.relpath(path, src))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(path, target)
            total += size
            files += 1
print(f"corpus: {files} text files, {total / 1e6:.1f} MB in {dest}", file=sys.stderr)
with open(os.path.join(os.environ["BENCH_OUT"], "corpus.bytes"), "w") as f:
    f.write(str(total))
PY
bytes="$(cat "$out/corpus.bytes")"

now() { date +%s.%N; }
report() {  # name start end
    python3 -c 'import sys; b, s = int(sys.argv[2]), float(sys.argv[4]) - float(sys.argv[3]); print(f"{sys.argv[1]:<18} {s:8.2f} s  {b / 1e6 / s:9.2f} MB/s")' "$1" "$bytes" "$2" "$3" | tee -a "$out/results.txt"
}
: > "$out/results.txt"
echo "cores: $(nproc)   load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/results.txt"

# --- prefect-secrets --------------------------------------------------------------------------
if [[ "$skip" != *" prefect-secrets "* ]]; then
    (cd "$root" && swift build -c release --product prefect-secrets >/dev/null)
    bin="$root/.build/release/prefect-secrets"
    t0="$(now)"
    if "$bin" check --format json --fail-on never "$corpus" > "$out/prefect-secrets.json" 2> "$out/prefect-secrets.err"; then
        t1="$(now)"
        report "prefect-secrets" "$t0" "$t1"
    else
        echo "prefect-secrets      failed (exit $?): $(head -c 300 "$out/prefect-secrets.err")" | tee -a "$out/results.txt"
    fi
fi

# --- ripgrep with the same regexes ------------------------------------------------------------
if [[ "$skip" != *" rg "* ]]; then
    command -v rg >/dev/null || { echo "rg not found (apt-get install ripgrep)" >&2; exit 2; }
    python3 - "$root/rules/PS101-plaintext-credential.toml" "$out/ps101-patterns.txt" <<'PY'
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    rule = tomllib.load(f)
with open(sys.argv[2], "w") as f:
    for d in rule["detectors"]:
        f.write(d["regex"] + "\n")
PY
    # -U: some detectors (private key blocks) span lines; --pcre2 for lookbehind/backreferences.
    t0="$(now)"
    rg --pcre2 -U --no-ignore --hidden -c -f "$out/ps101-patterns.txt" "$corpus" > "$out/rg.txt" || true
    t1="$(now)"
    report "rg --pcre2" "$t0" "$t1"
    # For scale: ripgrep searching only the detectors' keywords (literal, case-insensitive), i.e.
    # the cost of the prefilter alone, which the tool pays before any regex runs.
    python3 - "$root/rules/PS101-plaintext-credential.toml" "$out/ps101-keywords.txt" <<'PY'
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    rule = tomllib.load(f)
words = sorted({k for d in rule["detectors"] for k in d.get("keywords", [])})
with open(sys.argv[2], "w") as f:
    f.write("\n".join(words) + "\n")
PY
    t0="$(now)"
    rg -F -i --no-ignore --hidden -c -f "$out/ps101-keywords.txt" "$corpus" > "$out/rg-keywords.txt" || true
    t1="$(now)"
    report "rg -F -i keywords" "$t0" "$t1"
fi

# --- detect-secrets ---------------------------------------------------------------------------
if [[ "$skip" != *" detect-secrets "* ]]; then
    venv="$out/venv"
    if [ ! -x "$venv/bin/detect-secrets" ]; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet detect-secrets
    fi
    t0="$(now)"
    (cd "$corpus" && "$venv/bin/detect-secrets" scan --all-files . > "$out/detect-secrets.json")
    t1="$(now)"
    report "detect-secrets" "$t0" "$t1"
fi

echo "results in $out/results.txt"
