#!/usr/bin/env bash
# Whether `check` stays linear on inputs that are large in one direction: one minified JSON
# line with thousands of secret-named keys, thousands of values to hide in one dotenv file
# or one Prefect config, thousands of secret reads or flows in one module, thousands of
# `for` loops around reads of their variable (over a display or a local variable), thousands
# of reads in one loop over names or in one `if flow_run_id:` block, thousands of loops over
# a module list the module appends to thousands of times,
# thousands of hard-coded tokens (PS102 findings) in one module. Each input is timed
# at n and 4n; a ratio near 4 is linear, near 16 quadratic. Not part of the tests.
#
# usage: bench/scaling.sh [N]   (default N = 5000)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-5000}"
(cd "$root" && swift build -c release --product prefect-secrets >/dev/null)
bin="$root/.build/release/prefect-secrets"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$work" "$n" <<'PY'
import json, os, random, string, sys
work, n = sys.argv[1], int(sys.argv[2])
random.seed(7)
def value(): return "".join(random.choice(string.ascii_letters + string.digits) for _ in range(20))
for size in (n, 4 * n):
    d = os.path.join(work, str(size))
    os.makedirs(d)
    with open(os.path.join(d, "minified.json"), "w") as f:
        json.dump({f"k{i}_password": value() for i in range(size)}, f)
    with open(os.path.join(d, "many.env"), "w") as f:
        f.writelines(f"PREFECT__CONTEXT__SECRETS__S{i}={value()}\n" for i in range(size))
    with open(os.path.join(d, "config.toml"), "w") as f:
        f.write("[context.secrets]\n")
        f.writelines(f'S{i} = "{value()}"\n' for i in range(size))
    with open(os.path.join(d, "reads.py"), "w") as f:
        f.write("from prefect.client import Secret\n")
        f.writelines(f"Secret('S{i}').get()\n" for i in range(size))
    with open(os.path.join(d, "flows.py"), "w") as f:
        f.write("from prefect import Flow, task\n@task\ndef t(x):\n    return x\n")
        f.writelines(f"with Flow('f{i}') as flow{i}:\n    t(1)\n" for i in range(size))
    with open(os.path.join(d, "loops.py"), "w") as f:
        f.write("from prefect.client import Secret\ndef f(v):\n")
        f.writelines(f"    for n{i % 7} in range(3):\n        Secret(v).get()\n" for i in range(size))
    with open(os.path.join(d, "local-loops.py"), "w") as f:
        f.write("from prefect.client import Secret\ndef f():\n    names = ['A', 'B']\n")
        f.writelines("    for n in names:\n        Secret(n).get()\n" for i in range(size))
    with open(os.path.join(d, "one-loop.py"), "w") as f:
        f.write("from prefect.client import Secret\ndef f():\n    for name in ['A', 'B']:\n")
        f.writelines("        Secret(name).get()\n" for i in range(size))
    with open(os.path.join(d, "flow-run-block.py"), "w") as f:
        f.write("import prefect\nfrom prefect.client import Secret\nif prefect.context.get('flow_run_id'):\n")
        f.writelines(f"    v{i} = Secret('S{i}').get()\n" for i in range(size))
    with open(os.path.join(d, "list-changes.py"), "w") as f:
        f.write("from prefect.client import Secret\nNAMES = ['A']\n")
        f.writelines("NAMES.append('A')\n" for i in range(size))
        f.writelines(f"def f{i}():\n    for n in NAMES:\n        Secret(n).get()\n" for i in range(size))
    with open(os.path.join(d, "literals.py"), "w") as f:
        f.writelines(f'API_TOKEN_{i} = "{value()}"\n' for i in range(size))
PY

python3 - "$bin" "$work" "$n" <<'PY'
import subprocess, sys, time
binary, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def best(path, runs=3):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([binary, "check", path, "--format", "json", "--fail-on", "never"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return min(times)
print(f"{'input':<16} {f'n={n} (ms)':>14} {f'4n={4 * n} (ms)':>16} {'ratio':>6}")
for name in ("minified.json", "many.env", "config.toml", "reads.py", "flows.py", "loops.py", "local-loops.py", "one-loop.py", "flow-run-block.py", "list-changes.py", "literals.py"):
    small, large = best(f"{work}/{n}/{name}"), best(f"{work}/{4 * n}/{name}")
    print(f"{name:<16} {small:>14.0f} {large:>16.0f} {large / small:>6.1f}")
PY
