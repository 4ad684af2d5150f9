"""A reusable library module: it builds no flow itself."""
from prefect import Task, task
from prefect.client import Secret
from prefect.tasks.secrets import PrefectSecret

DEFAULT_SECRET = "WAREHOUSE_PASSWORD"


class WarehouseQuery(Task):
    def run(self, query):
        password = Secret("WAREHOUSE_PASSWORD").get()
        return query, password


@task
def post(message):
    webhook = PrefectSecret("SLACK_WEBHOOK").run()
    return message, webhook


def connect():
    return Secret(DEFAULT_SECRET).get()


# Not findings: the name arrives as a parameter, even with a literal default.
class ConfigurableQuery(Task):
    def __init__(self, password_secret="WAREHOUSE_PASSWORD", **kwargs):
        self.password_secret = password_secret
        super().__init__(**kwargs)

    def run(self, query, password_secret=None):
        return query, Secret(password_secret or self.password_secret).get()


@task
def post_to(message, webhook_secret="SLACK_WEBHOOK"):
    return message, PrefectSecret(webhook_secret).run()
