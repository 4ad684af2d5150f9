"""Posts the daily report."""
from prefect import Flow, task
from prefect.tasks.secrets import PrefectSecret

from flow_config import RUN_CONFIG, STORAGE
from secret_names import SLACK_TOKEN


@task
def post(token):
    return bool(token)


with Flow("report", run_config=RUN_CONFIG, storage=STORAGE) as flow:
    post(PrefectSecret(SLACK_TOKEN))
