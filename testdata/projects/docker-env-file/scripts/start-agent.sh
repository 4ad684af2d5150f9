#!/bin/sh
# Runs the warehouse agent on the ETL host (from the repository's root).
set -eu
docker run -d --restart unless-stopped --name warehouse-agent \
  --env-file deploy/agent.env \
  prefecthq/prefect:1.4.1-python3.9 \
  prefect agent local start --label warehouse --no-hostname-label
