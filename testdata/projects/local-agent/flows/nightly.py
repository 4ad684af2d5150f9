"""Nightly load and notification, run by the local agent labelled `etl`."""
from prefect import Flow, task
from prefect.run_configs import LocalRun
from prefect.tasks.secrets import PrefectSecret


@task
def load(password: str, token: str) -> int:
    return len(password) + len(token)


@task
def notify(webhook_url: str, rows: int) -> None:
    print(f"loaded {rows} rows; notifying a {len(webhook_url)}-character webhook")


with Flow("nightly", run_config=LocalRun(labels=["etl"])) as flow:
    rows = load(PrefectSecret("WAREHOUSE_PASSWORD"), PrefectSecret("API_TOKEN"))
    notify(PrefectSecret("SLACK_WEBHOOK_URL"), rows)
