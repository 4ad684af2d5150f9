from prefect import Flow, task
from prefect.client import Secret

# Read whenever the module loads, at registration too: a warning, Prefect does not raise.
TOKEN = Secret("API_TOKEN").get()


@task
def load(token):
    return token


with Flow("module-level") as flow:
    load(TOKEN)
