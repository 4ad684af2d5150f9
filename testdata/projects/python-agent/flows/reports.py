"""Weekly reports, rendered and mailed in Docker; a cleanup on the ops agent."""
from prefect import Flow, task
from prefect.run_configs import DockerRun, LocalRun
from prefect.storage import Module
from prefect.tasks.secrets import PrefectSecret


@task
def render(api_token):
    return api_token is not None


@task
def mail(report, smtp_password):
    return report and smtp_password is not None


@task
def clean_up(webhook_url):
    return webhook_url is not None


@task
def archive_reports(archive_key):
    return archive_key is not None


with Flow(
    "weekly-reports",
    run_config=DockerRun(image="acme/reports:2.3", labels=["reports"]),
    storage=Module("flows.reports"),
) as reports:
    report = render(PrefectSecret("REPORTS_API_TOKEN"))
    mail(report, PrefectSecret("SMTP_PASSWORD"))

with Flow("reports-cleanup", run_config=LocalRun(labels=["ops"]), storage=Module("flows.reports")) as cleanup:
    clean_up(PrefectSecret("OPS_WEBHOOK_URL"))

with Flow("reports-archive", run_config=LocalRun(labels=["archive"]), storage=Module("flows.reports")) as archive:
    archive_reports(PrefectSecret("ARCHIVE_KEY"))
