"""Daily ETL: loads orders into the warehouse and posts a summary to Slack."""
from prefect import Flow, Parameter, task
from prefect.run_configs import DockerRun
from prefect.storage import Module
from prefect.tasks.secrets import PrefectSecret


@task
def extract(day: str) -> list:
    return [day]


@task
def load(rows: list, password: str) -> int:
    return len(rows) if password else 0


@task
def notify(webhook_url: str, count: int) -> None:
    print(f"loaded {count} rows")


with Flow(
    "etl",
    run_config=DockerRun(image="registry.example.com/etl:1.0", labels=["docker", "etl"]),
    storage=Module("flows.etl"),
) as flow:
    day = Parameter("day", default="today")
    count = load(extract(day), PrefectSecret("WAREHOUSE_PASSWORD"))
    notify(PrefectSecret("SLACK_WEBHOOK_URL"), count)
