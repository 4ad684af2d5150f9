from prefect import Flow, task
from prefect.tasks.secrets import PrefectSecret as PS


@task
def load(password):
    return password


with Flow("build-run") as flow:
    if True:
        load(PS(name="WAREHOUSE_PASSWORD").run())
