#!/bin/sh
# PS104 inside PREFECT__CLOUD__AGENT__ENV_VARS: the JSON entries reach flow runs.
export PREFECT__CLOUD__AGENT__ENV_VARS='{"PREFECT__CONTEXT__SECRETS__JSON_LIT": "q7Zp-json-21", "PREFECT__CONTEXT__SECRETS__JSON_REF": "$JSON_REF"}'
prefect agent kubernetes start --label k8s
