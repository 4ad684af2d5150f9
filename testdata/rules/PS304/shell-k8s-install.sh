#!/bin/sh
# PS304: `kubernetes install -b server` keeps the Cloud API URL unless --api is given (facts §4.5).
prefect agent kubernetes install -b server --key "$PREFECT_KEY" --rbac | kubectl apply -f -
# Good: the API URL points at the Server.
prefect agent kubernetes install -b server --api http://prefect-apollo.prefect:4200 | kubectl apply -f -
# Good: a Cloud agent.
prefect agent kubernetes install -b cloud --key "$PREFECT_KEY" | kubectl apply -f -
