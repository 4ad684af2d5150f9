#!/usr/bin/env bash
# Agent start script that reads its environment from files.
set -euo pipefail
source /opt/venvs/prefect/bin/activate
set -a
. ./agent.env
AGENT_NAME=etl-local
set +a
source "${HOME}/.prefect/agent.env"
set -eo allexport
. deploy/extra.env
set +o allexport
set -oallexport
RUNTIME_ONLY=1
export $(grep -v '^#' deploy/prod.env | xargs)
export $(xargs < "xargs-input.env") `cat -s backtick.env`
export $(xargs -a arg-file.env)
eval "$(cat ./eval.env)"
export $(sed -e 's/#.*//' -e '/^$/d' sed.env | xargs) $(echo NOT_A_FILE)
env -i $(cat scoped.env | xargs) prefect agent local start --label scoped
sudo -E bash -c 'set -a; . /etc/prefect/agent.env; exec prefect agent local start --label inner'
exec prefect agent local start --label etl --name "$AGENT_NAME"
