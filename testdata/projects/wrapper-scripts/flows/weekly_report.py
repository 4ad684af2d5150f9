"""Weekly report, run by the local agent in the `reports` image."""
from prefect import Flow, task
from prefect.run_configs import LocalRun
from prefect.storage import Module
from prefect.tasks.secrets import PrefectSecret


@task
def publish(api_key: str) -> int:
    return len(api_key)


with Flow("weekly-report", run_config=LocalRun(labels=["reports"]), storage=Module("flows.weekly_report")) as flow:
    publish(PrefectSecret("REPORTS_API_KEY"))
