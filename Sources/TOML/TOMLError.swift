import Spans

/// A TOML syntax or redefinition error, positioned by byte span.
///
/// Messages never quote a value's text (a value may be a secret); `found` names only a single
/// character or a token kind.
public struct TOMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, in a few words ("invalid escape sequence").
    public var message: String
    /// The offending bytes.
    public var span: ByteSpan
    /// What the parser expected there, if it knows ("`=`", "a value").
    public var expected: [String]
    /// What it found instead ("end of line", "`]`"), if relevant.
    public var found: String?

    /// An error at `span`.
    public init(_ message: String, span: ByteSpan, expected: [String] = [], found: String? = nil) {
        self.message = message
        self.span = span
        self.expected = expected
        self.found = found
    }

    /// The message with what was expected and found.
    public var fullMessage: String {
        var text = message
        if !expected.isEmpty { text += ", expected \(expected.joined(separator: " or "))" }
        if let found { text += (expected.isEmpty ? ", found " : " but found ") + found }
        return text
    }

    /// `start..<end: message`, for logs and test output.
    public var description: String { "\(span): \(fullMessage)" }

    /// The error as a shared diagnostic.
    public var diagnostic: SourceDiagnostic {
        SourceDiagnostic(span: span, message: message, expected: expected, found: found)
    }
}
