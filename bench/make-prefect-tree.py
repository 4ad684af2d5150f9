#!/usr/bin/env python3
"""Writes a Prefect 1.x-looking project tree for the benchmarks: one file in ten a flow
reading a secret, one a Kubernetes agent manifest, one a docker agent start script that runs
the flow before it and passes it its secret, the rest plain Python modules. The project is
consistent, as one a CI gate passes is: `check` finds nothing in it, so that the benchmarks
time the analysis rather than the reporting of a thousand findings.

usage: bench/make-prefect-tree.py ROOT COUNT
"""
import os, sys
root, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    kind = i % 10
    d = os.path.join(root, f"pkg{i % 50:02d}")
    os.makedirs(d, exist_ok=True)
    if kind == 0:
        path, text = f"flow_{i}.py", (
            "from prefect import Flow, task\nfrom prefect.run_configs import DockerRun\nfrom prefect.storage import Module\n"
            "from prefect.tasks.secrets import PrefectSecret\n\n"
            f"@task\ndef work_{i}(token):\n    return token\n\n"
            f"with Flow('flow-{i}', run_config=DockerRun(labels=['l{i + 2}']), storage=Module('pkg{i % 50:02d}.flow_{i}')) as flow:\n"
            f"    work_{i}(PrefectSecret('SERVICE_TOKEN_{i % 7}'))\n")
    elif kind == 1:
        path, text = f"agent_{i}.yaml", (
            "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
            f"        - name: agent\n          args: [\"prefect agent kubernetes start --label l{i}\"]\n")
    elif kind == 2:
        path, text = f"start_{i}.sh", (
            f"#!/bin/sh\nprefect agent docker start --label l{i} --env PREFECT__CONTEXT__SECRETS__SERVICE_TOKEN_{(i - 2) % 7}=\"$TOKEN\"\n")
    else:
        path, text = f"module_{i}.py", "".join(f"def f{j}(x):\n    return x + {j}\n\n" for j in range(20))
    with open(os.path.join(d, path), "w") as f:
        f.write(text)
