#!/usr/bin/env bash
# Installs the Kubernetes agent for Prefect Server -- but without --api, so the manifest
# still points the agent at Prefect Cloud.
set -euo pipefail
prefect agent kubernetes install -b server --label reports \
  --key "$PREFECT_API_KEY" | kubectl apply -f -
