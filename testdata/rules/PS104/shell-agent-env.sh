#!/usr/bin/env bash
# PS104 in a shell script: continued agent command, quoted and short --env flags.
set -euo pipefail

# A plain shell variable is not in the environment: no finding.
PREFECT__CONTEXT__SECRETS__UNEXPORTED=q7Zp-unexported-01
# Exported later: the assignment is the export (finding on its value).
PREFECT__CONTEXT__SECRETS__LATER=q7Zp-later-02
export PREFECT__CONTEXT__SECRETS__LATER
export PREFECT__CONTEXT__SECRETS__EXPORTED="q7Zp exported 03"

prefect agent docker start \
  --label prod \
  --env "PREFECT__CONTEXT__SECRETS__QUOTED=a b q7Zp 04" \
  -e PREFECT__CONTEXT__SECRETS__SHORT=q7Zp-short-05 \
  --env PREFECT__CONTEXT__SECRETS__FROM_VAR="$DB_PASSWORD" \
  --env "PREFECT__CONTEXT__SECRETS__BRACED=${API_TOKEN}" \
  -e PREFECT__CONTEXT__SECRETS__MIXED=prefix-$SUFFIX

PREFECT__CONTEXT__SECRETS__PREFIXED=q7Zp-prefix-06 prefect agent local start
env PREFECT__CONTEXT__SECRETS__VIA_ENV=q7Zp-env-07 prefect agent local start
