import os

from prefect import Flow
from prefect.run_configs import DockerRun, KubernetesRun
from prefect.storage import Docker

with Flow(
    "env-secrets",
    run_config=KubernetesRun(
        labels=["k8s"],
        env={
            "PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD": "fake-warehouse-password",
            "PREFECT__CONTEXT__SECRETS__API_TOKEN": os.environ["API_TOKEN"],
            "PREFECT__CONTEXT__SECRETS__SLACK_WEBHOOK": "$SLACK_WEBHOOK",
            "PREFECT__CONTEXT__SECRETS__EMPTY": "",
        },
    ),
    storage=Docker(env_vars={"PREFECT__CONTEXT__SECRETS__DOCKER_TOKEN": "fake-docker-baked-token"}),
) as flow:
    pass

other = Flow("assigned")
other.run_config = DockerRun(env={"PREFECT__CONTEXT__SECRETS__DB_URL": f"postgresql://{os.environ['DB_USER']}@db"})

os.environ["PREFECT__CONTEXT__SECRETS__LOCAL_TOKEN"] = "fake-local-environ-token"
