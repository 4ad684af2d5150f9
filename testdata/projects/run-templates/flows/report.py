"""Weekly report. Its run config names no job template, so the agent's --job-template is used:
it provides the Slack webhook, but nothing provides the SMTP password."""
from prefect import Flow, task
from prefect.run_configs import KubernetesRun
from prefect.storage import Docker
from prefect.tasks.secrets import PrefectSecret


@task
def send(webhook: str, smtp_password: str) -> None:
    print(len(webhook), len(smtp_password))


with Flow(
    "weekly-report",
    storage=Docker(registry_url="ghcr.io/acme", image_name="weekly-report"),
    run_config=KubernetesRun(labels=["k8s"]),
) as flow:
    send(PrefectSecret("SLACK_WEBHOOK_URL"), PrefectSecret("SMTP_PASSWORD"))
