import PrefectModel

/// PS207 agent-env-not-forwarded: a secret set on a Docker, Kubernetes, ECS or Vertex agent's
/// own process or container env, which never reaches its flow runs (facts §4.3-4.5). Reported
/// when a flow of the project needs that secret, or when the project has no flow code to check.
public struct AgentEnvNotForwardedRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS207"] }

    /// A secret the agent reads from its own context: the ECS agent's boto client takes
    /// AWS_CREDENTIALS (facts §4.4).
    static func agentReadsItself(_ name: String, type: AgentType) -> Bool {
        type == .ecs && name == "AWS_CREDENTIALS"
    }

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        let needed = Set(model.flows.flatMap { $0.references.compactMap(\.name) })
        // Agents that read the same env file share its assignments: one finding each.
        var reported = Set<ProjectLocation>()
        for agent in model.agents where agent.agent.type != .local {
            for (env, file) in model.processEnvironment(of: agent) {
                guard let path = ContextSecretEnvName.secretPath(env.name), let name = path.first,
                    !Self.agentReadsItself(name, type: agent.agent.type)
                else { continue }
                guard model.flows.isEmpty || needed.contains(name) else { continue }
                let forwarded = agent.agent.flowRunEnv.contains { ContextSecretEnvName.secretPath($0.name)?.first == name }
                guard !forwarded, reported.insert(ProjectLocation(path: file, span: env.nameSpan)).inserted else { continue }
                sink.report(
                    "PS207", path: file, span: env.nameSpan,
                    message: "secret \(name) is set on the \(agent.agent.type.rawValue) agent's own environment, which never reaches its flow runs; pass it with --env or PREFECT__CLOUD__AGENT__ENV_VARS instead",
                    // A literal value on the same line (YAML `NAME: value`) must not show in the frame.
                    secretName: name, secretSpan: env.origin == .literal && env.value?.isEmpty == false ? env.valueSpan : nil)
            }
        }
    }
}
