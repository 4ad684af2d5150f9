#!/bin/sh
# In --env flags it reaches flow runs only, and a flow run starts no agent: not a finding.
prefect agent docker start -l etl -e PREFECT__CLOUD__AGENT__LABELS=dev
