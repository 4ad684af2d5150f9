"""The names of the project's secrets, in one place."""
SLACK_TOKEN = "SLACK_TOKEN"
WAREHOUSE_PASSWORD = "WAREHOUSE_PASSWORD"
