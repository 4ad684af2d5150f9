/// One file's bytes, the path it is reported under, and its line index.
///
/// The bytes are read once and never copied into a `String` whole; parsers work on
/// `bytes` directly and keep spans into it.
public struct SourceFile: Sendable {
    /// Path relative to the scanned root, with `/` separators, as reports show it.
    public let path: String
    public let bytes: [UInt8]
    public let lines: LineIndex

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        self.lines = LineIndex(bytes)
    }

    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// The text of `span`, decoding invalid UTF-8 with replacement characters.
    public func text(_ span: ByteSpan) -> String {
        let lo = min(max(0, span.start), bytes.count)
        let hi = min(max(lo, span.end), bytes.count)
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }

    public func location(of offset: Int) -> SourceLocation { lines.location(of: offset) }

    /// Start and end (exclusive) locations of `span`.
    public func range(of span: ByteSpan) -> (start: SourceLocation, end: SourceLocation) {
        (lines.location(of: span.start), lines.location(of: span.end))
    }

    /// The text of a 1-based line without its line break.
    public func lineText(_ line: Int) -> String { text(lines.lineContentSpan(line: line)) }
}
