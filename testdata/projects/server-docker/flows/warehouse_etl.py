"""Nightly warehouse load, run by the Docker agent."""
from prefect import Flow, task
from prefect.run_configs import DockerRun
from prefect.storage import Docker
from prefect.tasks.secrets import PrefectSecret
from tasks.warehouse import load_staging


@task
def extract(api_token: str) -> list:
    return [{"token_length": len(api_token)}]


@task
def load(rows: list, password: str) -> int:
    return len(rows) if password else 0


@task
def notify(count: int, webhook_url: str, smtp_password: str) -> None:
    print(f"loaded {count} rows")


with Flow(
    "warehouse-etl",
    storage=Docker(registry_url="registry.internal", image_name="warehouse-etl"),
    run_config=DockerRun(labels=["docker", "warehouse"], env={"PREFECT__LOGGING__LEVEL": "DEBUG"}),
) as flow:
    token = PrefectSecret("WAREHOUSE_API_TOKEN")
    password = PrefectSecret("SNOWFLAKE_PASSWORD")
    rows = extract(token)
    count = load(rows, password)
    load_staging(rows)
    notify(count, PrefectSecret("SLACK_WEBHOOK_URL"), PrefectSecret("SMTP_PASSWORD"))
