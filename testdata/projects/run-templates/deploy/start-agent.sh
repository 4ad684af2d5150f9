#!/bin/sh
# Started from the repository root on the cluster's bastion host.
set -eu
prefect backend server
exec prefect agent kubernetes start --label k8s --namespace flows \
    --job-template deploy/templates/default-job.yaml
