"""Weekly report: its database password is stored in Prefect Cloud's secret store."""
from prefect import Flow, task
from prefect.client import Secret
from prefect.run_configs import KubernetesRun
from prefect.storage import GitHub


@task
def build_report() -> str:
    password = Secret("REPORTING_DB_PASSWORD").get()
    return f"report built with a {len(password)}-character password"


with Flow("weekly-report", run_config=KubernetesRun(labels=["k8s"])) as flow:
    build_report()

flow.storage = GitHub(repo="acme/flows", path="flows/report.py", access_token_secret="GITHUB_ACCESS_TOKEN")
