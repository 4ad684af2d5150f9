"""A parent flow that starts a child flow run."""
from prefect import Flow
from prefect.tasks.prefect import create_flow_run
from prefect.tasks.secrets import PrefectSecret

with Flow("parent") as flow:
    # Bad: the secret's value becomes a stored parameter of the child run.
    password = PrefectSecret("DB_PASSWORD")
    create_flow_run(flow_name="child", project_name="p", parameters={"password": password})
    # Good: the name; the child flow reads it with PrefectSecret.
    create_flow_run(flow_name="child", project_name="p", parameters={"password_secret": "DB_PASSWORD"})
