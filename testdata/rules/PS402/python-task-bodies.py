from prefect import Flow, Task, task
from prefect.client import Secret
from prefect.tasks.secrets import EnvVarSecret, PrefectSecret, SecretBase


@task
def load(rows):
    password = Secret("WAREHOUSE_PASSWORD").get()
    return rows, password


@task(max_retries=2)
def read_env():
    return EnvVarSecret("HOME").run()


class Query(Task):
    def run(self, query):
        token = PrefectSecret("API_TOKEN").run()
        return query, token


class VaultLike(SecretBase):
    # A secret task itself: not a finding.
    def run(self, name=None):
        return Secret(name or "VAULT_TOKEN").get()


@task
def good(rows, password):
    return rows, password


with Flow("task-bodies") as flow:
    rows = load([1, 2])
    good(rows, PrefectSecret("WAREHOUSE_PASSWORD"))
    Query()("select 1")
    read_env()
