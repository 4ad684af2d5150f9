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

    static func codes(_ findings: [[String: Any]]) -> [String] { findings.compactMap { $0["rule"] as? String }.sorted() }

    static let flowHeader = """
        from prefect import Flow, task
        from prefect.client import Secret
        from prefect.run_configs import LocalRun, DockerRun
        from prefect.storage import Module
        from prefect.tasks.secrets import PrefectSecret

        """

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
}
