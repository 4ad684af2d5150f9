"""An ad-hoc backfill of the reports: `python flows/backfill.py` registers the flow and
serves its runs itself, through the local agent `flow.run_agent()` starts in this process."""
import os

from prefect import Flow, task
from prefect.run_configs import LocalRun
from prefect.tasks.secrets import PrefectSecret

# The agent's flow runs inherit this process's environment.
os.environ["PREFECT__CONTEXT__SECRETS__BACKFILL_DB_URL"] = os.environ["BACKFILL_DB_URL"]


@task
def backfill(db_url, api_token):
    return db_url is not None and api_token is not None


with Flow("reports-backfill", run_config=LocalRun(labels=["reports-backfill"])) as flow:
    backfill(PrefectSecret("BACKFILL_DB_URL"), PrefectSecret("BACKFILL_API_TOKEN"))

if __name__ == "__main__":
    flow.register(project_name="reports", labels=["adhoc"])
    flow.run_agent()
