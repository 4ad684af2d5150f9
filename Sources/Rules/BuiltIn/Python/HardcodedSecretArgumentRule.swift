import Patterns
import PrefectModel

/// PS102 hardcoded-secret-argument: a string literal given where Python code expects a secret
/// value — a `password=`/`token=`/`api_key=` argument, a `DB_PASSWORD = "..."` assignment, a
/// secret-named dict key or parameter default. Parameters that take a secret *name*
/// (`*_secret`, `*_secret_name`) are not candidates (the analyzer skips them).
public struct HardcodedSecretArgumentRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS102"] }

    /// Values that cannot be a credential: empty, placeholders, references, env-var or
    /// secret names (`WAREHOUSE_PASSWORD`), file paths and prose.
    static func isAllowed(_ value: String) -> Bool {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if trimmed.count < 4 || ObviousPlaceholder.matches(trimmed) { return true }
        let bytes = Array(trimmed.utf8)
        if SecretHeuristics.isReference(bytes) { return true }
        if SecretHeuristics.isSameCharacter(bytes) || SecretHeuristics.isSequential(bytes) { return true }
        // An env var or secret name, not a value.
        if trimmed.allSatisfy({ ($0.isUppercase && $0.isASCII) || $0.isNumber || $0 == "_" }) { return true }
        // A path to a key or credentials file.
        if trimmed.hasPrefix("/") || trimmed.hasPrefix("./") || trimmed.hasPrefix("../") || trimmed.hasPrefix("~/") { return true }
        // Prose (a prompt, a description).
        if trimmed.split(separator: " ").count >= 3 { return true }
        return false
    }

    static func place(_ literal: HardcodedSecretLiteral) -> String {
        switch literal.site {
        case .keywordArgument: "passed as \(literal.key)="
        case .variable: "assigned to \(literal.key)"
        case .attribute: "assigned to \(literal.key)"
        case .dictKey: "stored under the key \"\(literal.key)\""
        case .parameterDefault: "used as the default of parameter \(literal.key)"
        }
    }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        guard let python = context.analysis.facts.python else { return }
        let bytes = context.file.bytes
        for literal in python.hardcodedLiterals where !Self.isAllowed(literal.value) {
            sink.report(
                "PS102", path: context.file.path, span: literal.valueSpan,
                message: "a literal secret value is \(Self.place(literal)); read it at run time with PrefectSecret(\"NAME\") instead",
                severity: context.analysis.isDocumentation ? .info : nil, secretSpan: literal.valueSpan,
                redactedValue: Redaction.placeholder(for: bytes[literal.valueSpan.range]))
        }
    }
}
