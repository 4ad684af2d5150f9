import PrefectModel

/// PS201 secret-missing-for-agent: a flow needs secret X, an agent that runs the flow does
/// not provide it, and the backend gives no fallback (Server; or Cloud with an inventory
/// that lacks X). With Cloud and no inventory the tool cannot know, so it stays silent.
public struct SecretMissingForAgentRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS201"] }

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        for flow in model.flows where !flow.references.isEmpty {
            let agents = model.agents(running: flow)
            // When every agent that picks up the flow's runs fails them, PS203 says so once;
            // otherwise a refused run is reported once per agent and secret name, however
            // many references (a default name also listed in `storage.secrets`) ask for it.
            // Asked only when a run fails.
            var everyAgentRefuses: Bool?
            func allRefuse() -> Bool {
                if everyAgentRefuses == nil { everyAgentRefuses = model.agentCount(mayRun: flow) == 0 && model.refusalsOfEveryAgent(running: flow) != nil }
                return everyAgentRefuses ?? false
            }
            var refused: Set<String> = []
            for reference in flow.references {
                guard let name = reference.name else {
                    if let pattern = reference.namePattern { checkComputedName(pattern, of: reference, flow: flow, agents: agents, model: model, into: &sink) }
                    continue
                }
                for agent in agents {
                    let availability = model.availability(of: name, kind: reference.kind, flow: flow, agent: agent)
                    if case .fails(let reason) = availability {
                        // Default names are read from the context, not through `Secret.get`: only
                        // a refused run fails them; one merely missing is PS206's.
                        let isRefusal = model.runRefusal(flow: flow, agent: agent) != nil
                        if (reference.kind == .componentDefault && !isRefusal) || (isRefusal && allRefuse()) { continue }
                        if isRefusal, !refused.insert("\(agent.id) \(name)").inserted { continue }
                        sink.report(
                            "PS201", path: flow.path, span: reference.span,
                            message: "\(ModelMessages.flow(flow, model)) needs \(ModelMessages.secret(name, reference, model)), but under \(ModelMessages.agent(agent, model)) \(reason)",
                            secretName: name)
                        continue
                    }
                    // `if Secret(X).exists(): … Secret(X).get()` goes on without it.
                    guard availability == .missing, reference.kind != .componentDefault, !reference.isGuardedByExists else { continue }
                    var why = Self.noFallback(reference.kind, name: name, agent: agent)
                    // Env files on the agent's host, a template in a bucket: the project cannot
                    // tell, so the finding is a warning, not an error that fails the gate.
                    if let ignored = model.envVarsReplacedByFlags(of: agent, providing: name) {
                        why += "; PREFECT__CLOUD__AGENT__ENV_VARS (\(model.describe(ignored))) sets it, but the agent's --env flags replace that setting"
                    }
                    let unseen = model.unseenEnvSources(flow: flow, agent: agent, secret: (name, reference.kind))
                    if !unseen.isEmpty { why += ", unless \(unseen.joined(separator: " or ")) sets it" }
                    // The run goes on with None: a warning, as the code may mean the variable to be optional.
                    if reference.returnsNoneWhenMissing { why += "; EnvVarSecret then returns None (without raise_if_missing=True), and the run goes on with it" }
                    sink.report(
                        "PS201", path: flow.path, span: reference.span,
                        message: "\(ModelMessages.flow(flow, model)) needs \(ModelMessages.secret(name, reference, model)); \(ModelMessages.agent(agent, model)) does not provide it and \(why)",
                        severity: unseen.isEmpty && !reference.returnsNoneWhenMissing ? nil : .warning, secretName: name)
                }
            }
        }
    }

    /// Why a run without the secret has nothing to fall back on; `listed` names it for the
    /// Cloud inventory (`it`, `one`).
    static func noFallback(_ kind: SecretReferenceKind, name: String, agent: AgentEntity, listed: String = "it") -> String {
        if kind == .envVarSecret { return "its flow runs have no environment variable \(name) (EnvVarSecret reads os.environ)" }
        if kind == .contextRead, agent.backend == "cloud" {
            return "prefect.context.secrets is the run's context alone: Prefect Cloud is not consulted unless storage.secrets lists the name"
        }
        return agent.backend == "cloud" ? "the Cloud inventory does not list \(listed)" : "backend \(agent.backend) has no secret store to fall back on"
    }

    /// A name computed at run time from a text around it (`f"DB_PASSWORD_{stage}"`): a run
    /// that has no secret of that form at all fails whatever fills it in. Runs that fail for
    /// another reason are reported with the flow's other secrets, or by PS203.
    func checkComputedName(
        _ pattern: SecretNamePattern, of reference: SecretReference, flow: FlowEntity, agents: [AgentEntity], model: ProjectModel, into sink: inout FindingSink
    ) {
        guard reference.kind != .componentDefault, !reference.isGuardedByExists else { return }
        for agent in agents where model.availability(ofNameLike: pattern, kind: reference.kind, flow: flow, agent: agent) == .missing {
            let unseen = model.unseenEnvSources(flow: flow, agent: agent)
            var why = Self.noFallback(reference.kind, name: pattern.description, agent: agent, listed: "one")
            if !unseen.isEmpty { why += ", unless \(unseen.joined(separator: " or ")) sets one" }
            sink.report(
                "PS201", path: flow.path, span: reference.span,
                message: "\(ModelMessages.flow(flow, model)) needs a secret named \(pattern) (the name is computed at run time); "
                    + "\(ModelMessages.agent(agent, model)) provides none of that form and \(why)",
                severity: unseen.isEmpty ? nil : .warning)
        }
    }
}
