"""A storage's secret-name argument given the token itself."""
import os

from prefect import Flow
from prefect.storage import GitHub

# Bad: the token is stored with the flow, and runs look up a secret named after it.
bad = Flow("bad", storage=GitHub(repo="org/flows", path="flows/bad.py", access_token_secret=os.environ["GITHUB_ACCESS_TOKEN"]))

# Good: the name of the secret that holds the token.
good = Flow("good", storage=GitHub(repo="org/flows", path="flows/good.py", access_token_secret="GITHUB_ACCESS_TOKEN"))
