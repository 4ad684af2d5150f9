"""Nightly reports, run by the local agent that docker-compose.yml builds from reports/Dockerfile."""
from prefect import Flow, task
from prefect.run_configs import LocalRun
from prefect.tasks.secrets import PrefectSecret


@task
def build_reports(password: str) -> None:
    print(f"connecting with a {len(password)}-character password")


with Flow("nightly-reports", run_config=LocalRun(labels=["reports"])) as flow:
    build_reports(PrefectSecret("REPORTS_DB_PASSWORD"))
