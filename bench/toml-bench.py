#!/usr/bin/env python3
"""Parse a generated >= 5 MB TOML file with the release-built Swift parser and with Python's tomllib.

Usage: bench/toml-bench.py [--runs N] [--size-mb M] [--no-build]
Builds `toml-test-decoder` in release mode (unless --no-build), writes the generated file to
.build/toml-bench.toml, and prints the best time of N runs for each parser and the ratio.
"""
import argparse
import os
import random
import subprocess
import sys
import time
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def generate(target_bytes):
    rnd = random.Random(42)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]
    out = ["# generated benchmark input\n", 'title = "benchmark"\n', "\n"]
    size = sum(len(s) for s in out)
    n = 0
    while size < target_bytes:
        w = words[n % len(words)]
        chunk = [
            f"# section {n}\n",
            f"[service_{n}]\n",
            f'name = "{w}-{n}"\n',
            f"port = {8000 + n % 1000}\n",
            f"ratio = {rnd.random():.6f}\n",
            f"enabled = {'true' if n % 2 else 'false'}\n",
            f"hex = 0x{n:04X}\n",
            f"big = 1_000_{n % 1000:03d}\n",
            f"when = 2024-01-{1 + n % 28:02d}T12:34:56Z\n",
            f"tags = [\"{w}\", \"{words[(n + 1) % 10]}\", \"{words[(n + 2) % 10]}\"]\n",
            f"matrix = [[1, 2], [3, 4], [{n}, {n + 1}]]\n",
            f"owner = {{ name = \"user{n}\", id = {n}, active = true }}\n",
            f"context.secrets.TOKEN_{n} = 'literal-{n}-not-a-secret'\n",
            f"context.secrets.path = \"C:\\\\Users\\\\svc\\\\{w}\\n\"\n",
            f"desc = \"\"\"\nMulti-line text for {w}\nwith two lines.\"\"\"\n",
            f"  indented.key = \"value {n}\"  # trailing comment\n",
            "\n",
            f"[[service_{n}.endpoints]]\n",
            f'url = "https://example.invalid/{w}/{n}"\n',
            f"weight = {n % 7}\n",
            "\n",
        ]
        s = "".join(chunk)
        out.append(s)
        size += len(s)
        n += 1
    return "".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--size-mb", type=float, default=6.0)
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    os.chdir(ROOT)
    if not args.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "toml-test-decoder"], check=True,
                       stdout=subprocess.DEVNULL)
    bin_path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], check=True,
                              capture_output=True, text=True).stdout.strip()
    decoder = os.path.join(bin_path, "toml-test-decoder")
    path = os.path.join(ROOT, ".build", "toml-bench.toml")
    text = generate(int(args.size_mb * 1_000_000))
    with open(path, "w", newline="\n") as f:
        f.write(text)
    size = os.path.getsize(path)
    print(f"input: {path} ({size / 1e6:.2f} MB)")

    with open(path, "rb") as f:
        data = f.read()
    # CPU time (process_time / clock()) is compared, because the machine is shared; the
    # wall-clock figures are printed as well.
    best_py = best_py_wall = float("inf")
    for _ in range(args.runs):
        t, c = time.perf_counter(), time.process_time()
        tomllib.loads(data.decode("utf-8"))
        best_py = min(best_py, time.process_time() - c)
        best_py_wall = min(best_py_wall, time.perf_counter() - t)
    print(f"python tomllib: best of {args.runs}: {best_py_wall * 1000:.1f} ms wall, "
          f"best cpu {best_py * 1000:.1f} ms ({size / 1e6 / best_py:.1f} MB/s)")

    out = subprocess.run([decoder, "--bench", path, str(args.runs)], check=True, capture_output=True, text=True)
    line = out.stdout.strip()
    print(line)
    best_swift_ms = float(line.split("best cpu ")[1].split(" ms")[0])
    print(f"speedup (cpu time): {best_py * 1000 / best_swift_ms:.1f}x (target >= 5x)")


if __name__ == "__main__":
    sys.exit(main())
