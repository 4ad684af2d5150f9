"""Warehouse backfill, run by the local agent labelled `backfill` in the cluster."""
from prefect import Flow, task
from prefect.run_configs import LocalRun
from prefect.storage import Module
from prefect.tasks.secrets import PrefectSecret


@task
def backfill(password: str) -> int:
    return len(password)


with Flow("backfill", run_config=LocalRun(labels=["backfill"]), storage=Module("flows.backfill")) as flow:
    backfill(PrefectSecret("WAREHOUSE_PASSWORD"))
