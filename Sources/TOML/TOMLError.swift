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

    /// The error as a shared diagnostic (the message already carries `found`).
    public var diagnostic: SourceDiagnostic {
        var text = message
        if let found { text += " (found \(found))" }
        return SourceDiagnostic(span: span, message: text, expected: expected)
    }

    /// `path:line:col: message` followed by a code frame.
    public func rendered(in file: SourceFile, color: Bool = false) -> String {
        let location = file.location(of: span.start)
        return "\(file.path):\(location.line):\(location.column): \(fullMessage)\n"
            + CodeFrame.render(file: file, span: span, color: color)
    }

    /// Convenience for ``rendered(in:color:)`` from a path and bytes.
    public func rendered(path: String, bytes: [UInt8], color: Bool = false) -> String {
        rendered(in: SourceFile(path: path, bytes: bytes), color: color)
    }
}
