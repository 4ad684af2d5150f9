"""A script that starts a flow run through the API client."""
from prefect import Client
from prefect.client import Secret

client = Client()
# Bad: the value read here becomes a stored parameter of the run.
CREDENTIALS = Secret("GCP_CREDENTIALS").get()
client.create_flow_run(version_group_id="load", parameters={"credentials": CREDENTIALS})
# Bad: also written in place, on a client made for the call.
Client().create_flow_run(version_group_id="load", parameters={"token": Secret("API_TOKEN").get()})
# Good: the name; the flow reads it with PrefectSecret.
client.create_flow_run(version_group_id="load", parameters={"credentials_secret": "GCP_CREDENTIALS"})
