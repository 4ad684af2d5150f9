"""Nightly warehouse load, run by the local agent `make agent` starts."""
from prefect import Flow, task
from prefect.run_configs import LocalRun
from prefect.storage import Module
from prefect.tasks.notifications import SlackTask
from prefect.tasks.secrets import PrefectSecret


@task
def load(password: str) -> int:
    return len(password)


notify = SlackTask(message="nightly load finished", webhook_secret="SLACK_WEBHOOK_URL")

with Flow("nightly-load", run_config=LocalRun(labels=["etl"]), storage=Module("flows.nightly_load")) as flow:
    loaded = load(PrefectSecret("WAREHOUSE_PASSWORD"))
    notify(upstream_tasks=[loaded])
