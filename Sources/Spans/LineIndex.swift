#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 1-based line and column. Columns count Unicode scalars (characters), as DESIGN.md's
/// JSON report requires.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
    public var description: String { "\(line):\(column)" }
}

/// Maps byte offsets to lines and columns. Built once per file in one pass over the bytes.
///
/// Line breaks are `\n`, `\r\n` and a lone `\r` (old Mac files), so that every file kind
/// agrees on line numbers with the editors users look at.
public struct LineIndex: Sendable {
    /// Byte offset at which each line starts; `lineStarts[0] == 0`.
    public let lineStarts: [Int]
    private let bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            let n = buffer.count
            // Most files have no `\r`: then the C library's vectorized memchr finds the breaks.
            if let base = buffer.baseAddress, memchr(base, 0x0D, n) == nil {
                while i < n, let hit = memchr(base + i, 0x0A, n - i) {
                    i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
                    starts.append(i)
                }
                return
            }
            while i < n {
                let byte = buffer[i]
                if byte == 0x0A {
                    starts.append(i + 1)
                } else if byte == 0x0D {
                    if i + 1 < n, buffer[i + 1] == 0x0A { i += 1 }
                    starts.append(i + 1)
                }
                i += 1
            }
        }
        self.lineStarts = starts
        self.bytes = bytes
    }

    public var lineCount: Int { lineStarts.count }

    /// The 0-based line number holding `offset`.
    public func lineNumber(at offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// 1-based line and character column of `offset`.
    public func location(of offset: Int) -> SourceLocation {
        let clamped = min(max(0, offset), bytes.count)
        let line = lineNumber(at: clamped)
        var column = 1
        var i = lineStarts[line]
        // A byte order mark is not a character editors show.
        if i == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = min(3, clamped) }
        while i < clamped {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        // An offset inside a multi-byte character belongs to that character.
        if clamped < bytes.count, bytes[clamped] & 0xC0 == 0x80, column > 1 { column -= 1 }
        return SourceLocation(line: line + 1, column: column)
    }

    /// ``location(of:)`` of many offsets, in their order, counting each line's characters
    /// once: the findings of a minified file's one line are not each counted from its start.
    public func locations(of offsets: [Int]) -> [SourceLocation] {
        var result = [SourceLocation](repeating: SourceLocation(line: 1, column: 1), count: offsets.count)
        // Where the count stands: a line, an offset on it, and the column before the mid-character correction.
        var cursor: (line: Int, offset: Int, column: Int)?
        for index in offsets.indices.sorted(by: { offsets[$0] < offsets[$1] }) {
            let clamped = min(max(0, offsets[index]), bytes.count)
            let line = lineNumber(at: clamped)
            var i = lineStarts[line]
            var column = 1
            if let cursor, cursor.line == line, cursor.offset <= clamped {
                (i, column) = (cursor.offset, cursor.column)
            }
            // A byte order mark is not a character editors show.
            if line == 0, i < 3, bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                (i, column) = (min(3, clamped), 1)
            }
            while i < clamped {
                if bytes[i] & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
            cursor = (line, clamped, column)
            if clamped < bytes.count, bytes[clamped] & 0xC0 == 0x80, column > 1 { column -= 1 }
            result[index] = SourceLocation(line: line + 1, column: column)
        }
        return result
    }

    /// Byte offset of a 1-based line and character column; nil when out of range.
    public func offset(of location: SourceLocation) -> Int? {
        guard location.line >= 1, location.line <= lineStarts.count else { return nil }
        var i = lineStarts[location.line - 1]
        var column = 1
        let end = lineContentSpan(line: location.line).end
        while column < location.column {
            guard i < end else { return column == location.column ? i : nil }
            i += 1
            while i < end, bytes[i] & 0xC0 == 0x80 { i += 1 }
            column += 1
        }
        return i
    }

    /// The bytes of a 1-based line without its line break.
    public func lineContentSpan(line: Int) -> ByteSpan {
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        if end > start, bytes[end - 1] == 0x0A { end -= 1 }
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        return ByteSpan(start, end)
    }
}
