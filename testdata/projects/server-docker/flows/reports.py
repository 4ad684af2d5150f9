"""Daily reports, run by the local agent from deploy/prefect-agent-reports.service."""
from prefect import Flow, task
from prefect.run_configs import LocalRun
from prefect.storage import Local
from prefect.tasks.secrets import PrefectSecret


@task
def build_report(db_url: str) -> str:
    return "report for " + db_url.split("@")[-1]


with Flow(
    "daily-reports",
    storage=Local(add_default_labels=False),
    run_config=LocalRun(labels=["reports", "local"], working_dir="/opt/flows"),
) as flow:
    build_report(PrefectSecret("REPORTS_DB_URL"))
