from prefect import Flow, task
from prefect.client import Secret


@task
def load(password):
    return password


with Flow("build-get") as flow:
    load(Secret("WAREHOUSE_PASSWORD").get())
