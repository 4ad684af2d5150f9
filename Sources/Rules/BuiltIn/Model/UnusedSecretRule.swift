import PrefectModel

/// PS205 unused-secret: a provided secret that nothing in the project references. Silent when
/// the project has no flow code, or when some reference's name could not be resolved.
public struct UnusedSecretRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS205"] }

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        var referenced = Set<String>()
        var unresolved = false
        for flow in model.flows {
            for r in flow.references {
                if let n = r.name { referenced.insert(n) } else { unresolved = true }
            }
        }
        for (_, r) in model.looseReferences {
            if let n = r.name { referenced.insert(n) } else { unresolved = true }
        }
        guard !unresolved, !(model.flows.isEmpty && model.looseReferences.isEmpty) else { return }
        // What an agent reads from its own context is used by that agent.
        for agent in model.agents {
            for name in ["AWS_CREDENTIALS", "GCP_CREDENTIALS"] where AgentEnvNotForwardedRule.agentReadsItself(name, agent: agent.agent) {
                referenced.insert(name)
            }
        }
        var seen = Set<String>()
        for p in model.provisions where p.provision.source != .cloudInventory {
            let name = p.provision.name
            guard !referenced.contains(name), seen.insert("\(p.path)\0\(name)").inserted else { continue }
            sink.report(
                "PS205", path: p.path, span: p.provision.span,
                message: "secret \(name) is provided here but no flow or component in the project references it",
                secretName: name, secretSpan: p.provision.literalValueSpan)
        }
    }
}
