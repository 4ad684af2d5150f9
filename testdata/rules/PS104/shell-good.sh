#!/bin/sh
# No PS104: every value is a reference, a placeholder or empty.
export PREFECT__CONTEXT__SECRETS__A="$A_FROM_VAULT"
prefect agent kubernetes start \
  --env PREFECT__CONTEXT__SECRETS__B=${B_FROM_VAULT} \
  -e "PREFECT__CONTEXT__SECRETS__C=$(cat /run/secrets/c)" \
  -e PREFECT__CONTEXT__SECRETS__D= \
  -e PREFECT__CONTEXT__SECRETS__E=changeme
