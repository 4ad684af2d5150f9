FROM prefecthq/prefect:1.4.1
ENV PREFECT__CLOUD__API_KEY=pk-q7Zp-image-11
ENTRYPOINT ["prefect", "agent", "docker", "start", "--key", "pk-q7Zp-exec-12"]
