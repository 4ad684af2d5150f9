#!/bin/sh
# The name before "=" went missing: the value is still written here.
prefect agent docker start --label etl -e =Kd8wP3xZ7qL2nV5t
