"""Hourly warehouse sync, run by the Docker agent of docker-compose.yml."""
from prefect import Flow, task
from prefect.run_configs import DockerRun
from prefect.storage import Docker
from prefect.tasks.secrets import PrefectSecret


@task
def sync(token: str, access_key: str) -> None:
    print(f"syncing with a {len(token)}-character token and a {len(access_key)}-character key")


with Flow("warehouse-sync") as flow:
    sync(PrefectSecret("WAREHOUSE_TOKEN"), PrefectSecret("S3_ACCESS_KEY"))

flow.run_config = DockerRun(labels=["docker", "etl"])
flow.storage = Docker(registry_url="registry.example.com", image_name="warehouse-sync")
