from prefect import Flow, task
from prefect.tasks.secrets import EnvVarSecret


@task
def load(password):
    return password


with Flow("etl") as flow:
    # Runs now, while the flow is built: the registering machine's value is kept in the flow.
    load(EnvVarSecret("DB_PASS").run())
