#!/usr/bin/env bash
set -euo pipefail
exec prefect agent local start --label backfill --no-hostname-label
