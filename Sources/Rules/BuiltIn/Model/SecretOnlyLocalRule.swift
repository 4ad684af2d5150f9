import PrefectModel

/// PS202 secret-only-local: secret X is provided only in places (a committed Prefect config,
/// a .env file, a shell export not given to an agent) that the agents running a flow which
/// needs X never see.
public struct SecretOnlyLocalRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS202"] }

    /// Whether a provision is local to a developer's machine rather than given to an agent.
    static func isLocalOnly(_ provision: SecretProvision) -> Bool {
        switch provision.source {
        case .localConfig: return true
        case .environment:
            guard provision.agentIndex == nil, let context = provision.envContext else { return false }
            return [.dotenv, .shellExport, .commandPrefix, .makefile, .justfile, .documentation].contains(context)
        case .cloudSetSecret, .cloudInventory: return false
        }
    }

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        // A script that uploads secrets whose names the tool cannot read (a loop over a config's
        // secrets calling `set_secret`) may have put any of them in Cloud.
        let uploadsUnreadNames = model.files.contains { $0.facts.cloudAPIUses.contains(where: \.nameIsUnread) }
        for entity in model.provisions where Self.isLocalOnly(entity.provision) {
            let name = entity.provision.name
            var reported = false
            for flow in model.flows where !reported && flow.references.contains(where: { $0.name == name }) {
                let agents = model.agents(running: flow)
                // A local agent that reads it (a `.env` its script sources with `set -a`) sees it:
                // it is not provided only locally, and the agents that miss it are PS201's.
                let seen = agents.contains { agent in
                    if case .local = model.availability(of: name, kind: .secretGet, flow: flow, agent: agent) { return true }
                    return false
                }
                if seen { continue }
                for agent in agents {
                    let availability = model.availability(of: name, kind: .secretGet, flow: flow, agent: agent)
                    // A local agent reads the config files and its own environment; others never
                    // do. A run that fails for another reason is PS201's; one that finds the
                    // secret in Cloud (the inventory lists it) does not need the local copy.
                    switch availability {
                    case .local, .fails, .cloud: continue
                    default: break
                    }
                    if uploadsUnreadNames, agent.backend == "cloud" { continue }
                    // On the agent's own environment (a compose service's `env_file`) the agent sees
                    // it and does not pass it on: PS207 says so.
                    if agent.agent.type != .local,
                        model.processEnvironment(of: agent).contains(where: { $0.path == entity.path && $0.assignment.nameSpan == entity.provision.span })
                    { continue }
                    // `. ./agent.env` without `set -a` keeps a line without `export` in the shell;
                    // a Makefile's `include` makes it a make variable, which recipes get when exported.
                    var why = ""
                    if model.isUnexportedWhenSourced(entity.provision.span, in: entity.path, agent: agent) {
                        let variable = model.file(at: entity.path)?.facts.envAssignments.first { $0.nameSpan == entity.provision.span }?.name
                        why = model.file(at: agent.path)?.kind == .makefile
                            ? " (\(agent.path) includes this file but does not export the variable: add `export` or `export \(variable ?? "NAME")`)"
                            : " (\(agent.path) sources this file without `set -a`, and the file does not export it)"
                    }
                    // `export X=…` then `env -i prefect agent local start` in the same script.
                    if why.isEmpty, agent.agent.type == .local, entity.path == agent.path, let wrapper = agent.agent.environmentClearedBy {
                        why = " (`\(wrapper)` \(agent.agent.environmentResetEffect))"
                    }
                    sink.report(
                        "PS202", path: entity.path, span: entity.provision.span,
                        message: "secret \(name) is provided only here, which \(ModelMessages.agent(agent, model)) never sees\(why); \(ModelMessages.flow(flow, model)) needs it",
                        secretName: name, secretSpan: entity.provision.literalValueSpan)
                    reported = true
                    break
                }
            }
        }
    }
}
