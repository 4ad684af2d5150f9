#!/usr/bin/env bash
# Starts the Docker agent that runs the nightly flows.
set -euo pipefail

prefect backend server
prefect agent docker start \
  --label prod \
  --label docker \
  --env PREFECT__CONTEXT__SECRETS__SNOWFLAKE_PASSWORD=example-password-1 \
  --env "PREFECT__CONTEXT__SECRETS__WAREHOUSE_API_TOKEN=$WAREHOUSE_API_TOKEN" \
  -e PREFECT__CONTEXT__SECRETS__BROKEN
