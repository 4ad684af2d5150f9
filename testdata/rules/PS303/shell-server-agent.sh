#!/bin/sh
# PS303: Cloud credentials given to an agent whose backend is Server do nothing there.
export PREFECT__BACKEND=server
prefect agent local start --key "$PREFECT_API_KEY" -l server
PREFECT__CLOUD__API_KEY="$PREFECT_API_KEY" prefect agent docker start -l server
