from prefect import Flow, task
from prefect.client import Secret


@task
def load(token):
    return token


with Flow("main-guard") as flow:
    load(1)

# `prefect register` loads the file under another `__name__`: this runs only when the file
# is run directly, never at registration. No PS401.
if __name__ == "__main__":
    token = Secret("API_TOKEN").get()
    flow.run()
