from prefect import Flow, task
from prefect.tasks.secrets import EnvVarSecret, PrefectSecret
from prefect.client import Secret


@task
def load(password, exists):
    return password


with Flow("good") as flow:
    # A secret task in the flow is read when the flow runs.
    password = PrefectSecret("WAREHOUSE_PASSWORD")
    # exists() does not check whether a flow is being built.
    exists = Secret("WAREHOUSE_PASSWORD").exists()
    # An EnvVarSecret task in the flow reads the variable when the flow runs.
    home = EnvVarSecret("HOME")
    load(password, exists)
