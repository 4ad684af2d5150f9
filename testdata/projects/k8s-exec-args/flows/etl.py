"""Nightly Snowflake load, run by the ETL agent (label k8s)."""
from prefect import Flow, task
from prefect.run_configs import KubernetesRun
from prefect.storage import Module
from prefect.tasks.notifications import SlackTask
from prefect.tasks.secrets import PrefectSecret


@task
def load(password: str) -> int:
    import snowflake.connector

    connection = snowflake.connector.connect(user="etl", password=password, account="acme-eu")
    return connection.cursor().execute("select 1").fetchone()[0]


with Flow(
    "nightly-etl",
    run_config=KubernetesRun(labels=["k8s"], image="acme/flows:1.4"),
    storage=Module("flows.etl"),
) as flow:
    rows = load(PrefectSecret("SNOWFLAKE_PASSWORD"))
    SlackTask(message="nightly-etl finished", webhook_secret="SLACK_WEBHOOK_URL")(upstream_tasks=[rows])
