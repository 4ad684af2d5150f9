/// A positioned problem found while reading a file (a parse error, an unreadable value).
///
/// Parsers return these instead of trapping; the rules turn them into PS900 findings and
/// the CLI renders them with ``CodeFrame``.
public struct SourceDiagnostic: Error, Hashable, Sendable {
    public var span: ByteSpan
    public var message: String
    /// What the parser expected at `span`, if it knows ("a key", "`]`").
    public var expected: [String]

    public init(span: ByteSpan, message: String, expected: [String] = []) {
        self.span = span
        self.message = message
        self.expected = expected
    }

    /// `message`, followed by what was expected when known.
    public var fullMessage: String {
        expected.isEmpty ? message : "\(message) (expected \(expected.joined(separator: " or ")))"
    }

    /// `path:line:col: message`, the one-line form used on stderr.
    public func rendered(in file: SourceFile) -> String {
        let location = file.location(of: span.start)
        return "\(file.path):\(location.line):\(location.column): \(fullMessage)"
    }
}
