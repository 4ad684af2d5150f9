#!/usr/bin/env bash
# Starts the agent; every value here is fake.
set -euo pipefail
export PREFECT__CLOUD__API_KEY=fake-api-key-0000 PREFECT__BACKEND=cloud
export -p
DB_PASSWORD="not-a-real-password" ./migrate.sh --all
TOKEN=fake-token-1111

prefect backend server
prefect backend Cloud
prefect auth login --key fake-login-key-2222

prefect agent local start \
  --label dev -l "team a" \
  --env "PREFECT__CONTEXT__SECRETS__X=a b" \
  -e PREFECT__CONTEXT__SECRETS__DB="$DB_PASSWORD" \
  -e 'PREFECT__CONTEXT__SECRETS__K=V=W' \
  --env=EMPTY= \
  -eATTACHED=1 \
  --env NOEQ \
  --key fake-agent-key-3333 \
  --api=https://api.example.invalid \
  --token fake-token-4444 \
  -n my-agent -f --no-hostname-label

env PREFECT__CONTEXT__SECRETS__E=fake-env-5555 prefect agent docker start --no-pull -b unix:///var/run/docker.sock
prefect agent kubernetes install -k "$PREFECT_KEY" -n prefect -b server --rbac -e "K8S=${K8S_VALUE:-default}" | kubectl apply -f -
prefect agent docker install -k fake-key
prefect agent start -e OLD=1
sudo -E prefect register --project demo -p flows/
python3 -c 'from prefect.client import Secret; Secret("X").set("fake")' && echo done
docker run --rm -e PREFECT__CONTEXT__SECRETS__D=fake-docker-6666 --env-file agent.env -e PASS_THROUGH prefecthq/prefect:1.4.1 prefect agent local start -l docker
cat <<EOF > /tmp/notes
prefect agent local start --key inside-heredoc-not-a-command
EOF
bash -c "prefect agent ecs start --cluster c1 -e 'IN_DASH_C=1'"
docker run -d prefecthq/prefect:1.4.1 bash -lc 'prefect agent docker start -e "INNER=$HOME"'
