#!/usr/bin/env bash
# The reports agent, still started the Prefect 0.x way: 1.x has no --token (it takes
# --key), so `prefect agent docker start` exits with "No such option" and never runs.
set -euo pipefail
prefect backend server
prefect agent docker start --name reports --label reports --token "$PREFECT_TOKEN" \
  --env PREFECT__CONTEXT__SECRETS__REPORTS_API_KEY="$REPORTS_API_KEY"
