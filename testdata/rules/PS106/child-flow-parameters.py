"""A parent flow that starts a child flow run."""
from prefect import Flow
from prefect.tasks.prefect import StartFlowRun, create_flow_run
from prefect.tasks.secrets import PrefectSecret

with Flow("parent") as flow:
    # Bad: the secret's value becomes a stored parameter of the child run.
    password = PrefectSecret("DB_PASSWORD")
    create_flow_run(flow_name="child", project_name="p", parameters={"password": password})
    # Good: the name; the child flow reads it with PrefectSecret.
    create_flow_run(flow_name="child", project_name="p", parameters={"password_secret": "DB_PASSWORD"})

start = StartFlowRun(flow_name="child", project_name="p")
with Flow("parent-started") as started:
    # Bad: the task takes its parameters when it is called in the flow.
    start(parameters={"cfg": dict(password=PrefectSecret("DB_PASSWORD"))})
