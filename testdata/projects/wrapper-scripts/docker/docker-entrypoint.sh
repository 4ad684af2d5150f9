#!/bin/sh
# Reads the Docker secrets into the agent's environment, then runs the command.
set -e
if [ -f /run/secrets/reports_api_key ]; then
    export PREFECT__CONTEXT__SECRETS__REPORTS_API_KEY="$(cat /run/secrets/reports_api_key)"
fi
exec "$@"
