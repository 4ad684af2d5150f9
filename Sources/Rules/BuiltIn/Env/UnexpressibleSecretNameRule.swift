import PrefectModel

/// PS404 unexpressible-secret-name: a secret name that one `PREFECT__CONTEXT__SECRETS__` variable
/// cannot carry: `__` splits it into nested keys, and `-`, `.` or spaces cannot be exported
/// from a POSIX shell (facts §2.2, §10 items 7 and 10).
public struct UnexpressibleSecretNameRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS404"] }

    static func problem(_ name: String) -> String? {
        // On UTF-8 bytes: every reference and provision of every file is asked, and the
        // characters looked for are ASCII.
        var previous: UInt8 = 0
        var bad: UInt8? = nil
        for byte in name.utf8 {
            if byte == 0x5F, previous == 0x5F { return "contains '__', which Prefect's env loading splits into nested keys" }
            if bad == nil, byte == 0x2D || byte == 0x2E || byte == 0x20 || byte == 0x09 { bad = byte }
            previous = byte
        }
        guard let bad else { return nil }
        return "contains '\(bad == 0x09 ? "\\t" : String(UnicodeScalar(bad)))', which a shell cannot export as part of a variable name"
    }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        let facts = context.analysis.facts
        // EnvVarSecret reads `os.environ[name]` itself: no PREFECT__CONTEXT__SECRETS__ variable is involved.
        for reference in facts.secretReferences where reference.kind != .envVarSecret {
            guard let name = reference.name, let problem = Self.problem(name) else { continue }
            sink.report(
                "PS404", path: context.file.path, span: reference.span,
                message: "secret name \(name) cannot be set through one PREFECT__CONTEXT__SECRETS__ variable: it \(problem)",
                secretName: name)
        }
        for provision in facts.provisions where provision.source == .localConfig || provision.source == .cloudSetSecret {
            guard let problem = Self.problem(provision.name) else { continue }
            sink.report(
                "PS404", path: context.file.path, span: provision.span,
                message: "secret name \(provision.name) cannot be set through one PREFECT__CONTEXT__SECRETS__ variable: it \(problem)",
                secretName: provision.name, secretSpan: provision.literalValueSpan)
        }
    }
}
