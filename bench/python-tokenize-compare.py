#!/usr/bin/env python3
"""Compare python-tokens with CPython's own tokenize module on every .py file of this Python.

Usage: bench/python-tokenize-compare.py [--no-build] [--limit N] [--show N] [--python PY] [DIR...]

Builds python-tokens in release, lists the string-literal tokens of every .py file under
sysconfig's stdlib/purelib/platlib (or the given DIRs) with both tools, and compares their
(start, end) positions. CPython 3.11's tokenize does not split f-strings, so an f-string is
compared as one STRING token from its prefix to its closing quote (python-tokens' FSTRING).
With --python pointing at a CPython >= 3.12 (for example ~/.pyenv/versions/3.12.1/bin/python),
that interpreter's tokenize is used instead and f-strings are compared part by part
(STRING tokens at any depth, FSTRING_START and FSTRING_END), as PEP 701 splits them.
Files CPython itself cannot tokenize (an exception, or an ERRORTOKEN that is not whitespace)
are counted apart and left out of the agreement percentage.
"""
import argparse
import io
import json
import os
import subprocess
import sys
import sysconfig
import tokenize

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build():
    subprocess.run(["swift", "build", "-c", "release", "--product", "python-tokens"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    out = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    return os.path.join(out, "python-tokens")


def python_files(dirs):
    seen = set()
    files = []
    for d in dirs:
        for dirpath, _, names in os.walk(d):
            for name in names:
                if name.endswith(".py"):
                    path = os.path.realpath(os.path.join(dirpath, name))
                    if path not in seen and os.path.isfile(path):
                        seen.add(path)
                        files.append(path)
    files.sort()
    return files


WORKER = r"""
import io, json, sys, tokenize, warnings
warnings.simplefilter("ignore")
parts = sys.argv[1] == "1"
names = {tokenize.STRING: "STRING"}
if parts and hasattr(tokenize, "FSTRING_START"):
    names[tokenize.FSTRING_START] = "FSTRING_START"
    names[tokenize.FSTRING_END] = "FSTRING_END"
for path in sys.stdin.read().split("\n"):
    if not path:
        continue
    out = {"path": path, "tokens": [], "failure": None}
    try:
        with open(path, "rb") as f:
            data = f.read()
        for tok in tokenize.tokenize(io.BytesIO(data).readline):
            if tok.type in names:
                out["tokens"].append([names[tok.type], list(tok.start), list(tok.end)])
            elif tok.type == tokenize.ERRORTOKEN and tok.string.strip():
                out["failure"] = "ERRORTOKEN %r at %s" % (tok.string, tok.start)
                break
    except Exception as e:
        text = str(e).splitlines()[0] if str(e) else ""
        out["failure"] = "%s: %s" % (type(e).__name__, text)
    print(json.dumps(out))
"""


def cpython(python, files, parts):
    """path -> (strings, failure): strings as [(type, start, end)], failure a message or None."""
    proc = subprocess.run([python, "-c", WORKER, "1" if parts else "0"], input="\n".join(files),
                          capture_output=True, text=True, check=True)
    result = {}
    for line in proc.stdout.splitlines():
        entry = json.loads(line)
        result[entry["path"]] = ([(t[0], tuple(t[1]), tuple(t[2])) for t in entry["tokens"]], entry["failure"])
    return result


def ours(tool, files, parts):
    result = {}
    batch = 400
    flags = ["--fstring-parts"] if parts else []
    for i in range(0, len(files), batch):
        chunk = files[i:i + batch]
        out = subprocess.run([tool, "--format", "json"] + flags + chunk, capture_output=True, check=True).stdout
        for entry in json.loads(out.decode("utf-8"))["files"]:
            # Without parts, a whole f-string compares with CPython 3.11's single STRING token.
            strings = [("STRING" if t["type"] == "FSTRING" else t["type"], tuple(t["start"]), tuple(t["end"]))
                       for t in entry["tokens"] if t["type"] != "ERROR"]
            errors = [t for t in entry["tokens"] if t["type"] == "ERROR"]
            result[entry["path"]] = (strings, errors)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--show", type=int, default=50, help="disagreements to list")
    parser.add_argument("--python", default=sys.executable, help="the CPython whose tokenize is the reference")
    parser.add_argument("dirs", nargs="*")
    args = parser.parse_args()
    tool = os.path.join(ROOT, ".build", "release", "python-tokens") if args.no_build else build()
    paths = sysconfig.get_paths()
    dirs = args.dirs or sorted({paths["stdlib"], paths["purelib"], paths["platlib"]})
    files = python_files(dirs)
    if args.limit:
        files = files[:args.limit]
    version = subprocess.run([args.python, "-c", "import sys; print(sys.version.split()[0])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    parts = tuple(int(x) for x in version.split(".")[:2]) >= (3, 12)
    print("reference: CPython %s tokenize (%s)" % (version, "f-strings split" if parts else "f-strings whole"))
    print("roots: %s" % ", ".join(dirs))
    print("files: %d" % len(files))
    mine = ours(tool, files, parts)
    theirs = cpython(args.python, files, parts)
    agree, disagree, failed = 0, [], []
    for path in files:
        expected, failure = theirs.get(path, (None, "no output from the reference"))
        if failure is not None:
            failed.append((path, failure))
            continue
        got, errors = mine.get(path, (None, []))
        if got == expected:
            agree += 1
        else:
            detail = "tool produced no output"
            if got is not None:
                e_set, g_set = set(expected), set(got)
                missing = sorted(e_set - g_set)[:2]
                extra = sorted(g_set - e_set)[:2]
                detail = "cpython-only %s, ours-only %s (cpython %d, ours %d)" % (
                    missing, extra, len(expected), len(got))
                if errors:
                    detail += "; our errors: %s" % errors[:2]
            disagree.append((path, detail))
    compared = agree + len(disagree)
    pct = 100.0 * agree / compared if compared else 0.0
    print("cpython could not tokenize: %d files (not compared)" % len(failed))
    for path, why in failed[:args.show]:
        print("  %s: %s" % (path, why))
    print("compared: %d files, agree: %d, disagree: %d" % (compared, agree, len(disagree)))
    print("agreement: %.3f%% (target >= 99.9%%)" % pct)
    for path, detail in disagree[:args.show]:
        print("  DIFF %s: %s" % (path, detail))
    return 0 if pct >= 99.9 else 1


if __name__ == "__main__":
    sys.exit(main())
