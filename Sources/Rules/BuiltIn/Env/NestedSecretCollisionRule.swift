import PrefectModel

/// PS409 nested-secret-collision: `X` and `X__Y` both set in the same environment: `import
/// prefect` crashes or silently drops a value, depending on the order (facts §2.2).
public struct NestedSecretCollisionRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS409"] }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        // One environment per agent, per run config, and per file-level context.
        var scopes: [String: [(path: [String], env: EnvAssignment)]] = [:]
        for env in context.analysis.facts.envAssignments {
            guard let path = ContextSecretEnvName.secretPath(env.name), env.value != nil else { continue }
            let scope = "\(env.agentIndex.map(String.init) ?? "-")/\(env.context.rawValue)"
            scopes[scope, default: []].append((path, env))
        }
        for scope in scopes.keys.sorted() {
            let entries = scopes[scope] ?? []
            for (i, leaf) in entries.enumerated() {
                for (j, nested) in entries.enumerated() where i != j && nested.path.count > leaf.path.count {
                    guard Array(nested.path.prefix(leaf.path.count)) == leaf.path else { continue }
                    let leafName = leaf.path.joined(separator: "__")
                    let order = i < j ? "set before" : "set after"
                    let effect = i < j ? "`import prefect` fails with TypeError" : "the nested value is silently dropped"
                    sink.report(
                        "PS409", path: context.file.path, span: nested.env.nameSpan,
                        message: "secret \(leafName) is set both as a value and as the parent of \(nested.path.joined(separator: "__")) (the value is \(order) the nested key, so \(effect))",
                        secretName: leaf.path.first)
                    break
                }
            }
        }
    }
}
