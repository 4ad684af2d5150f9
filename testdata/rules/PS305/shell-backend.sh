#!/bin/sh
# PS305: backends are exactly cloud or server (facts §3).
prefect backend Server
prefect backend server
prefect backend "$BACKEND"
export PREFECT__BACKEND=CLOUD
PREFECT__BACKEND=local prefect agent local start
prefect agent kubernetes install -b Server --rbac
prefect agent kubernetes install --backend server --api http://prefect.internal:4200
