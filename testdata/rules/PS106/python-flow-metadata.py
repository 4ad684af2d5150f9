import os

from prefect import Flow, Parameter
from prefect.run_configs import ECSRun, LocalRun
from prefect.storage import S3, Docker, Webhook

with Flow(
    "metadata",
    run_config=LocalRun(env={"DB_PASSWORD": "fake-run-config-password", "LOG_LEVEL": "DEBUG", "API_TOKEN": os.environ["API_TOKEN"]}),
    storage=S3(bucket="flows", client_options={"aws_access_key_id": "AKIAFAKEFAKEFAKE", "aws_secret_access_key": "fake-secret-access-key-value"}),
) as flow:
    api_token = Parameter("api_token", default="fake-parameter-token")
    region = Parameter("region", default="eu-west-1")
    password = Parameter("password", default=None)

webhook_flow = Flow(
    "webhook",
    storage=Webhook(
        build_request_kwargs={"url": "https://flows.example.invalid", "headers": {"Authorization": "Bearer fake-literal-webhook-token"}},
        build_request_http_method="POST",
        get_flow_request_kwargs={"url": "https://flows.example.invalid", "headers": {"Authorization": "Bearer ${WEBHOOK_TOKEN}"}},
        get_flow_request_http_method="GET",
    ),
)

docker_flow = Flow("docker", storage=Docker(env_vars={"API_KEY": "fake-baked-api-key", "TZ": "UTC"}))
docker_flow.run_config = ECSRun(env={"SERVICE_TOKEN": "${SERVICE_TOKEN}"})

# Bad: client_options built with dict(), taking a key from the registering machine.
S3_OPTIONS = dict(aws_access_key_id=os.getenv("S3_ACCESS_KEY_ID"), aws_secret_access_key=os.getenv("S3_SECRET_ACCESS_KEY"))
with Flow("s3-options", storage=S3(bucket="flows", client_options=S3_OPTIONS)) as s3_options_flow:
    pass
