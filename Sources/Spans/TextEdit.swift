/// A replacement of one byte range: the unit of every fix and migration.
public struct TextEdit: Hashable, Sendable {
    public var span: ByteSpan
    public var replacement: [UInt8]

    public init(span: ByteSpan, replacement: [UInt8]) {
        self.span = span
        self.replacement = replacement
    }

    public init(span: ByteSpan, replacement: String) {
        self.init(span: span, replacement: Array(replacement.utf8))
    }

    /// Errors from ``TextEdit/apply(_:to:)``.
    public enum ApplyError: Error, Equatable, Sendable {
        case overlapping(ByteSpan, ByteSpan)
        case outOfBounds(ByteSpan)
    }

    /// Applies non-overlapping edits to `bytes`, back to front so earlier spans stay valid.
    public static func apply(_ edits: [TextEdit], to bytes: [UInt8]) throws(ApplyError) -> [UInt8] {
        let sorted = edits.sorted { $0.span < $1.span }
        for edit in sorted where edit.span.start < 0 || edit.span.end > bytes.count {
            throw .outOfBounds(edit.span)
        }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.span.end > b.span.start {
            throw .overlapping(a.span, b.span)
        }
        var output = bytes
        for edit in sorted.reversed() {
            output.replaceSubrange(edit.span.range, with: edit.replacement)
        }
        return output
    }
}
