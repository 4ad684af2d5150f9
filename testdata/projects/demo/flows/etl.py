"""Nightly ETL: pulls orders from the warehouse and posts a summary to Slack."""
import os

from prefect import Flow, task
from prefect.client import Secret
from prefect.run_configs import KubernetesRun
from prefect.storage import GitHub
from prefect.tasks.secrets import PrefectSecret

# A token pasted while debugging and never removed.
GITHUB_TOKEN = "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"

WAREHOUSE_URL = "postgresql://etl:Tr0ub4dor-and-3@warehouse.internal:5432/orders"


@task
def extract(password):
    return []


@task
def notify(webhook, rows):
    pass


with Flow(
    "etl",
    storage=GitHub(repo="acme/flows", path="flows/etl.py"),
    run_config=KubernetesRun(labels=["k8s", "prod"], env={"PREFECT__CONTEXT__SECRETS__SLACK_WEBHOOK": "demo-webhook-value-4711"}),
) as flow:
    password = PrefectSecret("SNOWFLAKE_PASSWORD")
    api_token = Secret("WAREHOUSE_API_TOKEN").get()
    rows = extract(password)
    notify(PrefectSecret("SLACK_WEBHOOK"), rows)
