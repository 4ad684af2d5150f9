import Spans
import Patterns
import PrefectModel

/// PS104 plaintext-secret-env: `PREFECT__CONTEXT__SECRETS__X=<literal>` anywhere an env
/// assignment is written (scripts, manifests, compose files, Dockerfiles, dotenv files, agent
/// `--env` flags, PREFECT__CLOUD__AGENT__ENV_VARS, run config env). References, empty values
/// and placeholders are not findings, nor stand-ins in test code (``TestStandIns``);
/// documentation code blocks are reported as info.
public struct PlaintextSecretEnvRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS104"] }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        let facts = context.analysis.facts
        for env in facts.envAssignments {
            check(env, in: env.context.phrase(in: facts, kind: context.analysis.kind, at: env.nameSpan), context, into: &sink)
        }
        // The keys of the file's Secrets and ConfigMaps (a kustomize generator's literals too),
        // which a container anywhere may take with `envFrom`: those not read as an env above.
        if !facts.kubernetesEnvSources.isEmpty {
            let read = Set(facts.envAssignments.compactMap(\.valueSpan))
            for source in facts.kubernetesEnvSources {
                for env in source.env where !(env.valueSpan.map(read.contains) ?? true) {
                    check(env, in: "the Kubernetes \(source.kind) '\(source.name)'", context, into: &sink)
                }
            }
        }
        checkVariables(context, into: &sink)
    }

    /// Reports `env` when it writes a context secret's value down; `place` says where.
    private func check(_ env: EnvAssignment, in place: String, _ context: FileContext, into sink: inout FindingSink) {
        let isWholeTable = env.name == "PREFECT__CONTEXT__SECRETS" || env.name == "PREFECT__context__secrets"
        guard let secret = ContextSecretEnvName.secretPath(env.name)?.first ?? (isWholeTable ? "(all secrets)" : nil),
            let span = env.valueSpan, span.end <= context.file.bytes.count,
            let what = Self.writtenOut(env, formatFields: context.analysis.kind == .python),
            !(env.value.map(TestStandIns.isStandIn) == true && TestStandIns.isTestCode(context.file.path))
        else { return }
        let documentation = env.context == .documentation || context.analysis.isDocumentation
        sink.report(
            "PS104", path: context.file.path, span: span,
            message: "secret \(secret) is set to \(what) in \(place); provide it from a secret store or a variable reference instead",
            severity: documentation ? .info : nil, secretName: isWholeTable ? nil : secret, secretSpan: span,
            redactedValue: Redaction.placeholder(for: context.file.bytes[span.range]))
    }

    /// `PW="Xk29…"` then `--env PREFECT__CONTEXT__SECRETS__DB="$PW"` in one file: moving the
    /// literal into a variable keeps it written down.
    private func checkVariables(_ context: FileContext, into sink: inout FindingSink) {
        let documentation = context.analysis.isDocumentation
        // A part of a value (a URL's host) is judged as a part beside references is.
        for literal in context.analysis.facts.secretLiteralsThroughVariables
        where !(TestStandIns.isStandIn(literal.value) && TestStandIns.isTestCode(context.file.path)) {
            let written =
                !literal.isLiteral
                ? Self.referenceDefaults(in: literal.value).contains(where: Self.hasWrittenSecretPart)
                : literal.isWholeValue ? Self.isPlaintext(literal.value) : Self.hasWrittenSecretPart(literal.value)
            guard written else { continue }
            let span = literal.valueSpan
            guard span.end <= context.file.bytes.count else { continue }
            sink.report(
                "PS104", path: context.file.path, span: span,
                message: "secret \(literal.secret) takes $\(literal.variable) in \(literal.context.phrase(in: context.analysis.facts, kind: context.analysis.kind)), and $\(literal.variable) is set \(literal.isLiteral ? "to a literal value" : "with its default written out") here; provide it from a secret store or the environment instead",
                severity: documentation || literal.context == .documentation ? .info : nil, secretName: literal.secret, secretSpan: span,
                redactedValue: Redaction.placeholder(for: context.file.bytes[span.range]))
        }
    }

    /// How `env` writes its value down, for the message, or nil when it does not: a default
    /// written out (`${PASSWORD:-Xk29fQm7…}` commits the default, whatever the variable holds),
    /// a part that looks like part of a secret beside a reference, or a literal (with
    /// `secretLooking`, only one with such a part). `formatFields`: whether code may fill a
    /// `{name}` in the value (``isPlaintext(_:formatFields:)``).
    static func writtenOut(_ env: EnvAssignment, secretLooking: Bool = false, formatFields: Bool = true) -> String? {
        guard env.origin == .literal || env.origin == .mixed || env.origin == .reference, let value = env.value, !value.isEmpty else { return nil }
        if env.origin != .literal, referenceDefaults(in: value).contains(where: hasWrittenSecretPart) {
            return "a reference with its default written out (`${NAME:-…}`)"
        }
        if env.origin == .mixed { return hasWrittenSecretPart(value) ? "a value partly written out (beside a reference)" : nil }
        guard env.origin == .literal, isPlaintext(value, formatFields: formatFields), !secretLooking || hasWrittenSecretPart(value) else { return nil }
        return "a literal value"
    }

    /// A value that is written down: not a placeholder or a reference. A dict or list Prefect
    /// reads from it (`{"user": "svc", "password": "…"}`, JSON or a Python literal) is judged
    /// by its strings, not taken for a `{name}` template. Outside Python (`formatFields`
    /// false) nothing fills a `{name}` within a value: `s3cr{et}Pass` is the value itself.
    static func isPlaintext(_ value: String, formatFields: Bool = true) -> Bool {
        var converted = PrefectValueConversion.configValue(ofEnvText: value)
        // JSON with `true`, `false` or `null` stays a string to Prefect (PS403), but its strings
        // are still written out.
        if case .str = converted, case .success(let json) = PythonJSON.loads(.str(value)) { converted = json }
        if let strings = Self.strings(in: converted) {
            return strings.contains { !$0.isEmpty && !ObviousPlaceholder.matches($0) && !SecretHeuristics.isReference(Array($0.utf8), formatFields: formatFields) }
        }
        return !ObviousPlaceholder.matches(value) && !SecretHeuristics.isReference(Array(value.utf8), formatFields: formatFields)
    }

    /// Whether a value with references (`Tr0ub4dor$HOME`, `pa${x}word`) still writes out a piece
    /// that looks like part of a secret: letters and a digit, six or more, in one run of
    /// characters that hosts, paths and URLs do not use (`@db01.internal`, `/etl` are not).
    static func hasWrittenSecretPart(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        func isPieceByte(_ c: UInt8) -> Bool {
            (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || (c >= 0x30 && c <= 0x39) || "_-+=!#%^*~".utf8.contains(c)
        }
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        func close(_ end: Int) {
            if start < end { pieces.append(bytes[start..<end]) }
        }
        while i < bytes.count {
            let c = bytes[i]
            var end: Int?
            if c == 0x24, i + 1 < bytes.count {
                let next = bytes[i + 1]
                if next == 0x7B || next == 0x28 {
                    // `${…}` or `$(…)`: to the closing brace or parenthesis.
                    end = bytes[(i + 2)...].firstIndex(of: next == 0x7B ? 0x7D : 0x29).map { $0 + 1 } ?? bytes.count
                } else if ASCIIBytes.isWordByte(next) {
                    var k = i + 1
                    while k < bytes.count, ASCIIBytes.isWordByte(bytes[k]) { k += 1 }
                    end = k
                }
            } else if !isPieceByte(c) {
                end = i + 1
            }
            if let end {
                close(i)
                start = end
                i = end
            } else {
                i += 1
            }
        }
        close(bytes.count)
        // A host's or a path's part (`@warehouse01.acme.internal`, `/etl2024`) is no secret,
        // unless it mixes cases as hosts and paths seldom do (`$HOME/Mu6Nv9Ow3Px`).
        func isHostOrPath(_ piece: ArraySlice<UInt8>) -> Bool {
            let before = piece.startIndex > 0 ? bytes[piece.startIndex - 1] : 0
            let after = piece.endIndex < bytes.count ? bytes[piece.endIndex] : 0
            let mixedCase = piece.contains { $0 >= 0x41 && $0 <= 0x5A } && piece.contains { $0 >= 0x61 && $0 <= 0x7A }
            return (before == 0x40 || before == 0x2E || before == 0x2F || after == 0x2E) && !mixedCase
        }
        return pieces.contains { piece in
            !isHostOrPath(piece) && piece.count >= 6 && piece.contains { $0 >= 0x30 && $0 <= 0x39 } && piece.contains { $0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A }
                && !ObviousPlaceholder.matches(String(decoding: piece, as: UTF8.self))
        }
    }

    /// The words that `${NAME:-word}`, `${NAME-word}`, `${NAME:=word}`, `${NAME=word}` and the
    /// `+` forms in `value` write out (a shell, Docker and Compose expand them).
    static func referenceDefaults(in value: String) -> [String] {
        let bytes = Array(value.utf8)
        var words: [String] = []
        var i = 0
        while i + 2 < bytes.count {
            guard bytes[i] == 0x24, bytes[i + 1] == 0x7B else {  // ${
                i += 1
                continue
            }
            var k = i + 2
            while k < bytes.count, bytes[k] == 0x5F || (bytes[k] | 0x20 >= 0x61 && bytes[k] | 0x20 <= 0x7A) || (k > i + 2 && bytes[k] >= 0x30 && bytes[k] <= 0x39) {
                k += 1
            }
            if k < bytes.count, bytes[k] == 0x3A { k += 1 }  // :
            guard k > i + 2, k < bytes.count, bytes[k] == 0x2D || bytes[k] == 0x3D || bytes[k] == 0x2B else {  // - = +
                i += 2
                continue
            }
            // The word runs to the brace that closes this reference.
            var depth = 1
            var end = k + 1
            while end < bytes.count {
                if bytes[end] == 0x7B, bytes[end - 1] == 0x24 { depth += 1 }
                if bytes[end] == 0x7D {
                    depth -= 1
                    if depth == 0 { break }
                }
                end += 1
            }
            words.append(String(decoding: bytes[(k + 1)..<min(end, bytes.count)], as: UTF8.self))
            i = k + 1
        }
        return words
    }

    /// The strings of a dict, list, tuple or set, at any depth; nil for any other value.
    private static func strings(in value: PyValue) -> [String]? {
        func collect(_ value: PyValue, into strings: inout [String]) {
            switch value {
            case .str(let s): strings.append(s)
            case .dict(let dict, _): for entry in dict.entries { collect(entry.value, into: &strings) }
            case .list(let items, _), .tuple(let items), .set(let items): for item in items { collect(item, into: &strings) }
            default: break
            }
        }
        switch value {
        case .dict, .list, .tuple, .set:
            var strings: [String] = []
            collect(value, into: &strings)
            return strings
        default:
            return nil
        }
    }
}
