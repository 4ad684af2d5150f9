import PrefectModel

/// PS205 unused-secret: a provided secret that nothing in the project references. Silent when
/// the project has no flow code, or when some reference's name could not be resolved; a name
/// computed from a text around it (`f"DB_PASSWORD_{user}"`) uses every secret it can be.
public struct UnusedSecretRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS205"] }

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        var referenced = Set<String>()
        var patterns: [(pattern: SecretNamePattern, at: ProjectLocation)] = []
        var unresolved = false
        func note(_ reference: SecretReference, path: String) {
            if let name = reference.name {
                referenced.insert(name)
            } else if let pattern = reference.namePattern {
                patterns.append((pattern, ProjectLocation(path: path, span: reference.span)))
            } else {
                unresolved = true
            }
        }
        for flow in model.flows {
            for r in flow.references { note(r, path: flow.path) }
        }
        for (path, r) in model.looseReferences { note(r, path: path) }
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
            guard !referenced.contains(name), !patterns.contains(where: { $0.pattern.matches(name) }), seen.insert("\(p.path)\0\(name)").inserted
            else { continue }
            // A name the fixed text of a computed one starts with is likely meant to be one of its names.
            let near = patterns.first { $0.pattern.prefix.hasPrefix(name) }.map {
                "; \(model.describe($0.at)) reads names of the form \($0.pattern), which it is not"
            }
            sink.report(
                "PS205", path: p.path, span: p.provision.span,
                message: "secret \(name) is provided here but no flow or component in the project references it\(near ?? "")",
                secretName: name, secretSpan: p.provision.literalValueSpan)
        }
    }
}
