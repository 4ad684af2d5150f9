FROM prefecthq/prefect:1.4.1
CMD ["prefect", "agent", "local", "start", "-e", "PREFECT__CONTEXT__SECRETS={\"C\": \"$C\"}"]
