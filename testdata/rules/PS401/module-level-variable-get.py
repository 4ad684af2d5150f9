from prefect import Flow, task
from prefect.client import Secret

secret = Secret("API_TOKEN")
TOKEN = secret.get()


@task
def load(token):
    return token


with Flow("module-level-variable") as flow:
    load(TOKEN)
