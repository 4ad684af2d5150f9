# Prefect's own client takes the Cloud API key from its config; one written here is committed.
from prefect import Client

client = Client(api_key="pcu_Rt5Yu7Io9Pa1Sd3Fg5Hj7Kl9Zx1Cv3Bn5M")
client.create_project(project_name="etl")
