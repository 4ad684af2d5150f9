"""Backfill. Its run config gives its job template inline, which brings the API token from a
Kubernetes Secret; the agent's --job-template, with the Slack webhook, is not used."""
from prefect import Flow, task
from prefect.run_configs import KubernetesRun
from prefect.storage import Docker
from prefect.tasks.secrets import PrefectSecret

JOB_TEMPLATE = {
    "apiVersion": "batch/v1",
    "kind": "Job",
    "spec": {
        "template": {
            "spec": {
                "containers": [
                    {
                        "name": "flow",
                        "env": [
                            {
                                "name": "PREFECT__CONTEXT__SECRETS__API_TOKEN",
                                "valueFrom": {"secretKeyRef": {"name": "backfill-api", "key": "token"}},
                            }
                        ],
                    }
                ]
            }
        }
    },
}


@task
def backfill(token: str, webhook: str) -> None:
    print(len(token), len(webhook))


with Flow(
    "backfill",
    storage=Docker(registry_url="ghcr.io/acme", image_name="backfill"),
    run_config=KubernetesRun(job_template=JOB_TEMPLATE, labels=["k8s"]),
) as flow:
    backfill(PrefectSecret("API_TOKEN"), PrefectSecret("SLACK_WEBHOOK_URL"))
