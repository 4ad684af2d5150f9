FROM prefecthq/prefect:1.4.1
ENV PREFECT__context__secrets__update=v4
CMD ["prefect", "agent", "docker", "start", "-e", "PREFECT__CONTEXT__SECRETS__values=v5"]
