# PS104 through EnvVarSecret: the flow reads these variables as secrets, so a literal value
# for them in envvarsecret.env is a secret written down, whatever their names say.
from prefect import Flow, task
from prefect.tasks.secrets import EnvVarSecret


@task
def load(dsn, region):
    return dsn, region


with Flow("warehouse-load") as flow:
    load(EnvVarSecret("WAREHOUSE_DSN"), EnvVarSecret("WAREHOUSE_REGION_KEY"))
