"""Module docstring: "not a call" PrefectSecret("NOPE")."""
import prefect
import prefect.client as pc
import os.path, json as j
from prefect.tasks.secrets import PrefectSecret as PS, EnvVarSecret
from prefect.client import Secret
from prefect.client import (
    Client,
    Secret as S2,
)
from . import sibling
from ..pkg.mod import helper as h
from .rel import *

token = PS("GITHUB_TOKEN")
other = PS(name="SLACK_WEBHOOK", max_retries=3)
value = prefect.client.Secret("FAKE_NAME").get()
val2 = Secret("X").get()
c = pc.Client()
c.set_secret(name="A", value="fake-value")
env = EnvVarSecret("HOME", raise_if_missing=True)
s = S2(f"{os.path.join('a', 'b')}")
h(sibling.x(1), *args, **kwargs)
print(j.dumps({"k": PS("IN_DICT")}))
