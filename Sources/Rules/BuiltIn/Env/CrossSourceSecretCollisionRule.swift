import PrefectModel

/// PS409 nested-secret-collision across sources: the flow run's environment that an agent
/// assembles (facts §4.3) holds `X` from one source and `X__Y` from another, such as an
/// agent's `--env` value and a nested key in the run config `env` of a flow it runs. Each
/// source alone is fine, so ``NestedSecretCollisionRule`` (one file's environments) cannot
/// see it; PS201 then says the run fails, this says why.
public struct CrossSourceSecretCollisionRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS409"] }

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        var reported: Set<[ProjectLocation]> = []
        for flow in model.flows {
            for agent in model.agents(running: flow) {
                let entries = model.runEnvironment(flow: flow, agent: agent).contextSecretEntries
                guard entries.count > 1 else { continue }
                var byPath: [[String]: [Int]] = [:]
                for (i, item) in entries.enumerated() { byPath[item.path, default: []].append(i) }
                for (j, nested) in entries.enumerated() where nested.path.count > 1 {
                    for length in 1..<nested.path.count {
                        for i in byPath[Array(nested.path.prefix(length))] ?? [] {
                            let leaf = entries[i]
                            // One source's own collisions are the file rule's.
                            guard !Self.sameSource(leaf.entry, nested.entry),
                                reported.insert([leaf.entry.location, nested.entry.location]).inserted
                            else { continue }
                            let known = Self.orderIsKnown(leaf.entry.assignment.context, nested.entry.assignment.context)
                            guard let outcome = NestedSecretCollisionRule.outcome(
                                valueFirst: known ? i < j : nil, dictValue: NestedSecretCollisionRule.loadsAsDict(leaf.entry.assignment))
                            else { continue }
                            sink.report(
                                "PS409", path: nested.entry.location.path, span: nested.entry.location.span,
                                message: "secret \(leaf.path.joined(separator: "__")) is set as a value (\(Self.source(leaf.entry, model))) "
                                    + "and as the parent of \(nested.path.joined(separator: "__")) (\(Self.source(nested.entry, model))), "
                                    + "both in the runs of \(ModelMessages.flow(flow, model)) under \(ModelMessages.agent(agent, model)) (\(outcome))",
                                secretName: leaf.path.first)
                        }
                    }
                }
            }
        }
    }

    /// Whether the run's environment lists two entries in the order the model gives them: an
    /// agent appends what it adds itself (`--env`, ENV_VARS, run config and template env)
    /// after the environment it inherits (facts §4.3); two entries a local agent inherits
    /// from shells keep an order of the shells' own.
    static func orderIsKnown(_ a: EnvContext, _ b: EnvContext) -> Bool {
        let added: Set<EnvContext> = [.agentEnvFlag, .agentEnvVarsJSON, .runConfigEnv, .jobTemplateEnv]
        return added.contains(a) || added.contains(b)
            || (NestedSecretCollisionRule.keepsWrittenOrder(a) && NestedSecretCollisionRule.keepsWrittenOrder(b))
    }

    /// Whether two entries come from one environment that one file lists (the same script,
    /// agent command, container or run config).
    static func sameSource(_ a: RunEnvironment.Entry, _ b: RunEnvironment.Entry) -> Bool {
        a.location.path == b.location.path && a.assignment.agentIndex == b.assignment.agentIndex
            && a.assignment.context == b.assignment.context
    }

    /// "an agent --env flag, deploy/start.sh:3"
    static func source(_ entry: RunEnvironment.Entry, _ model: ProjectModel) -> String {
        let context = entry.assignment.context
        let phrase = model.file(at: entry.location.path).map { context.phrase(in: $0.facts, kind: $0.kind) } ?? context.phrase
        return "\(phrase), \(model.describe(entry.location))"
    }
}
