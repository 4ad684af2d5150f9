import PrefectModel
import Rules
import Spans
import Testing

/// Project rules on synthetic models; the fixture projects in testdata/projects/ cover them
/// end to end.
@Suite struct ModelRulesTests {
    static let catalogue = RuleCatalogue((try? BundledRules.load().map(\.description)) ?? [])

    static func agentFile(_ index: Int) -> FileFactsEntry {
        var facts = FileFacts()
        facts.agents = [Agent(type: .docker, labels: ["team-\(index)"], span: ByteSpan(0, 1))]
        return FileFactsEntry(path: "agents/start-\(index).sh", kind: .shell, facts: facts)
    }

    static func flowFile() -> FileFactsEntry {
        var facts = FileFacts()
        facts.flows = [Flow(name: "etl", span: ByteSpan(0, 1), labels: ["etl"], runConfigType: "DockerRun", storageType: "GitHub")]
        return FileFactsEntry(path: "flows/etl.py", kind: .python, facts: facts)
    }

    static func flowWithoutAgentMessages(agents: Int) -> [String] {
        let model = ProjectModel(files: [flowFile()] + (0..<agents).map(agentFile))
        var sink = FindingSink(catalogue: catalogue)
        FlowWithoutAgentRule().check(model, settings: RuleSettings(), into: &sink)
        return sink.findings.map(\.message)
    }

    /// The message names the agents that cannot run the flow, but only the first few: in a
    /// project with a thousand agents it would otherwise run to tens of kilobytes.
    @Test func flowWithoutAgentListsAFewAgents() {
        let few = Self.flowWithoutAgentMessages(agents: 3)
        #expect(few.count == 1)
        #expect(few.first?.contains("start-2.sh") == true)
        #expect(few.first?.contains("more agents") == false)

        let many = Self.flowWithoutAgentMessages(agents: 1000)
        #expect(many.count == 1)
        let message = many.first ?? ""
        #expect(message.contains("start-0.sh") && message.contains("start-2.sh") && !message.contains("start-3.sh"))
        #expect(message.contains("and 997 more agents"))
        #expect(message.utf8.count < 600)
    }

    static func findings(_ files: [FileFactsEntry]) -> [Finding] {
        let model = ProjectModel(files: files)
        var sink = FindingSink(catalogue: catalogue)
        FlowWithoutAgentRule().check(model, settings: RuleSettings(), into: &sink)
        SecretMissingForAgentRule().check(model, settings: RuleSettings(), into: &sink)
        return sink.findings
    }

    /// Each file's facts, as the scan reads them.
    static func analyzed(_ files: [(path: String, text: String)]) -> [FileFactsEntry] {
        files.map { path, text in
            let file = SourceFile(path: path, bytes: Array(text.utf8))
            let kind = FileKind.classify(path: path, prefix: file.bytes[...])
            return FileFactsEntry(path: path, kind: kind, facts: FileAnalyzers.analyze(file, kind: kind).facts)
        }
    }

    /// An exec-form `--label $POOL` is the label `$POOL`: PS203 says so when no agent runs the flow.
    @Test func labelWrittenWithADollarIsNamedInFlowWithoutAgent() {
        let flow = """
            from prefect import Flow
            from prefect.run_configs import KubernetesRun
            from prefect.storage import GitHub
            with Flow("f", storage=GitHub(repo="o/r", path="f.py"), run_config=KubernetesRun(labels=["prod"])) as flow:
                pass

            """
        func reported(_ args: String, also: [(path: String, text: String)] = []) -> [String] {
            let manifest = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          args: \(args)\n          env: [{name: POOL, value: prod}]\n"
            return Self.findings(Self.analyzed([("flows/f.py", flow), ("deploy/agent.yaml", manifest)] + also)).map { "\($0.code) \($0.message)" }
        }
        let asWritten = reported(#"[prefect, agent, kubernetes, start, -l, $POOL]"#)
        #expect(
            asWritten.count == 1 && asWritten[0].hasPrefix("PS203 ") && asWritten[0].contains("labels $POOL)")
                && asWritten[0].contains("a label with `$` is its text as written"), "\(asWritten)")
        #expect(reported(#"[prefect, agent, kubernetes, start, -l, $(POOL)]"#).isEmpty)
        // A project that runs `envsubst` may fill the manifest's `$POOL` in before applying it.
        #expect(reported(#"[prefect, agent, kubernetes, start, -l, $POOL]"#, also: [("deploy.sh", "envsubst < deploy/agent.yaml | kubectl apply -f -\n")]).isEmpty)
    }

    static func agent(_ type: AgentType, path: String) -> FileFactsEntry {
        var facts = FileFacts()
        facts.agents = [Agent(type: type, labels: ["etl"], span: ByteSpan(0, 1), backend: "server")]
        return FileFactsEntry(path: path, kind: .shell, facts: facts)
    }

    /// A flow that every agent picking it up fails gets PS203, once, as an error, with each
    /// agent's reason, and no PS201 for its secrets; with one agent that runs it, PS201 alone
    /// reports the others.
    @Test func flowFailedByEveryMatchingAgent() {
        var flow = Self.flowFile()
        flow.facts.secretReferences = [SecretReference(name: "DB", span: ByteSpan(0, 1), kind: .secretGet, flowIndex: 0)]
        let refused = Self.findings([flow, Self.agent(.kubernetes, path: "agents/k8s.sh")])
        #expect(refused.map(\.code) == ["PS203"])
        #expect(refused.first?.message
            == "no agent in the project can run flow 'etl' (flows/etl.py:1): kubernetes agent (agents/k8s.sh:1, labels etl) picks up its runs and fails them: the kubernetes agent takes only KubernetesRun and UniversalRun run configs, not DockerRun (TypeError)")
        #expect(refused.first?.severity == .error, "runs that are picked up and always fail are an error")

        var dockerStorage = flow
        dockerStorage.facts.flows[0].storageType = "Docker"
        dockerStorage.facts.flows[0].runConfigType = "LocalRun"
        let local = Self.findings([dockerStorage, Self.agent(.local, path: "agents/local.sh")])
        #expect(local.map(\.code) == ["PS203"])
        #expect(local.first?.message.hasSuffix("the local agent does not run flows with Docker storage (TypeError: Unsupported Storage type: Docker)") == true)

        let mixed = Self.findings([flow, Self.agent(.kubernetes, path: "agents/k8s.sh"), Self.agent(.docker, path: "agents/docker.sh")])
        #expect(mixed.map(\.code) == ["PS201", "PS201"], "the Docker agent runs it: PS201 for the Kubernetes agent, and DB is missing under the Docker agent")
        #expect(mixed.contains { $0.message.contains("the run fails: the kubernetes agent takes only") })

        // An ECS agent fails an ECSRun's task_definition_arn with Docker storage.
        var arn = flow
        arn.facts.flows[0].runConfigType = "ECSRun"
        arn.facts.flows[0].storageType = "Docker"
        arn.facts.flows[0].hasTaskDefinitionARN = true
        let ecs = Self.findings([arn, Self.agent(.ecs, path: "agents/ecs.sh")])
        #expect(ecs.first.map { $0.code == "PS203" && $0.message.contains("(ValueError: Cannot provide `task_definition_arn` when using `Docker` storage)") } == true)
        arn.facts.flows[0].storageType = "S3"
        #expect(Self.findings([arn, Self.agent(.ecs, path: "agents/ecs.sh")]).map(\.code) == ["PS201"], "with S3 storage the run starts")
    }

    /// A default secret that a job template the tool does not read may set is reported with
    /// that condition, as PS201 words it.
    @Test func defaultSecretMissingNamesTheTemplateItCannotRead() {
        var flow = Self.flowFile()
        flow.facts.flows[0].runConfigType = "KubernetesRun"
        flow.facts.flows[0].templateIsUnknown = true
        flow.facts.secretReferences = [SecretReference(name: "AZURE_STORAGE_CONNECTION_STRING", span: ByteSpan(0, 1), kind: .componentDefault, flowIndex: 0)]
        let model = ProjectModel(files: [flow, Self.agent(.kubernetes, path: "agents/k8s.sh")])
        var sink = FindingSink(catalogue: Self.catalogue)
        DefaultSecretMissingRule().check(model, settings: RuleSettings(), into: &sink)
        #expect(sink.findings.map(\.code) == ["PS206"])
        #expect(sink.findings.first?.message.contains("does not provide it, unless the job template its run config gives (not read) sets it (backend server has no secret store") == true,
                "\(sink.findings.first?.message ?? "")")
    }

    /// A storage whose `secrets` list holds its token under another name reads its default
    /// still: the message says which keyword names the token. Two candidates, one of another
    /// service, or a random-looking entry (a token pasted where its name belongs) give no hint.
    /// Without a name of the service listed, the token is reported only where the project
    /// shows it is meant to be used (here the Cloud inventory): a public repository needs none.
    @Test func defaultSecretMissingPointsAtATokenListedInStorageSecrets() {
        func message(listing names: [String], cloud: Set<String>? = nil) -> String {
            var flow = Self.flowFile()
            flow.facts.secretReferences = [SecretReference(name: "GITHUB_ACCESS_TOKEN", span: ByteSpan(0, 1), kind: .componentDefault, flowIndex: 0)]
            flow.facts.secretReferences += names.map { SecretReference(name: $0, span: ByteSpan(0, 1), kind: .storageSecrets, flowIndex: 0) }
            let model = ProjectModel(files: [flow], cloudInventory: cloud)
            var sink = FindingSink(catalogue: Self.catalogue)
            DefaultSecretMissingRule().check(model, settings: RuleSettings(), into: &sink)
            return sink.findings.map(\.message).joined()
        }
        #expect(message(listing: ["TEAM_GITHUB_TOKEN", "SLACK_WEBHOOK"]).hasSuffix(
            "; storage.secrets loads TEAM_GITHUB_TOKEN into the run's context under that name, where the storage does not look: pass access_token_secret=\"TEAM_GITHUB_TOKEN\" to use it"))
        for names in [["TEAM_GITHUB_TOKEN", "OTHER_GITHUB_TOKEN"], ["github_pat_11ABCDEFG0abcdefghijklmnopqrstuvwxyz0123456789"]] {
            let text = message(listing: names)
            #expect(text.contains("reads default secret GITHUB_ACCESS_TOKEN") && !text.contains("storage.secrets loads"), "\(names): \(text)")
        }
        for names in [["GITLAB_TOKEN"], []] {
            #expect(message(listing: names).isEmpty, "\(names)")
            let text = message(listing: names, cloud: ["GITHUB_ACCESS_TOKEN"])
            #expect(text.contains("reads default secret GITHUB_ACCESS_TOKEN") && !text.contains("storage.secrets loads"), "\(names): \(text)")
        }
    }

    /// Default names whose component does without them are reported missing only where the
    /// project shows they were meant to come from Prefect (a provision of the name somewhere, the
    /// Cloud inventory, or a flow that reads it by name): boto3 and the Google client find
    /// credentials of their own (AWS_CREDENTIALS beside an `S3Result`), GitHub storage fetches
    /// the flow anonymously, as a public repository allows (GITHUB_ACCESS_TOKEN, for which a
    /// file that sets a variable of that name counts too, and another storage naming it).
    @Test(arguments: [
        ("AWS_CREDENTIALS", SecretReferenceKind.prefectSecretTask, false),
        ("GITHUB_ACCESS_TOKEN", SecretReferenceKind.componentKeyword, true),
    ])
    func missingDefaultsNeedEvidence(_ name: String, _ readKind: SecretReferenceKind, _ anonymous: Bool) {
        var flow = Self.flowFile()
        flow.facts.flows[0].runConfigType = "KubernetesRun"
        flow.facts.secretReferences = [SecretReference(name: name, span: ByteSpan(0, 1), kind: .componentDefault, flowIndex: 0)]
        var cloud = FileFacts()
        cloud.provisions = [SecretProvision(name: name, span: ByteSpan(0, 1), source: .cloudSetSecret, origin: .literal)]
        var namedFacts = Self.flowFile().facts
        namedFacts.secretReferences = [SecretReference(name: name, span: ByteSpan(0, 1), kind: readKind, flowIndex: 0)]
        var image = FileFacts()
        image.envAssignments = [EnvAssignment(name: name, nameSpan: ByteSpan(0, 1), value: "$T", valueSpan: ByteSpan(2, 3), origin: .reference, context: .dockerfile)]
        var cases: [([FileFactsEntry], Set<String>?, Int)] = [
            ([], nil, 0), ([FileFactsEntry(path: "setup.py", kind: .python, facts: cloud)], nil, 1), ([], [name], 1),
            ([FileFactsEntry(path: "flows/load.py", kind: .python, facts: namedFacts)], nil, 1),
        ]
        if anonymous { cases.append(([FileFactsEntry(path: "Dockerfile", kind: .dockerfile, facts: image)], nil, 1)) }
        for (extra, inventory, expected) in cases {
            let model = ProjectModel(files: [flow, Self.agent(.kubernetes, path: "agents/k8s.sh")] + extra, cloudInventory: inventory)
            var sink = FindingSink(catalogue: Self.catalogue)
            DefaultSecretMissingRule().check(model, settings: RuleSettings(cloudInventory: inventory), into: &sink)
            #expect(sink.findings.count == expected, "\(extra.map(\.path)) \(inventory ?? [])")
            let fallsBack = anonymous ? model.fetchesAnonymously(name) : model.fallsBackToClientCredentials(name)
            #expect(fallsBack == (expected == 0), "inventory's verdict agrees")
        }
    }

    /// An agent whose command Prefect refuses never starts: it runs nothing, so a flow it
    /// would have picked up gets PS203 saying why, and no PS201 for its secrets; a flow that
    /// another agent runs is judged under that agent alone.
    @Test func agentThatNeverStartsRunsNothing() {
        var flow = Self.flowFile()
        flow.facts.secretReferences = [SecretReference(name: "DB", span: ByteSpan(0, 1), kind: .secretGet, flowIndex: 0)]
        var refused = Self.agent(.docker, path: "agents/docker.sh")
        refused.facts.agents[0].startRefusal = "Prefect 1.4.1 exits with \"Error: No such option '--token'.\""
        let alone = Self.findings([flow, refused])
        #expect(alone.map(\.code) == ["PS203"])
        #expect(alone.first?.message
            == "no agent in the project can run flow 'etl' (flows/etl.py:1): docker agent (agents/docker.sh:1, labels etl) would pick up its runs but never starts: Prefect 1.4.1 exits with \"Error: No such option '--token'.\"")
        #expect(ProjectModel(files: [flow, refused]).flows.first.map { ProjectModel(files: [flow, refused]).agents(running: $0).isEmpty } == true)

        let withWorking = Self.findings([flow, refused, Self.agent(.docker, path: "agents/other.sh")])
        #expect(withWorking.map(\.code) == ["PS201"])
        #expect(withWorking.first?.message.contains("agents/other.sh") == true)

        // One with labels the tool cannot read would otherwise keep PS203 back.
        refused.facts.agents[0].unknownLabels = ["$ENV"]
        #expect(Self.findings([flow, refused]).map(\.code) == ["PS203"])
    }

    /// An agent whose labels the tool cannot read (`--label "$ENV"`) may run any flow: no
    /// PS203 is drawn for a flow it may run, nor a PS201 for it; agents known to run the flow
    /// are judged as before.
    @Test func unknownLabelsDrawNoVerdict() {
        var flow = Self.flowFile()
        flow.facts.secretReferences = [SecretReference(name: "DB", span: ByteSpan(0, 1), kind: .secretGet, flowIndex: 0)]
        var unknown = Self.agent(.docker, path: "agents/env.sh")
        unknown.facts.agents[0].labels = []
        unknown.facts.agents[0].unknownLabels = ["$ENVIRONMENT"]
        #expect(Self.findings([flow, unknown]).isEmpty)
        #expect(Self.findings([flow, unknown, Self.agentFile(1)]).isEmpty)
        #expect(Self.findings([flow, unknown, Self.agent(.docker, path: "agents/docker.sh")]).map(\.code) == ["PS201"])

        var unknownFlow = Self.flowFile()
        unknownFlow.facts.flows[0].unknownLabels = ["ENV"]
        #expect(Self.findings([unknownFlow, Self.agent(.docker, path: "agents/docker.sh")]).isEmpty, "ENV may be etl's only partner")
        #expect(Self.findings([unknownFlow, Self.agentFile(1)]).map(\.code) == ["PS203"], "etl is missing whatever ENV is")
    }

    /// `docker run --env-file` reads a line's text after `=` as written: the run of a local
    /// agent in that container gets the quotes, a comment and `${…}` that a dotenv reader takes
    /// out. PS403 says so where the secret the flow reads then differs (not for `"123"`, which
    /// Prefect's literal evaluation unquotes either way); Compose's `env_file` unquotes.
    @Test func dockerEnvFileKeepsQuotesAndComments() {
        let flow = """
            from prefect import Flow
            from prefect.run_configs import LocalRun
            from prefect.tasks.secrets import PrefectSecret, EnvVarSecret
            with Flow("etl", run_config=LocalRun(labels=["prod"])) as flow:
                PrefectSecret("PIN")
                PrefectSecret("DB_PASSWORD")
                PrefectSecret("HOME_DIR")
                PrefectSecret("QUOTED")
                EnvVarSecret("API_TOKEN")
                EnvVarSecret("PLAIN")
                EnvVarSecret("DATA_DIR")

            """
        let env = """
            PREFECT__BACKEND=server
            PREFECT__CONTEXT__SECRETS__PIN="123"
            PREFECT__CONTEXT__SECRETS__DB_PASSWORD=Zq8kP2vxLm91 # rotated monthly
            PREFECT__CONTEXT__SECRETS__HOME_DIR="${HOME}/etl"
            PREFECT__CONTEXT__SECRETS__QUOTED="Zq8kP2vxLm91"
            API_TOKEN="tok-8d7f6a5s4d3f2g1h"
            PLAIN=abc
            DATA_DIR="${HOME}/etl"

            """
        func docker(_ start: String, path: String = "deploy/start.sh") -> [String] {
            let files = Self.analyzed([("flows/etl.py", flow), ("deploy/agent.env", env), (path, start)])
            var sink = FindingSink(catalogue: Self.catalogue)
            EnvFileReaderValueRule().check(ProjectModel(files: files), settings: RuleSettings(), into: &sink)
            return sink.findings.map { "\($0.path):\(env.utf8.prefix($0.span.start).filter { $0 == 0x0A }.count + 1) \($0.message)" }
        }
        let agent = "local agent (deploy/start.sh:1, labels prod,<hostname>, backend server)"
        #expect(docker("docker run --env-file deploy/agent.env etl/agent prefect agent local start --label prod\n") == [
            "deploy/agent.env:3 secret DB_PASSWORD keeps the comment after it in the runs of flow 'etl' (flows/etl.py:1) under \(agent): "
                + "`docker run --env-file` reads the line as written, where python-dotenv, Compose and a shell take them out",
            "deploy/agent.env:6 environment variable API_TOKEN (read with EnvVarSecret) keeps its quotes in the runs of flow 'etl' (flows/etl.py:1) under \(agent): "
                + "`docker run --env-file` reads the line as written, where python-dotenv, Compose and a shell take them out",
            "deploy/agent.env:8 environment variable DATA_DIR (read with EnvVarSecret) keeps its quotes and `${…}` unexpanded in the runs of flow 'etl' (flows/etl.py:1) under \(agent): "
                + "`docker run --env-file` reads the line as written, where python-dotenv, Compose and a shell take them out",
        ])
        // Sourced by a shell, or read by `dotenv run`, the file is a dotenv file.
        #expect(docker(". deploy/agent.env\nprefect agent local start --label prod\n").isEmpty)
        #expect(docker("dotenv -f deploy/agent.env run prefect agent local start --label prod\n").isEmpty)

        // A Makefile's `include` reads the file as make syntax: `#` ends the value (blanks
        // before it stay), quotes stay, `$(…)` is expanded (not judged).
        #expect(docker("include deploy/agent.env\nexport\nagent:\n\tprefect agent local start --label prod\n", path: "Makefile") == [
            "deploy/agent.env:3 secret DB_PASSWORD keeps its trailing blanks in the runs of flow 'etl' (flows/etl.py:1) under local agent (Makefile:1, labels prod,<hostname>, backend server): "
                + "make reads the line its Makefile includes as make syntax, where python-dotenv, Compose and a shell take them out",
            "deploy/agent.env:6 environment variable API_TOKEN (read with EnvVarSecret) keeps its quotes in the runs of flow 'etl' (flows/etl.py:1) under local agent (Makefile:1, labels prod,<hostname>, backend server): "
                + "make reads the line its Makefile includes as make syntax, where python-dotenv, Compose and a shell take them out",
        ])

        // Docker refuses a line `export NAME=…`: the container, and its agent, never start.
        func refusal(_ start: String) -> String? {
            let files = Self.analyzed([("flows/etl.py", flow), ("deploy/agent.env", env + "export PLAIN=abc\n"), ("deploy/start.sh", start)])
            return ProjectModel(files: files).agents.first?.agent.startRefusal
        }
        #expect(refusal("docker run --env-file deploy/agent.env etl/agent prefect agent local start --label prod\n")
            == "`docker run` exits: it refuses its env file deploy/agent.env:9 (`export` before a name, which Docker takes for part of it)")
        #expect(refusal(". deploy/agent.env\nprefect agent local start --label prod\n") == nil)

        // `docker run --env-file … IMAGE` of an image the project builds, whose `CMD` starts the agent.
        let image = Self.analyzed([
            ("flows/etl.py", flow), ("deploy/agent.env", env), ("docker/Dockerfile", "FROM prefecthq/prefect:1.4.1\nCMD prefect agent local start --label prod\n"),
            ("scripts/run.sh", "docker build -t etl/agent -f docker/Dockerfile .\ndocker run -d --env-file deploy/agent.env etl/agent\n"),
        ])
        var sink = FindingSink(catalogue: Self.catalogue)
        EnvFileReaderValueRule().check(ProjectModel(files: image), settings: RuleSettings(), into: &sink)
        #expect(sink.findings.map { $0.message.prefix(50) } == [
            "secret DB_PASSWORD keeps the comment after it in t",
            "environment variable API_TOKEN (read with EnvVarSe",
            "environment variable DATA_DIR (read with EnvVarSec",
        ])
        #expect(sink.findings.allSatisfy { $0.message.contains("local agent of docker container") }, "\(sink.findings.map(\.message))")
    }

    /// PS409 across sources: an agent's `--env` value and a nested key of it in the run config
    /// env of a flow the agent runs meet in one run environment, agent entries first (facts
    /// §4.3), which neither file shows alone; one source's own collisions stay the file rule's.
    @Test func nestedCollisionAcrossAgentAndRunConfig() {
        func env(_ name: String, _ context: EnvContext, agent: Int? = nil) -> EnvAssignment {
            EnvAssignment(
                name: "PREFECT__CONTEXT__SECRETS__\(name)", nameSpan: ByteSpan(0, 1), value: "$V", valueSpan: ByteSpan(2, 3), origin: .reference,
                context: context, agentIndex: agent)
        }
        func project(agentEnv: [String], runConfigEnv: [String]) -> [String] {
            var agentFacts = FileFacts()
            agentFacts.agents = [Agent(type: .docker, labels: ["etl"], span: ByteSpan(0, 1), flowRunEnv: agentEnv.map { env($0, .agentEnvFlag, agent: 0) }, backend: "server")]
            var flowFacts = FileFacts()
            flowFacts.flows = [Flow(name: "etl", span: ByteSpan(0, 1), labels: ["etl"], runConfigType: "DockerRun", runConfigEnv: runConfigEnv.map { env($0, .runConfigEnv) }, storageType: "GitHub")]
            let model = ProjectModel(files: [
                FileFactsEntry(path: "start.sh", kind: .shell, facts: agentFacts), FileFactsEntry(path: "flows/etl.py", kind: .python, facts: flowFacts),
            ])
            var sink = FindingSink(catalogue: Self.catalogue)
            CrossSourceSecretCollisionRule().check(model, settings: RuleSettings(), into: &sink)
            return sink.findings.map { "\($0.code) \($0.path) \($0.message)" }
        }
        let crash = project(agentEnv: ["DB"], runConfigEnv: ["DB__USER"])
        #expect(crash == [
            "PS409 flows/etl.py secret DB is set as a value (an agent --env flag, start.sh:1) and as the parent of DB__USER (a run config's env, flows/etl.py:1), "
                + "both in the runs of flow 'etl' (flows/etl.py:1) under docker agent (start.sh:1, labels etl, backend server) (the value is set before the nested key, so `import prefect` fails with TypeError)"
        ])
        let dropped = project(agentEnv: ["DB__USER"], runConfigEnv: ["DB"])
        #expect(dropped.count == 1 && dropped[0].hasPrefix("PS409 start.sh ") && dropped[0].hasSuffix("(the value is set after the nested key, so the nested value is silently dropped)"))
        #expect(project(agentEnv: ["DB__USER"], runConfigEnv: ["DB__HOST"]).isEmpty)
        #expect(project(agentEnv: ["DB", "DB__USER"], runConfigEnv: []).isEmpty)
    }

    /// `EnvVarSecret` returns the variable as the run has it: a run config's `"$NAME"` is that
    /// text, which nothing expands (the agent's own NAME never reaches the run), so PS201
    /// reports it as the inventory does; a literal value resolves.
    @Test func envVarSecretGetsARunConfigReferenceUnexpanded() {
        func findings(_ value: String) -> [String] {
            let flow = """
                from prefect import Flow
                from prefect.run_configs import DockerRun
                from prefect.storage import GitHub
                from prefect.tasks.secrets import EnvVarSecret
                with Flow("f", storage=GitHub(repo="o/r", path="f.py"), run_config=DockerRun(labels=["etl"], env={"SLACK_TOKEN": "\(value)"})) as flow:
                    EnvVarSecret("SLACK_TOKEN")

                """
            let analysis = FileAnalyzers.analyze(SourceFile(path: "flows/f.py", bytes: Array(flow.utf8)), kind: .python)
            return Self.findings([FileFactsEntry(path: "flows/f.py", kind: .python, facts: analysis.facts), Self.agent(.docker, path: "start.sh")])
                .map { "\($0.code) \($0.message)" }
        }
        for reference in ["$SLACK_TOKEN", "${SLACK_TOKEN}"] {
            let reported = findings(reference)
            #expect(reported.count == 1 && reported[0].hasPrefix("PS201 ") && reported[0].contains("the run gets the `$` reference written as its value, unexpanded"), "\(reported)")
        }
        #expect(findings("xoxb-not-a-reference").isEmpty)
    }

    /// An agent's `--env` value that no shell expands (single-quoted, an exec-form argument
    /// of a Kubernetes container or a Dockerfile) reaches the agent as written, which passes
    /// it on untouched: the run gets `$DB_PASSWORD` for Prefect's loading to expand, and
    /// nothing there sets it (PS201). A shell, Compose, systemd and Kubernetes' `$(NAME)`
    /// expand it first; a run config that sets the variable gives Prefect's loading its value.
    @Test func agentEnvValueNoShellExpandsReachesTheRunAsWritten() {
        func findings(_ agentPath: String, _ agentText: String, runConfigEnv: String = "", also: [(path: String, text: String)] = []) -> [String] {
            let flow = """
                from prefect import Flow
                from prefect.run_configs import KubernetesRun
                from prefect.storage import GitHub
                from prefect.tasks.secrets import PrefectSecret
                with Flow("f", storage=GitHub(repo="o/r", path="f.py"), run_config=KubernetesRun(labels=["etl"]\(runConfigEnv))) as flow:
                    PrefectSecret("DB_PASSWORD")

                """
            return Self.findings(Self.analyzed([("flows/f.py", flow), (agentPath, agentText)] + also)).map { "\($0.code) \($0.message)" }
        }
        let flag = "PREFECT__CONTEXT__SECRETS__DB_PASSWORD=$DB_PASSWORD"
        func container(_ command: String) -> String {
            """
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                    - name: agent
                      command: \(command)
                      env:
                        - {name: PREFECT__BACKEND, value: server}
                        - name: DB_PASSWORD
                          valueFrom: {secretKeyRef: {name: db, key: password}}

            """
        }
        func ecs(_ env: String) -> String {
            #"{"containerDefinitions": [{"name": "agent", "command": ["prefect", "agent", "kubernetes", "start", "-l", "etl", "--env", "\#(env)"], "environment": [{"name": "PREFECT__BACKEND", "value": "server"}]}]}"#
        }
        let unexpanded = [
            ("start.sh", "export PREFECT__BACKEND=server DB_PASSWORD=abc\nprefect agent kubernetes start -l etl --env '\(flag)'\n"),
            ("deploy/agent.yaml", container(#"["prefect", "agent", "kubernetes", "start", "-l", "etl", "--env", "\#(flag)"]"#)),
            ("Dockerfile", "FROM prefecthq/prefect:1.4.1\nENV PREFECT__BACKEND=server\nCMD [\"prefect\", \"agent\", \"kubernetes\", \"start\", \"-l\", \"etl\", \"--env\", \"\(flag)\"]\n"),
            ("ecs/task-definition.json", ecs(flag)),
        ]
        for (path, text) in unexpanded {
            let reported = findings(path, text)
            #expect(
                reported.count == 1 && reported[0].hasPrefix("PS201 ")
                    && reported[0].contains("unexpanded: written single-quoted, as an exec-form argument, in a supervisord command or in a Python string, no shell expands it before the agent"),
                "\(path): \(reported)")
            // The run's own DB_PASSWORD is what Prefect's loading fills in.
            #expect(findings(path, text, runConfigEnv: #", env={"DB_PASSWORD": "from-the-run"}"#).isEmpty, "\(path)")
        }
        // `${DB_PASSWORD}` that nothing in the run sets is a missing config key to Prefect: empty.
        let braced = findings("deploy/agent.yaml", container(#"["prefect", "agent", "kubernetes", "start", "-l", "etl", "--env", "PREFECT__CONTEXT__SECRETS__DB_PASSWORD=${DB_PASSWORD}"]"#))
        #expect(braced.count == 1 && braced[0].contains("the run gets an empty value: written single-quoted, as an exec-form argument, in a supervisord command or in a Python string"), "\(braced)")
        // A CI job that runs `envsubst` may fill a manifest's `$DB_PASSWORD` in before applying it.
        let workflow = "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: envsubst < deploy/agent.yaml | kubectl apply -f -\n"
        let manifest = container(#"["prefect", "agent", "kubernetes", "start", "-l", "etl", "--env", "\#(flag)"]"#)
        #expect(findings("deploy/agent.yaml", manifest, also: [(".github/workflows/deploy.yml", workflow)]).isEmpty)
        let expanded = [
            ("start.sh", "export PREFECT__BACKEND=server DB_PASSWORD=abc\nprefect agent kubernetes start -l etl --env \"\(flag)\"\n"),
            ("deploy/agent.yaml", container(#"["prefect", "agent", "kubernetes", "start", "-l", "etl", "--env", "PREFECT__CONTEXT__SECRETS__DB_PASSWORD=$(DB_PASSWORD)"]"#)),
            ("deploy/agent.yaml", container(#"["sh", "-c", "prefect agent kubernetes start -l etl --env \#(flag)"]"#)),
            ("Dockerfile", "FROM prefecthq/prefect:1.4.1\nENV PREFECT__BACKEND=server\nCMD prefect agent kubernetes start -l etl --env \(flag)\n"),
            ("docker-compose.yml", "services:\n  agent:\n    command: [\"prefect\", \"agent\", \"kubernetes\", \"start\", \"-l\", \"etl\", \"--env\", \"\(flag)\"]\n    environment: {PREFECT__BACKEND: server}\n"),
            ("agent.service", "[Service]\nEnvironment=PREFECT__BACKEND=server\nExecStart=/usr/bin/prefect agent kubernetes start -l etl --env \(flag)\n"),
            // A task definition's `${NAME}` may be a CloudFormation or Terraform template's.
            ("ecs/task-definition.json", ecs("PREFECT__CONTEXT__SECRETS__DB_PASSWORD=${DB_PASSWORD}")),
        ]
        for (path, text) in expanded {
            #expect(findings(path, text).isEmpty, "\(path): \(text)")
        }
    }

    /// Kubernetes expands `$(NAME)` in a container's env only from a variable set before it
    /// there, `$$(NAME)` is its escape, and nothing else expands `$(…)`: the run gets such a
    /// reference as written (PS201), for `EnvVarSecret` and context secrets alike.
    @Test func kubernetesReferencesExpandOnlyFromEarlierVariables() {
        func findings(runConfig: String, agent: AgentType) -> [String] {
            let flow = """
                from prefect import Flow
                from prefect.run_configs import \(runConfig)
                from prefect.storage import GitHub
                from prefect.tasks.secrets import EnvVarSecret, PrefectSecret
                with Flow("f", storage=GitHub(repo="o/r", path="f.py"), run_config=\(runConfig)(labels=["etl"], env={
                    "RAW": "x", "EARLY": "$(RAW)", "PREFECT__CONTEXT__SECRETS__LATE": "$(LATER)", "LATER": "y", "ESCAPED": "$$(RAW)",
                })) as flow:
                    EnvVarSecret("EARLY")
                    PrefectSecret("LATE")
                    EnvVarSecret("ESCAPED")

                """
            let analysis = FileAnalyzers.analyze(SourceFile(path: "flows/f.py", bytes: Array(flow.utf8)), kind: .python)
            return Self.findings([FileFactsEntry(path: "flows/f.py", kind: .python, facts: analysis.facts), Self.agent(agent, path: "start.sh")])
                .map { "\($0.code) \($0.secretName ?? "") \($0.message)" }
        }
        let kubernetes = findings(runConfig: "KubernetesRun", agent: .kubernetes)
        #expect(kubernetes.count == 2, "\(kubernetes)")
        #expect(kubernetes.contains { $0.hasPrefix("PS201 LATE ") && $0.contains("Kubernetes expands it only from a variable set before it") })
        #expect(kubernetes.contains { $0.hasPrefix("PS201 ESCAPED ") && $0.contains("`$$(…)` is Kubernetes' escape for it") })
        let docker = findings(runConfig: "DockerRun", agent: .docker)
        #expect(docker.count == 3 && docker.allSatisfy { $0.contains("only Kubernetes expands `$(…)`") || $0.contains("escape") }, "\(docker)")

        // A run config value of a name the agent sets first keeps the agent's place: LATER,
        // set by the agent after it, does not come before it.
        var agentFacts = FileFacts()
        let agentEnv = ["PREFECT__CONTEXT__SECRETS__LATE", "LATER"].map { name in
            EnvAssignment(name: name, nameSpan: ByteSpan(0, 1), value: "$V", valueSpan: ByteSpan(2, 3), origin: .reference, context: .agentEnvFlag, agentIndex: 0)
        }
        agentFacts.agents = [Agent(type: .kubernetes, labels: ["etl"], span: ByteSpan(0, 1), flowRunEnv: agentEnv, backend: "server")]
        let flow = """
            from prefect import Flow
            from prefect.run_configs import KubernetesRun
            from prefect.storage import GitHub
            from prefect.tasks.secrets import PrefectSecret
            with Flow("f", storage=GitHub(repo="o/r", path="f.py"), run_config=KubernetesRun(labels=["etl"], env={"PREFECT__CONTEXT__SECRETS__LATE": "$(LATER)"})) as flow:
                PrefectSecret("LATE")

            """
        let analysis = FileAnalyzers.analyze(SourceFile(path: "flows/f.py", bytes: Array(flow.utf8)), kind: .python)
        let overridden = Self.findings([FileFactsEntry(path: "flows/f.py", kind: .python, facts: analysis.facts), FileFactsEntry(path: "start.sh", kind: .shell, facts: agentFacts)])
        #expect(overridden.count == 1 && overridden[0].message.contains("Kubernetes expands it only from a variable set before it"), "\(overridden.map(\.message))")
    }
}
