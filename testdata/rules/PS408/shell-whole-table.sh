#!/bin/sh
# PS408: the whole secrets table in one variable replaces every file-defined secret.
export PREFECT__CONTEXT__SECRETS='{"A": "$A_VALUE"}'
prefect agent docker start -e "PREFECT__context__secrets={\"B\": \"$B\"}"
export PREFECT__CONTEXT__SECRETS__ONE_SECRET="$ONE"
