#!/usr/bin/env python3
"""Mutation fuzzing of the whole pipeline: copies a fixture project of testdata/projects (or
up to four single testdata files, each in a folder of its own), damages one to three of its
files (quotes, brackets, `$`, `${`, heredoc words, NUL and invalid UTF-8, cuts, repeated
lines), and runs `check --format json`, `check --format sarif` and `inventory --format json`
on it. Anything but exit code 0, 1 or 2 (a trap, a signal), a Swift runtime error on stderr or
a run longer than a minute is kept under the work folder for a look. Not part of the tests:
its inputs are random; the seed makes a run repeatable.

usage: bench/check-fuzz.py [SECONDS] [SEED]     (default 300 seconds, seed 1)
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 300
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
random.seed(seed)
subprocess.run(["swift", "build", "-c", "release", "--product", "prefect-secrets"], cwd=root, check=True, stdout=subprocess.DEVNULL)
binary = os.path.join(root, ".build", "release", "prefect-secrets")
testdata = os.path.join(root, "testdata")
projects = sorted(os.path.join(testdata, "projects", d) for d in os.listdir(os.path.join(testdata, "projects")))
files = sorted(
    os.path.join(d, f) for d, _, fs in os.walk(testdata) if "snapshots" not in d for f in fs
    if not os.path.islink(os.path.join(d, f)) and os.path.getsize(os.path.join(d, f)) < 20000
)
PIECES = [b'"', b"'", b"{", b"}", b"[", b"]", b"(", b")", b"$", b"${", b"$(", b"`", b"\n", b"\r", b"\t", b":", b"=",
          b"#", b"\\", b"\\\n", b"<<", b"EOF", b"'''", b'"""', b"\x00", b"\xff", b"\xc3", b"&", b"*", b"|", b"-", b"---",
          b"...", b"!!", b"@", b"%", b";", b"__", b"PREFECT__CONTEXT__SECRETS__"]


def mutate(data):
    data = bytearray(data)
    for _ in range(random.randint(1, 6)):
        if not data:
            data += random.choice(PIECES)
            continue
        i = random.randrange(len(data))
        op = random.random()
        if op < 0.3:
            data[i:i] = random.choice(PIECES)
        elif op < 0.5:
            del data[i:i + random.randint(1, 8)]
        elif op < 0.6:
            data[i] = random.randrange(256)
        elif op < 0.7:
            j = random.randrange(len(data))
            data[i:i] = data[j:j + random.randint(1, 40)]
        elif op < 0.8:
            del data[i:]
        else:
            lines = data.split(b"\n")
            lines.insert(random.randrange(len(lines)), random.choice(lines))
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def make_tree(work):
    if random.random() < 0.5:
        shutil.copytree(random.choice(projects), work, symlinks=True)
        present = [os.path.join(d, f) for d, _, fs in os.walk(work) for f in fs if not os.path.islink(os.path.join(d, f))]
        targets = random.sample(present, min(len(present), random.randint(1, 3)))
    else:
        os.makedirs(work)
        targets = []
        for k, source in enumerate(random.sample(files, random.randint(1, 4))):
            folder = os.path.join(work, str(k))
            os.makedirs(folder)
            targets.append(shutil.copy(source, folder))  # the name tells the file's kind
    for path in targets:
        with open(path, "rb") as f:
            data = f.read()
        with open(path, "wb") as f:
            f.write(mutate(data))


base = tempfile.mkdtemp(prefix="prefect-secrets-fuzz-")
deadline = time.time() + seconds
runs = kept = 0
while time.time() < deadline:
    work = os.path.join(base, "tree")
    shutil.rmtree(work, ignore_errors=True)
    make_tree(work)
    for args in (["check", "--format", "json", "--fail-on", "never"], ["check", "--format", "sarif", "--fail-on", "never"],
                 ["inventory", "--format", "json"]):
        try:
            result = subprocess.run([binary] + args + [work], capture_output=True, timeout=60)
            bad = result.returncode not in (0, 1, 2) or b"Fatal error" in result.stderr
            why = f"exit {result.returncode}\n" + result.stderr.decode(errors="replace")[-3000:]
        except subprocess.TimeoutExpired:
            bad, why = True, "over 60 s"
        runs += 1
        if bad:
            kept += 1
            keep = os.path.join(base, f"failure-{kept}")
            shutil.copytree(work, keep, symlinks=True)
            with open(keep + ".txt", "w") as f:
                f.write(" ".join(args) + "\n" + why)
            print(f"kept {keep}: {' '.join(args)}: {why.splitlines()[0]}", flush=True)
if kept:
    print(f"{runs} runs, {kept} failures kept under {base} (seed {seed})")
else:
    print(f"{runs} runs, no failure (seed {seed})")
    shutil.rmtree(base, ignore_errors=True)
sys.exit(1 if kept else 0)
