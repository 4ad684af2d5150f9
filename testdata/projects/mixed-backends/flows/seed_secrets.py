"""Seeds the secrets the flows need into Prefect Cloud."""
import os

from prefect import Client

client = Client()
client.set_secret(name="WAREHOUSE_PASSWORD", value=os.environ["WAREHOUSE_PASSWORD"])
