"""Weekly report, moved to Docker storage for a Docker agent that was never set up. Its run
config still carries the `etl` label, so the local agent picks its runs up, and fails them:
a local agent does not run flows with Docker storage."""
from prefect import Flow, task
from prefect.run_configs import DockerRun
from prefect.storage import Docker
from prefect.tasks.secrets import PrefectSecret


@task
def send(token: str) -> None:
    print(f"sending the weekly report with a {len(token)}-character token")


with Flow(
    "weekly-report",
    storage=Docker(registry_url="ghcr.io/acme", image_name="weekly-report"),
    run_config=DockerRun(labels=["etl"]),
) as flow:
    send(PrefectSecret("API_TOKEN"))
