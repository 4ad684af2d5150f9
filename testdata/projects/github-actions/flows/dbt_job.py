"""Triggers a dbt Cloud job after each push; run by the CI job's local agent (label ci)."""
from prefect import Flow
from prefect.run_configs import LocalRun
from prefect.storage import GitHub
from prefect.tasks.dbt import DbtCloudRunJob
from prefect.tasks.secrets import PrefectSecret

run_job = DbtCloudRunJob(account_id=1234, job_id=5678)

with Flow("dbt-cloud", run_config=LocalRun(labels=["ci"])) as flow:
    token = PrefectSecret("DBT_CLOUD_TOKEN")
    run_job(token=token)

flow.storage = GitHub(repo="acme/flows", path="flows/dbt_job.py", access_token_secret="GITHUB_ACCESS_TOKEN")
