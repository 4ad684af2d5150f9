import Patterns
import PrefectModel
import Spans

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
        let trimmed = Whitespace.trimmed(value)
        // Every literal under a secret-named key comes here (twice: for PS102 and to be hidden
        // in output), so the character tests share one pass over the characters.
        var count = 0
        var isName = true
        var words = 0
        var stars = 0
        var patternCharacters = 0
        var previous: Character = " "
        for character in trimmed {
            count += 1
            if isName, !((character.isUppercase && character.isASCII) || character.isNumber || character == "_") { isName = false }
            if character != " ", previous == " " { words += 1 }
            switch character {
            case "*": stars += 1
            case "[", "]", "(", ")", "{", "}", "|", "\\", "^", "$", "?", "+": patternCharacters += 1
            default: break
            }
            previous = character
        }
        if count < 4 || ObviousPlaceholder.matches(trimmed) { return true }
        let bytes = Array(trimmed.utf8)
        if SecretHeuristics.isReference(bytes) { return true }
        if SecretHeuristics.isSameCharacter(bytes) || SecretHeuristics.isSequential(bytes) { return true }
        // An env var or secret name, not a value.
        if isName { return true }
        // A path to a key or credentials file, or its name (`token.json`, `key.pem`).
        if trimmed.hasPrefix("/") || trimmed.hasPrefix("./") || trimmed.hasPrefix("../") || trimmed.hasPrefix("~/") { return true }
        if isFileName(trimmed) { return true }
        // Placeholder words of examples and tests (`foobarbaz`).
        if isFooBar(trimmed.lowercased()) { return true }
        // Prose (a prompt, a description).
        if words >= 3 { return true }
        // A mask such as `:****`.
        if stars * 2 >= count { return true }
        // A regular expression or format pattern, not a value.
        if patternCharacters >= 3 { return true }
        return false
    }

    /// Extensions of key, certificate, credentials and config files.
    static let fileExtensions: Set<String> = [
        "json", "pem", "key", "crt", "cer", "der", "p12", "pfx", "jks", "keystore", "ppk", "pub", "txt", "yaml", "yml", "toml",
        "ini", "cfg", "conf", "env", "gpg", "asc",
    ]

    /// A file name: letters, digits, `_`, `-`, `.` and `/`, ending in a known extension.
    static func isFileName(_ value: String) -> Bool {
        guard let dot = value.lastIndex(of: "."), dot != value.startIndex,
            value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-./".contains($0)) })
        else { return false }
        return fileExtensions.contains(value[value.index(after: dot)...].lowercased())
    }

    /// Only `foo`, `bar`, `baz`, `qux` and `quux`, one or more times.
    static func isFooBar(_ value: String) -> Bool {
        var rest = Substring(value)
        while !rest.isEmpty {
            guard let word = ["quux", "foo", "bar", "baz", "qux"].first(where: { rest.hasPrefix($0) }) else { return false }
            rest = rest.dropFirst(word.count)
        }
        return !value.isEmpty
    }

    /// Whether the literal is a candidate: a bare `token` is also a cache or task key in many
    /// libraries (`token="transpose"` in dask), so there the value must look random (a digit,
    /// mixed case, or 20+ characters).
    public static func isCandidate(_ literal: HardcodedSecretLiteral) -> Bool {
        // Prefect's own credential is PS105's.
        if literal.site == .prefectClientKey || isAllowed(literal.value) { return false }
        // A key with brackets or a colon is a query (`{"delete_secret(input: {...})": "success"}`
        // selects a GraphQL field), not the name of what the value is.
        if literal.site == .dictKey, literal.key.contains(where: { "(){}:\n".contains($0) }) { return false }
        // Cloud secrets also hold settings (`AWS_REGION`, `SLACK_CHANNEL`): a value uploaded
        // under a name that says nothing is a candidate only when it looks random.
        if literal.site == .setSecretValue, !PrefectComponents.looksLikeCredentialName(literal.key) {
            let bytes = Array(literal.value.utf8)
            let mixedCase = bytes.contains { $0 >= 0x41 && $0 <= 0x5A } && bytes.contains { $0 >= 0x61 && $0 <= 0x7A }
            let words = bytes.contains { [0x2D, 0x5F, 0x2E, 0x2F, 0x20].contains($0) }  // - _ . / space: a name (`acme-data-lake-2024`)
            return bytes.count >= 12 && Entropy.shannon(bytes) >= 3.5 && bytes.contains { $0 >= 0x30 && $0 <= 0x39 } && (mixedCase || !words)
        }
        let key = literal.key.split(separator: ".").last.map { $0.lowercased() } ?? ""
        guard key == "token" || key == "tokens" || key == "_tokens" else { return true }
        let value = literal.value
        let hasDigit = value.contains { $0.isNumber }
        let mixedCase = value.contains { $0.isUppercase } && value.contains { $0.isLowercase }
        return hasDigit || mixedCase || value.count >= 20
    }

    static func place(_ literal: HardcodedSecretLiteral) -> String {
        switch literal.site {
        case .keywordArgument: "passed as \(literal.key)="
        case .variable: "assigned to \(literal.key)"
        case .attribute: "assigned to \(literal.key)"
        case .dictKey: "stored under the key \"\(literal.key)\""
        case .parameterDefault: "used as the default of parameter \(literal.key)"
        case .setSecretValue: "given to set_secret as the value of secret \(literal.key)"
        case .prefectClientKey: "passed to Client as \(literal.key)="
        case .environmentDefault: "used as the fallback of environment variable \(literal.key)"
        case .contextSecret: "set as secret \(literal.key) of prefect.context"
        }
    }

    /// What to do instead: a value a flow reads is read at run time; one a script uploads to
    /// Prefect Cloud comes from outside the repository.
    static func advice(_ literal: HardcodedSecretLiteral) -> String {
        switch literal.site {
        case .setSecretValue:
            "read it from the environment or a file outside the repository when the script runs (os.environ[\"\(literal.key)\"]) instead"
        case .contextSecret:
            // Local runs take context secrets from PREFECT__CONTEXT__SECRETS__NAME as well.
            "read it from the environment when the run starts (os.environ[\"\(literal.key)\"]) instead"
        default:
            "read it at run time with PrefectSecret(\"NAME\") instead"
        }
    }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        guard let python = context.analysis.facts.python else { return }
        let bytes = context.file.bytes
        let isTestCode = TestStandIns.isTestCode(context.file.path)
        for literal in python.hardcodedLiterals where Self.isCandidate(literal) && !(isTestCode && TestStandIns.isStandIn(literal.value)) {
            sink.report(
                "PS102", path: context.file.path, span: literal.valueSpan,
                message: "a literal secret value is \(Self.place(literal)); \(Self.advice(literal))",
                severity: context.analysis.isDocumentation ? .info : nil, secretSpan: literal.valueSpan,
                redactedValue: Redaction.placeholder(for: bytes[literal.valueSpan.range]))
        }
    }
}
