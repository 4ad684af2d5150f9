"""Order export, run by the systemd-managed local agent labelled `orders`."""
from prefect import Flow, task
from prefect.run_configs import LocalRun
from prefect.storage import Module
from prefect.tasks.secrets import PrefectSecret


@task
def export(password: str, token: str) -> int:
    return len(password) + len(token)


with Flow("orders", run_config=LocalRun(labels=["orders"]), storage=Module("flows.orders")) as flow:
    export(PrefectSecret("DB_PASSWORD"), PrefectSecret("API_TOKEN"))
