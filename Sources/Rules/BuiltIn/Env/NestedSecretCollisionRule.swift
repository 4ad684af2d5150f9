import PrefectModel

/// PS409 nested-secret-collision: `X` and `X__Y` both set in the same environment: `import
/// prefect` crashes or silently drops a value, depending on the order (facts §2.2).
public struct NestedSecretCollisionRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS409"] }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        // One environment per agent, per run config, and per file-level context.
        let secrets = context.analysis.facts.envAssignments.compactMap { env in
            env.value == nil ? nil : ContextSecretEnvName.secretPath(env.name).map { (path: $0, env: env) }
        }
        // A collision takes two of them.
        guard secrets.count > 1 else { return }
        var scopes: [String: [(path: [String], env: EnvAssignment)]] = [:]
        for secret in secrets {
            scopes["\(secret.env.agentIndex.map(String.init) ?? "-")/\(secret.env.context.rawValue)", default: []].append(secret)
        }
        for scope in scopes.keys.sorted() {
            let entries = scopes[scope] ?? []
            // Each value's first nested key in the scope: the nested keys are looked up by
            // their prefixes, not compared with every value (a script may pass thousands).
            var byPath: [[String]: [Int]] = [:]
            for (i, entry) in entries.enumerated() { byPath[entry.path, default: []].append(i) }
            var firstNested: [Int: Int] = [:]
            for (j, nested) in entries.enumerated() where nested.path.count > 1 {
                for length in 1..<nested.path.count {
                    for i in byPath[Array(nested.path.prefix(length))] ?? [] where firstNested[i] == nil { firstNested[i] = j }
                }
            }
            for (i, j) in firstNested.sorted(by: { $0.key < $1.key }) {
                let (leaf, nested) = (entries[i], entries[j])
                let leafName = leaf.path.joined(separator: "__")
                guard let outcome = Self.outcome(valueFirst: Self.keepsWrittenOrder(leaf.env.context) ? i < j : nil, dictValue: Self.loadsAsDict(leaf.env))
                else { continue }
                sink.report(
                    "PS409", path: context.file.path, span: nested.env.nameSpan,
                    message: "secret \(leafName) is set both as a value and as the parent of \(nested.path.joined(separator: "__")) (\(outcome))",
                    secretName: leaf.path.first)
            }
        }
    }

    /// What Prefect's loading makes of a value and a nested key of it, set in that order
    /// (`valueFirst`, nil when unknown), or nil when it keeps both: a nested key set after a
    /// value that loads as a dict joins it; after any other value, `set_nested` raises
    /// TypeError; before a value, the value replaces it.
    static func outcome(valueFirst: Bool?, dictValue: Bool) -> String? {
        switch (valueFirst, dictValue) {
        case (true?, true): return nil
        case (true?, false): return "the value is set before the nested key, so `import prefect` fails with TypeError"
        case (false?, _): return "the value is set after the nested key, so the nested value is silently dropped"
        case (nil, true): return "a shell passes exported variables on in an order of its own: the nested value joins the dict or is silently dropped"
        case (nil, false): return "a shell passes exported variables on in an order of its own: `import prefect` fails with TypeError or the nested value is silently dropped"
        }
    }

    /// Whether Prefect loads the assignment's value as a dict (`{'user': 'etl', 'password': '$PW'}`).
    static func loadsAsDict(_ env: EnvAssignment) -> Bool {
        guard let text = RunEnvironment.valueAtRunTime(env) else { return false }
        if case .dict = PrefectValueConversion.configValue(ofEnvText: text) { return true }
        return false
    }

    /// Whether the flow run's environment lists the variables in the order they are written:
    /// lists and dicts that Prefect, Docker or Kubernetes copy in order do; a shell's exports
    /// reach a process in the order of the shell's own variable table (bash and dash alike).
    static func keepsWrittenOrder(_ context: EnvContext) -> Bool {
        switch context {
        case .agentEnvFlag, .agentEnvVarsJSON, .dockerfile, .containerEnv, .jobTemplateEnv, .runConfigEnv, .pythonEnviron: true
        default: false
        }
    }
}
