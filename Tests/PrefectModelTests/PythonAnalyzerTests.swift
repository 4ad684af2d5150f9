import Foundation
@testable import PrefectModel
import Spans
import Testing
import TestSupport

@Suite struct PythonAnalyzerTests {
    /// `debug python-phases` times every phase on the files it is given, including the ones
    /// that only files importing Prefect reach.
    @Test func phaseTimingsCoverEveryPhase() {
        let files = [
            "import prefect\nfrom prefect.client import Secret\ndef f():\n    return Secret('DB').get()\n",
            "x = 1\n",
        ].map { Array($0.utf8) }
        let timings = PythonAnalysisPhases.measure(files, rounds: 1)
        #expect(timings.map(\.phase) == [
            "tokenize", "tokenize, marking", "pattern scope", "UTF-8 check", "need (2 files)", "fact offsets (1 files)", "parse (1 files)",
            "facts builder", "analyze", "pattern-only analyze",
        ])
        #expect(timings.allSatisfy { $0.milliseconds >= 0 && $0.milliseconds.isFinite })
    }

    static func analyze(_ text: String, path: String = "flow.py") -> (SourceFile, FileAnalysis) {
        let file = SourceFile(path: path, bytes: Array(text.utf8))
        return (file, PythonAnalyzer().analyze(file, kind: .python))
    }

    /// `s = Secret("X")` then `s.get()` reads X when both are in the same scope, from the
    /// last binding before the call; a `get` on a name bound elsewhere reads nothing.
    @Test func secretBoundToAVariableIsReadByItsGet() {
        let (_, analysis) = Self.analyze(
            """
            from prefect import task
            from prefect.client import Secret

            @task
            def load():
                s = Secret("FIRST")
                s = Secret("SECOND")
                return s.get()

            @task
            def other():
                return s.get()
            """)
        let reads = analysis.facts.python?.secretReads ?? []
        #expect(reads.map(\.name) == ["SECOND"])
        #expect(reads.map(\.functionName) == ["load"])
    }

    /// `KubernetesRun` and `ECSRun` name their template by path or give it inline (or, for
    /// ECS, registered); the model joins a named one's env into the flow's runs.
    @Test func runConfigTemplates() {
        let (_, analysis) = Self.analyze(
            """
            from prefect import Flow
            from prefect.run_configs import KubernetesRun, DockerRun, ECSRun, LocalRun
            with Flow("a", run_config=KubernetesRun(job_template_path="deploy/job.yaml")) as a:
                pass
            with Flow("b", run_config=KubernetesRun(job_template={"apiVersion": "batch/v1"})) as b:
                pass
            with Flow("c", run_config=DockerRun(env={})) as c:
                pass
            with Flow("d", run_config=ECSRun(task_definition_path="s3://bucket/td.yaml")) as d:
                pass
            with Flow("e", run_config=ECSRun(task_definition_arn="arn:aws:ecs:td/x:1")) as e:
                pass
            TEMPLATE = "deploy/other.yaml"
            with Flow("f", run_config=KubernetesRun(job_template_path=TEMPLATE)) as f:
                pass
            with Flow("g", run_config=KubernetesRun(job_template_path=os.path.join("deploy", "job.yaml"))) as g:
                pass
            with Flow("h", run_config=KubernetesRun(job_template=None, job_template_path=None)) as h:
                pass
            with Flow("i", run_config=ECSRun(task_definition={}, task_definition_arn=None)) as i:
                pass
            with Flow("j", run_config=ECSRun(task_definition_arn="")) as j:
                pass
            with Flow("k", run_config=KubernetesRun(job_template_path="deploy/job.yaml")) as k:
                pass
            k.run_config = KubernetesRun(labels=["x"])
            with Flow("l", run_config=KubernetesRun()) as l:
                pass
            if DEV:
                l.run_config = LocalRun()
            """)
        let flows = analysis.facts.flows
        #expect(flows.map(\.templatePath) == ["deploy/job.yaml", nil, nil, "s3://bucket/td.yaml", nil, "deploy/other.yaml", nil, nil, nil, nil, nil, nil])
        #expect(flows.map(\.templateIsUnknown) == [false, true, false, false, true, false, true, false, false, true, false, false],
                "None (and, for inline templates, empty) arguments count as not given, as in Prefect")
        #expect(flows.map(\.runConfigIsAmbiguous) == [false, false, false, false, false, false, false, false, false, false, false, true],
                "a later run config of another type makes the type uncertain; the later one replaces the template")
    }

    /// An inline template the module settles (a dict, a YAML string, `yaml.safe_load` of one) is
    /// read as a template file would be, with spans in the flow file: exact where the value is
    /// written out without escapes, else the literal that holds it. One the module does not
    /// settle stays unknown.
    @Test func inlineRunTemplates() throws {
        let (source, analysis) = Self.analyze(
            #"""
            import yaml
            from prefect import Flow
            from prefect.run_configs import KubernetesRun, ECSRun
            JOB = {"apiVersion": "batch/v1", "kind": "Job", "spec": {"template": {"spec": {"containers": [
                {"name": "flow", "env": [{"name": "PREFECT__CONTEXT__SECRETS__TOKEN", "value": "t-1"},
                                          {"name": "DB", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}}},
                                          {"name": "PORT", "value": 5432}, {"name": "DEBUG", "value": True}]}]}}}}
            TEXT = """
            kind: Job
            apiVersion: batch/v1
            spec:
              template:
                spec:
                  containers:
                    - name: flow
                      env:
                        - name: FROM_TEXT
                          value: plain
            """
            with Flow("a", run_config=KubernetesRun(job_template=JOB)) as a:
                pass
            with Flow("b", run_config=KubernetesRun(job_template=yaml.safe_load(TEXT))) as b:
                pass
            with Flow("c", run_config=ECSRun(task_definition={"containerDefinitions": [{"name": "flow", "environment": [{"name": "E\x41", "value": "v"}]}]})) as c:
                pass
            with Flow("d", run_config=KubernetesRun(job_template=load_template())) as d:
                pass
            with Flow("e", run_config=KubernetesRun(job_template={"kind": "Job", "apiVersion": "batch/v1", "spec": SPEC})) as e:
                pass
            """#)
        let flows = analysis.facts.flows
        func text(_ span: ByteSpan?) -> String? { span.map { String(decoding: source.bytes[$0.range], as: UTF8.self) } }
        let a = try #require(flows[0].inlineTemplate)
        #expect(a.agentType == .kubernetes)
        #expect(a.env.map(\.name) == ["PREFECT__CONTEXT__SECRETS__TOKEN", "DB", "PORT", "DEBUG"])
        #expect(a.env.map { text($0.nameSpan) } == ["PREFECT__CONTEXT__SECRETS__TOKEN", "DB", "PORT", "DEBUG"], "names map to where they are written")
        #expect(text(a.env[0].valueSpan) == "t-1")
        #expect(a.env.map(\.valueIsNotString) == [false, false, true, true], "a Python number or boolean is no string")
        #expect(a.keyRefs.map(\.name) == ["db"])
        let b = try #require(flows[1].inlineTemplate)
        #expect(b.env.map(\.name) == ["FROM_TEXT"])
        #expect(text(b.env[0].valueSpan) == "plain", "a string without escapes maps one to one")
        let c = try #require(flows[2].inlineTemplate)
        #expect(c.agentType == .ecs)
        #expect(c.env.map(\.name) == ["EA"])
        #expect(text(c.env[0].nameSpan) == #""E\x41""#, "an escaped key maps to its whole literal")
        #expect(flows.map { $0.inlineTemplate == nil } == [false, false, false, true, true])
        #expect(flows.map(\.templateIsUnknown) == [false, false, false, true, true], "a template the module does not settle is not read")
        #expect(analysis.facts.envAssignments.contains { $0.name == "PREFECT__CONTEXT__SECRETS__TOKEN" && $0.context == .jobTemplateEnv },
                "the template's env is the file's, as a template file's is")
    }

    /// Inline templates the module does not settle stay unread: a variable the module changes
    /// or hands on, a string given to ECSRun (which keeps it as a string, unlike KubernetesRun);
    /// a template written with escapes keeps each of its entries; `1e3` is a float.
    @Test func inlineRunTemplatesUnsettled() throws {
        let (_, analysis) = Self.analyze(
            #"""
            from prefect import Flow
            from prefect.run_configs import KubernetesRun, ECSRun
            JOB = {"kind": "Job", "apiVersion": "batch/v1", "spec": {"template": {"spec": {"containers": [{"name": "flow", "env": []}]}}}}
            JOB["spec"]["template"]["spec"]["containers"][0]["env"].append({"name": "X", "value": "y"})
            TEXT = "kind: Job\napiVersion: batch/v1\nspec:\n  template:\n    spec:\n      containers:\n        - name: flow\n          env:\n            - name: A\n              value: a\n            - name: B\n              value: '1'\n"
            TD = {"containerDefinitions": [{"name": "flow", "environment": [{"name": "N", "value": 1e3}]}]}
            with Flow("a", run_config=KubernetesRun(job_template=JOB)) as a:
                pass
            with Flow("b", run_config=ECSRun(task_definition="containerDefinitions: []")) as b:
                pass
            with Flow("c", run_config=KubernetesRun(job_template=TEXT)) as c:
                pass
            with Flow("d", run_config=ECSRun(task_definition=TD)) as d:
                pass
            """#)
        let flows = analysis.facts.flows
        #expect(flows.map(\.templateIsUnknown) == [true, true, false, false])
        #expect(analysis.facts.envAssignments.filter { $0.context == .jobTemplateEnv }.map(\.name) == ["A", "B", "N"], "entries sharing a span are each kept")
        #expect(flows[3].inlineTemplate?.env.map(\.valueIsNotString) == [true])
    }

    /// `flow.run_config = …` applies to the flow the variable holds at that point, replaces
    /// what the earlier run config gave, and makes the type uncertain when it is not a run
    /// config the tool reads.
    /// Run config labels the tool cannot read are kept apart, named by their leading name
    /// only (never a string literal inside them).
    @Test func unknownRunConfigLabels() {
        let (_, analysis) = Self.analyze(
            """
            import os
            from prefect import Flow
            from prefect.run_configs import DockerRun
            ENV = os.environ["ENVIRONMENT"]
            LABELS = ["etl"]
            LABEL = "etl"
            with Flow("a", run_config=DockerRun(labels=[ENV, "etl"])) as a:
                pass
            with Flow("b", run_config=DockerRun(labels=get_labels("fake-label-value"))) as b:
                pass
            with Flow("c", run_config=DockerRun(labels=[f"etl-{ENV}", os.environ["X"]])) as c:
                pass
            with Flow("d", run_config=DockerRun(labels=None)) as d:
                pass
            with Flow("e", run_config=DockerRun(labels=LABELS)) as e:
                pass
            with Flow("f", run_config=DockerRun(labels=[LABEL])) as f:
                pass
            EXTRA = []
            with Flow("g", run_config=DockerRun(labels=[*EXTRA])) as g:
                pass
            TIER = "dev"
            if os.environ.get("PROD"):
                TIER = "prod"
            with Flow("h", run_config=DockerRun(labels=[TIER])) as h:
                pass
            TIERS = ["dev"]
            if os.environ.get("PROD"):
                TIERS = ["prod"]
            with Flow("i", run_config=DockerRun(labels=TIERS)) as i:
                pass
            with Flow("j", run_config=DockerRun(labels=["etl"]), storage=common.storage("j")) as j:
                pass
            with Flow("k", run_config=DockerRun(labels=[f"{LABEL}-gpu", f"{TIER}-gpu"])) as k:
                pass
            """)
        let flows = analysis.facts.flows
        #expect(flows.map(\.labels) == [["etl"], [], [], [], ["etl"], ["etl"], [], [], [], ["etl"], ["etl-gpu"]])
        #expect(flows.map(\.unknownLabels) == [["ENV"], ["get_labels(…)"], ["…", "os.environ[…]"], [], [], [], ["…"], ["TIER"], ["TIERS"], [], ["…"]])
        #expect(
            flows.map(\.unknownLabelsMayBeNone) == [false, true, false, false, false, false, true, false, true, false, false],
            "a call or a starred list may give no labels")
        #expect(flows.map(\.storageIsUnknown) == [nil, nil, nil, nil, nil, nil, nil, nil, nil, "common.storage(…)", nil])
    }

    /// Registration adds the storage's `labels=` and `flow.register(labels=…)` to the run
    /// config's labels; `add_default_labels=False` drops Local storage's hostname label
    /// (checked against Prefect 1.4.1's `Flow.register` and `Local.labels`).
    @Test func registrationAddsStorageAndRegisterLabels() {
        let (_, analysis) = Self.analyze(
            """
            from prefect import Flow
            from prefect.run_configs import LocalRun
            from prefect.storage import Local, GitHub
            with Flow("a", storage=Local(add_default_labels=False)) as a:
                pass
            with Flow("b", run_config=LocalRun(labels=["run"]), storage=GitHub(repo="o/r", path="b.py", labels=["git", TIER])) as b:
                pass
            with Flow("c", storage=Local(add_default_labels=ADD)) as c:
                pass
            c = Flow("d", storage=Local(add_default_labels=None))
            if __name__ == "__main__":
                a.register(project_name="p", labels=["development"])
                b.register(project_name="p")
                c.register(labels=["x"])
                c.register(labels=["y"])

            """)
        let sets = analysis.facts.flows.map { LabelSet.forFlow($0).description }
        #expect(sets == ["development", "git,run,<unknown: TIER>", "<unknown: storage add_default_labels>", "<unknown: c.register(…)>,<hostname>"])
    }

    /// A flow named by a module constant has that name; one the tool cannot read has none.
    @Test func flowNamesFromModuleConstants() {
        let (_, analysis) = Self.analyze(
            """
            from prefect import Flow
            from pkg import IMPORTED
            NAME = "etl"
            with Flow(NAME) as a:
                pass
            with Flow(IMPORTED) as b:
                pass

            """)
        #expect(analysis.facts.flows.map(\.name) == ["etl", nil])
    }

    /// An f-string name takes the module's constants (any text: names are shown as written);
    /// a field the module does not settle (a function's name, a computed value, a
    /// conversion) leaves the name unread, shown by its form. `flow.name = …` renames the flow
    /// unless a condition guards it (seen in pangeo-forge's Azure bakery and atd-prefect).
    @Test func flowNamesFromFStringsAndRenames() {
        let (_, analysis) = Self.analyze(
            """
            import os
            from prefect import Flow
            APP = "Signals to Artbox"
            STAGE = os.getenv("STAGE", "staging")
            with Flow(f"ATD-Knack: {APP}") as a:
                pass
            with Flow(f"{APP} {STAGE}") as b:
                pass
            with Flow(f"etl {APP!r}") as c:
                pass
            def build(APP):
                flow = Flow(f"inner {APP}")
                return flow
            with Flow("first") as d:
                pass
            d.name = f"dask-{APP}"
            with Flow("kept") as e:
                pass
            if os.getenv("X"):
                e.name = "maybe"
            """)
        #expect(analysis.facts.flows.map(\.name) == ["ATD-Knack: Signals to Artbox", nil, nil, nil, "dask-Signals to Artbox", "kept"])
        #expect(analysis.facts.flows.map(\.computedName) == [nil, .form("Signals to Artbox {…}"), nil, .form("inner {…}"), nil, nil])
    }

    /// The run's context secrets read by attribute or by key (`context["secrets"]`,
    /// `context.get("secrets", {})`), then by subscript, `.get` or attribute (the context is a
    /// Box), on `prefect.context`,
    /// `context` imported from prefect or `prefect.config.context`; another object's
    /// `context` (or `config`) is not Prefect's.
    @Test func contextSecretReadsByAttributeAndByKey() {
        let (_, analysis) = Self.analyze(
            """
            import prefect
            from prefect import Flow, task
            from other import context as ctx

            @task
            def use():
                a = prefect.context.secrets["ATTR"]
                b = prefect.context.get("secrets", {}).get("KEYED_GET", None)
                c = prefect.context["secrets"]["KEYED_SUB"]
                d = prefect.context.get('secrets')['GET_SUB']
                e = ctx.get("secrets", {}).get("NOT_PREFECT")
                f = prefect.config.context.secrets.get("CONFIG_GET")
                g = self.config.context.secrets["NOT_PREFECTS_CONFIG"]
                h = prefect.context.secrets.BY_ATTRIBUTE
                names = prefect.context.secrets.keys()
                attributes = prefect.context.secrets.__dict__, prefect.context.secrets.items
                prefect.context.secrets.SET_HERE = "x"
                return a, b, c, d, e, f, g, h, names

            with Flow("f") as flow:
                use()
            """)
        let references = analysis.facts.secretReferences.filter { $0.kind == .contextRead }
        #expect(references.map(\.name) == ["ATTR", "KEYED_GET", "KEYED_SUB", "GET_SUB", "CONFIG_GET", "BY_ATTRIBUTE"])
        #expect(references.allSatisfy { $0.flowIndex == 0 })
        let imported = Self.analyze("from prefect import config\nx = config.context.secrets[\"IMPORTED\"]\nconfig.context.secrets[\"SET\"] = y\n").1
        #expect(imported.facts.secretReferences.map(\.name) == ["IMPORTED"])
    }

    /// A secret task's name may be given when it is called (`run(self, name=None)` takes the
    /// constructor's only when the call gives none): each such call reads its own name; the
    /// constructor's is read by the calls that give none, or by the task used bare.
    @Test func secretTaskNamesGivenWhenCalled() {
        let (_, analysis) = Self.analyze(
            """
            from prefect import Flow
            from prefect.tasks.secrets import PrefectSecret, EnvVarSecret
            get_secret = PrefectSecret()
            fixed = PrefectSecret("FIXED")
            with Flow("a") as flow:
                get_secret(name="DB_PASSWORD")
                PrefectSecret()(name="API_TOKEN")
                EnvVarSecret()("ENV_TOKEN")
                fixed()
                fixed(name="OVERRIDE")
                PrefectSecret("BARE")
                PrefectSecret("RUN_NAMED").run(name="RUN_READ")
            """)
        let references = analysis.facts.secretReferences
        #expect(Set(references.compactMap(\.name)) == ["DB_PASSWORD", "API_TOKEN", "ENV_TOKEN", "FIXED", "OVERRIDE", "BARE", "RUN_READ"])
        #expect(references.allSatisfy { $0.name != nil && $0.flowIndex == 0 }, "\(references)")
        #expect(references.filter { $0.kind == .envVarSecret }.map(\.name) == ["ENV_TOKEN"])
        #expect(references.first { $0.name == "RUN_READ" }?.readAtBuildTime == true, ".run() at flow-build time reads then")
    }

    /// `os.environ` set before an agent the module starts is the agent process's env: at
    /// module level (before it, or anywhere when a function starts it) and in the starting
    /// function before the start; not after it, not in other functions.
    @Test func agentProcessEnvFromOsEnviron() {
        let (_, analysis) = Self.analyze(
            """
            import os
            from prefect.agent.local import LocalAgent
            from vault import read

            os.environ["PREFECT__CONTEXT__SECRETS__TOP"] = read("db")

            def other():
                os.environ["ELSEWHERE"] = "1"

            def main():
                os.environ.setdefault("PREFECT__CONTEXT__SECRETS__BEFORE", read("api"))
                LocalAgent(labels=["ops"]).start()
                os.environ["AFTER"] = "x"

            os.environ["LATER_AT_TOP"] = "1"
            LocalAgent(labels=["top"]).start()
            os.environ["AFTER_TOP_AGENT"] = "1"
            """)
        let agents = analysis.facts.agents
        #expect(agents.map { $0.processEnv.map(\.name) } == [
            ["PREFECT__CONTEXT__SECRETS__TOP", "PREFECT__CONTEXT__SECRETS__BEFORE", "LATER_AT_TOP", "AFTER_TOP_AGENT"],
            ["PREFECT__CONTEXT__SECRETS__TOP", "LATER_AT_TOP"],
        ])
        #expect(agents.allSatisfy { agent in agent.processEnv.allSatisfy { $0.value != nil && $0.context == .pythonEnviron } })
    }

    /// A run config's env reads module dicts spread into it (`{**BASE, …}`, `dict(BASE, …)`)
    /// and keys of module constants (`PREFIX + "DB"`); a spread or key the tool cannot read
    /// marks the env as not read whole. A module dict two run configs share is listed once.
    @Test func runConfigEnvSpreadsAndComputedKeys() {
        let (_, analysis) = Self.analyze(
            """
            import os
            from prefect import Flow
            from prefect.run_configs import KubernetesRun
            from helpers import base_env, KEY

            PREFIX = "PREFECT__CONTEXT__SECRETS__"
            BASE = {PREFIX + "DB": os.environ["DB"]}
            with Flow("a", run_config=KubernetesRun(env={**BASE, "MODE": "prod"})) as a:
                pass
            with Flow("b", run_config=KubernetesRun(env=dict(BASE, MODE="x"))) as b:
                pass
            with Flow("c", run_config=KubernetesRun(env={**base_env(), "MODE": "prod"})) as c:
                pass
            with Flow("d", run_config=KubernetesRun(env={KEY: "v", "MODE": "prod"})) as d:
                pass
            """)
        let flows = analysis.facts.flows
        #expect(flows.map { $0.runConfigEnv.map(\.name) } == [
            ["PREFECT__CONTEXT__SECRETS__DB", "MODE"], ["PREFECT__CONTEXT__SECRETS__DB", "MODE"], ["MODE"], ["MODE"],
        ])
        #expect(flows.map(\.runConfigEnvIsUnknown) == [false, false, true, true])
        #expect(analysis.facts.provisions.map(\.name) == ["DB"], "BASE is listed once")
    }

    /// Agents a module starts (`X(…).start()`, or a variable assigned `X(…)` and started in
    /// the same scope) are agents as the CLI's would be: `labels` and `env_vars` as `--label`
    /// and `--env` (an empty one takes the config's), `hostname_label=False` as
    /// `--no-hostname-label`; env_vars the tool cannot read are named for messages; an agent
    /// built and never started is none.
    @Test func agentsAModuleStarts() {
        let (_, analysis) = Self.analyze(
            """
            import os
            from prefect.agent.docker import DockerAgent
            from prefect.agent.local import LocalAgent
            import prefect.agent.kubernetes as k8s
            from helpers import agent_env

            def main():
                agent = DockerAgent(labels=["docker-prod"], env_vars={"PREFECT__CONTEXT__SECRETS__DB": os.environ["DB"], "MODE": "$HOME"})
                agent.start()

            LocalAgent(labels=[], hostname_label=False).start()
            k8s.KubernetesAgent(labels=["k8s"], env_vars=agent_env(), name="cluster").start()
            unused = DockerAgent(labels=["docker-prod"])
            """)
        let agents = analysis.facts.agents
        #expect(agents.map(\.type) == [.docker, .local, .kubernetes])
        #expect(agents.map(\.labels) == [["docker-prod"], [], ["k8s"]])
        #expect(agents.map(\.labelsFromFlags) == [true, false, true], "an empty list takes the config's labels")
        #expect(agents.map(\.addsHostnameLabel) == [true, false, true])
        #expect(agents.map(\.name) == [nil, nil, "cluster"])
        #expect(agents[0].flowRunEnv.map(\.name) == ["PREFECT__CONTEXT__SECRETS__DB", "MODE"])
        #expect(agents[0].flowRunEnv.allSatisfy { $0.context == .agentEnvFlag && $0.reachesPrefectAsWritten && $0.agentIndex == 0 && $0.value != nil })
        #expect(agents[0].flowRunEnv.map(\.origin) == [.reference, .literal])
        #expect(agents.map(\.flowRunEnvFromFlags) == [true, false, true])
        #expect(agents.map(\.flowRunEnvUnread) == [nil, nil, "its env_vars argument"])
        #expect(analysis.facts.provisions.map(\.name) == ["DB"], "the env_vars entry provides the secret")
    }

    /// A launcher script that runs the agent's command line (`os.system`, `subprocess` with
    /// `shell=True` or an argument list) starts that agent as a shell script would: flags,
    /// `prefect backend`, env before the command. A subprocess's `env=` is its whole
    /// environment unless it spreads `os.environ`; one the tool cannot read may set anything.
    /// A variable in an argument list is an unknown word; a starred one, an unknown number of
    /// them, is not read, nor is a string without `shell=True` (one program's name).
    @Test func agentsStartedAsPrograms() {
        let (file, analysis) = Self.analyze(
            #"""
            import os
            import subprocess
            from subprocess import Popen
            from helpers import agent_env

            START = "prefect agent local start -l const"
            os.environ["PREFECT__CONTEXT__SECRETS__TOP"] = os.environ["DB"]
            os.system("prefect backend server")
            os.system("X=1 prefect agent local start --label etl -e PREFECT__CONTEXT__SECRETS__API=$API_TOKEN")
            Popen(["prefect", "agent", "docker", "start", "--label", "d\x6fcker"], env={"PATH": "/usr/bin"})
            subprocess.run("prefect agent local start -l shelled", shell=True, env={**os.environ, "PREFECT__CONTEXT__SECRETS__S": os.environ["S"]})
            subprocess.check_call(["prefect", "agent", "local", "start", "-l", "unread"], env=agent_env())
            subprocess.run(["prefect", "agent", "local", "start", "-l", label])
            subprocess.run(["prefect", "agent", "local", "start", *more])
            subprocess.run("prefect agent local start -l noshell")
            os.system(START)
            """#)
        let agents = analysis.facts.agents
        #expect(agents.map(\.type) == [.local, .docker, .local, .local, .local, .local])
        #expect(agents.map(\.labels) == [["etl"], ["docker"], ["shelled"], ["unread"], [], ["const"]])
        #expect(agents[4].unknownLabels == ["$(label)"], "a variable in the argument list is an unknown word")
        #expect(agents.map { file.text($0.span).prefix(14) } == ["X=1 prefect ag", "prefect\", \"age", "prefect agent ", "prefect\", \"age", "prefect\", \"age", "prefect agent "])
        #expect(agents[0].flowRunEnv.map(\.name) == ["PREFECT__CONTEXT__SECRETS__API"])
        #expect(agents.map { $0.processEnv.map(\.name) } == [
            ["PREFECT__CONTEXT__SECRETS__TOP", "X"], ["PATH"], ["PREFECT__CONTEXT__SECRETS__TOP", "PREFECT__CONTEXT__SECRETS__S"], ["PREFECT__CONTEXT__SECRETS__TOP"],
            ["PREFECT__CONTEXT__SECRETS__TOP"], ["PREFECT__CONTEXT__SECRETS__TOP"],
        ])
        #expect(agents.map(\.environmentClearedBy) == [nil, "subprocess env=", nil, nil, nil, nil])
        #expect(agents.map(\.environmentInjectedBy) == [[], [], [], ["subprocess env="], [], []])
        #expect(analysis.facts.backendSettings.map(\.value) == ["server"])
        #expect(Set(analysis.facts.provisions.map(\.name)) == ["TOP", "API", "S"])
        let commandLines = analysis.facts.python?.programCommandSpans ?? []
        #expect(commandLines.count == 7)
        #expect(agents.allSatisfy { agent in commandLines.contains { $0.contains(agent.span) } }, "a constant's command line is where it is written")
    }

    /// A command line Python formats when the script runs (an f-string, `.format(…)`) has
    /// unknown words where values are inserted, named after what fills them; `{{` is a brace.
    /// Without a shell, or with a backslash in the literal, it is not read.
    @Test func formattedCommandLinesHaveUnknownWords() {
        let (file, analysis) = Self.analyze(
            #"""
            import os
            import subprocess
            LABEL = os.environ["LABEL"]
            os.system(f"prefect agent local start --label {LABEL} --label {{braces}} -e PREFECT__CONTEXT__SECRETS__A={token!r}")
            os.system("prefect agent docker start --key {} -l {lab} -l {0}".format(KEY, lab=get_label()))
            subprocess.run(f"prefect agent local start -l {LABEL}")
            os.system(f"prefect agent local start -l \t{LABEL}")
            """#)
        let agents = analysis.facts.agents
        #expect(agents.map(\.type) == [.local, .docker])
        #expect(agents.map(\.labels) == [["{braces}"], []])
        #expect(agents.map(\.unknownLabels) == [["$(LABEL)"], ["$(python)", "$(KEY)"]])
        #expect(agents[0].flowRunEnv.map(\.name) == ["PREFECT__CONTEXT__SECRETS__A"] && agents[0].flowRunEnv.first?.origin != .literal)
        #expect(analysis.facts.credentialFlags.map { $0.origin != .literal } == [true])
        #expect(agents.map { file.text($0.span).prefix(21) } == ["prefect agent local s", "prefect agent docker "])
    }

    /// A value Python inserts that the module settles (a string constant, a literal, a `+` of
    /// such) is its text, as the shell then reads it; one a function around the call binds
    /// (a parameter, a local variable) stays unknown.
    @Test func formattedCommandLinesTakeModuleConstants() {
        let (_, analysis) = Self.analyze(
            #"""
            import os
            import subprocess
            AGENT_LABEL = "docker"
            REGION = "eu"
            TOKEN_NAME = "PREFECT__CONTEXT__SECRETS__" + "API"
            MOVING = "a"
            if os.environ.get("B"):
                MOVING = "b"
            subprocess.run(f"prefect agent docker start --label {AGENT_LABEL} --volume ~/.aws:/root/.aws", shell=True)
            os.system("prefect agent local start -l {} -l {r} -e {}=$T".format(AGENT_LABEL, TOKEN_NAME, r=REGION + "-west"))
            subprocess.run(["prefect", "agent", "local", "start", "-l", AGENT_LABEL, "-l", REGION + "-1", "-l", MOVING])
            os.system(f"prefect agent local start -l {AGENT_LABEL!r} -l {MOVING}")
            def main(AGENT_LABEL):
                os.system(f"prefect agent local start -l {AGENT_LABEL} -l {REGION}")
            def other():
                REGION = "us"
                subprocess.run(["prefect", "agent", "local", "start", "-l", REGION, "-l", f"{REGION}-2"])
            subprocess.run(["prefect", "agent", "local", "start", "-l", f"{REGION}-3"])
            """#)
        let agents = analysis.facts.agents
        #expect(agents.map(\.labels) == [["docker"], ["docker", "eu-west"], ["docker", "eu-1"], [], ["eu"], [], ["eu-3"]])
        #expect(agents.map(\.unknownLabels) == [[], [], ["$(MOVING)"], ["$(AGENT_LABEL)", "$(MOVING)"], ["$(AGENT_LABEL)"], ["$(REGION)", "$(python)"], []], "`!r` inserts a repr")
        #expect(agents[1].flowRunEnv.map(\.name) == ["PREFECT__CONTEXT__SECRETS__API"])
    }

    /// A flow its module runs in a statement of its own at module level, outside every block,
    /// runs whenever the module is loaded; under `if __name__ == "__main__":`, in a function,
    /// a `with` block or after another statement on its line, it does not count.
    @Test func flowsRunWhenTheirModuleIsLoaded() {
        func runs(_ tail: String) -> [Bool] {
            Self.analyze("import prefect\nfrom prefect import Flow\nwith Flow('a') as flow:\n    pass\nother = Flow('b')\n" + tail).1.facts.flows.map(\.runsWhenLoaded)
        }
        #expect(runs("flow.run()\n") == [true, false])
        #expect(runs("state = other.run(parameters={'x': 1})\n") == [false, true])
        #expect(runs("if __name__ == '__main__':\n    flow.run()\n") == [false, false])
        #expect(runs("def main():\n    flow.run()\n") == [false, false])
        #expect(runs("with prefect.context(day=1):\n    flow.run()\n") == [false, false])
        #expect(runs("x = 1; flow.run()\n") == [false, false])
        #expect(runs("task.run()\nflow.register()\n") == [false, false])
    }

    /// `flow.run_agent()` starts a local agent labelled with the flow's run config labels, to
    /// which a `register` before it adds its own; without labels, the config's apply.
    @Test func agentsStartedByFlowRunAgent() {
        func agents(_ body: String) -> [[String]] {
            let head = "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom prefect.storage import Module\nimport helpers\n"
            let agents = Self.analyze(head + body).1.facts.agents
            return agents.map { agent in
                #expect(agent.type == .local)
                return agent.labels + agent.unknownLabels.map { "?" + $0 } + [agent.labelsFromFlags ? "flags" : "config"]
            }
        }
        #expect(agents("with Flow('a', run_config=LocalRun(labels=['prod'])) as f:\n    pass\nf.register(labels=['adhoc', 'prod'])\nf.run_agent()\n") == [["prod", "adhoc", "flags"]])
        #expect(agents("with Flow('a', run_config=LocalRun(labels=['prod'])) as f:\n    pass\nf.run_agent()\nf.register(labels=['late'])\n") == [["prod", "flags"]])
        #expect(agents("f = Flow('a')\nf.run_agent(show_flow_logs=True)\n") == [["config"]])
        #expect(agents("f = Flow('a', run_config=helpers.run_config())\nf.run_agent()\n") == [["?helpers.run_config(…)", "config"]])
        #expect(agents("f = Flow('a', run_config=helpers.run_config())\nf.register(project_name='p')\nf.run_agent()\n") == [["?helpers.run_config(…)", "config"]])
        #expect(agents("f = Flow('a', run_config=helpers.run_config())\nf.register(labels=['x'])\nf.run_agent()\n") == [["x", "?helpers.run_config(…)", "flags"]])
        #expect(agents("def serve():\n    f = Flow('a', run_config=LocalRun(labels=['x']))\n    f.run_agent()\n") == [["x", "flags"]])
        #expect(agents("other = object()\nother.run_agent()\nf = Flow('a')\nf.run()\n").isEmpty)
    }

    /// An agent a module-level function makes and returns is started where the function's
    /// result is: its parameters take what the call gives them, or their defaults.
    @Test func agentsMadeByFactoryFunctions() {
        let factory = """
            from prefect.agent.docker import DockerAgent
            def make_agent(labels, token=None, extra=('x',)):
                return DockerAgent(labels=labels, env_vars={"PREFECT__CONTEXT__SECRETS__TOKEN": token})

            """
        func agents(_ calls: String) -> [[String]] {
            Self.analyze(factory + calls).1.facts.agents.map { agent in
                agent.labels + agent.unknownLabels.map { "?" + $0 } + agent.flowRunEnv.map { "\($0.name)=\($0.value ?? "?")" }
            }
        }
        #expect(agents("make_agent(['prod'], token='t').start()\n") == [["prod", "PREFECT__CONTEXT__SECRETS__TOKEN=t"]])
        #expect(agents("def main():\n    agent = make_agent(labels=['a'])\n    agent.start()\nmain()\n") == [["a", "PREFECT__CONTEXT__SECRETS__TOKEN=None"]])
        #expect(agents("a = make_agent(LABELS, TOKEN)\na.start()\nb = make_agent(['b'])\n").map { $0.first } == ["?LABELS"], "b is never started")
        #expect(agents("make_agent(*args).start()\n").isEmpty)
        let rebinding = "from prefect.agent.docker import DockerAgent\ndef make_agent(labels):\n    labels = labels + ['gpu']\n    return DockerAgent(labels=labels)\n"
        #expect(Self.analyze(rebinding + "make_agent(['p']).start()\n").1.facts.agents.map(\.unknownLabels) == [["labels"]], "the function changes it")
        #expect(agents("def make_agent(labels):\n    return DockerAgent(labels=['other'])\nmake_agent(['p']).start()\n").isEmpty, "two functions of that name")
        // Built into a variable the function returns as it is.
        let steps = "from prefect.agent.docker import DockerAgent\ndef make(labels, token='t'):\n    agent = DockerAgent(labels=labels, env_vars={'A': token})\n    return agent\n"
        #expect(Self.analyze(steps + "make(['p']).start()\n").1.facts.agents.map { $0.labels + $0.flowRunEnv.map { "\($0.name)=\($0.value ?? "?")" } } == [["p", "A=t"]])
        let changed = steps.replacingOccurrences(of: "    return agent", with: "    agent.labels.append('x')\n    return agent")
        #expect(Self.analyze(changed + "make(['p']).start()\n").1.facts.agents.isEmpty, "the function changes the agent")
        let twoReturns = steps.replacingOccurrences(of: "    return agent", with: "    if token is None:\n        return None\n    return agent")
        #expect(Self.analyze(twoReturns + "make(['p']).start()\n").1.facts.agents.isEmpty, "it may return something else")
        let elsewhere = steps.replacingOccurrences(of: "    return agent", with: "    return other")
        #expect(Self.analyze(elsewhere + "make(['p']).start()\n").1.facts.agents.isEmpty, "it returns another value")
        let (file, analysis) = Self.analyze(factory + "make_agent(['one']).start()\nmake_agent(['two']).start()\n")
        #expect(analysis.facts.agents.map { file.text($0.span) } == ["make_agent(['one'])", "make_agent(['two'])"])
    }

    /// `+` of literals and module string constants gives a label or a secret name (`ENV +
    /// "-west"`, also through a constant assigned such a sum), and lists (or tuples) joined by
    /// `+` give their elements (`BASE + ["gpu"]`); a list joined to a tuple (a TypeError in
    /// Python), a constant assigned under a condition, a call or another operator leave the
    /// label or name unknown.
    @Test func labelsAndSecretNamesJoinedByPlus() {
        let (_, analysis) = Self.analyze(
            """
            import os
            from prefect import Flow
            from prefect.run_configs import DockerRun
            from prefect.tasks.secrets import PrefectSecret
            BASE = ["prod"]
            ENV = "eu"
            REGION = ENV + "-west"
            ALL = BASE + ["gpu"]
            TIER = "dev"
            if os.environ.get("PROD"):
                TIER = "prod"
            with Flow("a", run_config=DockerRun(labels=BASE + ["gpu", REGION])) as a:
                PrefectSecret(ENV.upper() + "_PASSWORD")
            with Flow("b", run_config=DockerRun(labels=ALL + [ENV + "-" + "x"])) as b:
                PrefectSecret("DB_" + ENV)
            with Flow("c", run_config=DockerRun(labels=BASE + ("x",))) as c:
                PrefectSecret(TIER + "_PASSWORD")
            with Flow("d", run_config=DockerRun(labels=[ENV * 2, TIER + "-x"])) as d:
                PrefectSecret(REGION)
            """)
        let flows = analysis.facts.flows
        #expect(flows.map(\.labels) == [["prod", "gpu", "eu-west"], ["prod", "gpu", "eu-x"], [], []])
        #expect(flows.map(\.unknownLabels) == [[], [], ["BASE…"], ["ENV…", "TIER…"]])
        #expect(analysis.facts.secretReferences.map(\.name) == [nil, "DB_eu", nil, "eu-west"])
    }

    /// A module's secret references as `NAME@flow`, sorted: `?` for a name the tool cannot
    /// read, `-` for a reference of no flow.
    static func referenceNames(_ source: String) -> [String] {
        analyze(source).1.facts.secretReferences.map { "\($0.name ?? "?")@\($0.flowIndex.map(String.init) ?? "-")" }.sorted()
    }

    /// ``referenceNames(_:)`` of `text` after the imports the naming tests share.
    static func names(_ text: String) -> [String] {
        referenceNames(
            "import os\nfrom prefect import Flow, Task, task\nfrom prefect.client import Secret\nfrom prefect.tasks.secrets import PrefectSecret\n" + text)
    }

    /// A helper that reads the secret its parameter names (`def get_secret(name): return
    /// Secret(name).get()`) reads what each call of it in the module gives: at the call, for
    /// the flow the call is in (a call in a task, for the flows using the task), or the
    /// default where a call gives none. A call whose name the tool cannot read, a helper that
    /// binds the parameter again, or one nothing calls keeps the unnamed read.
    @Test func secretNamesGivenToHelpersByTheirCalls() {
        let helper = "@task\ndef get_secret(name, other=None):\n    return Secret(name=name).get()\n"
        #expect(
            Self.names(
                helper + "def read(key='DEF'):\n    return Secret(key).get()\n@task\ndef load():\n    return read('IN_TASK'), read()\n"
                    + "with Flow('a') as a:\n    get_secret('A')\n    load()\nwith Flow('b') as b:\n    get_secret(other=1, name='B')\n    get_secret.run('RUN')\n")
                == ["A@0", "B@1", "DEF@0", "IN_TASK@0", "RUN@1"])
        // One call the tool cannot read: the unnamed read stays beside the named one.
        #expect(Self.names(helper + "with Flow('a') as a:\n    get_secret('A')\n    get_secret(pick())\n") == ["?@0", "A@0"])
        #expect(Self.names(helper + "with Flow('a') as a:\n    get_secret(*args)\n") == ["?@0"])
        #expect(Self.names(helper + "with Flow('a') as a:\n    pass\n") == ["?@0"])
        let rebinding = "@task\ndef get_secret(name):\n    name = name.upper()\n    return Secret(name).get()\nwith Flow('a') as a:\n    get_secret('a')\n"
        #expect(Self.names(rebinding) == ["?@0"])
        let keywordOnly = "@task\ndef get_secret(*, name='K'):\n    return Secret(name).get()\nwith Flow('a') as a:\n    get_secret()\n    get_secret(name='N')\n"
        #expect(Self.names(keywordOnly) == ["K@0", "N@0"])
    }

    /// A `Task` subclass whose `run(self, name)` reads the secret its parameter names reads
    /// what the module's calls of its instances give (`fetch("A")` on `fetch = Fetch()`,
    /// `Fetch()("B")`, `.run`, `.bind`), the default where they give none. A mapped instance, a
    /// variable bound to something else too, a class without bases (calling its instances
    /// does not run `run`) or a method other than `run` called so keep the unnamed read.
    @Test func secretNamesGivenToTaskClassRunsByTheirInstances() {
        let fetch = "class Fetch(Task):\n    def run(self, secret_name, region='eu', key='DEF'):\n        return Secret(secret_name).get(), Secret(key).get()\n"
        #expect(
            Self.names(
                fetch + "fetch = Fetch(name='fetch')\nwith Flow('a') as a:\n    fetch(secret_name='A')\n    Fetch()('B', key='K')\n"
                    + "with Flow('b') as b:\n    fetch.run('RUN')\n    Fetch().run('C')\n    fetch.bind(secret_name='BOUND')\n")
                == ["A@0", "B@0", "BOUND@1", "C@1", "DEF@0", "DEF@1", "DEF@1", "DEF@1", "K@0", "RUN@1"])
        #expect(Self.names(fetch + "fetch = Fetch()\nwith Flow('a') as a:\n    fetch('A')\n    fetch.map(['B', 'C'])\n") == ["?@0", "?@0", "A@0", "DEF@0"])
        #expect(Self.names(fetch + "fetch = Fetch()\nif x:\n    fetch = other\nwith Flow('a') as a:\n    fetch('A')\n") == ["?@0", "?@0"])
        let plain = "class Fetch:\n    def run(self, secret_name):\n        return Secret(secret_name).get()\nwith Flow('a') as a:\n    Fetch()('A')\n"
        #expect(Self.names(plain) == ["?@0"])
        let method = "class Fetch(Task):\n    def load(self, secret_name):\n        return Secret(secret_name).get()\nwith Flow('a') as a:\n    Fetch()('A')\n"
        #expect(Self.names(method) == ["?@0"])
    }

    /// A method reading the secret its parameter names (`def password(self, name)`) reads what
    /// the class's calls of it on `self` give, the default where they give none; a call on
    /// anything else, or none, keeps the unnamed read.
    @Test func secretNamesGivenToMethodsByTheirCallsOnSelf() {
        let load = "class Load(Task):\n    def password(self, name, key='DEF'):\n        return Secret(name).get() + Secret(key).get()\n"
        #expect(
            Self.names(load + "    def run(self):\n        return self.password('DB_PASSWORD'), self.password(name='OTHER', key='K')\nwith Flow('a') as a:\n    Load()()\n")
                == ["DB_PASSWORD@0", "DEF@0", "K@0", "OTHER@0"])
        #expect(Self.names(load + "    def run(self, other):\n        return other.password('X')\nwith Flow('a') as a:\n    Load()()\n") == ["?@0", "?@0"])
    }

    /// A class whose `__init__` keeps a parameter in an attribute (`self.secret_name =
    /// secret_name`) that a method reads as a secret name reads what the calls making its
    /// instances give, the default where they give none (keyword-only parameters too); an
    /// attribute also assigned elsewhere, or assigned a value other than the parameter, names
    /// nothing.
    @Test func secretNamesGivenToInitializersKeptInAttributes() {
        let query = "class Query(Task):\n    def __init__(self, secret_name='DEF', *, token_secret='TOKEN', **kwargs):\n"
            + "        super().__init__(**kwargs)\n        self.secret_name = secret_name\n        self._token = token_secret\n"
            + "    def run(self):\n        return Secret(self.secret_name).get(), Secret(self._token).get()\n"
        #expect(
            Self.names(query + "prod = Query('PROD', name='q')\nwith Flow('a') as a:\n    prod()\n    Query(token_secret='T2')()\n")
                == ["DEF@0", "PROD@0", "T2@0", "TOKEN@0"])
        let reassigned = query + "    def switch(self):\n        self.secret_name = 'OTHER'\nwith Flow('a') as a:\n    Query('PROD')()\n"
        #expect(Self.names(reassigned) == ["?@0", "TOKEN@0"])
        let derived = query.replacingOccurrences(of: "self.secret_name = secret_name", with: "self.secret_name = secret_name.upper()")
        #expect(Self.names(derived + "with Flow('a') as a:\n    Query('prod')()\n") == ["?@0", "TOKEN@0"])
    }

    /// A read of a `for` loop's variable over a display of string literals reads each; a loop
    /// over anything else, a body that binds the variable again, or a loop binding another
    /// name keeps the unnamed read.
    @Test func secretNamesGivenByLoopsOverLiterals() {
        #expect(
            Self.names("@task\ndef load():\n    for name in ['A', \"B\"]:\n        os.environ[name] = Secret(name).get()\nwith Flow('f') as f:\n    load()\n")
                == ["A@0", "B@0"])
        #expect(Self.names("with Flow('f') as f:\n    for n in ('C',\n              'D',):  # names\n        if n:\n            PrefectSecret(n)\n") == ["C@0", "D@0"])
        #expect(Self.names("with Flow('f') as f:\n    for n in {'E'}: PrefectSecret(n)\n") == ["E@0"])
        #expect(Self.names("NAMES = ['G', 'H']\n@task\ndef load():\n    for n in NAMES:\n        Secret(n).get()\n") == ["G@-", "H@-"])
        #expect(Self.names("NAMES = ['G']\n@task\ndef load():\n    NAMES = other()\n    for n in NAMES:\n        Secret(n).get()\n") == ["?@-"])
        #expect(Self.names("NAMES = ['G']\nif x:\n    NAMES = ['I']\nfor n in NAMES:\n    Secret(n).get()\n") == ["?@-"])
        #expect(Self.names("for outer in ['F']:\n    for inner in Self.names():\n        Secret(outer).get()\n        Secret(inner).get()\n") == ["?@-", "F@-"])
        // A variable the function binds once, before the loop, to a display.
        let local = "@task\ndef load():\n    names = ['J',\n             'K']  # both\n    for n in names:\n        Secret(n).get()\n"
        #expect(Self.names(local) == ["J@-", "K@-"])
        #expect(Self.names("NAMES = ['G']\n" + local.replacingOccurrences(of: "names", with: "NAMES")) == ["J@-", "K@-"])
        for rebound in ["    names = ['L']\n", "    for names in x: pass\n", "    names += more\n", "    names -= ['J']\n"] {
            #expect(Self.names(local.replacingOccurrences(of: "    for n", with: rebound + "    for n")) == ["?@-"], "\(rebound)")
        }
        #expect(Self.names(local.replacingOccurrences(of: "    names = ['J',\n             'K']  # both\n", with: "    names = pick()\n")) == ["?@-"])
        #expect(Self.names("@task\ndef load():\n    for n in names:\n        Secret(n).get()\n    names = ['J']\n") == ["?@-"])
        // A list changed after it is bound: the literals appended, extended, inserted or added
        // are read too. Any other change (a value not a literal, `remove`, `pop`, `clear`, an
        // item assigned or deleted, a module list changed in another function, which may run
        // or not) leaves the read unnamed.
        let module = "NAMES = ['G']\nCHANGE@task\ndef load():\n    for n in NAMES:\n        Secret(n).get()\n"
        for (change, expected) in [
            ("NAMES.append('X')\n", ["G@-", "X@-"]), ("NAMES.extend(['X', 'Y'])\n", ["G@-", "X@-", "Y@-"]), ("NAMES += ('X',)\n", ["G@-", "X@-"]),
            ("NAMES.insert(0, 'X')\n", ["G@-", "X@-"]), ("NAMES.sort()\nprint(NAMES[0])\n", ["G@-"]), ("obj.NAMES.append('Z')\n", ["G@-"]),
            ("def other():\n    NAMES = []\n    NAMES.append('Z')\n", ["G@-"]), ("NAMES.append(more)\n", ["?@-"]), ("NAMES.remove('G')\n", ["?@-"]),
            ("NAMES[0] = 'X'\n", ["?@-"]), ("del NAMES[0]\n", ["?@-"]), ("NAMES.extend(more)\n", ["?@-"]), ("NAMES *= 2\n", ["?@-"]),
            ("def more():\n    NAMES.append('Z')\n", ["?@-"]), ("NAMES.append('G')\nNAMES.extend(('X', 'X'))\n", ["G@-", "X@-"]),
            // Through another name bound to the same list: its changes are the list's.
            ("ALSO = NAMES\nALSO.append('X')\n", ["G@-", "X@-"]), ("ALSO = NAMES\nALSO.pop()\n", ["?@-"]),
            ("ALSO = NAMES\nALSO = []\nALSO.append('X')\n", ["?@-"]), ("def more():\n    also = NAMES\n    also.append('Z')\n", ["?@-"]),
            ("ALSO = NAMES\nprint(ALSO)\n", ["G@-"]),
        ] {
            #expect(Self.names(module.replacingOccurrences(of: "CHANGE", with: change)) == expected, "\(change)")
        }
        #expect(Self.names("NAMES = ['G']\n@task\ndef load():\n    also = NAMES\n    also.append('X')\n    for n in NAMES:\n        Secret(n).get()\n") == ["G@-", "X@-"])
        // At module level the loop reads what was added before it.
        #expect(Self.names("NAMES = ['G']\nNAMES.append('X')\nfor n in NAMES:\n    Secret(n).get()\nNAMES.append('Y')\n") == ["G@-", "X@-"])
        // A function's own list: its changes in the function count, another function's list of that name does not.
        #expect(Self.names(local.replacingOccurrences(of: "    for n", with: "    names.append('L')\n    for n") + "def other():\n    names.append('M')\n") == ["J@-", "K@-", "L@-"])
        #expect(Self.names(local.replacingOccurrences(of: "    for n", with: "    names.pop()\n    for n")) == ["?@-"])
        #expect(Self.names(local.replacingOccurrences(of: "    for n", with: "    names += ['L']\n    names += ('K',)\n    for n")) == ["J@-", "K@-", "L@-"])
        let several = "NAMES = ['A']\nNAMES.append('B')\nMORE = ['C']\ndef more():\n    MORE.append('D')\ndef own():\n    NAMES = []\n    NAMES.append('E')\n"
            + "@task\ndef load():\n    names = ['F']\n    names.extend(['G'])\n    for n in NAMES:\n        Secret(n).get()\n    for m in MORE:\n        Secret(m).get()\n"
            + "    for o in names:\n        Secret(o).get()\n"
        #expect(Self.names(several) == ["?@-", "A@-", "B@-", "F@-", "G@-"])
        for unread in [
            "for n in names():\n    Secret(n).get()\n", "for n in ['A' 'B']:\n    Secret(n).get()\n", "for n in [f'{x}']:\n    Secret(n).get()\n",
            "for n in ['A']:\n    n = n.upper()\n    Secret(n).get()\n", "for n, v in [('A', 1)]:\n    Secret(n).get()\n",
            "for n in ['A']:\n    pass\nSecret(n).get()\n", "for n in ['A'] + more:\n    Secret(n).get()\n", "for n in ['A']:\nSecret(n).get()\n",
        ] {
            #expect(Self.names(unread) == ["?@-"], "\(unread)")
        }
    }

    /// A secret named by a flow parameter is read under the parameter's default, the name a
    /// run given no other value reads, and says which parameter: bound to a variable
    /// (`PrefectSecret()(name=secret_name)`, the last binding before the use), given in place
    /// (`fetch(Parameter(…))`), the default by keyword or position. A parameter without a
    /// default, or a variable bound to something else since, names nothing.
    @Test func secretNamesGivenByFlowParameterDefaults() {
        func references(_ text: String) -> [String] {
            Self.analyze("from prefect import Flow, Parameter, task\nfrom prefect.tasks.secrets import PrefectSecret\nfrom prefect.client import Secret\n" + text).1.facts
                .secretReferences.map { "\($0.name ?? "?")\($0.flowParameter.map { " <- " + $0 } ?? "")" }.sorted()
        }
        let fetch = "@task\ndef fetch(name):\n    return Secret(name).get()\nget = PrefectSecret()\n"
        #expect(
            references(
                fetch + "with Flow('a') as a:\n    db = Parameter('db_secret', default='DB_PASSWORD')\n    get(name=db)\n"
                    + "    fetch(Parameter('api_secret', 'API_TOKEN'))\n    PrefectSecret()(name=Parameter(name='x', default='X_KEY'))\n")
                == ["API_TOKEN <- api_secret", "DB_PASSWORD <- db_secret", "X_KEY <- x"])
        // (The other "?" is `fetch`'s read, which no call names.)
        #expect(references(fetch + "with Flow('a') as a:\n    db = Parameter('db_secret')\n    get(name=db)\n") == ["?", "?"])
        // The last binding before the use: a parameter, then something else, then a parameter again.
        #expect(
            references(
                fetch + "db = pick()\nwith Flow('a') as a:\n    db = Parameter('db_secret', default='A')\n    get(name=db)\n    db = pick()\n    get(name=db)\n"
                    + "with Flow('b') as b:\n    db = Parameter('db', default='B')\n    get(name=db)\n")
                == ["?", "?", "A <- db_secret", "B <- db"])
    }

    /// A secret named through a module dict literal (`SECRETS["db"]`) or an f-string of module
    /// constants (`f"DWH_{STAGE}"`) has that name; a dict assigned twice, a missing key, an
    /// imported constant or a format spec leave it unread (helper round 38).
    @Test func secretNamesFromModuleDictsAndFStrings() {
        let (_, analysis) = Self.analyze(
            """
            from prefect.tasks.secrets import PrefectSecret as PS
            from pkg import IMPORTED
            SECRETS = {"db": "PG_PASS", "other": "X"}
            STAGE = "PROD"
            TWICE = {"a": "ONE"}
            if IMPORTED:
                TWICE = {"a": "TWO"}
            PS(SECRETS["db"])
            PS(f"DWH_{STAGE}")
            PS(SECRETS["missing"])
            PS(TWICE["a"])
            PS(f"DWH_{IMPORTED}")
            PS(f"DWH_{STAGE!r}")

            """)
        #expect(analysis.facts.secretReferences.map(\.name) == ["PG_PASS", "DWH_PROD", nil, nil, nil, nil])
    }

    @Test func runConfigReassignments() {
        let (_, analysis) = Self.analyze(
            """
            from prefect import Flow
            from prefect.run_configs import KubernetesRun, DockerRun, LocalRun
            with Flow("a") as flow:
                pass
            flow.run_config = KubernetesRun(labels=["k"], env={"PREFECT__CONTEXT__SECRETS__X": "v"})
            with Flow("b") as flow:
                pass
            flow.run_config = DockerRun(labels=["d"])
            flow.run_config = DockerRun()
            with Flow("c", run_config=DockerRun(labels=["d"])) as c:
                pass
            c.run_config = make_run_config()
            def configure(e):
                e.run_config = DockerRun(labels=["late"])
            with Flow("e") as e:
                pass
            configure(e)
            def build_extract():
                with Flow("f") as flow:
                    pass
                flow.run_config = KubernetesRun(labels=["k8s"])
                return flow
            def build_load():
                with Flow("g") as flow:
                    pass
                flow.run_config = DockerRun(labels=["docker"])
                return flow
            with Flow("h", run_config=KubernetesRun(labels=["k8s"], env={"PREFECT__CONTEXT__SECRETS__DB": "x"})) as h:
                pass
            if __name__ == "__main__":
                h.run_config = LocalRun()
            """)
        let flows = analysis.facts.flows
        #expect(flows.map(\.name) == ["a", "b", "c", "e", "f", "g", "h"])
        #expect(flows.map(\.runConfigType) == ["KubernetesRun", "DockerRun", "DockerRun", "DockerRun", "KubernetesRun", "DockerRun", "KubernetesRun"])
        #expect(flows.map(\.labels) == [["k"], [], [], ["late"], ["k8s"], ["docker"], ["k8s"]], "a later run config without labels leaves none")
        #expect(flows[2].unknownLabels == ["make_run_config(…)"] && flows[2].unknownLabelsMayBeNone, "a helper's run config has labels the tool cannot read")
        #expect(flows.map(\.runConfigEnv.count) == [1, 0, 0, 0, 0, 0, 1], "a run config under `if` does not replace the registered one")
        #expect(flows.map(\.runConfigIsAmbiguous) == [false, false, true, false, false, false, true])
    }

    /// A helper of the module whose body is one `return Storage(…)` or `return RunConfig(…)`
    /// gives the flow that storage or run config, its parameters unread; any other helper
    /// leaves them unknown.
    @Test func helperReturnedStorageAndRunConfig() {
        let (_, analysis) = Self.analyze(
            """
            from prefect import Flow
            from prefect.run_configs import DockerRun
            from prefect.storage import GitHub, Local

            def get_storage(path):
                return GitHub(repo="org/repo", path=path, access_token_secret="GITHUB_ACCESS_TOKEN")

            def run_config(env):
                return DockerRun(labels=["docker", env])

            def other_storage(local):
                if local:
                    return Local()
                return GitHub(repo="org/repo", path="f.py")

            with Flow("a", storage=get_storage("a.py"), run_config=run_config("prod")) as a:
                pass
            with Flow("b", storage=other_storage(True)) as b:
                pass

            def wrapped():
                return build_storage()

            with Flow("c", storage=wrapped()) as c:
                pass
            """)
        let flows = analysis.facts.flows
        #expect(flows.map(\.storageType) == ["GitHub", nil, nil])
        #expect(flows.map(\.storageIsUnknown) == [nil, "other_storage(…)", "wrapped(…)"])
        #expect(flows.first?.runConfigType == "DockerRun" && flows.first?.labels == ["docker"] && flows.first?.unknownLabels == ["env"], "\(flows)")
    }

    /// `ECSRun(task_definition_arn=…)`, which an ECS agent refuses with Docker storage: any
    /// value but `None`, an empty string included; a later run config drops it.
    @Test func taskDefinitionARN() {
        let (_, analysis) = Self.analyze(
            """
            from prefect import Flow
            from prefect.run_configs import ECSRun
            with Flow("a", run_config=ECSRun(task_definition_arn="arn:aws:ecs:task/flow:1")) as a:
                pass
            with Flow("b", run_config=ECSRun(task_definition_arn="")) as b:
                pass
            with Flow("c", run_config=ECSRun(task_definition_arn=None)) as c:
                pass
            with Flow("d", run_config=ECSRun(task_definition_arn=ARN)) as d:
                pass
            d.run_config = ECSRun()
            """)
        #expect(analysis.facts.flows.map(\.hasTaskDefinitionARN) == [true, true, false, false])
    }

    /// Storage reassignments follow the run config's rules: the last readable one counts, one
    /// under `if` leaves the registered one, and a different or unreadable one makes the type
    /// uncertain (a local agent's Docker storage verdict needs it certain).
    @Test func storageReassignments() {
        let (_, analysis) = Self.analyze(
            """
            from prefect import Flow
            from prefect.storage import Docker, GitHub, Local
            with Flow("a", storage=Docker(registry_url="r")) as a:
                pass
            with Flow("b", storage=Docker(registry_url="r")) as b:
                pass
            b.storage = GitHub(repo="o/r", path="f.py")
            with Flow("c", storage=Docker(registry_url="r")) as c:
                pass
            c.storage = make_storage()
            with Flow("d", storage=Docker(registry_url="r")) as d:
                pass
            if __name__ == "__main__":
                d.storage = Local()
            with Flow("e", storage=Docker(registry_url="r")) as e:
                pass
            if __name__ == "__main__":
                e.storage = Docker(registry_url="other")
            with Flow("f") as f:
                pass
            f.storage = Docker(registry_url="r")
            with Flow("g") as g:
                pass
            if os.getenv("BUILD_IMAGE"):
                g.storage = Docker(registry_url="r")
            with Flow("h") as h:
                if os.getenv("BUILD_IMAGE"):
                    h.storage = Docker(registry_url="r")
            with Flow("i") as i: i.storage = Docker(registry_url="r")
            STORAGE = Local()
            if os.getenv("CI"):
                STORAGE = Docker(registry_url="r")
            with Flow("j", storage=STORAGE) as j:
                pass
            with Flow("k") as k:
                x = 1; k.storage = Docker(registry_url="r")
            IMAGE = Docker(registry_url="a")
            IMAGE = Docker(registry_url="b")
            with Flow("l", storage=IMAGE) as l:
                pass
            with Flow("m") as m:
                pass
            if __name__ == "__main__": m.storage = Docker(registry_url="r")
            with Flow("n") as n:
                x = 1
                if PROD: n.storage = Docker(registry_url="r")
            with Flow("o") as o:
                pass
            if os.getenv("X"):
                with open("p"):
                    o.storage = Docker(registry_url="r")
            with Flow("p") as p:
                pass
            for(k) in range(2): p.storage = Docker(registry_url="r")
            with Flow("q") as q:
                pass
            if\tX: q.storage = Docker(registry_url="r")
            with Flow("r") as r:
                pass
            if_x = 1; r.storage = Docker(registry_url="r")
            """)
        let flows = analysis.facts.flows
        #expect(flows.map(\.name) == ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r"])
        #expect(flows.map(\.storageType) == Array(repeating: "Docker", count: 18).enumerated().map { $0.offset == 1 ? "GitHub" : $0.element })
        #expect(flows.map(\.storageIsAmbiguous) == [false, true, true, true, false, false, true, true, false, true, false, false, true, true, true, true, true, false],
                "under an `if` with no storage before (also in a `with` body), or through a variable assigned twice: maybe another")
    }

    /// A function that builds a flow from its own variables (`storage = GitHub(…)`,
    /// `run_config = KubernetesRun(…)`, then `Flow(…, storage=storage, run_config=run_config)`
    /// or `flow.storage = storage`) gives the flow those; a variable assigned twice, under a
    /// condition, after the flow, or a parameter leaves them unknown.
    @Test func flowFactoryLocalVariables() {
        func flow(_ body: String) -> Flow? {
            let text = """
                from prefect import Flow
                from prefect.run_configs import KubernetesRun, LocalRun
                from prefect.storage import GitHub, Local

                def create_flow(param=None):
                \(body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
                    return flow

                """
            return Self.analyze(text).1.facts.flows.first
        }
        let known = flow("storage = GitHub(repo=\"o/r\", path=\"f.py\")\nrun_config = KubernetesRun(labels=[\"k8s\"])\nwith Flow(\"etl\", storage=storage, run_config=run_config) as flow:\n    pass")
        #expect(known?.storageType == "GitHub" && known?.storageIsUnknown == nil)
        #expect(known?.runConfigType == "KubernetesRun" && known?.labels == ["k8s"])
        let later = flow("with Flow(\"etl\") as flow:\n    pass\nstorage = GitHub(repo=\"o/r\", path=\"f.py\")\nflow.storage = storage")
        #expect(later?.storageType == "GitHub")
        for unknown in [
            "storage = Local()\nstorage = GitHub(repo=\"o/r\", path=\"f.py\")\nflow = Flow(\"etl\", storage=storage)",
            "if param:\n    storage = GitHub(repo=\"o/r\", path=\"f.py\")\nflow = Flow(\"etl\", storage=storage)",
            "flow = Flow(\"etl\", storage=param)",
            "flow = Flow(\"etl\", storage=storage)\nstorage = GitHub(repo=\"o/r\", path=\"f.py\")",
        ] {
            #expect(flow(unknown)?.storageIsUnknown != nil, "\(unknown)")
        }
    }

    /// A storage left over at module level (`storage = S3(…)` beside `Flow("etl")`, its use
    /// commented out) is no flow's, so its default secrets are nobody's; one a flow takes, or
    /// beside a flow whose storage the tool cannot read, or in a module without flows (which
    /// another may import), keeps them.
    @Test func storageOfNoFlowReadsNothing() {
        let names = { (text: String) -> [String] in
            Self.analyze("from prefect import Flow\nfrom prefect.storage import GitHub, S3\n" + text).1.facts.secretReferences.compactMap(\.name)
        }
        #expect(names("storage = S3(bucket=\"b\")\nwith Flow(\"etl\") as flow:\n    pass\n") == [])
        #expect(names("storage = S3(bucket=\"b\")\nwith Flow(\"etl\", storage=GitHub(repo=\"o/r\", path=\"f.py\")) as flow:\n    pass\n") == ["GITHUB_ACCESS_TOKEN"])
        #expect(names("storage = S3(bucket=\"b\")\nwith Flow(\"etl\", storage=storage) as flow:\n    pass\n") == ["AWS_CREDENTIALS"])
        #expect(names("storage = S3(bucket=\"b\")\nwith Flow(\"etl\") as flow:\n    pass\nflow.storage = storage\n") == ["AWS_CREDENTIALS"])
        #expect(names("storage = S3(bucket=\"b\")\nwith Flow(\"etl\", storage=make_storage()) as flow:\n    pass\n") == ["AWS_CREDENTIALS"])
        #expect(names("storage = S3(bucket=\"b\")\n") == ["AWS_CREDENTIALS"])
    }

    /// A task run in a task body with its credentials (`S3Upload(…).run(…, credentials=c)`)
    /// never reads the default secret from context (utilities/aws.py, gcp.py); without them, it does.
    @Test func taskRunWithCredentialsReadsNoDefault() {
        let names = { (body: String) -> [String] in
            Self.analyze(
                "from prefect import Flow, task\nfrom prefect.tasks.aws.s3 import S3Upload\nfrom prefect.tasks.gcp.storage import GCSUpload\n"
                    + "@task\ndef push(data, creds):\n    \(body)\nwith Flow(\"f\") as flow:\n    push(1, 2)\n"
            ).1.facts.secretReferences.compactMap(\.name)
        }
        #expect(names("S3Upload(bucket=\"r\").run(data=data, key=\"k\", credentials=creds)") == [])
        #expect(names("GCSUpload(bucket=\"r\").run(data=data, blob=\"b\", credentials=creds)") == [])
        #expect(names("S3Upload(bucket=\"r\").run(data=data, key=\"k\")") == ["AWS_CREDENTIALS"])
        #expect(names("S3Upload(bucket=\"r\").run(data=data, key=\"k\", credentials=None)") == ["AWS_CREDENTIALS"])
    }

    /// A module-level secret task only formatted into a string (`f"{token}"` is the text
    /// "<Task: TOKEN>") never joins a flow (checked with Prefect 1.4.1); one given in a value
    /// a task is called with does.
    @Test func secretTaskOnlyFormattedIsNoFlows() {
        let flows = { (use: String) -> [Int?] in
            Self.analyze(
                "from prefect import Flow, task\nfrom prefect.tasks.secrets import PrefectSecret\ndbx_token = PrefectSecret(\"TOKEN\")\n"
                    + "conn = {\"token\": \(use)}\n@task\ndef submit(c):\n    pass\nwith Flow(\"f\") as flow:\n    submit(conn)\n"
            ).1.facts.secretReferences.map(\.flowIndex)
        }
        #expect(flows("f\"{dbx_token}\"") == [nil])
        #expect(flows("str(dbx_token)") == [nil])
        #expect(flows("\"{}\".format(dbx_token)") == [nil])
        #expect(flows("\"{t}\".format(t=dbx_token)") == [nil])
        #expect(flows("\"%s\" % dbx_token") == [nil])
        #expect(flows("\"%s %s\" % (1, dbx_token)") == [nil])
        #expect(flows("f\"{dbx_token!r:>10}\"") == [nil])
        #expect(flows("dbx_token") == [0])
        #expect(flows("f\"{dbx_token.name}\" + str(dbx_token)") == [0], "other uses are not followed")
    }

    /// A readable dump of every fact, for the golden file.
    static func dump(_ file: SourceFile, _ analysis: FileAnalysis) -> String {
        func at(_ span: ByteSpan?) -> String {
            guard let span else { return "-" }
            let start = file.lines.location(of: span.start)
            return "\(start.line):\(start.column)"
        }
        let facts = analysis.facts
        var out = ""
        for (i, flow) in facts.flows.enumerated() {
            out += "flow[\(i)] \(flow.name ?? "?") @\(at(flow.span)) labels=\(flow.labels) runConfig=\(flow.runConfigType ?? "-") storage=\(flow.storageType ?? "-") env=\(flow.runConfigEnv.map(\.name))\n"
        }
        for r in facts.secretReferences {
            out += "ref \(r.kind.rawValue) \(r.name ?? "<unresolved>") @\(at(r.span)) flow=\(r.flowIndex.map(String.init) ?? "-")\(r.readAtBuildTime ? " build-time" : "")\n"
        }
        for e in facts.envAssignments {
            out += "env \(e.context.rawValue) \(e.name) origin=\(e.origin) @\(at(e.nameSpan)) value@\(at(e.valueSpan))\n"
        }
        for p in facts.provisions {
            out += "provision \(p.source.rawValue) \(p.name) origin=\(p.origin) @\(at(p.span))\n"
        }
        for u in facts.cloudAPIUses { out += "cloud \(u.operation) @\(at(u.span))\n" }
        for r in facts.python?.secretReads ?? [] {
            out += "read \(r.api) \(r.name ?? "<unresolved>") \(r.place.rawValue) @\(at(r.span))\n"
        }
        for l in facts.python?.hardcodedLiterals ?? [] { out += "literal \(l.site.rawValue) \(l.key) @\(at(l.valueSpan))\n" }
        for m in facts.python?.metadataLiterals ?? [] { out += "metadata \(m.place.rawValue) \(m.key) @\(at(m.valueSpan))\n" }
        for d in analysis.diagnostics { out += "diagnostic \(d.message) @\(at(d.span))\n" }
        return out
    }

    @Test func allFormsGolden() throws {
        let url = TestPaths.testdata.appendingPathComponent("python/facts/all-forms.py")
        let text = try String(contentsOf: url, encoding: .utf8)
        let (file, analysis) = Self.analyze(text, path: "all-forms.py")
        if let mismatch = snapshotMismatch(Self.dump(file, analysis), path: "testdata/python/facts/all-forms.facts") {
            Issue.record(Comment(rawValue: mismatch))
        }
    }

    @Test func buildTimeReads() {
        let (_, analysis) = Self.analyze("""
            from prefect import Flow
            from prefect.client import Secret
            A = Secret("A").get()
            def helper():
                return Secret("B").get()
            handler = lambda flow, old, new: Secret("D").get()
            get_g = lambda: Secret("G").get()
            with Flow("f", state_handlers=[handler]) as flow:
                c = Secret("C").get()
                e = task(lambda: Secret("E").get(), name="e")()
                f = task(lambda x=Secret("F").get(): x)()
                g = get_g()
            """)
        let reads = analysis.facts.python?.secretReads.map { "\($0.name ?? "?"):\($0.place.rawValue)" }
        #expect(reads == ["A:moduleLevel", "B:otherFunction", "D:otherFunction", "G:flowBlock", "C:flowBlock", "E:otherFunction", "F:flowBlock"],
                "a lambda's body runs when it is called; its defaults where it is written; one the flow block calls, there")
        let buildTime = analysis.facts.secretReferences.filter(\.readAtBuildTime).compactMap(\.name)
        #expect(buildTime == ["A", "G", "C", "F"])
    }

    /// A helper called at module level reads its secret then, unless the read stands under an
    /// `if` that asks for the flow run's id (registration has none); a negated test does not count.
    @Test func helperReadsGuardedByTheFlowRun() {
        let (_, analysis) = Self.analyze("""
            import prefect
            from prefect.client import Secret
            def settings():
                if prefect.context.get("flow_run_id"):
                    # in a flow run
                    return Secret("GUARDED").get()
                elif "flow_run_id" in prefect.context and ready:
                    return Secret("ELIF").get()
                else:
                    return Secret("LOCAL").get()
            def other():
                if not prefect.context.get("flow_run_id"):
                    return Secret("NEGATED").get()
                return Secret("PLAIN").get()
            A = settings()
            B = other()
            """)
        let atModuleLevel = analysis.facts.python?.secretReads.filter { $0.place == .moduleLevel }.compactMap(\.name)
        #expect(atModuleLevel == ["LOCAL", "NEGATED", "PLAIN"])
    }

    /// The same guard around a module-level read, or around a helper's call: the module reads
    /// the secret only when a flow run loads it; the reference is a run-time one.
    @Test func moduleReadsGuardedByTheFlowRun() {
        let (_, analysis) = Self.analyze("""
            import prefect
            from prefect.client import Secret
            def settings():
                return Secret("HELPER").get()
            if prefect.context.get("flow_run_id"):
                TOKEN = Secret("GUARDED").get()
                HELPED = settings()
            if not prefect.context.get("flow_run_id"):
                LOCAL = Secret("NEGATED").get()
            PLAIN = Secret("PLAIN").get()
            """)
        let atModuleLevel = analysis.facts.python?.secretReads.filter { $0.place == .moduleLevel }.compactMap(\.name)
        #expect(atModuleLevel == ["NEGATED", "PLAIN"])
        let buildTime = analysis.facts.secretReferences.filter(\.readAtBuildTime).compactMap(\.name)
        #expect(buildTime == ["NEGATED", "PLAIN"])
    }

    @Test func unimportedNamesAreNotPrefect() {
        let (_, analysis) = Self.analyze("""
            from mylib import Secret, PrefectSecret, Flow
            x = Secret("A").get()
            with Flow("f") as flow:
                PrefectSecret("B")
            """)
        #expect(analysis.facts.secretReferences.isEmpty)
        #expect(analysis.facts.flows.isEmpty)
    }

    @Test func starImportResolves() {
        let (_, analysis) = Self.analyze("""
            from prefect.tasks.secrets import *
            from prefect import *
            with Flow("f") as flow:
                PrefectSecret("B")
            """)
        #expect(analysis.facts.secretReferences.map(\.name) == ["B"])
        #expect(analysis.facts.flows.count == 1)
    }

    @Test func patternScopeHasStringsAndComments() {
        let (_, analysis) = Self.analyze("x = 'a'  # c\ny = f\"t{z}u\"\n")
        guard case .regions(let literals, let comments) = analysis.patternScope else {
            Issue.record("expected regions")
            return
        }
        #expect(literals == [ByteSpan(4, 7), ByteSpan(19, 20), ByteSpan(23, 24)])
        #expect(comments == [ByteSpan(9, 12)])
    }

    @Test func onlyTheFirstErrorIsReported() {
        let (_, analysis) = Self.analyze("a = 'x\nb = 'y\n")
        #expect(analysis.diagnostics.count == 1)
        #expect(analysis.diagnostics.first?.span.start == 4)
        let (_, good) = Self.analyze("a = 'x'\n")
        #expect(good.diagnostics.isEmpty)
    }

    @Test func invalidUTF8IsAnError() {
        let file = SourceFile(path: "bad.py", bytes: Array("a = '".utf8) + [0xFF] + Array("'\n".utf8))
        let analysis = PythonAnalyzer().analyze(file, kind: .python)
        #expect(analysis.diagnostics.first?.span == ByteSpan(5, 6))
    }

    /// PEP 263: a file that declares a legacy encoding on its first or second line is read,
    /// its facts too; UTF-8 and ASCII declarations, a declaration below a code line and an
    /// unknown codec still leave a non-UTF-8 byte an error.
    @Test func declaredLegacyEncodingIsNotAnError() {
        func analysis(_ head: String, _ rest: String = "") -> FileAnalysis {
            let bytes = Array(head.utf8) + Array("from prefect.client import Secret\nname = 'caf".utf8) + [0xE9] + Array("'\nx = Secret('DB').get()\n\(rest)".utf8)
            return PythonAnalyzer().analyze(SourceFile(path: "legacy.py", bytes: bytes), kind: .python)
        }
        for head in ["# -*- coding: latin-1 -*-\n", "#!/usr/bin/env python\n# vim: set fileencoding=iso_8859_15 :\n", "# coding=cp1252\n"] {
            let read = analysis(head)
            #expect(read.diagnostics.isEmpty, "\(head)")
            #expect(read.facts.secretReferences.compactMap(\.name) == ["DB"], "\(head)")
        }
        for head in ["# coding: utf-8\n", "# coding: ascii\n", "import os\n# coding: latin-1\n", "# coding: klingon\n", ""] {
            #expect(analysis(head).diagnostics.first?.message == "invalid UTF-8 byte in Python source", "\(head)")
        }
    }

    @Test func templateNames() {
        #expect(PythonFlowFactsBuilder.templateNames("Bearer ${TOKEN} and $OTHER, $$not, ${bad") == ["TOKEN", "OTHER"])
    }
}

extension PythonAnalyzerTests {
    /// A secret name computed at run time from a text around it keeps that text as the form
    /// of the names it can take; one without such text, or with a literal brace, has none.
    @Test func fStringSecretNamesKeepTheirFixedText() {
        let flow = """
            from prefect import Flow
            from prefect.tasks.secrets import PrefectSecret
            from prefect.client import Secret

            def names(user, stage, key):
                PrefectSecret(f"MYFITNESSPAL_USERNAME_{user.upper()}")
                Secret(f'{stage}-db-password').get()
                PrefectSecret(F"DB_{stage}_PASSWORD_{key}")
                PrefectSecret(f"{user}")
                PrefectSecret(f"DB_{{literal}}_{user}")
                PrefectSecret(f"DB_" "{user}")
                PrefectSecret(f"db password {user}")
                PrefectSecret(user)

            """
        let (_, analysis) = Self.analyze(flow)
        let forms = analysis.facts.secretReferences.sorted { $0.span.start < $1.span.start }.map { $0.namePattern?.description ?? "-" }
        #expect(forms == ["MYFITNESSPAL_USERNAME_{…}", "{…}-db-password", "DB_{…}", "-", "-", "-", "-", "-"])
        let pattern = SecretNamePattern(prefix: "DB_", suffix: "_PASSWORD")
        #expect(pattern.matches("DB_PROD_PASSWORD") && pattern.matches("DB__PASSWORD") && !pattern.matches("DB_PASSWORD") && !pattern.matches("DB_PROD"))
    }
    /// Names joined with `+`, `str.format` or `%` keep their literal text too; any other
    /// operator or a conditional makes the name anything.
    @Test func joinedAndFormattedSecretNamesKeepTheirFixedText() {
        let flow = """
            from prefect.tasks.secrets import PrefectSecret
            from prefect.client import Secret

            def names(stage, user):
                PrefectSecret("DB_" + stage.upper())
                Secret(stage + "_PASSWORD").get()
                PrefectSecret("DB_" + stage + "_PASSWORD")
                PrefectSecret("DB_{}_PASSWORD".format(stage))
                PrefectSecret("DB_%s" % stage)
                PrefectSecret("DB_%(stage)s_%(user)s_KEY" % {"stage": stage, "user": user})
                PrefectSecret("DB_" + stage if stage else "DEFAULT")
                PrefectSecret("DB_{}".format(stage).lower())
                PrefectSecret("DB_%s" % stage + "_X")
                PrefectSecret("DB_%%s" % stage)
                PrefectSecret("db password " + stage)
                PrefectSecret(b"DB_" + stage)
                PrefectSecret(stage * 2)
                PrefectSecret(user + stage)

            """
        let (_, analysis) = Self.analyze(flow)
        let forms = analysis.facts.secretReferences.sorted { $0.span.start < $1.span.start }.map { $0.namePattern?.description ?? "-" }
        #expect(
            forms == [
                "DB_{…}", "{…}_PASSWORD", "DB_{…}_PASSWORD", "DB_{…}_PASSWORD", "DB_{…}", "DB_{…}_KEY", "-", "-", "-", "-", "-", "-", "-", "-",
            ])
    }
}
