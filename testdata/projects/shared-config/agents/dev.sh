#!/usr/bin/env bash
set -euo pipefail
prefect backend server
prefect agent docker start --name dev --label dev
