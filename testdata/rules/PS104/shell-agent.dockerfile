# PS104 in a Dockerfile: ENV, ARG defaults and an exec-form CMD.
FROM prefecthq/prefect:1.4.1-python3.9
ARG PREFECT__CONTEXT__SECRETS__BUILD_ARG=q7Zp-arg-10
ARG TOKEN
ENV PREFECT__CONTEXT__SECRETS__IMAGE_ENV=q7Zp-env-11 \
    PREFECT__CONTEXT__SECRETS__FROM_ARG=${TOKEN}
CMD ["prefect", "agent", "local", "start", "--env", "PREFECT__CONTEXT__SECRETS__EXEC=q7Zp-exec-12", "-e", "PREFECT__CONTEXT__SECRETS__EXEC_REF=$TOKEN"]
