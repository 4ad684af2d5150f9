import PrefectModel

/// PS407 secret-outside-context: a secret written where Prefect never looks — a mixed-case
/// `PREFECT__Context__Secrets__X` prefix, a lowercase `prefect__` prefix (ignored), or a
/// top-level `[secrets]` table in a Prefect config file, or the singular `context.secret`
/// (facts §2.1, §2.2).
public struct SecretOutsideContextRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS407"] }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        let facts = context.analysis.facts
        for env in facts.envAssignments {
            guard let problem = Self.problem(envName: env.name) else { continue }
            // A literal value on the same line (YAML `NAME: value`) must not show in the frame.
            let literal = env.origin == .literal && env.value?.isEmpty == false ? env.valueSpan : nil
            sink.report("PS407", path: context.file.path, span: env.nameSpan, message: problem, secretSpan: literal)
        }
        if facts.configRole != nil {
            var reportedTables = Set<String>()
            for entry in facts.configEntries {
                guard let first = entry.path.first else { continue }
                let misplaced: String?
                if first == "secrets" {
                    misplaced = "a top-level [secrets] table is ignored by Secret.get; secrets belong under [context.secrets]"
                } else if entry.path.count >= 3, first == "context", entry.path[1] == "secret" {
                    misplaced = "[context.secret] (singular) is not [context.secrets], so Secret.get never sees it"
                } else if entry.path.count >= 2, first.lowercased() == "context", entry.path[1].lowercased() == "secrets" {
                    misplaced = "TOML keys are case-sensitive: [\(first).\(entry.path[1])] is not [context.secrets], so Secret.get never sees it"
                } else {
                    misplaced = nil
                }
                guard let misplaced, reportedTables.insert(entry.path.prefix(2).joined(separator: ".")).inserted || entry.path.count == 1 else { continue }
                sink.report("PS407", path: context.file.path, span: entry.keySpan, message: misplaced)
            }
        }
    }

    /// Why an env name that looks like a secret does not reach `context.secrets`, or nil.
    static func problem(envName name: String) -> String? {
        if ContextSecretEnvName.secretPath(name) != nil { return nil }
        if name.hasPrefix("PREFECT__") {
            let rest = name.dropFirst("PREFECT__".count)
            if rest.uppercased().hasPrefix("CONTEXT__SECRET__") {
                return "\(name.prefix(26))… sets context.secret (singular), not context.secrets: Secret.get never sees it; write PREFECT__CONTEXT__SECRETS__"
            }
            guard rest.uppercased().hasPrefix("CONTEXT__SECRETS__") else { return nil }
            return "Prefect only recognises the exact prefixes PREFECT__CONTEXT__SECRETS__ and PREFECT__context__secrets__; \(name.prefix(27))… lands outside context.secrets, so Secret.get never sees it"
        }
        if name.uppercased().hasPrefix("PREFECT__CONTEXT__SECRETS__") {
            return "Prefect reads only variables that start with exactly PREFECT__ (upper case); this one is ignored"
        }
        return nil
    }
}
