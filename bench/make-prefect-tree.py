#!/usr/bin/env python3
"""Writes a Prefect 1.x-looking project tree for the benchmarks: one file in ten a flow
reading a secret, one a Kubernetes agent manifest, one a docker agent start script, the
rest plain Python modules.

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
            "from prefect import Flow, task\nfrom prefect.tasks.secrets import PrefectSecret\n\n"
            f"@task\ndef work_{i}(token):\n    return token\n\n"
            f"with Flow('flow-{i}') as flow:\n    work_{i}(PrefectSecret('SERVICE_TOKEN_{i % 7}'))\n")
    elif kind == 1:
        path, text = f"agent_{i}.yaml", (
            "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
            f"        - name: agent\n          args: [\"prefect agent kubernetes start --label l{i}\"]\n")
    elif kind == 2:
        path, text = f"start_{i}.sh", f"#!/bin/sh\nprefect agent docker start --label l{i} --env PREFECT__CONTEXT__SECRETS__X=\"$X\"\n"
    else:
        path, text = f"module_{i}.py", "".join(f"def f{j}(x):\n    return x + {j}\n\n" for j in range(20))
    with open(os.path.join(d, path), "w") as f:
        f.write(text)
