"""Weekly model training, meant for the GPU agent (label gpu)."""
from prefect import Flow, task
from prefect.run_configs import KubernetesRun
from prefect.storage import Module


@task
def train() -> str:
    return "model-v1"


with Flow(
    "weekly-train",
    run_config=KubernetesRun(labels=["gpu"], image="acme/train:1.4"),
    storage=Module("flows.train"),
) as flow:
    train()
