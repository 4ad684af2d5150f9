import PrefectModel
import Spans

/// PS403 lossy-secret-value: a secret value that Prefect's env or config loading changes
/// before `Secret.get` returns it (facts §2.3–2.4): `"123"` becomes an int, `"true"` a bool,
/// `1,2` a tuple, `$VAR`/`~`/`${a.b}` are expanded, JSON with `true`/`null` stays a string.
/// Decided by the semantics model, which agrees with Prefect 1.4.1 (Tests/differential).
public struct LossySecretValueRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS403"] }

    /// A neutral flow-run environment: a HOME for `~`, nothing else.
    static let home = ("HOME", "/home/prefect")
    /// The users every flow-run machine has, for `~name`.
    static let userHomes = ["root": "/root"]

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        let facts = context.analysis.facts
        let path = context.file.path
        // A number written as one (`env={"PORT": 5432}`) comes back as the number it is.
        for env in facts.envAssignments where (env.origin == .literal || env.reachesPrefectAsWritten) && !env.valueIsNotString {
            guard case .secret(let name, let nested) = EnvConfigMapping.classify(env.name), let value = env.value,
                !value.isEmpty, let span = env.valueSpan
            else { continue }
            let resolution = SecretResolution(
                input: PrefectConfigInput(environment: PrefectEnvironment([Self.home, (env.name, value)]), userHomes: Self.userHomes))
            report(
                Self.change(resolution.get(name), nested: nested, original: value), name: name, nested: nested, value: value, span: span, path: path,
                into: &sink)
        }
        // `{ACCESS_KEY: $KEY_ID, …}`: a dict of credentials whose shape no variable can fix.
        for env in facts.envAssignments where env.origin == .mixed && !env.reachesPrefectAsWritten {
            guard case .secret(let name, let nested) = EnvConfigMapping.classify(env.name), nested.isEmpty, let reader = Self.dictCredentialReaders[name],
                let value = env.value, let span = env.valueSpan, let filled = Self.fillingReferences(value)
            else { continue }
            let resolution = SecretResolution(
                input: PrefectConfigInput(environment: PrefectEnvironment([Self.home, (env.name, filled)]), userHomes: Self.userHomes))
            let why: String
            if case .value(.str, _) = resolution.get(name) {
                why = "stays a string after Prefect's loading whatever its variables hold (the text around them makes it neither JSON nor a Python literal)"
            } else if Self.hasJSONOnlyLiteral(filled) {
                why = "stays a string in prefect.context.secrets whatever its variables hold (JSON with true, false or null: only Secret.get decodes it)"
            } else {
                continue
            }
            sink.report(
                "PS403", path: path, span: span,
                message: "secret \(name) \(why), but \(reader.function) reads it from prefect.context.secrets as a dict of credentials and fails on a string (\(reader.failure)); write it as a JSON object, keys and values in double quotes",
                secretName: name, secretSpan: span, redactedValue: Redaction.placeholder(for: Array(value.utf8)))
        }
        // `PW=12345678` then `--env PREFECT__CONTEXT__SECRETS__DB=$PW`: the literal is the value.
        for literal in facts.secretLiteralsThroughVariables where literal.isLiteral && literal.isWholeValue && !literal.value.isEmpty {
            let name = (["PREFECT__CONTEXT__SECRETS", literal.secret] + literal.nested).joined(separator: "__")
            let resolution = SecretResolution(
                input: PrefectConfigInput(environment: PrefectEnvironment([Self.home, (name, literal.value)]), userHomes: Self.userHomes))
            report(
                Self.change(resolution.get(literal.secret), nested: literal.nested, original: literal.value), name: literal.secret,
                nested: literal.nested, value: literal.value, span: literal.valueSpan, path: path, into: &sink)
        }
        // A value that is only a reference is the run's to provide, unless it is a `${a.b}`
        // reference to another config key, which Prefect's loading replaces.
        for provision in facts.provisions
        where provision.source == .localConfig && (provision.origin != .reference || provision.stringValue.map(Self.isConfigKeyReference) == true) {
            var leaves: [(nested: [String], value: String, span: ByteSpan)] = []
            if let value = provision.stringValue, let span = provision.valueSpan { leaves.append(([], value, span)) }
            for key in provision.nestedKeys where !key.isInList {
                if let value = key.stringValue, let span = key.valueSpan { leaves.append(([key.key], value, span)) }
            }
            for leaf in leaves where !leaf.value.isEmpty {
                let secret: ConfigValue = leaf.nested.isEmpty
                    ? .string(leaf.value) : .table([ConfigTableEntry(leaf.nested[0], .string(leaf.value))])
                let config = ConfigValue.table([
                    ConfigTableEntry("context", .table([ConfigTableEntry("secrets", .table([ConfigTableEntry(provision.name, secret)]))]))
                ])
                let resolution = SecretResolution(
                    input: PrefectConfigInput(environment: PrefectEnvironment([Self.home]), userConfig: config, userHomes: Self.userHomes))
                report(
                    Self.change(resolution.get(provision.name), nested: leaf.nested, original: leaf.value), name: provision.name,
                    nested: leaf.nested, value: leaf.value, span: leaf.span, path: path, into: &sink)
            }
        }
    }

    /// A `{…}` value with each `$NAME`, `${…}` and `$(…)` in it replaced by a string: `x` inside
    /// quotes, `"x"` outside. What Prefect makes of it is what it makes of the value whatever
    /// the variables hold, unless one holds quotes or brackets. Nil for other values.
    static func fillingReferences(_ value: String) -> String? {
        let bytes = Array(Whitespace.trimmed(value).utf8)
        guard bytes.first == 0x7B, bytes.last == 0x7D, bytes.contains(0x24) else { return nil }
        var out: [UInt8] = []
        var quote: UInt8?
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if let open = quote {
                if c == open { quote = nil }
            } else if c == 0x22 || c == 0x27 {
                quote = c
            }
            guard c == 0x24, i + 1 < bytes.count else {
                out.append(c)
                i += 1
                continue
            }
            var end = i + 1
            switch bytes[i + 1] {
            case 0x7B, 0x28:
                let close: UInt8 = bytes[i + 1] == 0x7B ? 0x7D : 0x29
                guard let found = bytes[(i + 2)...].firstIndex(of: close) else { return nil }
                end = found + 1
            default:
                while end < bytes.count, ASCIIBytes.isWordByte(bytes[end]) { end += 1 }
            }
            guard end > i + 1 else {
                out.append(c)
                i += 1
                continue
            }
            out += quote == nil ? Array("\"x\"".utf8) : [0x78]
            i = end
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `value` is one whole `${a.b}` reference to a config key (a dotted path).
    static func isConfigKeyReference(_ value: String) -> Bool {
        value.hasPrefix("${") && value.hasSuffix("}") && value.dropFirst(2).dropLast().contains(".")
    }

    /// How `Secret.get(name)` (and then the nested keys) differs from the string written.
    static func change(_ outcome: SecretGetOutcome, nested: [String], original: String) -> SecretValueChange? {
        guard !nested.isEmpty else { return outcome.change(from: original) }
        guard case .value(var value, _) = outcome else { return outcome.change(from: original) }
        for key in nested {
            guard case .dict(let dict, _) = value, let inner = dict[string: key] else { return .fails }
            value = inner
        }
        if case .str(let s) = value { return s.unicodeScalars.elementsEqual(original.unicodeScalars) ? .unchanged : .rewritten }
        return .retyped(typeName: value.typeName)
    }

    /// `nested`: the keys below the secret that hold the value (`DB.PASSWORD`), which the message names.
    private func report(
        _ change: SecretValueChange?, name: String, nested: [String], value: String, span: ByteSpan, path: String, into sink: inout FindingSink
    ) {
        let why: String
        let returns = nested.isEmpty ? "Secret.get returns" : "Secret.get returns a dict whose \(nested.joined(separator: ".")) is"
        let trimmed = Whitespace.trimmed(value)
        let structured = trimmed.hasPrefix("{") || trimmed.hasPrefix("[")
        if nested.isEmpty, let reader = Self.dictCredentialReaders[name] {
            switch change {
            case .retyped(let type) where ["dict", "Config"].contains(type) && !Self.hasJSONOnlyLiteral(trimmed):
                // A dict, Python or JSON: what the client reads.
                return
            case .unchanged?, .rewritten? where RunEnvironment.wholeReference(value) == nil:
                sink.report(
                    "PS403", path: path, span: span,
                    message: "secret \(name) stays a string after Prefect's loading (it is neither JSON nor a Python literal), but \(reader.function) reads it from prefect.context.secrets as a dict of credentials and fails on a string (\(reader.failure)); write it as a JSON object",
                    secretName: name, secretSpan: span, redactedValue: Redaction.placeholder(for: Array(value.utf8)))
                return
            default:
                break
            }
        }
        switch change {
        case .retyped(let type) where structured && ["dict", "list", "Config", "BoxList"].contains(type) && !Self.isJSON(trimmed):
            // A Python literal that is not JSON (`['a']`, `{'user': 'u'}`): written as a string,
            // it comes back as what Python reads in it.
            why = "\(returns) \(Self.article(type)) \(type), not the string written (Prefect literal-evaluates secret values; this is Python syntax, not JSON)"
        case .retyped(let type) where structured && ["dict", "list", "Config", "BoxList"].contains(type):
            // A JSON object or list is meant to come back as one; but JSON-only literals keep
            // it a string in prefect.context.secrets, which some components read directly.
            guard Self.hasJSONOnlyLiteral(trimmed) else { return }
            why = "JSON with true, false or null stays a string in prefect.context.secrets (only Secret.get decodes it), so components that read the context directly get a string"
        case .retyped(let type):
            why = "\(returns) \(Self.article(type)) \(type), not the string written (Prefect literal-evaluates secret values)"
        case .rewritten:
            // `${NAME}` alone is passed on like `$NAME`: it changes here only as NAME is unset.
            guard RunEnvironment.wholeReference(value) == nil else { return }
            why = "\(returns) a different string: Prefect expands $VAR, ~ and ${...} references and strips quotes"
        case .fails:
            why = "Prefect cannot load it: `import prefect` or Secret.get fails on this value"
        case .unchanged, nil:
            // Unchanged here, but `$NAME` is expanded wherever the flow run has NAME set. The
            // name is part of the value: it is not shown.
            // One whole reference (`$NAME`, `${NAME}`) is how a value is meant to be passed on.
            guard Self.expandableVariable(in: value) != nil, RunEnvironment.wholeReference(value) == nil else { return }
            why = "it contains a $NAME reference, which Prefect expands whenever the flow run's environment sets a variable of that name (the name is not shown: it is part of the value)"
        }
        sink.report(
            "PS403", path: path, span: span, message: "secret \(([name] + nested).joined(separator: ".")) does not survive Prefect's loading: \(why)",
            secretName: name, secretSpan: span, redactedValue: Redaction.placeholder(for: Array(value.utf8)))
    }

    /// The default secrets Prefect's utilities read from `prefect.context.secrets` as a dict
    /// (utilities/aws.py `get_boto_client`, utilities/gcp.py `get_google_client`), with what
    /// reads them.
    static let dictCredentialReaders = [
        "AWS_CREDENTIALS": (function: "get_boto_client", failure: "AttributeError: 'str' object has no attribute 'get'"),
        "GCP_CREDENTIALS": (function: "get_google_client", failure: "Credentials.from_service_account_info takes a dict"),
    ]

    static func article(_ word: String) -> String {
        word.first.map { "aeiouAEIOU".contains($0) } == true ? "an" : "a"
    }

    /// Whether `text` is a JSON object or array.
    static func isJSON(_ text: String) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil
    }

    /// Whether a JSON text uses `true`, `false` or `null` outside strings (Python's
    /// literal_eval rejects them, so Prefect keeps the whole value as a string).
    static func hasJSONOnlyLiteral(_ text: String) -> Bool {
        var inString = false
        var escaped = false
        var word = ""
        for c in text {
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                continue
            }
            if c == "\"" { inString = true; word = ""; continue }
            if c.isLetter { word.append(c); if ["true", "false", "null"].contains(word) { return true } } else { word = "" }
        }
        return false
    }

    /// The first `$NAME` or `${NAME}` in a value (Python's expandvars syntax), if any.
    static func expandableVariable(in value: String) -> String? {
        let scalars = Array(value.unicodeScalars)
        var i = 0
        func isNameChar(_ c: Unicode.Scalar) -> Bool { c == "_" || CharacterSet.alphanumerics.contains(c) && c.isASCII }
        while i < scalars.count {
            if scalars[i] == "$", i + 1 < scalars.count {
                var j = i + 1
                let braced = scalars[j] == "{"
                if braced { j += 1 }
                let start = j
                while j < scalars.count, isNameChar(scalars[j]) { j += 1 }
                if j > start, !braced || (j < scalars.count && scalars[j] == "}") {
                    var name = ""
                    name.unicodeScalars.append(contentsOf: scalars[start..<j])
                    return name
                }
            }
            i += 1
        }
        return nil
    }
}

import Foundation
