#!/bin/sh
# PS406: secret keys named like Config methods make `import prefect` fail (case-sensitive).
prefect agent local start \
  -e PREFECT__CONTEXT__SECRETS__keys=v1 \
  -e PREFECT__CONTEXT__SECRETS__KEYS=v2 \
  -e PREFECT__CONTEXT__SECRETS__DB__copy=v3
export PREFECT__CONTEXT__SECRETS__CREDS='{"items": "a", "user": "b"}'
export PREFECT__CONTEXT__SECRETS__JSON_ONLY='{"get": true}'
