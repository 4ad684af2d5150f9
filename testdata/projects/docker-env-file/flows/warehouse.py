from prefect import Flow, task
from prefect.run_configs import LocalRun
from prefect.storage import Module
from prefect.tasks.secrets import EnvVarSecret, PrefectSecret


@task
def load(user, password):
    return bool(user and password)


@task
def notify(token):
    return bool(token)


with Flow("warehouse", run_config=LocalRun(labels=["warehouse"]), storage=Module("flows.warehouse")) as flow:
    load(PrefectSecret("WAREHOUSE_USER"), PrefectSecret("WAREHOUSE_PASSWORD"))
    notify(EnvVarSecret("SMTP_TOKEN"))
