"""Nightly load, dbt run and notification, run by the local agent labelled `etl`."""
import os
import subprocess

from prefect import Flow, task
from prefect.client import Secret
from prefect.run_configs import LocalRun
from prefect.tasks.secrets import PrefectSecret


@task
def load(password: str, token: str) -> int:
    return len(password) + len(token)


@task
def run_dbt(rows: int) -> None:
    # dbt reads its profile's credentials from the environment.
    for name in ["DBT_USER", "DBT_PASSWORD"]:
        os.environ[name] = Secret(name).get()
    subprocess.run(["dbt", "run"], check=True)


@task
def notify(webhook_url: str, rows: int) -> None:
    print(f"loaded {rows} rows; notifying a {len(webhook_url)}-character webhook")


with Flow("nightly", run_config=LocalRun(labels=["etl"])) as flow:
    rows = load(PrefectSecret("WAREHOUSE_PASSWORD"), PrefectSecret("API_TOKEN"))
    run_dbt(rows)
    notify(PrefectSecret("SLACK_WEBHOOK_URL"), rows)
