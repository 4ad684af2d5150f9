#!/bin/sh
# Leftover from the Prefect Cloud days: Server has no secret store.
python -c "from prefect import Client; Client().set_secret(name='WAREHOUSE_API_TOKEN', value='$WAREHOUSE_API_TOKEN')"
