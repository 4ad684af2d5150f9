FROM prefecthq/prefect:1.4.1
ENV PREFECT__CLOUD__AGENT__ENV_VARS="[1, 2]"
CMD ["prefect", "agent", "docker", "start", "--env", "NOEQ_EXEC", "-e", "OK=1"]
