from prefect import Flow, task
from prefect.run_configs import LocalRun
from prefect.storage import Module
from prefect.tasks.secrets import PrefectSecret


@task
def load_orders(password):
    return len(password)


with Flow("etl", run_config=LocalRun(labels=["etl"]), storage=Module("flows.etl")) as flow:
    load_orders(PrefectSecret("WAREHOUSE_PASSWORD"))
