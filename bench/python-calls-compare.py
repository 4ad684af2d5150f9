#!/usr/bin/env python3
"""Check the shallow parser's calls against Python's ast on real code.

Usage: bench/python-calls-compare.py [--no-build] [--python PY] [--limit N] [DIR...]

For every .py file that the reference Python can parse, compares the set of call spans
(start and end line/column of every ast.Call) with `python-tokens --calls`. Columns are
0-based characters on both sides. Prints the share of files whose calls agree exactly.
"""
import argparse
import json
import os
import subprocess
import sys
import sysconfig

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

WORKER = r"""
import ast, json, sys, warnings
warnings.simplefilter("ignore")
for path in sys.stdin.read().split("\n"):
    if not path:
        continue
    try:
        data = open(path, "rb").read()
        tree = ast.parse(data)
        text = data.decode("utf-8-sig")
    except Exception:
        print(json.dumps({"path": path, "calls": None}))
        continue
    lines = text.splitlines(True)
    def col(line, offset):
        # ast columns are UTF-8 byte offsets; convert to characters.
        return len(lines[line - 1].encode("utf-8")[:offset].decode("utf-8", "replace"))
    calls = sorted({(n.lineno, col(n.lineno, n.col_offset), n.end_lineno, col(n.end_lineno, n.end_col_offset))
                    for n in ast.walk(tree) if isinstance(n, ast.Call)})
    print(json.dumps({"path": path, "calls": calls}))
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--tool", help="a python-tokens binary (default: the release build)")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--show", type=int, default=20)
    parser.add_argument("dirs", nargs="*")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "python-tokens"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    tool = args.tool or os.path.join(ROOT, ".build", "release", "python-tokens")
    paths = sysconfig.get_paths()
    dirs = args.dirs or sorted({paths["stdlib"], paths["purelib"]})
    files = sorted({os.path.realpath(os.path.join(d, n)) for root in dirs for d, _, ns in os.walk(root)
                    for n in ns if n.endswith(".py")})
    if args.limit:
        files = files[:args.limit]
    ref = {}
    out = subprocess.run([args.python, "-c", WORKER], input="\n".join(files), capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        entry = json.loads(line)
        ref[entry["path"]] = None if entry["calls"] is None else {tuple(c) for c in entry["calls"]}
    ours = {}
    for i in range(0, len(files), 400):
        text = subprocess.run([tool, "--calls"] + files[i:i + 400], capture_output=True, check=True).stdout.decode()
        current = None
        for line in text.splitlines():
            if line.startswith("  CALL "):
                a, b = line[7:].split("-")
                ours[current].add(tuple(int(x) for x in a.split(":") + b.split(":")))
            else:
                current = line
                ours[current] = set()
    agree, skipped, diffs, total_ref, total_missing = 0, 0, [], 0, 0
    for path in files:
        expected = ref.get(path)
        if expected is None:
            skipped += 1
            continue
        got = ours.get(path, set())
        total_ref += len(expected)
        total_missing += len(expected - got)
        if got == expected:
            agree += 1
        else:
            diffs.append((path, sorted(expected - got)[:3], sorted(got - expected)[:3]))
    compared = agree + len(diffs)
    print("files: %d, not parsable by the reference: %d" % (len(files), skipped))
    print("files whose calls agree: %d / %d (%.2f%%)" % (agree, compared, 100.0 * agree / max(1, compared)))
    print("ast calls found by the shallow parser: %.3f%% (%d of %d missed)" % (
        100.0 * (total_ref - total_missing) / max(1, total_ref), total_missing, total_ref))
    for path, missing, extra in diffs[:args.show]:
        print("  DIFF %s: ast-only %s, ours-only %s" % (path, missing, extra))


if __name__ == "__main__":
    main()
