#!/usr/bin/env bash
# The GPU agent also carries the etl label, so it can pick up the basic flow too.
set -euo pipefail
prefect backend server
prefect agent kubernetes start --name gpu --label etl --label gpu \
  --env PREFECT__CONTEXT__SECRETS__DB_PASSWORD="$DB_PASSWORD" \
  --env PREFECT__CONTEXT__SECRETS__MODEL_REGISTRY_TOKEN="$MODEL_REGISTRY_TOKEN"
