#!/bin/sh
# PS208: an --env without '=' crashes the agent (facts §4.2).
prefect agent local start \
  -e PREFECT__CONTEXT__SECRETS__BROKEN \
  --env "NO_EQUALS" \
  --env GOOD=1 \
  --env EMPTY_VALUE= \
  --env "$WHOLE_PAIR_FROM_VARIABLE"
export PREFECT__CLOUD__AGENT__ENV_VARS='{"A": true}'
export PREFECT__CLOUD__AGENT__ENV_VARS='{"A": "fine"}'
prefect agent kubernetes install -e NOEQ_INSTALL --rbac
