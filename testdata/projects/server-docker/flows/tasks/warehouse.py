"""Tasks shared by the warehouse flows."""
from prefect import Task, task
from prefect.client import Secret


def warehouse_dsn() -> str:
    # Read when the task runs: inside the flow run, on the agent that runs it.
    return "snowflake://loader:" + Secret("SNOWFLAKE_LOADER_PASSWORD").get() + "@acme/warehouse"


@task
def load_staging(rows: list) -> int:
    return len(rows) if warehouse_dsn() else 0


class FetchCredential(Task):
    """Reads the credential whose name each run is given."""

    def run(self, secret_name: str) -> str:
        return Secret(secret_name).get()
