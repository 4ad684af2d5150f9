"""Backfills, one flow per warehouse layer, both run by the Docker agent."""
from prefect import Flow, task
from prefect.run_configs import DockerRun
from prefect.storage import Docker
from tasks.warehouse import FetchCredential, load_staging

fetch_credential = FetchCredential(name="fetch-credential")


@task
def backfill_rows(api_token: str) -> list:
    return [{"token_length": len(api_token)}]


with Flow(
    "backfill-staging",
    storage=Docker(registry_url="registry.internal", image_name="backfills"),
    run_config=DockerRun(labels=["docker", "warehouse"]),
) as staging:
    rows = backfill_rows(fetch_credential("WAREHOUSE_API_TOKEN"))
    load_staging(rows)

with Flow(
    "backfill-marts",
    storage=Docker(registry_url="registry.internal", image_name="backfills"),
    run_config=DockerRun(labels=["docker", "warehouse"]),
) as marts:
    fetch_credential(secret_name="MARTS_DB_PASSWORD")
