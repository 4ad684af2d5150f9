"""The run config and storage every flow of the project shares."""
from prefect.run_configs import DockerRun
from prefect.storage import S3

RUN_CONFIG = DockerRun(labels=["prod"], env={"PREFECT__CONTEXT__SECRETS__WAREHOUSE_USER": "etl"})
STORAGE = S3(bucket="acme-flows")
