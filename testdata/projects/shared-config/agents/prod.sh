#!/usr/bin/env bash
set -euo pipefail
prefect backend server
prefect agent docker start --name prod --label prod \
  --env PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD="$WAREHOUSE_PASSWORD"
