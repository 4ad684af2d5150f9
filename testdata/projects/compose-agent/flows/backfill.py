"""Weekly backfill of the warehouse, meant for the backfill agent of docker-compose.yml."""
from prefect import Flow, task
from prefect.run_configs import DockerRun
from prefect.storage import Docker
from prefect.tasks.secrets import PrefectSecret


@task
def backfill(token: str) -> None:
    print(f"backfilling with a {len(token)}-character token")


with Flow(
    "warehouse-backfill",
    run_config=DockerRun(labels=["backfill"]),
    storage=Docker(registry_url="registry.example.com", image_name="warehouse-backfill"),
) as flow:
    backfill(PrefectSecret("WAREHOUSE_TOKEN"))
