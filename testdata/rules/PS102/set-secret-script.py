"""A one-off migration script: the values it uploads are committed with it."""
import os

from prefect import Client

client = Client()
# Bad: the value is in the repository.
client.set_secret(name="DB_PASSWORD", value="fake-Kq9vTz4LmW2pR7xY")
client.set_secret("SNOWFLAKE_PASSWORD", "fake-Lm3Nb8Vc2Xz7Qw5Er")
# Good: read when the script runs.
client.set_secret(name="API_TOKEN", value=os.environ["API_TOKEN"])
# Good: a setting, not a credential.
client.set_secret(name="AWS_REGION", value="us-east-1")
