#!/bin/sh
# Good: false is what the agent forces anyway; writing it out misleads no one.
prefect agent docker start --label etl --env PREFECT__CLOUD__USE_LOCAL_SECRETS=false
