import os

import psycopg2
from prefect import Flow, task
from prefect.tasks.secrets import PrefectSecret

DB_PASSWORD = "Tr0ub4dor-and-3-fake"
API_TOKEN: str = "fake" "-concatenated-token-value"


class Settings:
    def __init__(self):
        self.api_key = f"fake-api-key-without-fields"


@task
def connect(host, password="fake-default-password"):
    options = {"host": host, "password": "fake-dict-password", "user": "etl"}
    options["token"] = "fake-subscript-token"
    return psycopg2.connect(host=host, password="fake-keyword-password", **options)


# Not findings: secret names, empty and placeholder values, references, paths, prose.
PASSWORD_ENV = "WAREHOUSE_PASSWORD"
token_secret = "WAREHOUSE_PASSWORD"
ADMIN_PASSWORD = ""
SERVICE_TOKEN = "<your-token>"
PRIVATE_KEY = "/etc/keys/etl.pem"
PASSWORD_PROMPT = "Enter the warehouse password"
ENV_TOKEN = os.environ["WAREHOUSE_TOKEN"]


@task
def login(user, token=None, password=None):
    return psycopg2.connect(user=user, password=password, token=f"{token}")


with Flow("literals") as flow:
    password = PrefectSecret("WAREHOUSE_PASSWORD")
    connect("db.internal", password=password)
    login("etl", password=PrefectSecret("WAREHOUSE_PASSWORD"), token=os.environ.get("TOKEN", ""))

# Not findings either: a bare `token` that is a task or cache key, masks and patterns.
cache = dict(token="transpose")
MASKED_PASSWORD = ":****"
password_re = r"^(?P<user>[^:]+):(?P<password>.+)$"
SECRET_PATTERN = r"(secret|token)=([^&]+)"
# A GraphQL query in a dict selects fields: its keys name no secret.
client.graphql({"mutation": {'delete_secret(input: {name: "OLD_TOKEN"})': "success"}})
