#!/bin/sh
# PS409: X and X__Y in the same environment.
prefect agent local start \
  -e PREFECT__CONTEXT__SECRETS__AWS=$AWS \
  -e PREFECT__CONTEXT__SECRETS__AWS__ACCESS_KEY=$AK
prefect agent docker start \
  -e PREFECT__CONTEXT__SECRETS__GCP__KEY=$GK \
  -e PREFECT__CONTEXT__SECRETS__GCP=$G
# Different agents are different environments: no finding.
prefect agent local start -e PREFECT__CONTEXT__SECRETS__DB=$DB
prefect agent local start -e PREFECT__CONTEXT__SECRETS__DB__USER=$DBU
