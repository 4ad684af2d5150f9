#!/bin/bash
# PS105 in a shell script: literal keys on the command line and in exports.
export PREFECT__CLOUD__API_KEY=pk-q7Zp-export-01
prefect auth login --key pk-q7Zp-login-02
prefect agent local start --key pk-q7Zp-long-03 --label etl
prefect agent docker start \
  -k pk-q7Zp-short-04 \
  --label docker
prefect agent kubernetes install --key=pk-q7Zp-attached-05 -b server --rbac
# Not an agent option in 1.4.1 (Prefect refuses it), but the token is written down.
prefect agent local start --token tk-q7Zp-token-06

# References are not findings.
prefect agent local start --key "$PREFECT_API_KEY"
prefect auth login -k "${PREFECT_API_KEY}"
export PREFECT__CLOUD__AUTH_TOKEN="$(vault read -field=token secret/prefect)"
