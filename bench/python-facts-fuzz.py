#!/usr/bin/env python3
"""Writes random Python files that mix every shape the Prefect facts come in (imports and
aliases, secret reads, flows, run configs, storage, env assignments, secret keys, helpers)
at every level (module, class, function, with/if/try blocks, one-liners), plus a broken copy
of each (indentation, truncated lines, stray brackets). For bench/prefilter-equivalence.sh,
which holds the prefilters' fast path to the full parse on them:

    bench/python-facts-fuzz.py DIR [COUNT] [SEED] && bench/prefilter-equivalence.sh DIR
"""
import os, random, sys
out_dir = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
random.seed(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
os.makedirs(out_dir, exist_ok=True)
imports = [
 "import prefect", "import os", "from os import environ", "from os import environ as E",
 "from prefect import Flow, Parameter, task, Client", "from prefect import Flow as F",
 "from prefect.client import Secret", "from prefect.client import Secret as S",
 "from prefect.tasks.secrets import PrefectSecret, EnvVarSecret", "from prefect.tasks.secrets import PrefectSecret as PS",
 "from prefect.run_configs import DockerRun, KubernetesRun, LocalRun", "from prefect.storage import GitHub, S3, Docker, Local",
 "from prefect.storage import *", "from prefect.tasks.aws.s3 import S3Upload", "from prefect.tasks import aws",
 "import prefect.tasks.aws as A", "from prefect.utilities.notifications import slack_notifier as sn",
 "from prefect.tasks.notifications import SlackTask", "import prefect.client as pc", "from prefect import context",
 "import json, logging", "from typing import Any, Dict", "from os import getenv", "from flows.config import prepare",
 "from flows import config", "import numpy as np",
]
stmts = [
 "x = 1", "logger = logging.getLogger(__name__)", "data = json.loads('{}')", "print(x)",
 "s = Secret('DB_PASSWORD')", "v = s.get()", "v = Secret('API_TOKEN').get()", "t = PrefectSecret('X')", "r = t.run()",
 "PS('ALIAS')", "S('ALIASED').get()", "pc.Secret('VIA_MODULE').get()", "prefect.client.Secret('FULL').get()",
 "os.environ['DB_PASSWORD'] = 'hunter2'", "environ['PREFECT__BACKEND'] = 'server'", "E['PREFECT__CLOUD__API'] = 'x'",
 "os.environ.setdefault('PREFECT__CONTEXT__SECRETS__A', 'v')", "password = 'p4ss'", "cfg = {'api_key': 'abc', 'host': 'h'}",
 "cfg['token'] = 'zzz'", "connect(host='h', password='pw')", "self.secret = 'shh'",
 "flow = Flow('etl')", "flow.run_config = DockerRun(env={'PREFECT__CONTEXT__SECRETS__B': 'x'}, labels=['a'])",
 "flow.storage = GitHub(repo='r', path='p')", "flow.storage = Local()", "rc = KubernetesRun(labels=['k8s'])", "LABELS = ['l1', 'l2']",
 "NAME = 'CONST_SECRET'", "PrefectSecret(NAME)", "EnvVarSecret('ENV_S')", "S3Upload(bucket='b')", "aws.S3Download(bucket='b')", "A.S3Upload()",
 "Client().set_secret(name='N', value='v')", "c = Client()", "c.set_secret(name='M', value=v)", "c.delete_secret('M')",
 "SlackTask(message='m')", "Parameter('password', default='dflt')", "GitHub(repo='r', path='p', access_token_secret='GH')",
 "with prefect.context(secrets={'DB_PASSWORD': 'ctx-pw'}):\n    flow.run()", "prefect.context.secrets['API_TOKEN'] = 'ctx-tok'",
 "context(secrets=dict(password='kw-pw'))", "prefect.context.secrets['A'] == 'cmp'", "prefect.config.context.secrets.get('CFG')",
 "config.context.secrets['CFG_IMPORTED']", "from prefect import config", "SECRETS = {'token': 'later'}\nprefect.context(secrets=SECRETS)",
 "q = 'mutation { set_secret(input: $i) { success } }'", "helper()", "value = helper()", "flow.run()", "context.get('secrets')",
 "f = F('aliased-flow')", "prefect.Task(state_handlers=[sn])", "u = prefect.tasks.azureml.BlobStorageUpload()",
 "kw = dict(password='x')", "items = [Secret(n).get() for n in names]", "x = (\n    Secret('MULTI')\n    .get()\n)",
 "y = 1  # Secret('COMMENT')", "z = 'Secret(\"IN_STRING\")'", "pass", "return_value = None",
 "if x: Secret('ONELINE').get()", "a = 1; Secret('SEMI').get()", "b = Secret('CONT') \\\n    .get()", "while x: helper()",
 "for n in names: PrefectSecret(n)", "lam = lambda: Secret('LAMBDA').get()", "global flow", "async def coro():\n    return Secret('ASYNC').get()",
 "def one(): return Secret('ONEDEF').get()", "class K: token = 'classlevel'", "match cmd:\n    case 'x':\n        Secret('MATCH').get()",
 "# comment line\nflow.storage = S3(bucket='b')", "f(\n    # c\n    password='pw',\n)", "(s) = Secret('PAREN')", "s2: Secret = Secret('ANN')",
 "client = prefect.Client()", "client.set_secret('CLI', 'v')",
 "s = other()", "s: int", "s += 1", "return (s).get()", "if x: s = Secret('ONELINE2')", "for n in ns: t = PrefectSecret(n)",
 "cfg.x = NAME = 'CHAINED'", "(NAME) = 'PARENS'", "print(1); NAME = 'SEMI2'", "import prefect.tasks.aws.s3 as s3mod", "s3mod.S3Download()",
 "flow.storage: object = GitHub(repo='r', path='p')", "(flow.run_config) = rc", "flow.storage += st", "password `= 'x'", "token $= 'y'",
 "cfg['password'][0] = 'v'", "fl = prefect.Flow('p', storage=Docker(env_vars={'PREFECT__CONTEXT__SECRETS__D': 'v'}))",
 "password: Dict[str, str] = 'annotated'", "def annotated(token: Tuple[int, str] = 'dflt', x=1):\n    pass",
 "cfg = {'k': (1, 2), 'password': 'after_tuple'}",
 "KEY = os.environ.get('PREFECT_API_KEY')", "TOKEN = getenv('SLACK_TOKEN')", "HOMEDIR = os.environ['HOME']", "ALIAS = KEY",
 "flow.run_config = DockerRun(env={'API_KEY': f'{KEY}', 'T': TOKEN, 'A': ALIAS, 'P': os.getenv('DB_PASSWORD')})",
 "Parameter('api_token', default=os.getenv('API_TOKEN'))", "fl2 = Flow('d', storage=Docker(env_vars={'DB_PASSWORD': os.environ['DB_PASSWORD']}))",
 "prepare(flow)", "config.prepare(f=flow)", "np.array(flow)", "log(x, flow)", "def prepare(f):\n    f.run_config = rc",
 "cfgmod.flow.run_config = rc", "flow = prefect.utilities.storage.extract_flow_from_file(p)", "fl = extract_flow_from_module(m)",
 "fl.run_config = rc", "from flows.two import flow as imported_flow", "imported_flow.register(project_name='p', labels=['prod'])",
 "import flows.two", "flows.two.flow.run_config = rc", "ENVS = dotenv_values('.env')", "ENV2 = dict(os.environ)", "flow.run_config = LocalRun(env=ENVS)",
 "flow.run_config = DockerRun(env={**os.environ, 'X': '1'})", "flow.run_config = LocalRun(env=ENV2)", "notify = SlackTask()", "notify(message='m', webhook_secret='SLACK')", "notify(webhook_secret=name)",
 "def chain1():\n    return helper()", "def chain2():\n    return chain1()", "def before():\n    return later()",
 "def later():\n    return Secret('LATER').get()", "class T(Task):\n    def run(self):\n        return helper()\n    def other(self):\n        return Secret('OTHER').get()",
 "from lib.db import load, dsn as d", "load(d())",
 "class L(Task):\n    def __init__(self):\n        self.c = d()\n    def run(self):\n        x = 1\n        def inner():\n            return load(x)\n        return inner()",
 "class M:\n    if x:\n        def run(self):\n            return load(1)\n    def other(self):\n        return d()", "if __name__ == '__main__':\n    from lib.admin import rotate\n    rotate()",
 "BASE_ENV = {'PREFECT__CONTEXT__SECRETS__S': os.environ['S'], 'M': 'x'}", "flow.run_config = KubernetesRun(env={**BASE_ENV, 'MODE': 'p'}, labels=LABELS + ['gpu'])",
 "flow.run_config = DockerRun(env=dict(BASE_ENV, K=NAME + '_X'), labels=[NAME + '-l'])", "PrefectSecret(NAME + '_PW')",
 "from prefect.agent.docker import DockerAgent", "from prefect.agent.local import LocalAgent",
 "agent = DockerAgent(labels=LABELS + ['d'], env_vars={**BASE_ENV, 'PREFECT__CONTEXT__SECRETS__Q': 'v'})", "agent.start()",
 "LocalAgent(labels=['local'], hostname_label=False).start()", "prefect.agent.kubernetes.KubernetesAgent(env_vars=BASE_ENV).start()",
 "notify(webhook_secret=PrefectSecret('S2'))", "up = S3Upload(bucket='b')", "up(data='d', credentials=c)", "GitHub(repo='r', path='p', access_token_secret=PrefectSecret('GH'))", "from prefect.client import Secret as caf\u00e9\ncaf\u0065\u0301('CANON').get()",
]
def block(depth, n):
    out = []
    ind = "    " * depth
    for _ in range(n):
        r = random.random()
        if r < 0.10 and depth < 3:
            out.append(f"{ind}def fn{random.randint(0,99)}(a, b=None):")
            out += block(depth + 1, random.randint(1, 4))
        elif r < 0.15 and depth < 3:
            out.append(f"{ind}class C{random.randint(0,99)}(object):")
            out += block(depth + 1, random.randint(1, 3))
        elif r < 0.22 and depth < 3:
            w = random.choice(['Flow("w")', 'open(p)', 'F("w2") as fl', 'prefect.Flow("w3") as flow'])
            out.append(ind + "with " + w + ":")
            out += block(depth + 1, random.randint(1, 3))
        elif r < 0.28 and depth < 3:
            c = random.choice(['x', 'Secret("IFS").get()', 'os.environ.get("A")'])
            out.append(ind + "if " + c + ":")
            out += block(depth + 1, random.randint(1, 3))
            if random.random() < 0.5:
                out.append(f"{ind}else:")
                out += block(depth + 1, 1)
        elif r < 0.32 and depth < 3:
            out.append(f"{ind}try:")
            out += block(depth + 1, random.randint(1, 2))
            out.append(f"{ind}except Exception:")
            out += block(depth + 1, 1)
        elif r < 0.35:
            d = random.choice(['task', 'prefect.task', 'staticmethod', 'task(name="t")'])
            out.append(ind + "@" + d)
            out.append(f"{ind}def deco{random.randint(0,99)}(password='dp'):")
            out += block(depth + 1, random.randint(1, 3))
        elif r < 0.38:
            out.append(f"{ind}{random.choice(imports)}")
        elif r < 0.40:
            out.append(f"{ind}def helper():")
            out.append(f"{ind}    return Secret('HELPER').get()")
        else:
            for line in random.choice(stmts).split("\n"):
                out.append(ind + line)
    return out
def broken(lines):
    lines = list(lines)
    for _ in range(random.randint(1, 4)):
        op = random.random()
        i = random.randrange(len(lines))
        if op < 0.25: lines[i] = lines[i].lstrip()
        elif op < 0.4: lines[i] = "    " + lines[i]
        elif op < 0.55: lines[i] = lines[i][:random.randint(0, len(lines[i]))]
        elif op < 0.75: lines.insert(i, random.choice(["(", ")", '"""', "'", "    ", "\t x = 1", "def", "@", ":", "else:", "  y = 2", "if x:"]))
        else: del lines[i]
    return lines

for k in range(count):
    lines = random.sample(imports, random.randint(1, 6)) + block(0, random.randint(3, 25))
    with open(os.path.join(out_dir, f"f{k:05d}.py"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out_dir, f"f{k:05d}_broken.py"), "w") as f:
        f.write("\n".join(broken(lines)) + "\n")
