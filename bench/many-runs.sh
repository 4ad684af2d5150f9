#!/usr/bin/env bash
# A project where every agent runs every flow: N flows, each reading one of seven secrets,
# and N docker agents with one shared label, each providing one of them (N × N runs, most of
# them missing a secret the flow needs). Times `check` and `inventory` (best of 3) and prints
# their peak memory. The work grows with the runs, N²; what it shows is the cost of each run.
# Not part of the tests.
#
# usage: bench/many-runs.sh [N]   (default N = 600: 360,000 runs)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-600}"
(cd "$root" && swift build -c release --product prefect-secrets >/dev/null)
bin="$root/.build/release/prefect-secrets"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$work" "$n" <<'PY'
import os, sys
work, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    with open(os.path.join(work, f"flow_{i}.py"), "w") as f:
        f.write(
            "from prefect import Flow, task\nfrom prefect.run_configs import DockerRun\nfrom prefect.storage import Module\n"
            "from prefect.tasks.secrets import PrefectSecret\n\n@task\ndef work(token):\n    return token\n\n"
            f"with Flow('flow-{i}', run_config=DockerRun(labels=['shared']), storage=Module('flows')) as flow:\n"
            f"    work(PrefectSecret('SERVICE_TOKEN_{i % 7}'))\n")
    with open(os.path.join(work, f"start_{i}.sh"), "w") as f:
        f.write(f"#!/bin/sh\nprefect agent docker start --label shared --env PREFECT__CONTEXT__SECRETS__SERVICE_TOKEN_{i % 7}=\"$TOKEN\"\n")
PY

python3 - "$bin" "$work" "$n" <<'PY'
import resource, subprocess, sys, time
binary, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for command in (["check", "--format", "json", "--fail-on", "never"], ["inventory"]):
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([binary, *command, work], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{command[0]:<10} {n} flows x {n} agents: {min(times):.2f} s (peak memory so far {peak:.0f} MB)")
PY
