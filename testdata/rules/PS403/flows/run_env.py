from prefect import Flow
from prefect.run_configs import ECSRun
from prefect.tasks.secrets import PrefectSecret

# Good: one whole reference is how a value is meant to be passed on.
with Flow("ingest", run_config=ECSRun(env={"PREFECT__CONTEXT__SECRETS__DB_PASSWORD": "$DB_PASSWORD"})) as flow:
    PrefectSecret("DB_PASSWORD")
