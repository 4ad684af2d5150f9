#!/bin/sh
# Runs the reports agent on the reporting host (from the repository's root).
set -eu
docker pull ghcr.io/acme/reports-agent:latest
docker run -d --restart unless-stopped --name reports-agent \
  -e PREFECT__BACKEND=server \
  -e PREFECT__SERVER__ENDPOINT=http://prefect.internal:4200/graphql \
  --env-file deploy/reports.env \
  ghcr.io/acme/reports-agent:latest
