import prefect
from prefect import Flow, task
from prefect.client import Secret
from prefect.storage import GitHub, S3
from prefect.tasks.secrets import EnvVarSecret, PrefectSecret as PS

NESTED = "DB__PASSWORD"


@task
def load(*values):
    return values


with Flow(
    "names",
    storage=S3(bucket="flows", secrets=["aws creds", "AWS_CREDENTIALS"]),
) as flow:
    load(PS("warehouse-password"), PS(NESTED), PS("Warehouse_Password"), EnvVarSecret("HOME"))

github_flow = Flow("gh", storage=GitHub(repo="acme/flows", path="flow.py", access_token_secret="github.token"))


@task
def read():
    return Secret("api.token").get()


def upload(client: prefect.Client, value: str) -> None:
    prefect.Client().set_secret(name="api-token", value=value)
