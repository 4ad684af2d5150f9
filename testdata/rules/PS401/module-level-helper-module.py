"""Settings a flow module may import: the module builds no flow of its own."""
from prefect.client import Secret

# Read whenever a flow's module imports this one, at registration too.
WAREHOUSE_PASSWORD = Secret("WAREHOUSE_PASSWORD").get()
