FROM prefecthq/prefect:1.4.1
ENV PREFECT__Context__Secrets__IMAGE=${IMAGE_SECRET}
CMD ["prefect", "agent", "local", "start", "--env", "PREFECT__CONTEXT__Secrets__EXEC=$EXEC"]
