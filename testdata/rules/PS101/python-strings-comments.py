"""Module docstring with a pasted token: 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 (reported: docstrings are strings)."""
from prefect import Flow, task

# A token format in a comment is reported: 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
# A URL password in a comment is not a token format, so it is not: postgresql://etl:Tr0ub4dor-and-3@db.internal/orders
WAREHOUSE_URL = "postgresql://etl:Tr0ub4dor-and-3@warehouse.internal:5432/orders"
SLACK_BOT = f"xoxb-293328798580-4439964366390-aLOS5OAvP7dxamzpvLJ0Zx6m"


@task
def notify(channel):
    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 = channel  # an identifier, not a string
    # The expression of an f-string is code, not text: not reported.
    return f"channel {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} done"


with Flow("notify") as flow:
    notify("#etl")
