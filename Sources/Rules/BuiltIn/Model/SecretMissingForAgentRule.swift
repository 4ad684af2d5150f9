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
                guard let name = reference.name else { continue }
                for agent in agents {
                    let availability = model.availability(of: name, kind: reference.kind, flow: flow, agent: agent)
                    var why: String
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
                    if reference.kind == .envVarSecret {
                        why = "its flow runs have no environment variable \(name) (EnvVarSecret reads os.environ)"
                    } else if reference.kind == .contextRead, agent.backend == "cloud" {
                        why = "prefect.context.secrets is the run's context alone: Prefect Cloud is not consulted unless storage.secrets lists the name"
                    } else if agent.backend == "cloud" {
                        why = "the Cloud inventory does not list it"
                    } else {
                        why = "backend \(agent.backend) has no secret store to fall back on"
                    }
                    // Env files on the agent's host, a template in a bucket: the project cannot
                    // tell, so the finding is a warning, not an error that fails the gate.
                    if let ignored = model.envVarsReplacedByFlags(of: agent, providing: name) {
                        why += "; PREFECT__CLOUD__AGENT__ENV_VARS (\(model.describe(ignored))) sets it, but the agent's --env flags replace that setting"
                    }
                    let unseen = model.unseenEnvSources(flow: flow, agent: agent)
                    if !unseen.isEmpty { why += ", unless \(unseen.joined(separator: " or ")) sets it" }
                    sink.report(
                        "PS201", path: flow.path, span: reference.span,
                        message: "\(ModelMessages.flow(flow, model)) needs \(ModelMessages.secret(name, reference, model)); \(ModelMessages.agent(agent, model)) does not provide it and \(why)",
                        severity: unseen.isEmpty ? nil : .warning, secretName: name)
                }
            }
        }
    }
}
