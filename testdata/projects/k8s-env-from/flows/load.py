"""Hourly warehouse load, run by the Kubernetes agent (label warehouse) on Prefect Server."""
from prefect import Flow, task
from prefect.client import Secret
from prefect.run_configs import KubernetesRun
from prefect.storage import S3
from prefect.tasks.secrets import PrefectSecret


@task
def load(password: str) -> int:
    import psycopg2

    with psycopg2.connect(host="warehouse", user="loader", password=password) as connection:
        return connection.cursor().execute("select 1").fetchone()[0]


@task
def trigger_dbt(rows: int) -> None:
    token = Secret("DBT_CLOUD_TOKEN").get()
    print(f"rows={rows}, dbt token of {len(token)} characters")


with Flow("warehouse-load") as flow:
    rows = load(PrefectSecret("WAREHOUSE_PASSWORD"))
    trigger_dbt(rows)

flow.run_config = KubernetesRun(labels=["warehouse"], job_template_path="deploy/job-template.yaml")
flow.storage = S3(bucket="acme-flows", stored_as_script=True, local_script_path="flows/load.py")
