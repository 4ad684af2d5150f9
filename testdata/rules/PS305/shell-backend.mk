export PREFECT__BACKEND := srv

setup:
	prefect backend cloud
