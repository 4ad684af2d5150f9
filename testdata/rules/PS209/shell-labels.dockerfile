FROM prefecthq/prefect:1.4.1
ENV PREFECT__CLOUD__AGENT__LABELS=prod
ENV PREFECT__CLOUD__AGENT__LABELS='["prod"]'
CMD ["prefect", "agent", "docker", "start"]
