@testable import PrefectModel
import Spans
import Testing

@Suite struct ProjectModelTests {
    static func env(_ name: String, _ value: String?, _ context: EnvContext) -> EnvAssignment {
        EnvAssignment(name: name, nameSpan: ByteSpan(0, 1), value: value, valueSpan: nil, origin: .literal, context: context)
    }

    static func flowFile(
        labels: [String], storage: String? = "GitHub", runConfig: String? = nil, refs: [(String, SecretReferenceKind)], env: [EnvAssignment] = []
    ) -> FileFactsEntry {
        var facts = FileFacts()
        facts.flows = [Flow(name: "etl", span: ByteSpan(0, 1), labels: labels, runConfigType: runConfig, runConfigEnv: env, storageType: storage)]
        facts.secretReferences = refs.map { SecretReference(name: $0.0, span: ByteSpan(2, 3), kind: $0.1, flowIndex: 0) }
        return FileFactsEntry(path: "flows/etl.py", kind: .python, facts: facts)
    }

    static func agentFile(_ type: AgentType, labels: [String], flowRunEnv: [EnvAssignment] = [], processEnv: [EnvAssignment] = [], backend: String? = nil, path: String = "agent.sh") -> FileFactsEntry {
        var facts = FileFacts()
        facts.agents = [Agent(type: type, labels: labels, span: ByteSpan(0, 1), flowRunEnv: flowRunEnv, processEnv: processEnv, backend: backend)]
        return FileFactsEntry(path: path, kind: .shell, facts: facts)
    }

    static func config(secrets: [String], backend: String? = nil) -> FileFactsEntry {
        var facts = FileFacts()
        facts.configRole = .userConfig
        facts.provisions = secrets.map { SecretProvision(name: $0, span: ByteSpan(0, 1), source: .localConfig, origin: .literal) }
        var tree: [ConfigTableEntry] = [
            ConfigTableEntry("context", .table([ConfigTableEntry("secrets", .table(secrets.map { ConfigTableEntry($0, .string("v-\($0)")) }))]))
        ]
        if let backend {
            facts.backendSettings = [BackendSetting(value: backend, span: ByteSpan(0, 1))]
            tree.append(ConfigTableEntry("backend", .string(backend)))
        }
        facts.configTree = .table(tree)
        return FileFactsEntry(path: ".prefect/config.toml", kind: .toml, facts: facts)
    }

    /// `prefect register` finds files as Prefect 1.4.1's `expand_paths` does: a folder gives
    /// its own `.py` files, a glob with `**` any depth, a module its file.
    /// What follows `=` in a name is a value; after a blank, only a word with a digit or a symbol.
    @Test func valuesTypedIntoNames() {
        #expect(FileFacts.valueTail(ofName: "PREFECT__CONTEXT__SECRETS__X=Winter-2026") == "Winter-2026")
        #expect(FileFacts.valueTail(ofName: "X=plain words") == "plain words")
        #expect(FileFacts.valueTail(ofName: "DB Hb8Wq3Zx6") == "Hb8Wq3Zx6")
        #expect(FileFacts.valueTail(ofName: "AWS CREDENTIALS") == nil)
        #expect(FileFacts.valueTail(ofName: "my api\tkey ") == nil)
        #expect(FileFacts.valueTail(ofName: "NAME") == nil)
    }

    @Test func registrationsFindTheirFiles() {
        let python = ["flows/a.py", "flows/sub/b.py", "pkg/__init__.py", "pkg/jobs.py", "deploy/flows/c.py"]
        #expect(Registrations.files(at: "flows/", bases: Registrations.bases(of: ".github/workflows/ci.yml"), in: python) == ["flows/a.py"])
        #expect(Registrations.files(at: "./flows/**/*.py", bases: [""], in: python) == ["flows/a.py", "flows/sub/b.py"])
        #expect(Registrations.files(at: "flows/*", bases: [""], in: python) == ["flows/a.py", "flows/sub/b.py"], "a folder the glob matches gives its files")
        #expect(Registrations.files(at: "flows/c.py", bases: Registrations.bases(of: "deploy/register.sh"), in: python) == ["deploy/flows/c.py"], "from the script's folder")
        #expect(Registrations.files(at: "missing/", bases: [""], in: python).isEmpty)
        #expect(Registrations.files(ofModule: "pkg.jobs", bases: [""], in: Set(python)) == ["pkg/jobs.py"])
        #expect(Registrations.files(ofModule: "pkg.jobs.flow", bases: [""], in: Set(python)) == ["pkg/jobs.py"], "a flow's import path")
        #expect(Registrations.files(ofModule: "pkg", bases: [""], in: Set(python)) == ["pkg/__init__.py"])
    }

    /// Registration's labels reach the flows it registers (`--name` filters them); flows
    /// that commands register with different labels have unknown ones.
    @Test func registrationLabelsReachTheirFlows() {
        var flows = FileFacts()
        flows.flows = [Flow(name: "etl", span: ByteSpan(0, 1)), Flow(name: "report", span: ByteSpan(2, 3))]
        var ci = FileFacts()
        ci.registrations = [
            Registration(paths: ["flows"], modules: [], names: [], labels: WrittenLabels(known: ["prod"]), targetsAreUnknown: false, span: ByteSpan(0, 1)),
            Registration(paths: [], modules: ["flows.jobs"], names: ["report"], labels: WrittenLabels(known: ["dev"]), targetsAreUnknown: false, span: ByteSpan(2, 3)),
        ]
        let model = ProjectModel(files: [
            FileFactsEntry(path: "flows/jobs.py", kind: .python, facts: flows), FileFactsEntry(path: "ci.yml", kind: .yaml, facts: ci),
        ])
        #expect(model.flows.map(\.labels.description) == ["prod,<hostname>", "<unknown: prefect register>,<hostname>"])

        // `--module` alone gives a flow without storage `Module` storage: no hostname label.
        // A `flow.register(…)` with other labels is another registration: unknown labels.
        var code = FileFacts()
        code.flows = [Flow(name: "a", span: ByteSpan(0, 1)), Flow(name: "b", span: ByteSpan(2, 3))]
        code.flows[1].isRegisteredInCode = true
        code.flows[1].registerLabels = WrittenLabels(known: ["dev"])
        var cli = FileFacts()
        cli.registrations = [Registration(paths: [], modules: ["pkg.jobs"], names: [], labels: WrittenLabels(known: ["prod"]), targetsAreUnknown: false, span: ByteSpan(0, 1))]
        let registered = ProjectModel(files: [FileFactsEntry(path: "pkg/jobs.py", kind: .python, facts: code), FileFactsEntry(path: "ci.sh", kind: .shell, facts: cli)])
        #expect(registered.flows.map(\.labels.description) == ["prod", "<unknown: prefect register>"])
        #expect(registered.flows.map(\.flow.storageType) == ["Module", "Module"])
    }

    @Test func labelMatchingFollowsServerRules() {
        let run = LabelSet(["k8s"])
        #expect(LabelSet.agent(LabelSet(["k8s", "prod"]), canRun: run))
        #expect(!LabelSet.agent(LabelSet(["prod"]), canRun: run))
        #expect(!LabelSet.agent(LabelSet(["prod"]), canRun: LabelSet([])), "an unlabelled run only goes to an unlabelled agent")
        #expect(LabelSet.agent(LabelSet([]), canRun: LabelSet([])))
        #expect(!LabelSet.agent(LabelSet(["K8S"]), canRun: run), "labels are case-sensitive")
        let localStorageRun = LabelSet(["k8s"], hasHostname: true)
        #expect(!LabelSet.agent(LabelSet(["k8s"]), canRun: localStorageRun), "only a local agent carries the hostname label")
        #expect(LabelSet.agent(LabelSet(["k8s"], hasHostname: true), canRun: localStorageRun))
    }

    /// Messages list labels joined by commas: one that holds a comma, a quote or a blank, or
    /// none, is quoted (`--label dbt,prod` is one label, which Prefect does not split).
    @Test func labelsThatReadAsSeveralAreQuoted() {
        #expect(LabelSet(["prod", "dbt"]).description == "dbt,prod")
        #expect(LabelSet(["dbt,prod"]).description == "\"dbt,prod\"")
        #expect(LabelSet(["a b", "", "say \"hi\""], hasHostname: true).description == "\"\",\"a b\",\"say \\\"hi\\\"\",<hostname>")
    }

    /// Labels the tool cannot read (`--label "$ENV"`, `labels=[ENV]`) leave the match open
    /// unless the known labels settle it.
    @Test func unknownLabelsMayMatch() {
        let env = LabelSet([], unknown: ["$ENV"])  // `--label "$ENV"`: one label
        let list = LabelSet([], unknown: ["$LABELS"], unknownMayBeNone: true)  // PREFECT__CLOUD__AGENT__LABELS=$LABELS
        #expect(LabelSet.match(agent: env, run: LabelSet(["prod"])) == .mayRun)
        #expect(LabelSet.match(agent: env, run: LabelSet([])) == .cannot, "a flag always gives a label")
        #expect(LabelSet.match(agent: list, run: LabelSet([])) == .mayRun, "the list may be empty")
        #expect(LabelSet.match(agent: LabelSet(["k8s"], unknown: ["$ENV"]), run: LabelSet([])) == .cannot)
        #expect(LabelSet.match(agent: LabelSet(["k8s"], unknown: ["$ENV"]), run: LabelSet(["k8s"])) == .runs)
        #expect(LabelSet.match(agent: env, run: LabelSet([], hasHostname: true)) == .mayRun, "`--label \"$(hostname)\"`")
        #expect(LabelSet.match(agent: env, run: LabelSet(["prod"], hasHostname: true)) == .cannot, "one flag cannot give two labels")
        #expect(LabelSet.match(agent: env, run: LabelSet(["a", "b"])) == .cannot)
        #expect(LabelSet.match(agent: list, run: LabelSet(["a", "b"])) == .mayRun)
        #expect(LabelSet.match(agent: LabelSet([], unknown: ["${SITE}…", "${SITE}…"]), run: LabelSet(["a", "b"])) == .mayRun, "two words, two labels")
        #expect(LabelSet.match(agent: LabelSet(["prod"]), run: LabelSet(["prod"], hasHostname: true)) == .cannot)
        let unknownRun = LabelSet(["k8s"], unknown: ["ENV"])
        #expect(LabelSet.match(agent: LabelSet(["k8s", "prod"]), run: unknownRun) == .mayRun)
        #expect(LabelSet.match(agent: LabelSet(["prod"]), run: unknownRun) == .cannot, "k8s is missing whatever ENV is")
        #expect(LabelSet.match(agent: LabelSet([]), run: LabelSet([], unknown: ["ENV"])) == .cannot, "a list element is a label")
        #expect(LabelSet.match(agent: LabelSet([]), run: LabelSet([], unknown: ["get_labels(…)"], unknownMayBeNone: true)) == .mayRun)
        #expect(!LabelSet.agent(env, canRun: LabelSet(["prod"])))
        #expect(env.description == "<unknown: $ENV>" && !env.isEmpty)
        #expect(LabelSet([""]).description == "\"\"")
        // A storage built by a helper may be Local, whose hostname label only a local agent has.
        var flow = Flow(name: "x", span: ByteSpan(0, 1), labels: ["etl"], runConfigType: "DockerRun")
        flow.storageIsUnknown = "common.storage(…)"
        let run = LabelSet.forFlow(flow)
        #expect(!run.hasHostname && LabelSet.match(agent: LabelSet(["etl"]), run: run) == .mayRun)
    }

    @Test func defaultStorageAddsHostnameLabel() {
        let model = ProjectModel(files: [Self.flowFile(labels: ["k8s"], storage: nil, refs: []), Self.agentFile(.kubernetes, labels: ["k8s"])])
        #expect(model.flows[0].labels.hasHostname)
        #expect(model.agents(running: model.flows[0]).isEmpty)
    }

    @Test func localAgentSeesConfigSecretsAndProcessEnvOthersDoNot() {
        let files = [
            Self.flowFile(labels: ["a"], refs: [("DB", .prefectSecretTask), ("TOKEN", .prefectSecretTask)]),
            Self.config(secrets: ["DB"], backend: "server"),
            Self.agentFile(.local, labels: ["a"], processEnv: [Self.env("PREFECT__CONTEXT__SECRETS__TOKEN", "x", .shellExport)], path: "local.sh"),
            Self.agentFile(.docker, labels: ["a"], processEnv: [Self.env("PREFECT__CONTEXT__SECRETS__TOKEN", "x", .shellExport)], path: "docker.sh"),
        ]
        let model = ProjectModel(files: files)
        let flow = model.flows[0]
        let local = model.agents[0]
        let docker = model.agents[1]
        #expect(local.backend == "server" && docker.backend == "server")
        #expect(model.availability(of: "DB", kind: .prefectSecretTask, flow: flow, agent: local) != .missing)
        #expect(model.availability(of: "TOKEN", kind: .prefectSecretTask, flow: flow, agent: local) != .missing)
        #expect(model.availability(of: "DB", kind: .prefectSecretTask, flow: flow, agent: docker) == .missing)
        #expect(model.availability(of: "TOKEN", kind: .prefectSecretTask, flow: flow, agent: docker) == .missing)
    }

    static func envFile(_ path: String, _ assignments: [EnvAssignment]) -> FileFactsEntry {
        var facts = FileFacts()
        facts.envAssignments = assignments
        return FileFactsEntry(path: path, kind: .dotenv, facts: facts)
    }

    static func localAgent(path: String, kind: FileKind, envFiles: [String], processEnv: [EnvAssignment] = []) -> FileFactsEntry {
        var agent = Agent(type: .local, labels: ["a"], span: ByteSpan(0, 1), processEnv: processEnv)
        agent.envFiles = envFiles
        var facts = FileFacts()
        facts.agents = [agent]
        return FileFactsEntry(path: path, kind: kind, facts: facts)
    }

    /// `EnvironmentFile=`, compose `env_file` and `--env-file` name files the agent's process
    /// reads: found in the project they provide secrets to a local agent's runs; the ones that
    /// are not are listed, for messages.
    @Test func localAgentReadsItsEnvFiles() {
        let secret = Self.env("PREFECT__CONTEXT__SECRETS__DB", "from-file", .dotenv)
        let files = [
            Self.flowFile(labels: ["a"], refs: [("DB", .prefectSecretTask)]),
            Self.config(secrets: [], backend: "server"),
            Self.localAgent(path: "deploy/agent.service", kind: .systemd, envFiles: ["/etc/prefect/agent.env", "/etc/prefect/host-only.env"]),
            Self.envFile("deploy/etc/prefect/agent.env", [secret]),
        ]
        let model = ProjectModel(files: files)
        let agent = model.agents[0]
        #expect(agent.envFilePaths == ["deploy/etc/prefect/agent.env"])
        #expect(agent.missingEnvFiles == ["/etc/prefect/host-only.env"])
        #expect(model.availability(of: "DB", kind: .prefectSecretTask, flow: model.flows[0], agent: agent)
            == .local(ProjectLocation(path: "deploy/etc/prefect/agent.env", span: secret.nameSpan)))

        let missing = ProjectModel(files: Array(files.prefix(3)))
        #expect(missing.agents[0].missingEnvFiles.count == 2)
        #expect(missing.availability(of: "DB", kind: .prefectSecretTask, flow: missing.flows[0], agent: missing.agents[0]) == .missing)
    }

    /// systemd lets `EnvironmentFile=` override `Environment=`; compose and `docker run` let
    /// the service's own environment win over its env files.
    @Test func envFilePrecedenceFollowsTheLauncher() {
        let own = Self.env("PREFECT__CONTEXT__SECRETS__DB", "own", .systemd)
        let fromFile = Self.env("PREFECT__CONTEXT__SECRETS__DB", "file", .dotenv)
        for (kind, path, last) in [(FileKind.systemd, "deploy/agent.service", "deploy/agent.env"), (.yaml, "deploy/compose.yml", "deploy/compose.yml")] {
            let model = ProjectModel(files: [
                Self.localAgent(path: path, kind: kind, envFiles: ["agent.env"], processEnv: [own]),
                Self.envFile("deploy/agent.env", [fromFile]),
            ])
            #expect(model.processEnvironment(of: model.agents[0]).last?.path == last, "\(kind)")
        }
    }

    @Test func envFlagsAndRunConfigEnvProvideOnlyExactPrefixes() {
        let files = [
            Self.flowFile(labels: ["a"], refs: [], env: [Self.env("PREFECT__CONTEXT__SECRETS__RC", "v", .runConfigEnv)]),
            Self.agentFile(.kubernetes, labels: ["a"], flowRunEnv: [
                Self.env("PREFECT__context__secrets__LOWER", "v", .agentEnvFlag),
                Self.env("PREFECT__Context__Secrets__MIXED", "v", .agentEnvFlag),
                Self.env("PREFECT__CONTEXT__SECRETS__AWS__KEY", "v", .agentEnvFlag),
                Self.env("PREFECT__CONTEXT__SECRETS__BROKEN", nil, .agentEnvFlag),
            ], backend: "server"),
        ]
        let model = ProjectModel(files: files)
        let (flow, agent) = (model.flows[0], model.agents[0])
        #expect(model.availability(of: "RC", kind: .secretGet, flow: flow, agent: agent) != .missing)
        #expect(model.availability(of: "LOWER", kind: .secretGet, flow: flow, agent: agent) != .missing)
        #expect(model.availability(of: "MIXED", kind: .secretGet, flow: flow, agent: agent) == .missing)
        #expect(model.availability(of: "AWS", kind: .secretGet, flow: flow, agent: agent) != .missing)
        #expect(model.availability(of: "BROKEN", kind: .secretGet, flow: flow, agent: agent) == .missing)
    }

    @Test func cloudFallsBackToTheInventoryOrIsUnknown() {
        let files = [Self.flowFile(labels: ["a"], refs: []), Self.agentFile(.docker, labels: ["a"], backend: "cloud")]
        let unknown = ProjectModel(files: files)
        #expect(unknown.availability(of: "X", kind: .secretGet, flow: unknown.flows[0], agent: unknown.agents[0]) == .cloudUnknown)
        let known = ProjectModel(files: files, cloudInventory: ["X"])
        #expect(known.availability(of: "X", kind: .secretGet, flow: known.flows[0], agent: known.agents[0]) == .cloud)
        #expect(known.availability(of: "Y", kind: .secretGet, flow: known.flows[0], agent: known.agents[0]) == .missing)
        #expect(known.availability(of: "X", kind: .componentDefault, flow: known.flows[0], agent: known.agents[0]) == .missing,
                "default names are read from context only")
        let server = ProjectModel(files: files, backendOverride: "server", cloudInventory: ["X"])
        #expect(server.agents[0].backend == "cloud", "an agent's own backend setting beats the project's")
        let invalid = ProjectModel(files: [Self.flowFile(labels: ["a"], refs: []), Self.agentFile(.docker, labels: ["a"], backend: "Cloud")], cloudInventory: ["X"])
        #expect(invalid.availability(of: "X", kind: .secretGet, flow: invalid.flows[0], agent: invalid.agents[0]) == .missing,
                "backend values are case-sensitive: 'Cloud' is not cloud")
    }

    @Test func valuesPrefectCannotLoadFail() {
        // X and X__Y in one env with X first: `import prefect` crashes (facts §2.2).
        let files = [
            Self.flowFile(labels: ["a"], refs: []),
            Self.agentFile(.docker, labels: ["a"], flowRunEnv: [
                Self.env("PREFECT__CONTEXT__SECRETS__A", "1", .agentEnvFlag), Self.env("PREFECT__CONTEXT__SECRETS__A__B", "2", .agentEnvFlag),
            ], backend: "server"),
        ]
        let model = ProjectModel(files: files)
        guard case .fails(let reason) = model.availability(of: "A", kind: .secretGet, flow: model.flows[0], agent: model.agents[0]) else {
            Issue.record("expected the collision to make the run fail")
            return
        }
        #expect(reason.contains("import prefect"))
        #expect(!reason.contains("1") || !reason.contains("2"), "no values in the reason")
    }

    /// An agent a Python module starts runs where the module runs, on the project's machine:
    /// it takes the project's backend as a script's agent does; one in a YAML manifest runs in
    /// its container, which does not read the project's config.
    @Test func agentsStartedInPythonTakeTheProjectsBackend() {
        var started = FileFacts()
        started.agents = [Agent(type: .docker, labels: ["prod"], span: ByteSpan(0, 1))]
        let model = ProjectModel(files: [
            Self.config(secrets: [], backend: "server"),
            FileFactsEntry(path: "agents/run.py", kind: .python, facts: started),
            FileFactsEntry(path: "deploy/agent.yaml", kind: .yaml, facts: started),
        ])
        #expect(model.agents.map(\.backend) == ["server", "cloud"])
        #expect(model.agents.map(\.backendSource) == [".prefect/config.toml", ProjectModel.defaultBackendSource])
    }

    @Test func backendTomlBeatsUserConfig() {
        var backendFile = FileFacts()
        backendFile.configRole = .backendConfig
        backendFile.backendSettings = [BackendSetting(value: "server", span: ByteSpan(0, 1))]
        let model = ProjectModel(files: [
            Self.config(secrets: [], backend: "cloud"),
            FileFactsEntry(path: ".prefect/backend.toml", kind: .toml, facts: backendFile),
        ])
        #expect(model.projectBackend?.value == "server")
    }

    static func runTemplate(_ path: String, _ agentType: AgentType, _ env: [EnvAssignment]) -> FileFactsEntry {
        var facts = FileFacts()
        facts.envAssignments = env
        facts.runTemplate = RunTemplate(agentType: agentType, env: env)
        return FileFactsEntry(path: path, kind: .yaml, facts: facts)
    }

    /// A Kubernetes agent keeps the env of the job template's first container for the names it
    /// does not set itself (facts §4.3): the run config's `job_template_path`, else the agent's
    /// `--job-template`; an inline template, a remote one or another run config type uses none
    /// of the project's.
    @Test func kubernetesRunsGetTheirJobTemplatesEnv() {
        let fromRef = EnvAssignment(
            name: "PREFECT__CONTEXT__SECRETS__DB", nameSpan: ByteSpan(5, 6), value: "", valueSpan: nil,
            origin: .kubernetesSecret(name: "db", key: "password"), context: .jobTemplateEnv)
        let shadowed = EnvAssignment(
            name: "PREFECT__CONTEXT__SECRETS__RC", nameSpan: ByteSpan(7, 8), value: "t", valueSpan: nil, origin: .literal, context: .jobTemplateEnv)
        let forced = EnvAssignment(
            name: "PREFECT__CONTEXT__IMAGE", nameSpan: ByteSpan(9, 10), value: "t", valueSpan: nil, origin: .literal, context: .jobTemplateEnv)
        let template = Self.runTemplate("deploy/k8s/job.yaml", .kubernetes, [fromRef, shadowed, forced])
        let taskDefinition = Self.runTemplate("deploy/ecs/task.yaml", .ecs, [fromRef])
        func model(_ flowChange: (inout Flow) -> Void, agentType: AgentType = .kubernetes, agentTemplate: String? = nil) -> ProjectModel {
            var flow = Self.flowFile(
                labels: ["a"], runConfig: "KubernetesRun", refs: [("DB", .prefectSecretTask)], env: [Self.env("PREFECT__CONTEXT__SECRETS__RC", "rc", .runConfigEnv)])
            flowChange(&flow.facts.flows[0])
            var agent = Self.agentFile(agentType, labels: ["a"], backend: "server", path: "deploy/agent.sh")
            agent.facts.agents[0].templatePath = agentTemplate
            return ProjectModel(files: [flow, agent, template, taskDefinition])
        }
        func availability(_ model: ProjectModel, _ name: String) -> SecretAvailability {
            model.availability(of: name, kind: .prefectSecretTask, flow: model.flows[0], agent: model.agents[0])
        }
        let byFlow = model { $0.templatePath = "deploy/k8s/job.yaml" }
        #expect(byFlow.flows[0].templatePath == "deploy/k8s/job.yaml")
        #expect(availability(byFlow, "DB") == .local(ProjectLocation(path: "deploy/k8s/job.yaml", span: fromRef.nameSpan)))
        #expect(availability(byFlow, "RC") == .local(ProjectLocation(path: "flows/etl.py", span: ByteSpan(0, 1))), "the run config's env wins")
        let environment = RunEnvironment(flow: byFlow.flows[0], agent: byFlow.agents[0], model: byFlow)
        #expect(environment.entries.map(\.assignment.name) == ["PREFECT__CONTEXT__SECRETS__RC", "PREFECT__CONTEXT__SECRETS__DB"],
                "template entries the agent sets are dropped, the others come after the agent's (generate_job_spec)")

        let fromJob = SecretAvailability.local(ProjectLocation(path: "deploy/k8s/job.yaml", span: fromRef.nameSpan))
        let fromTask = SecretAvailability.local(ProjectLocation(path: "deploy/ecs/task.yaml", span: fromRef.nameSpan))
        for written in ["k8s/job.yaml", "file:///srv/k8s/job.yaml", "agent:///opt/prefect/k8s/job.yaml"] {
            let byAgent = model({ $0.runConfigType = nil }, agentTemplate: written)
            #expect(availability(byAgent, "DB") == fromJob, "\(written)")
        }
        let inline = model({ $0.templateIsUnknown = true }, agentTemplate: "k8s/job.yaml")
        #expect(availability(inline, "DB") == .missing, "an inline template replaces the agent's")
        let remote = model({ $0.templatePath = "s3://bucket/job.yaml" }, agentTemplate: "k8s/job.yaml")
        #expect(availability(remote, "DB") == .missing, "a remote template replaces the agent's and is not in the project")
        #expect(remote.unseenEnvSources(flow: remote.flows[0], agent: remote.agents[0]) == ["its job template (s3://…, not in the project)"])
        #expect(byFlow.unseenEnvSources(flow: byFlow.flows[0], agent: byFlow.agents[0]).isEmpty)
        #expect(inline.unseenEnvSources(flow: inline.flows[0], agent: inline.agents[0]) == ["the job template its run config gives (not read)"])
        for url in [
            "https://deploy:tok3n-Ab3dEf@files.example.com/job.yaml?X-Amz-Signature=abc123#x",
            "https://files.example.com/job.yaml?user=me@example.com&X-Amz-Signature=abc123", "https://gist.example.com/abc123/raw/job.yaml",
            "HTTPS://deploy:tok3n@files.example.com/job.yaml",
        ] {
            let signed = model { $0.templatePath = url }
            #expect(signed.unseenEnvSources(flow: signed.flows[0], agent: signed.agents[0]) == ["its job template (https://…, not in the project)"],
                    "no part of a URL, which can hold credentials anywhere, in messages")
        }
        let localURL = model { $0.templatePath = "agent://deploy:tok3n@host/job.yaml" }
        #expect(localURL.unseenEnvSources(flow: localURL.flows[0], agent: localURL.agents[0]) == ["its job template (agent://…, not in the project)"])
        let docker = model({ $0.runConfigType = nil }, agentType: .docker, agentTemplate: "deploy/k8s/job.yaml")
        #expect(availability(docker, "DB") == .missing, "only Kubernetes agents read job templates")
        let otherRunConfig = model({ $0.runConfigType = "DockerRun" }, agentTemplate: "k8s/job.yaml")
        #expect(availability(otherRunConfig, "DB")
            == .fails("the run fails: the kubernetes agent takes only KubernetesRun and UniversalRun run configs, not DockerRun (TypeError)"))
        #expect(availability(model({ $0.runConfigType = "UniversalRun" }, agentTemplate: "k8s/job.yaml"), "DB") == fromJob)
        let reassigned = model({ $0.runConfigType = "DockerRun"; $0.runConfigIsAmbiguous = true }, agentTemplate: "k8s/job.yaml")
        #expect(availability(reassigned, "DB") == .missing, "no TypeError verdict when the run config type is not certain")

        // ECS: the same with ECSRun's task definition and the agent's `--task-definition`.
        let ecsByFlow = model({ $0.runConfigType = "ECSRun"; $0.templatePath = "deploy/ecs/task.yaml" }, agentType: .ecs)
        #expect(availability(ecsByFlow, "DB") == fromTask)
        let ecsByAgent = model({ $0.runConfigType = nil }, agentType: .ecs, agentTemplate: "deploy/ecs/task.yaml")
        #expect(availability(ecsByAgent, "DB") == fromTask)
        let registered = model({ $0.runConfigType = "ECSRun"; $0.templateIsUnknown = true }, agentType: .ecs, agentTemplate: "deploy/ecs/task.yaml")
        #expect(availability(registered, "DB") == .missing, "a registered task definition replaces the agent's")
        let jobOnECS = model({ $0.runConfigType = nil }, agentType: .ecs, agentTemplate: "deploy/k8s/job.yaml")
        #expect(availability(jobOnECS, "DB") == .missing, "an ECS agent cannot use a Kubernetes Job")
        #expect(jobOnECS.unseenEnvSources(flow: jobOnECS.flows[0], agent: jobOnECS.agents[0])
            == ["task definition deploy/k8s/job.yaml (not read as a task definition)"])
        let taskDefinitionOnKubernetes = model({ $0.runConfigType = nil }, agentTemplate: "deploy/ecs/task.yaml")
        #expect(availability(taskDefinitionOnKubernetes, "DB") == .missing, "a Kubernetes agent cannot use a task definition")
        let kubernetesRunOnECS = model({ $0.templatePath = "deploy/k8s/job.yaml" }, agentType: .ecs)
        guard case .fails = availability(kubernetesRunOnECS, "DB") else {
            Issue.record("an ECS agent refuses a KubernetesRun")
            return
        }
    }

    /// How a written template or env file name finds its project file.
    @Test func projectFileResolution() {
        let paths = ProjectPaths(["t.yaml", "flows/t.yaml", "deploy/k8s/job.yaml", "other/job.yaml"])
        func find(_ name: String, rootFirst: Bool = false) -> String? {
            paths.file(named: name, from: "flows/flow.py", rootFirst: rootFirst)
        }
        #expect(find("t.yaml") == "flows/t.yaml")
        #expect(find("t.yaml", rootFirst: true) == "t.yaml", "prefect register runs from the root")
        #expect(find("../deploy/k8s/job.yaml") == "deploy/k8s/job.yaml")
        #expect(find("/opt/app/deploy/k8s/job.yaml") == "deploy/k8s/job.yaml")
        #expect(find("FILE:///opt/k8s/job.yaml") == "deploy/k8s/job.yaml")
        #expect(find("agent:///opt/k8s/job.yaml") == "deploy/k8s/job.yaml")
        #expect(find("file://deploy/k8s/job.yaml") == nil, "Prefect reads `deploy` as the host")
        #expect(find("~/k8s/job.yaml") == nil, "Prefect does not expand `~`")
        #expect(find("s3://bucket/k8s/job.yaml") == nil)
        #expect(find("missing.yaml") == nil)
        #expect(find("/srv/job.yaml") == nil, "two files end with job.yaml: ambiguous")
    }

    /// Each agent type takes its own run config and UniversalRun (Prefect's `_get_run_config`).
    @Test func agentsRefuseOtherRunConfigTypes() {
        let runConfigs = ["LocalRun", "DockerRun", "KubernetesRun", "ECSRun", "VertexRun", "UniversalRun"]
        let agentTypes: [AgentType] = [.local, .docker, .kubernetes, .ecs, .vertex]
        for agentType in agentTypes {
            for runConfig in runConfigs + [nil] {
                let model = ProjectModel(files: [
                    Self.flowFile(labels: ["a"], runConfig: runConfig, refs: [("DB", .secretGet)]),
                    Self.agentFile(agentType, labels: ["a"], backend: "server"),
                ])
                let refused = model.runRefusal(flow: model.flows[0], agent: model.agents[0]) != nil
                let takes = runConfig == nil || runConfig == "UniversalRun" || runConfig == agentType.runConfigType
                #expect(refused == !takes, "\(agentType) agent, \(runConfig ?? "no run config")")
            }
        }
        #expect(agentTypes.map(\.runConfigType) == ["LocalRun", "DockerRun", "KubernetesRun", "ECSRun", "VertexRun"])
    }

    /// A file an agent reads whole (`EnvironmentFile=`) gives all its variables, however else
    /// it is sourced; sourced only, it gives what stays in the sourcing shell.
    @Test func sourcedEnvFilesKeepWhatTheShellKeeps() {
        var envFacts = FileFacts()
        func assignment(_ name: String, _ persistence: SourcedPersistence) -> EnvAssignment {
            var env = EnvAssignment(name: name, nameSpan: ByteSpan(0, 1), value: "v", valueSpan: nil, origin: .literal, context: .dotenv)
            env.whenSourced = persistence
            return env
        }
        envFacts.envAssignments = [assignment("EXPORTED", .exported), assignment("PLAIN", .variable), assignment("PREFIX", .none)]
        let envFile = FileFactsEntry(path: "deploy/agent.env", kind: .dotenv, facts: envFacts)
        func names(envFiles: [String], sourced: [SourcedEnvFile]) -> [String] {
            var agentFile = Self.agentFile(.local, labels: ["a"], path: "deploy/start.sh")
            agentFile.facts.agents[0].envFiles = envFiles
            agentFile.facts.agents[0].sourcedFiles = sourced
            let model = ProjectModel(files: [envFile, agentFile])
            #expect(model.agents[0].envFilePaths.count <= 1, "each file once")
            return model.processEnvironment(of: model.agents[0]).map(\.assignment.name)
        }
        let plain = SourcedEnvFile(name: "agent.env", allExport: false)
        let allExport = SourcedEnvFile(name: "agent.env", allExport: true)
        #expect(names(envFiles: [], sourced: [plain]) == ["EXPORTED"])
        #expect(names(envFiles: [], sourced: [allExport]) == ["EXPORTED", "PLAIN"])
        #expect(names(envFiles: [], sourced: [plain, allExport, plain]) == ["EXPORTED", "PLAIN"])
        #expect(names(envFiles: ["agent.env"], sourced: [plain]) == ["EXPORTED", "PLAIN", "PREFIX"])
        #expect(names(envFiles: [], sourced: [SourcedEnvFile(name: "venv/bin/activate", allExport: false)]).isEmpty)
        var agentFile = Self.agentFile(.local, labels: ["a"], path: "deploy/start.sh")
        agentFile.facts.agents[0].sourcedFiles = [SourcedEnvFile(name: "venv/bin/activate", allExport: false), SourcedEnvFile(name: "/etc/prefect.env", allExport: true)]
        #expect(ProjectModel(files: [agentFile]).agents[0].missingEnvFiles == ["/etc/prefect.env"], "only env-looking files are named as missing")
    }

    /// A local agent fails runs with Docker storage before it looks at the run config
    /// (`LocalAgent.deploy_flow`); the other agent types take any storage.
    @Test func localAgentRefusesDockerStorage() {
        func refusal(_ agentType: AgentType, storage: String?, runConfig: String? = nil, ambiguous: Bool = false) -> String? {
            var file = Self.flowFile(labels: ["a"], storage: storage, runConfig: runConfig, refs: [("DB", .secretGet)])
            file.facts.flows[0].storageIsAmbiguous = ambiguous
            let model = ProjectModel(files: [file, Self.agentFile(agentType, labels: ["a"], backend: "server")])
            return model.runRefusal(flow: model.flows[0], agent: model.agents[0])
        }
        let docker = "the local agent does not run flows with Docker storage (TypeError: Unsupported Storage type: Docker)"
        #expect(refusal(.local, storage: "Docker") == docker)
        #expect(refusal(.local, storage: "Docker", runConfig: "KubernetesRun") == docker, "storage is checked first")
        #expect(refusal(.local, storage: "Docker", ambiguous: true) == nil, "no verdict when the storage type is not certain")
        for storage in ["GitHub", "S3", "Module", "Local"] { #expect(refusal(.local, storage: storage) == nil, "\(storage)") }
        for agentType: AgentType in [.docker, .kubernetes, .ecs, .vertex] {
            #expect(refusal(agentType, storage: "Docker") == nil, "\(agentType)")
        }
        let file = Self.flowFile(labels: ["a"], storage: "Docker", refs: [("DB", .secretGet)])
        let model = ProjectModel(files: [file, Self.agentFile(.local, labels: ["a"], backend: "server")])
        #expect(model.availability(of: "DB", kind: .secretGet, flow: model.flows[0], agent: model.agents[0]) == .fails("the run fails: \(docker)"))
    }
}
