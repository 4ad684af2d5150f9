import prefect
from prefect import Flow, task
from prefect.client import Secret

# Runs only when a flow run loads this module (script-based storage re-executes it there);
# registration and other imports have no flow run id, so nothing is read then.
if prefect.context.get("flow_run_id"):
    WAREHOUSE_PASSWORD = Secret("WAREHOUSE_PASSWORD").get()


@task
def load():
    return prefect.context.get("flow_run_id")


with Flow("guarded") as flow:
    load()
