export PREFECT__CONTEXT__SECRETS = {"F": "$(F)"}
