#!/bin/bash
# PS407: only PREFECT__CONTEXT__SECRETS__ and PREFECT__context__secrets__ reach context.secrets.
export PREFECT__Context__Secrets__MIXED="$MIXED"
export PREFECT__CONTEXT__secrets__HALF="$HALF"
env prefect__CONTEXT__SECRETS__LOWER="$LOWER" prefect agent local start
prefect agent docker start -e PREFECT__context__secrets__FINE="$FINE" -e PREFECT__CONTEXT__SECRETS__ALSO_FINE="$X"
