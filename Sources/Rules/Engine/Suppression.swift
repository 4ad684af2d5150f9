import Spans

/// Inline suppressions: a comment `# prefect-secrets: ignore` or `# prefect-secrets:
/// ignore[PS101,plaintext-credential]` (also after `;`, `//` or `<!--`) at the end of the
/// finding's line, or on a line of its own above it. The marker elsewhere (in a string, in
/// the middle of a comment's text) suppresses nothing: a trailing comment belongs to its line.
/// A line continued with `\` is one command with the lines it continues onto: a marker above
/// it or after its last line covers every line of it.
public struct Suppressions: Sendable {
    /// 1-based line → the rules it silences (empty set = all rules).
    private var byLine: [Int: Set<String>] = [:]

    static let marker = Array("prefect-secrets: ignore".utf8)

    public init(file: SourceFile) {
        let bytes = file.bytes
        guard bytes.count >= Self.marker.count else { return }
        var searchFrom = 0
        while searchFrom <= bytes.count, let found = ByteSearch.firstIndex(of: Self.marker, in: bytes, range: searchFrom..<bytes.count) {
            searchFrom = found + Self.marker.count
            guard let commentStart = Self.commentStart(before: found, in: bytes) else { continue }
            let line = file.lines.lineNumber(at: found) + 1
            let lineStart = file.lines.lineContentSpan(line: line).start
            guard !Self.isQuoted(commentStart, from: lineStart, in: bytes) else { continue }
            var i = found + Self.marker.count
            var codes = Set<String>()
            if i < bytes.count, bytes[i] == UInt8(ascii: "[") {
                i += 1
                var current: [UInt8] = []
                while i < bytes.count, bytes[i] != UInt8(ascii: "]"), bytes[i] != 0x0A {
                    if bytes[i] == UInt8(ascii: ",") {
                        codes.insert(Self.normalize(current))
                        current = []
                    } else if bytes[i] != 0x20 {
                        current.append(bytes[i])
                    }
                    i += 1
                }
                codes.insert(Self.normalize(current))
                codes.remove("")
            }
            // A comment alone on its line speaks for the next line; one after code, for its own.
            let alone = bytes[lineStart..<commentStart].allSatisfy { $0 == 0x20 || $0 == 0x09 }
            let target = alone ? line + 1 : line
            var first = target
            while first > 1, Self.continues(line: first - 1, of: file) { first -= 1 }
            var last = target
            while last < file.lines.lineCount, Self.continues(line: last, of: file) { last += 1 }
            for covered in first...last {
                byLine[covered, default: []].formUnion(codes)
                if codes.isEmpty { byLine[covered] = [] }
            }
        }
    }

    /// Whether `line` ends with a `\` that continues it onto the next line.
    static func continues(line: Int, of file: SourceFile) -> Bool {
        let span = file.lines.lineContentSpan(line: line)
        var end = span.end
        if end > span.start, file.bytes[end - 1] == 0x0D { end -= 1 }
        return end > span.start && file.bytes[end - 1] == 0x5C
    }

    /// Whether `offset` lies inside a quoted string that opens on its line after `lineStart`
    /// (`msg = "… # prefect-secrets: ignore …"`). An apostrophe inside a word (`it's`) opens
    /// nothing, unless it follows a one-letter string prefix (`f'…'`, `b'…'`).
    static func isQuoted(_ offset: Int, from lineStart: Int, in bytes: [UInt8]) -> Bool {
        var open: UInt8? = nil
        var k = lineStart
        while k < offset {
            let byte = bytes[k]
            if let quote = open {
                if byte == 0x5C {
                    k += 1
                } else if byte == quote {
                    open = nil
                }
            } else if byte == 0x22 {
                open = byte
            } else if byte == 0x27 {
                let before = k > lineStart ? bytes[k - 1] : 0x20
                let beforeThat = k > lineStart + 1 ? bytes[k - 2] : 0x20
                if !isWordByte(before) || (Array("fFbBrRuU".utf8).contains(before) && !isWordByte(beforeThat)) { open = byte }
            }
            k += 1
        }
        return open != nil
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte >= 0x80
    }

    /// Where the comment that the marker at `offset` begins starts: the marker follows `#`,
    /// `;`, `//` or `<!--` (blanks between allowed). Nil when it does not.
    static func commentStart(before offset: Int, in bytes: [UInt8]) -> Int? {
        var k = offset
        while k > 0, bytes[k - 1] == 0x20 || bytes[k - 1] == 0x09 { k -= 1 }
        guard k > 0 else { return nil }
        switch bytes[k - 1] {
        case UInt8(ascii: "#"), UInt8(ascii: ";"): return k - 1
        case UInt8(ascii: "/") where k >= 2 && bytes[k - 2] == UInt8(ascii: "/"): return k - 2
        case UInt8(ascii: "-") where k >= 4 && bytes[(k - 4)..<k].elementsEqual("<!--".utf8): return k - 4
        default: return nil
        }
    }

    private static func normalize(_ bytes: [UInt8]) -> String {
        let s = String(decoding: bytes, as: UTF8.self)
        return s.hasPrefix("PS") || s.hasPrefix("ps") ? s.uppercased() : s
    }

    /// True when a suppression for `line` covers the rule.
    public func suppresses(code: String, name: String, line: Int) -> Bool {
        if let codes = byLine[line], codes.isEmpty || codes.contains(code) || codes.contains(name) {
            return true
        }
        return false
    }
}
