"""Warehouse load. Its run config names its own job template, which brings the Snowflake
password from a Kubernetes Secret."""
from prefect import Flow, task
from prefect.run_configs import KubernetesRun
from prefect.storage import Docker
from prefect.tasks.secrets import PrefectSecret


@task
def load(password: str) -> int:
    return len(password)


with Flow(
    "warehouse-load",
    storage=Docker(registry_url="ghcr.io/acme", image_name="warehouse-load"),
    run_config=KubernetesRun(job_template_path="deploy/templates/etl-job.yaml", labels=["k8s"]),
) as flow:
    load(PrefectSecret("SNOWFLAKE_PASSWORD"))
