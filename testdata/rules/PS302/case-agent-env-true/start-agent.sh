#!/bin/sh
# Bad: the agent forces PREFECT__CLOUD__USE_LOCAL_SECRETS=false after its --env values, so
# flow runs still ask Prefect Cloud for secrets missing from their context.
prefect agent docker start --label etl --env PREFECT__CLOUD__USE_LOCAL_SECRETS=true
