"""Weekly reports; only the reports agent picks up its runs, and that agent never starts."""
from prefect import Flow, task
from prefect.run_configs import DockerRun
from prefect.storage import Module
from prefect.tasks.secrets import PrefectSecret


@task
def publish(api_key):
    return api_key is not None


with Flow("reports", run_config=DockerRun(labels=["reports"]), storage=Module("flows.reports")) as flow:
    publish(PrefectSecret("REPORTS_API_KEY"))
