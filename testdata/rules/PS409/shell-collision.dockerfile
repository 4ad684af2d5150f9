FROM prefecthq/prefect:1.4.1
ENV PREFECT__CONTEXT__SECRETS__S3=${S3} PREFECT__CONTEXT__SECRETS__S3__BUCKET=${BUCKET}
CMD ["prefect", "agent", "local", "start"]
