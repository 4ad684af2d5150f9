import Foundation
import Testing

/// Verdicts of the whole-project analysis on small projects, each beside the variant that
/// turns it (so that neither half can pass by the rule staying silent).
@Suite struct ProjectVerdictTests {
    /// The JSON findings of `check` on a tree of `files`, with `arguments`.
    static func findings(_ files: [String: String], _ arguments: [String] = []) async throws -> [[String: Any]] {
        let root = try makeTree(files.mapValues(text))
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--format", "json", "--fail-on", "never"] + arguments + [root])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return (object?["findings"] as? [[String: Any]]) ?? []
    }

    /// The text `inventory` of a project made of `files`.
    static func inventory(_ files: [String: String]) async throws -> String {
        let root = try makeTree(files.mapValues(text))
        defer { try? FileManager.default.removeItem(atPath: root) }
        return await runCLI(["inventory", root]).stdout
    }

    static func codes(_ findings: [[String: Any]]) -> [String] { findings.compactMap { $0["rule"] as? String }.sorted() }

    static let flowHeader = """
        from prefect import Flow, task
        from prefect.client import Secret
        from prefect.run_configs import LocalRun, DockerRun
        from prefect.storage import Module
        from prefect.tasks.secrets import PrefectSecret

        """

    /// Flow 'etl' (labels prod, a DockerRun, Module storage) whose task reads DB_PASSWORD.
    static let dockerRunFlowReadingDBPassword = flowHeader + """
        @task
        def connect():
            return Secret("DB_PASSWORD").get()

        with Flow("etl", run_config=DockerRun(labels=["prod"]), storage=Module("flows.etl")) as flow:
            connect()

        """

    /// A team's own `class Flow(prefect.Flow)` in a project module builds flows in the modules
    /// that import it (absolutely or relatively); a class `Flow` the project does not define as
    /// Prefect's subclass, or one from outside the project, does not.
    @Test func projectSubclassOfFlowBuildsFlows() async throws {
        let flow = { (importLine: String) in
            """
            from prefect.run_configs import KubernetesRun
            from prefect.storage import Module
            from prefect.tasks.secrets import PrefectSecret
            \(importLine)

            with Flow("etl", code_owners=["data"], run_config=KubernetesRun(labels=["k8s"]), storage=Module("pipelines.etl.flows")) as flow:
                PrefectSecret("DB_PASSWORD")

            """
        }
        let subclass = "from prefect import Flow as PrefectFlow\n\n\nclass Flow(PrefectFlow):\n    def __init__(self, name, code_owners=None, **kwargs):\n        super().__init__(name=name, **kwargs)\n"
        let agent = ["deploy/agent.sh": "prefect agent kubernetes start --label k8s\n"]
        let cases: [(files: [String: String], recognized: Bool)] = [
            (["pipelines/etl/flows.py": flow("from pipelines.utils.decorators import Flow"), "pipelines/utils/decorators.py": subclass], true),
            (["pipelines/etl/flows.py": flow("from .base import Flow"), "pipelines/etl/base.py": subclass], true),
            // Passed on under the name `Flow` by a module that need not import Prefect.
            (
                [
                    "pipelines/etl/flows.py": flow("from pipelines.utils.decorators import Flow"),
                    "pipelines/utils/decorators.py": "from pipelines.utils.custom import CustomFlow\n\nFlow = CustomFlow\n",
                    "pipelines/utils/custom.py": subclass.replacingOccurrences(of: "class Flow(", with: "class CustomFlow("),
                ], true
            ),
            (
                [
                    "pipelines/etl/flows.py": flow("from pipelines.utils.decorators import Flow"),
                    "pipelines/utils/decorators.py": subclass.replacingOccurrences(of: "class Flow(", with: "class CustomFlow(") + "\n\nFlow = CustomFlow\n",
                ], true
            ),
            (
                [
                    "pipelines/etl/flows.py": flow("from pipelines.utils.custom import CustomFlow as Flow"),
                    "pipelines/utils/custom.py": subclass.replacingOccurrences(of: "class Flow(", with: "class CustomFlow("),
                ], true
            ),
            (
                [
                    "pipelines/etl/flows.py": flow("from pipelines.utils.decorators import Flow"),
                    "pipelines/utils/decorators.py": "from pipelines.utils.custom import CustomFlow\n\nFlow = CustomFlow\n",
                    "pipelines/utils/custom.py": "class CustomFlow:\n    pass\n",
                ], false
            ),
            (["pipelines/etl/flows.py": flow("from pipelines.utils.decorators import Flow")], false),
            (["pipelines/etl/flows.py": flow("from pipelines.utils.decorators import Flow"), "pipelines/utils/decorators.py": "class Flow:\n    pass\n"], false),
        ]
        for (files, recognized) in cases {
            let found = try await Self.findings(files.merging(agent) { $1 }, ["--backend", "server", "--select", "PS201"])
            #expect(found.count == (recognized ? 1 : 0), "\(files.keys.sorted()): \(found)")
            if recognized {
                #expect((found.first?["message"] as? String)?.contains("flow 'etl' (pipelines/etl/flows.py:6) needs secret DB_PASSWORD") == true, "\(found)")
            }
        }
    }

    /// A run config and storage a shared module binds (`RUN_CONFIG = DockerRun(labels=["prod"])`,
    /// `STORAGE = GitHub(…)` in flows/flow_config.py) give the flows that import them their
    /// labels, env and storage: the agent with those labels runs the flow and misses its
    /// secret (an error, not a "may"), unless the imported run config's env gives it; the
    /// storage's default token is read there. A name the module does not bind stays unknown.
    @Test func runConfigAndStorageImportedFromASharedModule() async throws {
        let flow = { (importLine: String) in
            """
            from prefect import Flow
            from prefect.tasks.secrets import PrefectSecret
            \(importLine)

            with Flow("etl", run_config=RUN_CONFIG, storage=STORAGE) as flow:
                PrefectSecret("DB_PASSWORD")

            """
        }
        let config = { (env: String) in
            """
            from prefect.run_configs import DockerRun
            from prefect.storage import GitHub

            RUN_CONFIG = DockerRun(labels=["prod"]\(env))
            STORAGE = GitHub(repo="acme/flows", path="flows/etl.py")

            """
        }
        // The dev agent's token shows the storage is meant to have one (PS206 for prod's runs).
        let agents = [
            "deploy/prod.sh": "prefect agent docker start --label prod\n",
            "deploy/dev.sh": "prefect agent docker start --label dev --env PREFECT__CONTEXT__SECRETS__GITHUB_ACCESS_TOKEN=\"$TOKEN\"\n",
        ]
        let cases: [(files: [String: String], missing: Bool)] = [
            (["flows/etl.py": flow("from flow_config import RUN_CONFIG, STORAGE"), "flows/flow_config.py": config("")], true),
            (["flows/etl.py": flow("from flows.flow_config import RUN_CONFIG, STORAGE"), "flows/flow_config.py": config("")], true),
            (["flows/etl.py": flow("import flow_config")
                .replacingOccurrences(of: "run_config=RUN_CONFIG, storage=STORAGE", with: "run_config=flow_config.RUN_CONFIG, storage=flow_config.STORAGE"),
              "flows/flow_config.py": config("")], true),
            (["flows/etl.py": flow("import flows.flow_config\nfrom flows import flow_config as settings")
                .replacingOccurrences(of: "run_config=RUN_CONFIG, storage=STORAGE", with: "run_config=flows.flow_config.RUN_CONFIG, storage=settings.STORAGE"),
              "flows/flow_config.py": config("")], true),
            (["flows/etl.py": flow("from .settings import DOCKER_RUN as RUN_CONFIG, STORAGE"),
              "flows/settings.py": config("").replacingOccurrences(of: "RUN_CONFIG =", with: "DOCKER_RUN =")], true),
            (["flows/etl.py": flow("from flow_config import RUN_CONFIG, STORAGE"),
              "flows/flow_config.py": config(", env={\"PREFECT__CONTEXT__SECRETS__DB_PASSWORD\": \"Xk29fQm7Lp3Zr8Tw\"}")], false),
        ]
        for (files, missing) in cases {
            let found = try await Self.findings(files.merging(agents) { $1 }, ["--backend", "server", "--select", "PS201,PS203,PS206"])
            let summary = found.map { "\($0["rule"] ?? "") \($0["severity"] ?? ""): \($0["message"] ?? "")" }
            let ps201 = found.filter { $0["rule"] as? String == "PS201" }
            #expect(ps201.count == (missing ? 1 : 0), "\(files.keys.sorted()): \(summary)")
            if missing {
                #expect(ps201.first?["severity"] as? String == "error", "\(summary)")
                #expect((ps201.first?["message"] as? String)?.contains("deploy/prod.sh") == true, "\(summary)")
            }
            #expect(!found.contains { $0["rule"] as? String == "PS203" }, "\(summary)")
            let token = found.filter { $0["rule"] as? String == "PS206" }
            #expect(token.count == 1 && (token.first?["message"] as? String)?.contains("GITHUB_ACCESS_TOKEN (read in flows/") == true, "\(summary)")
        }
        // Two flows of one module taking the storage: each reads its token.
        let twoFlows = flow("from flow_config import RUN_CONFIG, STORAGE") + "\nwith Flow(\"load\", run_config=RUN_CONFIG, storage=STORAGE) as load:\n    PrefectSecret(\"DB_PASSWORD\")\n"
        let tokens = try await Self.findings(
            ["flows/etl.py": twoFlows, "flows/flow_config.py": config("")].merging(agents) { $1 }, ["--backend", "server", "--select", "PS206"])
        #expect(tokens.compactMap { $0["message"] as? String }.filter { $0.contains("GITHUB_ACCESS_TOKEN (read in flows/flow_config.py:5") }.count == 2, "\(tokens)")
        // Not bound by the module: the labels stay unknown, so an agent only may run the flow.
        let root = try makeTree(
            ["flows/etl.py": flow("from flow_config import RUN_CONFIG, STORAGE"), "flows/flow_config.py": "RUN_CONFIG = make_run_config()\nSTORAGE = None\n"]
                .merging(agents) { $1 }.mapValues(text))
        defer { try? FileManager.default.removeItem(atPath: root) }
        let inventory = await runCLI(["inventory", "--backend", "server", root]).stdout
        #expect(inventory.contains("labels <unknown: RUN_CONFIG>,<unknown: storage STORAGE>, run config <unknown: RUN_CONFIG>"), "\(inventory)")
        #expect(inventory.contains("agents: none; may run it"), "\(inventory)")
    }

    /// A run's image the tool cannot tie to a project build (named by code, or a name no build
    /// of the project gives) may be built from a project Dockerfile whose `ENV` sets the secret:
    /// PS201 says so and is a warning, not an error. Prefect's own image, an agent's image, or
    /// a Dockerfile that sets another name change nothing; Docker storage built from a project
    /// Dockerfile (`dockerfile=`) has its `ENV`.
    @Test func runImageMayBeBuiltFromAProjectDockerfile() async throws {
        let flow = { (runConfig: String, storage: String) in
            """
            import os
            from prefect import Flow
            from prefect.run_configs import DockerRun, KubernetesRun
            from prefect.storage import Docker, Module
            from prefect.tasks.secrets import PrefectSecret

            with Flow("etl", run_config=\(runConfig), storage=\(storage)) as flow:
                PrefectSecret("DB_PASSWORD")

            """
        }
        let dockerfile = "FROM prefecthq/prefect:1.4.1-python3.9\nARG DB_PASSWORD\nENV PREFECT__CONTEXT__SECRETS__DB_PASSWORD=$DB_PASSWORD\n"
        let agents = ["deploy/agent.sh": "prefect agent kubernetes start --label k8s\nprefect agent docker start --label docker\n"]
        let module = #"Module("flows.etl")"#
        let mayProvide = "if built from the Dockerfile with ENV at images/flow/Dockerfile:3, sets it"
        // (files, the severities of the PS201 findings, the image as the message names it)
        let cases: [(files: [String: String], severities: [String], image: String?)] = [
            (["flows/etl.py": flow(#"KubernetesRun(image=os.environ["FLOW_IMAGE"], labels=["k8s"])"#, module), "images/flow/Dockerfile": dockerfile],
             ["warning"], "the run's image (named by code in flows/etl.py)"),
            (["flows/etl.py": flow(#"KubernetesRun(image="registry.example.com/etl:3", labels=["k8s"])"#, module), "images/flow/Dockerfile": dockerfile],
             ["warning"], "the run's image registry.example.com/etl:3"),
            (["flows/etl.py": flow(#"DockerRun(labels=["docker"])"#, #"Docker(registry_url="r", base_image=os.environ["BASE"])"#), "images/flow/Dockerfile": dockerfile],
             ["warning"], "the run's image (Docker storage's base image is named by code in flows/etl.py)"),
            (["flows/etl.py": flow(#"KubernetesRun(image="prefecthq/prefect:1.4.1-python3.9", labels=["k8s"])"#, module), "images/flow/Dockerfile": dockerfile], ["error"], nil),
            (["flows/etl.py": flow(#"KubernetesRun(labels=["k8s"])"#, module), "images/flow/Dockerfile": dockerfile], ["error"], nil),
            (["flows/etl.py": flow(#"KubernetesRun(image=os.environ["FLOW_IMAGE"], labels=["k8s"])"#, module),
              "images/flow/Dockerfile": dockerfile.replacingOccurrences(of: "SECRETS__DB_PASSWORD=", with: "SECRETS__API_TOKEN=")], ["error"], nil),
            // The image of an agent (a second one, which runs the flow too): PS207's, not a flow image.
            (["flows/etl.py": flow(#"KubernetesRun(image=os.environ["FLOW_IMAGE"], labels=["k8s"])"#, module),
              "images/flow/Dockerfile": dockerfile + "CMD prefect agent kubernetes start --label k8s\n"], ["error", "error"], nil),
            // Docker storage built from the project's Dockerfile: its ENV is in the image.
            (["flows/etl.py": flow(#"DockerRun(labels=["docker"])"#, #"Docker(registry_url="r", dockerfile="images/flow/Dockerfile")"#), "images/flow/Dockerfile": dockerfile], [], nil),
        ]
        for (files, severities, image) in cases {
            let found = try await Self.findings(files.merging(agents) { $1 }, ["--backend", "server", "--select", "PS201"])
            #expect(found.compactMap { $0["severity"] as? String } == severities, "\(files): \(found)")
            let message = found.first?["message"] as? String ?? ""
            #expect(message.contains(mayProvide) == (image != nil), "\(message)")
            if let image { #expect(message.contains("unless \(image), \(mayProvide)"), "\(message)") }
        }
        // A storage token read from the plain environment: the image's variable of that name.
        let github = """
            import os
            from prefect import Flow
            from prefect.run_configs import KubernetesRun
            from prefect.storage import GitHub

            with Flow("etl", run_config=KubernetesRun(image=os.environ["FLOW_IMAGE"], labels=["k8s"]), storage=GitHub(repo="org/flows", path="flows/etl.py")) as flow:
                pass

            """
        let found = try await Self.findings(
            ["flows/etl.py": github, "Dockerfile": "FROM prefecthq/prefect:1.4.1\nARG TOKEN\nENV GITHUB_ACCESS_TOKEN=$TOKEN\n"], ["--backend", "server", "--select", "PS206"])
        #expect(
            (found.first?["message"] as? String)?.contains(
                "nothing in the project provides it, unless the run's image (named by code in flows/etl.py), if built from the Dockerfile with ENV at Dockerfile:3, sets it") == true,
            "\(found)")
    }

    /// A variable a flow reads with EnvVarSecret is a secret whatever its name: a literal for it
    /// in any file of the project is PS104; a reference, a placeholder, a plain setting
    /// (`production`, a URL without credentials) or a variable no flow reads that way is not.
    @Test func literalOfAnEnvVarSecretVariableIsPlaintextSecretEnv() async throws {
        let flow = """
            from prefect import Flow, task
            from prefect.tasks.secrets import EnvVarSecret

            @task
            def load(dsn):
                return dsn

            with Flow("load") as flow:
                load(EnvVarSecret("WAREHOUSE_DSN"))

            """
        let literal = "WAREHOUSE_DSN=wh_loader:Kq83jdLm29xZ@warehouse.internal:5439/analytics\n"
        let found = try await Self.findings(["flows/load.py": flow, ".env": literal], ["--select", "PS104"])
        #expect(found.map { "\($0["path"] ?? "") \($0["rule"] ?? "")" } == [".env PS104"])
        #expect((found.first?["message"] as? String)?.contains("which flow 'load' (flows/load.py:8) reads with EnvVarSecret") == true)
        #expect(found.first?["value"] == nil, "the value leaked: \(found)")
        for env in [
            "WAREHOUSE_DSN=${DSN_FROM_VAULT}\n", "WAREHOUSE_DSN=changeme\n", "WAREHOUSE_DSN=\n", "WAREHOUSE_DSN=production\n",
            "WAREHOUSE_DSN=https://status.example/health\n", "OTHER_DSN=wh_loader:Kq83jdLm29xZ@warehouse.internal:5439/analytics\n",
        ] {
            let quiet = try await Self.findings(["flows/load.py": flow, ".env": env], ["--select", "PS104"])
            #expect(quiet.isEmpty, "\(env): \(quiet)")
        }
        // A default written out, or a secret part beside a reference, is written down too.
        for env in ["WAREHOUSE_DSN=${DSN:-wh_loader:Kq83jdLm29xZ@warehouse.internal}\n", "WAREHOUSE_DSN=wh_loader:Kq83jdLm29xZ@${WAREHOUSE_HOST}\n"] {
            let written = try await Self.findings(["flows/load.py": flow, ".env": env], ["--select", "PS104"])
            #expect(written.count == 1, "\(env): \(written)")
        }
        // A PREFECT__CONTEXT__SECRETS__ name read with EnvVarSecret is the file rule's, once.
        let context = try await Self.findings(
            ["flows/load.py": flow.replacingOccurrences(of: "WAREHOUSE_DSN", with: "PREFECT__CONTEXT__SECRETS__DSN"), ".env": "PREFECT__CONTEXT__SECRETS__DSN=Kq83jdLm29xZq\n"],
            ["--select", "PS104"])
        #expect(context.count == 1, "\(context)")
    }

    /// In a module with several flows, the secrets a task reads (a `@task` function, a `Task`
    /// subclass, a secret task bound to a module variable) are needed by the flows that use
    /// the task: in their `with` block, or given to their `set_dependencies` (helper round 38).
    @Test func taskSecretsBelongToTheFlowsThatUseTheTask() async throws {
        let tasks = Self.flowHeader + """
            from prefect import Task

            @task
            def use_secret():
                return Secret("TASK_SECRET").get()

            class Fetch(Task):
                def run(self):
                    return Secret("CLASS_SECRET").get()

            @task
            def load(pw):
                print(len(pw))

            api = PrefectSecret("API_KEY")

            """
        let agent = "export PREFECT__BACKEND=server\nprefect agent docker start --label prod\n"
        func needed(_ flows: String) async throws -> [String] {
            let found = try await Self.findings(["flows.py": tasks + flows, "agent.sh": agent], ["--select", "PS201"])
            return found.compactMap { finding in
                (finding["message"] as? String).flatMap { message in
                    ["a", "b", "c"].first { message.hasPrefix("flow '\($0)'") }.map { "\($0):\(finding["secret"] as? String ?? "?")" }
                }
            }.sorted()
        }
        let run = "run_config=DockerRun(labels=['prod']), storage=Module('flows')"
        let used = try await needed(
            """
            with Flow("a", \(run)) as a:
                use_secret()
                Fetch()()
            b = Flow("b", \(run))
            b.set_dependencies(task=load, keyword_tasks={"pw": api})
            with Flow("c", \(run)) as c:
                use_secret()

            """)
        #expect(used == ["a:CLASS_SECRET", "a:TASK_SECRET", "b:API_KEY", "c:TASK_SECRET"], "\(used)")
        // A state handler bound to a variable, or on a task's decorator, reads when it fires.
        let handlers = try await needed(
            """
            from prefect.utilities.notifications import slack_notifier
            handler = slack_notifier(webhook_secret="OPS_SLACK")
            @task(state_handlers=[slack_notifier(webhook_secret="TASK_SLACK")])
            def t():
                pass
            with Flow("a", \(run), state_handlers=[handler]) as a:
                t()
            with Flow("c", \(run)) as c:
                pass

            """)
        #expect(handlers == ["a:OPS_SLACK", "a:TASK_SLACK"], "\(handlers)")
        // A task no flow of the module uses stays with no flow.
        let unused = try await needed("with Flow('a', \(run)) as a:\n    load(1)\nwith Flow('c', \(run)) as c:\n    load(2)\n")
        #expect(unused == [], "\(unused)")
    }

    /// A task, helper or secret task of a shared package is the flow's that imports it by any
    /// of the usual forms: re-exported by the package's `__init__.py`, used on the imported
    /// module (`ct.load`, `tasks.load`, `common.tasks.load`), or made at the module's top level;
    /// a helper a task calls by name or on its module (`db.get_dsn()`) reads for that flow too.
    @Test func sharedPackageTasksReachTheFlowsThatImportThem() async throws {
        func flow(_ name: String, _ imports: String, _ body: String) -> String {
            "from prefect import Flow, task\nfrom prefect.run_configs import LocalRun\n\(imports)\n@task\ndef notify(x):\n    pass\n"
                + "with Flow('\(name)', run_config=LocalRun(labels=['sales'])) as flow:\n    \(body)\n"
        }
        let shared = [
            "common/__init__.py": "from .tasks import load\n",
            "common/tasks.py": "from prefect import task\nfrom prefect.client import Secret\n@task\ndef load(rows):\n    return Secret('DSN').get()\n",
            "common/secrets.py": "from prefect.tasks.secrets import PrefectSecret\nwebhook = PrefectSecret('HOOK')\n",
            // A task that calls a helper of a third module: the helper's secret is the flow's.
            "common/db.py": "from prefect.client import Secret\ndef get_dsn():\n    return Secret('HELPER_DSN').get()\n",
            "common/loading.py": "from prefect import task\nfrom .db import get_dsn\n@task\ndef load_rows(rows):\n    print(get_dsn(), rows)\n",
            // Tasks that call the helper on its module: `db.get_dsn()`, `cdb.get_dsn()`, `common.db.get_dsn()`.
            "common/by_module.py": "from prefect import task\nfrom common import db\n@task\ndef extract():\n    return db.get_dsn()\n",
            "common/by_alias.py": "from prefect import task\nimport common.db as cdb\n@task\ndef extract():\n    return cdb.get_dsn()\n",
            "common/by_path.py": "from prefect import task\nimport common.db\n@task\ndef extract():\n    return common.db.get_dsn()\n",
            "agent.sh": "export PREFECT__BACKEND=server\nprefect agent local start -l sales\n",
        ]
        let flows = [
            "flows/a.py": flow("a", "from common import load", "load([1])"),
            "flows/b.py": flow("b", "import common.tasks as ct", "ct.load([1])"),
            "flows/c.py": flow("c", "import common.tasks", "common.tasks.load([1])"),
            "flows/d.py": flow("d", "from common import tasks\nfrom common.secrets import webhook", "tasks.load([1])\n    notify(webhook)"),
            "flows/e.py": flow("e", "import common.tasks as ct\nfrom common import secrets", "notify(1)"),
            "flows/f.py": flow("f", "from common.loading import load_rows", "load_rows([1])"),
            "flows/g.py": flow("g", "from common.by_module import extract", "extract()"),
            "flows/h.py": flow("h", "from common.by_alias import extract", "extract()"),
            "flows/i.py": flow("i", "from common.by_path import extract", "extract()"),
        ]
        let found = try await Self.findings(shared.merging(flows) { $1 }, ["--select", "PS201"])
        let needs = found.compactMap { finding -> String? in
            guard let message = finding["message"] as? String, let secret = finding["secret"] as? String else { return nil }
            return message.split(separator: "'").dropFirst().first.map { "\($0):\(secret)" }
        }.sorted()
        #expect(needs == ["a:DSN", "b:DSN", "c:DSN", "d:DSN", "d:HOOK", "f:HELPER_DSN", "g:HELPER_DSN", "h:HELPER_DSN", "i:HELPER_DSN"], "\(found)")
    }

    /// A secret name given as a string constant of another project module (imported by name,
    /// through the module, relatively, under an alias, by a task library the flow imports, or
    /// from a package that re-exports it) is that constant's text; a constant the module sets under a condition, or by a call, or
    /// a module outside the project, leaves the name unread.
    @Test func secretNamesImportedFromProjectModules() async throws {
        func flow(_ imports: String, _ read: String) -> String {
            "from prefect import Flow, task\nfrom prefect.client import Secret\nfrom prefect.run_configs import LocalRun\n"
                + "from prefect.tasks.secrets import PrefectSecret\n\(imports)\n@task\ndef notify(x):\n    pass\n"
                + "with Flow('etl', run_config=LocalRun(labels=['sales'])) as flow:\n    notify(\(read))\n"
        }
        let project = [
            "flows/__init__.py": "",
            "flows/settings.py": "STAGE = 'PROD'\nDB_SECRET = 'DB_PASSWORD'\nDSN_SECRET = f'{STAGE}_DSN'\n"
                + "if STAGE == 'PROD':\n    MAYBE = 'A_PASSWORD'\nelse:\n    MAYBE = 'B_PASSWORD'\nCOMPUTED = get_name()\n",
            // A package that re-exports its modules' names, by name and with `*`.
            "common/__init__.py": "from .names import API_SECRET\nfrom .more_names import *\n",
            "common/names.py": "API_SECRET = 'API_TOKEN'\n",
            "common/more_names.py": "from .deeper import *\n_PRIVATE = 'HIDDEN'\n",
            "common/deeper.py": "HOOK_SECRET = 'SLACK_HOOK'\n_PRIVATE = 'HIDDEN'\n",
            "common/tasks.py": "from prefect import task\nfrom prefect.client import Secret\nfrom flows.settings import DSN_SECRET\n"
                + "@task\ndef load(rows):\n    return Secret(DSN_SECRET).get()\n",
            "agent.sh": "export PREFECT__BACKEND=server\nprefect agent local start -l sales\n",
        ]
        let cases: [(imports: String, read: String, secret: String?)] = [
            ("from flows.settings import DB_SECRET", "PrefectSecret(DB_SECRET)", "DB_PASSWORD"),
            ("import flows.settings as cfg", "Secret(cfg.DB_SECRET).get()", "DB_PASSWORD"),
            ("import flows.settings", "PrefectSecret(flows.settings.DB_SECRET)", "DB_PASSWORD"),
            ("from . import settings", "PrefectSecret(settings.DB_SECRET)", "DB_PASSWORD"),
            ("from .settings import DB_SECRET as NAME", "PrefectSecret(NAME)", "DB_PASSWORD"),
            ("from .settings import DSN_SECRET", "PrefectSecret(DSN_SECRET)", "PROD_DSN"),
            ("from common.tasks import load", "load([1])", "PROD_DSN"),
            ("from common import API_SECRET", "PrefectSecret(API_SECRET)", "API_TOKEN"),
            ("import common", "PrefectSecret(common.HOOK_SECRET)", "SLACK_HOOK"),
            ("from common import _PRIVATE", "PrefectSecret(_PRIVATE)", nil),
            ("from .settings import MAYBE", "PrefectSecret(MAYBE)", nil),
            ("from .settings import COMPUTED", "PrefectSecret(COMPUTED)", nil),
            ("from .settings import MISSING", "PrefectSecret(MISSING)", nil),
            ("from os import sep", "PrefectSecret(sep)", nil),
            ("import flows.settings as cfg", "PrefectSecret(cfg)", nil),
        ]
        for (imports, read, secret) in cases {
            let found = try await Self.findings(project.merging(["flows/etl.py": flow(imports, read)]) { $1 }, ["--select", "PS201"])
            let secrets = found.compactMap { $0["secret"] as? String }
            #expect(secrets == (secret.map { [$0] } ?? []), "\(imports) / \(read): \(found)")
            // At the flow's read (a task library's, at the flow's use of the task).
            #expect(found.allSatisfy { $0["path"] as? String == "flows/etl.py" }, "\(found)")
        }
        // A credential where the name belongs is hidden in every output, also where the
        // patterns do not run (`inventory`, `--select PS201`).
        let webhook = "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx"
        let leaking = project.merging([
            "flows/etl.py": flow("from .settings import HOOK, SNOWFLAKE_SECRET", "PrefectSecret(HOOK), PrefectSecret(SNOWFLAKE_SECRET)"),
            // A module with no facts of its own (the patterns of `check` alone read it).
            "flows/settings.py": "HOOK = '\(webhook)'\nSNOWFLAKE_SECRET = 'Xk29fQm7Lp3Zr8TwQ9vBa7'\n",
        ]) { $1 }
        let root = try makeTree(leaking.mapValues(text))
        defer { try? FileManager.default.removeItem(atPath: root) }
        for arguments in [["check", "--format", "json", "--select", "PS201"], ["check"], ["inventory"], ["inventory", "--format", "json"]] {
            let output = await runCLI(arguments + [root]).stdout
            #expect(output.contains("…(77 chars)") && output.contains("…(22 chars)"), "\(arguments): \(output)")
            #expect(!output.contains("abcdefghijklmnopqrstuvwx") && !output.contains("Xk29fQm7"), "leaked: \(arguments): \(output)")
        }
    }

    /// A helper of another project module that reads the secret its parameter names
    /// (`def get_secret(name): return Secret(name).get()`) reads, for the flow of a module
    /// that imports it, what that module's calls give it: positionally, by keyword, through a
    /// module constant, or the default; a call the tool cannot read keeps the unnamed read too.
    @Test func importedHelpersReadTheNamesTheirCallsGive() async throws {
        let library = [
            "lib/__init__.py": "",
            "lib/secrets.py": "from prefect import task\nfrom prefect.client import Secret\n@task\ndef get_secret(name, quiet=False):\n    return Secret(name).get()\n"
                + "def read_key(key='DEFAULT_KEY'):\n    return Secret(key).get()\n",
            "agent.sh": "export PREFECT__BACKEND=server\nprefect agent local start -l a\n",
        ]
        func flow(_ body: String) -> String {
            "from prefect import Flow, task\nfrom prefect.run_configs import LocalRun\nfrom lib.secrets import get_secret, read_key as rk\nKEY = 'CONST_KEY'\n"
                + "@task\ndef load():\n    return rk(), rk(KEY)\nwith Flow('etl', run_config=LocalRun(labels=['a'])) as flow:\n    \(body)\n"
        }
        func needs(_ body: String) async throws -> [String] {
            try await Self.findings(library.merging(["flows/etl.py": flow(body)]) { $1 }, ["--select", "PS201"])
                .compactMap { $0["secret"] as? String }.sorted()
        }
        #expect(try await needs("get_secret('DB_DSN')\n    get_secret(name='API_TOKEN', quiet=True)\n    load()")
            == ["API_TOKEN", "CONST_KEY", "DB_DSN", "DEFAULT_KEY"])
        // Placed at the call that names it (with an argument or the parameter's default), and said so.
        let called = try await Self.findings(library.merging(["flows/etl.py": flow("get_secret('DB_DSN')")]) { $1 }, ["--select", "PS201"])
        let messages = Dictionary(called.compactMap { f in (f["secret"] as? String).map { ($0, f["message"] as? String ?? "") } }) { first, _ in first }
        #expect(messages["DB_DSN"]?.contains("needs secret DB_DSN (read in lib/secrets.py:5, called here)") == true, "\(called)")
        #expect(messages["DEFAULT_KEY"]?.contains("needs secret DEFAULT_KEY (read in lib/secrets.py:7, called here)") == true, "\(called)")
        // Through the module: `s.get_secret(…)`, `secrets.get_secret.run(…)`.
        let throughModule = flow("pass").replacingOccurrences(of: "from lib.secrets import get_secret, read_key as rk", with: "import lib.secrets as s\nfrom lib import secrets")
            .replacingOccurrences(of: "rk()", with: "s.read_key()").replacingOccurrences(of: "rk(KEY)", with: "secrets.read_key(KEY)")
            .replacingOccurrences(of: "    pass\n", with: "    s.get_secret('DB_DSN')\n    secrets.get_secret.run(name='API_TOKEN')\n")
        let viaModule = try await Self.findings(library.merging(["flows/etl.py": throughModule]) { $1 }, ["--select", "PS201"])
        #expect(viaModule.compactMap { $0["secret"] as? String }.sorted() == ["API_TOKEN", "CONST_KEY", "DB_DSN", "DEFAULT_KEY"], "\(throughModule)\n\(viaModule)")
        // `get_secret` not used: nothing of it. (The module's task still calls `rk`: a module
        // with one flow has its imports' needs.)
        #expect(try await needs("pass") == ["CONST_KEY", "DEFAULT_KEY"])
        // A call whose name the tool cannot read: the others still name theirs.
        let root = try makeTree(library.merging(["flows/etl.py": flow("get_secret(pick())\n    get_secret('DB_DSN')")]) { $1 }.mapValues(text))
        defer { try? FileManager.default.removeItem(atPath: root) }
        let inventory = await runCLI(["inventory", root]).stdout
        #expect(inventory.contains("DB_DSN\n    needed by   flow 'etl' flows/etl.py:10"), "\(inventory)")
        #expect(inventory.contains("names the tool cannot read"), "\(inventory)")
        // A task of the library calling its module's helper with the default: the flow that
        // imports the task needs that name, and no unread one (the task's own arguments name
        // nothing of the helper's).
        let staging = library.filter { $0.key != "lib/secrets.py" }.merging([
            "lib/tasks.py": "from prefect import task\nfrom prefect.client import Secret\ndef dsn(password_secret='LOADER_PASSWORD'):\n"
                + "    return Secret(password_secret).get()\n@task\ndef load_staging(rows):\n    return dsn()\n",
            "flows/etl.py": "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom lib.tasks import load_staging\n"
                + "with Flow('etl', run_config=LocalRun(labels=['a'])) as flow:\n    load_staging(rows)\n",
        ]) { $1 }
        let stagingRoot = try makeTree(staging.mapValues(text))
        defer { try? FileManager.default.removeItem(atPath: stagingRoot) }
        let stagingInventory = await runCLI(["inventory", stagingRoot]).stdout
        #expect(stagingInventory.contains("LOADER_PASSWORD\n    needed by   flow 'etl' flows/etl.py:3 (secretGet in lib/tasks.py:7)"), "\(stagingInventory)")
        #expect(!stagingInventory.contains("names the tool cannot read"), "\(stagingInventory)")
        // A task of another module that calls the imported helper: that module's call names the
        // helper's parameter; the flow's own call of the task names nothing of it.
        let nested = library.merging([
            "lib/loading.py": "from prefect import task\nfrom lib.secrets import get_secret\n@task\ndef load(table):\n    return get_secret('TABLE_SECRET')\n",
            "flows/etl.py": "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom lib.loading import load\n"
                + "with Flow('etl', run_config=LocalRun(labels=['a'])) as flow:\n    load('ORDERS')\n",
        ]) { $1 }
        let nestedFound = try await Self.findings(nested, ["--select", "PS201"])
        #expect(nestedFound.compactMap { $0["secret"] as? String } == ["TABLE_SECRET"], "\(nestedFound)")
        #expect((nestedFound.first?["message"] as? String)?.contains("(read in lib/loading.py:5, imported here)") == true, "\(nestedFound)")
    }

    /// A Docker agent's `--volume` that mounts a project config.toml as its flow runs' user
    /// config (the file, or a folder as `~/.prefect`) gives the runs its secrets: no PS201 or
    /// PS202, and the inventory names the file; a mount elsewhere gives nothing.
    @Test func dockerAgentVolumeMountsTheRunsUserConfig() async throws {
        let flow = Self.flowHeader + "with Flow('f', run_config=DockerRun(labels=['d']), storage=Module('f')) as flow:\n    PrefectSecret('WAREHOUSE_PW')\n"
        func files(_ volume: String) -> [String: String] {
            ["flows/f.py": flow, "prefect/config.toml": "[context.secrets]\nWAREHOUSE_PW = \"$WAREHOUSE_PW\"\n",
             "agent.sh": "export PREFECT__BACKEND=server\nprefect agent docker start -l d --volume \"\(volume)\" --env WAREHOUSE_PW=\"$WAREHOUSE_PW\"\n"]
        }
        for volume in ["$(pwd)/prefect/config.toml:/root/.prefect/config.toml", "$PWD/prefect:/root/.prefect:ro"] {
            #expect(Self.codes(try await Self.findings(files(volume))).isEmpty, "\(volume)")
            #expect(try await Self.inventory(files(volume)).contains("✓ flow 'f' on docker agent agent.sh:2: local context from prefect/config.toml:2"), "\(volume)")
        }
        #expect(Self.codes(try await Self.findings(files("$(pwd)/prefect/config.toml:/etc/prefect.toml"))) == ["PS201", "PS202"])
    }

    /// A Kubernetes agent's PREFECT__CLOUD__AGENT__ENV_VARS goes through its own config
    /// loading, which expands `$NAME` from the agent container's env (checked with Prefect
    /// 1.4.1): a container that lacks NAME passes `$NAME` on, and the run has no NAME either.
    @Test func agentEnvVarsReferenceExpandedByTheAgent() async throws {
        func files(_ extraEnv: String) -> [String: String] {
            let flow = Self.flowHeader + "from prefect.run_configs import KubernetesRun\n"
                + "with Flow('etl', storage=Module('etl'), run_config=KubernetesRun(labels=['k8s'])) as flow:\n    PrefectSecret('DB_PASSWORD')\n"
            let manifest = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: agent\n"
                + "        command: [\"/bin/bash\", \"-c\"]\n        args: [\"prefect agent kubernetes start\"]\n        env:\n        - name: PREFECT__BACKEND\n          value: server\n"
                + "        - name: PREFECT__CLOUD__AGENT__LABELS\n          value: \"['k8s']\"\n"
                + "        - name: PREFECT__CLOUD__AGENT__ENV_VARS\n          value: '{\"PREFECT__CONTEXT__SECRETS__DB_PASSWORD\": \"$DB_PASSWORD\"}'\n" + extraEnv
            return ["flows/etl.py": flow, "k8s/agent.yaml": manifest]
        }
        let lacking = try await Self.findings(files(""), ["--select", "PS201"])
        #expect(Self.codes(lacking) == ["PS201"], "\(lacking)")
        #expect((lacking.first?["message"] as? String)?.contains("expands PREFECT__CLOUD__AGENT__ENV_VARS only from its own environment") == true, "\(lacking)")
        let provided = "        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef: {name: db, key: password}\n"
        #expect(Self.codes(try await Self.findings(files(provided), ["--select", "PS201"])).isEmpty)
    }

    /// ECSRun keeps a string `task_definition` as it is (only KubernetesRun loads YAML text),
    /// and the ECS agent fails every run on it (checked with Prefect 1.4.1: TypeError).
    @Test func ecsRunTaskDefinitionText() async throws {
        func files(_ definition: String) -> [String: String] {
            let flow = "import yaml\n" + Self.flowHeader + "from prefect.run_configs import ECSRun\nTD = 'containerDefinitions: [{name: flow}]'\n"
                + "with Flow('sync', storage=Module('sync'), run_config=ECSRun(labels=['ecs'], task_definition=\(definition))) as flow:\n    pass\n"
            return ["flows/sync.py": flow, "agent.sh": "prefect backend server\nprefect agent ecs start --label ecs\n"]
        }
        let text = try await Self.findings(files("TD"))
        #expect(Self.codes(text) == ["PS203"], "\(text)")
        #expect((text.first?["message"] as? String)?.contains("ECSRun keeps it as written") == true, "\(text)")
        #expect(Self.codes(try await Self.findings(files("yaml.safe_load(TD)"))).isEmpty)
        // Loaded by the module, the text is a dict, read as a task definition.
        var loaded = files("yaml.safe_load(TD)")
        loaded["flows/sync.py"] = loaded["flows/sync.py"]?.replacingOccurrences(of: "{name: flow}", with: "{name: flow, environment: [{name: PREFECT__CONTEXT__SECRETS__DB, value: \"$DB\"}]}")
            .replacingOccurrences(of: "    pass\n", with: "    PrefectSecret('DB')\n")
        let read = try await Self.inventory(loaded)
        #expect(read.contains("provided by flows/sync.py"), "\(read)")
    }

    /// A Databricks task given a secret's name where it takes the connection dict fails every
    /// run whatever provides the secret (checked with Prefect 1.4.1): PS201 says so, and the
    /// secret is the flow's; given the secret task, it runs.
    @Test func databricksConnectionGivenByName() async throws {
        func files(_ argument: String) -> [String: String] {
            let flow = "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom prefect.storage import Module\n"
                + "from prefect.tasks.databricks import DatabricksRunNow\nfrom prefect.tasks.secrets import PrefectSecret\n"
                + "run_job = DatabricksRunNow(job_id='42')\nwith Flow('dbx', run_config=LocalRun(labels=['etl']), storage=Module('flows.dbx')) as flow:\n"
                + "    run_job(databricks_conn_secret=\(argument))\n"
            return ["flows/dbx.py": flow,
                    "agent.sh": "export PREFECT__BACKEND=server\nexport PREFECT__CONTEXT__SECRETS__DBX=\"$DBX_JSON\"\nprefect agent local start --label etl --no-hostname-label\n"]
        }
        let byName = try await Self.findings(files("'DBX'"))
        #expect(Self.codes(byName) == ["PS201"], "\(byName)")
        #expect((byName.first?["message"] as? String)?.contains("pass PrefectSecret(\"DBX\") instead") == true, "\(byName)")
        #expect(Self.codes(try await Self.findings(files("PrefectSecret('DBX')"))).isEmpty)
    }

    /// Docker storage bakes `files` into the flow's image and points PREFECT__USER_CONFIG_PATH
    /// at `/opt/prefect/config.toml` (storage/docker.py; checked with Prefect 1.4.1): a project
    /// config copied there gives every run its secrets, and a Docker agent's mount at
    /// `~/.prefect/config.toml` is not what those runs read, unless their env names it.
    @Test func dockerStorageBakesTheRunsUserConfig() async throws {
        func files(_ storage: String, agentFlags: String = "") -> [String: String] {
            let flow = "import os\n" + Self.flowHeader + "from prefect.run_configs import KubernetesRun\nfrom prefect.storage import Docker\n"
                + "with Flow('f', run_config=DockerRun(labels=['d']), storage=\(storage)) as flow:\n    PrefectSecret('SLACK_CHANNEL')\n"
            return ["flows/f.py": flow, "prefect-config.toml": "[context.secrets]\nSLACK_CHANNEL = \"$SLACK_CHANNEL\"\n",
                    "agent.sh": "export PREFECT__BACKEND=server\nprefect agent docker start -l d --env SLACK_CHANNEL=\"$SLACK_CHANNEL\" \(agentFlags)\n"]
        }
        let baked = "Docker(image_name='f', files={os.path.abspath('prefect-config.toml'): '/opt/prefect/config.toml'})"
        #expect(Self.codes(try await Self.findings(files(baked))).isEmpty)
        #expect(try await Self.inventory(files(baked)).contains("✓ flow 'f' on docker agent agent.sh:2: local context from prefect-config.toml:2"))
        let elsewhere = "Docker(image_name='f', files={os.path.abspath('prefect-config.toml'): '/opt/other.toml'})"
        #expect(Self.codes(try await Self.findings(files(elsewhere))) == ["PS201", "PS202"])
        let directory = "Docker(image_name='f', prefect_directory='/app', files={os.path.join(os.path.dirname(__file__), '../prefect-config.toml'): '/app/config.toml'})"
        #expect(Self.codes(try await Self.findings(files(directory))).isEmpty)
        let mount = "--volume \"$(pwd)/prefect-config.toml:/root/.prefect/config.toml\""
        #expect(Self.codes(try await Self.findings(files("Docker(image_name='f')", agentFlags: mount))) == ["PS201", "PS202"])
        #expect(Self.codes(try await Self.findings(files("Module('f')", agentFlags: mount))).isEmpty)
        // Helper round I: a copy into the image's folder; a join of several parts; the run's
        // env naming the image's path; a mount at the image's path; a relative key, which
        // Docker storage refuses.
        let intoFolder = "Docker(image_name='f', files={os.path.abspath('prefect-config.toml'): '/opt/prefect/'})"
        #expect(Self.codes(try await Self.findings(files(intoFolder))) == ["PS201", "PS202"], "copied as /opt/prefect/prefect-config.toml")
        for destination in ["/opt/prefect/config.toml", "/opt/prefect/", "/opt/prefect"] {
            var nested = files("Docker(image_name='f', files={os.path.join(os.path.dirname(__file__), '..', 'deploy', 'config.toml'): '\(destination)'})")
            nested["deploy/config.toml"] = nested.removeValue(forKey: "prefect-config.toml")
            #expect(Self.codes(try await Self.findings(nested)).isEmpty, "\(destination)")
        }
        #expect(Self.codes(try await Self.findings(files(baked, agentFlags: "--env PREFECT__USER_CONFIG_PATH=/opt/prefect/config.toml"))).isEmpty)
        let imageMount = "--volume \"$(pwd)/prefect-config.toml:/opt/prefect/config.toml\""
        #expect(Self.codes(try await Self.findings(files("Docker(image_name='f')", agentFlags: imageMount))).isEmpty)
        #expect(Self.codes(try await Self.findings(files("Docker(image_name='f', files={'prefect-config.toml': '/opt/prefect/config.toml'})"))) == ["PS201", "PS202"])
        // `${SLACK_CHANNEL}` in the baked config, and nothing in the container sets it: empty.
        var unset = files(baked)
        unset["prefect-config.toml"] = "[context.secrets]\nSLACK_CHANNEL = \"${SLACK_CHANNEL}\"\n"
        unset["agent.sh"] = "export PREFECT__BACKEND=server\nprefect agent docker start -l d\n"
        let empty = try await Self.findings(unset)
        #expect(Self.codes(empty) == ["PS201"], "\(empty)")
        #expect((empty.first?["message"] as? String)?.contains("the run gets an empty value") == true, "\(empty)")
    }

    /// A script that uploads a config's secrets in a loop (`set_secret(name=n, value=v)`) may
    /// have put any of them in Cloud: no PS202 for agents with a Cloud backend; Server has no
    /// secret store, so a server agent still misses them.
    @Test func uploadLoopMayPutAnySecretInCloud() async throws {
        let upload = "import toml\nfrom prefect import Client\nclient = Client()\nsecrets = toml.load('config.toml')['context']['secrets']\n"
            + "for n, v in secrets.items():\n    client.set_secret(name=n, value=v)\n"
        let flow = "from prefect import Flow, task\nfrom prefect.run_configs import DockerRun\nfrom prefect.storage import Module\nfrom prefect.tasks.secrets import PrefectSecret\n"
            + "with Flow('etl', run_config=DockerRun(labels=['d']), storage=Module('etl')) as flow:\n    PrefectSecret('DB_PASSWORD')\n"
        let files = ["etl.py": flow, "config.toml": "[context.secrets]\nDB_PASSWORD = \"$DB_PASSWORD\"\n", "agent.sh": "prefect agent docker start --label d\n"]
        #expect(Self.codes(try await Self.findings(files, ["--select", "PS202"])) == ["PS202"])
        #expect(Self.codes(try await Self.findings(files.merging(["import_secrets.py": upload]) { $1 }, ["--select", "PS202"])).isEmpty)
        let server = files.merging(["import_secrets.py": upload, "agent.sh": "prefect backend server\nprefect agent docker start --label d\n"]) { $1 }
        #expect(Self.codes(try await Self.findings(server, ["--select", "PS202"])) == ["PS202"])
    }

    /// A `@resource_manager` class of another project module runs its `setup` and `cleanup` as
    /// tasks of the flow that uses it: their reads are that flow's (PS201); another method's
    /// are not, nor are those of a class that is not a resource manager.
    @Test func importedResourceManagersReadForTheirFlows() async throws {
        func codes(_ decorator: String, method: String) async throws -> [String] {
            let manager = "from prefect import resource_manager\nfrom prefect.client import Secret\n\n\(decorator)\nclass DbConnection:\n"
                + "    def \(method)(self, *args):\n        return Secret('DB_PASSWORD').get()\n"
            let flow = "from prefect import Flow, task\nfrom prefect.run_configs import LocalRun\nfrom prefect.storage import Module\nfrom lib.db import DbConnection\n\n"
                + "@task\ndef query(conn):\n    pass\n\nwith Flow('etl', run_config=LocalRun(labels=['dev']), storage=Module('flow')) as flow:\n"
                + "    with DbConnection() as conn:\n        query(conn)\n"
            let found = try await Self.findings([
                "lib/__init__.py": "", "lib/db.py": manager, "flow.py": flow,
                "agent.sh": "export PREFECT__BACKEND=server\nprefect agent local start --label dev --no-hostname-label\n",
            ], ["--select", "PS201"])
            return Self.codes(found)
        }
        #expect(try await codes("@resource_manager", method: "setup") == ["PS201"])
        #expect(try await codes("@resource_manager", method: "cleanup") == ["PS201"])
        #expect(try await codes("@resource_manager", method: "describe") == [])
        #expect(try await codes("", method: "setup") == [])
    }

    /// A `Task` subclass of another project module whose `run(self, secret_name)` reads the
    /// secret its parameter names reads, for the flow of a module that imports it, what that
    /// module's runs of its instances give: `Fetch()("A")`, `Fetch().run("B")`, and on `fetch =
    /// Fetch(name="fetch")` `fetch("C")`, `fetch.bind(secret_name="D")`, `fetch.run()` (the
    /// default); the arguments that make an instance name nothing, and a mapped instance keeps
    /// the unnamed read.
    @Test func importedTaskClassesReadTheNamesTheirRunsGive() async throws {
        let library = [
            "lib/__init__.py": "",
            "lib/tasks.py": "from prefect import Task\nfrom prefect.client import Secret\nclass Fetch(Task):\n"
                + "    def run(self, secret_name='DEFAULT_SECRET'):\n        return Secret(secret_name).get()\n",
            "agent.sh": "export PREFECT__BACKEND=server\nprefect agent local start -l a\n",
        ]
        func inventory(_ body: String, alias: String? = nil) async throws -> String {
            let bound = alias ?? "Fetch"
            let flow = "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom lib.tasks import Fetch\(alias.map { " as " + $0 } ?? "")\n"
                + "fetch = \(bound)(name='fetch')\n"
                + "with Flow('etl', run_config=LocalRun(labels=['a'])) as flow:\n    \(body)\n"
            return try await Self.inventory(library.merging(["flows/etl.py": flow]) { $1 })
        }
        let named = try await inventory("Fetch()('A')\n    Fetch().run('B')\n    fetch('C')\n    fetch.bind(secret_name='D')\n    fetch.run()")
        for (secret, line) in [("A", 6), ("B", 7), ("C", 8), ("D", 9), ("DEFAULT_SECRET", 10)] {
            #expect(named.contains("\(secret)\n    needed by   flow 'etl' flows/etl.py:\(line) (secretGet in lib/tasks.py:5)"), "\(secret): \(named)")
        }
        #expect(!named.contains("fetch\n") && !named.contains("names the tool cannot read"), "\(named)")
        let mapped = try await inventory("fetch('C')\n    fetch.map(names)")
        #expect(mapped.contains("C\n    needed by") && mapped.contains("names the tool cannot read"), "\(mapped)")
        let aliased = try await inventory("fetch('C')", alias: "FetchTask")
        #expect(aliased.contains("C\n    needed by   flow 'etl' flows/etl.py:6"), "\(aliased)")
    }

    /// A task class used through its module (`lt.Fetch()`, `lib.tasks.Fetch()`) reads the names
    /// its runs give, as one imported by name does; a variable bound to anything else too names
    /// nothing.
    @Test func taskClassesUsedThroughTheirModuleReadTheNamesTheirRunsGive() async throws {
        let files = [
            "lib/__init__.py": "",
            "lib/tasks.py": "from prefect import Task\nfrom prefect.client import Secret\nclass Fetch(Task):\n"
                + "    def run(self, secret_name):\n        return Secret(secret_name).get()\n",
            "flows/etl.py": "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom lib import tasks as lt\nimport lib.tasks\n"
                + "fetch = lt.Fetch(name='fetch')\nother = lib.tasks.Fetch()\nother = make_task()\n"
                + "with Flow('etl', run_config=LocalRun(labels=['a'])) as flow:\n"
                + "    lt.Fetch()('A')\n    lib.tasks.Fetch().run('B')\n    fetch('C')\n    fetch.bind(secret_name='D')\n    other('E')\n",
            "agent.sh": "export PREFECT__BACKEND=server\nprefect agent local start -l a\n",
        ]
        let inventory = try await Self.inventory(files)
        for (secret, line) in [("A", 9), ("B", 10), ("C", 11), ("D", 12)] {
            #expect(inventory.contains("\(secret)\n    needed by   flow 'etl' flows/etl.py:\(line) (secretGet in lib/tasks.py:5)"), "\(secret): \(inventory)")
        }
        #expect(!inventory.contains("E\n    needed by"), "\(inventory)")
    }

    /// A task class of another module that keeps its `__init__`'s secret name in an attribute
    /// (`self.secret_name = secret_name`) reads, for the importing module's flow, what the
    /// calls making its instances give, and the default where they give none; the runs of
    /// its instances give `run`'s arguments, not the name.
    @Test func importedTaskClassesReadTheNamesTheirInitializersKeep() async throws {
        let files = [
            "lib/__init__.py": "",
            "lib/tasks.py": "from prefect import Task\nfrom prefect.client import Secret\nclass Query(Task):\n"
                + "    def __init__(self, secret_name='SNOWFLAKE_CREDS', **kwargs):\n        self.secret_name = secret_name\n        super().__init__(**kwargs)\n"
                + "    def run(self, query):\n        return Secret(self.secret_name).get()\n",
            "flows/etl.py": "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom lib.tasks import Query\n"
                + "prod = Query(secret_name='PROD_SNOWFLAKE')\n"
                + "with Flow('etl', run_config=LocalRun(labels=['a'])) as flow:\n    prod(query='RUN_ARGUMENT')\n    Query()('SECOND_RUN_ARGUMENT')\n",
            "agent.sh": "export PREFECT__BACKEND=server\nprefect agent local start -l a\n",
        ]
        let inventory = try await Self.inventory(files)
        for (secret, line) in [("PROD_SNOWFLAKE", 4), ("SNOWFLAKE_CREDS", 7)] {
            #expect(inventory.contains("\(secret)\n    needed by   flow 'etl' flows/etl.py:\(line) (secretGet in lib/tasks.py:8)"), "\(secret): \(inventory)")
        }
        #expect(!inventory.contains("RUN_ARGUMENT") && !inventory.contains("names the tool cannot read"), "\(inventory)")
    }

    /// In a module with several flows, what it imports from a project module is each flow's
    /// that uses it: in its `with` block, through a task of the module it runs, or at module
    /// level (every flow's, since loading the module runs it); and a helper's calls name
    /// secrets for the flow whose block holds them.
    @Test func importsOfAModuleWithSeveralFlowsAreTheFlowsThatUseThem() async throws {
        let files = [
            "lib/__init__.py": "",
            "lib/tasks.py": "from prefect import task\nfrom prefect.client import Secret\n@task\ndef load():\n    return Secret('DB_PASSWORD').get()\n"
                + "@task\ndef push():\n    return Secret('API_TOKEN').get()\n@task\ndef get_secret(name):\n    return Secret(name).get()\n"
                + "def connect():\n    return Secret('CONN_SECRET').get()\ndef unused():\n    return Secret('UNUSED_SECRET').get()\n",
            "flows/etl.py": "from prefect import Flow, task\nfrom prefect.run_configs import LocalRun\nfrom lib.tasks import load, push, get_secret, connect, unused\n"
                + "from lib import tasks as lt\nCONN = connect()\n@task\ndef publish():\n    return push()\n"
                + "with Flow('etl', run_config=LocalRun(labels=['a'])) as etl:\n    load()\n    get_secret('ETL_KEY')\n"
                + "with Flow('sync', run_config=LocalRun(labels=['a'])) as sync:\n    publish()\n    get_secret('SYNC_KEY')\n    lt.get_secret('VIA_MODULE')\n"
                + "def never_called():\n    return unused()\n",
            "agent.sh": "export PREFECT__BACKEND=server\nprefect agent local start -l a\n",
        ]
        let found = try await Self.findings(files, ["--select", "PS201"])
        let needs = found.compactMap { finding -> String? in
            guard let secret = finding["secret"] as? String, let message = finding["message"] as? String,
                let flow = message.split(separator: "'").dropFirst().first
            else { return nil }
            return "\(flow) \(secret)"
        }
        #expect(
            needs.sorted() == [
                "etl CONN_SECRET", "etl DB_PASSWORD", "etl ETL_KEY", "sync API_TOKEN", "sync CONN_SECRET", "sync SYNC_KEY", "sync VIA_MODULE",
            ], "\(found)")
    }

    /// A secret named by a flow parameter's default is checked under that name, and the
    /// messages and the inventory say it is the parameter's default: a run given another value
    /// reads another secret. A credential written as the default stays hidden.
    @Test func secretNamesFromFlowParameterDefaultsSayWhichParameter() async throws {
        let flow = "from prefect import Flow, Parameter\nfrom prefect.run_configs import LocalRun\nfrom prefect.tasks.secrets import PrefectSecret\n"
            + "with Flow('etl', run_config=LocalRun(labels=['a'])) as flow:\n    db = Parameter('db_secret', default='DB_PASSWORD')\n    PrefectSecret()(name=db)\n"
            + "    PrefectSecret()(name=Parameter('token', default='ghp_R8x2kLm9QwErTy7uIoPa5sDfGhJkLz3XcVbN'))\n"
        let files = ["flows/etl.py": flow, "agent.sh": "export PREFECT__BACKEND=server\nprefect agent local start -l a\n"]
        let found = try await Self.findings(files, ["--select", "PS201"])
        let messages = found.compactMap { $0["message"] as? String }
        #expect(messages.contains { $0.contains("needs secret DB_PASSWORD (the default of flow parameter 'db_secret')") }, "\(messages)")
        #expect(messages.contains { $0.contains("needs secret …(40 chars) (the default of flow parameter 'token')") }, "\(messages)")
        let root = try makeTree(files.mapValues(text))
        defer { try? FileManager.default.removeItem(atPath: root) }
        for arguments in [["inventory"], ["inventory", "--format", "json"], ["check"]] {
            let output = await runCLI(arguments + [root]).stdout
            #expect(!output.contains("R8x2kLm9"), "leaked: \(arguments): \(output)")
        }
        let inventory = await runCLI(["inventory", root]).stdout
        #expect(inventory.contains("needed by   flow 'etl' flows/etl.py:6 (prefectSecretTask, default of flow parameter 'db_secret')"), "\(inventory)")
    }

    /// `prefect register -p "projects/$proj/flows" -l "$proj"` in a loop registers the flows
    /// under each project's folder with labels the tool cannot read: no PS203 "labels none".
    @Test func registerLoopOverProjectFolders() async throws {
        var files: [String: String] = ["ci/agents.sh": "prefect agent local start -l sales --no-hostname-label\n"]
        for project in ["sales", "hr"] {
            files["projects/\(project)/flows/f.py"] =
                "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom prefect.storage import Local\n"
                + "with Flow('\(project)', run_config=LocalRun(), storage=Local(add_default_labels=False)) as flow:\n    pass\n"
        }
        let unregistered = try await Self.findings(files, ["--select", "PS203"])
        #expect(Self.codes(unregistered) == ["PS203", "PS203"], "\(unregistered)")
        files["ci/register.sh"] = "for proj in sales hr; do\n  prefect register --project \"$proj\" -p \"projects/$proj/flows\" -l \"$proj\"\ndone\n"
        let looped = try await Self.findings(files, ["--select", "PS203"])
        #expect(looped.isEmpty, "\(looped)")
        // A whole path in a variable may be anywhere: the flows stay unregistered.
        files["ci/register.sh"] = "prefect register --project p -p \"$FLOWS\" -l \"$proj\"\n"
        #expect(Self.codes(try await Self.findings(files, ["--select", "PS203"])) == ["PS203", "PS203"])
    }

    /// `prefect.context.secrets["X"]` reads the run's context alone: Cloud is not asked, unless
    /// `storage.secrets` lists the name (facts §7); a secret of the agent's context is found.
    @Test func contextSecretsReadsNeverAskCloud() async throws {
        func flow(_ storageSecrets: String = "") -> String {
            "import prefect\n" + Self.flowHeader
                + "@task\ndef use():\n    return prefect.context.secrets['CTX'], prefect.context.secrets.get('CTX_GET'), Secret('VIA_GET').get()\n"
                + "with Flow('f', run_config=DockerRun(labels=['l']), storage=Module('flow'\(storageSecrets))) as flow:\n    use()\n"
        }
        let cloud = "prefect agent docker start --label l\n"
        let missing = try await Self.findings(["flow.py": flow(), "agent.sh": cloud], ["--select", "PS201"])
        #expect(missing.compactMap { $0["secret"] as? String }.sorted() == ["CTX", "CTX_GET"], "\(missing)")
        #expect((missing.first?["message"] as? String)?.contains("prefect.context.secrets is the run's context alone") == true, "\(missing)")
        let listed = try await Self.findings(["flow.py": flow(", secrets=['CTX', 'CTX_GET']"), "agent.sh": cloud], ["--select", "PS201"])
        #expect(listed.isEmpty, "\(listed)")
        let server = "export PREFECT__BACKEND=server\nprefect agent docker start --label l --env PREFECT__CONTEXT__SECRETS__CTX=\"$CTX\"\n"
        let provided = try await Self.findings(["flow.py": flow(), "agent.sh": server], ["--select", "PS201"])
        #expect(provided.compactMap { $0["secret"] as? String }.sorted() == ["CTX_GET", "VIA_GET"], "\(provided)")
    }

    /// Azure storage reads its connection string from the context, else from the run's
    /// environment variable of that name (storage/azure.py), as the git storages read tokens.
    @Test func azureStorageFallsBackToTheEnvironment() async throws {
        let flow = Self.flowHeader + "from prefect.storage import Azure\nwith Flow('az', storage=Azure(container='flows'), run_config=DockerRun(labels=['etl'])) as flow:\n    pass\n"
        func agent(_ env: String) -> String { "export PREFECT__BACKEND=server\nprefect agent docker start --label etl\(env)\n" }
        let fromEnv = try await Self.findings(["flow.py": flow, "agent.sh": agent(" --env AZURE_STORAGE_CONNECTION_STRING=\"$CONN\"")], ["--select", "PS206"])
        #expect(fromEnv.isEmpty, "\(fromEnv)")
        let none = try await Self.findings(["flow.py": flow, "agent.sh": agent("")], ["--select", "PS206"])
        #expect(Self.codes(none) == ["PS206"], "\(none)")
    }

    /// The backend.toml PREFECT__BACKEND_CONFIG_PATH names is loaded after the config.toml
    /// PREFECT__USER_CONFIG_PATH names (configuration.py `load_configuration`): its backend is
    /// the agent's, whose runs then find no secret in Cloud.
    @Test func namedBackendConfigBeatsNamedUserConfig() async throws {
        let flow = Self.flowHeader + "with Flow('etl', run_config=LocalRun(labels=['local']), storage=Module('etl')) as flow:\n    PrefectSecret('API_TOKEN')\n"
        let files = [
            "etl.py": flow, ".prefect/config.toml": "backend = \"cloud\"\n", ".prefect/backend.toml": "backend = \"server\"\n",
            "agent.sh": "export PREFECT__USER_CONFIG_PATH=$PWD/.prefect/config.toml\nexport PREFECT__BACKEND_CONFIG_PATH=$PWD/.prefect/backend.toml\nprefect agent local start --label local --no-hostname-label\n",
        ]
        let found = try await Self.findings(files, ["--select", "PS201"])
        #expect(found.map { "\($0["rule"] ?? "") \($0["secret"] ?? "")" } == ["PS201 API_TOKEN"], "\(found)")
        #expect((found.first?["message"] as? String)?.contains("backend server") == true, "\(found)")
    }

    /// `prefect backend server` in a developer's setup script is not the backend of an agent
    /// whose own script logs in to Prefect Cloud (`prefect auth login --key`): that agent's
    /// runs may find the secret in Cloud (no PS201 without an inventory), and its key is no
    /// Cloud credential on a Server backend (no PS303). Without the login it is.
    @Test func backendCommandOfAnotherScriptYieldsToACloudLogin() async throws {
        let flow = Self.flowHeader + "with Flow('f', run_config=DockerRun(labels=['prod']), storage=Module('f')) as flow:\n    PrefectSecret('WAREHOUSE_PW')\n"
        let setup = "prefect backend server\nprefect server start --detach\n"
        let login = "prefect auth login --key \"$PREFECT_API_KEY\"\nprefect agent docker start --label prod\n"
        let loggedIn = try await Self.findings(["flows/f.py": flow, "dev/setup-local.sh": setup, "prod/start-agent.sh": login])
        #expect(loggedIn.isEmpty, "\(loggedIn)")
        let plain = try await Self.findings(["flows/f.py": flow, "dev/setup-local.sh": setup, "prod/start-agent.sh": "prefect agent docker start --label prod\n"])
        #expect(Self.codes(plain) == ["PS201"], "\(plain)")
    }

    /// A helper of another module that reads a secret, called inside `with Flow(...)` by name
    /// or on its module, reads it while the flow is built: Prefect raises (PS401, an error, at
    /// the call). A call inside a task, or a helper whose read is a task of the flow, is none.
    @Test func importedHelperReadAtBuildTime() async throws {
        let helper = "from prefect.tasks.secrets import PrefectSecret\n\ndef get_password():\n    return PrefectSecret('DB_PASSWORD').run()\n\ndef password_task():\n    return PrefectSecret('DB_PASSWORD')\n"
        func flow(_ imports: String, _ body: String) -> String {
            "from prefect import Flow, task\n\(imports)\n@task\ndef load(pw):\n    return pw\n\nwith Flow('etl') as flow:\n    \(body)\n"
        }
        for (imports, body, expected) in [
            ("from lib.creds import get_password", "load(get_password())", 1),
            ("from lib import creds", "load(creds.get_password())", 1),
            ("import lib.creds", "load(lib.creds.get_password())", 1),
            ("from lib.creds import password_task", "load(password_task())", 0),
        ] {
            let found = try await Self.findings(["lib/__init__.py": "", "lib/creds.py": helper, "etl.py": flow(imports, body)], ["--select", "PS401"])
            #expect(found.count == expected, "\(body): \(found)")
            if expected == 1 {
                #expect(found.first?["path"] as? String == "etl.py" && found.first?["severity"] as? String == "error", "\(found)")
                #expect((found.first?["message"] as? String)?.hasPrefix("get_password() (lib/creds.py:4) calls PrefectSecret.run(), which reads secret DB_PASSWORD") == true, "\(found)")
            }
        }
        // Called inside a task, the helper reads when the flow runs.
        let inTask = flow("from lib.creds import get_password", "load(1)").replacingOccurrences(of: "return pw", with: "return get_password()")
        #expect(try await Self.findings(["lib/creds.py": helper, "etl.py": inTask], ["--select", "PS401"]).isEmpty)
        // Called at module level, it reads whenever the module is loaded (a warning), but not
        // under `if __name__ == "__main__":`, which registration does not run.
        for (imports, statement, expected) in [
            ("from lib.creds import get_password", "PW = get_password()", 1),
            ("from lib import creds", "PW = creds.get_password()", 1),
            ("import lib.creds", "PW = lib.creds.get_password()", 1),
            ("from lib.creds import get_password", "if __name__ == '__main__':\n    print(get_password())", 0),
        ] {
            let module = flow(imports, "load(1)") + "\n" + statement + "\n"
            let found = try await Self.findings(["lib/__init__.py": "", "lib/creds.py": helper, "etl.py": module], ["--select", "PS401"])
            #expect(found.count == expected, "\(statement): \(found)")
            if expected == 1 {
                #expect(found.first?["severity"] as? String == "warning", "\(found)")
                #expect((found.first?["message"] as? String)?.contains("which reads secret DB_PASSWORD at module level: it runs whenever the module is loaded") == true, "\(found)")
            }
        }
    }

    /// A Dockerfile's agent without `--label` flags that no project file runs gets its labels
    /// where the image runs (PREFECT__CLOUD__AGENT__LABELS, `--label` arguments after its
    /// ENTRYPOINT): no PS203 for a labelled flow. Run by a compose service that gives it none,
    /// or with labels of its own, it is judged by those.
    @Test func unlaunchedDockerfileAgentGetsItsLabelsWhereItRuns() async throws {
        let flow = "from prefect import Flow\nfrom prefect.run_configs import ECSRun\nfrom prefect.storage import S3\nwith Flow('hello', run_config=ECSRun(labels=['dask_test']), storage=S3(bucket='b')) as flow:\n    pass\n"
        let image = "FROM prefecthq/prefect:1.4.1-python3.8\nENTRYPOINT [\"prefect\", \"agent\", \"ecs\", \"start\", \"--agent-address\", \"http://:8080\"]\n"
        #expect(try await Self.findings(["flow.py": flow, "images/agent/Dockerfile": image], ["--select", "PS203"]).isEmpty)
        let composed = try await Self.findings(
            ["flow.py": flow, "images/agent/Dockerfile": image, "docker-compose.yml": "services:\n  agent:\n    build: images/agent\n"], ["--select", "PS203"])
        #expect(Self.codes(composed) == ["PS203"], "\(composed)")
        let labelled = image.replacingOccurrences(of: "\"start\",", with: "\"start\", \"--label\", \"other\",")
        #expect(Self.codes(try await Self.findings(["flow.py": flow, "images/agent/Dockerfile": labelled], ["--select", "PS203"])) == ["PS203"])
    }

    /// A flow-run context with `secrets` (`prefect run --context secrets=…`,
    /// `create_flow_run(context=…)`, a client's `create_flow_run`, StartFlowRun's
    /// `new_flow_context`) replaces the run's every secret: PS408 at the key, the values hidden
    /// in every frame. Other context keys are none.
    @Test func runContextSecretsReplaceTheSecretsTable() async throws {
        let files = [
            "run.sh": "prefect run --name etl --project p --context secrets='{\"DB\": \"tulip\"}'\nprefect run -n etl --context=secrets='{\"DB\": \"tulip\"}'\nprefect run -n etl --context day=3\n",
            "trigger.py": "import prefect\nclient = prefect.Client()\nclient.create_flow_run(flow_id='abc', context={'secrets': {'DB': 'tulip'}})\nclient.create_flow_run(flow_id='abc', context={'day': 3})\n",
            "flows/parent.py": "from prefect import Flow\nfrom prefect.tasks.prefect import create_flow_run, StartFlowRun\n"
                + "start = StartFlowRun(flow_name='etl', project_name='p', new_flow_context={'secrets': {'DB': 'tulip'}})\n"
                + "with Flow('parent') as flow:\n    create_flow_run(flow_name='etl', project_name='p', context={'secrets': {'DB': 'tulip'}})\n    start()\n",
        ]
        let found = try await Self.findings(files, ["--select", "PS408"])
        #expect(found.map { "\($0["path"] ?? ""):\($0["line"] ?? "")" }.sorted() == ["flows/parent.py:3", "flows/parent.py:5", "run.sh:1", "run.sh:2", "trigger.py:3"], "\(found)")
        let root = try makeTree(files.mapValues(text))
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shown = await runCLI(["check", "--fail-on", "never", "--select", "PS408", root]).stdout
        #expect(shown.contains("PS408") && !shown.contains("tulip"), "\(shown)")
    }

    /// A secret written as a Python list or dict that is not JSON (`['a', 'b']`, `{'user': 'u'}`)
    /// comes back from Secret.get as a list or dict (PS403); a JSON one is meant to, and is
    /// none, unless it holds true, false or null.
    @Test func pythonLiteralSecretValuesAreLossy() async throws {
        let agent = "prefect agent docker start --label d \\\n  --env \"PREFECT__CONTEXT__SECRETS__A=['a', 'b']\" \\\n  --env \"PREFECT__CONTEXT__SECRETS__B={'user': 'u'}\" \\\n"
            + "  --env 'PREFECT__CONTEXT__SECRETS__C=[\"a\", \"b\"]' \\\n  --env 'PREFECT__CONTEXT__SECRETS__D={\"user\": \"u\"}' \\\n  --env 'PREFECT__CONTEXT__SECRETS__E={\"on\": true}'\n"
        let found = try await Self.findings(["agent.sh": agent, "config.toml": "[context.secrets]\nF = \"['x']\"\nG = '[\"x\"]'\n"], ["--select", "PS403"])
        #expect(found.compactMap { $0["secret"] as? String }.sorted() == ["A", "B", "E", "F"], "\(found)")
    }

    /// AWS_CREDENTIALS and GCP_CREDENTIALS are read from the context as dicts: a Python or JSON
    /// dict is what they must be (no PS403), a value that stays a string fails the client.
    @Test func credentialDictsMustLoadAsDicts() async throws {
        let script = "export PREFECT__CONTEXT__SECRETS__AWS_CREDENTIALS=\"{'ACCESS_KEY': 'k', 'SECRET_ACCESS_KEY': 's'}\"\n"
            + "export PREFECT__CONTEXT__SECRETS__GCP_CREDENTIALS='{\"type\": \"service_account\"}'\nprefect agent local start\n"
        #expect(try await Self.findings(["a.sh": script], ["--select", "PS403"]).isEmpty)
        let config = "[context.secrets]\nAWS_CREDENTIALS = \"{ACCESS_KEY: k, SECRET_ACCESS_KEY: s}\"\nGCP_CREDENTIALS = \"$GCP_KEY\"\n"
        let found = try await Self.findings(["config.toml": config], ["--select", "PS403"])
        #expect(found.compactMap { $0["secret"] as? String } == ["AWS_CREDENTIALS"], "\(found)")
        #expect((found.first?["message"] as? String)?.contains("AttributeError: 'str' object has no attribute 'get'") == true, "\(found)")
    }

    /// Every name `dir(Config)` holds under python-box 6.1 is reserved, the attributes Box keeps
    /// of its own (`_protected_keys`, `_safe_attr`) as well as its methods (PS406).
    @Test func boxAttributesAreReservedSecretNames() async throws {
        let script = "export PREFECT__CONTEXT__SECRETS___protected_keys=x1\nexport PREFECT__CONTEXT__SECRETS__DB='{\"_safe_attr\": \"y\"}'\n"
            + "export PREFECT__CONTEXT__SECRETS__copy=z\nexport PREFECT__CONTEXT__SECRETS___private=w\nprefect agent local start\n"
        let found = try await Self.findings(["a.sh": script], ["--select", "PS406"])
        #expect(found.compactMap { ($0["message"] as? String)?.split(separator: "'").dropFirst().first.map(String.init) } == ["_protected_keys", "_safe_attr", "copy"], "\(found)")
    }

    /// An EnvVarSecret without `raise_if_missing=True` returns None where its variable is unset,
    /// and the run goes on: PS201 says so, as a warning; with it the run fails (an error).
    @Test func optionalEnvVarSecretIsAWarning() async throws {
        let flow = Self.flowHeader + "from prefect.tasks.secrets import EnvVarSecret\n@task\ndef use(x):\n    return x\n"
            + "with Flow('f', run_config=DockerRun(labels=['d']), storage=Module('f')) as flow:\n"
            + "    use(EnvVarSecret('REQUIRED', raise_if_missing=True))\n    use(EnvVarSecret('OPTIONAL'))\n    use(EnvVarSecret('FALSE', raise_if_missing=False))\n"
        let found = try await Self.findings(["f.py": flow, "agent.sh": "prefect agent docker start --label d\n"], ["--select", "PS201"])
        #expect(found.map { "\($0["secret"] ?? "") \($0["severity"] ?? "")" }.sorted() == ["FALSE warning", "OPTIONAL warning", "REQUIRED error"], "\(found)")
        #expect(found.filter { $0["severity"] as? String == "warning" }.allSatisfy { ($0["message"] as? String)?.hasSuffix("EnvVarSecret then returns None (without raise_if_missing=True), and the run goes on with it") == true }, "\(found)")
    }

    /// Run config labels given by a list another project module binds (`labels=AGENT_LABELS`
    /// after `from flows.config import AGENT_LABELS`, or `config.AGENT_LABELS`) are that list:
    /// the agent with those labels runs the flow (PS201 for its secret), another none (PS203).
    /// A list the module builds by a call stays unknown.
    @Test func runConfigLabelsImportedFromAnotherModule() async throws {
        func flow(_ imports: String, _ labels: String) -> String {
            "from prefect import Flow\nfrom prefect.tasks.secrets import PrefectSecret\nfrom prefect.run_configs import DockerRun\nfrom prefect.storage import Module\n\(imports)\n"
                + "with Flow('f', run_config=DockerRun(labels=\(labels)), storage=Module('flows.f')) as flow:\n    PrefectSecret('WAREHOUSE_PW')\n"
        }
        let config = "AGENT_LABELS = [\"prod\", \"docker\"]\nCOMPUTED = make_labels()\n"
        let agent = "export PREFECT__BACKEND=server\nprefect agent docker start -l prod -l docker\n"
        for (imports, labels, expected) in [
            ("from flows.config import AGENT_LABELS", "AGENT_LABELS", ["PS201"]),
            ("from flows import config", "config.AGENT_LABELS", ["PS201"]),
            ("from flows.config import COMPUTED", "COMPUTED", []),
        ] {
            let found = try await Self.findings(["flows/__init__.py": "", "flows/config.py": config, "flows/f.py": flow(imports, labels), "agent.sh": agent], ["--select", "PS201,PS203"])
            #expect(Self.codes(found) == expected, "\(labels): \(found)")
        }
        let other = try await Self.findings(
            ["flows/__init__.py": "", "flows/config.py": config, "flows/f.py": flow("from flows.config import AGENT_LABELS", "AGENT_LABELS"),
             "agent.sh": agent.replacingOccurrences(of: "-l docker", with: "")], ["--select", "PS201,PS203"])
        #expect(Self.codes(other) == ["PS203"], "\(other)")
    }

    /// A literal credential in the env of a local job template or task definition a run config
    /// names (`job_template_path="job.yaml"`) is stored with the flow: PS106 in that file, once
    /// however many flows take it, the value hidden. A secretKeyRef, or a file no run config
    /// names, is none.
    @Test func literalCredentialInALocalRunConfigTemplate() async throws {
        func flow(_ name: String, _ template: String) -> String {
            "from prefect import Flow\nfrom prefect.run_configs import KubernetesRun\nfrom prefect.storage import Module\n"
                + "with Flow('\(name)', run_config=KubernetesRun(labels=['k8s'], job_template_path='\(template)'), storage=Module('\(name)')) as flow:\n    pass\n"
        }
        let job = "apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      containers:\n        - name: flow\n          env:\n"
            + "            - name: WAREHOUSE_PASSWORD\n              value: tulip-garden-41\n            - name: API_TOKEN\n              valueFrom:\n                secretKeyRef: {name: api, key: token}\n"
        let files = ["a.py": flow("a", "job.yaml"), "b.py": flow("b", "job.yaml"), "job.yaml": job, "unused.yaml": job, "agent.sh": "prefect agent kubernetes start --label k8s\n"]
        let found = try await Self.findings(files, ["--select", "PS106"])
        #expect(found.map { "\($0["path"] ?? ""):\($0["line"] ?? "")" } == ["job.yaml:10"], "\(found)")
        let root = try makeTree(files.mapValues(text))
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(!(await runCLI(["check", "--fail-on", "never", "--select", "PS106", root]).stdout.contains("tulip")))
    }

    /// PS301 takes the agents' backend only when every agent runs with it: an agent that sets
    /// none has Prefect's default, cloud.
    @Test func setSecretBackendFromAgentsNeedsThemAll() async throws {
        let script = "import os\nfrom prefect import Client\nClient().set_secret('X', os.environ['X'])\n"
        let server = "export PREFECT__BACKEND=server\nprefect agent docker start --label staging\n"
        let mixed = try await Self.findings(["migrate.py": script, "staging.sh": server, "prod.sh": "prefect agent docker start --label prod\n"])
        #expect(Self.codes(mixed).filter { $0.hasPrefix("PS3") } == [], "\(mixed)")
        let allServer = try await Self.findings(["migrate.py": script, "staging.sh": server])
        #expect(Self.codes(allServer).contains("PS301"), "\(allServer)")
    }

    /// An agent forces its own backend into its runs: a `PREFECT__BACKEND` written for them is
    /// replaced, also where the agent's backend is Prefect's default.
    @Test func backendWrittenForRunsIsReplacedByTheDefault() async throws {
        let flagged = try await Self.findings(["agent.sh": "prefect agent docker start --label l --env PREFECT__BACKEND=server\n"])
        #expect(Self.codes(flagged) == ["PS304"], "\(flagged)")
        #expect((flagged.first?["message"] as? String)?.contains("Prefect's default") == true)
        let same = try await Self.findings(["agent.sh": "prefect agent docker start --label l --env PREFECT__BACKEND=cloud\n"])
        #expect(Self.codes(same) == [], "\(same)")
        let runConfig = Self.flowHeader + "with Flow('f', storage=Module('flow'), run_config=DockerRun(labels=['l'], env={'PREFECT__BACKEND': 'server'})) as flow:\n    pass\n"
        let inRunConfig = try await Self.findings(["flow.py": runConfig, "agent.sh": "prefect agent docker start --label l\n"])
        #expect(Self.codes(inRunConfig) == ["PS304"], "\(inRunConfig)")
    }

    /// `partial(slack_notifier, webhook_secret=…)` reads the bound name, not the default.
    @Test func partialNotifierReadsTheBoundSecret() async throws {
        func flow(_ binding: String) -> String {
            "from functools import partial\nfrom prefect.utilities.notifications import slack_notifier\n" + Self.flowHeader
                + "h = partial(slack_notifier\(binding))\n@task(state_handlers=[h])\ndef work():\n    pass\n"
                + "with Flow('ops', run_config=LocalRun(labels=['ops']), storage=Module('flow')) as flow:\n    work()\n"
        }
        let agent = "prefect agent local start --label ops --no-hostname-label\n"
        let bound = try await Self.findings(["flow.py": flow(", webhook_secret='OPS_HOOK'"), "start.sh": agent], ["--backend", "server", "--select", "PS201"])
        #expect(bound.compactMap { $0["secret"] as? String } == ["OPS_HOOK"], "\(bound)")
        let unbound = try await Self.findings(["flow.py": flow(""), "start.sh": agent], ["--backend", "server", "--select", "PS201"])
        #expect(unbound.compactMap { $0["secret"] as? String } == ["SLACK_WEBHOOK_URL"], "\(unbound)")
        let byURL = try await Self.findings(["flow.py": flow(", webhook_url='https://example.invalid/hook'"), "start.sh": agent], ["--backend", "server", "--select", "PS201"])
        #expect(byURL.isEmpty, "\(byURL)")
    }

    /// GNU make puts a target-specific `export` in the environment of the target's recipes.
    @Test func makeTargetExportReachesTheAgent() async throws {
        let flow = Self.flowHeader + "with Flow('etl', run_config=LocalRun(labels=['etl']), storage=Module('flow')) as flow:\n    PrefectSecret('DB')\n"
        let recipe = "agent:\n\tPREFECT__BACKEND=server prefect agent local start --label etl --no-hostname-label\n"
        let exported = try await Self.findings(["flow.py": flow, "Makefile": "agent: export PREFECT__CONTEXT__SECRETS__DB = $(shell cat /run/db)\n" + recipe], ["--select", "PS201"])
        #expect(exported.isEmpty, "\(exported)")
        let missing = try await Self.findings(["flow.py": flow, "Makefile": recipe], ["--select", "PS201"])
        #expect(Self.codes(missing) == ["PS201"], "\(missing)")
    }

    /// A run config's image that a compose service builds from a project Dockerfile starts
    /// the run with that Dockerfile's `ENV`.
    @Test func runConfigImageBuiltInTheProject() async throws {
        func files(image: String) -> [String: String] {
            [
                "flows/f.py": Self.flowHeader + "with Flow('etl', storage=Module('flows.f'), run_config=DockerRun(image='\(image)', labels=['img'])) as flow:\n    PrefectSecret('REGION')\n",
                "docker-compose.yml": """
                    services:
                      etl-image:
                        build: ./images/etl
                        image: registry.example/flows/etl:1.0
                      agent:
                        image: prefecthq/prefect:1.4.1-python3.9
                        command: prefect agent docker start --label img
                        environment:
                          PREFECT__BACKEND: server

                    """,
                "images/etl/Dockerfile": "FROM prefecthq/prefect:1.4.1-python3.9\nENV PREFECT__CONTEXT__SECRETS__REGION=eu-west-1\n",
            ]
        }
        let built = try await Self.findings(files(image: "registry.example/flows/etl:1.0"), ["--select", "PS201"])
        #expect(built.isEmpty, "\(built)")
        // Without an image in the run config, the task definition's flow container names it.
        var template = files(image: "unused")
        template["flows/f.py"] = Self.flowHeader.replacingOccurrences(of: "LocalRun, DockerRun", with: "ECSRun")
            + "with Flow('etl', storage=Module('flows.f'), run_config=ECSRun(labels=['img'], task_definition_path='td.yaml')) as flow:\n    PrefectSecret('REGION')\n"
        template["td.yaml"] = "containerDefinitions:\n  - name: flow\n    image: registry.example/flows/etl:1.0\n"
        template["ecs.sh"] = "export PREFECT__BACKEND=server\nprefect agent ecs start --label img\n"
        template["docker-compose.yml"] = "services:\n  etl-image:\n    build: ./images/etl\n    image: registry.example/flows/etl:1.0\n"
        #expect(try await Self.findings(template, ["--select", "PS201"]).isEmpty)
        template["td.yaml"] = "containerDefinitions:\n  - name: flow\n    image: registry.example/flows/other:1.0\n"
        #expect(Self.codes(try await Self.findings(template, ["--select", "PS201"])) == ["PS201"])
        // Docker Hub's own names for an image: `docker.io/org/name` is `org/name`.
        var hub = files(image: "docker.io/acme/etl")
        hub["docker-compose.yml"] = hub["docker-compose.yml"]?.replacingOccurrences(of: "registry.example/flows/etl:1.0", with: "acme/etl:latest")
        #expect(try await Self.findings(hub, ["--select", "PS201"]).isEmpty)
        let other = try await Self.findings(files(image: "registry.example/flows/other:1.0"), ["--select", "PS201"])
        #expect(Self.codes(other) == ["PS201"], "\(other)")
    }

    /// `Secret(X).get()` in the block of `if Secret(X).exists():` runs only when X is there.
    @Test func existsGuardedReadIsOptional() async throws {
        func flow(_ condition: String) -> String {
            Self.flowHeader + "@task\ndef t():\n    if \(condition):\n        return Secret('OPTIONAL_TOKEN').get()\n    return None\n"
                + "with Flow('a', run_config=LocalRun(labels=['z']), storage=Module('flow')) as flow:\n    t()\n"
        }
        let agent = "export PREFECT__BACKEND=server\nprefect agent local start --label z --no-hostname-label\n"
        for (condition, reported) in [
            ("Secret('OPTIONAL_TOKEN').exists()", false), ("Secret('OPTIONAL_TOKEN').exists() and True", false),
            ("not Secret('OPTIONAL_TOKEN').exists()", true), ("Secret('OTHER').exists()", true), ("Secret('OPTIONAL_TOKEN').exists() or True", true),
        ] {
            let found = try await Self.findings(["flow.py": flow(condition), "start.sh": agent], ["--select", "PS201"])
            #expect(Self.codes(found) == (reported ? ["PS201"] : []), "\(condition): \(found)")
        }
        // Other shapes of the same guard: an early exit, a conditional expression, a variable.
        for (body, reported) in [
            ("    if not Secret('OPTIONAL_TOKEN').exists():\n        return None\n    return Secret('OPTIONAL_TOKEN').get()\n", false),
            ("    if not Secret('OPTIONAL_TOKEN').exists():\n        print('missing')\n    return Secret('OPTIONAL_TOKEN').get()\n", true),
            ("    return Secret('OPTIONAL_TOKEN').get() if Secret('OPTIONAL_TOKEN').exists() else None\n", false),
            ("    s = Secret('OPTIONAL_TOKEN')\n    if s.exists():\n        return s.get()\n", false),
        ] {
            let flow = Self.flowHeader + "@task\ndef t():\n" + body + "with Flow('a', run_config=LocalRun(labels=['z']), storage=Module('flow')) as flow:\n    t()\n"
            let found = try await Self.findings(["flow.py": flow, "start.sh": agent], ["--select", "PS201"])
            #expect(Self.codes(found) == (reported ? ["PS201"] : []), "\(body): \(found)")
        }
    }

    /// A name a whole-table `PREFECT__CONTEXT__SECRETS` value provides is no misspelling of
    /// a provided one.
    @Test func wholeTableNameIsNoMismatch() async throws {
        let flow = Self.flowHeader + "with Flow('etl', run_config=LocalRun(labels=['etl']), storage=Module('flow')) as flow:\n    PrefectSecret('A_TOKEN')\n"
        func compose(_ table: String) -> String {
            "services:\n  agent:\n    image: prefecthq/prefect:1.4.1\n    command: prefect agent local start --label etl --no-hostname-label\n    environment:\n      PREFECT__BACKEND: server\n      PREFECT__CONTEXT__SECRETS: '\(table)'\n"
        }
        // B_TOKEN, one edit from A_TOKEN, is provided to another agent.
        let other = "export PREFECT__BACKEND=server\nprefect agent docker start --label other --env PREFECT__CONTEXT__SECRETS__B_TOKEN=\"$B\"\n"
        let provided = try await Self.findings(["flow.py": flow, "docker-compose.yml": compose("{\"A_TOKEN\": \"x\"}"), "other.sh": other], ["--select", "PS204"])
        #expect(provided.isEmpty, "\(provided)")
        let misspelt = try await Self.findings(["flow.py": flow, "docker-compose.yml": compose("{\"A_TOKN\": \"x\"}"), "other.sh": other], ["--select", "PS204"])
        #expect(Self.codes(misspelt) == ["PS204"], "\(misspelt)")
    }

    /// The inventory: a default name listed in `storage.secrets` is loaded before the storage
    /// reads it; each flow lists the agents that run it.
    @Test func inventoryOfStorageSecretsAndAgents() async throws {
        let flow = """
            from prefect import Flow, task
            from prefect.storage import GitHub
            from prefect.run_configs import ECSRun
            @task
            def hello():
                pass
            with Flow("etl", storage=GitHub(repo="acme/flows", path="flow.py", secrets=["GITHUB_ACCESS_TOKEN"]), run_config=ECSRun(labels=["prod"])) as flow:
                hello()

            """
        let root = try makeTree(["flow.py": text(flow), "agent.sh": text("prefect agent ecs start --label prod\n"), "cloud.txt": text("GITHUB_ACCESS_TOKEN\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["inventory", "--format", "json", "--cloud-secrets", root + "/cloud.txt", root])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let secret = (object?["secrets"] as? [[String: Any]])?.first { $0["name"] as? String == "GITHUB_ACCESS_TOKEN" }
        let verdicts = (secret?["agents"] as? [[String: Any]])?.map { $0["resolves"] as? Bool } ?? []
        #expect(verdicts == [true], "\(result.stdout)")
        let flows = object?["flows"] as? [[String: Any]] ?? []
        let agents = (flows.first?["agents"] as? [[String: Any]])?.map { $0["agent"] as? String } ?? []
        #expect(agents == ["ecs agent agent.sh:1"], "\(result.stdout)")
    }

    /// A secret's name written as a value under a secret-like key stays a name in messages.
    @Test func secretNameGivenAsValueIsShown() async throws {
        let flow = Self.flowHeader
            + "with Flow('a', storage=Module('flow'), run_config=DockerRun(labels=['l'], env={'DBT_PASSWORD_SECRET': 'SNOWFLAKE_PASSWORD'})) as flow:\n    PrefectSecret('SNOWFLAKE_PASSWORD')\n"
        let found = try await Self.findings(["flow.py": flow, "start.sh": "prefect agent docker start --label l\n"], ["--backend", "server", "--select", "PS201"])
        #expect(found.compactMap { $0["secret"] as? String } == ["SNOWFLAKE_PASSWORD"], "\(found)")
    }

    /// What reaches the runs of round 29's cases: `[cloud.agent.env_vars]` of the config an
    /// agent reads; the ENV of a Docker storage's compose-built `base_image`; a call-time
    /// keyword that skips a task's default secret; a variable a sourced file sets that the
    /// script then exports.
    @Test func runEnvironmentSources() async throws {
        let flow = { (runConfig: String, storage: String, body: String) in
            "from prefect import Flow\nfrom prefect.run_configs import LocalRun, DockerRun\nfrom prefect.storage import Docker, Local, Module\n"
                + "from prefect.tasks.secrets import PrefectSecret\nfrom prefect.tasks.notifications import SlackTask\n"
                + "with Flow('f', storage=\(storage), run_config=\(runConfig)) as flow:\n    \(body)\n"
        }
        let need = "PrefectSecret('LIMS_TOKEN')"
        let configEnvVars = [
            ".prefect/config.toml": "backend = \"server\"\n[cloud.agent]\nlabels = [\"lab\"]\n[cloud.agent.env_vars]\nPREFECT__CONTEXT__SECRETS__LIMS_TOKEN = \"$LIMS\"\n",
            "start.sh": "prefect agent docker start\n", "flow.py": flow("DockerRun(labels=['lab'])", "Module('flow')", need),
        ]
        #expect(try await Self.findings(configEnvVars, ["--select", "PS201"]).isEmpty)
        var withoutEnvVars = configEnvVars
        withoutEnvVars[".prefect/config.toml"] = "backend = \"server\"\n[cloud.agent]\nlabels = [\"lab\"]\n"
        #expect(Self.codes(try await Self.findings(withoutEnvVars, ["--select", "PS201"])) == ["PS201"])
        // A config holding only `[cloud.agent]` settings is a Prefect config too.
        var agentOnly = configEnvVars
        agentOnly[".prefect/config.toml"] = nil
        agentOnly["config.toml"] = "[cloud.agent]\nlabels = [\"lab\"]\n[cloud.agent.env_vars]\nPREFECT__CONTEXT__SECRETS__LIMS_TOKEN = \"$LIMS\"\n"
        agentOnly["start.sh"] = "export PREFECT__BACKEND=server\nprefect agent docker start\n"
        #expect(try await Self.findings(agentOnly, ["--select", "PS201,PS203"]).isEmpty)

        func baseImage(_ image: String) -> [String: String] {
            [
                "img/Dockerfile": "FROM prefecthq/prefect:1.4.1-python3.9\nARG LIMS\nENV PREFECT__CONTEXT__SECRETS__LIMS_TOKEN=${LIMS}\n",
                "docker-compose.yml": "services:\n  flows:\n    build: ./img\n    image: registry.lab/labflows:1\n",
                "flow.py": flow("DockerRun(labels=['lab'])", "Docker(registry_url='registry.lab', image_name='f', base_image='\(image)')", need),
                "start.sh": "export PREFECT__BACKEND=server\nprefect agent docker start -l lab\n",
            ]
        }
        #expect(try await Self.findings(baseImage("registry.lab/labflows:1"), ["--select", "PS201"]).isEmpty)
        #expect(Self.codes(try await Self.findings(baseImage("registry.lab/other:1"), ["--select", "PS201"])) == ["PS201"])

        let local = "export PREFECT__BACKEND=server\nexport PREFECT__CONTEXT__SECRETS__LAB_SLACK=\"$HOOK\"\nprefect agent local start -l lab --no-hostname-label\n"
        for (call, secrets) in [("SlackTask()(message='done', webhook_url=PrefectSecret('LAB_SLACK'))", ["LAB_SLACK"]), ("SlackTask()(message='done')", ["SLACK_WEBHOOK_URL"])] {
            let found = try await Self.findings(["flow.py": flow("LocalRun(labels=['lab'])", "Local(add_default_labels=False)", call), "start.sh": local], ["--select", "PS201"])
            #expect(found.compactMap { $0["secret"] as? String } == secrets.filter { $0 != "LAB_SLACK" }, "\(call): \(found)")
        }

        let sourced = { (export: String) in
            [
                "agent.env": "PREFECT__BACKEND=server\n", "start.sh": "source ./agent.env\n\(export)prefect agent local start -l lab --no-hostname-label\n",
                "flow.py": flow("LocalRun(labels=['lab'])", "Local(add_default_labels=False)", need),
            ]
        }
        #expect(Self.codes(try await Self.findings(sourced("export PREFECT__BACKEND\n"), ["--select", "PS201"])) == ["PS201"])
        #expect(try await Self.findings(sourced(""), ["--select", "PS201"]).isEmpty)
    }

    /// Agent settings that conflict or fail: a Server API URL under the default backend; an
    /// `install` under a project config's server backend without `--api`; a number in a
    /// LocalRun env; an `s3://` job template the agent reads with its own AWS_CREDENTIALS.
    @Test func agentSettingsThatConflictOrFail() async throws {
        let defaultAPI = try await Self.findings(["agent.sh": "prefect agent kubernetes start --api http://prefect-apollo:4200 --label k8s\n"])
        #expect(defaultAPI.map { "\($0["rule"] ?? "") \($0["severity"] ?? "")" } == ["PS304 warning"], "\(defaultAPI)")
        let install = ["install.sh": "prefect agent kubernetes install --label k8s > agent.yaml\n", ".prefect/config.toml": "backend = \"server\"\n"]
        #expect(Self.codes(try await Self.findings(install)) == ["PS304"])
        var withAPI = install
        withAPI["install.sh"] = "prefect agent kubernetes install --label k8s --api http://apollo:4200 > agent.yaml\n"
        #expect(try await Self.findings(withAPI).isEmpty)

        func localRun(_ value: String) -> [String: String] {
            [
                "flow.py": Self.flowHeader + "with Flow('b', storage=Module('flow'), run_config=LocalRun(labels=['loc'], env={'PREFECT__CONTEXT__SECRETS__PORT': \(value)})) as flow:\n    PrefectSecret('PORT')\n",
                "local.sh": "export PREFECT__BACKEND=server\nprefect agent local start --label loc --no-hostname-label\n",
            ]
        }
        let number = try await Self.findings(localRun("5432"), ["--select", "PS203,PS403"])
        #expect(Self.codes(number) == ["PS203"] && (number.first?["message"] as? String)?.contains("subprocess.Popen") == true, "\(number)")
        #expect(try await Self.findings(localRun("'5432'"), ["--select", "PS203"]).isEmpty)
        #expect(Self.codes(try await Self.findings(localRun("-5"), ["--select", "PS203"])) == ["PS203"])
        // Kubernetes and ECS agents submit it as written, which Kubernetes and botocore refuse.
        for (runConfig, agent) in [("KubernetesRun", "kubernetes"), ("ECSRun", "ecs"), ("DockerRun", "docker")] {
            let files = [
                "flow.py": "from prefect import Flow\nfrom prefect.run_configs import \(runConfig)\nfrom prefect.storage import S3\n"
                    + "with Flow('n', storage=S3(bucket='b'), run_config=\(runConfig)(labels=['n'], env={'WORKERS': 4})) as flow:\n    pass\n",
                "agent.sh": "export PREFECT__BACKEND=server\nprefect agent \(agent) start --label n\n",
            ]
            let found = try await Self.findings(files, ["--select", "PS203"])
            // docker-py formats each `KEY=value`: a number reaches the container as its text.
            #expect(Self.codes(found) == (agent == "docker" ? [] : ["PS203"]), "\(agent): \(found)")
            #expect(found.allSatisfy { ($0["message"] as? String)?.contains("WORKERS is a number, not a string") == true })
        }

        func s3Template(_ template: String) -> [String: String] {
            [
                "k8s.sh": "export PREFECT__BACKEND=server\nexport PREFECT__CONTEXT__SECRETS__AWS_CREDENTIALS=\"$CREDS\"\nprefect agent kubernetes start --api http://apollo:4200 --label k8s --job-template \(template)\n",
                "flow.py": "from prefect import Flow\nfrom prefect.run_configs import KubernetesRun\nfrom prefect.storage import S3\n"
                    + "with Flow('s3', storage=S3(bucket='b'), run_config=KubernetesRun(labels=['k8s'])) as flow:\n    pass\n",
            ]
        }
        #expect(try await Self.findings(s3Template("s3://acme/job.yaml"), ["--select", "PS207"]).isEmpty)
        #expect(Self.codes(try await Self.findings(s3Template("job.yaml"), ["--select", "PS207"])) == ["PS207"])
    }

    /// PS209's suggestion for a list written without quotes drops its brackets.
    @Test func labelsWithoutQuotesSuggestTheList() async throws {
        let found = try await Self.findings(["k8s.sh": "export PREFECT__CLOUD__AGENT__LABELS='[k8s, prod]'\nprefect agent kubernetes start --api http://apollo:4200\n"], ["--select", "PS209"])
        #expect((found.first?["message"] as? String)?.hasSuffix("write ['k8s', 'prod']") == true, "\(found)")
    }

    /// A value under a `*_SECRET` name that reads as a secret's name is shown; a random one is not.
    @Test func secretNamesUnderSecretKeysAreShown() async throws {
        let root = try makeTree([
            "flow.py": text(Self.flowHeader + "with Flow('etl', storage=Module('flow'), run_config=LocalRun(env={'PASSWORD_SECRET': 'DB_PASSWORD', 'API_SECRET': 'Ab3dEf9hJk2mNp5q'})) as flow:\n    PrefectSecret('X')\n"),
            "start.sh": text("export PREFECT__BACKEND=server\nprefect agent local start --no-hostname-label\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--no-color", "--fail-on", "never", root])
        #expect(result.stdout.contains("'PASSWORD_SECRET': 'DB_PASSWORD'") && !result.stdout.contains("Ab3dEf9hJk2mNp5q"), "\(result.stdout)")
    }

    /// Each agent reads the config of its part of a monorepo (the nearest folder above its
    /// file with one), or the one PREFECT__USER_CONFIG_PATH names: its backend, labels and
    /// context secrets come from that file.
    @Test func agentsReadTheirOwnConfig() async throws {
        let flow = { (label: String, secret: String) in
            "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom prefect.storage import Module\nfrom prefect.tasks.secrets import PrefectSecret\n"
                + "with Flow('f\(label)', storage=Module('flows.f'), run_config=LocalRun(labels=['\(label)'])) as flow:\n    PrefectSecret('\(secret)')\n"
        }
        var teams = [
            "a/.prefect/config.toml": "backend = \"server\"\n[context.secrets]\nSA = \"$SA\"\n",
            "b/.prefect/config.toml": "backend = \"server\"\n[context.secrets]\nSB = \"$SB\"\n",
            "a/agents/agent.sh": "prefect agent local start --label a --no-hostname-label\n",
            "b/agents/agent.sh": "prefect agent local start --label b --no-hostname-label\n",
            "a/flows/f.py": flow("a", "SA"), "b/flows/f.py": flow("b", "SB"),
        ]
        #expect(try await Self.findings(teams, ["--select", "PS201,PS202"]).isEmpty)
        // Without its own config, team b's agent gets a's (the only one): SB is missing there.
        teams["b/.prefect/config.toml"] = nil
        #expect(Self.codes(try await Self.findings(teams, ["--select", "PS201"])) == ["PS201"])

        func named(_ config: String) -> [String: String] {
            [
                "prefect/server.toml": "backend = \"server\"\n", "prefect/cloud.toml": "backend = \"cloud\"\n", "cloud.txt": "ERP_TOKEN\n",
                "agents/server.sh": "export PREFECT__USER_CONFIG_PATH=\"$PWD/prefect/\(config)\"\nprefect agent local start --label s --no-hostname-label\n",
                "flows/f.py": flow("s", "ERP_TOKEN"),
            ]
        }
        let root = try makeTree(named("server.toml").mapValues(text))
        defer { try? FileManager.default.removeItem(atPath: root) }
        let server = await runCLI(["check", "--format", "json", "--fail-on", "never", "--select", "PS201", "--cloud-secrets", root + "/cloud.txt", root])
        #expect(server.stdout.contains("PS201"), "\(server.stdout)")
        let cloudRoot = try makeTree(named("cloud.toml").mapValues(text))
        defer { try? FileManager.default.removeItem(atPath: cloudRoot) }
        let cloud = await runCLI(["check", "--format", "json", "--fail-on", "never", "--select", "PS201", "--cloud-secrets", cloudRoot + "/cloud.txt", cloudRoot])
        #expect(!cloud.stdout.contains("PS201"), "\(cloud.stdout)")

        // A config a compose service mounts is its agent's, labels included; a path after
        // `$PWD` or relative to the script names the team's own file.
        let mounted = [
            "deploy/a/config.toml": "backend = \"cloud\"\n[cloud.agent]\nlabels = [\"a\"]\n",
            "deploy/b/config.toml": "backend = \"server\"\n[cloud.agent]\nlabels = [\"b\"]\n",
            "flows/fb.py": flow("b", "SB").replacingOccurrences(of: "    PrefectSecret('SB')\n", with: "    pass\n"),
            "docker-compose.yml": "services:\n  b-agent:\n    image: prefecthq/prefect:1.4.1\n    command: prefect agent local start --no-hostname-label\n    volumes:\n      - ./deploy/b/config.toml:/root/.prefect/config.toml:ro\n",
        ]
        #expect(try await Self.findings(mounted, ["--select", "PS203"]).isEmpty)
        for named in ["$PWD/deploy/config.toml", "../deploy/config.toml"] {
            let finance = [
                "config.toml": "[cloud.agent]\nlabels = [\"shared\"]\n",
                "teams/finance/deploy/config.toml": "backend = \"server\"\n[cloud.agent]\nlabels = [\"finance\"]\n",
                "teams/finance/agents/run-agent.sh": "export PREFECT__USER_CONFIG_PATH=\"\(named)\"\nprefect agent local start --no-hostname-label\n",
                "teams/finance/flows/ledger.py": flow("finance", "LEDGER").replacingOccurrences(of: "    PrefectSecret('LEDGER')\n", with: "    pass\n"),
            ]
            #expect(try await Self.findings(finance, ["--select", "PS203"]).isEmpty, "\(named)")
        }
    }

    /// `export NAME` before the file that sets it is sourced keeps it exported; a task's
    /// `.bind(webhook_url=…)` skips its default secret.
    @Test func exportBeforeSourceAndBind() async throws {
        let envVarSecret = "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom prefect.storage import Module\nfrom prefect.tasks.secrets import EnvVarSecret\n"
            + "with Flow('f', storage=Module('flows.f'), run_config=LocalRun(labels=['l1'])) as flow:\n    EnvVarSecret('A_PW')\n"
        func sourcing(_ export: String) -> [String: String] {
            [
                "agents/x.env": "A_PW=${VAULT_A}\n", "flows/f.py": envVarSecret,
                "agents/local.sh": "export PREFECT__BACKEND=server\n\(export). ./agents/x.env\nprefect agent local start --label l1 --no-hostname-label\n",
            ]
        }
        #expect(try await Self.findings(sourcing("export A_PW\n"), ["--select", "PS201"]).isEmpty)
        #expect(Self.codes(try await Self.findings(sourcing(""), ["--select", "PS201"])) == ["PS201"])

        let bound = Self.flowHeader.replacingOccurrences(of: "from prefect.tasks.secrets import PrefectSecret", with: "from prefect.tasks.secrets import PrefectSecret\nfrom prefect.tasks.notifications import SlackTask")
            + "with Flow('g', run_config=DockerRun(labels=['d']), storage=Module('flow')) as flow:\n    SlackTask(message='done').bind(webhook_url=PrefectSecret('OPS_SLACK_HOOK'))\n"
        let agent = "export PREFECT__BACKEND=server\nprefect agent docker start --label d --env PREFECT__CONTEXT__SECRETS__OPS_SLACK_HOOK=\"$HOOK\"\n"
        #expect(try await Self.findings(["flow.py": bound, "d.sh": agent], ["--select", "PS201"]).isEmpty)
        let unbound = bound.replacingOccurrences(of: ".bind(webhook_url=PrefectSecret('OPS_SLACK_HOOK'))", with: ".bind()")
        #expect(try await Self.findings(["flow.py": unbound, "d.sh": agent], ["--select", "PS201"]).compactMap { $0["secret"] as? String } == ["SLACK_WEBHOOK_URL"])
    }

    /// A template env value PyYAML reads as a number fails the job or task definition.
    @Test func templateValueThatIsNoString() async throws {
        func files(_ value: String) -> [String: String] {
            [
                "td/flow.yaml": "containerDefinitions:\n  - name: flow\n    environment:\n      - name: PREFECT__CONTEXT__SECRETS__PIN\n        value: \(value)\n",
                "flow.py": "from prefect import Flow\nfrom prefect.run_configs import ECSRun\nfrom prefect.storage import S3\nfrom prefect.tasks.secrets import PrefectSecret\n"
                    + "with Flow('f', storage=S3(bucket='b'), run_config=ECSRun(labels=['ecs'], task_definition_path='td/flow.yaml')) as flow:\n    PrefectSecret('PIN')\n",
                "agent.sh": "export PREFECT__BACKEND=server\nprefect agent ecs start --label ecs\n",
            ]
        }
        let number = try await Self.findings(files("0123"), ["--select", "PS203"])
        #expect(Self.codes(number) == ["PS203"] && (number.first?["message"] as? String)?.contains("quote the value") == true, "\(number)")
        #expect(try await Self.findings(files("\"0123\""), ["--select", "PS203"]).isEmpty)
    }

    /// An env file's Cloud settings go where the agents that read it run, whatever other
    /// agents of the project do (an ECS agent on Prefect's default backend).
    @Test func envFileSettingsFollowTheAgentsThatReadIt() async throws {
        let compose = """
            services:
              agent:
                image: prefecthq/prefect:1.4.1-python3.9
                command: prefect agent local start --label dev
                env_file: .env
                environment:
                  PREFECT__BACKEND: server
            """
        let env = "PREFECT__CLOUD__USE_LOCAL_SECRETS=true\nPREFECT__CLOUD__TENANT_ID=${TENANT}\n"
        let other = "prefect agent ecs start --label ecs\n"
        let read = try await Self.findings(["docker-compose.yml": compose, ".env": env, "start.sh": other], ["--select", "PS302,PS303"])
        #expect(Self.codes(read) == ["PS302", "PS303"], "\(read)")
        let unread = try await Self.findings(
            ["docker-compose.yml": compose.replacingOccurrences(of: "    env_file: .env\n", with: ""), ".env": env, "start.sh": other], ["--select", "PS302,PS303"])
        #expect(Self.codes(unread) == [], "\(unread)")
    }

    /// A literal a secret takes through a variable is the value Prefect loads: `12345678`
    /// comes back as an int, also from a CI job's env.
    @Test func literalThroughVariableIsCheckedForLoss() async throws {
        let script = "BB=12345678\nprefect agent kubernetes start -l prod --env PREFECT__CONTEXT__SECRETS__TOKEN=$BB\n"
        let number = try await Self.findings(["start.sh": script], ["--select", "PS104,PS403"])
        #expect(Self.codes(number) == ["PS104", "PS403"], "\(number)")
        let text = try await Self.findings(["start.sh": script.replacingOccurrences(of: "12345678", with: "Zq7xLmP2vR9tKw4N")], ["--select", "PS104,PS403"])
        #expect(Self.codes(text) == ["PS104"], "\(text)")
        let workflow = """
            on: workflow_dispatch
            jobs:
              agent:
                runs-on: ubuntu-latest
                env:
                  BB_NUM: "12345678"
                steps:
                  - run: prefect agent kubernetes install -l prod --env PREFECT__CONTEXT__SECRETS__TOKEN=$BB_NUM | kubectl apply -f -
            """
        let ci = try await Self.findings([".github/workflows/agent.yml": workflow], ["--select", "PS104,PS403"])
        #expect(Self.codes(ci) == ["PS104", "PS403"], "\(ci)")
        let unset = try await Self.findings([".github/workflows/agent.yml": workflow.replacingOccurrences(of: "BB_NUM: ", with: "OTHER: ")], ["--select", "PS104,PS403"])
        #expect(Self.codes(unset) == [], "\(unset)")
    }

    /// Agents that a terminal multiplexer or cron keeps running are agents of the project.
    @Test func agentsStartedInScreenTmuxOrCron() async throws {
        let flow = Self.flowHeader + "with Flow('f', run_config=LocalRun(labels=['gpu'])) as flow:\n    PrefectSecret('DB_PASS')\n"
        for start in [
            "screen -dmS agent prefect agent local start --label gpu", "tmux new -d -s agent \"prefect agent local start --label gpu\"",
            "tmux new-session -d -s agent prefect agent local start --label gpu",
        ] {
            let found = try await Self.findings(["flows/f.py": flow, "start.sh": "export PREFECT__BACKEND=server\n\(start)\n"], ["--select", "PS201,PS203"])
            #expect(Self.codes(found) == ["PS201"], "\(start): \(found)")
        }
        let listed = try await Self.findings(["flows/f.py": flow, "start.sh": "export PREFECT__BACKEND=server\nscreen -ls\n"], ["--select", "PS201,PS203"])
        #expect(Self.codes(listed) == [], "\(listed)")
        // A crontab's variables reach every job; a system crontab names the user first.
        let cron = "PREFECT__BACKEND=server\n@reboot /opt/venv/bin/prefect agent local start --label gpu\n"
        let user = try await Self.findings(["flows/f.py": flow, "crontab": cron], ["--select", "PS201,PS203"])
        #expect(Self.codes(user) == ["PS201"], "\(user)")
        #expect((user.first?["message"] as? String)?.contains("backend server") == true, "\(user)")
        let system = try await Self.findings(
            ["flows/f.py": flow, "etc/cron.d/agent": cron.replacingOccurrences(of: "@reboot ", with: "@reboot prefect ")], ["--select", "PS201,PS203"])
        #expect(Self.codes(system) == ["PS201"], "\(system)")
        let noBackend = try await Self.findings(["flows/f.py": flow, "crontab": "@reboot prefect agent local start --label gpu\n"], ["--select", "PS201,PS203"])
        #expect(Self.codes(noBackend) == [], "\(noBackend)")
    }

    /// A nested secret's key is named where its value changes; `context.secret` is no secrets table.
    @Test func nestedLossAndSingularSecretPrefix() async throws {
        let nested = try await Self.findings(["config.toml": "[context.secrets.DB]\nUSER = \"alice\"\nPASSWORD = \"1234\"\n"], ["--select", "PS403"])
        #expect(nested.compactMap { $0["message"] as? String }.map { $0.hasPrefix("secret DB.PASSWORD does not survive") && $0.contains("a dict whose PASSWORD is an int") } == [true], "\(nested)")
        let singular = try await Self.findings(["start.sh": "export PREFECT__CONTEXT__SECRET__TOKEN=\"$TOKEN\"\n"], ["--select", "PS407"])
        #expect(Self.codes(singular) == ["PS407"], "\(singular)")
        let plural = try await Self.findings(["start.sh": "export PREFECT__CONTEXT__SECRETS__TOKEN=\"$TOKEN\"\n"], ["--select", "PS407"])
        #expect(Self.codes(plural) == [], "\(plural)")
        let table = try await Self.findings(["config.toml": "[context.secret]\nTOKEN = \"$TOKEN\"\n"], ["--select", "PS407"])
        #expect(Self.codes(table) == ["PS407"], "\(table)")
    }

    /// `storage.secrets` set after the storage is built is loaded like `secrets=[…]`: a
    /// default name listed there comes from Cloud, and every name listed is needed.
    @Test func storageSecretsAssignedAfterConstruction() async throws {
        func flow(_ lines: String) -> String {
            "from prefect import Flow\nfrom prefect.storage import GitHub\nfrom prefect.run_configs import DockerRun\nwith Flow('sync') as flow:\n    pass\n"
                + lines + "flow.run_config = DockerRun(labels=['docker'])\n"
        }
        let files = ["agent.sh": "prefect agent docker start --label docker\n", "cloud.txt": "GITHUB_ACCESS_TOKEN\n"]
        let arguments = ["--backend", "cloud", "--cloud-secrets"]
        for lines in [
            "storage = GitHub(repo='a/b', path='f.py')\nstorage.secrets = ['GITHUB_ACCESS_TOKEN', 'MISSING_ONE']\nflow.storage = storage\n",
            "flow.storage = GitHub(repo='a/b', path='f.py')\nflow.storage.secrets.append('GITHUB_ACCESS_TOKEN')\nflow.storage.secrets += ['MISSING_ONE']\n",
        ] {
            let root = try makeTree((files.merging(["flows/f.py": flow(lines)]) { a, _ in a }).mapValues(text))
            defer { try? FileManager.default.removeItem(atPath: root) }
            let result = await runCLI(["check", "--format", "json", "--fail-on", "never"] + arguments + [root + "/cloud.txt", root])
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let found = (object?["findings"] as? [[String: Any]]) ?? []
            #expect(found.map { "\($0["rule"] ?? "") \($0["secret"] ?? "")" } == ["PS201 MISSING_ONE"], "\(lines): \(found)")
        }
        // The token kept in Cloud, where the storage does not look.
        let root = try makeTree((files.merging(["flows/f.py": flow("flow.storage = GitHub(repo='a/b', path='f.py')\n")]) { a, _ in a }).mapValues(text))
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--format", "json", "--fail-on", "never"] + arguments + [root + "/cloud.txt", root])
        let unlisted = (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]] ?? []
        #expect(Self.codes(unlisted) == ["PS206"], "\(unlisted)")
    }

    /// Backend rules in the middle of a migration: a Client that names Cloud as its server,
    /// an agent's own PREFECT__BACKEND over the machine's config, a backend spelt wrong beside
    /// an API URL written out.
    @Test func migrationBackendSettings() async throws {
        let script = "import os\nfrom prefect import Client\nclient = Client(api_server=\"https://api.prefect.io\", api_key=os.environ[\"KEY\"])\nclient.set_secret(name=\"X\", value=os.environ[\"X\"])\n"
        let config = ["prefect/config.toml": "backend = \"server\"\n"]
        let toCloud = try await Self.findings(config.merging(["migrate.py": script]) { a, _ in a }, ["--select", "PS301"])
        #expect(Self.codes(toCloud) == [], "\(toCloud)")
        let toServer = try await Self.findings(
            config.merging(["migrate.py": script.replacingOccurrences(of: "https://api.prefect.io", with: "http://localhost:4200")]) { a, _ in a }, ["--select", "PS301"])
        #expect(Self.codes(toServer) == ["PS301"], "\(toServer)")

        let agent = "export PREFECT__BACKEND=cloud\nprefect agent local start -l etl\n"
        let overridden = try await Self.findings(config.merging(["start.sh": agent]) { a, _ in a }, ["--select", "PS304"])
        #expect(overridden.map { "\($0["rule"] ?? "") \($0["path"] ?? "")" } == ["PS304 prefect/config.toml"], "\(overridden)")
        let agreeing = try await Self.findings(config.merging(["start.sh": agent.replacingOccurrences(of: "=cloud", with: "=server")]) { a, _ in a }, ["--select", "PS304"])
        #expect(Self.codes(agreeing) == [], "\(agreeing)")

        let manifest = "prefect agent kubernetes install -b Server -l etl --api https://api.prefect.io | kubectl apply -f -\n"
        let misspelt = try await Self.findings(["install.sh": manifest], ["--select", "PS305"])
        #expect((misspelt.first?["message"] as? String)?.contains("still stands") == true, "\(misspelt)")
    }

    /// A compose agent reads the backend.toml its service mounts; a template or fixture
    /// config is no agent's; a factory's own task instance belongs to the flow it builds.
    @Test func mountedBackendTemplatesAndFactories() async throws {
        let flow = Self.flowHeader + "with Flow('f', storage=Module('flows.f'), run_config=DockerRun(labels=['docker'])) as flow:\n    PrefectSecret('TOKEN')\n"
        let compose = """
            services:
              agent:
                image: prefecthq/prefect:1.4.1-python3.9
                command: prefect agent docker start --label docker
                volumes:
                  - ./prefect-home:/root/.prefect
            """
        let mounted = try await Self.findings(["flows/f.py": flow, "docker-compose.yml": compose, "prefect-home/backend.toml": "backend = \"server\"\n"], ["--select", "PS201"])
        #expect(Self.codes(mounted) == ["PS201"], "\(mounted)")
        let unmounted = try await Self.findings(
            ["flows/f.py": flow, "docker-compose.yml": compose.replacingOccurrences(of: "prefect-home", with: "other"), "prefect-home/backend.toml": "backend = \"server\"\n"],
            ["--select", "PS201"])
        #expect(Self.codes(unmounted) == [], "\(unmounted)")

        let local = Self.flowHeader + "with Flow('g', run_config=LocalRun(labels=['etl'])) as flow:\n    PrefectSecret('WAREHOUSE_PASSWORD')\n"
        let agent = "prefect backend server\nprefect agent local start --label etl\n"
        for name in ["config.example.toml", "tests/fixtures/config.toml"] {
            let template = try await Self.findings(["flows/g.py": local, "agent.sh": agent, name: "[context.secrets]\nWAREHOUSE_PASSWORD = \"x\"\n"], ["--select", "PS201"])
            #expect(Self.codes(template) == ["PS201"], "\(name): \(template)")
        }
        let real = try await Self.findings(["flows/g.py": local, "agent.sh": agent, "config.toml": "[context.secrets]\nWAREHOUSE_PASSWORD = \"x\"\n"], ["--select", "PS201"])
        #expect(Self.codes(real) == [], "\(real)")

        let factories = """
            from prefect import Flow
            from prefect.tasks.notifications import SlackTask
            from prefect.run_configs import DockerRun
            from prefect.storage import Module
            def make_etl(cfg):
                slack = SlackTask(webhook_secret="ETL_SLACK_WEBHOOK")
                with Flow(cfg["name"], storage=Module("flows.f"), run_config=DockerRun(labels=["docker"])) as f:
                    slack(message="done")
                return f
            def make_other(cfg):
                with Flow(cfg["name"], storage=Module("flows.f"), run_config=DockerRun(labels=["docker"])) as f:
                    pass
                return f

            """
        let linked = try await Self.findings(["flows/f.py": factories, "agent.sh": "export PREFECT__BACKEND=server\nprefect agent docker start --label docker\n"], ["--select", "PS201"])
        #expect(linked.compactMap { $0["secret"] as? String } == ["ETL_SLACK_WEBHOOK"], "\(linked)")
    }

    /// Bitbucket Pipelines, CircleCI and Azure Pipelines jobs that start an agent are agents of
    /// the project, with their variables as the agent's process env and their `--env` flags as
    /// the flow run's; a literal secret in their variables is a plaintext secret (helper round 38).
    @Test func agentsStartedByOtherCISystems() async throws {
        let flow = Self.flowHeader + "with Flow('f', run_config=DockerRun(labels=['ci']), storage=Module('flows.f')) as flow:\n    PrefectSecret('DB_PASSWORD')\n"
        let start = "prefect agent docker start --label ci --env PREFECT__CONTEXT__SECRETS__DB_PASSWORD=$DB_PASSWORD"
        let files: [(String, String)] = [
            ("bitbucket-pipelines.yml", """
                pipelines:
                  branches:
                    main:
                      - parallel:
                          - step:
                              script:
                                - export PREFECT__BACKEND=server
                                - export PREFECT__CONTEXT__SECRETS__API_TOKEN=Vq8rT2mX6pLw
                                - \(start)
                """),
            (".circleci/config.yml", """
                version: 2.1
                jobs:
                  agent:
                    docker:
                      - image: prefecthq/prefect:1.4.1
                        environment:
                          PREFECT__BACKEND: server
                    steps:
                      - run:
                          environment:
                            PREFECT__CONTEXT__SECRETS__API_TOKEN: Vq8rT2mX6pLw
                          command: \(start)
                """),
            ("azure-pipelines.yml", """
                variables:
                  - name: PREFECT__BACKEND
                    value: server
                stages:
                  - stage: deploy
                    jobs:
                      - job: agent
                        variables:
                          PREFECT__CONTEXT__SECRETS__API_TOKEN: Vq8rT2mX6pLw
                        steps:
                          - script: \(start)
                          - powershell: prefect agent local start --label ci
                """),
        ]
        for (path, ci) in files {
            let provided = try await Self.findings(["flows/f.py": flow, path: ci], ["--select", "PS104,PS201,PS203"])
            #expect(Self.codes(provided) == ["PS104"], "\(path): \(provided)")
            #expect(provided.first?["line"] as? Int == ci.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("API_TOKEN") }.map { $0 + 1 }, "\(path)")
            let missing = try await Self.findings(["flows/f.py": flow, path: ci.replacingOccurrences(of: "SECRETS__DB_PASSWORD", with: "SECRETS__OTHER")], ["--select", "PS201,PS203"])
            #expect(Self.codes(missing) == ["PS201"], "\(path): \(missing)")
            #expect((missing.first?["message"] as? String)?.contains(path) == true, "\(path): \(missing)")
        }
    }

    /// What CI systems reuse and carry between steps (helper round 41): GitHub's
    /// `$GITHUB_ENV` reaches later steps, GitLab's `!reference` scripts, Azure deployment jobs,
    /// CircleCI executors and reusable commands; GitHub and CircleCI pass `$` in env values on
    /// as written, so Prefect expands it.
    @Test func ciReuseAndCarriedEnvironment() async throws {
        let flow = Self.flowHeader + "with Flow('f', run_config=LocalRun(labels=['ci'])) as flow:\n    PrefectSecret('DB_PASSWORD')\n"
        let githubEnv = """
            on: push
            jobs:
              agent:
                runs-on: self-hosted
                env:
                  PREFECT__BACKEND: server
                steps:
                  - run: echo "PREFECT__CONTEXT__SECRETS__DB_PASSWORD=Vq8rT2mX6pLw" >> $GITHUB_ENV
                  - run: prefect agent local start --label ci
            """
        let carried = try await Self.findings(["flows/f.py": flow, ".github/workflows/a.yml": githubEnv], ["--select", "PS104,PS201"])
        #expect(Self.codes(carried) == ["PS104"], "\(carried)")
        #expect(carried.first?["line"] as? Int == 8)
        let gitlab = """
            .setup:
              script:
                - export PREFECT__BACKEND=server
            agent:
              script:
                - !reference [.setup, script]
                - prefect agent local start --label ci
            """
        #expect(Self.codes(try await Self.findings(["flows/f.py": flow, ".gitlab-ci.yml": gitlab], ["--select", "PS201"])) == ["PS201"])
        let azure = """
            variables:
              PREFECT__BACKEND: server
            jobs:
              - deployment: agent
                environment: prod
                strategy:
                  runOnce:
                    deploy:
                      steps:
                        - script: prefect agent local start --label ci
            """
        #expect(Self.codes(try await Self.findings(["flows/f.py": flow, "azure-pipelines.yml": azure], ["--select", "PS201,PS203"])) == ["PS201"])
        let circle = """
            version: 2.1
            executors:
              py:
                environment:
                  PREFECT__BACKEND: server
                  PREFECT__CONTEXT__SECRETS__DB_PASSWORD: 'pa${ss}word'
            commands:
              start-agent:
                steps:
                  - run: prefect agent local start --label ci
            jobs:
              agent:
                executor: py
                steps:
                  - checkout
                  - start-agent
            """
        let circled = try await Self.findings(["flows/f.py": flow, ".circleci/config.yml": circle], ["--select", "PS201,PS203,PS403"])
        #expect(Self.codes(circled) == ["PS403"], "\(circled)")
    }
}

extension ProjectVerdictTests {
    /// `--label "$AGENT_LABEL"` in a shell that the image starts (a Dockerfile's shell-form
    /// `CMD`, `sh -c`, a script a compose service runs) is the value of the variable in the
    /// container's env: the image's `ENV`, which a compose service's `environment` overrides.
    /// Exec form passes the text as it is; an `ARG` value, or none, leaves the label unknown.
    @Test func labelVariablesExpandFromTheImageEnvironment() async throws {
        let flow = Self.dockerRunFlowReadingDBPassword
        func codes(_ files: [String: String]) async throws -> [String] {
            Self.codes(try await Self.findings(files.merging(["flows/etl.py": flow]) { a, _ in a }, ["--backend", "server", "--select", "PS201,PS203"]))
        }
        func dockerfile(_ env: String, _ command: String) -> String { "FROM prefecthq/prefect:1.4.1\n\(env)\n\(command)\n" }
        let shellForm = "CMD prefect agent docker start --label \"$AGENT_LABEL\""
        // The agent runs the flow and does not provide its secret; under another label it runs nothing.
        #expect(try await codes(["Dockerfile": dockerfile("ENV AGENT_LABEL=prod", shellForm)]) == ["PS201"])
        #expect(try await codes(["Dockerfile": dockerfile("ENV AGENT_LABEL=staging", shellForm)]) == ["PS203"])
        #expect(try await codes(["Dockerfile": dockerfile("ENV AGENT_LABEL=prod", "CMD [\"sh\", \"-c\", \"prefect agent docker start -l ${AGENT_LABEL}\"]")]) == ["PS201"])
        #expect(
            try await codes(["Dockerfile": dockerfile("ENV AGENT_LABEL=prod", "CMD [\"prefect\", \"agent\", \"docker\", \"start\", \"-l\", \"$AGENT_LABEL\"]")]) == ["PS203"])
        // The command's own prefix comes after its words are expanded.
        #expect(try await codes(["Dockerfile": dockerfile("ENV AGENT_LABEL=staging", "CMD AGENT_LABEL=prod " + shellForm.dropFirst(4))]) == ["PS203"])
        // Unknown: may run it, which no rule reports.
        #expect(try await codes(["Dockerfile": dockerfile("ARG L=prod\nENV AGENT_LABEL=$L", shellForm)]).isEmpty)
        #expect(try await codes(["Dockerfile": dockerfile("", shellForm)]).isEmpty)
        // Unquoted, a value with a blank is several words.
        #expect(try await codes(["Dockerfile": dockerfile("ENV AGENT_LABEL=\"prod gpu\"", "CMD prefect agent docker start --label $AGENT_LABEL")]).isEmpty)
        // A compose service's environment wins over the image's ENV.
        let compose = "services:\n  agent:\n    build: .\n    environment:\n      AGENT_LABEL: prod\n"
        #expect(try await codes(["Dockerfile": dockerfile("ENV AGENT_LABEL=staging", shellForm), "docker-compose.yml": compose]) == ["PS201"])
        #expect(
            try await codes([
                "Dockerfile": dockerfile("ENV AGENT_LABEL=prod", shellForm),
                "docker-compose.yml": compose.replacingOccurrences(of: "AGENT_LABEL: prod", with: "AGENT_LABEL: staging"),
            ]) == ["PS203"])
        // A script the service runs expands it from the service's env; `docker run` in a script
        // is expanded by the script's own shell, before the container's `-e` exists.
        let script = "#!/bin/sh\nexec prefect agent docker start --label \"$AGENT_LABEL\"\n"
        let runsScript = "services:\n  agent:\n    image: prefecthq/prefect:1.4.1\n    volumes: [\"./start-agent.sh:/opt/start-agent.sh\"]\n    command: /opt/start-agent.sh\n    environment:\n      AGENT_LABEL: prod\n"
        #expect(try await codes(["start-agent.sh": script, "docker-compose.yml": runsScript]) == ["PS201"])
        #expect(try await codes(["start-agent.sh": "#!/bin/sh\ndocker run -e AGENT_LABEL=prod img prefect agent docker start -l \"$AGENT_LABEL\"\n"]).isEmpty)
        // A default stands when nothing sets the variable.
        #expect(try await codes(["Dockerfile": dockerfile("", "CMD prefect agent docker start --label \"${AGENT_LABEL:-prod}\"")]) == ["PS201"])
        #expect(try await codes(["Dockerfile": dockerfile("ENV AGENT_LABEL=staging", "CMD prefect agent docker start --label \"${AGENT_LABEL:-prod}\"")]) == ["PS203"])
        // A script run from a login shell may get the variable from there.
        #expect(try await codes(["start-agent.sh": "#!/bin/sh\nprefect agent docker start --label \"${AGENT_LABEL:-staging}\"\n"]).isEmpty)
        #expect(
            try await codes(["start-agent.sh": script.replacingOccurrences(of: "$AGENT_LABEL", with: "${AGENT_LABEL:-prod}"), "docker-compose.yml": runsScript.replacingOccurrences(of: "AGENT_LABEL: prod", with: "OTHER: x")]) == ["PS201"])
    }

    /// Compose fills `${AGENT_LABEL}` in its `command` from the `.env` file beside the compose
    /// file (not from the service's `environment`), or with the reference's default; `$$` is
    /// a `$` it leaves alone.
    @Test func composeLabelsFromItsEnvFile() async throws {
        let flow = Self.dockerRunFlowReadingDBPassword
        func codes(_ files: [String: String]) async throws -> [String] {
            Self.codes(try await Self.findings(files.merging(["flows/etl.py": flow]) { a, _ in a }, ["--backend", "server", "--select", "PS201,PS203"]))
        }
        func compose(_ label: String, environment: String = "") -> String {
            "services:\n  agent:\n    image: prefecthq/prefect:1.4.1\n    command: prefect agent docker start --label \(label)\n\(environment)"
        }
        #expect(try await codes(["deploy/docker-compose.yml": compose("${AGENT_LABEL}"), "deploy/.env": "AGENT_LABEL=prod\n"]) == ["PS201"])
        #expect(try await codes(["deploy/docker-compose.yml": compose("$AGENT_LABEL"), "deploy/.env": "AGENT_LABEL=staging\n"]) == ["PS203"])
        #expect(try await codes(["deploy/docker-compose.yml": compose("${AGENT_LABEL:-prod}")]) == ["PS201"])
        #expect(try await codes(["deploy/docker-compose.yml": compose("${AGENT_LABEL:-prod}"), "deploy/.env": "AGENT_LABEL=\n"]) == ["PS201"])
        // Not set where compose looks (another folder's .env, the service's environment), or escaped: unknown.
        #expect(try await codes(["deploy/docker-compose.yml": compose("${AGENT_LABEL}"), ".env": "AGENT_LABEL=staging\n"]).isEmpty)
        #expect(try await codes(["deploy/docker-compose.yml": compose("${AGENT_LABEL}", environment: "    environment: {AGENT_LABEL: staging}\n")]).isEmpty)
        #expect(try await codes(["deploy/docker-compose.yml": compose("$$AGENT_LABEL"), "deploy/.env": "AGENT_LABEL=staging\n"]).isEmpty)
    }
}

extension ProjectVerdictTests {
    /// A Python module that sets a secret in `os.environ` before it starts a Docker agent is
    /// told to pass it in the agent's `env_vars` (a script is told `--env`).
    @Test func agentEnvNotForwardedAdvisesEnvVarsInPython() async throws {
        let flow = Self.flowHeader + """
            with Flow("etl", run_config=DockerRun(labels=["prod"]), storage=Module("flows.etl")) as flow:
                PrefectSecret("DB_PASSWORD")

            """
        let module = """
            import os
            from prefect.agent.docker import DockerAgent

            os.environ["PREFECT__CONTEXT__SECRETS__DB_PASSWORD"] = os.environ["DB_PW"]
            DockerAgent(labels=["prod"]).start()

            """
        let python = try await Self.findings(["flows/etl.py": flow, "run_agent.py": module], ["--select", "PS207"])
        #expect(python.compactMap { $0["message"] as? String }.map { $0.hasSuffix("pass it in the agent's env_vars instead") } == [true], "\(python)")
        let script = "#!/bin/sh\nexport PREFECT__CONTEXT__SECRETS__DB_PASSWORD=\"$DB_PW\"\nprefect agent docker start --label prod\n"
        let shell = try await Self.findings(["flows/etl.py": flow, "start-agent.sh": script], ["--select", "PS207"])
        #expect(shell.compactMap { $0["message"] as? String }.map { $0.hasSuffix("pass it with --env or PREFECT__CLOUD__AGENT__ENV_VARS instead") } == [true], "\(shell)")
    }
}

extension ProjectVerdictTests {
    /// supervisord runs `command=` without a shell: `$NAME` reaches the agent as written (a
    /// Docker agent's runs then get the text `$DB_PW`, which nothing in them expands), and a
    /// label `$ROLE` is that text. Only its own `%(ENV_NAME)s` is filled in (unknown here).
    @Test func supervisordCommandsAreNotExpandedByAShell() async throws {
        let flow = Self.dockerRunFlowReadingDBPassword
        func findings(_ command: String) async throws -> [[String: Any]] {
            let conf = "[program:prefect-agent]\ncommand=\(command)\nenvironment=PREFECT__BACKEND=\"server\",DB_PW=\"x\",ROLE=\"prod\"\n"
            return try await Self.findings(["flows/etl.py": flow, "supervisord.conf": conf], ["--select", "PS201,PS203"])
        }
        let passed = try await findings("prefect agent docker start --label prod --env PREFECT__CONTEXT__SECRETS__DB_PASSWORD=$DB_PW")
        #expect(Self.codes(passed) == ["PS201"] && (passed.first?["message"] as? String)?.contains("in a supervisord command") == true, "\(passed)")
        #expect(Self.codes(try await findings("prefect agent docker start --label prod --env PREFECT__CONTEXT__SECRETS__DB_PASSWORD=%(ENV_DB_PW)s")).isEmpty)
        #expect(Self.codes(try await findings("prefect agent docker start --label $ROLE --env PREFECT__CONTEXT__SECRETS__DB_PASSWORD=x")) == ["PS203"])
        #expect(Self.codes(try await findings("prefect agent docker start --label %(ENV_ROLE)s --env PREFECT__CONTEXT__SECRETS__DB_PASSWORD=x")).isEmpty)
    }
}

extension ProjectVerdictTests {
    /// The inventory says where a `--label "$NAME"` got its value: the assignment, or the
    /// reference's default.
    @Test func inventoryNamesWhereLabelVariablesAreSet() async throws {
        let compose = "services:\n  agent:\n    image: prefecthq/prefect:1.4.1\n    command: prefect agent docker start --label ${AGENT_LABEL} -l ${POOL:-gpu}\n"
        let root = try makeTree(["deploy/docker-compose.yml": compose, "deploy/.env": "# agent settings\nAGENT_LABEL=prod\n"].mapValues(text))
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["inventory", root])
        #expect(result.stdout.contains("labels gpu,prod, backend"), "\(result.stdout)")
        #expect(result.stdout.contains("    label from:   AGENT_LABEL (deploy/.env:2), POOL (its default)\n"), "\(result.stdout)")
        let json = await runCLI(["inventory", "--format", "json", root])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let agent = (object?["agents"] as? [[String: Any]])?.first
        let sources = agent?["label_variables"] as? [[String: Any]]
        #expect(sources?.map { "\($0["variable"] ?? "") \($0["set_at"] ?? "nil")" } == ["AGENT_LABEL deploy/.env:2", "POOL <null>"], "\(String(describing: sources))")
    }
}

extension ProjectVerdictTests {
    /// A file the project reads env from is read as its reader reads it, whatever its name:
    /// `docker run --env-file env.list` (Docker's own example name) reads a dotenv-like file,
    /// `. deploy/agent.conf` a shell script. Before, neither name was read and the secret
    /// they provide was missing; the same file not named as an env file stays text.
    @Test func filesNamedAsEnvFilesAreReadWhateverTheirName() async throws {
        let flow = Self.flowHeader + """
            with Flow("etl", run_config=LocalRun(labels=["prod"])) as flow:
                PrefectSecret("DB_PASSWORD")

            """
        let envList = "PREFECT__CONTEXT__SECRETS__DB_PASSWORD=${DB_PW}\n"
        let docker = "#!/bin/sh\ndocker run -d -e PREFECT__BACKEND=server --env-file deploy/env.list prefecthq/prefect:1.4.1 prefect agent local start --label prod\n"
        let read = try await Self.findings(["flows/etl.py": flow, "deploy/env.list": envList, "deploy/start.sh": docker], ["--select", "PS2,PS3"])
        #expect(Self.codes(read).isEmpty, "\(read)")
        let unnamed = docker.replacingOccurrences(of: "--env-file deploy/env.list ", with: "")
        let missing = try await Self.findings(["flows/etl.py": flow, "deploy/env.list": envList, "deploy/start.sh": unnamed], ["--select", "PS2,PS3"])
        #expect(Self.codes(missing) == ["PS201"], "\(missing)")

        let conf = "# agent settings\nexport PREFECT__BACKEND=server\nif [ -n \"$DB_PW\" ]; then\n  export PREFECT__CONTEXT__SECRETS__DB_PASSWORD=\"$DB_PW\"\nfi\n"
        let sourcing = "#!/bin/bash\n. deploy/agent.conf\nexec prefect agent local start --label prod\n"
        let sourced = try await Self.findings(["flows/etl.py": flow, "deploy/agent.conf": conf, "deploy/start.sh": sourcing], ["--select", "PS2,PS3"])
        #expect(Self.codes(sourced).isEmpty, "\(sourced)")
        // Read as a dotenv file the `if` lines would be assignments no shell makes.
        let inventory = try makeTree(["flows/etl.py": flow, "deploy/agent.conf": conf, "deploy/start.sh": sourcing].mapValues(text))
        defer { try? FileManager.default.removeItem(atPath: inventory) }
        let shown = await runCLI(["inventory", inventory])
        #expect(shown.stdout.contains("process env:  PREFECT__BACKEND, PREFECT__CONTEXT__SECRETS__DB_PASSWORD (inherited by flow runs)"), "\(shown.stdout)")
    }
}

extension ProjectVerdictTests {
    /// A secret name computed from a text around it (`f"DB_PASSWORD_{stage}"`) uses every
    /// secret it can be: PS205 reports a provided secret it cannot be, saying which form the
    /// flow reads when the secret's name is that form's fixed text cut short; a name the tool
    /// cannot read at all keeps PS205 silent.
    @Test func unusedSecretKnowsTheFormsOfComputedNames() async throws {
        func flow(_ name: String) -> String {
            Self.flowHeader + """
                STAGE = __import__("os").environ["STAGE"]

                with Flow("etl", run_config=LocalRun(labels=["prod"])) as flow:
                    PrefectSecret(\(name))

                """
        }
        let config = "[context.secrets]\nDB_PASSWORD = \"${DB_PW}\"\nDB_PASSWORD_PROD = \"${DB_PW}\"\n"
        let computed = try await Self.findings(["flows/etl.py": flow("f\"DB_PASSWORD_{STAGE}\""), "config.toml": config], ["--select", "PS205"])
        #expect(computed.compactMap { $0["message"] as? String } == [
            "secret DB_PASSWORD is provided here but no flow or component in the project references it; flows/etl.py:9 reads names of the form DB_PASSWORD_{…}, which it is not"
        ], "\(computed)")
        let unread = try await Self.findings(["flows/etl.py": flow("STAGE"), "config.toml": config], ["--select", "PS205"])
        #expect(unread.isEmpty, "\(unread)")
    }
}

extension ProjectVerdictTests {
    /// A secret name computed from a text around it fails a Server run that has no secret of
    /// that form, whatever fills it in; one of that form, under any stage's name, may be it.
    @Test(arguments: [#"f"DB_PASSWORD_{stage}""#, #""DB_PASSWORD_" + stage"#, #""DB_PASSWORD_{}".format(stage)"#, #""DB_PASSWORD_%s" % stage"#])
    func secretMissingForAgentKnowsTheFormsOfComputedNames(name: String) async throws {
        let flow = Self.flowHeader + """
            import os

            @task
            def connect(stage):
                return Secret(\(name)).get()

            with Flow("etl", run_config=DockerRun(labels=["prod"]), storage=Module("flows.etl")) as flow:
                connect(os.environ["STAGE"])

            """
        func findings(_ env: String) async throws -> [[String: Any]] {
            let agent = "#!/bin/sh\nexport PREFECT__BACKEND=server\nprefect agent docker start --label prod --env \(env)\n"
            return try await Self.findings(["flows/etl.py": flow, "start-agent.sh": agent], ["--select", "PS201"])
        }
        let missing = try await findings("PREFECT__CONTEXT__SECRETS__DB_PASSWORD=\"$PW\"")
        #expect(missing.compactMap { $0["message"] as? String }.map { $0.contains("needs a secret named DB_PASSWORD_{…} (the name is computed at run time)") && $0.hasSuffix("provides none of that form and backend server has no secret store to fall back on") } == [true], "\(missing)")
        #expect(try await findings("PREFECT__CONTEXT__SECRETS__DB_PASSWORD_PROD=\"$PW\"").isEmpty)
    }
}

extension ProjectVerdictTests {
    /// Where no agent runs the flow, the inventory points to none "below" for a secret the
    /// run's environment may give (EnvVarSecret, a storage token read from the environment).
    @Test func inventoryWithoutAgentsPointsToNone() async throws {
        let flow = """
            from prefect import Flow
            from prefect.storage import GitHub
            from prefect.tasks.secrets import EnvVarSecret

            with Flow("etl", storage=GitHub(repo="org/etl", path="flows/etl.py")) as flow:
                EnvVarSecret("WAREHOUSE_DSN")

            """
        let alone = try await Self.inventory(["flows/etl.py": flow])
        #expect(alone.contains("provided by no secret source; EnvVarSecret reads the flow run's environment\n"), "\(alone)")
        #expect(alone.contains("the run's environment variable GITHUB_ACCESS_TOKEN stands in where the run has it\n"), "\(alone)")
        let agent = "#!/bin/sh\nprefect agent local start --no-hostname-label\n"
        let run = try await Self.inventory(["flows/etl.py": flow, "start.sh": agent])
        #expect(run.contains("EnvVarSecret reads the flow run's environment, as each agent below gives it\n"), "\(run)")
        #expect(run.contains("GITHUB_ACCESS_TOKEN stands in where an agent below gives it\n"), "\(run)")
    }
}

extension ProjectVerdictTests {
    /// A secret's value given where a component takes a secret's name (`Secret("X").get()`,
    /// also through a module variable, or `PrefectSecret("X").run()`) fails the run: Prefect
    /// looks up a secret named after the value. The name itself is what it takes.
    @Test func secretValueGivenAsANameFailsTheRun() async throws {
        func findings(_ token: String, before: String = "") async throws -> [String] {
            let flow = Self.flowHeader + """
                from prefect.storage import GitHub
                \(before)
                with Flow("etl", run_config=DockerRun(labels=["prod"]), storage=GitHub(repo="org/etl", path="etl.py", access_token_secret=\(token))) as flow:
                    pass

                """
            let agent = "#!/bin/sh\nexport PREFECT__BACKEND=server\nprefect agent docker start --label prod --env PREFECT__CONTEXT__SECRETS__GITHUB_PAT=\"$PAT\"\n"
            return try await Self.findings(["flows/etl.py": flow, "start-agent.sh": agent], ["--select", "PS201"]).compactMap { $0["message"] as? String }
        }
        let failure = "the component is given the value of secret GITHUB_PAT, read where the flow is built, where it takes a secret's name"
        for (token, before) in [("Secret(\"GITHUB_PAT\").get()", ""), ("token", "token = Secret(\"GITHUB_PAT\").get()"), ("PrefectSecret(\"GITHUB_PAT\").run()", "")] {
            let found = try await findings(token, before: before)
            #expect(found.count == 1 && found[0].contains(failure), "\(token): \(found)")
        }
        #expect(try await findings("\"GITHUB_PAT\"").isEmpty)
    }
}
