import prefect
from prefect import task


@task
def load(token):
    return token


with prefect.Flow("build-qualified") as flow:
    token = prefect.client.Secret("API_TOKEN").get()
    load(token)
