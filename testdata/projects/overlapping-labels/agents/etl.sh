#!/usr/bin/env bash
# The general ETL agent: picks up runs labelled etl only.
set -euo pipefail
prefect backend server
prefect agent docker start --name etl --label etl \
  --env PREFECT__CONTEXT__SECRETS__DB_PASSWORD="$DB_PASSWORD"
