"""This module builds a flow: its tasks are not reusable components (PS402 applies instead)."""
from prefect import Flow, task
from prefect.client import Secret


@task
def load():
    return Secret("WAREHOUSE_PASSWORD").get()


with Flow("flow-module") as flow:
    load()
