import PrefectModel

/// PS404 unexpressible-secret-name: a secret name that one `PREFECT__CONTEXT__SECRETS__` variable
/// cannot carry: `__` splits it into nested keys, and `-`, `.` or spaces cannot be exported
/// from a POSIX shell (facts §2.2, §10 items 7 and 10).
public struct UnexpressibleSecretNameRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS404"] }

    /// The message for a name no variable can carry, or nil.
    static func message(_ name: String) -> String? {
        // On UTF-8 bytes: every reference and provision of every file is asked, and the
        // characters looked for are ASCII.
        var previous: UInt8 = 0
        var bad: UInt8? = nil
        for byte in name.utf8 {
            if byte == 0x5F, previous == 0x5F {
                return "secret name \(name) cannot be set through one PREFECT__CONTEXT__SECRETS__ variable: it contains '__', which Prefect's env loading splits into nested keys"
            }
            if bad == nil, byte == 0x2D || byte == 0x2E || byte == 0x20 || byte == 0x09 { bad = byte }
            previous = byte
        }
        guard let bad else { return nil }
        // Docker's `--env`, Kubernetes and Python pass such a name on, and Prefect reads it.
        return "secret name \(name) cannot be set from a shell or a sourced env file: it contains '\(bad == 0x09 ? "\\t" : String(UnicodeScalar(bad)))', which a shell cannot export as part of a variable name (only a Docker --env, a Kubernetes env entry or a program can set PREFECT__CONTEXT__SECRETS__ with it)"
    }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        let facts = context.analysis.facts
        // EnvVarSecret reads `os.environ[name]` itself: no PREFECT__CONTEXT__SECRETS__ variable is involved.
        for reference in facts.secretReferences where reference.kind != .envVarSecret {
            guard let name = reference.name, let message = Self.message(name) else { continue }
            sink.report("PS404", path: context.file.path, span: reference.span, message: message, secretName: name)
        }
        for provision in facts.provisions where provision.source == .localConfig || provision.source == .cloudSetSecret {
            guard let message = Self.message(provision.name) else { continue }
            sink.report("PS404", path: context.file.path, span: provision.span, message: message, secretName: provision.name, secretSpan: provision.literalValueSpan)
        }
    }
}
