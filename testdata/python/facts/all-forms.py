import os

import prefect
from prefect import Client, Flow, task
from prefect.client import Secret
from prefect.client.secrets import Secret as ClientSecret
from prefect.engine.results import GCSResult
from prefect.run_configs import DockerRun, KubernetesRun, UniversalRun
from prefect.storage import S3, Bitbucket, GitHub, Webhook
from prefect.tasks.kubernetes import RunNamespacedJob
from prefect.tasks.notifications import SlackTask
from prefect.tasks.secrets import EnvVarSecret
from prefect.tasks.secrets import PrefectSecret as PS

TOKEN_NAME = "API_TOKEN"
RUN_CONFIG = KubernetesRun(labels=["k8s", "prod"], env={"LOG_LEVEL": "INFO", "PREFECT__CONTEXT__SECRETS__FROM_ENV": os.environ["X"]})


@task
def use(*values):
    return values


with Flow("first", run_config=RUN_CONFIG, storage=GitHub(repo="acme/flows", path="flow.py"), result=GCSResult(bucket="b")) as first:
    use(PS("WAREHOUSE_PASSWORD"), PS(name=TOKEN_NAME), PS(computed_name), EnvVarSecret("HOME"))
    use(ClientSecret("INLINE_GET").get(), Secret("CHECK").exists(), prefect.client.Secret("QUALIFIED").get())
    use(SlackTask()(message="hi"), SlackTask(webhook_url="https://hooks.example.invalid")(message="x"))
    use(RunNamespacedJob(body={}, kubernetes_api_key_secret=None), RunNamespacedJob(body={}))

second = Flow(
    "second",
    storage=S3(bucket="flows", secrets=["AWS_CREDENTIALS", "EXTRA"]),
)
second.run_config = DockerRun(labels=["docker"], env={"PREFECT__CONTEXT__SECRETS__DOCKER_ONLY": "fake-docker-only"})

third = prefect.Flow("third", storage=Bitbucket(project="p", repo="r", workspace="w", cloud_username_secret="BB_USER"))
third.storage = Webhook(
    build_request_kwargs={"url": "https://x.invalid", "headers": {"Authorization": "Bearer ${UPLOAD_TOKEN}"}},
    build_request_http_method="POST",
    get_flow_request_kwargs={"headers": {"Authorization": "Bearer ${WEBHOOK_TOKEN}"}},
    get_flow_request_http_method="GET",
)
third.run_config = UniversalRun(labels=["any"])

client = Client()
client.set_secret(name="WAREHOUSE_PASSWORD", value=os.environ["WAREHOUSE_PASSWORD"])
Client().set_secret("LITERAL_SET", "fake-set-value")
QUERY = """
query { secret_names }
"""
os.environ["PREFECT__CONTEXT__SECRETS__ENVIRON"] = "fake-environ-value"

from prefect.utilities.notifications import slack_notifier

alerts = Flow("alerts", state_handlers=[slack_notifier])
