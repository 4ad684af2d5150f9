from prefect import Flow, task
from prefect.run_configs import KubernetesRun
from prefect.storage import Module
from prefect.tasks.secrets import PrefectSecret


@task
def build(password):
    return password


with Flow("report", run_config=KubernetesRun(labels=["reports"]), storage=Module("flows.report")) as flow:
    build(PrefectSecret("WAREHOUSE_PASSWORD"))
