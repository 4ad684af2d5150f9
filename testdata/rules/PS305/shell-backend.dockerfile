FROM prefecthq/prefect:1.4.1
ENV PREFECT__BACKEND Server
RUN prefect backend SERVER
CMD ["prefect", "agent", "docker", "start"]
