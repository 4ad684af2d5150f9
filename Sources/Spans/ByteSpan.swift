/// A half-open range of UTF-8 byte offsets into one source file.
///
/// Every parser, rule and fix in the tool speaks in byte spans; lines and columns are
/// derived from them only when something is shown to a person (see ``LineIndex``).
public struct ByteSpan: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Offset of the first byte.
    public var start: Int
    /// Offset one past the last byte.
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// An empty span at `offset`.
    public static func empty(at offset: Int) -> ByteSpan { ByteSpan(offset, offset) }

    @inlinable public var length: Int { end - start }
    public var isEmpty: Bool { start == end }
    public var range: Range<Int> { start..<end }

    public func contains(_ offset: Int) -> Bool { offset >= start && offset < end }
    public func contains(_ other: ByteSpan) -> Bool { other.start >= start && other.end <= end }
    public func overlaps(_ other: ByteSpan) -> Bool { start < other.end && other.start < end }

    /// The smallest span that covers both.
    public func union(_ other: ByteSpan) -> ByteSpan {
        ByteSpan(min(start, other.start), max(end, other.end))
    }

    public static func < (lhs: ByteSpan, rhs: ByteSpan) -> Bool {
        (lhs.start, lhs.end) < (rhs.start, rhs.end)
    }

    public var description: String { "\(start)..<\(end)" }
}
