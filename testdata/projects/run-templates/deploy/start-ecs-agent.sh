#!/bin/sh
set -eu
prefect backend server
exec prefect agent ecs start --label ecs --cluster flows
