#!/usr/bin/env bash
# Started by supervisord: prepares the environment, then hands over to start-agent.sh.
set -euo pipefail
cd /opt/etl
source /opt/etl/venv/bin/activate
set -a
. /opt/etl/deploy/agent.env
set +a
export PREFECT__BACKEND=server
export PREFECT__SERVER__ENDPOINT=http://prefect-server.internal:4200
exec /opt/etl/deploy/start-agent.sh
