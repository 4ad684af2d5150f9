import Foundation
import Testing
import TestSupport

@Suite struct CheckCommandTests {
    /// A pattern-only scan hides the other secret values on a finding's line too, as a full
    /// check does.
    @Test func patternOnlyFramesHideNeighbouringValues() async throws {
        let line = "connect(password=\"Tr0ub4dor-neighbour\", token=\"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\")\n"
        let root = try makeTree(["app.py": text(line)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        for selection in [["--select", "PS101"], []] {
            let result = await runCLI(["check", "--fail-on", "never", "--no-color"] + selection + [root])
            #expect(result.stdout.contains("PS101"), "\(selection)")
            #expect(!result.stdout.contains("Tr0ub4dor") && !result.stdout.contains("bBRsk29"), "\(selection): \(result.stdout)")
        }
    }

    /// What else sets a flow run's env: Docker storage `env_vars` are `ENV` lines of the image
    /// the run starts from (it resolves); so does an `envFrom` of a Secret another manifest
    /// defines (with its `prefix`); one the project does not define once, and a task
    /// definition's `environmentFiles`, may set anything (a warning that names them, not an error).
    @Test func runEnvironmentFromImagesAndUnseenSources() async throws {
        let flow = { (runConfig: String, storage: String) in
            "import os\nfrom prefect import Flow\nfrom prefect.run_configs import \(runConfig)\nfrom prefect.storage import Docker, Module\n"
                + "from prefect.tasks.secrets import PrefectSecret\n"
                + "with Flow('f', storage=\(storage), run_config=\(runConfig)(labels=['l'])) as flow:\n    PrefectSecret('DB_PASSWORD')\n"
        }
        let docker = "Docker(image_name='f', env_vars={'PREFECT__CONTEXT__SECRETS__DB_PASSWORD': os.environ['DB_PASSWORD']})"
        let job = { (prefix: String) in
            "apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      containers:\n        - name: flow\n          envFrom:\n            - secretRef:\n                name: flow-secrets\n"
                + (prefix.isEmpty ? "" : "              prefix: \(prefix)\n")
        }
        let secret = { (key: String) in "apiVersion: v1\nkind: Secret\nmetadata:\n  name: flow-secrets\ndata:\n  \(key): c2VjcmV0\n" }
        let kustomization = "secretGenerator:\n  - name: flow-secrets\n    envs: [flow.env]\n"
        let kubernetesFlow = [
            "flow.py": text(flow("KubernetesRun", "Module('flow')")), "start.sh": text("prefect agent kubernetes start --label l --job-template job.yaml\n"),
        ]
        let cases: [(files: [String: [UInt8]], severity: String?, mentions: String)] = [
            (["flow.py": text(flow("KubernetesRun", docker)), "start.sh": text("prefect agent kubernetes start --label l\n")], nil, ""),
            (kubernetesFlow.merging(["job.yaml": text(job(""))]) { $1 }, "warning", "unless the Secret 'flow-secrets' that its envFrom names (job template job.yaml; not read) sets it"),
            (kubernetesFlow.merging(["job.yaml": text(job("")), "k8s/secrets.yaml": text(secret("PREFECT__CONTEXT__SECRETS__DB_PASSWORD"))]) { $1 }, nil, ""),
            (kubernetesFlow.merging(["job.yaml": text(job("PREFECT__CONTEXT__SECRETS__")), "k8s/secrets.yaml": text(secret("DB_PASSWORD"))]) { $1 }, nil, ""),
            (kubernetesFlow.merging(["job.yaml": text(job("")), "k8s/secrets.yaml": text(secret("PREFECT__CONTEXT__SECRETS__DB_PASSWORD_OLD"))]) { $1 }, "error", "has no secret store"),
            // Made by a kustomize generator from an env file; a job template names it only
            // without the hash suffix kustomize adds to the name (the agent reads the template).
            (
                kubernetesFlow.merging([
                    "job.yaml": text(job("")), "k8s/flow.env": text("PREFECT__CONTEXT__SECRETS__DB_PASSWORD=set-by-ci\n"),
                    "k8s/kustomization.yaml": text(kustomization + "    options: {disableNameSuffixHash: true}\n"),
                ]) { $1 }, nil, ""
            ),
            (
                kubernetesFlow.merging([
                    "job.yaml": text(job("")), "k8s/flow.env": text("PREFECT__CONTEXT__SECRETS__DB_PASSWORD=set-by-ci\n"),
                    "k8s/kustomization.yaml": text(kustomization),
                ]) { $1 }, "warning",
                "unless the Secret 'flow-secrets' that its envFrom names (job template job.yaml; the one k8s/kustomization.yaml generates is named 'flow-secrets-<hash>' by kustomize, which the job template does not use) sets it"
            ),
            // Made by `kubectl create secret generic`, from what the deploy script's shell gives it.
            (
                kubernetesFlow.merging([
                    "job.yaml": text(job("")),
                    "deploy.sh": text("kubectl create secret generic flow-secrets --from-literal=PREFECT__CONTEXT__SECRETS__DB_PASSWORD=\"$DB_PASSWORD\"\n"),
                ]) { $1 }, nil, ""
            ),
            // A README that shows how to make it does not make a second one.
            (
                kubernetesFlow.merging([
                    "job.yaml": text(job("")), "k8s/secrets.yaml": text(secret("PREFECT__CONTEXT__SECRETS__DB_PASSWORD")),
                    "README.md": text("```sh\nkubectl create secret generic flow-secrets --from-literal=OTHER=x\n```\n"),
                ]) { $1 }, nil, ""
            ),
            // One per overlay: which one the cluster has is not known.
            (
                kubernetesFlow.merging([
                    "job.yaml": text(job("")), "prod/secrets.yaml": text(secret("PREFECT__CONTEXT__SECRETS__DB_PASSWORD")),
                    "dev/secrets.yaml": text(secret("PREFECT__CONTEXT__SECRETS__DB_PASSWORD")),
                ]) { $1 }, "warning",
                "unless the Secret 'flow-secrets' that its envFrom names (job template job.yaml; defined 2 times, in dev/secrets.yaml, prod/secrets.yaml, and which one the cluster has is not known) sets it"
            ),
            ([
                "flow.py": text(flow("ECSRun", "Module('flow')")),
                "start.sh": text("prefect agent ecs start --label l --task-definition td.yaml\n"),
                "td.yaml": text("containerDefinitions:\n  - name: flow\n    environmentFiles:\n      - type: s3\n        value: arn:aws:s3:::b/flow.env\n"),
            ], "warning", "unless the environmentFiles of its flow container (task definition td.yaml; not read) sets it"),
            (["flow.py": text(flow("KubernetesRun", "Module('flow')")), "start.sh": text("prefect agent kubernetes start --label l\n")], "error", "has no secret store"),
        ]
        for (files, severity, mentions) in cases {
            let root = try makeTree(files)
            defer { try? FileManager.default.removeItem(atPath: root) }
            let result = await runCLI(["check", "--backend", "server", "--select", "PS201", "--format", "json", "--fail-on", "never", root])
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let findings = (object?["findings"] as? [[String: Any]]) ?? []
            #expect(findings.map { $0["severity"] as? String } == (severity.map { [$0] } ?? []), "\(result.stdout)\(result.stderr)")
            #expect(findings.allSatisfy { ($0["message"] as? String)?.contains(mentions) == true }, "\(result.stdout)")
        }
    }

    /// A job template that takes a key the project's Secret lacks (not `optional`) fails every
    /// run: Kubernetes does not start the pod; an agent's container that takes a key its
    /// ConfigMap lacks never starts.
    @Test func jobTemplateKeyTheSecretLacksFailsTheRun() async throws {
        let flow = """
            from prefect import Flow
            from prefect.run_configs import KubernetesRun
            from prefect.storage import S3
            from prefect.tasks.secrets import PrefectSecret

            with Flow("etl", storage=S3(bucket="flows"), run_config=KubernetesRun(labels=["k8s"], job_template_path="k8s/job.yaml")) as flow:
                PrefectSecret("DB_PASSWORD")

            """
        let job = { (key: String, optional: Bool) in
            "apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      containers:\n        - name: flow\n          env:\n"
                + "            - name: PREFECT__CONTEXT__SECRETS__DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: etl, key: \(key)\(optional ? ", optional: true" : "")}\n"
        }
        let files = [
            "flows/etl.py": text(flow), "start.sh": text("export PREFECT__BACKEND=server\nprefect agent kubernetes start -l k8s\n"),
            "k8s/secret.yaml": text("apiVersion: v1\nkind: Secret\nmetadata: {name: etl}\ndata:\n  db-password: c2VjcmV0\n"),
        ]
        for (key, optional, fails) in [("db-pasword", false, true), ("db-pasword", true, false), ("db-password", false, false)] {
            let findings = try await ProjectVerdictTests.findings(files.mapValues { String(decoding: $0, as: UTF8.self) }.merging(["k8s/job.yaml": job(key, optional)]) { $1 })
            let messages = findings.compactMap { $0["message"] as? String }
            #expect(
                messages.contains { $0.contains("sets PREFECT__CONTEXT__SECRETS__DB_PASSWORD from key 'db-pasword' of the Secret 'etl', which has no such key (k8s/secret.yaml)") } == fails,
                "\(key) \(optional): \(messages)")
            #expect(ProjectVerdictTests.codes(findings) == (fails ? ["PS203"] : []), "\(key) \(optional): \(messages)")
        }
        // `kubectl create --from-file=FOLDER/` makes a key of each file there: any key may be one.
        for (fromFile, fails) in [("secrets/", false), ("db-password=secrets/pw.txt", true)] {
            var made = files.mapValues { String(decoding: $0, as: UTF8.self) }.merging(["k8s/job.yaml": job("db-pasword", false)]) { $1 }
            made["k8s/secret.yaml"] = nil
            made["deploy.sh"] = "kubectl create secret generic etl --from-file=\(fromFile)\n"
            let findings = try await ProjectVerdictTests.findings(made)
            #expect(ProjectVerdictTests.codes(findings) == (fails ? ["PS203"] : []), "\(fromFile): \(findings)")
        }
        // An agent container that takes such a key never starts.
        let agent = Self.kubernetesAgent(env: """
                    - {name: PREFECT__BACKEND, value: server}
                    - name: PREFECT__SERVER__ENDPOINT
                      valueFrom: {configMapKeyRef: {name: settings, key: endpoint}}
            """)
        let settings = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata:\n  server-endpoint: http://prefect-apollo:4200/graphql\n"
        var deployed = files.mapValues { String(decoding: $0, as: UTF8.self) }.merging([
            "k8s/job.yaml": job("db-password", false), "k8s/agent.yaml": agent, "k8s/settings.yaml": settings,
        ]) { $1 }
        deployed["start.sh"] = nil
        let findings = try await ProjectVerdictTests.findings(deployed)
        #expect(ProjectVerdictTests.codes(findings) == ["PS203"], "\(findings)")
        #expect(
            (findings.first?["message"] as? String)?.contains(
                "never starts: Kubernetes does not start its container: its env sets PREFECT__SERVER__ENDPOINT from key 'endpoint' of the ConfigMap 'settings', which has no such key (k8s/settings.yaml; CreateContainerConfigError)"
            ) == true, "\(findings)")
    }

    /// A Deployment that runs `prefect agent kubernetes start -l k8s` with `env` (list items,
    /// indented as the container's keys; put below its `env:`).
    static func kubernetesAgent(env: String) -> String {
        let env = env.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: agent}
        spec:
          template:
            spec:
              containers:
                - name: agent
                  image: prefecthq/prefect:1.4.1
                  command: [prefect, agent, kubernetes, start, -l, k8s]
                  env:
        \(env)

        """
    }

    /// An env entry that takes a key of a ConfigMap the project defines has that key's value:
    /// the agent's backend here (with the default, Cloud, the missing secret is no error).
    @Test func keyOfAProjectConfigMapGivesItsValue() async throws {
        let flow = """
            from prefect import Flow
            from prefect.run_configs import KubernetesRun
            from prefect.storage import S3
            from prefect.tasks.secrets import PrefectSecret

            with Flow("etl", storage=S3(bucket="flows"), run_config=KubernetesRun(labels=["k8s"])) as flow:
                PrefectSecret("DB_PASSWORD")

            """
        let agent = Self.kubernetesAgent(env: """
                    - name: PREFECT__BACKEND
                      valueFrom: {configMapKeyRef: {name: settings, key: backend}}
            """)
        let settings = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata:\n  backend: server\n"
        let files = ["flows/etl.py": flow, "k8s/agent.yaml": agent]
        let server = try await ProjectVerdictTests.findings(files.merging(["k8s/settings.yaml": settings]) { $1 })
        #expect(ProjectVerdictTests.codes(server) == ["PS201"], "\(server)")
        #expect((server.first?["message"] as? String)?.contains("backend server") == true, "\(server)")
        let unknown = try await ProjectVerdictTests.findings(files)
        #expect(ProjectVerdictTests.codes(unknown).isEmpty, "\(unknown)")
    }

    /// A secret task given where a component takes a secret's name makes every run fail
    /// (checked with Prefect 1.4.1: it looks up "<Task: NAME>"), whatever the agent provides.
    @Test func secretTaskGivenAsANameFailsTheRun() async throws {
        let flow = """
            from prefect import Flow
            from prefect.storage import GitHub
            from prefect.run_configs import LocalRun
            from prefect.tasks.secrets import PrefectSecret
            with Flow("etl", storage=GitHub(repo="a/b", path="etl.py", access_token_secret=PrefectSecret("GITHUB_TOKEN")), run_config=LocalRun(labels=["dev"])) as flow:
                pass

            """
        let root = try makeTree(["etl.py": text(flow), "agent.sh": text("export PREFECT__CONTEXT__SECRETS__GITHUB_TOKEN=\"$T\"\nprefect agent local start --label dev\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        for backend in ["server", "cloud"] {
            let result = await runCLI(["check", "--backend", backend, "--no-color", "--fail-on", "never", root])
            #expect(result.stdout.contains("PS201") && result.stdout.contains("looks up a secret named after the task (\"<Task: GITHUB_TOKEN>\") or its value"), "\(backend): \(result.stdout)")
        }
    }

    /// A task's secret-name keyword given when it is called in the flow wins over its default
    /// (`notify(webhook_secret="SLACK")` reads SLACK, not SLACK_WEBHOOK_URL); a secret task
    /// given there fails the run too (Prefect 1.4.1 looks up a secret named by its value).
    @Test func callTimeSecretNamesOfTasks() async throws {
        let flow = """
            from prefect import Flow
            from prefect.run_configs import DockerRun
            from prefect.storage import Module
            from prefect.tasks.notifications import SlackTask
            from prefect.tasks.secrets import PrefectSecret
            notify = SlackTask()
            alert = SlackTask()
            with Flow("a", storage=Module("flow"), run_config=DockerRun(labels=["x"])) as flow:
                notify(message="hi", webhook_secret="SLACK")
                alert(message="hi", webhook_secret=PrefectSecret("ALERT"))

            """
        let agent = "prefect agent docker start --label x --env PREFECT__CONTEXT__SECRETS__SLACK=\"$S\" --env PREFECT__CONTEXT__SECRETS__ALERT=\"$A\"\n"
        let root = try makeTree(["flow.py": text(flow), "agent.sh": text(agent)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--backend", "server", "--no-color", "--fail-on", "never", root])
        let codes = result.stdout.split(separator: "\n").filter { $0.hasPrefix("flow.py:") }.map { $0.split(separator: " ")[1] }
        #expect(codes == ["PS201"], "\(result.stdout)")
        #expect(result.stdout.contains("needs secret ALERT, but") && !result.stdout.contains("SLACK_WEBHOOK_URL"), "\(result.stdout)")
    }

    /// The inventory shows the project model whatever rules `--select` names.
    @Test func inventoryIgnoresRuleSelection() async {
        let path = TestPaths.testdata.appendingPathComponent("projects/demo").path
        let plain = await runCLI(["inventory", "--format", "json", path])
        let selected = await runCLI(["inventory", "--format", "json", "--select", "PS101", path])
        #expect(plain.status == 0 && selected.status == 0, "\(plain.stderr)\(selected.stderr)")
        #expect(plain.stdout.contains("SNOWFLAKE"))
        #expect(selected.stdout == plain.stdout)
    }

    /// Each agent verdict in the JSON inventory names its case, so that the cases where the
    /// tool cannot tell (`resolves: null`) are told apart without reading `why`.
    @Test func inventoryVerdictsNameTheirCase() async throws {
        let flow = """
            from prefect import Flow
            from prefect.run_configs import LocalRun
            from prefect.tasks.secrets import PrefectSecret
            with Flow('etl', run_config=LocalRun(labels=['etl'])) as flow:
                PrefectSecret('A')
                PrefectSecret('B')

            """
        let start = "prefect agent local start --label etl\nprefect agent local start --label \"$SITE\"\n"
        let root = try makeTree(["flows/etl.py": text(flow), "start.sh": text(start), "cloud.txt": text("A\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (extra, expected) in [
            ([String](), ["cloud-unknown", "labels-unknown", "cloud-unknown", "labels-unknown"]),
            (["--cloud-secrets", root + "/cloud.txt"], ["cloud", "labels-unknown", "missing", "labels-unknown"]),
        ] {
            let inventory = await runCLI(["inventory", "--format", "json"] + extra + [root])
            #expect(inventory.status == 0, "\(inventory.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(inventory.stdout.utf8)) as? [String: Any]
            let secrets = json?["secrets"] as? [[String: Any]] ?? []
            let verdicts = secrets.flatMap { ($0["agents"] as? [[String: Any]] ?? []).compactMap { $0["verdict"] as? String } }
            #expect(verdicts == expected, "\(extra): \(inventory.stdout)")
        }
    }

    /// An `--env` word without `=` may be a value written where `NAME=value` belongs: the
    /// inventory counts it and shows the names beside it, never the word itself.
    @Test func inventoryCountsEnvWordsWithoutEquals() async throws {
        let start = "prefect agent docker start --label a --env A=fake-value-1 --env fake-value-2 -e B=1\n"
        let root = try makeTree(["start.sh": text(start)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let inventory = await runCLI(["inventory", root])
        #expect(inventory.stdout.contains("flow-run env: A, B, 1 --env word without '=' (not shown)\n"), "\(inventory.stdout)")
        let json = await runCLI(["inventory", "--format", "json", root])
        let agents = (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["agents"] as? [[String: Any]]
        #expect(agents?.first?["flow_run_env"] as? [String] == ["A", "B"], "\(json.stdout)")
        #expect(agents?.first?["flow_run_env_words_without_equals"] as? Int == 1, "\(json.stdout)")
        for output in [inventory.stdout, json.stdout] { #expect(!output.contains("fake-value"), "\(output)") }
    }

    /// A compose service that builds a Dockerfile (`build:` as a folder, or `context`,
    /// `dockerfile` and `target`) and runs the image's own command runs the agent of the
    /// stage it builds, once per service, with its `env_file` and then its `environment`
    /// over the image's `ENV`. A service with its own `command` runs that instead.
    @Test func composeServiceThatBuildsAnImageRunsItsAgent() async throws {
        let dockerfile = """
            FROM prefecthq/prefect:1.4.1 AS base
            ENV PREFECT__BACKEND=cloud
            CMD ["prefect", "agent", "local", "start", "--label", "base"]
            FROM base AS agent
            CMD ["prefect", "agent", "local", "start", "--label", "etl"]

            """
        let compose = """
            services:
              etl:
                build: ../agent
                env_file: [etl.env]
                environment:
                  PREFECT__BACKEND: server
                  PREFECT__CONTEXT__SECRETS__A: ${A}
              base:
                build:
                  context: ..
                  dockerfile: agent/Dockerfile
                  target: BASE
              other:
                build: ../agent
                command: prefect agent docker start --label other
              remote:
                build: https://github.com/example/agent.git

            """
        let root = try makeTree([
            "agent/Dockerfile": text(dockerfile), "deploy/docker-compose.yml": text(compose),
            "deploy/etl.env": text("PREFECT__CONTEXT__SECRETS__B=fake-value-1\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(
            summary == [
                "base agent/Dockerfile:3 base cloud PREFECT__BACKEND ",
                "etl agent/Dockerfile:5 etl server PREFECT__BACKEND,PREFECT__CONTEXT__SECRETS__B,PREFECT__BACKEND,PREFECT__CONTEXT__SECRETS__A deploy/etl.env",
                // A service's own command runs in the image it builds, with the image's ENV.
                "- deploy/docker-compose.yml:15 other cloud PREFECT__BACKEND ",
            ], "\(inventory.stdout)")
        #expect(!inventory.stdout.contains("fake-value"))
    }

    /// A compose service whose command runs a script (`command: ["/agent/start.sh"]`), or
    /// whose built image's `CMD` does, runs the agents of the project script of that name,
    /// when exactly one script with agents has it: they get the service's env first.
    @Test func composeServiceRunsAProjectScript() async throws {
        let compose = """
            services:
              mounted:
                image: prefecthq/prefect:1.4.1
                command: ["bash", "/root/agent/start_agent.sh"]
                volumes: ["./bootstrap:/root/agent"]
                env_file: [agent.env]
              built:
                build: .
                environment:
                  PREFECT__BACKEND: server

            """
        let root = try makeTree([
            "docker-compose.yml": text(compose), "agent.env": text("PREFECT__CONTEXT__SECRETS__A=${A}\n"),
            "bootstrap/start_agent.sh": text("#!/bin/sh\nexport PREFECT__BACKEND=cloud\nprefect agent local start -l mounted\n"),
            "Dockerfile": text("FROM prefecthq/prefect:1.4.1\nCOPY run.sh /run.sh\nCMD /run.sh --verbose\n"),
            "run.sh": text("#!/bin/sh\nprefect agent local start -l built\n"),
            "tools/run.sh": text("#!/bin/sh\necho not an agent\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(
            summary == [
                "mounted bootstrap/start_agent.sh:3 mounted cloud PREFECT__CONTEXT__SECRETS__A,PREFECT__BACKEND agent.env",
                "built run.sh:2 built server PREFECT__BACKEND ",
            ], "the script's own export comes after the service's env: \(inventory.stdout)")
    }

    /// A systemd unit whose `ExecStart=` runs a project script (`/opt/etl/deploy/start-agent.sh`,
    /// `/bin/bash …`) runs its agents with the unit's environment: `Environment=`, then
    /// `EnvironmentFile=`, which overrides it, then the script's own exports. The agent runs
    /// on the unit's machine (the project's backend.toml counts), not in a container.
    @Test func systemdUnitRunsAProjectScript() async throws {
        let unit = """
            [Service]
            Environment=PREFECT__BACKEND=cloud
            Environment=PREFECT__CONTEXT__SECRETS__A=from-unit
            EnvironmentFile=-/opt/etl/deploy/agent.env
            ExecStart=/bin/bash /opt/etl/deploy/start-agent.sh

            """
        let root = try makeTree([
            "deploy/prefect-agent.service": text(unit), "deploy/agent.env": text("PREFECT__BACKEND=server\nPREFECT__CONTEXT__SECRETS__B=${B}\n"),
            "deploy/start-agent.sh": text("#!/bin/sh\nexport PREFECT__CONTEXT__SECRETS__C=\"$C\"\nexec prefect agent local start -l unit\n"),
            "deploy/other.service": text("[Service]\nEnvironment=X=1\nExecStart=/usr/local/bin/run-other.sh --verbose\n"),
            "tools/start-agent.sh": text("#!/bin/sh\necho not an agent\n"),
            "deploy/direct.service": text("[Service]\nEnvironment=Y=1\nExecStart=/opt/etl/venv/bin/prefect agent local start -l direct\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(
            summary == [
                "- deploy/direct.service:3 direct cloud Y ",
                "prefect-agent.service deploy/start-agent.sh:3 unit server PREFECT__BACKEND,PREFECT__CONTEXT__SECRETS__A,PREFECT__BACKEND,PREFECT__CONTEXT__SECRETS__B,PREFECT__CONTEXT__SECRETS__C deploy/agent.env",
            ], "\(inventory.stdout)")
        let text = await runCLI(["inventory", root])
        #expect(text.stdout.contains("local agent of systemd unit 'prefect-agent.service' deploy/start-agent.sh:3: labels unit,<hostname>, backend server (from deploy/agent.env)"), "\(text.stdout)")
        #expect(text.stdout.contains("run by:       deploy/prefect-agent.service:5, which runs this script"), "\(text.stdout)")
    }

    /// A launcher that runs a wrapper script (`run-agent.sh` ending in `exec
    /// ./deploy/start-agent.sh`) runs the agent script the wrapper runs, with what the wrapper
    /// exports before (not its plain variables) and the command's prefixes on top of the
    /// launcher's env; through several wrappers too. A wrapper no launcher runs passes nothing
    /// on, nor does one that runs the script with `env -i`. Before, the unit's agent had only
    /// the script's own env: a false PS202.
    @Test func launchersRunAgentScriptsThroughWrapperScripts() async throws {
        let flow = Self.localFlowReadingDBPassword + "    PrefectSecret('API_TOKEN')\n"
        let wrapper = """
            #!/bin/bash
            set -e
            cd /opt/etl
            export PREFECT__CONTEXT__SECRETS__DB_PASSWORD="$(cat /run/secrets/db)"
            NOT_EXPORTED=1
            set -a
            . /opt/etl/deploy/tokens.env
            . /etc/prefect/host.env
            set +a
            . /opt/etl/deploy/plain.env
            if [ -n "$DEBUG" ]; then exec ./deploy/start-agent.sh --debug; fi
            exec ./deploy/start-agent.sh

            """
        let root = try makeTree([
            "flows/etl.py": text(flow),
            "deploy/prefect-agent.service": text("[Service]\nEnvironmentFile=/opt/etl/deploy/agent.env\nExecStart=/opt/etl/deploy/run-agent.sh\n"),
            "deploy/agent.env": text("PREFECT__BACKEND=server\n"),
            "deploy/tokens.env": text("PREFECT__CONTEXT__SECRETS__API_TOKEN=${API_TOKEN}\n"),
            "deploy/plain.env": text("PLAIN=1\n"),
            "deploy/run-agent.sh": text(wrapper),
            "deploy/start-agent.sh": text("#!/bin/sh\nexport C=1\nexec prefect agent local start -l prod --no-hostname-label\n"),
            "deploy/by-hand.sh": text("#!/bin/sh\nexport NOT_LAUNCHED=1\n./deploy/start-agent.sh\n"),
            "deploy/clean.service": text("[Service]\nExecStart=/opt/etl/deploy/clean-env.sh\n"),
            "deploy/clean-env.sh": text("#!/bin/sh\nexport CLEARED=1\nexec env -i PATH=/usr/bin ./deploy/start-agent.sh\n"),
            "deploy/outer.service": text("[Service]\nEnvironment=PREFECT__BACKEND=server\nExecStart=/opt/etl/deploy/outer.sh\n"),
            "deploy/outer.sh": text("#!/bin/sh\nexport A=1\nB=2 \"$(dirname \"$0\")\"/run-agent.sh --verbose\n"),
            "tools/run-agent.sh": text("#!/bin/sh\necho another wrapper of that name\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(
            summary == [
                "prefect-agent.service deploy/start-agent.sh:3 prod server PREFECT__BACKEND,PREFECT__CONTEXT__SECRETS__DB_PASSWORD,PREFECT__CONTEXT__SECRETS__API_TOKEN,C deploy/agent.env,deploy/tokens.env,deploy/plain.env",
                "outer.service deploy/start-agent.sh:3 prod server PREFECT__BACKEND,A,B,PREFECT__CONTEXT__SECRETS__DB_PASSWORD,PREFECT__CONTEXT__SECRETS__API_TOKEN,C deploy/tokens.env,deploy/plain.env",
            ], "\(inventory.stdout)")
        #expect(inventory.stdout.contains("\"through\": [\n          \"deploy/outer.sh\",\n          \"deploy/run-agent.sh\"\n        ]"), "\(inventory.stdout)")
        let text = await runCLI(["inventory", root])
        #expect(text.stdout.contains("run by:       deploy/outer.service:3, which runs this script through deploy/outer.sh, then deploy/run-agent.sh"), "\(text.stdout)")
        #expect(text.stdout.contains("env files:    deploy/agent.env, deploy/tokens.env, deploy/plain.env, /etc/prefect/host.env (not in the project)"), "\(text.stdout)")
        let check = await runCLI(["check", root])
        #expect(check.status == 0, "\(check.stdout)")
        // Without the launchers the agent script runs with its own env only.
        try FileManager.default.removeItem(atPath: root + "/deploy/prefect-agent.service")
        try FileManager.default.removeItem(atPath: root + "/deploy/outer.service")
        let alone = await runCLI(["check", root])
        #expect(alone.stdout.contains("PS202 [secret-only-local] secret DB_PASSWORD is provided only here"), "\(alone.stdout)")
    }

    /// An image's `ENTRYPOINT` script that ends with `exec "$@"` runs the image's `CMD` with
    /// what it exports first: an agent that is the `CMD`, or a script the `CMD` runs (in a
    /// service compose builds), gets it after the image's `ENV`. An entrypoint that does not
    /// run its arguments passes nothing on. Before: a false PS202 and PS201.
    @Test func entrypointScriptsPassTheirExportsToTheCommand() async throws {
        let flow = Self.localFlowReadingDBPassword
        let dockerfile = """
            FROM prefecthq/prefect:1.4.1-python3.9
            ENV PREFECT__BACKEND=server
            COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
            ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
            CMD ["prefect", "agent", "local", "start", "--label", "prod", "--no-hostname-label"]

            """
        let entrypoint = "#!/bin/sh\nset -e\nexport PREFECT__CONTEXT__SECRETS__DB_PASSWORD=\"$(cat /run/secrets/db_password)\"\nexec \"$@\"\n"
        let composed = """
            FROM prefecthq/prefect:1.4.1-python3.9
            COPY entrypoint.sh start-agent.sh /
            ENTRYPOINT ["/entrypoint.sh"]
            CMD ["/start-agent.sh"]

            """
        let root = try makeTree([
            "flows/etl.py": text(flow),
            "Dockerfile": text(dockerfile), "docker-entrypoint.sh": text(entrypoint),
            "compose/docker-compose.yml": text("services:\n  agent:\n    build: ./agent\n    environment:\n      PREFECT__BACKEND: server\n"),
            "compose/agent/Dockerfile": text(composed),
            "compose/agent/entrypoint.sh": text("#!/bin/sh\nexport A=1\nexec \"$@\"\n"),
            "compose/agent/start-agent.sh": text("#!/bin/sh\nexport C=1\nexec prefect agent local start -l compose\n"),
            "other/Dockerfile": text("FROM python:3.11\nCOPY init.sh /init.sh\nENTRYPOINT [\"/init.sh\"]\nCMD [\"prefect\", \"agent\", \"local\", \"start\", \"-l\", \"other\"]\n"),
            "other/init.sh": text("#!/bin/sh\nexport IGNORED=1\nprefect agent local start -l init\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(
            summary == [
                "- Dockerfile:5 prod server PREFECT__BACKEND,PREFECT__CONTEXT__SECRETS__DB_PASSWORD ",
                "agent compose/agent/start-agent.sh:3 compose server PREFECT__BACKEND,A,C ",
                "- other/Dockerfile:4 other cloud  ",
                "- other/init.sh:3 init cloud IGNORED ",
            ], "\(inventory.stdout)")
        #expect(inventory.stdout.contains("\"script\": \"docker-entrypoint.sh\",\n          \"entrypoint\": true"), "\(inventory.stdout)")
        let text = await runCLI(["inventory", root])
        #expect(text.stdout.contains("entrypoint:   docker-entrypoint.sh, which runs this command (`exec \"$@\"`)"), "\(text.stdout)")
        #expect(text.stdout.contains("run by:       compose/docker-compose.yml:3, which runs this script through compose/agent/entrypoint.sh"), "\(text.stdout)")
        let check = await runCLI(["check", "--select", "PS201,PS202", root])
        #expect(check.status == 0, "\(check.stdout)")
    }

    /// A supervisord program whose `command=` runs a project script runs its agents with
    /// `[supervisord]`'s and its own section's `environment=` (not another program's).
    @Test func supervisordProgramRunsAProjectScript() async throws {
        let conf = """
            [supervisord]
            environment=PREFECT__BACKEND="server"

            [program:etl-agent]
            command=/opt/etl/deploy/start-agent.sh
            environment=PREFECT__CONTEXT__SECRETS__A="from-program",B="2"

            [program:other]
            command=/opt/etl/deploy/other.sh
            environment=OTHER="1"

            """
        let root = try makeTree([
            "deploy/supervisord.conf": text(conf),
            "deploy/start-agent.sh": text("#!/bin/sh\nexec prefect agent local start -l sup\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(summary == ["etl-agent deploy/start-agent.sh:2 sup server PREFECT__BACKEND,PREFECT__CONTEXT__SECRETS__A,B "], "\(inventory.stdout)")
        let text = await runCLI(["inventory", root])
        #expect(text.stdout.contains("local agent of supervisord program 'etl-agent' deploy/start-agent.sh:2"), "\(text.stdout)")
    }

    /// foreman, honcho and `heroku local` read the `.env` beside a Procfile before they start
    /// its processes: a Procfile's agent gets it (first, then the line's own assignments);
    /// one not in the project may set what the agent lacks.
    @Test func procfileAgentsGetTheEnvFileBesideIt() async throws {
        let flow = Self.localFlowReadingDBPassword
        let procfile = "web: gunicorn app:app\nagent: A=1 prefect agent local start --label prod --no-hostname-label\n"
        let root = try makeTree([
            "flows/etl.py": text(flow), "deploy/Procfile": text(procfile),
            "deploy/.env": text("PREFECT__BACKEND=server\nPREFECT__CONTEXT__SECRETS__DB_PASSWORD=${DB_PASSWORD}\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(summary == ["- deploy/Procfile:2 prod server PREFECT__BACKEND,PREFECT__CONTEXT__SECRETS__DB_PASSWORD,A deploy/.env"], "\(inventory.stdout)")
        let check = await runCLI(["check", "--format", "json", root])
        #expect(check.status == 0, "\(check.stdout)")
        try FileManager.default.removeItem(atPath: root + "/deploy/.env")
        let missing = await runCLI(["check", "--backend", "server", root])
        #expect(missing.stdout.contains("does not provide it and backend server has no secret store to fall back on, unless .env (not in the project) sets it"), "\(missing.stdout)")
    }

    /// A Procfile line that runs a project script runs its agents as foreman and honcho do:
    /// with the `.env` beside the Procfile, then the line's own assignments, then the
    /// script's; a line that runs no project script (`gunicorn`) runs none.
    @Test func procfileLinesRunProjectScripts() async throws {
        let flow = Self.localFlowReadingDBPassword
        let root = try makeTree([
            "flows/etl.py": text(flow),
            "Procfile": text("web: gunicorn app:app\nagent: AGENT_ENV=prod ./deploy/start-agent.sh --verbose\n"),
            ".env": text("PREFECT__BACKEND=server\nAGENT_ENV=dev\nPREFECT__CONTEXT__SECRETS__DB_PASSWORD=${DB_PASSWORD}\n"),
            "deploy/start-agent.sh": text("#!/bin/sh\nexport C=1\nexec prefect agent local start -l prod --no-hostname-label\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(summary == ["agent deploy/start-agent.sh:3 prod server PREFECT__BACKEND,AGENT_ENV,PREFECT__CONTEXT__SECRETS__DB_PASSWORD,AGENT_ENV,C .env"], "\(inventory.stdout)")
        #expect(inventory.stdout.contains("\"launcher\": \"Procfile process\""), "\(inventory.stdout)")
        let check = await runCLI(["check", root])
        #expect(check.status == 0, "\(check.stdout)")
        try FileManager.default.removeItem(atPath: root + "/.env")
        let missing = await runCLI(["check", "--backend", "server", root])
        #expect(
            missing.stdout.contains("local agent of Procfile process 'agent' (deploy/start-agent.sh:3, labels prod, backend server) does not provide it and backend server has no secret store to fall back on, unless .env (not in the project) sets it"),
            "\(missing.stdout)")
    }

    /// direnv's `.envrc` is a shell script: PS104 reads its exports, and the agents a project
    /// script in its folder (or below) starts by hand get them; one a systemd unit starts
    /// does not (a service does not load direnv), nor one started with an emptied
    /// environment (`env -i`, over `ssh`).
    @Test func direnvEnvrcReachesAgentsStartedByHand() async throws {
        let root = try makeTree([
            "flows/etl.py": text(Self.localFlowReadingDBPassword),
            ".envrc": text("export PREFECT__BACKEND=server\nexport PREFECT__CONTEXT__SECRETS__DB_PASSWORD=hunter2-but-longer\nNOT_EXPORTED=1\n"),
            "deploy/start-agent.sh": text("#!/bin/sh\nexec prefect agent local start -l prod --no-hostname-label\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(summary == ["- deploy/start-agent.sh:2 prod server PREFECT__BACKEND,PREFECT__CONTEXT__SECRETS__DB_PASSWORD .envrc"], "\(inventory.stdout)")
        let check = await runCLI(["check", root])
        #expect(check.stdout.contains(".envrc:2:47: PS104") && !check.stdout.contains("PS20"), "\(check.stdout)")
        try "[Service]\nExecStart=/opt/etl/deploy/start-agent.sh\n".write(toFile: root + "/deploy/etl-agent.service", atomically: true, encoding: .utf8)
        let (_, launched) = try await Self.agentSummaries(root)
        #expect(launched == ["etl-agent.service deploy/start-agent.sh:2 prod cloud  "], "\(launched)")
        try FileManager.default.removeItem(atPath: root + "/deploy/etl-agent.service")
        for cleared in ["env -i prefect", "ssh etl-host prefect"] {
            try "#!/bin/sh\nexec \(cleared) agent local start -l prod --no-hostname-label\n".write(toFile: root + "/deploy/start-agent.sh", atomically: true, encoding: .utf8)
            let (_, alone) = try await Self.agentSummaries(root)
            #expect(alone == ["- deploy/start-agent.sh:2 prod cloud  "], "\(cleared): \(alone)")
        }
    }

    /// A Makefile's `include .env` makes the file's lines make variables, which reach the
    /// agent a recipe starts when exported: by a bare `export`, or by name wherever the
    /// `export NAME` stands; without, PS202 says how to export it. An included file that is
    /// not in the project (`-include .env`, git-ignored) may set what is missing.
    @Test func makefileIncludesAnEnvFile() async throws {
        func check(_ makefile: String, env: Bool = true) async throws -> CLIResult {
            var files = ["flows/etl.py": text(Self.localFlowReadingDBPassword)]
            files["Makefile"] = text(makefile + "\nagent:\n\tprefect agent local start -l prod --no-hostname-label\n")
            if env { files[".env"] = text("PREFECT__BACKEND=server\nPREFECT__CONTEXT__SECRETS__DB_PASSWORD=${DB_PASSWORD}\n") }
            let root = try makeTree(files)
            defer { try? FileManager.default.removeItem(atPath: root) }
            return await runCLI(["check", root])
        }
        for makefile in ["include .env\nexport\n", "export PREFECT__BACKEND PREFECT__CONTEXT__SECRETS__DB_PASSWORD\nsinclude .env # local\n"] {
            let result = try await check(makefile)
            #expect(result.status == 0, "\(makefile): \(result.stdout)")
        }
        let unexported = try await check("-include .env\n")
        #expect(
            unexported.stdout.contains(
                "never sees (Makefile includes this file but does not export the variable: add `export` or `export PREFECT__CONTEXT__SECRETS__DB_PASSWORD`)"),
            "\(unexported.stdout)")
        let missing = try await check("-include .env\nexport PREFECT__BACKEND := server\n", env: false)
        #expect(missing.stdout.contains("unless .env (not in the project) sets it") && missing.stdout.contains("1 warning"), "\(missing.stdout)")
        // A bare `export` exports the Makefile's own variables too, wherever it stands.
        let own = try await check("PREFECT__BACKEND = server\nPREFECT__CONTEXT__SECRETS__DB_PASSWORD = ${DB_PASSWORD}\nexport\n", env: false)
        #expect(own.status == 0 && own.stdout.contains("No findings"), "\(own.stdout)")
        // `unexport NAME` keeps NAME out of it; `unexport` alone undoes it.
        for undo in ["unexport PREFECT__CONTEXT__SECRETS__DB_PASSWORD\n", "unexport\n"] {
            let kept = try await check("PREFECT__BACKEND = server\nPREFECT__CONTEXT__SECRETS__DB_PASSWORD = ${DB_PASSWORD}\nexport\n" + undo, env: false)
            #expect(kept.stdout.contains("PS202") || kept.stdout.contains("PS201"), "\(undo): \(kept.stdout)")
        }
    }

    /// An Ansible task that runs a project script starts the script's agents on the managed
    /// host with the task's environment (its play's, then its own).
    @Test func ansibleTasksRunProjectScripts() async throws {
        let playbook = """
            - hosts: agents
              environment:
                PREFECT__BACKEND: server
              tasks:
                - name: start the agent
                  shell: nohup /opt/etl/deploy/start-agent.sh > /var/log/agent.log 2>&1 &
                  environment:
                    PREFECT__CONTEXT__SECRETS__DB_PASSWORD: "{{ vault_db_password }}"

            """
        let root = try makeTree([
            "flows/etl.py": text(Self.localFlowReadingDBPassword), "deploy/site.yml": text(playbook),
            "deploy/start-agent.sh": text("#!/bin/sh\nexec prefect agent local start -l prod --no-hostname-label\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(summary == ["start the agent deploy/start-agent.sh:2 prod server PREFECT__BACKEND,PREFECT__CONTEXT__SECRETS__DB_PASSWORD "], "\(inventory.stdout)")
        #expect(inventory.stdout.contains("\"launcher\": \"Ansible task\""), "\(inventory.stdout)")
        let check = await runCLI(["check", root])
        #expect(check.status == 0, "\(check.stdout)")
    }

    /// A start script that sources its env file through its own folder (`"$(dirname "$0")/…"`,
    /// `"${BASH_SOURCE%/*}/…"`) reads the project's file of that name beside it; one in the
    /// home folder (`~/.prefect-agent`, `"$HOME/…"`) is not in the project and may set what
    /// is missing, as may a sourced file named for settings; a virtualenv's `activate` may not.
    @Test func sourcedFilesThroughTheScriptsFolderOrTheHomeFolder() async throws {
        func check(_ script: String, env: Bool = true) async throws -> CLIResult {
            var files = ["flows/etl.py": text(Self.localFlowReadingDBPassword), "backend.toml": text("backend = \"server\"\n")]
            files["deploy/start-agent.sh"] = text("#!/bin/bash\nset -a\n" + script + "\nset +a\nexec prefect agent local start -l prod --no-hostname-label\n")
            if env { files["deploy/agent.env"] = text("PREFECT__CONTEXT__SECRETS__DB_PASSWORD=${DB_PASSWORD}\n") }
            let root = try makeTree(files)
            defer { try? FileManager.default.removeItem(atPath: root) }
            return await runCLI(["check", root])
        }
        for script in [". \"$(dirname \"$0\")/agent.env\"", "source \"${BASH_SOURCE%/*}/agent.env\"", "cd \"$(dirname \"$0\")\" && . ./agent.env"] {
            let result = try await check(script)
            #expect(result.status == 0, "\(script): \(result.stdout)")
        }
        for (script, named) in [
            ("source ~/.prefect-agent", "~/.prefect-agent"), (". \"$HOME/etl/agent.env\"", "~/etl/agent.env"),
            (". /vault/secrets/config", "/vault/secrets/config"),
        ] {
            let result = try await check(script, env: false)
            #expect(result.stdout.contains("unless \(named) (not in the project) sets it") && result.stdout.contains("1 warning"), "\(script): \(result.stdout)")
        }
        let activate = try await check("source /opt/etl/venv/bin/activate", env: false)
        #expect(activate.stdout.contains("backend server has no secret store to fall back on\n") && activate.stdout.contains("1 error"), "\(activate.stdout)")
    }

    /// A Kubernetes container whose command runs a project script (also through `sh -c`) runs
    /// that script's agents in the container, with its `envFrom` and `env`: the backend and
    /// secrets it sets are the agent's, the project machine's are not; a Secret its `envFrom`
    /// names that the project does not define may set what is missing.
    @Test func kubernetesContainersRunProjectScripts() async throws {
        let manifest = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: etl-agent}
            spec:
              template:
                spec:
                  containers:
                    - name: agent
                      image: registry.example.com/etl-agent:1.4
                      command: ["/bin/sh", "-c"]
                      args: ["cd /opt/etl && exec ./deploy/start-agent.sh --verbose"]
                      env:
                        - {name: PREFECT__BACKEND, value: server}
                        - name: PREFECT__CONTEXT__SECRETS__DB_PASSWORD
                          valueFrom: {secretKeyRef: {name: etl-secrets, key: db-password}}

            """
        let root = try makeTree([
            "flows/etl.py": text(Self.localFlowReadingDBPassword), "deploy/k8s/agent.yaml": text(manifest),
            "deploy/start-agent.sh": text("#!/bin/sh\nexec prefect agent local start -l prod --no-hostname-label\n"),
            "backend.toml": text("backend = \"cloud\"\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(summary == ["agent deploy/start-agent.sh:2 prod server PREFECT__BACKEND,PREFECT__CONTEXT__SECRETS__DB_PASSWORD "], "\(inventory.stdout)")
        #expect(inventory.stdout.contains("\"launcher\": \"Kubernetes container\""), "\(inventory.stdout)")
        let check = await runCLI(["check", root])
        #expect(check.status == 0, "\(check.stdout)")
        let unseen = manifest.replacingOccurrences(of: "env:\n", with: "envFrom: [{secretRef: {name: etl-env}}]\n          env:\n")
            .replacingOccurrences(of: "PREFECT__CONTEXT__SECRETS__DB_PASSWORD", with: "DB_PASSWORD")
        try unseen.write(toFile: root + "/deploy/k8s/agent.yaml", atomically: true, encoding: .utf8)
        let missing = await runCLI(["check", root])
        #expect(
            missing.stdout.contains(
                "local agent of Kubernetes container 'agent' (deploy/start-agent.sh:2, labels prod, backend server) does not provide it and backend server has no secret store to fall back on, unless the Secret 'etl-env' that its envFrom names (Kubernetes container 'agent', deploy/k8s/agent.yaml; not read) sets it"
            ), "\(missing.stdout)")
        #expect(missing.stdout.contains("PS201") && missing.stdout.contains("1 warning"), "\(missing.stdout)")
        // Defined in another manifest: the container gets its keys.
        let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: etl-env}\ndata:\n  PREFECT__CONTEXT__SECRETS__DB_PASSWORD: c2VjcmV0\n"
        try secret.write(toFile: root + "/deploy/k8s/etl-env.yaml", atomically: true, encoding: .utf8)
        let provided = await runCLI(["check", root])
        #expect(provided.stdout.hasPrefix("No findings"), "\(provided.stdout)")
    }

    /// So does a container of an ECS task definition whose `command` runs a project script,
    /// with its `environment` and `secrets`; its `environmentFiles` (in S3) may set what is
    /// missing.
    @Test func ecsContainersRunProjectScripts() async throws {
        let task = """
            {"family": "etl-agent", "containerDefinitions": [{"name": "agent", "image": "etl-agent:1.4",
              "command": ["/opt/etl/deploy/start-agent.sh"],
              "environment": [{"name": "PREFECT__BACKEND", "value": "server"}],
              "secrets": [{"name": "PREFECT__CONTEXT__SECRETS__DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:etl/db"}]}]}

            """
        let root = try makeTree([
            "flows/etl.py": text(Self.localFlowReadingDBPassword), "deploy/agent-task.json": text(task),
            "deploy/start-agent.sh": text("#!/bin/sh\nexec prefect agent local start -l prod --no-hostname-label\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(summary == ["agent deploy/start-agent.sh:2 prod server PREFECT__BACKEND,PREFECT__CONTEXT__SECRETS__DB_PASSWORD "], "\(inventory.stdout)")
        #expect(inventory.stdout.contains("\"launcher\": \"ECS container\""), "\(inventory.stdout)")
        let check = await runCLI(["check", root])
        #expect(check.status == 0, "\(check.stdout)")
        let unseen = task.replacingOccurrences(of: "\"secrets\": [{\"name\": \"PREFECT__CONTEXT__SECRETS__DB_PASSWORD\"", with: "\"environmentFiles\": [{\"value\": \"arn:aws:s3:::etl/agent.env\", \"type\": \"s3\"}], \"secrets\": [{\"name\": \"DB_PASSWORD\"")
        try unseen.write(toFile: root + "/deploy/agent-task.json", atomically: true, encoding: .utf8)
        let missing = await runCLI(["check", root])
        #expect(
            missing.stdout.contains(
                "does not provide it and backend server has no secret store to fall back on, unless the environmentFiles (ECS container 'agent', deploy/agent-task.json; not read) sets it"
            ), "\(missing.stdout)")
        #expect(missing.stdout.contains("1 warning"), "\(missing.stdout)")
    }

    /// A container that runs an image the project builds (`docker build -t`, with the tag left
    /// to run time or a make variable) with the image's own command runs the agent of its
    /// Dockerfile's `CMD` with its env: a Kubernetes container without `command`/`args`, a
    /// compose service with only `image:`, `docker run IMAGE` (its `--env-file` looked up at the
    /// root too). Another image, or a container with its own `args`, runs no such agent.
    @Test func containersRunImagesTheProjectBuilds() async throws {
        let manifest = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: etl-agent}
            spec:
              template:
                spec:
                  containers:
                    - name: agent
                      image: registry.example.com/etl/agent:1.4
                      env:
                        - {name: PREFECT__BACKEND, value: server}
                        - name: PREFECT__CONTEXT__SECRETS__DB_PASSWORD
                          valueFrom: {secretKeyRef: {name: etl-secrets, key: db-password}}

            """
        let dockerfile = "FROM prefecthq/prefect:1.4.1-python3.9\nCMD [\"prefect\", \"agent\", \"local\", \"start\", \"-l\", \"prod\", \"--no-hostname-label\"]\n"
        let root = try makeTree([
            "flows/etl.py": text(Self.localFlowReadingDBPassword), "deploy/k8s/agent.yaml": text(manifest), "docker/agent/Dockerfile": text(dockerfile),
            "Makefile": text("IMAGE = registry.example.com/etl/agent\n\nimage:\n\tdocker build -t $(IMAGE):$(VERSION) docker/agent\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(summary == ["agent docker/agent/Dockerfile:2 prod server PREFECT__BACKEND,PREFECT__CONTEXT__SECRETS__DB_PASSWORD "], "\(inventory.stdout)")
        #expect(inventory.stdout.contains("\"launcher\": \"Kubernetes container\""), "\(inventory.stdout)")
        #expect(await runCLI(["check", root]).status == 0)
        let text = await runCLI(["inventory", root])
        #expect(text.stdout.contains("run by:       deploy/k8s/agent.yaml:9, which runs its image, built at Makefile:4\n"), "\(text.stdout)")
        #expect(inventory.stdout.contains("\"image_built_at\": \"Makefile:4\""), "\(inventory.stdout)")

        // Its own `args` replace the image's command; another repository is another image.
        for changed in [manifest.replacingOccurrences(of: "      env:", with: "      args: [\"sleep\", \"1\"]\n                      env:"),
                        manifest.replacingOccurrences(of: "etl/agent:1.4", with: "etl/worker:1.4")] {
            try changed.write(toFile: root + "/deploy/k8s/agent.yaml", atomically: true, encoding: .utf8)
            let (_, alone) = try await Self.agentSummaries(root)
            #expect(alone == ["- docker/agent/Dockerfile:2 prod cloud  "], "\(changed)")
        }
        try FileManager.default.removeItem(atPath: root + "/deploy/k8s/agent.yaml")

        // `docker run` in a script, with an env file at the project's root, and compose.
        try "#!/bin/sh\ndocker run -d --name etl-agent -e PREFECT__BACKEND=server --env-file deploy/agent.env registry.example.com/etl/agent:1.4\n"
            .write(toFile: root + "/deploy/run-agent.sh", atomically: true, encoding: .utf8)
        try "PREFECT__CONTEXT__SECRETS__DB_PASSWORD=from-file\n".write(toFile: root + "/deploy/agent.env", atomically: true, encoding: .utf8)
        let (_, run) = try await Self.agentSummaries(root)
        #expect(run == ["etl-agent docker/agent/Dockerfile:2 prod server PREFECT__CONTEXT__SECRETS__DB_PASSWORD,PREFECT__BACKEND deploy/agent.env"])
        try FileManager.default.removeItem(atPath: root + "/deploy/run-agent.sh")
        try "services:\n  agent:\n    image: registry.example.com/etl/agent\n    env_file: deploy/agent.env\n    environment: {PREFECT__BACKEND: server}\n"
            .write(toFile: root + "/docker-compose.yml", atomically: true, encoding: .utf8)
        let (_, compose) = try await Self.agentSummaries(root)
        #expect(compose == ["agent docker/agent/Dockerfile:2 prod server PREFECT__CONTEXT__SECRETS__DB_PASSWORD,PREFECT__BACKEND deploy/agent.env"])

        // A GitHub Actions job that builds it with docker/build-push-action (paths from the root).
        try FileManager.default.removeItem(atPath: root + "/Makefile")
        let workflow = """
            jobs:
              image:
                runs-on: ubuntu-latest
                steps:
                  - uses: docker/build-push-action@v5
                    with:
                      context: docker/agent
                      push: true
                      tags: |
                        registry.example.com/etl/agent:${{ github.sha }}
                        registry.example.com/etl/agent:latest

            """
        try FileManager.default.createDirectory(atPath: root + "/.github/workflows", withIntermediateDirectories: true)
        try workflow.write(toFile: root + "/.github/workflows/image.yml", atomically: true, encoding: .utf8)
        let (_, action) = try await Self.agentSummaries(root)
        #expect(action == compose)
    }

    /// A justfile's recipes start agents with its exports and, with `set dotenv-load`, the
    /// `.env` file's variables (one not in the project may set what is missing); `{{…}}` in a
    /// label is just's, unknown here; a literal secret it exports is PS104's, in "a justfile".
    @Test func justfilesStartAgents() async throws {
        let justfile = """
            set dotenv-load
            export PREFECT__BACKEND := "server"

            agent label="prod":
                prefect agent local start --label prod --no-hostname-label
            agent-for label:
                prefect agent local start --label {{ label }} --no-hostname-label

            """
        let root = try makeTree([
            "justfile": text(justfile), "flows/etl.py": text(Self.localFlowReadingDBPassword),
            ".env": text("PREFECT__CONTEXT__SECRETS__DB_PASSWORD=${DB_PASSWORD}\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(summary == [
            "- justfile:5 prod server PREFECT__CONTEXT__SECRETS__DB_PASSWORD,PREFECT__BACKEND .env",
            "- justfile:7  server PREFECT__CONTEXT__SECRETS__DB_PASSWORD,PREFECT__BACKEND .env",
        ], "\(inventory.stdout)")
        #expect(await runCLI(["inventory", root]).stdout.contains("local agent justfile:7: labels <unknown: "))
        #expect(await runCLI(["check", root]).status == 0)
        try FileManager.default.removeItem(atPath: root + "/.env")
        let missing = await runCLI(["check", root])
        #expect(missing.stdout.contains("unless .env (not in the project) sets it") && missing.stdout.contains("1 warning"), "\(missing.stdout)")
        try (justfile + "export PREFECT__CONTEXT__SECRETS__DB_PASSWORD := \"Hk2pXy7mNbQw9rT\"\n").write(toFile: root + "/justfile", atomically: true, encoding: .utf8)
        let literal = await runCLI(["check", root])
        #expect(literal.stdout.contains("PS104 [plaintext-secret-env] secret DB_PASSWORD is set to a literal value in a justfile"), "\(literal.stdout)")
        #expect(!literal.stdout.contains("Hk2pXy7mNbQw9rT"))
    }

    /// pyproject.toml's task runners start agents: poethepoet (its and the task's `env` and
    /// `envfile`), PDM scripts (the shared `_` settings), Hatch environment scripts (with the
    /// `env-vars` of the environment and of the `default` one it inherits), taskipy and Rye
    /// (a command as a list of arguments).
    @Test func pyprojectTaskRunnersStartAgents() async throws {
        let pyproject = """
            [tool.poe]
            envfile = "deploy/agent.env"
            [tool.poe.tasks.agent]
            cmd = "prefect agent local start --label poe --no-hostname-label"
            env = { PREFECT__BACKEND = "server" }

            [tool.pdm.scripts]
            _ = { env_file = "deploy/agent.env" }
            agent = { shell = "prefect agent local start --label pdm --no-hostname-label" }
            deploy = { composite = ["agent", "prefect agent local start --label pdm-composite --no-hostname-label"], env = { PREFECT__BACKEND = "server" } }

            [tool.hatch.envs.default.env-vars]
            PREFECT__BACKEND = "server"
            [tool.hatch.envs.prod.scripts]
            agent = ["echo starting", "prefect agent local start --label prod --no-hostname-label"]

            [tool.taskipy.tasks]
            agent = { cmd = "prefect agent local start --label taskipy --no-hostname-label", help = "the agent" }

            [tool.rye.scripts]
            agent = { cmd = ["prefect", "agent", "local", "start", "--label", "rye", "--no-hostname-label"], env-file = "deploy/agent.env" }

            """
        let root = try makeTree([
            "pyproject.toml": text(pyproject), "flows/etl.py": text(Self.localFlowReadingDBPassword),
            "deploy/agent.env": text("PREFECT__CONTEXT__SECRETS__DB_PASSWORD=${DB_PASSWORD}\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(summary == [
            "- pyproject.toml:4 poe server PREFECT__CONTEXT__SECRETS__DB_PASSWORD,PREFECT__BACKEND deploy/agent.env",
            "- pyproject.toml:9 pdm cloud PREFECT__CONTEXT__SECRETS__DB_PASSWORD deploy/agent.env",
            "- pyproject.toml:10 pdm-composite server PREFECT__CONTEXT__SECRETS__DB_PASSWORD,PREFECT__BACKEND deploy/agent.env",
            "- pyproject.toml:15 prod server PREFECT__BACKEND ",
            "- pyproject.toml:18 taskipy cloud  ",
            "- pyproject.toml:21 rye cloud PREFECT__CONTEXT__SECRETS__DB_PASSWORD deploy/agent.env",
        ], "\(inventory.stdout)")
        let check = await runCLI(["check", "--backend", "server", "--select", "PS2", root])
        // Hatch's environment gives it no env file.
        #expect(check.stdout.contains("flow 'etl' (flows/etl.py:5) needs secret DB_PASSWORD; local agent (pyproject.toml:15, labels prod, backend server) does not provide it"), "\(check.stdout)")
    }

    /// An agent a deploy script starts over `ssh` runs on the remote host, in its login
    /// environment: what the script exports before does not reach it (PS202 says why), what
    /// the remote script sets does, and PS201 names the remote environment (a warning).
    @Test func agentsStartedOverSSHRunInTheRemoteEnvironment() async throws {
        let script = """
            #!/bin/sh
            export PREFECT__CONTEXT__SECRETS__DB_PASSWORD="$DB_PASSWORD"
            ssh deploy@etl-host "cd /opt/etl && nohup prefect agent local start -l prod --no-hostname-label >agent.log 2>&1 &"

            """
        let root = try makeTree(["flows/etl.py": text(Self.localFlowReadingDBPassword), "deploy/deploy.sh": text(script)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let check = await runCLI(["check", "--backend", "server", root])
        #expect(check.stdout.contains(
            "PS202 [secret-only-local] secret DB_PASSWORD is provided only here, which local agent (deploy/deploy.sh:3, labels prod, backend server) never sees (`ssh` runs it on another host, in that host's login environment)"
        ), "\(check.stdout)")
        #expect(check.stdout.contains("unless ssh (the remote host's login environment; not read) sets it") && check.stdout.contains("2 warnings"), "\(check.stdout)")
        let remote = script.replacingOccurrences(of: "\"cd /opt/etl && ", with: "\"export PREFECT__CONTEXT__SECRETS__DB_PASSWORD=\\$(cat /etc/etl/db-password) && ")
        try remote.write(toFile: root + "/deploy/deploy.sh", atomically: true, encoding: .utf8)
        let set = await runCLI(["check", "--backend", "server", "--select", "PS2", root])
        #expect(set.status == 0 && set.stdout.contains("No findings"), "\(set.stdout)")
    }

    /// An agent a secrets manager starts (`doppler run -- prefect agent …`) is an agent, and
    /// what the manager puts in its environment is not in the project: PS201 names the manager
    /// and is a warning; a Docker agent's runs get only its PREFECT__CLOUD__AGENT__ENV_VARS
    /// from there, and with `--env` flags not even that.
    @Test func secretsManagersStartAgents() async throws {
        let flow = Self.localFlowReadingDBPassword + "with Flow('docker', run_config=DockerRun(labels=['dock']), storage=Module('flows.etl')) as other:\n    PrefectSecret('DB_PASSWORD')\n"
        let root = try makeTree([
            "flows/etl.py": text(flow.replacingOccurrences(of: "from prefect.run_configs import LocalRun", with: "from prefect.run_configs import DockerRun, LocalRun")),
            "deploy/start.sh": text("#!/bin/sh\nexec doppler run --project etl -- prefect agent local start -l prod --no-hostname-label\ndoppler run -- prefect agent docker start -l dock\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let check = await runCLI(["check", "--backend", "server", "--format", "json", root])
        let json = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any]
        let findings = (json?["findings"] as? [[String: Any]] ?? []).filter { $0["rule"] as? String == "PS201" }
        #expect(findings.map { $0["severity"] as? String ?? "" } == ["warning", "warning"], "\(check.stdout)")
        let messages = findings.map { $0["message"] as? String ?? "" }
        #expect(messages.contains { $0.hasSuffix("unless doppler run (a secrets manager; not read) sets it") }, "\(messages)")
        #expect(messages.contains { $0.hasSuffix("unless PREFECT__CLOUD__AGENT__ENV_VARS from doppler run (a secrets manager; not read) sets it") }, "\(messages)")
    }

    /// A script written in front of the agent's command (`with-secrets.sh prefect agent …`, in
    /// a script, a unit or a compose command; also two in turn) runs it: what it exports before
    /// `exec "$@"` reaches the agent, after the calling script's own env; one not in the project
    /// may set anything (PS201 names it, a warning).
    @Test func scriptsGivenTheAgentCommandRunIt() async throws {
        let root = try makeTree([
            "flows/etl.py": text(Self.localFlowReadingDBPassword),
            "deploy/with-secrets.sh": text("#!/bin/sh\nexport PREFECT__CONTEXT__SECRETS__DB_PASSWORD=\"$(cat /run/secrets/db)\"\nexec \"$@\"\n"),
            "deploy/run.sh": text("#!/bin/sh\nexport PREFECT__CONTEXT__SECRETS__DB_PASSWORD=from-script\nexec ./deploy/with-secrets.sh prefect agent local start -l prod --no-hostname-label\n"),
            "deploy/agent.service": text("[Service]\nExecStart=/opt/etl/deploy/with-secrets.sh /opt/etl/venv/bin/prefect agent local start -l unit\n"),
            "deploy/outside.sh": text("#!/bin/sh\n/usr/local/bin/vault-env.sh prefect agent local start -l prod --no-hostname-label\n"),
            "deploy/with-backend.sh": text("#!/bin/sh\nexport PREFECT__BACKEND=server\nexec \"$@\"\n"),
            "deploy/chained.sh": text("#!/bin/sh\n./deploy/with-backend.sh ./deploy/with-secrets.sh prefect agent local start -l chained\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(
            summary == [
                "- deploy/agent.service:2 unit cloud PREFECT__CONTEXT__SECRETS__DB_PASSWORD ",
                "- deploy/chained.sh:2 chained server PREFECT__BACKEND,PREFECT__CONTEXT__SECRETS__DB_PASSWORD ",
                "- deploy/outside.sh:2 prod cloud  ",
                "- deploy/run.sh:3 prod cloud PREFECT__CONTEXT__SECRETS__DB_PASSWORD,PREFECT__CONTEXT__SECRETS__DB_PASSWORD ",
            ], "\(inventory.stdout)")
        let text = await runCLI(["inventory", root])
        #expect(text.stdout.contains("run through:  deploy/with-secrets.sh, which runs this command (`exec \"$@\"`)"), "\(text.stdout)")
        #expect(text.stdout.contains("run through:  /usr/local/bin/vault-env.sh (not in the project)"), "\(text.stdout)")
        let check = await runCLI(["check", "--backend", "server", root])
        #expect(check.stdout.contains("local agent (deploy/outside.sh:2, labels prod, backend server) does not provide it and backend server has no secret store to fall back on, unless /usr/local/bin/vault-env.sh (not in the project) sets it"), "\(check.stdout)")
        #expect(!check.stdout.contains("deploy/run.sh:3, labels prod"), "\(check.stdout)")
    }

    /// A Python module that starts an agent (`LocalAgent(…).start()`) is a program too: a unit
    /// or a compose service that runs it with Python (`python -u /opt/etl/agent.py`, `python
    /// -m deploy.agent`, `python -m etlagent` as `etlagent/__main__.py`) runs its agent with the
    /// launcher's env; `python -c …` names no file, nor does `python -m prefect …`.
    @Test func launchersRunPythonModulesThatStartAgents() async throws {
        let module = "import os\nfrom prefect.agent.local import LocalAgent\nos.environ['PREFECT__CONTEXT__SECRETS__C'] = os.environ['C']\nLocalAgent(labels=['py']).start()\n"
        let root = try makeTree([
            "deploy/agent.py": text(module),
            "deploy/py-agent.service": text("[Service]\nEnvironment=PREFECT__BACKEND=server\nExecStart=/opt/etl/venv/bin/python3.11 -u /opt/etl/deploy/agent.py\n"),
            "deploy/module.service": text("[Service]\nEnvironment=M=1\nExecStart=/usr/bin/python3 -m deploy.agent\n"),
            "deploy/inline.service": text("[Service]\nEnvironment=I=1\nExecStart=/usr/bin/python3 -c 'import deploy.agent'\n"),
            "deploy/cli.service": text("[Service]\nEnvironment=P=1\nExecStart=/usr/bin/python3 -m prefect.agent\n"),
            "prefect/agent.py": text("from prefect.agent.local import LocalAgent\nLocalAgent(labels=['cli']).start()\n"),
            "etlagent/__main__.py": text("from prefect.agent.local import LocalAgent\nLocalAgent(labels=['pkg']).start()\n"),
            "deploy/package.service": text("[Service]\nEnvironment=PKG=1\nExecStart=/usr/bin/python3 -m etlagent\n"),
            "docker-compose.yml": text("services:\n  py:\n    image: prefecthq/prefect:1.4.1\n    command: python /app/agent.py\n    volumes: [./deploy:/app]\n    environment: {A: '1'}\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (inventory, summary) = try await Self.agentSummaries(root)
        #expect(
            summary == [
                "module.service deploy/agent.py:4 py cloud M,PREFECT__CONTEXT__SECRETS__C ",
                "py-agent.service deploy/agent.py:4 py server PREFECT__BACKEND,PREFECT__CONTEXT__SECRETS__C ",
                "py deploy/agent.py:4 py cloud A,PREFECT__CONTEXT__SECRETS__C ",
                "package.service etlagent/__main__.py:2 pkg cloud PKG ",
                "- prefect/agent.py:2 cli cloud  ",
            ], "\(inventory.stdout)")
    }

    /// Compose's order for an image it builds: the image's `ENV`, the service's env, then what
    /// the command sets itself; a stage that only `RUN`s runs its base's command; an agent
    /// only a base stage runs runs nowhere; a script the image runs gets the image's `ENV`;
    /// of two scripts of one name, the one whose folders match the program's path.
    @Test func composeServicesRunImagesAsDockerDoes() async throws {
        let flow = text("from prefect import Flow\nwith Flow('f') as flow:\n    pass\n")
        func summaries(_ files: [String: String]) async throws -> [String] {
            let root = try makeTree(files.mapValues(text).merging(["flows/f.py": flow]) { $1 })
            defer { try? FileManager.default.removeItem(atPath: root) }
            return try await Self.agentSummaries(root).1
        }
        let stages = """
            FROM prefecthq/prefect:1.4.1 AS base
            ENTRYPOINT ["prefect", "agent", "local", "start"]
            CMD ["--label", "base"]
            FROM base AS agent
            RUN pip install pandas

            """
        #expect(try await summaries([
            "agent/Dockerfile": stages, "docker-compose.yml": "services:\n  s:\n    build: {context: agent, target: agent}\n    environment: {A: '1'}\n",
        ]) == ["s agent/Dockerfile:2 base cloud A "])
        let baseAndLast = "FROM prefecthq/prefect:1.4.1 AS base\nCMD [\"prefect\", \"agent\", \"local\", \"start\"]\nFROM base\nCMD [\"prefect\", \"agent\", \"docker\", \"start\"]\n"
        #expect(try await summaries([
            "agent/Dockerfile": baseAndLast, "docker-compose.yml": "services:\n  s:\n    build: agent\n",
        ]) == ["s agent/Dockerfile:4  cloud  "], "compose builds the last stage: the base stage's own agent runs nowhere")
        #expect(try await summaries(["agent/Dockerfile": baseAndLast]).count == 2, "`docker build --target base` may build it")
        #expect(try await summaries([
            "agent/Dockerfile": "FROM prefecthq/prefect:1.4.1\nCMD PREFECT__BACKEND=cloud prefect agent local start\n",
            "docker-compose.yml": "services:\n  s:\n    build: agent\n    environment: {PREFECT__BACKEND: server}\n",
        ]) == ["s agent/Dockerfile:2  cloud PREFECT__BACKEND,PREFECT__BACKEND "], "the command's own prefix comes last")
        #expect(try await summaries([
            "agent/Dockerfile": "FROM prefecthq/prefect:1.4.1\nENV B=1\nCOPY start.sh /start.sh\nCMD [\"tini\", \"--\", \"bash\", \"/start.sh\"]\n",
            "agent/start.sh": "prefect agent local start -l s\n", "tools/start.sh": "echo other\n",
            "docker-compose.yml": "services:\n  s:\n    build: agent\n    environment: {A: '1'}\n",
        ]) == ["s agent/start.sh:1 s cloud B,A "], "the image's ENV, then the service's")
        #expect(try await summaries([
            "agent/start.sh": "prefect agent local start -l a\n", "tools/start.sh": "echo other\n",
            "docker-compose.yml": "services:\n  s:\n    image: prefecthq/prefect:1.4.1\n    command: [\"/opt/tools/start.sh\"]\n    environment: {A: '1'}\n",
        ]) == ["- agent/start.sh:1 a cloud  "], "/opt/tools/start.sh is tools/start.sh, which starts no agent")
        #expect(try await summaries([
            "docker/Dockerfile": "FROM prefecthq/prefect:1.4.1\nCOPY scripts/start.sh /start.sh\nCMD [\"/start.sh\"]\n",
            "docker/start.sh": "prefect agent local start -l dev\n", "scripts/start.sh": "prefect agent local start -l prod\n",
            "docker-compose.yml": "services:\n  s:\n    build: {context: ., dockerfile: docker/Dockerfile}\n    environment: {A: '1'}\n",
        ]) == ["- docker/start.sh:1 dev cloud  ", "s scripts/start.sh:1 prod cloud A "], "the file COPY takes from the build context")
        let mounted = "services:\n  s:\n    image: prefecthq/prefect:1.4.1\n    command: [\"/entry.sh\"]\n    environment: {A: '1'}\n"
        #expect(try await summaries([
            "ops/start.sh": "prefect agent local start -l m\n", "entry.sh": "prefect agent local start -l e\n",
            "docker-compose.yml": mounted + "    volumes: [\"./ops/start.sh:/entry.sh\"]\n",
        ]) == ["- entry.sh:1 e cloud  ", "s ops/start.sh:1 m cloud A "], "a bind mount says which file the program is")
        #expect(try await summaries([
            "entry.sh": "prefect agent local start -l e\n", "docker-compose.yml": mounted,
        ]) == ["- entry.sh:1 e cloud  "], "with nothing mounted or built, /entry.sh is the image's own file")
        #expect(try await summaries([
            "Dockerfile": "FROM prefecthq/prefect:1.4.1\nCOPY b/start.sh /srv/agent.sh\nCOPY other.sh /start.sh\nCMD [\"/start.sh\"]\n",
            "b/start.sh": "prefect agent local start -l beta\n", "docker-compose.yml": "services:\n  s:\n    build: .\n    environment: {A: '1'}\n",
        ]) == ["- b/start.sh:1 beta cloud  "], "/start.sh is other.sh, not in the project: no script of that name runs")
    }

    /// Compose reads `env_file` next to the compose file, not at the project's root.
    @Test func composeEnvFilesAreRelativeToTheComposeFile() async throws {
        let compose = "services:\n  agent:\n    image: prefecthq/prefect:1.4.1\n    command: prefect agent local start --label x\n    env_file: [./.env]\n"
        for (files, expected) in [
            (["deploy/docker-compose.yml": compose, ".env": "A=1\n"], "- deploy/docker-compose.yml:4 x cloud  "),
            (["deploy/docker-compose.yml": compose, "deploy/.env": "A=1\n"], "- deploy/docker-compose.yml:4 x cloud A deploy/.env"),
        ] {
            let root = try makeTree(files.mapValues(text))
            defer { try? FileManager.default.removeItem(atPath: root) }
            #expect(try await Self.agentSummaries(root).1 == [expected])
        }
    }

    /// Each agent of the JSON inventory as "service location labels backend process-env env-files".
    /// Flow 'etl' (flows/etl.py) on a `LocalRun` labelled `prod`, reading secret DB_PASSWORD.
    static let localFlowReadingDBPassword = "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom prefect.storage import Module\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('etl', run_config=LocalRun(labels=['prod']), storage=Module('flows.etl')) as flow:\n    PrefectSecret('DB_PASSWORD')\n"

    static func agentSummaries(_ root: String) async throws -> (CLIResult, [String]) {
        let inventory = await runCLI(["inventory", "--format", "json", root])
        #expect(inventory.status == 0, "\(inventory.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(inventory.stdout.utf8)) as? [String: Any]
        let summaries = (json?["agents"] as? [[String: Any]] ?? []).map { agent in
            [
                (agent["run_by"] as? [String: Any])?["service"] as? String ?? "-", agent["location"] as? String ?? "?",
                (agent["labels"] as? [String] ?? []).joined(separator: ","), agent["backend"] as? String ?? "?",
                (agent["process_env"] as? [String] ?? []).joined(separator: ","), (agent["env_files"] as? [String] ?? []).joined(separator: ","),
            ].joined(separator: " ")
        }
        return (inventory, summaries)
    }

    /// A run config or storage built by code the tool cannot read is shown as such, not as
    /// none or the default.
    @Test func inventoryShowsRunConfigAndStorageItCannotRead() async throws {
        let flow = "from prefect import Flow\nimport common\nwith Flow('etl', run_config=common.run_config(), storage=common.storage('etl')) as flow:\n    pass\n"
        let root = try makeTree(["flows/etl.py": text(flow)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let inventory = await runCLI(["inventory", root])
        #expect(inventory.stdout.contains("run config <unknown: common.run_config(…)>, storage <unknown: common.storage(…)>"), "\(inventory.stdout)")
    }

    /// A flow whose name is not a literal is shown alike in every line of the inventory, with
    /// its place, and in findings: by the name's form (`f"etl-{env}"`), by the leading name of
    /// the expression that gives it (`sys.argv[1]`), or as unnamed (`f"{a} {b}"`, whose
    /// form shows nothing).
    @Test(arguments: [
        ("sys.argv[1]", "(named by sys.argv[…])", "flow named by sys.argv[…]"),
        ("f\"etl-{sys.argv[1]}\"", "'etl-{…}'", "flow 'etl-{…}'"),
        ("f\"{sys.argv[1]} {sys.argv[2]}\"", "(unnamed)", "unnamed flow"),
    ])
    func computedFlowNamesAreShownAlike(written: String, shown: String, inFindings: String) async throws {
        let flow = """
            import sys
            from prefect import Flow
            from prefect.run_configs import LocalRun
            from prefect.storage import Module
            from prefect.tasks.secrets import PrefectSecret
            with Flow(\(written), run_config=LocalRun(), storage=Module("flows.etl")) as flow:
                PrefectSecret("DB")

            """
        let root = try makeTree(["flows/etl.py": text(flow), "agent.sh": text("prefect agent local start --no-hostname-label\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let inventory = await runCLI(["inventory", "--backend", "server", root])
        for line in [
            "    needed by   flow \(shown) flows/etl.py:7 (prefectSecretTask)\n",
            "    ✗ flow \(shown) flows/etl.py:6 on local agent agent.sh:1: ",
            "  \(shown) flows/etl.py:6: labels none, ",
        ] {
            #expect(inventory.stdout.contains(line), "\(inventory.stdout)")
        }
        let check = await runCLI(["check", "--backend", "server", "--quiet", root])
        #expect(check.stdout.contains("PS201 [secret-missing-for-agent] \(inFindings) (flows/etl.py:6) needs secret DB;"), "\(check.stdout)")
    }

    /// `prefect register` in a script or a CI job adds its `--label`s to the flows it
    /// registers (also 1.x's deprecated `register flow --file`); `$ARGS` that may be options
    /// leave its flows unknown, so nothing is added.
    @Test func registerCommandsLabelTheirFlows() async throws {
        let flow = "from prefect import Flow\nwith Flow('NAME') as flow:\n    pass\n"
        let script = """
            prefect register --project "$PROJECT" -p flows/a.py -l prod -f
            prefect register flow --file flows/b.py --label dev
            prefect register --project p -p flows/c.py $EXTRA -l x

            """
        let root = try makeTree([
            "flows/a.py": text(flow.replacingOccurrences(of: "NAME", with: "a")), "flows/b.py": text(flow.replacingOccurrences(of: "NAME", with: "b")),
            "flows/c.py": text(flow.replacingOccurrences(of: "NAME", with: "c")), "register.sh": text(script),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let inventory = await runCLI(["inventory", "--format", "json", root])
        let flows = (try JSONSerialization.jsonObject(with: Data(inventory.stdout.utf8)) as? [String: Any])?["flows"] as? [[String: Any]] ?? []
        #expect(flows.map { ($0["labels"] as? [String] ?? []).joined(separator: ",") } == ["prod", "dev", ""], "\(inventory.stdout)")
    }

    /// A flow its module runs when loaded (`flow.run()` at module level) that nothing
    /// registers runs in that process: no agent gets its runs, so PS203 does not report it and
    /// the inventory says why it has none. One its module, or a `prefect register` the project
    /// runs, registers is an agent's as any.
    @Test func flowsOnlyTheirModuleRunsNeedNoAgent() async throws {
        let flow = { (name: String, tail: String) in
            "from prefect import Flow\nfrom prefect.storage import GitHub\nfrom prefect.tasks.secrets import PrefectSecret\n"
                + "with Flow('\(name)', storage=GitHub(repo='o/r', path='jobs/\(name).py')) as flow:\n    PrefectSecret('DB_PASSWORD')\n\(tail)"
        }
        let files = [
            "jobs/backfill.py": flow("backfill", "flow.run()\n"),
            "jobs/nightly.py": flow("nightly", "flow.register(project_name='p')\nflow.run()\n"),
            "jobs/weekly.py": flow("weekly", "if __name__ == '__main__':\n    flow.run()\n"),
            "agent.sh": "prefect backend server\nprefect agent docker start\n",
        ]
        let findings = try await ProjectVerdictTests.findings(files)
        #expect(findings.filter { $0["rule"] as? String == "PS201" }.compactMap { $0["path"] as? String }.sorted() == ["jobs/nightly.py", "jobs/weekly.py"], "\(findings)")
        #expect(!findings.contains { $0["path"] as? String == "jobs/backfill.py" }, "\(findings)")
        let inventory = try await ProjectVerdictTests.inventory(files)
        #expect(inventory.contains("'backfill' jobs/backfill.py:4: labels none, run config none, storage GitHub, agents: none (its module runs it when loaded, and nothing registers it)"), "\(inventory)")
        var registered = files
        registered["deploy.sh"] = "prefect register --project p -p jobs/\n"
        let all = try await ProjectVerdictTests.findings(registered)
        #expect(all.filter { $0["rule"] as? String == "PS201" }.count == 3, "\(all)")
        // A module that sets its storage imports it: registering that module registers it (as
        // mbillingr/wasserstand's `update_data_cloud.py` does).
        var configured = files
        configured["jobs/backfill_cloud.py"] = "from prefect.storage import GitHub\nfrom jobs.backfill import flow\nflow.storage = GitHub(repo='o/r', path='jobs/backfill_cloud.py')\n"
        let configuredInventory = try await ProjectVerdictTests.inventory(configured)
        #expect(!configuredInventory.contains("its module runs it when loaded"), "\(configuredInventory)")
    }

    /// A flow whose run config or storage another module sets (`from flows.etl import flow`)
    /// has labels the tool cannot read: no PS203 claims no agent runs it, and the inventory
    /// says where it is configured further.
    @Test func flowsConfiguredElsewhereHaveUnknownLabels() async throws {
        let root = try makeTree([
            "flows/etl.py": text("from prefect import Flow\nwith Flow('etl') as flow:\n    pass\n"),
            "deploy/register.py": text("from prefect.run_configs import DockerRun\nfrom flows.etl import flow\nflow.run_config = DockerRun(labels=['prod'])\n"),
            "flows/load.py": text("from prefect import Flow\nwith Flow('load') as flow:\n    pass\n"),
            "deploy/config.py": text("from prefect.run_configs import DockerRun\nfrom flows import load\nload.flow.run_config = DockerRun(labels=['prod'])\n"),
            "flows/third.py": text("from prefect import Flow\nwith Flow('third') as flow:\n    pass\n"),
            "flows/fourth.py": text("from prefect import Flow\nwith Flow('fourth') as flow:\n    pass\n"),
            "deploy/more.py": text(
                "import prefect\nimport flows.third\nfrom flows.fourth import flow as fourth\nflows.third.flow.run_config = prefect.run_configs.DockerRun(labels=['prod'])\n"
                    + "fourth.register(project_name='p', labels=['prod'])\n"),
            "agent.sh": text("prefect agent docker start --label prod\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let check = await runCLI(["check", "--no-color", "--fail-on", "never", root])
        #expect(!check.stdout.contains("PS203"), "\(check.stdout)")
        let inventory = await runCLI(["inventory", root])
        #expect(inventory.stdout.contains("labels <unknown: set in deploy/register.py>"), "\(inventory.stdout)")
        #expect(inventory.stdout.contains("'load' flows/load.py:2: labels <unknown: set in deploy/config.py>"), "\(inventory.stdout)")
        #expect(inventory.stdout.contains("'third' flows/third.py:2: labels <unknown: set in deploy/more.py>"), "\(inventory.stdout)")
        #expect(inventory.stdout.contains("'fourth' flows/fourth.py:2: labels <unknown: set in deploy/more.py>"), "\(inventory.stdout)")
        // What its own module says of its run config and storage may not hold.
        #expect(inventory.stdout.contains("'etl' flows/etl.py:2: labels <unknown: set in deploy/register.py>, run config none, storage Local (default) (configured further in deploy/register.py), agents: "), "\(inventory.stdout)")
    }

    /// A register script that sets the run config and storage of the flows it imports in a
    /// loop (`for flow in flows_to_register:`, as monitorfish's `flows_config.py`) configures
    /// the flows of the modules it imports; a module it does not import keeps its own.
    @Test func flowsConfiguredInALoopOverImportedFlowsHaveUnknownLabels() async throws {
        let root = try makeTree([
            "src/flows/beacons.py": text("from prefect import Flow\nwith Flow('beacons') as flow:\n    pass\n"),
            "src/flows/districts.py": text("from prefect import Flow\nwith Flow('districts') as flow:\n    pass\n"),
            "src/flows/other.py": text("from prefect import Flow\nwith Flow('other') as flow:\n    pass\n"),
            "src/flows_config.py": text(
                "from prefect.run_configs import DockerRun\nfrom prefect.storage import Local\nfrom src.flows import beacons\nimport src.flows.districts\n"
                    + "flows_to_register = [beacons.flow, src.flows.districts.flow]\n"
                    + "for flow in flows_to_register:\n    flow.storage = Local(add_default_labels=False)\n    flow.run_config = DockerRun(labels=['monitorfish'])\n"),
            "agent.sh": text("prefect agent docker start --label monitorfish\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let check = await runCLI(["check", "--no-color", "--fail-on", "never", root])
        #expect(check.stdout.contains("PS203"), "\(check.stdout)")
        #expect(!check.stdout.contains("flow 'beacons'") && !check.stdout.contains("flow 'districts'"), "\(check.stdout)")
        #expect(check.stdout.contains("flow 'other'"), "\(check.stdout)")
        let inventory = await runCLI(["inventory", root])
        #expect(inventory.stdout.contains("'beacons' src/flows/beacons.py:2: labels <unknown: set in src/flows_config.py>"), "\(inventory.stdout)")
        #expect(inventory.stdout.contains("'districts' src/flows/districts.py:2: labels <unknown: set in src/flows_config.py>"), "\(inventory.stdout)")
    }

    /// A cookiecutter template's flow (`template/{{ cookiecutter.repo_name }}/flow.py`) is
    /// what the projects made from it will hold: the model leaves it out (no PS203, not in
    /// the inventory), while its credentials are still reported.
    @Test func projectTemplatesAreNotTheProjectsFlows() async throws {
        let root = try makeTree([
            "template/{{ cookiecutter.repo_name }}/flow.py": text(
                "from prefect import Flow\nfrom prefect.tasks.postgres import PostgresExecute\nwith Flow('templated') as flow:\n"
                    + "    PostgresExecute(db_name='d', user='u', password='Zq8vLm2pX9wR4tYk')\n"),
            "flows/etl.py": text("from prefect import Flow\nwith Flow('etl') as flow:\n    pass\n"),
            "agent.sh": text("prefect agent docker start --label prod\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let check = await runCLI(["check", "--no-color", "--fail-on", "never", root])
        #expect(check.stdout.contains("flow 'etl'"), "\(check.stdout)")
        #expect(!check.stdout.contains("templated"), "\(check.stdout)")
        #expect(check.stdout.contains("{{ cookiecutter.repo_name }}/flow.py:4:"), "\(check.stdout)")
        let inventory = await runCLI(["inventory", root])
        #expect(!inventory.stdout.contains("templated"), "\(inventory.stdout)")
    }

    /// A run config and storage imported from a shared module are named with where they come from.
    @Test func inventoryNamesTheModuleOfImportedComponents() async throws {
        let root = try makeTree([
            "flows/etl.py": text("from prefect import Flow\nfrom flow_config import RUN_CONFIG, STORAGE\nwith Flow('etl', run_config=RUN_CONFIG, storage=STORAGE) as flow:\n    pass\n"),
            "flows/flow_config.py": text("from prefect.run_configs import ECSRun\nfrom prefect.storage import S3\nRUN_CONFIG = ECSRun(labels=['prod'])\nSTORAGE = S3(bucket='flows')\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let inventory = await runCLI(["inventory", root])
        #expect(inventory.stdout.contains(
            "'etl' flows/etl.py:3: labels prod, run config ECSRun (from flows/flow_config.py), storage S3 (from flows/flow_config.py), agents: none"), "\(inventory.stdout)")
    }

    /// So does a flow given to a function of another project module that sets a flow's run
    /// config or storage (`prepare(flow)`, `config.prepare(f=flow)`); one that sets neither,
    /// or of a module outside the project (`print`, `json.dumps`), leaves the labels known.
    @Test func flowsGivenToAProjectFunctionHaveUnknownLabels() async throws {
        let root = try makeTree([
            "flows/a.py": text("import json\nfrom prefect import Flow\nfrom flows.config import prepare\nwith Flow('a') as flow:\n    pass\nprepare(flow)\n"),
            "flows/b.py": text("import json\nfrom prefect import Flow\nwith Flow('b') as flow:\n    pass\nprint(json.dumps(flow))\n"),
            "flows/c.py": text("from prefect import Flow\nfrom flows import config\nwith Flow('c') as flow:\n    pass\nconfig.prepare(f=flow)\n"),
            "flows/d.py": text("from prefect import Flow\nfrom flows.config import log_summary\nwith Flow('d') as flow:\n    pass\nlog_summary(flow)\n"),
            "flows/config.py": text(
                "from prefect.run_configs import DockerRun\ndef prepare(f):\n    f.run_config = DockerRun(labels=['prod'])\ndef log_summary(flow):\n    print(flow.name)\n"),
            "agent.sh": text("prefect agent docker start --label prod\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let inventory = await runCLI(["inventory", root])
        #expect(inventory.stdout.contains("'a' flows/a.py:4: labels <unknown: set in flows/config.py>"), "\(inventory.stdout)")
        #expect(inventory.stdout.contains("'b' flows/b.py:3: labels <hostname>"), "\(inventory.stdout)")
        #expect(inventory.stdout.contains("'c' flows/c.py:3: labels <unknown: set in flows/config.py>"), "\(inventory.stdout)")
        #expect(inventory.stdout.contains("'d' flows/d.py:3: labels <hostname>"), "a function that sets nothing: \(inventory.stdout)")
    }

    /// A task or helper of a project module that reads a secret reads it for the flow whose
    /// module imports and uses it (the only flow there): from the project's root or the
    /// importing file's folder, relatively, through a helper the task calls, and in a `Task`
    /// class's `run`. A module with two flows, a star import, a name imported but not used, or
    /// used only under `if __name__ == "__main__":`, and a method `run` does not call link nothing.
    @Test func secretsReadByImportedTasksAndHelpersBelongToTheImportingFlow() async throws {
        let flow = { (name: String, imports: String, use: String) in
            text("from prefect import Flow\n\(imports)\nwith Flow('\(name)') as flow:\n    \(use)\n")
        }
        let root = try makeTree([
            "lib/db.py": text(
                "from prefect import task\nfrom prefect.client import Secret\n"
                    + "def dsn():\n    return Secret('DB_PASS').get()\n"
                    + "@task\ndef load(rows):\n    return dsn()\n"
                    + "def unused():\n    return Secret('UNUSED_PASS').get()\n"
                    + "class Export:\n    def run(self):\n        return Secret('EXPORT_TOKEN').get()\n    def admin(self):\n        return Secret('ADMIN_TOKEN').get()\n"
                    + "class Conn:\n    def __init__(self):\n        self.password = Secret('CONN_PASS').get()\n"),
            "flows/a.py": flow("a", "from lib.db import load, unused", "load([])"),
            "flows/b.py": flow("b", "from lib.db import Export as E", "E()()"),
            "flows/sub/c.py": flow("c", "from ..helpers import notify", "notify()"),
            "flows/main.py": flow("main", "from lib.db import unused, load", "pass\nif __name__ == '__main__':\n    unused()"),
            "flows/attr.py": flow("attr", "import sqlite3\nfrom lib.db import unused", "sqlite3.unused()  # unused()"),
            "flows/lazy.py": text("from prefect import Flow, task\n@task\ndef t():\n    from lib.db import dsn\n    return dsn()\nwith Flow('lazy') as flow:\n    t()\n"),
            "flows/deploy.py": text("from prefect import Flow\ndef register():\n    from lib.db import dsn\n    dsn()\nwith Flow('deploy') as flow:\n    pass\n"),
            "flows/hash.py": flow("hash", "from lib.db import load", "load('-- #rows', load)"),
            "flows/script.py": text("from prefect import Flow\nfrom lib.db import Conn\nif __name__ == '__main__':\n    with Flow('script') as flow:\n        Conn()\n"),
            "flows/helpers.py": text("from prefect.tasks.secrets import PrefectSecret\ndef notify():\n    return PrefectSecret('HOOK').run()\n"),
            "flows/two.py": text("from prefect import Flow\nfrom lib.db import load\nwith Flow('x') as f1:\n    pass\nwith Flow('y') as f2:\n    pass\n"),
            "flows/star.py": flow("star", "from lib.db import *", "load([])"),
            // A `Task` class whose `run` holds nothing but a call of an imported helper.
            "lib/tasks.py": text("from prefect import Task\nfrom lib.db import dsn\nclass Load(Task):\n    def run(self):\n        rows = []\n        return dsn()\n"),
            "flows/cls.py": flow("cls", "from lib.tasks import Load", "Load()()"),
            "agent.sh": text("prefect backend server\nprefect agent local start\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let check = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS201", root])
        #expect(check.stdout.contains("flows/a.py:2:20: PS201"), "\(check.stdout)")
        #expect(check.stdout.contains("needs secret DB_PASS (read in lib/db.py:4, imported here)"), "\(check.stdout)")
        #expect(check.stdout.contains("flows/b.py:2:20: PS201"), "\(check.stdout)")
        #expect(check.stdout.contains("needs secret EXPORT_TOKEN (read in lib/db.py:12, imported here)"), "\(check.stdout)")
        #expect(check.stdout.contains("flows/sub/c.py:2:23: PS201"), "\(check.stdout)")
        #expect(!check.stdout.contains("UNUSED_PASS"), "imported, not used, or used only when run as a script: \(check.stdout)")
        #expect(!check.stdout.contains("flows/main.py"), "\(check.stdout)")
        #expect(!check.stdout.contains("flows/attr.py"), "an attribute and a comment are no use: \(check.stdout)")
        #expect(check.stdout.contains("flows/lazy.py:4:24: PS201"), "an import in a task runs with it: \(check.stdout)")
        #expect(!check.stdout.contains("flows/deploy.py"), "an import in a function that is no task: \(check.stdout)")
        #expect(check.stdout.contains("flows/hash.py:2:20: PS201"), "a # inside a string is no comment: \(check.stdout)")
        #expect(check.stdout.contains("flows/script.py:2:20: PS201"), "a flow built under __main__: \(check.stdout)")
        #expect(check.stdout.contains("needs secret CONN_PASS (read in lib/db.py:17"), "__init__ runs when the class is used: \(check.stdout)")
        #expect(!check.stdout.contains("flows/two.py"), "two flows: which one uses it is unknown: \(check.stdout)")
        #expect(!check.stdout.contains("ADMIN_TOKEN"), "a method the task's run does not call: \(check.stdout)")
        #expect(!check.stdout.contains("flows/star.py"), "\(check.stdout)")
        #expect(check.stdout.contains("flows/cls.py:2:23: PS201"), "a task class's run calling an imported helper: \(check.stdout)")
        let inventory = await runCLI(["inventory", root])
        #expect(inventory.stdout.contains("needed by   flow 'a' flows/a.py:2 (secretGet in lib/db.py:4)"), "\(inventory.stdout)")
        #expect(inventory.stdout.contains("needed by   lib/db.py:9 (secretGet)"), "a definition no flow imports stays loose: \(inventory.stdout)")
        #expect(!inventory.stdout.contains("needed by   lib/db.py:4"), "linked, so no longer loose: \(inventory.stdout)")
    }

    /// What real projects showed (each checked with Prefect 1.4.1): GitHub storage reads
    /// GITHUB_ACCESS_TOKEN from the run's environment when the context lacks it; a Webhook's
    /// build kwargs are rendered at registration, not in the run; GOOGLE_APPLICATION_CREDENTIALS
    /// is a file path; a `$` in a single-quoted `--env` value or a systemd `Environment=` line
    /// is text (only a variable-like `$NAME` is Prefect's to fill).
    @Test func envFallbacksTemplatesAndDollarsAsPrefectReadsThem() async throws {
        let root = try makeTree([
            "flows/gh.py": text(
                "from prefect import Flow\nfrom prefect.storage import GitHub\nfrom prefect.run_configs import DockerRun\n"
                    + "flow = Flow('gh', storage=GitHub(repo='o/r', path='flows/gh.py'), run_config=DockerRun(labels=['d']))\n"),
            "flows/hook.py": text(
                "from prefect import Flow\nfrom prefect.storage import Webhook\nfrom prefect.run_configs import LocalRun\n"
                    + "flow = Flow('hook', run_config=LocalRun(labels=['l']), storage=Webhook(build_request_kwargs={'headers': {'Authorization': 'Bearer ${UPLOAD_TOKEN}'}}, "
                    + "build_request_http_method='PUT', get_flow_request_kwargs={'url': 'https://x.invalid'}, get_flow_request_http_method='GET'))\n"),
            "flows/gcp.py": text(
                "import os\nfrom prefect import Flow\nfrom prefect.run_configs import LocalRun\n"
                    + "flow = Flow('gcp', run_config=LocalRun(labels=['l'], env={'GOOGLE_APPLICATION_CREDENTIALS': os.environ['GOOGLE_APPLICATION_CREDENTIALS']}))\n"),
            "agents.sh": text(
                "prefect backend server\nprefect agent docker start -l d --env GITHUB_ACCESS_TOKEN=\"$GH\" --env 'PREFECT__CONTEXT__SECRETS__API=ab$Hj7Kk2Ll9Mm4Nn'\n"
                    + "prefect agent local start -l l --no-hostname-label --env 'PREFECT__CONTEXT__SECRETS__REF=$API_TOKEN' --env 'PREFECT__CONTEXT__SECRETS__LOW=pg://u:$db_password@h'"
                    + " --env 'PREFECT__CONTEXT__SECRETS__RND=k9Qz7Lm2$wx8vr4np6t'\n"),
            "agent.service": text("[Service]\nEnvironment=PREFECT__CONTEXT__SECRETS__HOOK=zz$Pp3Qq8Rr1Ss6Tt\nExecStart=prefect agent local start -l x\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let check = await runCLI(["check", "--no-color", "--fail-on", "never", root])
        #expect(!check.stdout.contains("PS206"), "\(check.stdout)")
        #expect(!check.stdout.contains("UPLOAD_TOKEN"), "\(check.stdout)")
        #expect(!check.stdout.contains("PS106"), "\(check.stdout)")
        #expect(check.stdout.contains("agents.sh:2:103: PS104"), "\(check.stdout)")
        #expect(check.stdout.contains("agent.service:2:45: PS104"), "\(check.stdout)")
        #expect(!check.stdout.contains("PS104 [plaintext-secret-env] secret REF"), "$API_TOKEN is Prefect's to fill: \(check.stdout)")
        #expect(!check.stdout.contains("PS104 [plaintext-secret-env] secret LOW"), "$db_password too: \(check.stdout)")
        #expect(check.stdout.contains("PS104 [plaintext-secret-env] secret RND"), "$wx8vr4np6t is no variable's name: \(check.stdout)")
        // Yet the `$NAME` a quoted value hands Prefect as written is expanded there (PS403's
        // own example, helper round 40); one the shell expands first is not Prefect's.
        let lossy = try makeTree([
            "start.sh": text(
                "prefect agent docker start --label etl --env 'PREFECT__CONTEXT__SECRETS__FTP_PASSWORD=example$password'"
                    + " --env \"PREFECT__CONTEXT__SECRETS__SHELL=pa${ss}word\"\nexport PREFECT__CONTEXT__SECRETS__A2='pa${ss}word'\n")
        ])
        defer { try? FileManager.default.removeItem(atPath: lossy) }
        let lossyCheck = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS403", lossy])
        #expect(lossyCheck.stdout.contains("PS403 [lossy-secret-value] secret FTP_PASSWORD"), "\(lossyCheck.stdout)")
        #expect(lossyCheck.stdout.contains("PS403 [lossy-secret-value] secret A2"), "\(lossyCheck.stdout)")
        #expect(!lossyCheck.stdout.contains("secret SHELL"), "\(lossyCheck.stdout)")
    }

    /// Reads as they happen in a flow run (checked with Prefect 1.4.1): `s.get()` in a task on
    /// a module-level `s = Secret("X")` reads X in the run; a task built in a task's body and
    /// never run (`SlackTask(message=m)`) reads nothing.
    @Test func readsInTaskBodiesAreWhereTheyRun() async throws {
        let root = try makeTree([
            "flow.py": text(
                "from prefect import Flow, task\nfrom prefect.client import Secret\nfrom prefect.run_configs import LocalRun\n"
                    + "from prefect.tasks.notifications.slack_task import SlackTask\n"
                    + "db_pass = Secret('DB_PASS')\n@task\ndef load():\n    return db_pass.get()\n"
                    + "@task\ndef notify(m):\n    SlackTask(message=m)\n"
                    + "with Flow('f', run_config=LocalRun(labels=['dev'])) as flow:\n    notify(load())\n"),
            "agent.sh": text("prefect backend server\nprefect agent local start -l dev\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let check = await runCLI(["check", "--no-color", "--fail-on", "never", root])
        #expect(check.stdout.contains("needs secret DB_PASS;"), "\(check.stdout)")
        #expect(check.stdout.contains("PS402"), "\(check.stdout)")
        #expect(!check.stdout.contains("PS401"), "read in the task, not at module level: \(check.stdout)")
        #expect(!check.stdout.contains("SLACK_WEBHOOK_URL"), "\(check.stdout)")
    }

    /// An ECS run's `flow` container overrides in `run_task_kwargs` reach the run (checked with
    /// Prefect 1.4.1's `get_run_task_kwargs`); an agent's `--run-task-kwargs` file is not read,
    /// so what it may set makes PS201 a warning.
    @Test func ecsContainerOverridesSetTheRunsEnvironment() async throws {
        let flow = { (name: String, kwargs: String) in
            text(
                "from prefect import Flow\nfrom prefect.run_configs import ECSRun\nfrom prefect.storage import S3\nfrom prefect.tasks.secrets import PrefectSecret\n"
                    + "KW = dict(overrides={'containerOverrides': [{'name': 'flow', 'environment': [{'name': 'PREFECT__CONTEXT__SECRETS__DB', 'value': 'fake-Tr0ub4dor-9'}]}]})\n"
                    + "with Flow('\(name)', storage=S3(bucket='b'), run_config=ECSRun(labels=['ecs'], run_task_kwargs=\(kwargs))) as flow:\n    PrefectSecret('DB')\n")
        }
        let root = try makeTree([
            "flows/with.py": flow("with", "KW"),
            "flows/without.py": flow("without", "{}"),
            "flows/built.py": flow("built", "{**BASE}"),
            "agent.sh": text("prefect backend server\nprefect agent ecs start -l ecs --run-task-kwargs rtk.yaml\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let check = await runCLI(["check", "--no-color", "--fail-on", "never", root])
        #expect(!check.stdout.contains("flows/with.py:7:20: PS201"), "\(check.stdout)")
        #expect(check.stdout.contains("flows/with.py:5:130: PS104"), "\(check.stdout)")
        #expect(check.stdout.contains("flows/without.py:7:20: PS201"), "\(check.stdout)")
        #expect(check.stdout.contains("unless its run config's run_task_kwargs (not read)"), "\(check.stdout)")
        #expect(check.stdout.contains("unless the agent's --run-task-kwargs rtk.yaml (not read) sets it"), "\(check.stdout)")
    }

    /// `prefect auth login` exits with an error under backend server (cli/auth.py): PS303 says
    /// so, unless the last backend switch before it in the script is to cloud.
    @Test func authLoginUnderServerFailsUnlessSwitchedToCloud() async throws {
        let root = try makeTree([
            "a.sh": text("set -e\nprefect backend server\nprefect auth login --key \"$KEY\"\n"),
            "b.sh": text("set -e\nprefect backend server\nprefect backend cloud\nprefect auth login --key \"$KEY\"\n"),
            "c.sh": text("set -e\nprefect backend cloud\nprefect backend server\nprefect auth login --key \"$KEY\"\n"),
            ".prefect/backend.toml": text("backend = \"server\"\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let check = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS303", root])
        #expect(check.stdout.contains("a.sh:3:27: PS303 [cloud-credential-on-server] prefect auth login fails with backend server"), "\(check.stdout)")
        #expect(!check.stdout.contains("b.sh"), "\(check.stdout)")
        #expect(check.stdout.contains("c.sh:4:27: PS303"), "\(check.stdout)")
    }

    /// A register script that loads flows from files and sets their run config may give any
    /// flow its labels (checked with Prefect 1.4.1: `extract_flow_from_file`, then the labels).
    @Test func flowsLoadedAndConfiguredByARegisterScriptHaveUnknownLabels() async throws {
        let root = try makeTree([
            "flows/hello.py": text("from prefect import Flow\nwith Flow('hello') as flow:\n    pass\n"),
            "register.py": text(
                "import os, prefect\nfrom prefect.run_configs import ECSRun\nfor name in os.listdir('flows'):\n"
                    + "    flow = prefect.utilities.storage.extract_flow_from_file(os.path.join('flows', name))\n"
                    + "    flow.run_config = ECSRun(labels=['Prod'])\n    flow.register('p')\n"),
            "agent.sh": text("prefect agent ecs start --label Prod\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let check = await runCLI(["check", "--no-color", "--fail-on", "never", root])
        #expect(!check.stdout.contains("PS203"), "\(check.stdout)")
        let inventory = await runCLI(["inventory", root])
        #expect(inventory.stdout.contains("'hello' flows/hello.py:2: labels <unknown: set in register.py>"), "\(inventory.stdout)")
    }

    /// A registration's relative paths start where it runs: after `cd DIR`, or in a GitHub
    /// Actions step's `working-directory`; a `cd` the tool cannot read leaves them unknown.
    @Test func registrationsRunWhereTheyAreRun() async throws {
        let flow = "from prefect import Flow\nwith Flow('NAME') as flow:\n    pass\n"
        let workflow = """
            on: push
            jobs:
              register:
                runs-on: ubuntu-latest
                defaults: {run: {working-directory: flows/ci}}
                steps:
                  - run: prefect register --project p -p a.py -l ci

            """
        let root = try makeTree([
            "flows/ci/a.py": text(flow.replacingOccurrences(of: "NAME", with: "a")), "flows/b.py": text(flow.replacingOccurrences(of: "NAME", with: "b")),
            "flows/c.py": text(flow.replacingOccurrences(of: "NAME", with: "c")), ".github/workflows/register.yml": text(workflow),
            "register.sh": text("cd flows && prefect register --project p -p b.py -l script\ncd \"$DIR\"\nprefect register --project p -p c.py -l lost\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let inventory = await runCLI(["inventory", "--format", "json", root])
        let flows = (try JSONSerialization.jsonObject(with: Data(inventory.stdout.utf8)) as? [String: Any])?["flows"] as? [[String: Any]] ?? []
        #expect(flows.map { ($0["labels"] as? [String] ?? []).joined(separator: ",") } == ["script", "", "ci"], "\(inventory.stdout)")
    }

    /// An `--env` word without `=` may be a value: no code frame shows it, also that of
    /// another finding on its line.
    @Test func framesHideEnvWordsWithoutEquals() async throws {
        let root = try makeTree(["start.sh": text("prefect agent local start --key fake-key-1234567 --env fake-value-2\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let check = await runCLI(["check", "--no-color", "--fail-on", "never", root])
        #expect(check.stdout.contains("PS105") && check.stdout.contains("PS208"), "\(check.stdout)")
        #expect(!check.stdout.contains("fake-value-2") && !check.stdout.contains("fake-key-1234567"), "\(check.stdout)")
    }

    /// AWS_CREDENTIALS nothing shows was meant to come from Prefect is the client's own
    /// credentials at work; listed in the Cloud inventory, it is still missing, since default
    /// names are read from context only.
    @Test func inventoryVerdictsForClientCredentials() async throws {
        let flow = "from prefect import Flow\nfrom prefect.storage import S3\nfrom prefect.run_configs import KubernetesRun\nwith Flow('etl', storage=S3(bucket='b'), run_config=KubernetesRun()) as flow:\n    pass\n"
        let root = try makeTree(["flows/etl.py": text(flow), "agent.sh": text("prefect agent kubernetes start\n"), "cloud.txt": text("AWS_CREDENTIALS\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plain = await runCLI(["inventory", root])
        #expect(plain.stdout.contains("? flow 'etl' on kubernetes agent agent.sh:1: not in the run's local context; the client (boto3, google-auth) then uses credentials of its own"), "\(plain.stdout)")
        let listed = await runCLI(["inventory", "--cloud-secrets", root + "/cloud.txt", root])
        #expect(listed.stdout.contains("✗ flow 'etl' on kubernetes agent agent.sh:1: not in the run's local context, and a default name is read from context only, never from Cloud"), "\(listed.stdout)")
    }

    /// A flow that reads AWS_CREDENTIALS itself (from Cloud) while its S3 storage reads the
    /// default name from context only: the inventory shows both, as PS206 reports the second.
    @Test func inventoryShowsAFailingDefaultReadBesideTheFlowsOwn() async throws {
        let flow = "from prefect import Flow\nfrom prefect.storage import S3\nfrom prefect.run_configs import ECSRun\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('etl', storage=S3(bucket='b'), run_config=ECSRun(labels=['ecs'])) as flow:\n    PrefectSecret('AWS_CREDENTIALS')\n"
        let root = try makeTree(["flows/etl.py": text(flow), "agent.sh": text("prefect agent ecs start --label ecs\n"), "cloud.txt": text("AWS_CREDENTIALS\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let listed = await runCLI(["inventory", "--cloud-secrets", root + "/cloud.txt", root])
        #expect(listed.stdout.contains("✓ flow 'etl' on ecs agent agent.sh:1: Prefect Cloud (inventory)"), "\(listed.stdout)")
        #expect(listed.stdout.contains("✗ flow 'etl' on ecs agent agent.sh:1: as a component's default name: not in the run's local context, and a default name is read from context only, never from Cloud"), "\(listed.stdout)")
    }

    /// Helper round 26: an `EnvVarSecret` of a name the flow also reads with `PrefectSecret`
    /// (from Cloud) reads only the run's environment: the inventory shows its failure beside
    /// the Cloud ✓, as PS201 reports it.
    @Test func inventoryShowsAFailingEnvVarSecretBesideTheFlowsCloudRead() async throws {
        let flow = "from prefect import Flow\nfrom prefect.storage import Module\nfrom prefect.run_configs import KubernetesRun\nfrom prefect.tasks.secrets import EnvVarSecret, PrefectSecret\nwith Flow('etl', storage=Module('flows.etl'), run_config=KubernetesRun(labels=['k8s'])) as flow:\n    PrefectSecret('REPORTING_TOKEN')\n    EnvVarSecret('REPORTING_TOKEN')\n"
        let root = try makeTree([
            "flows/etl.py": text(flow), "agent.sh": text("export PREFECT__BACKEND=cloud\nprefect agent kubernetes start --label k8s\n"), "cloud.txt": text("REPORTING_TOKEN\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let listed = await runCLI(["inventory", "--cloud-secrets", root + "/cloud.txt", root])
        #expect(listed.stdout.contains("✓ flow 'etl' on kubernetes agent agent.sh:2: Prefect Cloud (inventory)"), "\(listed.stdout)")
        #expect(listed.stdout.contains("✗ flow 'etl' on kubernetes agent agent.sh:2: read by EnvVarSecret: the flow run's environment does not set it"), "\(listed.stdout)")
    }

    /// Rule codes of a check's JSON report, in report order.
    static func codes(_ arguments: [String]) async throws -> [String] {
        let result = await runCLI(["check", "--format", "json", "--fail-on", "never"] + arguments)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        return (object["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
    }

    /// Helper round 15: a `.env` a local agent's script sources with `set -a` reaches that agent
    /// (no PS202; PS201 for the docker agent says why); a compose `$$NAME` in ENV_VARS is the
    /// `$NAME` the agent expands (no PS403); `set_secret` with an invalid backend value is
    /// PS305's, not PS301's; a Cloud inventory name differing by case gets PS204; a
    /// config.toml with a byte order mark is PS900 (Prefect's toml reader refuses it).
    @Test func helperRoundFifteenVerdicts() async throws {
        let flow = { (name: String) in
            "from prefect import Flow\nfrom prefect.run_configs import UniversalRun\nfrom prefect.storage import Local\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('f', storage=Local(add_default_labels=False), run_config=UniversalRun(labels=['vm'])) as flow:\n    PrefectSecret('\(name)')\n"
        }
        let sourced = try makeTree([
            "flow.py": text(flow("DB_PW")), ".env": text("PREFECT__CONTEXT__SECRETS__DB_PW=$DB_PW_FROM_VAULT\n"),
            "start-local.sh": text("set -a; source .env; set +a\nexport PREFECT__BACKEND=server\nprefect agent local start -l vm --no-hostname-label\n"),
            "start-docker.sh": text("export PREFECT__BACKEND=server\nexport PREFECT__CLOUD__AGENT__ENV_VARS='{\"PREFECT__CONTEXT__SECRETS__DB_PW\": \"$DB_PW\"}'\nprefect agent docker start -l vm -e LOG_LEVEL=INFO\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: sourced) }
        #expect(try await Self.codes([sourced]) == ["PS201"])
        let replaced = await runCLI(["check", "--no-color", sourced])
        #expect(replaced.stdout.contains("PREFECT__CLOUD__AGENT__ENV_VARS (start-docker.sh:2) sets it, but the agent's --env flags replace that setting"), "\(replaced.stdout)")

        let compose = try makeTree([
            "flow.py": text(flow("DB_PW")),
            "docker-compose.yml": text("services:\n  agent:\n    image: prefecthq/prefect:1.4.1\n    environment:\n      DB_PW:\n      PREFECT__BACKEND: server\n      PREFECT__CLOUD__AGENT__ENV_VARS: '{\"PREFECT__CONTEXT__SECRETS__DB_PW\": \"$$DB_PW\"}'\n    command: prefect agent docker start -l vm\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: compose) }
        #expect(try await Self.codes([compose]).isEmpty)

        let invalidBackend = try makeTree([
            ".prefect/config.toml": text("backend = \"Cloud\"\n"),
            "push.py": text("import os\nfrom prefect import Client\nClient().set_secret(\"FTP_PASSWORD\", os.environ[\"FTP_PASSWORD\"])\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: invalidBackend) }
        #expect(try await Self.codes([invalidBackend]) == ["PS305"])

        let inventory = try makeTree([
            "flow.py": text(flow("Snowflake_Password")), "cloud.txt": text("SNOWFLAKE_PASSWORD\n"),
            "Makefile": text("agent:\n\tprefect agent ecs start --label vm\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: inventory) }
        let mismatch = await runCLI(["check", "--no-color", "--fail-on", "never", "--cloud-secrets", inventory + "/cloud.txt", inventory])
        #expect(mismatch.stdout.contains("but SNOWFLAKE_PASSWORD (in the Cloud inventory) differs only by case from it"), "\(mismatch.stdout)")

        let bom = try makeTree([".prefect/config.toml": text("\u{FEFF}[context.secrets]\nBOM_TOKEN = \"x\"\n")])
        defer { try? FileManager.default.removeItem(atPath: bom) }
        #expect(try await Self.codes([bom]) == ["PS900"])

        // So does it an array of mixed types (TOML 1.0 allows them; toml 0.10 does not), at any
        // depth; arrays of arrays or of tables, and strings of either quote, are one type.
        for (array, refused) in [
            ("[\"db1\", 5432]", true), ("[1, 2.0]", true), ("[[1], [\"x\", 2]]", true), ("[{a = [1, true]}]", true), ("[1979-05-27, 07:32:00]", true), ("[1979-05-27, 1979-05-27T07:32:00]", false),
            ("[[1], [\"x\"]]", false), ("[{x = 1}, {y = \"s\"}]", false), ("[\"a\", 'b']", false),
        ] {
            let root = try makeTree([".prefect/config.toml": text("[cloud]\nhosts = \(array)\n")])
            defer { try? FileManager.default.removeItem(atPath: root) }
            #expect(try await Self.codes([root]) == (refused ? ["PS900"] : []), "\(array)")
        }
    }

    /// Helper round 26: a config file secret that is a whole `${a.b}` reference to another
    /// config key gets what Prefect's loading replaces it with (PS403: an int, another string,
    /// `""` for a missing key); a whole `$NAME` or `${NAME}` is the run's to provide.
    @Test func configKeyReferencesInConfigFilesAreLossy() async throws {
        let root = try makeTree([
            "config.toml": text("[context.secrets]\nPORT_NUM = \"${server.port}\"\nALIAS = \"${context.secrets.MISSING}\"\nFTP = \"$FTP_PASSWORD\"\nDB = \"${DB_PASSWORD}\"\n")
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS403", root])
        #expect(result.stdout.contains("secret PORT_NUM does not survive Prefect's loading: Secret.get returns an int"), "\(result.stdout)")
        #expect(result.stdout.contains("secret ALIAS does not survive Prefect's loading: Secret.get returns a different string"), "\(result.stdout)")
        #expect(!result.stdout.contains("secret FTP ") && !result.stdout.contains("secret DB "), "\(result.stdout)")
    }

    /// An agent pointed at a Server's API with no backend set anywhere in the project has
    /// Prefect's default, cloud, unless its machine sets another: Prefect 1.4.1 does not even
    /// start it without a Cloud API key. PS304 (a warning) says to set the backend where it starts.
    @Test func serverAPIWithTheDefaultBackend() async throws {
        let root = try makeTree(["start-agent.sh": text("prefect agent docker start --api http://10.65.18.52:4200 --label etl\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--format", "json", "--fail-on", "never", root])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        let findings = (object["findings"] as? [[String: Any]] ?? []).map { "\($0["rule"] as? String ?? "") \($0["severity"] as? String ?? "") \($0["message"] as? String ?? "")" }
        #expect(findings == [
            "PS304 warning docker agent (start-agent.sh:1, labels etl, backend cloud) has backend cloud (Prefect's default: nothing in the project sets one where the agent starts) "
                + "but its API URL (http://10.65.18.52:4200) is a Prefect Server's: unless its machine has run `prefect backend server`, it does not start without a Cloud API key "
                + "and Secret.get asks that server for Cloud secrets; set PREFECT__BACKEND=server where it starts"
        ])
    }

    /// Helper round 16: a job template without `kind` is read (Prefect does not check it); a
    /// whole `${NAME}` is passed on like `$NAME` (no PS403); JSON with `true` is still PS104;
    /// a reference to a Config method's name is PS406; the names PS102 does not take for
    /// values; PS304 for a Server URL with backend cloud and for a PREFECT__BACKEND the agent
    /// replaces; a compose service that builds an image and runs its own command gives the
    /// agent the image's `ENV` (and the image's own `CMD` agent runs nowhere).
    @Test func helperRoundSixteenVerdicts() async throws {
        let root = try makeTree([
            "k8s-job.yaml": text("spec:\n  template:\n    spec:\n      containers:\n        - name: flow\n          env:\n            - {name: PREFECT__CONTEXT__SECRETS__DB_PASSWORD, value: Summer2022-dbXq7}\n"),
            "f.py": text("from prefect import Flow\nfrom prefect.run_configs import KubernetesRun\nfrom prefect.tasks.secrets import PrefectSecret\nfrom prefect.tasks.aws import AWSSecretsManager\nfrom prefect.tasks.kubernetes import KubernetesSecret\nwith Flow('f', run_config=KubernetesRun(labels=['k8s'], job_template_path='k8s-job.yaml', env={'PREFECT__CONTEXT__SECRETS__A': '${DB_PASSWORD}', 'PREFECT__CONTEXT__SECRETS__API': '{\"key\": \"Zr8Kq2Lm5Vx7Np3B\", \"debug\": true}'})) as flow:\n    PrefectSecret('keys')\n    AWSSecretsManager(secret='prod/reports/api')\n    KubernetesSecret(secret_name='warehouse', secret_key='db-pass')\n"),
            "agent.sh": text("export PREFECT__BACKEND=cloud\nexport PREFECT__CLOUD__API=http://localhost:4200\nprefect agent kubernetes start --label k8s --env PREFECT__BACKEND=server\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--format", "json", "--fail-on", "never", root])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        let findings = (object["findings"] as? [[String: Any]] ?? []).map { ($0["rule"] as? String ?? "", $0["path"] as? String ?? "", $0["message"] as? String ?? "") }
        #expect(findings.contains { $0.0 == "PS104" && $0.1 == "k8s-job.yaml" }, "\(findings)")
        #expect(findings.contains { $0.0 == "PS104" && $0.2.contains("secret API") }, "\(findings)")
        #expect(!findings.contains { $0.0 == "PS403" && $0.2.contains("secret A ") }, "\(findings)")
        #expect(!findings.contains { $0.0 == "PS102" }, "\(findings)")
        #expect(findings.contains { $0.0 == "PS406" && $0.2.contains("secret 'keys'") }, "\(findings)")
        #expect(findings.contains { $0.0 == "PS304" && $0.2.hasSuffix("has backend cloud but its API URL (http://localhost:4200) is a Prefect Server's: Secret.get asks that server for Cloud secrets, which it does not have") }, "\(findings)")
        #expect(findings.contains { $0.0 == "PS304" && $0.2.contains("PREFECT__BACKEND 'server' for the flow runs") }, "\(findings)")

        let compose = try makeTree([
            "agent/Dockerfile": text("FROM prefecthq/prefect:1.4.1-python3.9\nENV PREFECT__CONTEXT__SECRETS__API_TOKEN=$API_TOKEN_X\nCMD [\"prefect\", \"agent\", \"docker\", \"start\", \"--label\", \"etl\"]\n"),
            "docker-compose.yml": text("services:\n  a1:\n    build: ./agent\n    command: prefect agent local start --label etl --no-hostname-label\n    environment: {PREFECT__BACKEND: server}\n"),
            "flow.py": text("from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom prefect.storage import Local\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('f', storage=Local(add_default_labels=False), run_config=LocalRun(labels=['etl'])) as flow:\n    PrefectSecret('API_TOKEN')\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: compose) }
        #expect(try await Self.codes([compose]).isEmpty)
        let inventory = await runCLI(["inventory", compose])
        #expect(inventory.stdout.contains("✓ flow 'f' on local agent docker-compose.yml:4: local context from agent/Dockerfile:2"), "\(inventory.stdout)")
    }

    /// Helper round 17: an ECS agent's own AWS_CREDENTIALS is its own (no PS207, no PS205);
    /// PS303 for `auth_token`; `prefect build --label` labels the flows it builds; an ordinary
    /// label keeps PS209's fix; a broken pyproject.toml of another tool does not stop the scan.
    @Test func helperRoundSeventeenVerdicts() async throws {
        let ecs = try makeTree([
            "agent.sh": text("export PREFECT__CONTEXT__SECRETS__AWS_CREDENTIALS=\"$AWS_CREDS_JSON\"\nprefect agent ecs start --label aws --cluster prefect\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: ecs) }
        #expect(try await Self.codes([ecs]).isEmpty)

        let server = try makeTree([".prefect/config.toml": text("backend = \"server\"\n[cloud]\nauth_token = \"$PREFECT_TOKEN\"\n[cloud.agent]\nauth_token = \"$PREFECT_TOKEN\"\n")])
        defer { try? FileManager.default.removeItem(atPath: server) }
        #expect(try await Self.codes([server]) == ["PS303", "PS303"])

        let flow = "from prefect import Flow\nfrom prefect.run_configs import DockerRun\nfrom prefect.storage import Module\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('f', storage=Module('flows.f'), run_config=DockerRun(labels=['docker'])) as flow:\n    PrefectSecret('TOK')\n"
        let build = try makeTree([
            "flows/f.py": text(flow),
            "Makefile": text("deploy:\n\tprefect build -p flows/ --label prod -o flows.json\n\tprefect register --project etl --json flows.json\n"),
            "dev-agent.sh": text("export PREFECT__BACKEND=server\nprefect agent docker start -l docker\n"),
            "prod-agent.sh": text("export PREFECT__BACKEND=server\nprefect agent docker start -l docker -l prod -e PREFECT__CONTEXT__SECRETS__TOK=\"$TOK\"\n"),
            "pyproject.toml": text("[tool.black]\nline-length = 100\nline-length = 120\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: build) }
        #expect(try await Self.codes([build]) == ["PS900"])

        // A backend nothing in the project sets may come from a CI job's env: no PS304 for a
        // Server URL; an unquoted credential at the end of a CRLF line is still PS101.
        let ci = try makeTree([
            ".github/workflows/agent.yml": text("on: workflow_dispatch\nenv:\n  PREFECT__BACKEND: server\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: prefect agent kubernetes install --api http://prefect-apollo.prefect:4200 --label k8s | kubectl apply -f -\n"),
            "crlf.env": text("AWS_SECRET_ACCESS_KEY=Fq2Wd7Es4Rx9Tc3Yv6Bn1Hu8Ji5Ko0Lp2Mq7Nr4\r\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: ci) }
        #expect(try await Self.codes([ci]) == ["PS101"])

        let labels = try makeTree(["a.sh": text("export PREFECT__CLOUD__AGENT__LABELS=etl-prod-2024\nprefect agent local start\n")])
        defer { try? FileManager.default.removeItem(atPath: labels) }
        let fixed = await runCLI(["check", "--format", "json", "--fail-on", "never", labels])
        // Unquoted `['etl-prod-2024']` would lose its quotes in the shell: the fix adds its own.
        #expect(fixed.stdout.contains("\"replacement\": \"\\\"['etl-prod-2024']\\\"\""), "\(fixed.stdout)")
    }

    /// Helper round 21: the values of variables a flow reads as secrets from its run's
    /// environment (`EnvVarSecret`, a Webhook template's `${NAME}`) are hidden, though their
    /// names do not say so, in frames and where they are reused.
    @Test func valuesOfEnvironmentSecretsAreHidden() async throws {
        let flow = """
            from prefect import Flow
            from prefect.tasks.secrets import EnvVarSecret
            from prefect.storage import Webhook
            from prefect.run_configs import LocalRun
            store = Webhook(build_request_kwargs={"url": "https://x/f"}, build_request_http_method="POST",
                            get_flow_request_kwargs={"url": "https://x/f", "headers": {"Authorization": "Bearer ${STORE_CRED}"}},
                            get_flow_request_http_method="GET")
            with Flow("raw", storage=store, run_config=LocalRun(labels=["raw"], env={"SMTP_RELAY": "correct-horse-battery-staple-42"})) as flow:
                EnvVarSecret("SMTP_RELAY")

            """
        let agent = "export SMTP_RELAY=relay-carousel-plum-73 STORE_CRED=nimbus-quarry-sable-19 PREFECT__CONTEXT__SECRETS__X=Kp3Lm4Nq5Rs6\nprefect agent local start -l raw --no-hostname-label # relay-carousel-plum-73\n"
        let root = try makeTree(["flow.py": text(flow), "agent.sh": text(agent)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--no-color", "--fail-on", "never", root])
        #expect(result.stdout.contains("export SMTP_RELAY=…(22 chars) STORE_CRED=…(22 chars)"), "\(result.stdout)")
        for value in ["relay-carousel-plum-73", "nimbus-quarry-sable-19", "correct-horse-battery-staple-42"] {
            #expect(!result.stdout.contains(value), "\(value)")
        }
    }

    /// Helper round 21: PS104 for a literal that reaches a secret through a variable of the
    /// same file (a script, a Dockerfile ARG), judged as a part when the secret's value is
    /// more than the variable (a URL's host is no secret).
    @Test func plaintextSecretThroughVariable() async throws {
        let script = """
            WAREHOUSE_LOGIN="Xk29fQm7Lp3Zr8Tw"
            DB_HOST=db.internal
            DB_PW=Tr0ub4dor-x9qz5
            prefect agent local start --label etl --env PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD="$WAREHOUSE_LOGIN" \\
              --env PREFECT__CONTEXT__SECRETS__DB_URL="postgres://etl:$DB_PW@$DB_HOST/db"

            """
        let dockerfile = "FROM prefecthq/prefect:1.4.1\nARG WAREHOUSE_LOGIN=Hn4Wq8Zp2Lm6Vr9K\nENV PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD=$WAREHOUSE_LOGIN\n"
        let root = try makeTree(["agent.sh": text(script), "Dockerfile": text(dockerfile)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS104", root])
        let lines = result.stdout.split(separator: "\n").filter { $0.contains(": PS104 ") }.map { $0.split(separator: " ")[0] }
        #expect(lines == ["Dockerfile:2:21:", "agent.sh:1:17:", "agent.sh:3:7:"], "\(result.stdout)")
        #expect(!result.stdout.contains("Xk29fQm7") && !result.stdout.contains("Hn4Wq8Zp") && !result.stdout.contains("Tr0ub4dor"))
    }

    /// An array of tables of secrets (`[[context.secrets.DBS]]`): PS103 points at its values,
    /// not its headers, and Prefect 1.4.1 converts no value inside a list (`"123"` stays a
    /// string) nor minds a `keys` key there.
    @Test func arrayOfSecretTables() async throws {
        let config = "[[context.secrets.DBS]]\nhost = \"db1\"\nkeys = \"Xk29fQm7Lp3Zr8Tw\"\npin = \"123\"\n"
        let root = try makeTree([".prefect/config.toml": text(config)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS103,PS403,PS406", root])
        let lines = result.stdout.split(separator: "\n").filter { $0.contains(": PS") }.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        #expect(lines == [".prefect/config.toml:2:9: PS103", ".prefect/config.toml:3:9: PS103", ".prefect/config.toml:4:8: PS103"], "\(result.stdout)")
    }

    /// A local secret beside a reference is committed only where the part written out looks
    /// like part of a secret: Prefect fills `${DB_PASSWORD}` from the environment when it loads
    /// the file (checked with Prefect 1.4.1), so the URL's user and host commit nothing.
    @Test func localSecretBesideReference() async throws {
        let config = "[context.secrets]\nDB_URL = \"postgresql://etl:${DB_PASSWORD}@db:5432/etl\"\nTOKEN = \"Tr0ub4dor${SUFFIX}\"\n"
        let root = try makeTree([".prefect/config.toml": text(config)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS103", root])
        let lines = result.stdout.split(separator: "\n").filter { $0.contains(": PS") }.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        #expect(lines == [".prefect/config.toml:3:10: PS103"], "\(result.stdout)")
        #expect(!result.stdout.contains("Tr0ub4dor"))
    }

    /// A dict of credentials built around variables whose text keeps it a string whatever they
    /// hold (`{ACCESS_KEY: $ID}`: a bare key) fails get_boto_client (checked with Prefect
    /// 1.4.1); quoted keys, or a whole reference, are left to the variables.
    @Test func credentialDictAroundVariables() async throws {
        let script = """
            prefect agent local start -e "PREFECT__CONTEXT__SECRETS__AWS_CREDENTIALS={ACCESS_KEY: $ID, SECRET_ACCESS_KEY: $KEY}"
            prefect agent local start -e "PREFECT__CONTEXT__SECRETS__AWS_CREDENTIALS={\\"ACCESS_KEY\\": \\"$ID\\", \\"SECRET_ACCESS_KEY\\": \\"${KEY}\\"}"
            prefect agent local start -e "PREFECT__CONTEXT__SECRETS__AWS_CREDENTIALS=$AWS_JSON"
            prefect agent local start -e "PREFECT__CONTEXT__SECRETS__GCP_CREDENTIALS={type: service_account, private_key: $(cat key.pem)}"
            prefect agent local start -e "PREFECT__CONTEXT__SECRETS__AWS_CREDENTIALS={\"ACCESS_KEY\": \"$ID\", \"SESSION_TOKEN\": null}"

            """
        let root = try makeTree(["agent.sh": text(script)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS403", root])
        let lines = result.stdout.split(separator: "\n").filter { $0.contains(": PS403 ") }.map { $0.split(separator: " ")[0] }
        #expect(lines == ["agent.sh:1:74:", "agent.sh:4:74:", "agent.sh:5:74:"], "\(result.stdout)")
    }

    /// A secret's value read where the flow is built (`Secret("X").get()`, also through a module
    /// variable) and put where registration stores it: a run config's env, a storage's
    /// secret-name argument, a Parameter default, Docker storage env_vars (checked with
    /// Prefect 1.4.1: `flow.serialize()` holds the value). PS106 for each.
    @Test func secretValuesInFlowMetadata() async throws {
        let flow = """
            from prefect import Flow, Parameter
            from prefect.client.secrets import Secret
            from prefect.run_configs import KubernetesRun
            from prefect.storage import GitHub, Docker
            KEY = Secret("AWS_SECRET_ACCESS_KEY").get()
            with Flow("a", storage=GitHub(repo="o/r", path="f.py", access_token_secret=Secret("GH_TOKEN").get()), run_config=KubernetesRun(env={"AWS_SECRET_ACCESS_KEY": KEY})) as a:
                Parameter("pw", default=Secret("DB_PW").get())
            with Flow("b", storage=Docker(env_vars={"API": KEY})) as b:
                pass

            """
        let root = try makeTree(["flow.py": text(flow)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS106", root])
        let found = result.stdout.split(separator: "\n").filter { $0.contains(": PS106 ") }.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        // The Parameter default is read inside `with Flow(...)`, where Prefect raises first (PS401).
        #expect(found == ["flow.py:6:76: PS106", "flow.py:6:158: PS106", "flow.py:8:48: PS106"], "\(result.stdout)")
    }

    /// Components whose constructor reads a credential from the environment, made where the
    /// flow is built, read the registering machine's (checked with Prefect 1.4.1: the pickled
    /// flow holds the values): PS401 unless the credential is given, or the component is made
    /// in a task.
    @Test func constructorsReadingCredentialsAtBuildTime() async throws {
        let flow = """
            from prefect import Flow, task
            from prefect.engine.results import AzureResult
            from prefect.tasks.dbt import DbtCloudRunJob
            a = DbtCloudRunJob(cause="nightly")
            b = DbtCloudRunJob(token_env_var_name="DBT_TOKEN_PROD")
            c = DbtCloudRunJob(token=None)
            d = DbtCloudRunJob(None, 1, 2, "tok")
            e = DbtCloudRunJob(token=TOKEN)
            @task
            def later():
                return DbtCloudRunJob().run()
            with Flow("f", result=AzureResult(container="r")) as flow:
                AzureResult("r", CONN)
            if __name__ == "__main__":
                DbtCloudRunJob()

            """
        let root = try makeTree(["flow.py": text(flow)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS401", root])
        let found = result.stdout.split(separator: "\n").filter { $0.contains(": PS401 ") }.map { $0.split(separator: " ")[0] }
        #expect(found == ["flow.py:4:5:", "flow.py:5:5:", "flow.py:6:5:", "flow.py:12:23:"], "\(result.stdout)")
        #expect(result.stdout.contains("environment variable DBT_TOKEN_PROD"), "\(result.stdout)")
        // Script storage loads the module again in each run, where the constructor reads the run's env.
        let script = "from prefect import Flow\nfrom prefect.storage import GitHub\nfrom prefect.tasks.dbt import DbtCloudRunJob\n"
            + "a = DbtCloudRunJob()\nwith Flow('f', storage=GitHub(repo='o/r', path='f.py')) as flow:\n    a()\n"
        let scripted = try makeTree(["flow.py": text(script)])
        defer { try? FileManager.default.removeItem(atPath: scripted) }
        #expect(!(await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS401", scripted])).stdout.contains("PS401"))
    }

    /// PrefectHQ/server's chart gives `prefectLabels: k8s` to its agent as the JSON string
    /// "k8s", one label per character: PS209 names the key as written, and what it sets.
    @Test func helmPrefectLabelsString() async throws {
        let root = try makeTree(["values.yaml": text("agent:\n  enabled: true\n  prefectLabels: k8s\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS209", root])
        #expect(result.stdout.contains("values.yaml:3:18: PS209 [malformed-agent-labels] prefectLabels (the chart's PREFECT__CLOUD__AGENT__LABELS) is not a list literal"), "\(result.stdout)")
        #expect(!result.stdout.contains("= fix"), "what the chart renders is no text to write back")
        for (value, said) in [("3.10", "is a float to Prefect"), ("[eu, no]", "is a list the chart renders as JSON that is no Python literal"), ("", "['n', 'u', 'l', 'l']")] {
            let tree = try makeTree(["values.yaml": text("agent:\n  enabled: true\n  prefectLabels: \(value)\n")])
            defer { try? FileManager.default.removeItem(atPath: tree) }
            let output = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS209", tree])
            #expect(output.stdout.contains(said), "\(value): \(output.stdout)")
        }
    }

    /// A code frame hides random-looking runs it shows, but not a name called as a function
    /// or class: `S3Result(…)` is code (helper round G).
    @Test func calledNamesStayInFrames() async throws {
        let flow = """
            from prefect import Flow, task
            from prefect.engine.results import S3Result
            from prefect.run_configs import LocalRun
            from prefect.storage import Module
            from prefect.tasks.secrets import PrefectSecret
            @task
            def build(creds):
                return 1
            with Flow("report", run_config=LocalRun(labels=["etl"]), storage=Module("flows.report"),
                      result=S3Result(bucket="results")) as flow:
                build(PrefectSecret("AWS_CREDENTIALS"))

            """
        let root = try makeTree(["flows/report.py": text(flow), "start-agent.sh": text("prefect backend server\nprefect agent local start --label etl\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS206", root])
        #expect(result.stdout.contains("result=S3Result(bucket=\"results\")"), "\(result.stdout)")
    }

    /// Helper round 22, each case checked with Prefect 1.4.1: an `os.getenv` fallback of a
    /// secret's variable is PS102 and hidden; a run config's literal for a variable an
    /// EnvVarSecret reads is PS106; language-model `token` names are no secrets; a URL's host
    /// beside a reference is no written secret; a Job manifest no agent takes as a template
    /// may set the local-secrets flag; a reference's default through a variable is PS104; a
    /// string `[cloud.agent] labels` is PS209 and splits into characters; PS209 fixes split
    /// `gpu,a100` into two labels.
    @Test func helperRoundTwentyTwo() async throws {
        let flow = """
            import os
            from prefect import Flow
            from prefect.run_configs import LocalRun
            from prefect.tasks.secrets import EnvVarSecret
            TOKENIZER = "bert-base-uncased"
            cfg = {"pad_token": "[PAD]", "cls_token": "[CLS]"}
            with Flow("load", run_config=LocalRun(labels=["x"], env={"DB_PASSWORD": os.getenv("DB_PASSWORD", "Wq8e-Lm3p-Zx7k"), "SNOWFLAKE_PW": "Hx8yR31qMn5z"})) as flow:
                EnvVarSecret("DB_PASSWORD")
                EnvVarSecret("SNOWFLAKE_PW")

            """
        let python = try makeTree(["flow.py": text(flow)])
        defer { try? FileManager.default.removeItem(atPath: python) }
        let output = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS102,PS106", python])
        let found = output.stdout.split(separator: "\n").filter { $0.contains(": PS") }.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        #expect(found == ["flow.py:7:73: PS106", "flow.py:7:99: PS102", "flow.py:7:134: PS106"], "\(output.stdout)")
        #expect(!output.stdout.contains("Wq8e-Lm3p") && !output.stdout.contains("Hx8yR31q"))

        let shell = try makeTree([
            "a.sh": text("export DB_PASSWORD=\"${DB_PASSWORD:-Zk93hQ2vLmR7}\"\nprefect agent docker start --label etl --env PREFECT__CONTEXT__SECRETS__DB_PASSWORD=\"$DB_PASSWORD\" \\\n  --env PREFECT__CONTEXT__SECRETS__DB_URL=\"postgresql://etl:${DB_PW}@warehouse01.acme.internal:5432/etl\"\n"),
            "job.yaml": text("apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      containers:\n        - name: flow\n          image: etl\n          command: [python, flow.py]\n          env:\n            - name: PREFECT__CLOUD__USE_LOCAL_SECRETS\n              value: \"false\"\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: shell) }
        #expect(try await Self.codes(["--select", "PS104,PS302", shell]) == ["PS104"])

        let labels = try makeTree([
            ".prefect/config.toml": text("[cloud.agent]\nlabels = \"gpu\"\n"),
            "agent.sh": text("export PREFECT__CLOUD__AGENT__LABELS=gpu,a100\nprefect agent docker start\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: labels) }
        let json = await runCLI(["check", "--format", "json", "--fail-on", "never", "--select", "PS209", labels])
        #expect(json.stdout.contains("cloud.agent.labels is not a list literal, so the agent gets one label per character (['g', 'p', 'u'])"), "\(json.stdout)")
        #expect(json.stdout.contains("\"replacement\": \"\\\"['gpu', 'a100']\\\"\""), "\(json.stdout)")
    }

    /// PS207 for a variable a flow reads from its run's environment (a storage token that
    /// falls back to it, EnvVarSecret) set on a Docker agent's own environment; not when the
    /// agent forwards it (`--env NAME=$NAME`).
    @Test func agentEnvNotForwardedForEnvironmentReads() async throws {
        let flow = "from prefect import Flow\nfrom prefect.storage import GitHub\nfrom prefect.run_configs import DockerRun\nfrom prefect.tasks.secrets import EnvVarSecret\nwith Flow('f', storage=GitHub(repo='a/b', path='flow.py'), run_config=DockerRun(labels=['d'])) as flow:\n    EnvVarSecret('WANDB_API_KEY')\n"
        let lost = try makeTree([
            "flow.py": text(flow),
            "agent.sh": text("export PREFECT__BACKEND=server\nexport GITHUB_ACCESS_TOKEN=\"$GH_PAT\" WANDB_API_KEY=\"$WB\"\nprefect agent docker start -l d --env WANDB_API_KEY=\"$WANDB_API_KEY\"\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: lost) }
        let result = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS207", lost])
        let lines = result.stdout.split(separator: "\n").filter { $0.contains(": PS207 ") }
        #expect(lines.count == 1 && lines[0].hasPrefix("agent.sh:2:8: PS207") && lines[0].contains("GITHUB_ACCESS_TOKEN"), "\(result.stdout)")
    }

    /// PS207 for a Kubernetes agent container's `secretKeyRef` entry to a Secret of the project
    /// is reported at that entry, which is what to move, not at the Secret's key.
    @Test func agentEnvNotForwardedAtTheKeyRefEntry() async throws {
        let agent = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: prefect-agent\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n"
            + "          image: prefecthq/prefect:1.4.1\n          command: [\"/bin/bash\", \"-c\"]\n          args: [\"prefect agent kubernetes start --label kube\"]\n          env:\n"
            + "            - name: PREFECT__BACKEND\n              value: server\n            - name: PREFECT__CONTEXT__SECRETS__API_TOKEN\n"
            + "              valueFrom:\n                secretKeyRef: {name: tokens, key: api}\n"
        let flow = "from prefect import Flow\nfrom prefect.run_configs import KubernetesRun\nfrom prefect.storage import Module\nfrom prefect.tasks.secrets import PrefectSecret\n"
            + "with Flow('k', storage=Module('flow'), run_config=KubernetesRun(labels=['kube'])) as flow:\n    PrefectSecret('API_TOKEN')\n"
        let root = try makeTree([
            "agent.yaml": text(agent), "flow.py": text(flow),
            "secret.yaml": text("apiVersion: v1\nkind: Secret\nmetadata:\n  name: tokens\nstringData:\n  api: \"{{ api_token }}\"\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS207", root])
        let lines = result.stdout.split(separator: "\n").filter { $0.contains(": PS207 ") }
        #expect(lines.count == 1 && lines[0].hasPrefix("agent.yaml:16:21: PS207"), "\(result.stdout)")
    }

    /// Helper round 23: a frame hides a passphrase under a credential-named key in a file no
    /// analyzer reads (Helm values), and an app's `client_secret` is a value (PS102, PS106).
    @Test func helperRoundTwentyThree() async throws {
        let root = try makeTree([
            "values.yaml": text("db: {user: etl, password: \"cobalt-meadow-nectar-raven-kiwi\", api_key: \"Wd3Fg7Hj1Kl5Zx9Cv\"}\n"),
            "settings.py": text("client_secret = \"lantern-harbor-pepper-mosaic\"\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--no-color", "--fail-on", "never", root])
        #expect(result.stdout.contains("1 | db: {user: etl, password: \"…(31 chars)\", api_key: \"…(17 chars)\"}"), "\(result.stdout)")
        #expect(result.stdout.contains("settings.py:1:18: PS102"), "\(result.stdout)")
        #expect(!result.stdout.contains("cobalt-meadow") && !result.stdout.contains("lantern-harbor"))
    }

    /// Helper round 24: an ECS agent in a CloudFormation template (YAML and JSON) or in a
    /// list of container definitions picks up the flow (PS201, not PS203); a compose service
    /// that mounts the project's config.toml at ~/.prefect gives its agent that file's backend;
    /// a `#` inside an unquoted value is part of it (PS101); PS208 leaves an ENV_VARS value
    /// the agent's `--env` flags replace.
    @Test func helperRoundTwentyFour() async throws {
        let flow = "from prefect import Flow\nfrom prefect.run_configs import ECSRun\nfrom prefect.storage import S3\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('mc', storage=S3(bucket='b'), run_config=ECSRun(labels=['prod'])) as flow:\n    PrefectSecret('MAILCHIMP_API_KEY')\n"
        let cloudFormation = "Resources:\n  Td:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: agent\n          Command: [prefect, agent, ecs, start, --label, prod]\n          Environment:\n            - Name: PREFECT__BACKEND\n              Value: server\n            - Name: DB_URL\n              Value: !Ref DbUrl\n"
        let json = "{\"Resources\": {\"Td\": {\"Type\": \"AWS::ECS::TaskDefinition\", \"Properties\": {\"ContainerDefinitions\": [{\"Name\": \"agent\", \"Command\": [\"prefect\", \"agent\", \"ecs\", \"start\", \"--label\", \"prod\"]}]}}}}\n"
        let list = "[{\"name\": \"agent\", \"command\": [\"prefect\", \"agent\", \"ecs\", \"start\", \"--label\", \"prod\"]}]\n"
        for (path, agent) in [("cfn/agent.yaml", cloudFormation), ("cfn/agent.json", json), ("tf/container-definitions.json", list)] {
            let root = try makeTree(["flow.py": text(flow), path: text(agent), "cs.json": text("[]\n")])
            defer { try? FileManager.default.removeItem(atPath: root) }
            let codes = try await Self.codes(["--cloud-secrets", root + "/cs.json", root])
            #expect(codes.contains("PS201") && !codes.contains("PS203"), "\(path): \(codes)")
        }

        // Intrinsic functions: `Fn::Sub`'s template is the word, `!Ref` a reference, and the
        // pieces of a `!Join` or the variables of a `!Sub` stay hidden.
        let intrinsics = "Resources:\n  Td:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: agent\n          Command: [prefect, agent, ecs, start, --label, prod, --key, !Ref ApiKey, --env, {\"Fn::Sub\": \"PREFECT__CONTEXT__SECRETS__MAILCHIMP_API_KEY=${Key}\"}]\n          Environment:\n            - {Name: PREFECT__CONTEXT__SECRETS__DB_URL, Value: !Sub [\"postgres://etl:${Pw}@db/etl\", {Pw: Zz88yyXX11qq}]}\n            - {Name: PREFECT__CONTEXT__SECRETS__DB_PW, Value: !Join [\"\", [Hq8zT4m, R2vWn6x]]}\n"
        let template = try makeTree(["flow.py": text(flow), "cfn/agent.yaml": text(intrinsics), "cs.json": text("[]\n")])
        defer { try? FileManager.default.removeItem(atPath: template) }
        let intrinsicCodes = try await Self.codes(["--cloud-secrets", template + "/cs.json", template])
        #expect(!intrinsicCodes.contains("PS208") && !intrinsicCodes.contains("PS105") && !intrinsicCodes.contains("PS201"), "\(intrinsicCodes)")
        let frames = await runCLI(["check", "--no-color", "--fail-on", "never", template])
        #expect(frames.stdout.contains("PS205") && frames.stdout.contains("Value: …("), "\(frames.stdout)")
        #expect(!frames.stdout.contains("Zz88yyXX11qq") && !frames.stdout.contains("Hq8zT4m") && !frames.stdout.contains("R2vWn6x"), "\(frames.stdout)")

        let local = "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom prefect.storage import Local\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('f', storage=Local(add_default_labels=False), run_config=LocalRun(labels=['dev'])) as flow:\n    PrefectSecret('SNOWFLAKE_PASSWORD')\n"
        let compose = "services:\n  agent:\n    image: prefecthq/prefect:1.4.1-python3.9\n    command: prefect agent local start --no-hostname-label --label dev\n    volumes:\n      - ./config.toml:/root/.prefect/config.toml:ro\n"
        let mounted = try makeTree(["flows/f.py": text(local), "agent/docker-compose.yml": text(compose), "agent/config.toml": text("backend = \"server\"\n")])
        defer { try? FileManager.default.removeItem(atPath: mounted) }
        let inventory = await runCLI(["inventory", mounted])
        #expect(inventory.stdout.contains("backend server (from agent/config.toml)"), "\(inventory.stdout)")
        #expect(try await Self.codes([mounted]).contains("PS201"))
        // The container's Prefect reads the mounted file's secrets; without the mount, none of
        // the project's (the host's own ~/.prefect mounted stands for the machine's, as the
        // project's config.toml does).
        let secrets = "backend = \"server\"\n[context.secrets]\nSNOWFLAKE_PASSWORD = \"$SNOWFLAKE_PASSWORD\"\n"
        for (volumes, resolves) in [("./config.toml:/root/.prefect/config.toml", true), ("./flows:/opt/flows", false), ("~/.prefect:/root/.prefect", true)] {
            let service = compose.replacingOccurrences(of: "./config.toml:/root/.prefect/config.toml:ro", with: volumes)
                .replacingOccurrences(of: "--label dev", with: "--label dev\n    environment:\n      PREFECT__BACKEND: server")
            let root = try makeTree(["flows/f.py": text(local), "agent/docker-compose.yml": text(service), "agent/config.toml": text(secrets)])
            defer { try? FileManager.default.removeItem(atPath: root) }
            let codes = try await Self.codes([root])
            #expect(codes.contains("PS201") != resolves, "\(volumes): \(codes)")
        }

        let env = "SNOWFLAKE_PASSWORD=Lm3#kP9qRt7vWx2z\n"
        let replaced = "services:\n  agent:\n    image: prefecthq/prefect:1.4.1-python3.9\n    command: prefect agent docker start --label docker --env DBT_TARGET=prod\n    environment:\n      PREFECT__CLOUD__AGENT__ENV_VARS: '{\"DBT_THREADS\": \"8\", \"DEBUG\": true}'\n"
        let root = try makeTree([".env": text(env), "docker-compose.yml": text(replaced)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--format", "json", "--fail-on", "never", root])
        #expect(result.stdout.contains("\"PS101\"") && !result.stdout.contains("\"PS208\""), "\(result.stdout)")
        #expect(!result.stdout.contains("kP9qRt7vWx2z"))
    }

    /// `prefect backend Server` is refused by Prefect (PS305) and changes nothing: the backend
    /// stays Cloud, so nothing says Server lacks a secret store.
    @Test func refusedBackendCommandLeavesTheBackend() async throws {
        let flow = "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('f', run_config=LocalRun(labels=['ops'])) as flow:\n    PrefectSecret('API_TOKEN')\n"
        let make = "setup:\n\tprefect backend Server\nagent:\n\tprefect agent local start --label ops\n"
        let root = try makeTree(["flows/f.py": text(flow), "Makefile": text(make), ".prefect/config.toml": text("backend = \"server\"\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let codes = try await Self.codes([root])
        #expect(codes.contains("PS305") && !codes.contains("PS304"), "\(codes)")
        // config.toml's server stays in force: the refused command did not write backend.toml.
        #expect(codes.contains("PS201"), "\(codes)")
    }

    /// `flow.register(..., add_default_labels=False)` builds the default Local storage without
    /// the hostname label (Prefect 1.4.1 passes register's other keywords to it).
    @Test func registerWithoutDefaultLabels() async throws {
        for (keyword, expected) in [(", add_default_labels=False", false), ("", true)] {
            let flow = "from prefect import Flow\nfrom prefect.run_configs import DockerRun\nflow = Flow('hello', run_config=DockerRun())\nflow.register(project_name='p', labels=['etl']\(keyword))\n"
            let root = try makeTree(["flows/hello.py": text(flow), "agent.sh": text("prefect agent docker start --label etl\n")])
            defer { try? FileManager.default.removeItem(atPath: root) }
            #expect(try await Self.codes([root]).contains("PS203") == expected, "\(keyword)")
        }
    }

    /// A secret committed in config.toml that Cloud also has (the inventory lists it) is not
    /// one the agents lack: PS202 only without that knowledge.
    @Test func localOnlySecretThatCloudHas() async throws {
        let flow = "from prefect import Flow\nfrom prefect.run_configs import KubernetesRun\nfrom prefect.storage import Module\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('f', storage=Module('flows.f'), run_config=KubernetesRun(labels=['k8s'])) as flow:\n    PrefectSecret('DB_PW')\n"
        let root = try makeTree([
            "flows/f.py": text(flow), ".prefect/config.toml": text("[context.secrets]\nDB_PW = \"$DB_PW_LOCAL\"\n"),
            "agent.sh": text("prefect agent kubernetes start -l k8s\n"), "cloud.txt": text("DB_PW\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try await Self.codes([root]).contains("PS202"))
        #expect(try await !Self.codes(["--cloud-secrets", root + "/cloud.txt", root]).contains("PS202"))
    }

    /// PREFECT__CLOUD__AGENT__ENV_VARS from a Kubernetes Secret may give flow runs anything:
    /// a secret the project does not show is a warning that names it, not an error.
    @Test func agentEnvVarsFromAKubernetesSecret() async throws {
        let agent = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: prefect-agent}
            spec: {template: {spec: {containers: [{name: agent, command: [/bin/bash, -c], args: [prefect agent kubernetes start -l k8s],
              env: [{name: PREFECT__BACKEND, value: server},
                    {name: PREFECT__CLOUD__AGENT__ENV_VARS, valueFrom: {secretKeyRef: {name: agent-env, key: json}}}]}]}}}

            """
        let flow = "from prefect import Flow\nfrom prefect.run_configs import KubernetesRun\nfrom prefect.storage import Module\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('f', storage=Module('m'), run_config=KubernetesRun(labels=['k8s'])) as flow:\n    PrefectSecret('DB_PW')\n"
        let root = try makeTree(["agent.yaml": text(agent), "flow.py": text(flow)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--no-color", root])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("PS201") && result.stdout.contains("unless PREFECT__CLOUD__AGENT__ENV_VARS from the Kubernetes Secret 'agent-env' (key json; not read) sets it"), "\(result.stdout)")
    }

    /// A run config's `"$GH_TOKEN"` reaches the flow run as written; Prefect expands it against
    /// the run's environment, which a Docker agent builds from its flags alone: without
    /// `--env GH_TOKEN=…` the secret is the text `$GH_TOKEN` (Prefect 1.4.1).
    @Test func runConfigReferenceNothingInTheRunSets() async throws {
        let flow = "from prefect import Flow\nfrom prefect.run_configs import DockerRun\nfrom prefect.storage import Module\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('f', storage=Module('flows.f'), run_config=DockerRun(labels=['d'], env={'PREFECT__CONTEXT__SECRETS__GH_TOKEN': '$GH_TOKEN'})) as flow:\n    PrefectSecret('GH_TOKEN')\n"
        for (flags, fails) in [("", true), (" --env GH_TOKEN=\"$GH_TOKEN\"", false)] {
            let root = try makeTree(["flows/f.py": text(flow), "start.sh": text("export PREFECT__BACKEND=server\nexport GH_TOKEN=\"$(cat /run/secrets/gh)\"\nprefect agent docker start --label d\(flags)\n")])
            defer { try? FileManager.default.removeItem(atPath: root) }
            let result = await runCLI(["check", "--no-color", root])
            #expect(result.stdout.contains("the run gets the `$` reference written as its value, unexpanded") == fails, "\(flags): \(result.stdout)")
            #expect(result.status == (fails ? 1 : 0))
            // `${GH_TOKEN}` that nothing sets is a missing config key to Prefect: an empty value.
            try Data(text(flow.replacingOccurrences(of: "'$GH_TOKEN'", with: "'${GH_TOKEN}'"))).write(to: URL(fileURLWithPath: root + "/flows/f.py"))
            let braced = await runCLI(["check", "--no-color", root])
            #expect(braced.stdout.contains("the run gets an empty value") == fails, "\(flags): \(braced.stdout)")
            #expect(braced.status == (fails ? 1 : 0))
        }
    }

    /// An agent started without `--label` takes `[cloud.agent] labels` from the config
    /// (agent.py reads `config.cloud.agent.labels`); `--label` replaces them.
    @Test func agentLabelsFromTheConfig() async throws {
        let flow = "from prefect import Flow\nfrom prefect.run_configs import DockerRun\nfrom prefect.storage import Module\nwith Flow('f', storage=Module('flows.f'), run_config=DockerRun(labels=['development'])) as flow:\n    pass\n"
        for (flags, runs) in [("", true), (" --label other", false)] {
            let root = try makeTree([
                "flows/f.py": text(flow), ".prefect/config.toml": text("backend = \"server\"\n[cloud.agent]\nlabels = [\"development\"]\n"),
                "agent.sh": text("prefect agent docker start\(flags)\n"),
            ])
            defer { try? FileManager.default.removeItem(atPath: root) }
            #expect(try await Self.codes([root]).contains("PS203") != runs, "\(flags)")
        }
    }

    /// Values no output may print: one reused as an agent's name, one beside a syntax error, one
    /// on another line of a file that does not parse, values the formats escape (`&`, `%`),
    /// and an ENV_VARS value the tool cannot read entry by entry.
    @Test(arguments: [
        ["agent.sh": "export PREFECT__CONTEXT__SECRETS__WAREHOUSE=Mz3Kp8Qw2Rt6Yx\nprefect agent local start -l etl --no-hostname-label --name Mz3Kp8Qw2Rt6Yx\n",
         "flow.py": "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nwith Flow('etl', run_config=LocalRun(labels=['etl', 'x'])) as flow:\n    pass\n"],
        ["flow.py": "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nwith Flow(\"etl\", run_config=LocalRun(env={\"PREFECT__CONTEXT__SECRETS__DB_PASSWORD\": \"Aa1Bb2Cc3Dd4Ee5})) as flow:\n    pass\n"],
        [".prefect/config.toml": "[context.secrets]\nSNOWFLAKE_CREDS = { user = \"etl\", password = \"Nb7Vc4Xz1Lk9Jh\", private_key_passphrase = \"Mz3Kp8Qw2Rt6Yx\" }\n[context.secrets.DB\n"],
        [".env": "PREFECT__CONTEXT__SECRETS__A=Ab3dEf7&Gh9jKl2\nPREFECT__CONTEXT__SECRETS__B=Tu2vWx6%Yz9aBc4\n",
         "flow.py": "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nwith Flow('Ab3dEf7&Gh9jKl2', run_config=LocalRun(labels=['Tu2vWx6%Yz9aBc4'])) as flow:\n    pass\n"],
        ["agent.yaml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          args: [\"prefect agent kubernetes start\"]\n          env:\n            - name: PREFECT__CLOUD__AGENT__ENV_VARS\n              value: '{\"PREFECT__CONTEXT__SECRETS__DB\": \"Mz3Kp8Qw2Rt6Yx\", \"LEVEL\": \"Qa1Ws2Ed3Rf4Tg5\",}'\n"],
        // A value only PS102 knows; TOML escapes and blanks around a value.
        ["flow.py": "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nLT_PASSWORD = \"Mn4pQr8<St2uVw6\"\nwith Flow(\"Mn4pQr8<St2uVw6\", run_config=LocalRun(labels=[\"Mn4pQr8<St2uVw6\"])) as f:\n    pass\n",
         "agent.sh": "prefect agent local start -l etl\n"],
        [".prefect/config.toml": "[context.secrets]\nDQ = \"Hi8jKl4\\\"Mn0pQr5\"\nLOSSY = \"  amber-harbor-88  \"\n",
         "flow.py": "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nwith Flow('Hi8jKl4\"Mn0pQr5', run_config=LocalRun(labels=['amber-harbor-88'])) as f:\n    pass\n",
         "agent.sh": "prefect agent local start -l etl\n"],
        // An agent `--env` whose name is missing.
        ["agent.sh": "prefect agent local start -l dev -e =Yq8vX2mN4pL8 -e PREFECT__CLOUD__USE_LOCAL_SECRETS=0\n"],
        // Values uploaded by GraphQL and by a `python -c` snippet, on Server (PS301 frames).
        ["config.toml": "backend = \"server\"\n",
         "s.py": "from prefect import Client\nClient().graphql('mutation { set_secret(input: {name: \"DB\", value: \"Qz7Lm3Vx9Pw2Hk4\"}) { success } }')\n",
         "s.sh": "python -c 'from prefect import Client; Client().set_secret(\"API\", \"Ab1Cd2Ef3Gh4Ij5\")'\n"],
        // An option the agent does not have, a `key=value` before more options, an ENV_VARS
        // value that is not JSON, an API URL's query, an env name that abbreviates a password.
        ["agent.sh": "prefect agent local start --auth-token Uv1Wx2Yz3Ab4Cd5 -e PREFECT__CONTEXT__SECRETS__DB=Ef6Gh7Ij8Kl9Mn0 -e SMTP_PASS=Qr2St3Uv4Wx5Yz6\nprefect run -n etl --param db_password=Op1Qr2St3Uv4Wx5 --param api_token=Yz6Ab7Cd8Ef9Gh0\nexport PREFECT__CLOUD__AGENT__ENV_VARS='{\"PREFECT__CONTEXT__SECRETS__DB\": \"Ij1Kl2Mn3Op4Qr5\", \"SMTP_PASSWORD\": St6Uv7Wx8Yz9Ab0}'\nprefect agent docker start --api \"https://prefect.example.com/graphql?code=Wq4Zt8Lm2Rx6Vb3\"\n",
         "flow.py": "from prefect import Flow\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow(\"etl\") as flow:\n    PrefectSecret(\"DB\")\n"],
        // `NAME:value` in a dotenv file, a Compose list and a Dockerfile; a dotenv value's tail after its quotes.
        [".env": "PREFECT__CONTEXT__SECRETS__SMTP_PASSWORD:Kl6Mn7Op8Qr9St0\nPREFECT__CONTEXT__SECRETS__DB=\"Ab1Cd2\"Ef3Gh4Ij5Kl6\n",
         "docker-compose.yml": "services:\n  agent:\n    image: prefecthq/prefect:1.4.1\n    command: prefect agent local start -l x\n    environment:\n      - \"PREFECT__CONTEXT__SECRETS__A2: Hb1Jd2Lf3Nh4Pj5\"\n",
         "Dockerfile": "FROM prefecthq/prefect:1.4.1\nENV PREFECT__CONTEXT__SECRETS__B2:Xy7Kp2Lm9Qr4Ts8\nCMD prefect agent local start -l y\n"],
        // Credentials no detector knows beside one it does: a comment, a header, a `-u` password, before `;`.
        [".env": "PREFECT__CONTEXT__SECRETS__DB_PASSWORD=Aq7Lm3Vx9Pw2Zk # rotated from Bq7Lm3Vx9Pw2Zk\n",
         "run.sh": "curl -H \"Authorization: Bearer Qq7Lm3Vx9Pw2Zk\" -u admin:Rq7Lm3Vx9Pw2Zk https://x -d password=Sq7Lm3Vx9Pw2Zk\nAPI_TOKEN=Eq7Lm3Vx9Pw2Zk; export PREFECT__CONTEXT__SECRETS__Y=Gq7Lm3Vx9Pw2Zk\n"],
        // A `value` written twice in an ECS task definition: both are values.
        ["td.json": "{\"containerDefinitions\": [{\"environment\": [{\"name\": \"PREFECT__CONTEXT__SECRETS__DB\", \"value\": \"Mn7Op8Qr9St0Uv1\", \"value\": \"Wx2Yz3Ab4Cd5Ef6\"}]}]}\n"],
        // Keys pasted where a backend or labels belong (PS305, PS209, the inventory); a Parameter
        // default (PS106) that is also part of the flow's name and its label (PS203).
        ["agent.sh": "export PREFECT__BACKEND=\"Kt9Hs2Lp8Qx3Zr\"\nexport PREFECT__CLOUD__AGENT__LABELS=\"Pq8Xl2Kt9Hs3Zw\"\nprefect agent local start\n",
         "flow.py": "from prefect import Flow, Parameter\nfrom prefect.run_configs import LocalRun\nwith Flow('etl-Xq7pL2vR9sKd', run_config=LocalRun(labels=['Xq7pL2vR9sKd'])) as flow:\n    api_token = Parameter('api_token', default='Xq7pL2vR9sKd')\n"],
        // A URL password with `@` in it; an unterminated quote that would swallow the next
        // line into a label; a task definition cut off; a plain variable a secret is taken from.
        ["dsn.py": "WAREHOUSE = \"postgresql://etl:Summer@2024!xQ@db.internal:5432/wh\"\n",
         "agent/start.sh": "prefect agent local start --label \"etl\nprefect agent docker start --label etl --env PREFECT__CONTEXT__SECRETS__DB_PASSWORD=Gold-Fish-88?Zq\n",
         "flows/f.py": "from prefect import Flow\nfrom prefect.tasks.secrets import PrefectSecret\nfrom prefect.run_configs import LocalRun\nwith Flow('f', run_config=LocalRun(labels=['etl'])) as flow:\n    PrefectSecret('DB_PASSWORD')\n",
         "task_definition.json": "{\"family\": \"prefect\", \"containerDefinitions\": [{\"name\": \"flow\", \"environment\": [{\"name\": \"PREFECT__CONTEXT__SECRETS__I\", \"value\": \"Red-Fish-77?Zq\"}, {\"name\": \"DB_PASSWORD\", \"value\": \"Qx7Lp2Mz9WkHy6Tn1BvQa9\"\n",
         "smtp.sh": "SMTP=\"Autumn-2025#yZq\"; prefect agent local start --label etl --env PREFECT__CLOUD__USE_LOCAL_SECRETS=false --env PREFECT__CONTEXT__SECRETS__SMTP=\"$SMTP\"\n"],
        // A value typed into an env name; an inline task definition quoted by PS201; a long
        // line cut at the frame's edge; env names that say secret without saying credential.
        ["job_template.yaml": "apiVersion: batch/v1\nkind: Job\nspec: {template: {spec: {containers: [{name: flow, env: [{name: \"PREFECT__CONTEXT__SECRETS__SNOWFLAKE=Winter-2026!qZ\"}]}]}}}\n",
         "ecs.sh": "prefect backend server\nprefect agent ecs start --label ecs --task-definition '{\"containerDefinitions\": [{\"name\": \"flow\", \"environment\": [{\"name\": \"PREFECT__CONTEXT__SECRETS__SMTP\", \"value\": \"Spring-2027#xZ\"}]}]}'\n",
         "flow.py": "from prefect import Flow\nfrom prefect.run_configs import ECSRun, KubernetesRun\nfrom prefect.storage import S3\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('etl', storage=S3(bucket='b'), run_config=ECSRun(labels=['ecs'])) as flow:\n    PrefectSecret('DB_PASSWORD')\nother = KubernetesRun(env={'DB_PASSWORD': 'Winter-2026!q', 'AZURE_CLIENT_SECRET': 'hunter2hunter2Zq'})\n",
         "cut.sh": "export SMTP_PASSWORD=\"Harbor-2026!q-Winter\"\nexport PREFECT__Context__Secrets__SMTP=\"$SMTP_PASSWORD\"  # ops: until the 2024-03 rotation this was hard-coded in supervisor/conf.d/agent.conf as Harbor-2026!q-Winter; keep in sync\n"],
        // A secret's value that reads as words, reused as a label and in a comment; one reused
        // as PREFECT__CLOUD__AGENT__LABELS (PS209 must not spell it); a `${X:-default}`.
        [".env": "PREFECT__CONTEXT__SECRETS__SMTP_PASSWORD=correct-horse-battery-staple\nPREFECT__CONTEXT__SECRETS__DB_PASSWORD=Autumn-2026!kQ\n",
         "start.sh": "prefect agent local start -l etl -e PREFECT__CONTEXT__SECRETS__OTHER=$OTHER  # smtp: correct-horse-battery-staple\n",
         "labels.sh": "export PREFECT__CLOUD__AGENT__LABELS=Autumn-2026!kQ\nprefect agent local start\n",
         "flow.py": "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nwith Flow('f', run_config=LocalRun(labels=['correct-horse-battery-staple'])) as flow: pass\n",
         "Dockerfile": "FROM prefecthq/prefect:1.4.1\nENV PREFECT__CONTEXT__SECRETS__SSH_PASSWORD=${SSH_PASSWORD:-Slate-Roof-2029!}\nCMD prefect agent local start -l etl\n"],
        // URL passwords with `@`, `:` and `/` in them; values whose quote is never closed,
        // reused as a flow name and a label.
        [".env": "DATABASE_URL=postgresql://etl:Qw7rT@9x:Lm2/Zp@db.internal:5432/etl\nPREFECT__CONTEXT__SECRETS__API_TOKEN=\"Gp4Tz9Wq2Lm7Xk3Rv\n",
         "a.sh": "prefect agent local start --label etl --key Kp3Xz9Wq7Lm2Tn4Rv --api https://admin:Jr6Wz2/Lq9Xm@api.prefect.io\n",
         "config.toml": "[context.secrets]\nOTHER = \"Hb8Wq3Zx6Lm1Rt5Kv\n",
         "flow.py": "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nwith Flow('Gp4Tz9Wq2Lm7Xk3Rv', run_config=LocalRun(labels=['etl', 'Hb8Wq3Zx6Lm1Rt5Kv'])) as flow:\n    pass\n"],
        // URL passwords at an IP address or localhost; an S3 URL's secret key; a webhook's
        // token reused as a label; a value whose quote is never closed, copied into a comment.
        ["agent.sh": "prefect agent docker start --api http://admin:Copper-Kettle-1987@10.0.0.5:4200 --env PREFECT__CLOUD__USE_LOCAL_SECRETS=true\nprefect agent local start --api http://admin:Winter2024!Harbor@localhost:4200 --env FLOW_STORE=s3://AKIAQW7RTZ9KPL2MXV4N:Blue_Sky.2023-Autumn@bucket/p --env PREFECT__CLOUD__USE_LOCAL_SECRETS=true  # Maple!Syrup:Route/66\n",
         "config.toml": "[context.secrets]\nSLACK_WEBHOOK_URL = \"https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/Wd4Hq8Zr2Tn6KpXy3Lm9Qa7v\"\n",
         "Dockerfile": "FROM x\nENV PREFECT__CONTEXT__SECRETS__C_PASSWORD=\"Maple!Syrup:Route/66\n",
         "flows/etl.py": "from prefect import Flow\nfrom prefect.run_configs import DockerRun\nwith Flow('etl-Wd4Hq8Zr2Tn6KpXy3Lm9Qa7v', run_config=DockerRun(labels=['Wd4Hq8Zr2Tn6KpXy3Lm9Qa7v'])) as flow:\n    pass\n"],
    ])
    func valuesStayHiddenEverywhere(_ files: [String: String]) async throws {
        let values = [
            "Mz3Kp8Qw2Rt6Yx", "Aa1Bb2Cc3Dd4Ee5", "Nb7Vc4Xz1Lk9Jh", "Ab3dEf7", "Gh9jKl2", "Tu2vWx6", "Yz9aBc4", "Qa1Ws2Ed3Rf4Tg5", "Mn4pQr8", "St2uVw6",
            "Hi8jKl4", "amber-harbor-88", "Yq8vX2mN4pL8", "Qz7Lm3Vx9Pw2Hk4", "Ab1Cd2Ef3Gh4Ij5", "Uv1Wx2Yz3Ab4Cd5", "Ef6Gh7Ij8Kl9Mn0",
            "Qr2St3Uv4Wx5Yz6", "Op1Qr2St3Uv4Wx5", "Yz6Ab7Cd8Ef9Gh0", "Ij1Kl2Mn3Op4Qr5", "St6Uv7Wx8Yz9Ab0", "Wq4Zt8Lm2Rx6Vb3", "Kl6Mn7Op8Qr9St0",
            "Ef3Gh4Ij5Kl6", "Hb1Jd2Lf3Nh4Pj5", "Xy7Kp2Lm9Qr4Ts8", "Mn7Op8Qr9St0Uv1", "Wx2Yz3Ab4Cd5Ef6",
            "Bq7Lm3Vx9Pw2Zk", "Qq7Lm3Vx9Pw2Zk", "Rq7Lm3Vx9Pw2Zk", "Eq7Lm3Vx9Pw2Zk", "Kt9Hs2Lp8Qx3Zr", "Pq8Xl2Kt9Hs3Zw", "Xq7pL2vR9sKd",
            "'P', 'q', '8'", "2024!xQ", "Gold-Fish-88?Zq", "Red-Fish-77?Zq", "Autumn-2025#yZq", "Winter-2026!qZ", "Spring-2027#xZ",
            "hunter2hunter2Zq", "Harbor-2026", "2026!q-Winter", "horse-battery", "Autumn-2026", "'A', 'u'", "Slate-Roof",
            "9x:Lm2", "Lm2/Zp", "Jr6Wz2", "Lq9Xm", "Gp4Tz9Wq2", "Hb8Wq3Zx6", "Copper-Kettle", "!Harbor", "Blue_Sky", "Wd4Hq8Zr2", "Maple!Syrup",
        ]
        let root = try makeTree(files.mapValues { text($0) })
        defer { try? FileManager.default.removeItem(atPath: root) }
        var runs: [[String]] = ["text", "json", "sarif", "github", "gitlab", "junit"].map { ["check", "--format", $0, "--fail-on", "never"] }
        runs += [["inventory"], ["inventory", "--format", "json"]]
        for arguments in runs {
            let result = await runCLI(arguments + [root])
            // Hiding a value must not break the format that carries it.
            if !Set(arguments).isDisjoint(with: ["json", "sarif", "gitlab"]) {
                #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil, "`\(arguments.joined(separator: " "))` is not JSON")
            }
            for value in values where result.stdout.contains(value) || result.stderr.contains(value) {
                Issue.record("\(value) printed by `\(arguments.joined(separator: " "))` for \(files.keys.sorted())")
            }
        }
    }

    /// An agent's env file: ENV_VARS with a `$NAME` entry still gives flow runs its other
    /// entries; a file outside the project may set ENV_VARS, so a missing secret is a warning
    /// that names it. A backend from the tool's configuration is named so.
    @Test func dockerAgentEnvFiles() async throws {
        let flow = "from prefect import Flow\nfrom prefect.run_configs import DockerRun\nfrom prefect.storage import Docker\nfrom prefect.tasks.secrets import EnvVarSecret\nwith Flow('f', storage=Docker(image_name='f'), run_config=DockerRun(labels=['ds'])) as flow:\n    EnvVarSecret('HEALTH_URL', raise_if_missing=True)\n"
        let compose = { (envFile: String) in "services:\n  agent:\n    image: prefecthq/prefect:1.4.1\n    env_file: \(envFile)\n    command: prefect agent docker start --label ds\n" }
        let inProject = try makeTree([
            "flow.py": text(flow), "docker-compose.yml": text(compose("agent.env")),
            "agent.env": text("PREFECT__BACKEND=server\nPREFECT__CLOUD__AGENT__ENV_VARS={\"HEALTH_URL\": \"https://status.example/x\", \"DB_URL\": \"$DB_URL\"}\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: inProject) }
        #expect(try await Self.codes([inProject]).isEmpty)
        let outside = try makeTree(["flow.py": text(flow), "docker-compose.yml": text(compose("/etc/prefect/agent.env")), ".prefect-secrets.toml": text("backend = \"server\"\n")])
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let result = await runCLI(["check", "--no-color", outside])
        #expect(result.status == 0 && result.stdout.contains("unless PREFECT__CLOUD__AGENT__ENV_VARS in /etc/prefect/agent.env (not in the project) sets it"), "\(result.stdout)")
        let inventory = await runCLI(["inventory", outside])
        #expect(inventory.stdout.contains("backend server (from backend in .prefect-secrets.toml)"), "\(inventory.stdout)")
    }

    /// `prefect register --path flows/` reads the folder's own files: a flow in a subfolder
    /// gets none of its labels, and PS203 says why.
    @Test func registerPathDoesNotRecurse() async throws {
        let flow = "from prefect import Flow\nfrom prefect.storage import Docker\nwith Flow('cleanup', storage=Docker(image_name='cleanup')) as flow:\n    pass\n"
        let deploy = "prefect backend server\nprefect register --project analytics --path flows/ --label docker-prod\nprefect agent docker start --label docker-prod\n"
        let root = try makeTree(["flows/ops/cleanup.py": text(flow), "deploy.sh": text(deploy)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--no-color", "--fail-on", "never", root])
        #expect(result.stdout.contains("with labels none") && result.stdout.contains("`prefect register --path flows/` does not register it"), "\(result.stdout)")
    }

    /// `prefect register` loads a file without running its `__main__` block: the run config
    /// and storage set only there do not reach the flow it registers (PS203 says so). When the
    /// block registers the flow too, the runs have either registration's labels: not judged.
    @Test func mainBlockConfigurationAndPrefectRegister() async throws {
        let flow = { (main: String) in
            "from prefect import Flow\nfrom prefect.run_configs import DockerRun\nfrom prefect.storage import GitHub\nwith Flow('f') as flow:\n    pass\n\nif __name__ == '__main__':\n    flow.run_config = DockerRun(labels=['d'])\n    flow.storage = GitHub(repo='o/r', path='flows/f.py')\n    \(main)\n"
        }
        let deploy = "prefect backend server\nprefect agent docker start --label d\n"
        for (main, register, expected) in [
            ("flow.run()", "prefect register --project p -p flows/\n", ["PS203"]),
            ("flow.register(project_name='p')", "prefect register --project p -p flows/\n", []),
            ("flow.run()", "", []),
        ] {
            let root = try makeTree(["flows/f.py": text(flow(main)), "deploy.sh": text(deploy + register)])
            defer { try? FileManager.default.removeItem(atPath: root) }
            #expect(try await Self.codes([root]) == expected, "\(main), \(register)")
            if !expected.isEmpty {
                let result = await runCLI(["check", "--no-color", "--fail-on", "never", root])
                #expect(result.stdout.contains("with labels <hostname>") && result.stdout.contains("it is given under `if __name__ == \"__main__\":` does not apply"), "\(result.stdout)")
            }
        }
    }

    /// `flow.register()` before `flow.run_config = …` registers the flow without it (PS203 says
    /// so); not when the call is in a function called later, nor when `prefect register`, which
    /// runs the module with `flow.register` doing nothing, registers it too.
    @Test func registerBeforeConfiguration() async throws {
        let header = "from prefect import Flow\nfrom prefect.run_configs import DockerRun\nfrom prefect.storage import Module\nwith Flow('hello') as flow:\n    pass\n"
        let configure = "flow.storage = Module('flow')\nflow.run_config = DockerRun(labels=['etl'])\n"
        let agent = "prefect backend server\nprefect agent docker start --label etl\n"
        for (code, register, expected) in [
            (header + "flow.register(project_name='p')\n" + configure, "", ["PS203"]),
            (header + configure + "flow.register(project_name='p')\n", "", []),
            (header + "def main():\n    flow.register(project_name='p')\n" + configure + "main()\n", "", []),
            (header + "flow.register(project_name='p')\n" + configure, "prefect register --project p -p flow.py\n", []),
        ] {
            let root = try makeTree(["flow.py": text(code), "deploy.sh": text(agent + register)])
            defer { try? FileManager.default.removeItem(atPath: root) }
            #expect(try await Self.codes([root]) == expected, "\(code)\n\(register)")
            if !expected.isEmpty {
                let result = await runCLI(["check", "--no-color", "--fail-on", "never", root])
                #expect(result.stdout.contains("`flow.register()` is called before its run config or storage is set"), "\(result.stdout)")
            }
        }
    }

    /// `Client().register(flow)` registers the run config's labels alone: Local storage adds
    /// no hostname label then, as it does through `flow.register()`.
    @Test func clientRegistrationAddsNoStorageLabels() async throws {
        let header = "from prefect import Client, Flow\nfrom prefect.run_configs import DockerRun\nfrom prefect.storage import Local\n"
            + "with Flow('hello', storage=Local(stored_as_script=True, path='/app/flow.py'), run_config=DockerRun(labels=['etl'])) as flow:\n    pass\n"
        for (register, expected) in [
            ("Client().register(flow, project_name='p')\n", [String]()),
            ("client = Client()\nclient.register(flow=flow, project_name='p')\n", []),
            ("flow.register(project_name='p')\n", ["PS203"]),
        ] {
            let root = try makeTree(["flow.py": text(header + register), "agent.sh": text("prefect backend server\nprefect agent docker start --label etl\n")])
            defer { try? FileManager.default.removeItem(atPath: root) }
            #expect(try await Self.codes([root]) == expected, "\(register)")
        }
    }

    /// A register script that configures another module's flow is followed when the package
    /// sits below the root (a `src` layout, imported as installed) and through a name bound
    /// to the flow (`f = hello.flow`): the flow has the labels it sets, no PS203.
    @Test func registerScriptsOfInstalledPackagesAndFlowAliases() async throws {
        let flow = "from prefect import Flow\nwith Flow('hello') as flow:\n    pass\n"
        let configure = { (imports: String, target: String) in
            "from prefect.run_configs import DockerRun\nfrom prefect.storage import Local\n\(imports)\n"
                + "\(target).storage = Local(add_default_labels=False, stored_as_script=True, path='/app/hello.py')\n"
                + "\(target).run_config = DockerRun(labels=['etl'])\n\(target).register(project_name='p')\n"
        }
        let agent = "prefect backend server\nprefect agent docker start --label etl\n"
        for files in [
            ["src/etl/__init__.py": "", "src/etl/flows/__init__.py": "", "src/etl/flows/hello.py": flow, "src/etl/register.py": configure("from etl.flows import hello", "hello.flow")],
            ["pkg/__init__.py": "", "pkg/flows/__init__.py": "", "pkg/flows/hello.py": flow, "pkg/register.py": configure("from pkg.flows import hello\nf = hello.flow", "f")],
        ] {
            let root = try makeTree(files.mapValues(text).merging(["agent.sh": text(agent)]) { $1 })
            defer { try? FileManager.default.removeItem(atPath: root) }
            #expect(try await Self.codes([root]).isEmpty, "\(files.keys.sorted())")
        }
    }

    /// `prefect auth login --key` in a Dockerfile `RUN` puts the key in the image whatever gives
    /// it (PS105); in its `CMD`, or in a script, a reference is fine.
    @Test func authLoginInAnImageBuild() async throws {
        for (dockerfile, expected) in [
            ("FROM prefecthq/prefect:1.4.1\nARG PREFECT_API_KEY\nRUN prefect backend cloud && prefect auth login --key ${PREFECT_API_KEY}\n", ["PS105"]),
            ("FROM prefecthq/prefect:1.4.1\nCMD prefect auth login --key \"$PREFECT_API_KEY\" && prefect agent local start\n", []),
            ("FROM prefecthq/prefect:1.4.1\nARG SUFFIX\nRUN prefect auth login --key Qz7Lm3Vx9Pw2Hk4Rt8$SUFFIX\n", ["PS105"]),
        ] {
            let root = try makeTree(["Dockerfile": text(dockerfile), "login.sh": text("prefect auth login --key \"$PREFECT_API_KEY\"\n")])
            defer { try? FileManager.default.removeItem(atPath: root) }
            #expect(try await Self.codes([root, "--select", "PS105"]) == expected, "\(dockerfile)")
            let shown = await runCLI(["check", "--no-color", "--fail-on", "never", root])
            #expect(!shown.stdout.contains("Qz7Lm3Vx9Pw2Hk4Rt8"), "\(shown.stdout)")
        }
    }

    /// A module-level notifier or task that nothing uses is attached to no flow: its secrets
    /// are not the module's one flow's (no PS201); once a flow uses it, they are.
    @Test func unusedModuleComponentsAreNoFlows() async throws {
        let header = "from prefect import Flow, task\nfrom prefect.engine.state import Failed\nfrom prefect.run_configs import LocalRun\nfrom prefect.storage import Module\n"
            + "from prefect.utilities.notifications import slack_notifier\nhandler = slack_notifier(only_states=[Failed])\n@task\ndef hello():\n    return 1\n"
        let agent = "export PREFECT__BACKEND=server\nprefect agent local start --label etl --no-hostname-label\n"
        for (handlers, expected) in [("", [String]()), (", state_handlers=[handler]", ["PS201"])] {
            let flow = header + "with Flow('hello', run_config=LocalRun(labels=['etl']), storage=Module('flow')\(handlers)) as flow:\n    hello()\n"
            let root = try makeTree(["flow.py": text(flow), "start-agent.sh": text(agent)])
            defer { try? FileManager.default.removeItem(atPath: root) }
            #expect(try await Self.codes([root]) == expected, "\(handlers)")
        }
    }

    /// Redacting everywhere is for random-looking values: a value that is a word or a path
    /// (`postgres`, `flows/etl.py`) leaves file paths, labels and messages readable.
    @Test func wordsAndPathsStayReadable() async throws {
        let root = try makeTree([
            ".env": text("PREFECT__CONTEXT__SECRETS__PG=postgres\nPREFECT__CONTEXT__SECRETS__PATH=flows/etl.py\n"),
            "flows/etl.py": text("from prefect import Flow\nfrom prefect.run_configs import LocalRun\nwith Flow('postgres-sync', run_config=LocalRun(labels=['postgres', 'x'])) as flow:\n    pass\n"),
            "agent.sh": text("prefect agent local start -l etl\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--format", "json", "--fail-on", "never", root])
        #expect(result.stdout.contains("\"path\": \"flows/etl.py\"") && result.stdout.contains("flow 'postgres-sync'"), "\(result.stdout)")
    }

    /// `prefect backend server` on a developer's machine (a Makefile target) writes that
    /// machine's backend.toml: an agent a script starts there takes it; one in a Kubernetes
    /// pod does not, nor does a CI job that sets PREFECT__BACKEND itself (PS303).
    @Test func backendCommandsActOnTheirMachineOnly() async throws {
        let root = try makeTree([
            "Makefile": text("dev:\n\tprefect backend server\n\tprefect server start\n"),
            "start.sh": text("prefect agent local start -l dev\n"),
            "agent.yaml": text(
                "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          command: [prefect, agent, kubernetes, start, --label, prod]\n"),
            ".github/workflows/register.yml": text(
                "on: push\njobs:\n  register:\n    runs-on: ubuntu-latest\n    env:\n      PREFECT__BACKEND: cloud\n      PREFECT__CLOUD__API_KEY: ${{ secrets.KEY }}\n    steps:\n      - run: prefect register -p flows --project etl\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let json = await runCLI(["inventory", "--format", "json", root])
        let agents = (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["agents"] as? [[String: Any]] ?? []
        let backends = Dictionary(agents.compactMap { agent in (agent["location"] as? String).map { ($0, agent["backend"] as? String ?? "") } }, uniquingKeysWith: { a, _ in a })
        #expect(backends == ["start.sh:1": "server", "agent.yaml:8": "cloud"], "\(json.stdout)")
        #expect(try await !Self.codes([root]).contains("PS303"))
        // --backend speaks for every agent.
        let overridden = await runCLI(["inventory", "--format", "json", "--backend", "server", root])
        #expect(!overridden.stdout.contains("\"backend\": \"cloud\""), "\(overridden.stdout)")
    }

    /// A local agent's runs read the config file PREFECT__USER_CONFIG_PATH names: a project file
    /// by its path, nothing the project shows when it names a file elsewhere (a hedged PS201);
    /// a path the tool cannot read leaves the project's own file.
    @Test func userConfigPathDecidesWhichConfigFileRunsRead() async throws {
        let flow = "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom prefect.storage import Local\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('f', run_config=LocalRun(labels=['dev']), storage=Local(add_default_labels=False)) as flow:\n    PrefectSecret('API_TOKEN')\n"
        for (path, resolves) in [("/srv/app/deploy/config.toml", true), ("/etc/prefect/agent.toml", false), ("\"$(dirname \"$0\")/deploy/config.toml\"", true)] {
            let root = try makeTree([
                "flow.py": text(flow), "deploy/config.toml": text("[context.secrets]\nAPI_TOKEN = \"$API_TOKEN\"\n"), "names.txt": text(""),
                "start.sh": text("export PREFECT__USER_CONFIG_PATH=\(path)\nprefect agent local start -l dev --no-hostname-label\n"),
            ])
            defer { try? FileManager.default.removeItem(atPath: root) }
            let result = await runCLI(["check", "--no-color", "--cloud-secrets", root + "/names.txt", root])
            #expect(result.stdout.contains("PS201") != resolves, "\(path): \(result.stdout)")
            #expect(result.stdout.contains("unless the config file /etc/prefect/agent.toml that PREFECT__USER_CONFIG_PATH names (not in the project) sets it") == !resolves, "\(path)")
        }
        // `/srv/app/deploy/config.toml` is deploy/config.toml, not the root's config.toml,
        // whose path it ends with too; so is `$APP_HOME/deploy/config.toml`.
        for path in ["/srv/app/deploy/config.toml", "\"$APP_HOME/deploy/config.toml\"", "${APP_HOME}/deploy/config.toml"] {
            let root = try makeTree([
                "flow.py": text(flow), "config.toml": text("[context.secrets]\nOTHER = \"x\"\n"),
                "deploy/config.toml": text("[context.secrets]\nAPI_TOKEN = \"$API_TOKEN\"\n"), "names.txt": text(""),
                "start.sh": text("APP_HOME=/srv/app\nexport PREFECT__USER_CONFIG_PATH=\(path)\nprefect agent local start -l dev --no-hostname-label\n"),
            ])
            defer { try? FileManager.default.removeItem(atPath: root) }
            let result = await runCLI(["check", "--no-color", "--cloud-secrets", root + "/names.txt", root])
            #expect(!result.stdout.contains("PS201") && result.stdout.contains("PS205"), "\(path): \(result.stdout)")
        }
    }

    /// Helper round 26: a unit's `EnvironmentFile=/opt/etl/.env` is the project's root `.env`
    /// when its other absolute paths show the project deployed at /opt/etl
    /// (`/opt/etl/deploy/config.toml` is deploy/config.toml); without them it stays unknown.
    @Test func absolutePathsBelowTheDeployRootNameRootFiles() async throws {
        let flow = "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom prefect.storage import Module\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('f', run_config=LocalRun(labels=['etl']), storage=Module('flows.f')) as flow:\n    PrefectSecret('API_TOKEN')\n"
        for (configPath, placed) in [("Environment=PREFECT__USER_CONFIG_PATH=/opt/etl/deploy/config.toml\n", true), ("", false)] {
            let root = try makeTree([
                "flows/f.py": text(flow), ".env": text("PREFECT__CONTEXT__SECRETS__API_TOKEN=${VAULT_TOKEN}\n"),
                "deploy/config.toml": text("backend = \"server\"\n"),
                "deploy/agent.service": text("[Service]\nEnvironmentFile=/opt/etl/.env\n\(configPath)ExecStart=/opt/etl/venv/bin/prefect agent local start -l etl --no-hostname-label\n"),
            ])
            defer { try? FileManager.default.removeItem(atPath: root) }
            let result = await runCLI(["check", "--no-color", "--fail-on", "never", "--backend", "server", root])
            #expect(result.stdout.contains("PS201") != placed, "\(result.stdout)")
            #expect(result.stdout.contains("unless /opt/etl/.env (not in the project) sets it") != placed, "\(result.stdout)")
        }
    }

    /// Helper round 26: a secret a local agent's runs get from a whole-table
    /// `PREFECT__CONTEXT__SECRETS` is shown as coming from that line, not from the flow.
    @Test func wholeSecretsTableIsWhereItsSecretsComeFrom() async throws {
        let flow = "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom prefect.storage import Module\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('f', run_config=LocalRun(labels=['etl']), storage=Module('flows.f')) as flow:\n    PrefectSecret('SLACK_URL')\n"
        let root = try makeTree([
            "flows/f.py": text(flow),
            "deploy/agent.service": text("[Service]\nEnvironment=PREFECT__BACKEND=server\nEnvironment=PREFECT__CONTEXT__SECRETS='{\"SLACK_URL\": \"$SLACK_URL\"}'\nExecStart=/opt/etl/venv/bin/prefect agent local start -l etl --no-hostname-label\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["inventory", root])
        #expect(result.stdout.contains("✓ flow 'f' on local agent deploy/agent.service:4: environment variable from deploy/agent.service:3"), "\(result.stdout)")
    }

    /// Helper round 27: an `EnvVarSecret` name that an env entry sets is provided, though its
    /// `$` reaches the run unexpanded (PS201): no PS204 "did you mean" a context secret's name.
    @Test func envVarSecretNameSetByAnEnvEntryIsNoTypo() async throws {
        let flow = "from prefect import Flow\nfrom prefect.run_configs import LocalRun\nfrom prefect.storage import Module\nfrom prefect.tasks.secrets import EnvVarSecret, PrefectSecret\nwith Flow('f', run_config=LocalRun(labels=['etl'], env={'X_TOKEN': '$X_TOKEN', 'PREFECT__CONTEXT__SECRETS__A_TOKEN': '$A_RAW'}), storage=Module('flows.f')) as flow:\n    EnvVarSecret('X_TOKEN')\n    PrefectSecret('A_TOKEN')\n"
        let root = try makeTree(["flows/f.py": text(flow), "agent.sh": text("export PREFECT__BACKEND=server\nprefect agent local start -l etl --no-hostname-label\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let codes = try await Self.codes([root])
        #expect(codes.contains("PS201") && !codes.contains("PS204"), "\(codes)")
    }

    /// Short names are near only when they keep a character in common: `PG` is not a typo of
    /// `DB`, though two edits join them, but it may be one of `PW`.
    @Test func shortSecretNamesAreNearOnlyWithACharacterInCommon() async throws {
        for (provided, near) in [("DB", false), ("X", false), ("PW", true), ("pg", true)] {
            let root = try makeTree([
                "flow.py": text("from prefect import Flow\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('etl') as flow:\n    PrefectSecret('PG')\n"),
                "agent.sh": text("export PREFECT__CONTEXT__SECRETS__\(provided)=\"$D\"\nprefect agent local start --no-hostname-label\n"),
            ])
            defer { try? FileManager.default.removeItem(atPath: root) }
            #expect(try await Self.codes([root]).contains("PS204") == near, "\(provided)")
        }
    }

    /// A saved API response (a JSON object) is refused rather than read as one secret name,
    /// and an inventory given through a pipe (`<(…)`, `/dev/stdin`) is read.
    @Test func cloudInventoryIsAJSONListOrLinesFromAnyReadableFile() async throws {
        let root = try makeTree(["object.json": text(#"{"secret_names": ["STRIPE_KEY"]}"#), "agent.sh": text("prefect agent kubernetes start\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let refused = await runCLI(["check", "--cloud-secrets", root + "/object.json", root])
        #expect(refused.status == 2 && refused.stderr.contains("must be a JSON list of strings or one name a line"), "\(refused.stderr)")
        // A list with an item that is no name says which.
        #expect(FileManager.default.createFile(atPath: root + "/objects.json", contents: Data(text(#"["STRIPE_KEY", {"name": "DB_PASSWORD"}]"#))))
        let item = await runCLI(["check", "--cloud-secrets", root + "/objects.json", root])
        #expect(item.status == 2 && item.stderr.contains("one name a line (item 2 is not a string)"), "\(item.stderr)")
        // Outside the scanned tree, which must not read it.
        let fifo = NSTemporaryDirectory() + "prefect-secrets-names-\(UUID().uuidString).fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        let writer = Task.detached { try? Data("STRIPE_KEY\n".utf8).write(to: URL(fileURLWithPath: fifo)) }
        let piped = await runCLI(["inventory", "--cloud-secrets", fifo, root])
        _ = await writer.value
        #expect(piped.status == 0, "\(piped.stderr)")
        // A byte order mark is no part of the first name; UTF-16 is refused, not read as NULs.
        let flow = "from prefect import Flow\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('etl') as flow:\n    PrefectSecret('STRIPE_KEY')\n"
        try Data(flow.utf8).write(to: URL(fileURLWithPath: root + "/flow.py"))
        try Data(#"["STRIPE_KEY"]"#.utf8).write(to: URL(fileURLWithPath: root + "/plain.json"))
        try Data([0xEF, 0xBB, 0xBF] + Array(#"["STRIPE_KEY"]"#.utf8)).write(to: URL(fileURLWithPath: root + "/bom.json"))
        try Data([0xEF, 0xBB, 0xBF] + Array("STRIPE_KEY\n".utf8)).write(to: URL(fileURLWithPath: root + "/bom.txt"))
        try Data([0xFF, 0xFE] + Array("STRIPE_KEY\n".utf8).flatMap { [$0, 0] }).write(to: URL(fileURLWithPath: root + "/utf16.txt"))
        let plain = await runCLI(["inventory", "--format", "json", "--cloud-secrets", root + "/plain.json", root])
        for name in ["bom.json", "bom.txt"] {
            let marked = await runCLI(["inventory", "--format", "json", "--cloud-secrets", root + "/" + name, root])
            #expect(marked.status == 0 && marked.stdout == plain.stdout, "\(name): \(marked.stderr)")
        }
        let wide = await runCLI(["check", "--cloud-secrets", root + "/utf16.txt", root])
        #expect(wide.status == 2 && wide.stderr.contains("must be UTF-8 text"), "\(wide.stderr)")
    }

    /// A secret named by something the tool cannot read (an imported constant) is listed
    /// with where it is needed, so a migration does not miss it.
    @Test func inventoryListsSecretNamesItCannotRead() async throws {
        let flow = "from prefect import Flow\nfrom prefect.tasks.secrets import PrefectSecret\nfrom pkg import TOKEN\nwith Flow('etl') as flow:\n    PrefectSecret(TOKEN)\n"
        let root = try makeTree(["flows/etl.py": text(flow)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let inventory = await runCLI(["inventory", root])
        #expect(inventory.stdout.hasPrefix("Secrets\n  (names the tool cannot read: a variable, an import, a call)\n    needed by   flow 'etl' flows/etl.py:5 (prefectSecretTask)\n"), "\(inventory.stdout)")
        let json = await runCLI(["inventory", "--format", "json", root])
        let unread = (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["unread_secret_names"] as? [String]
        #expect(unread == ["flow 'etl' flows/etl.py:5 (prefectSecretTask)"], "\(json.stdout)")
    }

    /// A name computed from a text around it is listed with the provided names it can be and,
    /// per agent, whether the run finds a secret of that form; each such provided name lists
    /// the reference as its reader.
    @Test func inventoryShowsWhatAComputedNameCanBe() async throws {
        let flow = """
            import os
            from prefect import Flow
            from prefect.run_configs import LocalRun
            from prefect.storage import Module
            from prefect.tasks.secrets import PrefectSecret

            stage = os.environ["STAGE"]
            with Flow("etl", storage=Module("flows.etl"), run_config=LocalRun(labels=["etl"])) as flow:
                PrefectSecret("DB_PASSWORD_" + stage)

            """
        let start = { (name: String) in "export PREFECT__BACKEND=server\nexport PREFECT__CONTEXT__SECRETS__\(name)=\"$DB_PW\"\nprefect agent local start -l etl --no-hostname-label\n" }
        let root = try makeTree(["flows/etl.py": text(flow), "start.sh": text(start("DB_PASSWORD_PROD"))])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let found = await runCLI(["inventory", root])
        #expect(
            found.stdout.hasPrefix("""
                Secrets
                  DB_PASSWORD_PROD
                    needed by   flow 'etl' flows/etl.py:9 (prefectSecretTask), as a name of the form DB_PASSWORD_{…}
                    provided by start.sh:2 (environment, shellExport)
                  (names the tool cannot read: a variable, an import, a call)
                    needed by   flow 'etl' flows/etl.py:9 (prefectSecretTask): a name of the form DB_PASSWORD_{…}
                    could be    DB_PASSWORD_PROD
                    ✓ flow 'etl' on local agent start.sh:3: a secret of that form in the local context, from start.sh:2

                """), "\(found.stdout)")
        try start("DB_PASSWORD").write(toFile: root + "/start.sh", atomically: true, encoding: .utf8)
        let json = await runCLI(["inventory", "--format", "json", root])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let computed = try #require((object["computed_secret_names"] as? [[String: Any]])?.first, "\(json.stdout)")
        #expect(computed["form"] as? String == "DB_PASSWORD_{…}" && (computed["could_be"] as? [String])?.isEmpty == true)
        let agents = try #require(computed["agents"] as? [[String: Any]])
        #expect(agents.map { $0["verdict"] as? String } == ["missing"], "\(json.stdout)")
        #expect((agents.first?["why"] as? String)?.contains("backend server has no secret store") == true, "\(json.stdout)")
    }

    /// A name the tool cannot read is not the empty name: `Secret(n)` is listed apart from `Secret("")`.
    @Test func unreadNamesAreNotTheEmptyName() async throws {
        let root = try makeTree(["lib.py": text("from prefect.client import Secret\ndef helper(n):\n    return Secret(n).get()\ndef other():\n    return Secret(\"\").get()\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let json = await runCLI(["inventory", "--format", "json", root])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let secrets = try #require(object["secrets"] as? [[String: Any]])
        #expect(secrets.map { $0["referenced_by"] as? [String] } == [["lib.py:5 (secretGet)"]], "\(json.stdout)")
        #expect(object["unread_secret_names"] as? [String] == ["lib.py:3 (secretGet)"])
    }

    /// Two agents that read the same env file give one PS207 for the secret in it.
    @Test func sharedEnvFileGivesOneAgentEnvFinding() async throws {
        let compose = """
            services:
              agent-a:
                image: prefecthq/prefect:1.4.1
                command: prefect agent docker start --label a
                env_file: [agent.env]
              agent-b:
                image: prefecthq/prefect:1.4.1
                command: prefect agent docker start --label b
                env_file: [agent.env]

            """
        let root = try makeTree(["docker-compose.yml": text(compose), "agent.env": text("PREFECT__CONTEXT__SECRETS__DB_PASSWORD=fake-value-1\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--format", "json", "--fail-on", "never", "--select", "PS207", root])
        #expect(result.stdout.components(separatedBy: "\"PS207\"").count - 1 == 1, "\(result.stdout)")
    }

    /// A local agent started after `. ./agent.env` inherits what the file exports, all of it
    /// under `set -a`; a line that is not exported stays in the script's shell (PS201 and PS202,
    /// which says why).
    @Test func sourcedEnvFileReachesLocalAgent() async throws {
        let flow = """
            from prefect import Flow
            from prefect.run_configs import LocalRun
            from prefect.tasks.secrets import PrefectSecret
            with Flow("etl", run_config=LocalRun(labels=["etl"])) as flow:
                PrefectSecret("DB_PASSWORD")

            """
        let agent = "prefect agent local start --label etl\n"
        let exported = "export PREFECT__CONTEXT__SECRETS__DB_PASSWORD=fake-value-1\n"
        let plain = "PREFECT__CONTEXT__SECRETS__DB_PASSWORD=fake-value-1\n"
        let cases: [(script: String, env: String, resolves: Bool)] = [
            ("set -a\n. ./agent.env\nset +a\n" + agent, plain, true),
            ("source deploy/agent.env\n" + agent, exported, true),
            (". ./agent.env\n" + agent, plain, false),
            (agent + ". ./agent.env\n", exported, false),
            ("export $(grep -v '^#' deploy/agent.env | xargs)\n" + agent, plain, true),
            ("env $(cat deploy/agent.env | xargs) " + agent, plain, true),
            ("env $(cat deploy/agent.env | xargs) echo\n" + agent, plain, false),
            // Sourced twice, once under `set -a`: the variable is exported.
            (". ./agent.env\nset -a\n. ./agent.env\nset +a\n" + agent, plain, true),
            ("bash -c 'set -a; . ./agent.env'\n" + agent, plain, false),
        ]
        for (script, env, resolves) in cases {
            let root = try makeTree([
                "flows/etl.py": text(flow), "deploy/agent.env": text(env), "deploy/start.sh": text("#!/bin/sh\n" + script),
            ])
            defer { try? FileManager.default.removeItem(atPath: root) }
            let check = await runCLI(["check", "--no-color", "--fail-on", "never", "--backend", "server", "--select", "PS201,PS202", root])
            let inventory = await runCLI(["inventory", "--backend", "server", root])
            #expect(check.status == 0 && inventory.status == 0, "\(check.stderr)\(inventory.stderr)")
            #expect(check.stdout.contains("PS201") == !resolves && check.stdout.contains("PS202") == !resolves, "\(script)\(check.stdout)")
            #expect(inventory.stdout.contains("✓ flow 'etl' on local agent deploy/start.sh") == resolves, "\(script)\(inventory.stdout)")
            let readsFile = script != agent + ". ./agent.env\n" && !script.contains("echo") && !script.contains("bash -c")
            #expect(inventory.stdout.contains("env files:    deploy/agent.env\n") == readsFile, "once: \(inventory.stdout)")
            if script == ". ./agent.env\n" + agent {
                #expect(check.stdout.contains("(deploy/start.sh sources this file without `set -a`, and the file does not export it)"), "\(check.stdout)")
            }
            #expect(!check.stdout.contains("fake-value-1") && !inventory.stdout.contains("fake-value-1"))
        }
    }

    /// `env -i` and `sudo` start the agent with an empty environment: an export before them
    /// does not reach a local agent's flow runs, one written after them does, and one `sudo
    /// --preserve-env=LIST` names.
    @Test func environmentResetsHideTheScriptsExports() async throws {
        let flow = """
            from prefect import Flow
            from prefect.run_configs import LocalRun
            from prefect.tasks.secrets import PrefectSecret
            with Flow("etl", run_config=LocalRun(labels=["etl"])) as flow:
                PrefectSecret("DB_PASSWORD")

            """
        let export = "export PREFECT__CONTEXT__SECRETS__DB_PASSWORD=fake-value-1\n"
        let cases: [(script: String, resolves: Bool, wrapper: String?)] = [
            (export + "env -i prefect agent local start --label etl\n", false, "env -i"),
            (export + "sudo -u prefect prefect agent local start --label etl\n", false, "sudo"),
            (export + "sudo --preserve-env=PATH prefect agent local start --label etl\n", false, "sudo"),
            (export + "sudo --preserve-env=PREFECT__CONTEXT__SECRETS__DB_PASSWORD prefect agent local start --label etl\n", true, nil),
            (export + "env -C/opt/pipelines prefect agent local start --label etl\n", true, nil),
            (export + "exec -aprefect-agent prefect agent local start --label etl\n", true, nil),
            (export + "exec -c prefect agent local start --label etl\n", false, "exec -c"),
            (export + "sudo -E prefect agent local start --label etl\n", true, nil),
            ("env -i PREFECT__CONTEXT__SECRETS__DB_PASSWORD=fake-value-1 prefect agent local start --label etl\n", true, nil),
            ("env -i sh -c '\(export.dropLast()); prefect agent local start --label etl'\n", true, nil),
        ]
        for (script, resolves, wrapper) in cases {
            let root = try makeTree(["flows/etl.py": text(flow), "deploy/start.sh": text("#!/bin/sh\n" + script)])
            defer { try? FileManager.default.removeItem(atPath: root) }
            let check = await runCLI(["check", "--no-color", "--fail-on", "never", "--backend", "server", "--select", "PS201,PS202", root])
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.stdout.contains("PS201") == !resolves && check.stdout.contains("PS202") == !resolves, "\(script)\(check.stdout)")
            if let wrapper {
                #expect(check.stdout.contains("(`\(wrapper)` empties its environment)"), "\(check.stdout)")
            }
            #expect(!check.stdout.contains("fake-value-1"))
        }
    }

    /// An agent reads its labels and backend from its env files as from its own environment,
    /// unless `--label` flags give the labels.
    @Test func envFilesSetAgentLabelsAndBackend() async throws {
        let flow = """
            from prefect import Flow
            from prefect.run_configs import LocalRun
            from prefect.tasks.secrets import PrefectSecret
            with Flow("etl", run_config=LocalRun(labels=["etl"])) as flow:
                PrefectSecret("DB_PASSWORD")

            """
        let env = "PREFECT__CLOUD__AGENT__LABELS=['etl']\nPREFECT__BACKEND=server\nPREFECT__CONTEXT__SECRETS__DB_PASSWORD=fake-value-1\n"
        for (start, labels) in [
            ("[Service]\nEnvironmentFile=/opt/app/deploy/agent.env\nExecStart=/usr/bin/prefect agent local start\n", "etl,<hostname>"),
            ("[Service]\nEnvironmentFile=/opt/app/deploy/agent.env\nExecStart=/usr/bin/prefect agent local start --label other\n", "other,<hostname>"),
        ] {
            let root = try makeTree(["flows/etl.py": text(flow), "deploy/agent.env": text(env), "deploy/agent.service": text(start)])
            defer { try? FileManager.default.removeItem(atPath: root) }
            let check = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS2", root])
            let inventory = await runCLI(["inventory", root])
            #expect(inventory.stdout.contains("local agent deploy/agent.service:3: labels \(labels), backend server (from deploy/agent.env)"), "\(inventory.stdout)")
            #expect(check.stdout.contains("PS203") == (labels != "etl,<hostname>"), "\(check.stdout)")
            #expect(!check.stdout.contains("fake-value-1") && !inventory.stdout.contains("fake-value-1"))
        }

        // The API URL too: Cloud's API with a Server backend, both from the env file, is PS304.
        let cloudAPI = env + "PREFECT__CLOUD__API=https://api.prefect.io\n"
        for (start, conflict) in [
            ("[Service]\nEnvironmentFile=/opt/app/deploy/agent.env\nExecStart=/usr/bin/prefect agent local start\n", true),
            ("[Service]\nEnvironmentFile=/opt/app/deploy/agent.env\nExecStart=/usr/bin/prefect agent local start --api http://apollo:4200\n", false),
        ] {
            let root = try makeTree(["flows/etl.py": text(flow), "deploy/agent.env": text(cloudAPI), "deploy/agent.service": text(start)])
            defer { try? FileManager.default.removeItem(atPath: root) }
            let check = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS304", root])
            let inventory = await runCLI(["inventory", root])
            #expect(check.stdout.contains("PS304") == conflict, "\(start)\(check.stdout)")
            #expect(inventory.stdout.contains("api:          \(conflict ? "https://api.prefect.io" : "http://apollo:4200")"), "\(inventory.stdout)")
        }

        // A sourced file stands where the script sources it; an assignment the tool cannot
        // read (`${BACKEND}`) leaves the setting unknown rather than the file's.
        let sourcedBackend = "export PREFECT__BACKEND=server\nexport PREFECT__CLOUD__AGENT__LABELS=\"['etl']\"\n"
        for (script, backend) in [
            ("export PREFECT__BACKEND=cloud\n. ./agent.env\nprefect agent local start\n", "server (from deploy/agent.env)"),
            (". ./agent.env\nexport PREFECT__BACKEND=cloud\nprefect agent local start\n", "cloud (from deploy/start.sh)"),
            (". ./agent.env\nexport PREFECT__BACKEND=${BACKEND}\nprefect agent local start\n", "cloud (from Prefect's default)"),
        ] {
            let root = try makeTree(["flows/etl.py": text(flow), "deploy/agent.env": text(sourcedBackend), "deploy/start.sh": text(script)])
            defer { try? FileManager.default.removeItem(atPath: root) }
            let inventory = await runCLI(["inventory", root])
            #expect(inventory.stdout.contains("local agent deploy/start.sh:3: labels etl,<hostname>, backend \(backend)"), "\(script)\(inventory.stdout)")
        }

        // The tool has no "unknown" setting: a file's unreadable value leaves the script's
        // literal standing. Make's exports come before the shell a recipe line starts, so a
        // file that line sources overrides them.
        for (files, agentPath, backend) in [
            (["deploy/agent.env": "export PREFECT__BACKEND=\"$Y\"\n", "deploy/start.sh": "export PREFECT__BACKEND=server\n. ./agent.env\nprefect agent local start\n"],
             "deploy/start.sh:3", "server (from deploy/start.sh)"),
            (["deploy/agent.env": "export PREFECT__BACKEND=server\n", "Makefile": "agent:\n\t. deploy/agent.env; prefect agent local start\nexport PREFECT__BACKEND=cloud\n"],
             "Makefile:2", "server (from deploy/agent.env)"),
            // systemd loads the file before ExecStart's shell exports over it.
            (["deploy/agent.env": "PREFECT__BACKEND=cloud\n",
              "deploy/agent.service": "[Service]\nEnvironmentFile=/opt/app/deploy/agent.env\nExecStart=/bin/sh -c 'export PREFECT__BACKEND=server; exec prefect agent local start'\n"],
             "deploy/agent.service:3", "server (from deploy/agent.service)"),
            // …also over an `Environment=` written below it, which the env file overrides first.
            (["deploy/agent.env": "PREFECT__BACKEND=cloud\n",
              "deploy/agent.service": "[Service]\nExecStart=/bin/sh -c 'export PREFECT__BACKEND=server; exec prefect agent local start'\nEnvironment=PREFECT__BACKEND=other\nEnvironmentFile=/opt/app/deploy/agent.env\n"],
             "deploy/agent.service:2", "server (from deploy/agent.service)"),
        ] {
            let root = try makeTree(files.mapValues { text($0) }.merging(["flows/etl.py": text(flow)]) { first, _ in first })
            defer { try? FileManager.default.removeItem(atPath: root) }
            let inventory = await runCLI(["inventory", root])
            #expect(inventory.stdout.contains("local agent \(agentPath): labels <hostname>, backend \(backend)"), "\(inventory.stdout)")
        }

        // A Docker agent without --env flags passes its env file's PREFECT__CLOUD__AGENT__ENV_VARS on.
        let dockerFlow = flow.replacingOccurrences(of: "LocalRun", with: "DockerRun")
            .replacingOccurrences(of: "labels=[\"etl\"])", with: "labels=[\"etl\"]), storage=Module(\"flows.etl\")")
            .replacingOccurrences(of: "from prefect import Flow", with: "from prefect import Flow\nfrom prefect.storage import Module")
        let envVars = "PREFECT__BACKEND=server\nPREFECT__CLOUD__AGENT__ENV_VARS={\"PREFECT__CONTEXT__SECRETS__DB_PASSWORD\": \"fake-value-1\"}\n"
        for (flags, resolves) in [("", true), (" --env PREFECT__LOGGING__LEVEL=DEBUG", false)] {
            let unit = "[Service]\nEnvironmentFile=/opt/app/deploy/agent.env\nExecStart=/usr/bin/prefect agent docker start --label etl\(flags)\n"
            let root = try makeTree(["flows/etl.py": text(dockerFlow), "deploy/agent.env": text(envVars), "deploy/agent.service": text(unit)])
            defer { try? FileManager.default.removeItem(atPath: root) }
            let check = await runCLI(["check", "--no-color", "--fail-on", "never", "--select", "PS2", root])
            let inventory = await runCLI(["inventory", root])
            #expect(check.stdout.contains("PS201") == !resolves && check.stdout.contains("PS207") == !resolves, "\(flags): \(check.stdout)")
            #expect(inventory.stdout.contains("✓ flow 'etl' on docker agent deploy/agent.service:3: local context from deploy/agent.env:2") == resolves,
                    "\(inventory.stdout)")
            #expect(!check.stdout.contains("fake-value-1") && !inventory.stdout.contains("fake-value-1"))
        }
    }

    @Test func missingPathIsAUsageError() async {
        let result = await runCLI(["check", "/nonexistent/prefect-secrets-test"])
        #expect(result.status == 2)
        #expect(result.stderr == "prefect-secrets: error: /nonexistent/prefect-secrets-test: no such file or directory\n")
    }

    @Test func badFormatIsOneLineUsageError() async {
        let result = await runCLI(["check", "--format", "xml", "."])
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("unknown --format 'xml'"))
    }

    @Test func badFailOnIsUsageError() async {
        let result = await runCLI(["check", "--fail-on", "sometimes", "."])
        #expect(result.status == 2)
    }

    @Test func unknownSelectorIsUsageError() async throws {
        let root = try makeTree(["a.txt": text("hello\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--select", "PS999,nope", root])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown rule selector(s): PS999, nope"))
    }

    @Test func emptyTreeFailsClosed() async throws {
        let root = try makeTree([:])
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", root])
        #expect(result.status == 2)
        #expect(result.stderr.contains("nothing was scanned"))
    }

    @Test func onlySkippedFilesFailsClosed() async throws {
        let root = try makeTree(["blob.bin": [0x00, 0x01, 0x02, 0x00]])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", root])
        #expect(result.status == 2)
        #expect(result.stderr.contains("nothing was scanned (1 file skipped: 1 binary) under "))
    }

    @Test func summaryCountsScannedAndSkipped() async throws {
        var big = [UInt8](repeating: UInt8(ascii: "a"), count: 2048)
        big.append(0x0A)
        let root = try makeTree([
            "clean.txt": text("nothing here\n"),
            "blob.bin": [0x7F, 0x45, 0x00, 0x00],
            "big.txt": big,
            "crlf.txt": text("a\r\nb\rc\n"),
            "latin1.txt": [0x63, 0x61, 0x66, 0xE9, 0x0A],
            ".git/config": text("[core]\n"),
            "node_modules/x.js": text("x\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--max-file-size", "1024", root])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(
            result.stdout
                == "No findings (0 errors, 0 warnings, 0 infos) in 3 files (25 B); skipped 2 files (2.0 KB: 1 binary, 1 too-large).\n")
    }

    @Test func jsonReportHasDesignShape() async throws {
        let root = try makeTree(["clean.txt": text("nothing here\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--format", "json", root])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["version"] as? Int == 1)
        #expect((object?["tool"] as? [String: Any])?["name"] as? String == "prefect-secrets")
        #expect((object?["findings"] as? [Any])?.isEmpty == true)
        let summary = object?["summary"] as? [String: Any]
        #expect(summary?["files"] as? Int == 1)
        #expect(summary?["skipped"] as? Int == 0)
        #expect(summary?["errors"] as? Int == 0)
    }

    @Test func outputFileIsWrittenAndFormatFollowsExtension() async throws {
        let root = try makeTree(["clean.txt": text("nothing here\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let out = root + "/report.json"
        let result = await runCLI(["check", root + "/clean.txt", "--output", out])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        let written = try String(contentsOfFile: out, encoding: .utf8)
        #expect(written.hasPrefix("{\n  \"version\": 1,"))
    }

    @Test func symlinkOutsideRootIsSkippedNotFollowed() async throws {
        let outside = try makeTree(["secret.txt": text("outside\n")])
        let root = try makeTree(["inside.txt": text("inside\n")])
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: outside)
        }
        try FileManager.default.createSymbolicLink(atPath: root + "/link.txt", withDestinationPath: outside + "/secret.txt")
        try FileManager.default.createSymbolicLink(atPath: root + "/loop", withDestinationPath: root)
        // A link into a submodule that is not checked out points nowhere: counted, not silent.
        try FileManager.default.createSymbolicLink(atPath: root + "/dangling.py", withDestinationPath: root + "/submodule/flow.py")
        let result = await runCLI(["check", root])
        #expect(result.status == 0)
        #expect(result.stdout.contains("in 1 file "))
        #expect(result.stdout.contains("1 symlink-outside-root"))
        #expect(result.stdout.contains("1 broken-symlink"), "\(result.stdout)")
        let named = await runCLI(["check", root + "/dangling.py"])
        #expect(named.status == 2)
        #expect(named.stderr.contains("dangling.py: no such file or directory"), "\(named.stderr)")
    }

    @Test func symlinkInsideRootIsScannedAndFifoIsSkipped() async throws {
        let root = try makeTree(["a/inside.txt": text("inside\n"), "skipped/node_modules/x.txt": text("x\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createSymbolicLink(atPath: root + "/link.txt", withDestinationPath: root + "/a/inside.txt")
        try FileManager.default.createSymbolicLink(atPath: root + "/dirlink", withDestinationPath: root + "/a")
        // Reading a FIFO would block until a writer comes: discovery counts it as skipped.
        #expect(mkfifo(root + "/a/pipe", 0o600) == 0)
        let result = await runCLI(["check", root])
        #expect(result.status == 0)
        #expect(result.stdout.contains("in 2 files "), "a/inside.txt and link.txt: \(result.stdout)")
        #expect(result.stdout.contains("skipped 1 file (0 B: 1 special-file)"), "\(result.stdout)")
        let named = await runCLI(["check", root + "/a/pipe"])
        #expect(named.status == 2)
        #expect(named.stderr.contains("nothing was scanned (1 file skipped: 1 special-file) under "), "\(named.stderr)")
    }

    /// An agent a Python launcher runs as a command line is the CLI's: its `-e` is a flag, and
    /// what the script's `os.environ` gives a Docker agent is forwarded with `--env`.
    @Test func agentsStartedAsProgramsSpeakOfFlags() async throws {
        let root = try makeTree([
            "start_agent.py": text(
                "import os\nos.environ['PREFECT__CONTEXT__SECRETS__DB'] = os.environ['DB']\n"
                    + "os.system('prefect agent docker start -l d -e PREFECT__CONTEXT__SECRETS__API=Qw7rTz9Lm2Xk4Vb8')\n"),
            "flow.py": text(
                "from prefect import Flow\nfrom prefect.run_configs import DockerRun\nfrom prefect.storage import Docker\n"
                    + "from prefect.tasks.secrets import PrefectSecret\n"
                    + "with Flow('etl', run_config=DockerRun(labels=['d']), storage=Docker(registry_url='r')) as flow:\n    PrefectSecret('DB')\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--backend", "server", "--select", "PS104,PS207", "--format", "json", "--fail-on", "never", root])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let messages = ((object?["findings"] as? [[String: Any]]) ?? []).compactMap { $0["message"] as? String }.sorted()
        #expect(messages.count == 2, "\(result.stdout)")
        #expect(messages.first?.contains("in an agent --env flag") == true)
        #expect(messages.last?.contains("docker agent (start_agent.py:3") == true && messages.last?.hasSuffix("pass it with --env or PREFECT__CLOUD__AGENT__ENV_VARS instead") == true)
    }

    @Test func versionCommand() async {
        let result = await runCLI(["version"])
        #expect(result.status == 0)
        #expect(result.stdout == "prefect-secrets 0.1.0\n")
    }
}
