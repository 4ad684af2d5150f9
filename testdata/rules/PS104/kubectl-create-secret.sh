#!/bin/sh
# Bad: a literal secret given to kubectl create secret. Good: the value of a variable the
# CI job sets from its secret store, and a plain setting.
set -eu
kubectl create secret generic etl-secrets \
  --from-literal=PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD='Qm7vX2pL9rT4' \
  --from-literal=PREFECT__CONTEXT__SECRETS__DBT_TOKEN="$DBT_TOKEN" \
  --dry-run=client -o yaml | kubectl apply -f -
kubectl create configmap etl-settings --from-literal=PREFECT__LOGGING__LEVEL=INFO
