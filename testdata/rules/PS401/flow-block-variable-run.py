from prefect import Flow, task
from prefect.tasks.secrets import PrefectSecret


@task
def load(password):
    return password


with Flow("build-variable") as flow:
    token_task = PrefectSecret("API_TOKEN")
    load(token_task.run())
