"""Nightly Snowflake load, run by the Kubernetes agent (labels k8s, prod)."""
from prefect import Flow, task
from prefect.run_configs import KubernetesRun
from prefect.storage import GitHub
from prefect.tasks.secrets import PrefectSecret
from prefect.tasks.notifications import SlackTask


@task
def load(password: str) -> int:
    import snowflake.connector

    connection = snowflake.connector.connect(user="etl", password=password, account="acme-eu")
    return connection.cursor().execute("select 1").fetchone()[0]


with Flow("nightly-etl") as flow:
    password = PrefectSecret("SNOWFLAKE_PASSWORD")
    rows = load(password)
    SlackTask(message="nightly-etl finished", webhook_secret="SLACK_WEBHOOK_URL")(upstream_tasks=[rows])

flow.run_config = KubernetesRun(
    labels=["k8s", "prod"],
    job_template_path="deploy/job-template.yaml",
)
flow.storage = GitHub(repo="acme/flows", path="flows/etl.py", access_token_secret="GITHUB_ACCESS_TOKEN")
