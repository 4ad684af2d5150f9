from prefect import task
from prefect.client.secrets import Secret as S
from prefect.core.flow import Flow as F

SECRET_NAME = "API_TOKEN"


@task
def load(token):
    return token


with F("build-secrets-module") as flow:
    load(S(SECRET_NAME).get())
