"""CRM sync on ECS. Its run config names its task definition, whose `flow` container reads
the warehouse password from SSM Parameter Store."""
from prefect import Flow, task
from prefect.run_configs import ECSRun
from prefect.storage import Docker
from prefect.tasks.secrets import PrefectSecret


@task
def sync(password: str) -> int:
    return len(password)


with Flow(
    "crm-sync",
    storage=Docker(registry_url="123456789012.dkr.ecr.eu-west-1.amazonaws.com", image_name="crm-sync"),
    run_config=ECSRun(task_definition_path="deploy/templates/sync-task.yaml", labels=["ecs"]),
) as flow:
    sync(PrefectSecret("WAREHOUSE_PASSWORD"))
