from prefect import Flow, task
from prefect.run_configs import LocalRun
from prefect.storage import Module
from prefect.tasks.secrets import PrefectSecret


@task
def send_report(smtp_password):
    return bool(smtp_password)


with Flow("reports", run_config=LocalRun(labels=["reports"]), storage=Module("flows.reports")) as flow:
    send_report(PrefectSecret("SMTP_PASSWORD"))
