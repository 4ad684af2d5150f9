"""Nightly load into the warehouse; runs on any agent labelled etl."""
from prefect import Flow, task
from prefect.run_configs import DockerRun
from prefect.storage import Module
from prefect.tasks.secrets import PrefectSecret


@task
def load(password):
    return password is not None


with Flow("basic", run_config=DockerRun(labels=["etl"]), storage=Module("flows.basic")) as flow:
    load(PrefectSecret("DB_PASSWORD"))
