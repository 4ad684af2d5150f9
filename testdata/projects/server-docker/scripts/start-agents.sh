#!/usr/bin/env bash
# Starts the warehouse Docker agent against the self-hosted Prefect Server on this host.
set -euo pipefail

prefect backend server

# The agent process gets this, but a Docker agent does not forward its own env to flow runs.
export PREFECT__CONTEXT__SECRETS__SLACK_WEBHOOK_URL="$SLACK_WEBHOOK_URL"

prefect agent docker start \
  --name warehouse-docker \
  --api http://localhost:4200 \
  --label docker \
  --label warehouse \
  --env PREFECT__CONTEXT__SECRETS__SNOWFLAKE_PASSWORD="$SNOWFLAKE_PASSWORD" \
  --env "PREFECT__CONTEXT__SECRETS__WAREHOUSE_API_TOKEN=${WAREHOUSE_API_TOKEN}" \
  -e PREFECT__CONTEXT__SECRETS__SMTP_PASSWORD=smtp-9Kq2-w7Lm \
  -e PREFECT__LOGGING__LEVEL=INFO \
  --show-flow-logs
