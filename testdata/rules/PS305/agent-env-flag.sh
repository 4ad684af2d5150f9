#!/bin/sh
# In --env flags these reach flow runs only: the agent forces its own backend there, and a
# flow run starts no agent. Neither is a finding.
prefect agent docker start -l etl -e PREFECT__BACKEND=Server
