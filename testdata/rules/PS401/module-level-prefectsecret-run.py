from prefect import Flow, task
from prefect.tasks.secrets import PrefectSecret


class Settings:
    # Class bodies run at import time too.
    password = PrefectSecret("WAREHOUSE_PASSWORD").run()


@task
def load(password):
    return password


with Flow("module-level-run") as flow:
    load(Settings.password)
