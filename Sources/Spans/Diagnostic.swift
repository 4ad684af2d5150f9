/// A positioned problem found while reading a file (a parse error, an unreadable value).
///
/// Parsers return these instead of trapping; the rules turn them into PS900 findings and
/// the CLI renders them with ``CodeFrame``.
public struct SourceDiagnostic: Error, Hashable, Sendable {
    public var span: ByteSpan
    public var message: String
    /// What the parser expected at `span`, if it knows ("a key", "`]`").
    public var expected: [String]
    /// What the parser found there ("`j`", "end of line"): one character of the input at
    /// most. Kept apart from `message` so that a caller can leave it out where that
    /// character belongs to a value it hides.
    public var found: String?

    public init(span: ByteSpan, message: String, expected: [String] = [], found: String? = nil) {
        self.span = span
        self.message = message
        self.expected = expected
        self.found = found
    }

    /// `message`, followed by what was found and what was expected when known.
    public var fullMessage: String {
        var text = message
        if let found { text += " (found \(found))" }
        if !expected.isEmpty { text += " (expected \(expected.joined(separator: " or ")))" }
        return text
    }

    /// `path:line:col: message`, the one-line form used on stderr.
    public func rendered(in file: SourceFile) -> String {
        let location = file.location(of: span.start)
        return "\(file.path):\(location.line):\(location.column): \(fullMessage)"
    }
}
