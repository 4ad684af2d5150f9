"""Writes a large multi-document Kubernetes-like manifest for bench/yaml-bench.sh (fake values only)."""
import sys

def document(i):
    kind = i % 3
    if kind == 0:
        env = "\n".join(
            f"        - name: PREFECT__CONTEXT__SECRETS__FAKE_{j}\n"
            f"          valueFrom:\n            secretKeyRef: {{name: fake-{i}, key: k{j}}}"
            if j % 3 == 0 else
            f"        - name: VAR_{j}\n          value: \"value-{i}-{j} é\""
            for j in range(12))
        return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: agent-{i}
  labels: &labels
    app: prefect-agent-{i}
    tier: "flows"
spec:
  replicas: {i % 5}
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels:
        <<: *labels
        extra: 'yes'
    spec:
      containers:
      - name: agent
        image: prefecthq/prefect:1.4.1-python3.8
        command: ["/bin/bash", "-c"]
        args:
        - prefect agent kubernetes start --label env-{i} --env A={i}  # agent
        env:
{env}
        resources:
          limits: {{cpu: 100m, memory: 128Mi}}
"""
    if kind == 1:
        return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: config-{i}
data:
  script.sh: |
    #!/bin/sh
    echo "starting {i}"
    prefect register --project p{i} -p flows/
  settings.toml: >-
    [context.secrets]
    fake = "not-a-secret-{i}"
  number: "{i}"
"""
    return f"""apiVersion: v1
kind: Service
metadata:
  name: svc-{i}
  annotations:
    note: "日本 {i} 🎉"
spec:
  ports:
  - {{port: 80, targetPort: 8080, protocol: TCP}}
  - port: 443
    targetPort: 8443
  selector: {{app: prefect-agent-{i}}}
"""

target = int(sys.argv[2]) if len(sys.argv) > 2 else 6_000_000
with open(sys.argv[1], "w", encoding="utf-8") as out:
    size = 0
    i = 0
    while size < target:
        text = ("---\n" if i else "") + document(i)
        out.write(text)
        size += len(text.encode())
        i += 1
