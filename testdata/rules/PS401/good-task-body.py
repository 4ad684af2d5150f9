from prefect import Flow, task
from prefect.client import Secret


@task
def load():
    # Runs during the flow run (PS402 reports this, not PS401).
    return Secret("WAREHOUSE_PASSWORD").get()


def helper():
    return Secret("WAREHOUSE_PASSWORD").get()


with Flow("good-task-body") as flow:
    load()
