"""A flow whose parameters take credentials."""
from prefect import Flow, Parameter
from prefect.tasks.secrets import PrefectSecret

with Flow("takes-a-password") as flow:
    # Bad: the value each run is given is a stored parameter of the run.
    password = Parameter("password")
    token = Parameter("api_token", default=None)
    # Good: the secret's name, which the flow reads with PrefectSecret; and no credential.
    password_secret = Parameter("password_secret", default="DB_PASSWORD")
    PrefectSecret()(name=password_secret)
    access_key_id = Parameter("aws_access_key_id")
