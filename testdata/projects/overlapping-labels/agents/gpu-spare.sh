#!/usr/bin/env bash
# A spare GPU agent someone started without the flow-run env: any etl or gpu run can land here.
set -euo pipefail
POOL=gpu
prefect backend server
prefect agent kubernetes start --name gpu-spare --label etl --label "$POOL"
