#!/usr/bin/env bash
# Starts the Docker agent for the ETL flows. The service manager sets WAREHOUSE_PASSWORD and
# SLACK_WEBHOOK_URL from the secret store before this script runs.
set -euo pipefail

prefect backend server
prefect agent docker start \
  --label docker \
  --label etl \
  --env "PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD=$WAREHOUSE_PASSWORD" \
  --env "PREFECT__CONTEXT__SECRETS__SLACK_WEBHOOK_URL=${SLACK_WEBHOOK_URL}"
