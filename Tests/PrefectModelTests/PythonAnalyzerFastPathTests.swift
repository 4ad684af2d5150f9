import Foundation
import PythonSource
import Spans
import Testing
import TestSupport

@testable import PrefectModel

/// The prefilter skips the shallow parse where it can find nothing; these tests hold the
/// skipping path to the full path's results, on edge cases, on every Python file in testdata/,
/// and on any tree named by `PREFILTER_CORPUS` (bench/prefilter-equivalence.sh runs it on the
/// machine's Python installation).
@Suite struct PythonAnalyzerFastPathTests {
    @Test func prefectInCodeOrStringsMeansParse() {
        for source in ["import prefect\n", "from prefect.client import Secret\n", "x = 'PREFECT__BACKEND'\n", "y = f'{a}prefect'\n"] {
            let bytes = Array(source.utf8)
            #expect(need(bytes) == .parse, "\(source)")
        }
        let comment = Array("# runs under prefect\nprefect_like = 1\n".utf8)
        #expect(need(comment) == .nothing)
    }

    @Test func unrelatedFileKeepsScopeAndErrors() {
        let file = SourceFile(path: "util.py", text: "x = 'unterminated\ny = \"ok\"  # note\n")
        let analysis = Self.prefiltered(file)
        #expect(analysis.facts.isEmpty)
        #expect(analysis.diagnostics.count == 1)
        guard case .regions(let literals, let comments) = analysis.patternScope else {
            Issue.record("expected regions")
            return
        }
        #expect(literals.map { file.text($0) } == ["\"ok\""])
        #expect(comments.count == 1)
    }

    /// Every shape in which the facts builder records a hard-coded secret or a credential
    /// env var without `prefect` in the file; each must reach the parse.
    static let keySites: [String] = [
        "DB_PASSWORD = \"v\"\n",
        "self.api_token = 'v'\n",
        "password = other = \"v\"\n",
        "password: str = \"v\"\n",
        "password: Optional[str] = (\"v\")\n",
        "password: Dict[str, str] = \"v\"\n",
        "def connect(password: Dict[str, str] = 'v'):\n    pass\n",
        "token += \"v\"\n",
        "connect(host='h', password='v')\n",
        "def f(a, password='v'):\n    pass\n",
        "def f(a, secret: str = 'v'):\n    pass\n",
        "cfg = {'password': 'v'}\n",
        "cfg = {\n    # comment\n    \"db_password\"\n    :\n    'v',\n}\n",
        "cfg = {f'password': 'v'}\n",
        "cfg['db']['password'] = 'v'\n",
        "cfg['password'][0] = 'v'\n",
        "cfg['password', 1] = 'v'\n",
        "import os\nos.environ['DB_PASSWORD'] = 'v'\n",
        "import os\nos.environ['CONNECTION_URL'] = 'v'\n",
        "import os\nos.environ['API_TOKEN'] = 1234\n",
        "from os import environ\nenviron.setdefault('DB_PASSWORD', 'v')\n",
        "token = f'v'\n",
        "q = 'mutation { set_secret(input: $i) { success } }'\n",
        "def f():\n    \"\"\"mutation { delete_secret(input: $i) { success } }\"\"\"\n",
    ]

    @Test(arguments: keySites) func keySitesKeepTheirFacts(source: String) {
        let file = SourceFile(path: "site.py", text: source)
        let fast = Self.prefiltered(file)
        #expect(!Self.summary(fast.facts).isEmpty, "no facts from \(source)")
        #expect(Self.summary(fast.facts) == Self.summary(Self.parsedWhole(file).facts))
    }

    /// Facts inside function bodies of files that import Prefect, each reached only through
    /// the token ``PythonFactsPrefilter/factOffsets(_:tokens:isASCII:)`` must find in the body.
    static let bodySites: [String] = [
        "from prefect.tasks.secrets import PrefectSecret as PS\nSECRETS = {'db': 'PG'}\nSTAGE = 'P'\nx = 1\ndef f():\n    y = 2\n    return PS(SECRETS['db']), PS(f'D_{STAGE}')\n",
        // Several flows: a task's secrets go to the flows that use the task (a class, a
        // variable given to `set_dependencies`, a function), found past ordinary statements.
        "from prefect import Flow, Task\nfrom prefect.client import Secret\nclass Fetch(Task):\n    def run(self):\n        return Secret('C').get()\nx = 1\n"
            + "with Flow('a') as a:\n    y = 2\n    Fetch()()\nwith Flow('b') as b:\n    pass\n",
        "from prefect import Flow, task\nfrom prefect.tasks.secrets import PrefectSecret\napi = PrefectSecret('K')\n@task\ndef load(pw):\n    pass\n"
            + "a = Flow('a')\nb = Flow('b')\nx = 1\nb.set_dependencies(task=load, keyword_tasks={'pw': api})\na.add_task(load)\n",
        "from prefect import Flow, task\nfrom prefect.client import Secret\n@task\ndef t():\n    return Secret('T').get()\nwith Flow('a') as a:\n    z = 0\nwith Flow('b') as b:\n    t()\n",
        "from prefect import Flow, task\nfrom prefect.utilities.notifications import slack_notifier\n@task(state_handlers=[slack_notifier(webhook_secret='S')])\n@other\ndef t():\n    pass\n"
            + "with Flow('a') as a:\n    z = 0\nwith Flow('b') as b:\n    t()\n",
        "import prefect\nfrom prefect import Flow, task\n@task\ndef t():\n    x = 1\n    return prefect.context.secrets['C'], prefect.context.secrets.get('D')\nwith Flow('a') as a:\n    t()\nwith Flow('b') as b:\n    pass\n",
        "from flows.etl import flow\nfrom prefect.run_configs import DockerRun\nx = 1\nflow.run_config = DockerRun(labels=['prod'])\n",
        "from prefect import Flow\nimport os\nNAME = 'etl'\nx = 1\nwith Flow(NAME) as flow:\n    pass\n",
        // Context secrets taken by key, in a task body that names nothing else the prefilter looks for.
        "import prefect\nfrom prefect import Flow, task\nx = 1\n@task\ndef t():\n    y = 2\n    return prefect.context.get('secrets', {}).get('K'), prefect.context['secrets']['S']\n"
            + "with Flow('a') as a:\n    t()\n",
        "import prefect\nx = 1\ndef helper():\n    y = 2\n    return prefect.context.get(\"secrets\", {}).get(\"K\")\n",
        // A helper given the secret's name, called past ordinary statements: in a flow, in a
        // task, by keyword, through `.run`, and with its default.
        "from prefect import Flow, task\nfrom prefect.client import Secret\nx = 1\n@task\ndef get_secret(name, other=None):\n    y = 2\n    return Secret(name).get()\n"
            + "def read(key='DEF'):\n    return Secret(key).get()\n@task\ndef load():\n    z = 3\n    return read('IN_TASK'), read(), get_secret.run(name='RUN')\n"
            + "with Flow('a') as a:\n    w = 4\n    get_secret('A')\n    load()\nwith Flow('b') as b:\n    get_secret(other=1, name='B')\n",
        // Calls of an imported helper, past ordinary statements, with the names they give.
        "from prefect import Flow, task\nfrom lib.secrets import get_secret as gs, read_key\nK = 'CONST'\nx = 1\n@task\ndef load():\n    y = 2\n    return read_key(), read_key(K, *rest)\n"
            + "with Flow('a') as a:\n    gs('A', \n       other=f(1, 2))\n    gs.run(name='B')\n    load()\n",
        // A task calling an imported helper with a name, past ordinary statements.
        "from prefect import task\nfrom lib.secrets import get_secret\nx = 1\n@task\ndef load(table):\n    y = 2\n    return get_secret('T', *more), get_secret(name='U')\n",
        // A secret task named when it is called, past ordinary statements.
        "from prefect import Flow\nfrom prefect.tasks.secrets import PrefectSecret\nget = PrefectSecret()\nx = 1\nwith Flow('f') as flow:\n    y = 2\n    get(name='DB')\n    PrefectSecret()('API')\n",
        // A task class whose `run` reads the secret its parameter names, run past ordinary
        // statements through an instance variable, a bound instance, `.run` and a mapped call.
        "from prefect import Flow, Task\nfrom prefect.client import Secret\nx = 1\nclass Fetch(Task):\n    y = 2\n    def run(self, name, key='DEF'):\n        z = 3\n"
            + "        return Secret(name).get(), Secret(key).get()\nfetch = Fetch()\nw = 4\nwith Flow('a') as a:\n    v = 5\n    fetch('A')\n    fetch.run(name='B')\n"
            + "with Flow('b') as b:\n    u = 6\n    fetch.bind('C')\n    Fetch()('D')\n    fetch.map(['E'])\n",
        // A method reading the secret its parameter names, called on `self` past ordinary statements.
        "from prefect import Flow, Task\nfrom prefect.client import Secret\nx = 1\nclass Load(Task):\n    y = 2\n    def password(self, name, key='DEF'):\n        z = 3\n"
            + "        return Secret(name).get() + Secret(key).get()\n    def helper(self):\n        return 1\n    def run(self):\n        w = 4\n"
            + "        return self.password('DB_PASSWORD'), self.helper(), self.password(name='OTHER', key='K')\nwith Flow('a') as a:\n    v = 5\n    Load()()\n",
        // A task class keeping its `__init__`'s secret name in an attribute its `run` reads,
        // made past ordinary statements, in a variable and in place.
        "from prefect import Flow, Task\nfrom prefect.client import Secret\nx = 1\nclass Query(Task):\n    y = 2\n    def __init__(self, secret_name='DEF', **kwargs):\n"
            + "        z = 3\n        self.secret_name = secret_name\n        super().__init__(**kwargs)\n    def run(self):\n        w = 4\n"
            + "        return Secret(self.secret_name).get()\nprod = Query('PROD')\nv = 5\nwith Flow('a') as a:\n    u = 6\n    prod()\n    Query(secret_name='B')()\n",
        // Reads of loop variables over literals, in a task and in a flow block, past ordinary statements.
        "import os\nfrom prefect import Flow, task\nfrom prefect.client import Secret\nfrom prefect.tasks.secrets import PrefectSecret\nx = 1\n@task\ndef load():\n"
            + "    y = 2\n    for name in ['A', 'B']:\n        z = 3\n        os.environ[name] = Secret(name).get()\nwith Flow('f') as f:\n    w = 4\n"
            + "    for n in ('C',\n              'D'):\n        v = 5\n        PrefectSecret(n)\n",
        // A loop over a module list of names defined past ordinary statements.
        "from prefect import task\nfrom prefect.client import Secret\nx = 1\nNAMES = ['A', 'B']\ny = 2\n@task\ndef load():\n    z = 3\n    for n in NAMES:\n        w = 4\n        Secret(n).get()\n",
        // Module lists changed past ordinary statements: at module level, in a function that
        // reads nothing, in one with a list of its own; a function's own list changed.
        "from prefect import task\nfrom prefect.client import Secret\nx = 1\nNAMES = ['A']\nNAMES.append('B')\nMORE = ['C']\ny = 2\ndef more():\n    v = 5\n    MORE.append('D')\n"
            + "def own():\n    NAMES = []\n    NAMES.append('E')\n@task\ndef load():\n    z = 3\n    names = ['F']\n    names.extend(['G'])\n    for n in NAMES:\n        w = 4\n        Secret(n).get()\n"
            + "    for m in MORE:\n        Secret(m).get()\n    for o in names:\n        Secret(o).get()\n",
        // A secret named by a flow parameter, its variable bound again before and after, past ordinary statements.
        "from prefect import Flow, Parameter\nfrom prefect.tasks.secrets import PrefectSecret\ndb = pick()\nx = 1\nget = PrefectSecret()\nwith Flow('a') as a:\n    y = 2\n"
            + "    db = Parameter('db_secret', default='A')\n    get(name=db)\n    db = pick()\n    get(name=db)\n    db = Parameter(name='p', default='B')\n    z = 3\n    get(name=db)\n",
        // A task class whose `run` only calls what the module imports from another module.
        "from prefect import Task\nfrom lib.db import connect\nx = 1\nclass Load(Task):\n    y = 2\n    def run(self):\n        z = 3\n        return connect()\n",
        // A module dict spread into a run config's env, defined past ordinary statements.
        "from prefect import Flow\nfrom prefect.run_configs import KubernetesRun\nimport os\nx = 1\nP = 'PREFECT__CONTEXT__SECRETS__'\ny = 2\n"
            + "BASE = {P + 'DB': os.environ['DB']}\nz = 3\nwith Flow('f', run_config=KubernetesRun(env={**BASE, 'M': 'p'})) as flow:\n    pass\n",
        // Agents a module starts, in a function past ordinary statements and under `if __name__`.
        "from prefect.agent.docker import DockerAgent\nimport os\nx = 1\ndef main():\n    y = 2\n"
            + "    agent = DockerAgent(labels=['a'], env_vars={'PREFECT__CONTEXT__SECRETS__X': os.environ['X']})\n    z = 3\n    agent.start()\n",
        "from prefect.agent.local import LocalAgent\nx = 1\nif __name__ == '__main__':\n    y = 2\n    LocalAgent(labels=['a'], hostname_label=False).start()\n",
        // Labels and secret names joined by `+` from module constants defined past ordinary statements.
        "from prefect import Flow\nfrom prefect.run_configs import DockerRun\nfrom prefect.tasks.secrets import PrefectSecret as PS\nBASE = ['prod']\nx = 1\nENV = 'eu'\n"
            + "REGION = ENV + '-west'\ny = 2\ndef f():\n    return PS('DB_' + REGION)\nwith Flow('f', run_config=DockerRun(labels=BASE + [REGION])) as flow:\n    pass\n",
        "from prefect import Flow\nwith Flow('f') as flow:\n    pass\nif __name__ == '__main__':\n    flow.register(project_name='p', labels=['dev'])\n",
        "from prefect import Flow\nflow = Flow('f')\ndef main():\n    flow.register(labels=['dev'])\n",
        "from prefect.tasks.secrets import PrefectSecret as PS\ndef f():\n    return PS('DB')\n",
        "from prefect.tasks.aws.s3 import S3Upload\ndef f():\n    S3Upload(bucket='b')\n",
        "def f():\n    return prefect.tasks.aws.S3Upload()\n",
        "def f():\n    return prefect.tasks.azureml.BlobStorageUpload()\n",
        "import prefect.storage as st\nflow = prefect.Flow('f')\ndef configure():\n    flow.storage = st.Custom()\n",
        "from os import environ as E\ndef f():\n    E['PREFECT__BACKEND'] = 'server'\n",
        "def f():\n    from prefect import client as C\n\nC.Secret('X').get()\n",
        "class T:\n    def outer(self):\n        def inner():\n            return prefect.client.Secret('X').get()\n        return inner\n",
        "def f():\n    c = prefect.Client()\n    c.set_secret(name='X', value='v')\n",
        "import os\ndef f(p):\n    os.environ.setdefault('PREFECT__BACKEND', p)\n",
        "from prefect.utilities.notifications import slack_notifier as sn\ndef f():\n    return prefect.Task(state_handlers=[sn])\n",
        "def f():\n    kw = {'password': 'v'}\n",
        "def f():\n    connect(api_token='v')\n",
        "from prefect.storage import *\ndef f():\n    return GitHub(repo='r', path='p')\n",
        "def f():\n    with prefect.Flow('f') as flow:\n        prefect.tasks.secrets.PrefectSecret('X')\n",
        "def f():\n    s = prefect.client.Secret('X')\n    log('x')\n    return s.get()\n",
        "def load():\n    return prefect.client.Secret('X').get()\n\nwith prefect.Flow('f'):\n    load()\n",
        "def load():\n    return prefect.client.Secret('X').get()\n\nprint(load())\n",
        "if True:\n    def load():\n        return prefect.client.Secret('X').get()\nprint(load())\n",
        "def f():\n    (s) = prefect.client.Secret('X')\n    return s.get()\n",
        "@prefect.task\ndef t():\n    return prefect.client.Secret('X').get()\n",
        "from prefect import task as T\n@staticmethod\n@T(name='t')\ndef t():\n    return prefect.client.Secret('X').get()\n",
        // Shapes found in review: a reassignment between `s = Secret(…)` and `s.get()` unbinds
        // it; one-line bodies, parenthesized receivers, targets after the statement start,
        // submodule aliases, annotated and augmented attribute targets, error tokens.
        "def f():\n    if x: s = prefect.client.Secret('X')\n    return s.get()\n",
        "def f():\n    s = prefect.client.Secret('X')\n    return (s).get()\n",
        "cfg.x = NAME = 'MY_SECRET'\nwith prefect.Flow('f'):\n    prefect.client.Secret(NAME).get()\n",
        "print(1); NAME = 'MY_SECRET'\nwith prefect.Flow('f'):\n    prefect.client.Secret(NAME).get()\n",
        "import prefect.tasks.aws.s3 as s3mod\nwith prefect.Flow('f'):\n    s3mod.S3Download()\n",
        "flow = prefect.Flow('f')\ndef g(st):\n    flow.storage: object = prefect.storage.GitHub(repo='r', path='p')\n",
        "flow = prefect.Flow('f')\nimport prefect.storage as st\ndef g():\n    (flow.storage) = st.Custom()\n",
        "def f(password `= 'x'): pass\n",
        "def (x):\n    def helper():\n        return prefect.client.Secret('X').get()\nhelper()\n",
        "class K:\n    def f(self): if True:\n        s = prefect.client.Secret('X').get()\n",
        // An indented block after a line without `:`: the parser reads it at the outer level.
        "def one(): return 1\n    if x:\n        def helper():\n            return prefect.client.Secret('X').get()\nhelper()\n",
        "from prefect.tasks.secrets import PrefectSecret\ndef f():\n    task: PrefectSecret = PrefectSecret('X')\n    return task.run()\n",
        // Names the parser takes for the same one, in other bytes.
        "from prefect.client import Secret as caf\u{E9}\ndef f():\n    return cafe\u{301}('CANON').get()\n",
        "from prefect.client import Secret as \u{212A}s\ndef f():\n    return Ks('KELVIN').get()\n",
        "import prefect\ndef f():\n    \u{212A} = prefect.client.Secret('X')\n    return K.get()\n",
        // A `with` that builds no flow, whose header the fast path steps over: a statement in
        // it is no more conditional than in the full parse.
        "import prefect\nfrom prefect.storage import GitHub\nflow = prefect.Flow('etl')\nwith open(p):\n    flow.storage = GitHub(repo='r', path='p')\n",
        "import prefect\nfrom prefect.storage import GitHub\nflow = prefect.Flow('etl')\nif X:\n    with open(p):\n        flow.storage = GitHub(repo='r', path='p')\n",
        // Agents started as programs, in a function's body and through an imported name.
        "import os\ndef main():\n    os.system('prefect agent local start -l ops')\nmain()\n",
        "from subprocess import Popen\ndef main():\n    Popen(['prefect', 'agent', 'docker', 'start', '-l', 'd'], env={'A': '1'})\n",
        "import os\nSTART = 'prefect agent local start -l const'\nos.system(START)\n",
        "import subprocess\ndef main(label):\n    subprocess.run(['prefect', 'agent', 'local', 'start', '-l', label])\n",
        "import os\ndef main(label):\n    os.system(f'prefect agent local start -l {label}')\n    os.system('prefect agent docker start -l {}'.format(label))\n",
        // A flow its module runs when loaded.
        "from prefect import Flow\nwith Flow('f') as flow:\n    pass\nx = 1\nflow.run()\n",
        "import prefect\nflow = prefect.Flow('f')\nx = 1\nstate = flow.run(parameters={'a': 1})\n",
        // Module constants a command line inserts.
        "import os\nimport subprocess\nLABEL = 'docker'\nREGION = 'eu'\nx = 1\nsubprocess.run(f'prefect agent docker start -l {LABEL}', shell=True)\nos.system('prefect agent local start -l {}'.format(REGION))\nsubprocess.run(['prefect', 'agent', 'local', 'start', '-l', REGION + '-1'])\n",
        // Agents a factory function makes, started where it is called, and `flow.run_agent()`.
        "from prefect.agent.local import LocalAgent\ndef make(labels):\n    return LocalAgent(labels=labels)\nx = 1\nagent = make(['p'])\ny = 2\nagent.start()\n",
        "from prefect.agent.local import LocalAgent\ndef make(labels):\n    return LocalAgent(labels=labels)\ndef main():\n    a = make(['p'])\n    a.start()\n",
        "from prefect.agent.local import LocalAgent\ndef make(labels=['d']):\n    return LocalAgent(labels=labels)\nmake().start()\n",
        "from prefect.agent.local import LocalAgent\ndef make(labels):\n    x = 1\n    agent = LocalAgent(labels=labels)\n    return agent\ny = 2\nmake(['p']).start()\n",
        "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nwith Flow('f', run_config=LocalRun(labels=['a'])) as flow:\n    pass\nx = 1\nflow.run_agent()\n",
        // A storage's secrets set after it is built.
        "from prefect import Flow\nfrom prefect.storage import GitHub\nwith Flow('f') as flow:\n    pass\nstore = GitHub(repo='r', path='p')\nx = 1\nstore.secrets = ['A']\nflow.storage = store\n",
        "from prefect import Flow\nfrom prefect.storage import GitHub\nwith Flow('f') as flow:\n    pass\nflow.storage = GitHub(repo='r', path='p')\nx = 1\nflow.storage.secrets.append('B')\n",
        // Flows of imported modules configured in a loop.
        "from prefect.run_configs import DockerRun\nfrom src.flows import beacons\nx = 1\nFLOWS = [beacons.flow]\nfor flow in FLOWS:\n    y = 2\n    flow.run_config = DockerRun(labels=['m'])\n",
        // A flow renamed after it is built; another object's `name` is not a flow's.
        "from prefect import Flow\nwith Flow('f') as flow:\n    pass\nx = 1\nflow.name = 'renamed'\nother.name = 'x'\n",
        "from prefect import Flow\nSTAGE = 'prod'\ndef build():\n    flow = Flow('f')\n    y = 2\n    flow.name = f'etl {STAGE}'\n    return flow\n",
    ]

    /// A reassignment between `s = Secret(…)` and `s.get()` unbinds the read: the fast path
    /// must not report it either.
    static let unboundReads: [String] = [
        "def f():\n    s = prefect.client.Secret('X')\n    s = other()\n    return s.get()\n",
        "def f():\n    s = prefect.client.Secret('X')\n    s: int\n    return s.get()\n",
        "def f():\n    s = prefect.client.Secret('X')\n    (s) += 1\n    return s.get()\n",
    ]

    @Test(arguments: unboundReads) func unboundReadsStayUnbound(source: String) {
        let file = SourceFile(path: "body.py", text: "import prefect\n" + source)
        let full = Self.summary(Self.parsedWhole(file).facts)
        #expect(full.allSatisfy { !$0.hasPrefix("read") })
        #expect(Self.summary(Self.prefiltered(file).facts) == full)
    }

    @Test(arguments: bodySites) func bodySitesKeepTheirFacts(source: String) {
        let file = SourceFile(path: "body.py", text: "import prefect\n" + source)
        let full = Self.summary(Self.parsedWhole(file).facts)
        #expect(!full.isEmpty, "no facts from \(source)")
        #expect(Self.summary(Self.prefiltered(file).facts) == full)
    }

    /// Bodies of a Prefect file that name nothing the builder reads are not parsed.
    @Test func ordinaryBodiesAreSteppedOver() {
        let source = "import prefect\ndef f(x):\n    return prefect.context.get('flow_name') + helper(x, token)\n"
        let bytes = Array(source.utf8)
        let offsets = PythonFactsPrefilter.factOffsets(bytes, tokens: PythonTokenizer.tokenize(bytes))
        #expect(offsets.offsets == [0], "only the module-level import")
    }

    /// Secret words that stand nowhere near a literal value: no parse, no facts.
    static let prose: [String] = [
        "raise ValueError('invalid token')\n",
        "token = next_token()\n",
        "def f(token: Token):\n    return token == 'x'\n",
        "log.info(f'password for {user} changed')\n",
        "tokens = {}\nif password is None: pass\n",
        "secret_name = 'DB'\n",
        "def f():\n    \"\"\"Set password = 'x' in PREFECT__CONTEXT__SECRETS.\"\"\"\n",
    ]

    @Test(arguments: prose) func proseNeedsNoParse(source: String) {
        let bytes = Array(source.utf8)
        #expect(need(bytes) == .nothing)
        let file = SourceFile(path: "prose.py", text: source)
        #expect(Self.summary(Self.parsedWhole(file).facts).isEmpty)
    }

    /// The name table's masks only turn names away: every lookup agrees with a plain search
    /// of its names and prefixes, also for names that share first bytes, last bytes and lengths,
    /// whether the table compares its few names in order or has built its tables by byte.
    @Test(arguments: [(9, 5), (3, 2), (6, 2), (8, 0), (1, 0), (0, 1)])
    func nameTableAgreesWithPlainSearch(nameCount: Int, prefixCount: Int) {
        let names = Array(["get", "run", "Flow", "task", "environ", "x", "ab", "Secret", "Set"].prefix(nameCount))
        let prefixes = Array(["aws", "azure", "gcp", "kubernetes", "ax"].prefix(prefixCount))
        var table = NameTable()
        for (k, name) in names.enumerated() { table.insert(Array(name.utf8), tag: UInt8(k + 1)) }
        for prefix in prefixes { table.insert(Array(prefix.utf8), tag: 99, isPrefix: true) }
        var generator = SplitMix(seed: 7)
        let alphabet = Array("agtrunxbeswzFSk_".utf8)
        var probes = names + prefixes + ["gets", "ge", "rut", "gut", "Flaw", "awsx", "aw", "azur", "a", "", "kubernetes_api", "axe", "task_"]
        for _ in 0..<5_000 {
            probes.append(String(decoding: (0..<Int.random(in: 1...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }, as: UTF8.self))
        }
        for probe in probes {
            let expected: UInt8? = names.firstIndex(of: probe).map { UInt8($0 + 1) } ?? (prefixes.contains { probe.hasPrefix($0) } ? 99 : nil)
            let bytes = Array(probe.utf8)
            #expect(bytes.withUnsafeBufferPointer { table.tag(of: $0) } == expected, "\(probe)")
        }
    }

    /// A table of thousands of names (a generated module binding thousands of flows) hashes
    /// them, and answers as a plain search of the names and prefixes in the order they were
    /// added does: the first that the name is, or starts with.
    @Test(arguments: [40, 300, 3_000])
    func largeNameTableAgreesWithPlainSearch(nameCount: Int) {
        var generator = SplitMix(seed: UInt64(nameCount))
        let alphabet = Array("abfgst_FS0".utf8)
        func word(_ lengths: ClosedRange<Int>) -> [UInt8] {
            (0..<Int.random(in: lengths, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
        }
        var added: [(name: [UInt8], tag: UInt8, isPrefix: Bool)] = []
        var table = NameTable()
        for k in 0..<nameCount {
            // A prefix now and then, and names added twice with another tag (the first counts).
            let isPrefix = k % 97 == 5
            let name = k % 13 == 0 && !added.isEmpty && !isPrefix ? added[k / 2].name : word(isPrefix ? 2...3 : 1...6)
            let tag = UInt8(k % 200)
            added.append((name, tag, isPrefix))
            table.insert(name, tag: tag, isPrefix: isPrefix)
        }
        var probes = added.map(\.name)
        for _ in 0..<3_000 { probes.append(word(1...7)) }
        for probe in probes {
            let expected = added.first { $0.isPrefix ? probe.starts(with: $0.name) : probe == $0.name }?.tag
            #expect(probe.withUnsafeBufferPointer { table.tag(of: $0) } == expected, "\(String(decoding: probe, as: UTF8.self))")
        }
    }

    /// The GraphQL operation search looks only at the strings the tokenizer marked; it must
    /// find what looking at every string token finds (the reference below).
    @Test func graphQLSearchFindsWhatEveryStringTokenGives() throws {
        func reference(_ tokens: [PythonToken], _ bytes: [UInt8]) -> [String] {
            var uses: [String] = []
            for token in tokens where token.kind == .string || token.kind == .fstringMiddle {
                let text = Array(bytes[token.span.range])
                func occurrences(_ word: String) -> [Int] {
                    let needle = Array(word.utf8)
                    guard text.count >= needle.count else { return [] }
                    return (0...(text.count - needle.count)).filter { Array(text[$0..<($0 + needle.count)]) == needle }
                }
                guard text.count >= 10, !occurrences("secret").isEmpty,
                    text.contains(0x7B) || !occurrences("query").isEmpty || !occurrences("mutation").isEmpty
                else { continue }
                for word in PythonFlowFactsBuilder.graphQLOperations.map({ String(decoding: $0, as: UTF8.self) }) {
                    let whole = occurrences(word).first { at in
                        let before = at > 0 ? text[at - 1] : 0x20
                        let after = at + word.utf8.count < text.count ? text[at + word.utf8.count] : 0x20
                        return !ASCIIBytes.isWordByte(before) && !ASCIIBytes.isWordByte(after)
                    }
                    if let whole { uses.append("\(word)@\(token.span.start + whole)") }
                }
            }
            return uses
        }
        var sources = [
            "q = 'mutation { set_secret(input: $i) { success } }'  # secret\nsecret = 1\n",
            "a = 'secret'; b = \"query { secret_names }\"; c = f'{x} mutation {{ delete_secret }} {y}secret_value'\n",
            "s = 'xsecret_value secret_value'\nsecret_names = 'query secret_names'\n# secret_value query\n",
            "t = \"\"\"\nmutation {\n  set_secret(input: {name: \"secret\"})\n}\"\"\"\nu = 'secrets'\nv = 'secre' 'tsecret_names {'\n",
        ]
        for path in try Self.pythonFiles(under: TestPaths.testdata.path) {
            sources.append(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
        }
        var found = 0
        for source in sources {
            let bytes = Array(source.utf8)
            let (tokens, marks) = PythonTokenizer.tokenize(bytes, marking: PythonFactsPrefilter.watchedName, holding: PythonFactsPrefilter.words, watchingTarget: PythonFactsPrefilter.watchedTarget)
            let fast = PythonFlowFactsBuilder.graphQLOperations(in: tokens, strings: marks.strings, of: bytes).map { "\($0.operation)@\($0.span.start)" }
            #expect(fast == reference(tokens, bytes), "\(source.prefix(60))")
            found += fast.count
        }
        #expect(found >= 6)
    }

    @Test func testdataPythonFilesAgree() throws {
        let files = try Self.pythonFiles(under: TestPaths.testdata.path)
        #expect(files.count > 20)
        for path in files { try Self.expectAgreement(path) }
    }

    /// Every testdata Python file moved into a function body and into a method: its facts
    /// now sit where the parser steps over what it does not need.
    @Test func testdataPythonFilesAgreeInsideFunctions() throws {
        var withFacts = 0
        for path in try Self.pythonFiles(under: TestPaths.testdata.path) {
            let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
            func indented(_ depth: Int) -> String {
                text.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.allSatisfy(\.isWhitespace) ? String($0) : String(repeating: " ", count: depth) + $0 }.joined(separator: "\n")
            }
            let wrapped = "import prefect\n\ndef wrapped():\n" + indented(4) + "\n    pass\n\nclass Wrapped:\n    def method(self):\n" + indented(8) + "\n        pass\n"
            let file = SourceFile(path: path, text: wrapped)
            let full = Self.summary(Self.parsedWhole(file).facts)
            #expect(Self.summary(Self.prefiltered(file).facts) == full, "facts differ in \(path) wrapped")
            if !full.isEmpty { withFacts += 1 }
        }
        #expect(withFacts > 15)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["PREFILTER_CORPUS"] != nil))
    func corpusAgrees() throws {
        let root = ProcessInfo.processInfo.environment["PREFILTER_CORPUS"] ?? ""
        let files = try Self.pythonFiles(under: root)
        let differing = try files.filter { try !Self.expectAgreement($0) }
        print("prefilter equivalence: \(files.count) Python files under \(root): " + (differing.isEmpty ? "all agree" : "\(differing.count) differ"))
    }

    /// Records an issue for each difference; true when there is none.
    @discardableResult
    static func expectAgreement(_ path: String) throws -> Bool {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let file = SourceFile(path: path, bytes: [UInt8](data))
        let fast = Self.prefiltered(file)
        let full = Self.parsedWhole(file)
        let (fastFacts, fullFacts) = (summary(fast.facts), summary(full.facts))
        let facts = fastFacts == fullFacts
        let diagnostics = fast.diagnostics.map(\.span) == full.diagnostics.map(\.span)
        let scope = "\(fast.patternScope)" == "\(full.patternScope)"
        let onlyFull = fullFacts.filter { !fastFacts.contains($0) }, onlyFast = fastFacts.filter { !fullFacts.contains($0) }
        #expect(facts, "facts differ in \(path): full parse only \(onlyFull); prefilter only \(onlyFast)")
        #expect(diagnostics, "diagnostics differ in \(path)")
        #expect(scope, "pattern scope differs in \(path)")
        return facts && diagnostics && scope
    }

    static func pythonFiles(under root: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".py") { files.append(root + "/" + relative) }
        }
        return files.sorted()
    }

    /// What the rules and reporters can see of a file's facts. Env assignments of variables
    /// that are neither Prefect's nor credential-named feed no rule and hide nothing, so a
    /// skipped parse may leave them out.
    /// The analysis with both prefilters, the statement one whatever the file's size.
    static func prefiltered(_ file: SourceFile) -> FileAnalysis {
        PythonAnalyzer().analyze(file, kind: .python, alwaysParse: false, statementFilterMinimumBytes: 0)
    }

    /// The analysis that parses the whole file, the reference the prefiltered one must equal.
    static func parsedWhole(_ file: SourceFile) -> FileAnalysis {
        PythonAnalyzer().analyze(file, kind: .python, alwaysParse: true, statementFilterMinimumBytes: 0)
    }

    static func summary(_ facts: FileFacts) -> [String] {
        var lines: [String] = []
        lines += facts.secretReferences.map { "reference \($0)" }
        lines += facts.provisions.map { "provision \($0)" }
        lines += facts.envAssignments.filter { FileFacts.namesSecretValue($0.name) || $0.name.uppercased().hasPrefix("PREFECT") }
            .map { "env \($0)" }
        lines += facts.flows.map { "flow \($0)" }
        lines += facts.cloudAPIUses.map { "cloud \($0)" }
        lines += facts.agents.map { "agent \($0)" }
        if let python = facts.python {
            lines += python.hardcodedLiterals.map { "literal \($0)" }
            lines += python.secretReads.map { "read \($0)" }
            lines += python.metadataLiterals.map { "metadata \($0)" }
            lines += python.configuredImports.map { "configures \($0)" }
            lines += python.metadataEnvReads.map { "envread \($0)" }
            if python.buildsFlow { lines.append("buildsFlow") }
            lines += python.flowConfiguringFunctions.map { "configuring \($0)" }
            if python.configuresLoadedFlows { lines.append("configures loaded flows") }
            lines += python.secretUsingDefinitions.map { "defines \($0)" }
            lines += python.importedNames.map { "imports \($0)" }
            lines += python.importedCalls.map { "calls \($0)" }
            lines += python.moduleComponents.map { "component \($0)" }
        }
        lines += facts.secretValueSpans.map { "hidden \($0)" }
        return lines
    }

    /// The key reader finds matching brackets from a table and remembers chain ends and long
    /// runs of closers; on random bracket soup it answers as the plain walks do.
    @Test func keyReaderMemosAgreeWithPlainWalks() {
        var random = SplitMix(seed: 7)
        let pieces = ["(", ")", "[", "]", "{", "}", "'k'", "x", ",", "=", ":", " ", "\n", "# c\n", "[0]"]
        for _ in 0..<300 {
            let source = (0..<Int.random(in: 1...120, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
            let bytes = Array(source.utf8)
            let tokens = PythonTokenizer.tokenize(bytes)
            let reader = PythonFactsPrefilter.KeyReader(bytes: bytes, tokens: tokens)
            func isOp(_ k: Int, _ byte: UInt8) -> Bool {
                tokens[k].kind == .op && tokens[k].span.length == 1 && bytes[tokens[k].span.start] == byte
            }
            func plainClose(_ open: Int) -> Int? {
                var depth = 0
                var k = open
                while k < tokens.count {
                    switch tokens[k].kind {
                    case .newline, .endMarker: return nil
                    case .op where isOp(k, 0x28) || isOp(k, 0x5B) || isOp(k, 0x7B): depth += 1
                    case .op where isOp(k, 0x29) || isOp(k, 0x5D) || isOp(k, 0x7D):
                        depth -= 1
                        if depth == 0 { return k }
                    default: break
                    }
                    k = reader.next(k)
                }
                return nil
            }
            func plainPastClosers(_ index: Int) -> Int {
                var j = reader.next(index)
                while j < tokens.count, isOp(j, 0x29) || isOp(j, 0x5D) { j = reader.next(j) }
                return j
            }
            for k in tokens.indices {
                if isOp(k, 0x28) || isOp(k, 0x5B) || isOp(k, 0x7B) { #expect(reader.matchingClose(k) == plainClose(k), "\(source)") }
                #expect(reader.nextPastClosers(k) == plainPastClosers(k), "\(source)")
                if tokens[k].kind == .string { _ = reader.nextPastKeyTail(k) }
            }
        }
        // A long run of closers and a long subscript chain, asked from every position.
        let deep = Array(("x = " + String(repeating: "['k', ", count: 40) + "1" + String(repeating: "]", count: 40) + "\n" + "a" + String(repeating: "['k']", count: 40) + "\n").utf8)
        let tokens = PythonTokenizer.tokenize(deep)
        let reader = PythonFactsPrefilter.KeyReader(bytes: deep, tokens: tokens)
        let fresh = { PythonFactsPrefilter.KeyReader(bytes: deep, tokens: tokens) }
        for k in tokens.indices.reversed() {
            #expect(reader.nextPastClosers(k) == fresh().nextPastClosers(k))
            if tokens[k].kind == .string { #expect(reader.nextPastKeyTail(k) == fresh().nextPastKeyTail(k)) }
        }
    }

    private func need(_ bytes: [UInt8]) -> PythonFactsPrefilter.Need {
        let (tokens, marks) = PythonTokenizer.tokenize(bytes, marking: PythonFactsPrefilter.watchedName, holding: PythonFactsPrefilter.words, watchingTarget: PythonFactsPrefilter.watchedTarget)
        return PythonFactsPrefilter.need(bytes, tokens: tokens, marks: marks)
    }
}
