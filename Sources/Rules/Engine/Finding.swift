import Spans

/// Whether applying a fix keeps behaviour (ruff's applicability levels).
public enum Applicability: String, Sendable, Codable {
    /// Keeps meaning; applied by `--fix`.
    case safe
    /// Valid but needs a person to check; applied only with `--unsafe-fixes`.
    case unsafe
    /// Shown, never applied.
    case displayOnly = "display-only"
}

/// One byte edit of a fix, possibly in another file than the finding.
public struct FixEdit: Sendable, Hashable {
    public var path: String
    public var edit: TextEdit
    public init(path: String, edit: TextEdit) {
        self.path = path
        self.edit = edit
    }
}

/// A fix proposed by a rule: edits plus how safe they are.
public struct Fix: Sendable, Hashable {
    public var applicability: Applicability
    public var description: String
    public var edits: [FixEdit]
    public init(applicability: Applicability, description: String, edits: [FixEdit]) {
        self.applicability = applicability
        self.description = description
        self.edits = edits
    }
}

/// A problem a rule found. Carries spans, never values: the secret's bytes stay in the file,
/// and reporters show ``redactedValue`` unless the user asked for `--show-secrets`.
public struct Finding: Sendable, Hashable {
    public var code: String
    public var name: String
    public var severity: Severity
    /// Path relative to the scanned root.
    public var path: String
    public var span: ByteSpan
    /// Filled by the scanner once the file's line index is at hand.
    public var start: SourceLocation
    public var end: SourceLocation
    /// Never contains a secret value.
    public var message: String
    /// The secret's name where the rule is about a named secret.
    public var secretName: String?
    /// Bytes of a secret value inside the file, hidden in every output.
    public var secretSpan: ByteSpan?
    /// Kind and length of the hidden value, e.g. `ghp_…(40 chars)`.
    public var redactedValue: String?
    public var fingerprint: String
    public var fix: Fix?

    public init(
        code: String, name: String, severity: Severity, path: String, span: ByteSpan, message: String,
        secretName: String? = nil, secretSpan: ByteSpan? = nil, redactedValue: String? = nil, fix: Fix? = nil
    ) {
        self.code = code
        self.name = name
        self.severity = severity
        self.path = path
        self.span = span
        self.start = SourceLocation(line: 0, column: 0)
        self.end = SourceLocation(line: 0, column: 0)
        self.message = message
        self.secretName = secretName
        self.secretSpan = secretSpan
        self.redactedValue = redactedValue
        self.fingerprint = ""
        self.fix = fix
    }

    /// The report order: path, line, column, rule.
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        (a.path, a.start.line, a.start.column, a.code, a.span.start) < (b.path, b.start.line, b.start.column, b.code, b.span.start)
    }
}
