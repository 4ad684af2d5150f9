import PrefectModel
@testable import Rules
import Spans
import Testing

/// The Python rules on small snippets (`RuleExampleTests` runs their rule-file examples).
@Suite struct PythonRulesTests {
    static let catalogue = RuleCatalogue((try? BundledRules.load().map(\.description)) ?? [])
    static let rules: [String: any FileRule] = [
        "PS102": HardcodedSecretArgumentRule(), "PS106": SecretInFlowMetadataRule(), "PS401": SecretReadAtBuildTimeRule(),
        "PS402": SecretLoadedInsideTaskRule(), "PS404": UnexpressibleSecretNameRule(), "PS405": HardcodedSecretNameRule(),
        "PS104": PlaintextSecretEnvRule(),
    ]

    static func run(_ code: String, _ text: String, path: String = "flows/example.py") -> [Finding] {
        let file = SourceFile(path: path, text: text)
        let analysis = PythonAnalyzer().analyze(file, kind: .python)
        var sink = FindingSink(catalogue: catalogue)
        rules[code]?.check(FileContext(file: file, analysis: analysis, settings: RuleSettings()), into: &sink)
        return sink.findings.filter { $0.code == code }
    }

    /// A script that builds no flow and drives the API client at its top level is run by a
    /// person: its module-level reads are not reported. A module that also builds a flow,
    /// or one whose client call is inside a function, still is.
    @Test func clientScriptsReadAtTheirTopLevel() {
        let script = """
            from prefect import Client
            from prefect.client import Secret
            VALUE = Secret("GCP_CREDENTIALS").get()
            client = Client()
            client.create_flow_run(version_group_id="x", parameters={"name": "GCP_CREDENTIALS"})
            """
        #expect(Self.run("PS401", script).isEmpty)
        let deferred = script.replacingOccurrences(of: "client.create_flow_run(", with: "def trigger():\n    client.create_flow_run(")
        #expect(Self.run("PS401", deferred).map(\.secretName) == ["GCP_CREDENTIALS"])
        let withFlow = script + "\nfrom prefect import Flow\nwith Flow('f') as flow:\n    pass\n"
        #expect(Self.run("PS401", withFlow).map(\.secretName) == ["GCP_CREDENTIALS"])
    }

    @Test func buildTimeSeverity() {
        let text = """
            from prefect import Flow
            from prefect.client import Secret
            A = Secret("A").get()
            with Flow("f") as flow:
                b = Secret("B").get()
            """
        let findings = Self.run("PS401", text)
        #expect(findings.map(\.severity) == [.warning, .error])
        #expect(findings.map(\.secretName) == ["A", "B"])
    }

    /// `EnvVarSecret(...).run()` does not raise while a flow is built: it reads the building
    /// machine's environment into the flow (checked with Prefect 1.4.1).
    @Test func envVarSecretRunWhileBuilding() {
        let text = """
            from prefect import Flow, task
            from prefect.tasks.secrets import EnvVarSecret
            @task
            def load(p): pass
            with Flow("f") as flow:
                load(EnvVarSecret("DB_PASS").run())
                load(EnvVarSecret("DB_USER"))
            """
        let findings = Self.run("PS401", text)
        #expect(findings.map(\.severity) == [.warning])
        #expect(findings.first?.message.contains("reads environment variable DB_PASS inside `with Flow(...)`") == true, "\(findings.map(\.message))")
    }

    /// A secret task has no `get()` (Prefect 1.4.1 raises AttributeError), wherever it is called.
    @Test func secretTaskGetIsAnError() {
        let text = """
            from prefect import Flow, task
            from prefect.tasks.secrets import PrefectSecret
            @task
            def load():
                return PrefectSecret("IN_TASK").get()
            with Flow("f") as flow:
                x = PrefectSecret("IN_FLOW").get()
            """
        let findings = Self.run("PS401", text)
        #expect(findings.map(\.severity) == [.error, .error])
        #expect(findings.map(\.secretName) == ["IN_TASK", "IN_FLOW"])
        #expect(findings.allSatisfy { $0.message.contains("has no get()") })
    }

    @Test(arguments: [
        ("", true), ("<your-token>", true), ("WAREHOUSE_PASSWORD", true), ("/etc/keys/a.pem", true),
        ("Enter the password please", true), (":****", true), ("${TOKEN}", true), ("^(?P<a>[^/]+)/(.+)$", true),
        ("token.json", true), ("keys/sa-key.JSON", true), ("key.pem", true), ("foobarbaz", true),
        ("Tr0ub4dor-and-3", false), ("correct-horse-battery-staple", false), ("eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl", false),
        ("hunter2.json5", false), ("foobarbaz1", false), ("\u{00A0}WAREHOUSE_PASSWORD\t", true), ("one  two   three", true),
        ("ab cd", false), ("\u{0661}\u{0662}\u{0663}\u{0664}", true), ("ab**", true), ("a(b)c[d]", true), ("a(b)c", false),
    ])
    func allowlist(_ value: String, _ allowed: Bool) {
        #expect(HardcodedSecretArgumentRule.isAllowed(value) == allowed)
    }

    @Test func bareTokenNeedsARandomLookingValue() {
        let key = HardcodedSecretLiteral(key: "token", site: .keywordArgument, valueSpan: ByteSpan(0, 1), value: "transpose")
        #expect(!HardcodedSecretArgumentRule.isCandidate(key))
        let random = HardcodedSecretLiteral(key: "token", site: .keywordArgument, valueSpan: ByteSpan(0, 1), value: "a8Fq2ZpLw0")
        #expect(HardcodedSecretArgumentRule.isCandidate(random))
        let password = HardcodedSecretLiteral(key: "password", site: .keywordArgument, valueSpan: ByteSpan(0, 1), value: "transpose")
        #expect(HardcodedSecretArgumentRule.isCandidate(password))
    }

    /// Names that hold something about a secret, not the secret (`secret_version = "latest"`).
    @Test func namesAboutASecretAreNotSecrets() {
        let text = "secret_version = 'latest-one'\nTOKEN_COUNT = 'twenty-two'\npassword_timeout = 'thirty-s'\napi_token = 'Tr0ub4dor-and-3'\n"
        let offset = text.utf8.count - "Tr0ub4dor-and-3'\n".utf8.count
        #expect(Self.run("PS102", text).map(\.span.start) == [offset])
    }

    /// A secret set in `prefect.context` for a run in this process is a provision, not a
    /// read: PS102 says so and advises the environment, and no reference is recorded.
    @Test func contextSecretsSetInCode() {
        let text = """
            import prefect
            from prefect import context
            prefect.context.secrets["DB_PASSWORD"] = "Tr0ub4dor-and-3"
            with context(secrets={"API_TOKEN": "Tr0ub4dor-and-4"}):
                flow.run()
            with prefect.context(secrets=dict(password="Tr0ub4dor-and-5")):
                flow.run()
            cfg = {"password": "Tr0ub4dor-and-6"}
            """
        let messages = Self.run("PS102", text).sorted { $0.span.start < $1.span.start }.map(\.message)
        #expect(
            messages == [
                "a literal secret value is set as secret DB_PASSWORD of prefect.context; read it from the environment when the run starts (os.environ[\"DB_PASSWORD\"]) instead",
                "a literal secret value is set as secret API_TOKEN of prefect.context; read it from the environment when the run starts (os.environ[\"API_TOKEN\"]) instead",
                "a literal secret value is set as secret password of prefect.context; read it from the environment when the run starts (os.environ[\"password\"]) instead",
                "a literal secret value is stored under the key \"password\"; read it at run time with PrefectSecret(\"NAME\") instead",
            ], "\(messages)")
        let facts = PythonAnalyzer().analyze(SourceFile(path: "run.py", text: text + "x = prefect.context.secrets[\"READ\"]\n"), kind: .python).facts
        #expect(facts.secretReferences.map(\.name) == ["READ"])
    }

    /// Tests set stand-in values (`"test-password"`, `"dummy"`): in test code a value made
    /// only of such words is no PS102 or PS104 finding; elsewhere it is, and in tests a value
    /// with any other word or a symbol is.
    @Test func standInValuesOfTestsAreNotFindings() {
        let text = """
            import prefect
            with prefect.context(secrets={"DB_PASSWORD": "test-password", "API_TOKEN": "dummy", "B_TOKEN": "fake_token_1", "C_TOKEN": "s3cr3t-for-tests", "D_PASSWORD": "test-p@ss"}):
                flow.run()

            """
        let values = { (path: String) in Self.run("PS102", text, path: path).map { String(decoding: Array(text.utf8)[$0.span.range], as: UTF8.self) } }
        for path in ["tests/test_etl.py", "flows/tests/helpers.py", "test_etl.py", "etl_test.py", "conftest.py", "flows/test/etl.py", "/ci/tests/conftest.py"] {
            #expect(values(path) == ["s3cr3t-for-tests", "test-p@ss"], "\(path)")
        }
        for path in ["flows/etl.py", "contest.py", "testing/etl.py", "flows/latest_etl.py", "protests/etl.py", "test_data/etl.py", "etl_test.pyc"] {
            #expect(values(path).count == 5, "\(path)")
        }
        // PS104 likewise, for a secret's env var set in code.
        let env = "import os\nos.environ['PREFECT__CONTEXT__SECRETS__A'] = 'dummy-token'\nos.environ['PREFECT__CONTEXT__SECRETS__B'] = 'Tr0ub4dor-and-3'\n"
        #expect(Self.run("PS104", env, path: "tests/test_env.py").count == 1)
        #expect(Self.run("PS104", env, path: "flows/env.py").count == 2)
    }

    @Test func secretNameKeywordsAreNotValues() {
        #expect(Self.run("PS102", "from prefect.storage import GitHub\nGitHub(repo='a/b', access_token_secret='GH_TOKEN_NAME_X1')\n").isEmpty)
        #expect(Self.run("PS102", "import psycopg2\npsycopg2.connect(password='Tr0ub4dor-and-3')\n").count == 1)
    }

    /// A credential that registration reads from the machine's environment into flow metadata
    /// (checked against Prefect 1.4.1: `Flow.serialize()` holds the value).
    @Test func credentialsReadFromTheRegisteringEnvironmentIntoMetadata() {
        let text = """
            import os
            from os import getenv
            from prefect import Flow, Parameter
            from prefect.run_configs import ECSRun
            from prefect.storage import Docker
            KEY = os.environ.get("PREFECT_API_KEY")
            TOKEN = getenv("SLACK_TOKEN")
            HOME = os.environ["HOME"]
            run_config = ECSRun(env={"PREFECT__CLOUD__API_KEY": f"{KEY}", "HOME_DIR": HOME, "PREFECT__CONTEXT__SECRETS__SLACK": TOKEN, "MODE": os.getenv("MODE")})
            with Flow("f", run_config=run_config, storage=Docker(env_vars={"DB_PASSWORD": os.environ["DB_PASSWORD"]})) as flow:
                p = Parameter("api_token", default=os.getenv("API_TOKEN"))
                q = Parameter("region", default=os.getenv("REGION"))
            def helper():
                local = os.environ["WAREHOUSE_PASSWORD"]
                return ECSRun(env={"WAREHOUSE_PASSWORD_COPY": "x" + local})
            """
        let findings = Self.run("PS106", text)
        let lines = findings.map { text.utf8.prefix($0.span.start).filter { $0 == 0x0A }.count + 1 }
        #expect(lines == [9, 9, 10, 11], "\(findings.map(\.message))")
        #expect(findings.first?.message.contains("PREFECT__CLOUD__API_KEY takes its value from PREFECT_API_KEY") == true)
        #expect(findings.allSatisfy { $0.secretSpan == nil })
    }

    /// A run config's env that copies the registering machine's whole environment stores every
    /// credential in it (checked with Prefect 1.4.1's `Flow.serialize()`).
    @Test func wholeEnvironmentCopiedIntoMetadata() {
        let text = """
            import os
            from dotenv import dotenv_values
            from prefect import Flow
            from prefect.run_configs import LocalRun, DockerRun
            ENVS = dotenv_values(".env")
            a = Flow("a", run_config=LocalRun(env=dict(os.environ)))
            b = Flow("b", run_config=DockerRun(env={**os.environ, "X": "1"}))
            c = Flow("c", run_config=LocalRun(env=ENVS))
            d = Flow("d", run_config=LocalRun(env={"MODE": "prod"}))
            """
        let findings = Self.run("PS106", text)
        #expect(findings.count == 3, "\(findings.map(\.message))")
        #expect(findings.last?.message.contains("copies the values of a dotenv file") == true)
    }

    /// A run config no flow of the file takes (`flow.run_config = DockerRun(…)` in a loop over
    /// imported flows, as MTES-MCT/monitorfish registers its flows) is stored with whatever
    /// flow it is given: its copied environment is reported too, once.
    @Test func wholeEnvironmentCopiedByARunConfigOfImportedFlows() {
        let text = """
            from dotenv import dotenv_values
            from prefect.run_configs.docker import DockerRun
            from src.pipeline.flows import etl, reports
            for flow in [etl, reports]:
                flow.run_config = DockerRun(
                    image="registry.example.com/pipeline:1",
                    env=dotenv_values(".env"),
                    labels=["pipeline"],
                )
            def unused():
                return DockerRun(env={"MODE": "prod"})
            """
        let findings = Self.run("PS106", text)
        let lines = findings.map { text.utf8.prefix($0.span.start).filter { $0 == 0x0A }.count + 1 }
        #expect(lines == [7], "\(findings.map(\.message))")
    }

    /// A run config of a flow the tool cannot follow (a factory's, as pangeo-forge's Azure
    /// bakery builds its recipes' flows) or a module constant no flow of the file takes is
    /// registered with whatever flow it ends up on: its credentials, read from the environment
    /// or literal, are reported as for a flow's own (and the literal not again by PS102).
    @Test func credentialsInARunConfigOfAFlowTheToolCannotFollow() {
        let text = """
            import os
            from prefect import Flow
            from prefect.run_configs import KubernetesRun
            SHARED = KubernetesRun(env={"DB_PASSWORD": os.environ["DB_PASSWORD"]})
            with Flow("own") as own:
                pass
            flow = executor.pipelines_to_plan(pipeline)
            flow.run_config = KubernetesRun(
                env={"AZURE_STORAGE_CONNECTION_STRING": os.environ["FLOW_STORAGE_CONNECTION_STRING"], "API_TOKEN": "Zq8vLm2pX9wR4tYk"},
            )
            flow.register(project_name="p")
            """
        let findings = Self.run("PS106", text)
        let lines = findings.map { text.utf8.prefix($0.span.start).filter { $0 == 0x0A }.count + 1 }
        #expect(lines.sorted() == [4, 9, 9], "\(findings.map(\.message))")
        #expect(findings.contains { $0.message.hasPrefix("API_TOKEN is set to a literal value") })
        #expect(Self.run("PS102", text).isEmpty)
    }

    /// A task that loads each secret of a literal list in a loop is told which (oxeo-flows'
    /// `for secret in ["PG_DB_USER", …]: Secret(secret).get()`).
    @Test func secretsLoadedInALoopInsideATaskAreNamed() {
        let text = """
            from prefect import Flow, task
            from prefect.client import Secret
            @task
            def connect(names):
                creds = {s: Secret(s).get() for s in names}
                for n in ["PG_DB_USER", "PG_DB_PASSWORD"]:
                    creds[n] = Secret(n).get()
                return creds
            @task
            def one():
                for name in ["TOKEN"]:
                    return Secret(name).get()
            with Flow("f") as flow:
                connect()
                one()
            """
        let messages = Self.run("PS402", text).map(\.message)
        #expect(messages.count == 3, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("task connect loads a secret itself") })
        #expect(messages.contains { $0.hasPrefix("task connect loads secrets PG_DB_USER, PG_DB_PASSWORD (one a pass) itself with Secret.get(); take them as parameters") })
        #expect(messages.contains { $0.hasPrefix("task one loads secret TOKEN itself with Secret.get(); take it as a parameter") })
    }

    /// A password that is the user name beside it is a development default, as PS101 takes
    /// `postgres://dev:dev@db`; another password is reported.
    @Test func passwordEqualToTheUserNameIsNotAHardcodedSecret() {
        let text = """
            from prefect.tasks.postgres import PostgresExecute
            q = PostgresExecute(db_name="d", user="postgres", password="postgres")
            r = PostgresExecute(db_name="d", username="admin", password="Zq8vLm2pXw")
            """
        #expect(Self.run("PS102", text).map(\.message) == ["a literal secret value is passed as password=; read it at run time with PrefectSecret(\"NAME\") instead"])
    }

    /// A run config env entry read from the registering machine's environment is a secret when
    /// the file's flows read that variable with `EnvVarSecret`, whatever its name says (helper
    /// round 41); another variable under an ordinary name is not.
    @Test func environmentReadOfAVariableReadAsASecret() {
        let text = """
            import os
            from prefect import Flow
            from prefect.run_configs import LocalRun
            from prefect.tasks.secrets import EnvVarSecret
            with Flow("a", run_config=LocalRun(env={"BOX_PWD_VAR": os.environ["BOX_PWD_VAR"], "REGION": os.getenv("REGION")})) as flow:
                pwd = EnvVarSecret("BOX_PWD_VAR")
            """
        let findings = Self.run("PS106", text)
        #expect(findings.count == 1 && findings.first?.message.hasPrefix("BOX_PWD_VAR takes its value from BOX_PWD_VAR") == true, "\(findings.map(\.message))")
        #expect(Self.run("PS106", text.replacingOccurrences(of: "EnvVarSecret(\"BOX_PWD_VAR\")", with: "EnvVarSecret(\"OTHER\")")).isEmpty)
    }
}
