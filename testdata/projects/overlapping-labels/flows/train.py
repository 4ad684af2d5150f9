"""Model training; needs a GPU agent."""
from prefect import Flow, task
from prefect.run_configs import KubernetesRun
from prefect.storage import Module
from prefect.tasks.secrets import PrefectSecret


@task
def train(password, token):
    return bool(password and token)


with Flow("train", run_config=KubernetesRun(labels=["etl", "gpu"]), storage=Module("flows.train")) as flow:
    train(PrefectSecret("DB_PASSWORD"), PrefectSecret("MODEL_REGISTRY_TOKEN"))
