"""Loads the warehouse."""
from prefect import Flow, task
from prefect.tasks.secrets import PrefectSecret

import secret_names as names
from flow_config import RUN_CONFIG, STORAGE


@task
def load(user, password):
    return bool(user and password)


with Flow("etl", run_config=RUN_CONFIG, storage=STORAGE) as flow:
    load(PrefectSecret("WAREHOUSE_USER"), PrefectSecret(names.WAREHOUSE_PASSWORD))
