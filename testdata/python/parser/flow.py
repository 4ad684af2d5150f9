# -*- coding: utf-8 -*-
from prefect import Flow, task, Parameter
from prefect.run_configs import KubernetesRun, LocalRun
from prefect.storage import GitHub
from prefect.tasks.secrets import PrefectSecret


@task(max_retries=2)
def fetch(url: str, token: str = "placeholder", *rest, **options) -> dict:
    """Docstring."""
    secret = PrefectSecret("API_KEY").run()
    headers = {"Authorization": f"Bearer {token}", **options}
    return headers


class Helper(Base, metaclass=Meta):
    name: str = "helper"
    count: int

    @staticmethod
    async def go(self):
        async with session() as s, other():
            await s.get("http://example.invalid")


with Flow(
    "etl",
    run_config=KubernetesRun(labels=["k8s"], env={"PREFECT__CONTEXT__SECRETS__X": "fake"}),
    storage=GitHub(repo="org/repo", path="flow.py", access_token_secret="GH_TOKEN"),
) as flow:
    url = Parameter("url", default="https://example.invalid")
    key = PrefectSecret("API_KEY")
    data = fetch(url, key)
    a, b = 1, 2
    total: int = a + b
    total += 1
    x = y = "chained"
    if data:
        nested = PrefectSecret("NESTED")

flow2 = Flow("other", run_config=LocalRun(env={"A": "b"}))
with (Flow("p1") as f1, Flow("p2") as f2):
    pass
items = [PrefectSecret(n) for n in names]
lam = lambda x, y=PrefectSecret("LAMBDA"): x
match command:
    case "go":
        go()
