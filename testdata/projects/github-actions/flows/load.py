"""Loads the analytics database; its password comes from the agent job's env."""
from prefect import Flow, task
from prefect.run_configs import LocalRun
from prefect.storage import GitHub
from prefect.tasks.secrets import PrefectSecret


@task
def load(password: str, token: str) -> None:
    print(f"loading with {len(password)} and {len(token)} characters of credentials")


with Flow("analytics-load", run_config=LocalRun(labels=["ci"])) as flow:
    load(PrefectSecret("ANALYTICS_DB_PASSWORD"), PrefectSecret("WAREHOUSE_TOKEN"))

flow.storage = GitHub(repo="acme/flows", path="flows/load.py", access_token_secret="GITHUB_ACCESS_TOKEN")
