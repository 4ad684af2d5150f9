import Spans
import PrefectModel

/// PS207 agent-env-not-forwarded: a secret set on a Docker, Kubernetes, ECS or Vertex agent's
/// own process or container env, which never reaches its flow runs (facts §4.3-4.5). Reported
/// when a flow of the project needs that secret, or when the project has no flow code to check.
public struct AgentEnvNotForwardedRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS207"] }

    /// A secret the agent reads from its own context (facts §4.4): the ECS agent's boto client
    /// takes AWS_CREDENTIALS, and an agent reads an `s3://` or `gcs://` template with
    /// AWS_CREDENTIALS or GCP_CREDENTIALS (`read_bytes_from_path`).
    static func agentReadsItself(_ name: String, agent: Agent) -> Bool {
        if agent.type == .ecs && name == "AWS_CREDENTIALS" { return true }
        guard let template = agent.templatePath else { return false }
        return (name == "AWS_CREDENTIALS" && template.hasPrefix("s3://"))
            || (name == "GCP_CREDENTIALS" && (template.hasPrefix("gcs://") || template.hasPrefix("gs://")))
    }

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        let needed = Set(model.flows.flatMap { $0.references.compactMap(\.name) })
        // Variables flows read from their run's environment: EnvVarSecret, Webhook `${NAME}`
        // templates, and the storage tokens that fall back to the environment.
        let readFromEnvironment = Set(model.flows.flatMap(\.references).filter { reference in
            switch reference.kind {
            case .envVarSecret, .templateVariable: true
            case .componentDefault: reference.name.map(ProjectModel.storageTokensFallingBackToEnvironment.contains) ?? false
            default: false
            }
        }.compactMap(\.name))
        // Agents that read the same env file share its assignments: one finding each.
        var reported = Set<ProjectLocation>()
        for agent in model.agents where agent.agent.type != .local {
            for (taken, takenFrom) in model.processEnvironment(of: agent) {
                // A `secretKeyRef` entry's value comes from the project's Secret, but what to
                // move is the agent container's entry.
                let own = agent.agent.kubernetesKeyRefs.contains { $0.variable == taken.name }
                    ? agent.agent.processEnv.last { $0.name == taken.name } : nil
                let (env, file) = own.map { ($0, agent.path) } ?? (taken, takenFrom)
                if readFromEnvironment.contains(env.name), env.value != nil, !Self.forwards(agent, env.name),
                    reported.insert(ProjectLocation(path: file, span: env.nameSpan)).inserted
                {
                    sink.report(
                        "PS207", path: file, span: env.nameSpan,
                        message: "\(env.name) is set on the own environment of the \(ModelMessages.agent(agent, model)), which never reaches its flow runs, and a flow reads it from its run's environment; \(Self.advice(env, agent, model))",
                        secretName: env.name, secretSpan: env.origin == .literal && env.value?.isEmpty == false ? env.valueSpan : nil)
                    continue
                }
                guard let path = ContextSecretEnvName.secretPath(env.name), let name = path.first,
                    !Self.agentReadsItself(name, agent: agent.agent)
                else { continue }
                guard model.flows.isEmpty || needed.contains(name) else { continue }
                let forwarded = agent.agent.flowRunEnv.contains { ContextSecretEnvName.secretPath($0.name)?.first == name }
                guard !forwarded, reported.insert(ProjectLocation(path: file, span: env.nameSpan)).inserted else { continue }
                sink.report(
                    "PS207", path: file, span: env.nameSpan,
                    message: "secret \(name) is set on the own environment of the \(ModelMessages.agent(agent, model)), which never reaches its flow runs; \(Self.advice(env, agent, model))",
                    // A literal value on the same line (YAML `NAME: value`) must not show in the frame.
                    secretName: name, secretSpan: env.origin == .literal && env.value?.isEmpty == false ? env.valueSpan : nil)
            }
        }
    }

    /// How to forward it: a Python module that builds the agent (not one that runs its command
    /// line) passes `env_vars=`.
    static func advice(_ env: EnvAssignment, _ agent: AgentEntity, _ model: ProjectModel) -> String {
        let startedAsProgram = model.file(at: agent.path)?.facts.python?.isInProgramCommand(agent.agent.span) ?? false
        return env.context == .pythonEnviron && !startedAsProgram
            ? "pass it in the agent's env_vars instead" : "pass it with --env or PREFECT__CLOUD__AGENT__ENV_VARS instead"
    }

    /// Whether the agent passes variable `name` on to its flow runs: by that name, or as a
    /// `$name` or `${name…}` reference its ENV_VARS or `--env` values expand (`$GH` is not
    /// `$GH_PAT`).
    static func forwards(_ agent: AgentEntity, _ name: String) -> Bool {
        agent.agent.flowRunEnv.contains { env in env.name == name || (env.value.map { references($0, name) } ?? false) }
    }

    static func references(_ value: String, _ name: String) -> Bool {
        let text = Array(value.utf8)
        let wanted = Array(name.utf8)
        for i in text.indices where text[i] == 0x24 {  // $
            let start = i + 1 < text.count && text[i + 1] == 0x7B ? i + 2 : i + 1  // ${
            let end = start + wanted.count
            guard end <= text.count, text[start..<end].elementsEqual(wanted) else { continue }
            if end == text.count { return true }
            let next = text[end]
            if !ASCIIBytes.isWordByte(next) { return true }
        }
        return false
    }
}
