#!/usr/bin/env bash
# Starts the local agent on the ETL host; flow runs inherit its environment and config.toml.
set -euo pipefail

export PREFECT__USER_CONFIG_PATH="$(dirname "$0")/../.prefect/config.toml"
prefect backend server
prefect agent local start --label etl
