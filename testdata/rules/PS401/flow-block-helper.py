from prefect import Flow, task
from prefect.client import Secret


def warehouse_password():
    # Not a finding by itself: it reads when it is called...
    return Secret("WAREHOUSE_PASSWORD").get()


@task
def load(password):
    return password


with Flow("build-helper") as flow:
    # ...and it is called while the flow is built, so Prefect raises.
    load(warehouse_password())
