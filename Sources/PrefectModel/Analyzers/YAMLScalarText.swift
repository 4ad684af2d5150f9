import ShellWords
import Spans
import YAML

/// A YAML scalar's value with the file offsets of each of its bytes, so that spans found inside
/// the value (a `--env` flag in an `args` string, a key of a JSON object in an env value, a
/// command in a `run: |` block) land on the right bytes of the file.
///
/// The value is decoded again from the source bytes (quotes, escapes, line folding, block
/// indentation) and compared with what libyaml decoded; only when both agree is the map
/// ``isExact``. Otherwise every byte maps to the whole ``contentSpan`` (never a wrong place).
struct YAMLScalarText: Sendable {
    /// The decoded value, as libyaml gives it.
    private(set) var bytes: [UInt8]
    /// File offset of each byte of ``bytes``.
    private(set) var starts: [Int]
    /// File end offset of each byte (an escape's bytes end after the escape; a folded line
    /// break is zero-width).
    private(set) var ends: [Int]
    /// The value's text in the file: inside the quotes, after a block header, without anchor or tag.
    let contentSpan: ByteSpan
    /// True when each byte's offsets are known exactly.
    let isExact: Bool

    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// The offsets as a ShellWords map (one entry per byte plus the end).
    var map: ShellOffsetMap { .table(starts + [ends.last ?? contentSpan.start], ends: ends) }

    /// The file span of the decoded byte range `range` (the content span when the map is inexact).
    func span(_ range: Range<Int>) -> ByteSpan {
        guard isExact else { return contentSpan }
        guard range.lowerBound < range.upperBound, range.lowerBound < starts.count else {
            let at = range.lowerBound < starts.count ? starts[max(0, range.lowerBound)] : (ends.last ?? contentSpan.start)
            return .empty(at: at)
        }
        let upper = min(range.upperBound, ends.count)
        let s = starts[range.lowerBound]
        return ByteSpan(s, max(s, ends[upper - 1]))
    }

    /// The span of the whole value in the file: the content span, with a block scalar's trailing
    /// line breaks left out.
    var valueSpan: ByteSpan {
        if isExact, !bytes.isEmpty {
            var end = bytes.count
            while end > 0, bytes[end - 1] == 0x0A { end -= 1 }
            if end > 0 { return span(0..<end) }
        }
        return contentSpan
    }

    private init(bytes: [UInt8], starts: [Int], ends: [Int], contentSpan: ByteSpan, isExact: Bool) {
        self.bytes = bytes
        self.starts = starts
        self.ends = ends
        self.contentSpan = contentSpan
        self.isExact = isExact
    }

    /// The text with each `$$` as the one `$` that docker-compose passes on (it interpolates
    /// `$X` and `${X}` itself), the `$` spanning both bytes.
    func undoingComposeEscapes() -> YAMLScalarText {
        guard bytes.count > 1, bytes.contains(0x24) else { return self }
        var out = YAMLScalarText(bytes: [], starts: [], ends: [], contentSpan: contentSpan, isExact: isExact)
        var k = 0
        while k < bytes.count {
            let pair = bytes[k] == 0x24 && k + 1 < bytes.count && bytes[k + 1] == 0x24
            out.bytes.append(bytes[k])
            out.starts.append(starts[k])
            out.ends.append(ends[pair ? k + 1 : k])
            k += pair ? 2 : 1
        }
        return out
    }

    /// `decodingAgain` skips the shortcut for scalars written as their value (for the test
    /// that holds the two equal).
    init(node: YAMLNode, in file: [UInt8], decodingAgain: Bool = false) {
        let node = node.resolved
        let value = Array((node.scalar ?? "").utf8)
        let span = ByteSpan(max(0, min(node.span.start, file.count)), max(0, min(node.span.end, file.count)))
        if !decodingAgain, let verbatim = Self.verbatimContent(value, span: span, style: node.style, in: file) {
            bytes = value
            starts = Array(verbatim.range)
            ends = Array((verbatim.start + 1)..<(verbatim.end + 1))
            contentSpan = verbatim
            isExact = true
            return
        }
        var decoder = ScalarDecoder(file: file)
        let content = decoder.decode(span: span, style: node.style)
        if let content, decoder.out.starts(with: value), decoder.out.count == value.count
            || (node.style == .literal || node.style == .folded)
        {
            bytes = value
            starts = Array(decoder.starts.prefix(value.count))
            ends = Array(decoder.ends.prefix(value.count))
            contentSpan = content
            isExact = starts.count == value.count
        } else {
            let whole = content ?? span
            bytes = value
            starts = Array(repeating: whole.start, count: value.count)
            ends = Array(repeating: whole.end, count: value.count)
            contentSpan = whole
            isExact = false
        }
    }
}

extension YAMLScalarText {
    /// Where a one-line plain or quoted scalar without anchor, tag, escape or quote inside
    /// stands in the file, when its text there is its value byte for byte (most scalars of a
    /// manifest): each byte then maps onto its own offset, which is what decoding it again
    /// would find, without decoding it again.
    fileprivate static func verbatimContent(_ value: [UInt8], span: ByteSpan, style: YAMLNode.Style, in file: [UInt8]) -> ByteSpan? {
        let content: ByteSpan
        switch style {
        case .plain:
            content = span
        case .singleQuoted, .doubleQuoted:
            guard span.length >= 2 else { return nil }
            content = ByteSpan(span.start + 1, span.end - 1)
        default:
            return nil
        }
        guard content.length == value.count, !value.isEmpty, content.end <= file.count, file[content.range].elementsEqual(value) else { return nil }
        let quote: UInt8? = style == .singleQuoted ? 0x27 : style == .doubleQuoted ? 0x22 : nil
        if let quote, file[span.start] != quote || file[span.end - 1] != quote { return nil }
        // What decoding would change: line breaks and the blanks around them, `''`, escapes;
        // and what stands before a value: an anchor or a tag.
        let changes: (UInt8) -> Bool = { byte in
            byte == 0x0A || byte == 0x0D || byte == 0x27 || byte == 0x5C || byte == 0x22 || byte == 0x26 || byte == 0x21
        }
        // A plain scalar's blanks at its ends would be folding's to drop.
        if quote == nil, let first = value.first, let last = value.last, first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return nil }
        return value.contains(where: changes) ? nil : content
    }
}

/// Re-decodes a scalar from its source bytes, recording each output byte's source offsets.
private struct ScalarDecoder {
    let file: [UInt8]
    var out: [UInt8] = []
    var starts: [Int] = []
    var ends: [Int] = []

    init(file: [UInt8]) { self.file = file }

    mutating func emit(_ byte: UInt8, _ start: Int, _ end: Int) {
        out.append(byte)
        starts.append(start)
        ends.append(end)
    }

    static func isBreak(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D }
    static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

    /// Decodes the scalar at `span`; returns the content span, or nil when the source does not
    /// look like the style says.
    mutating func decode(span: ByteSpan, style: YAMLNode.Style) -> ByteSpan? {
        var p = span.start
        // Anchor and tag properties come first (`&a !!str value`).
        while p < span.end, file[p] == UInt8(ascii: "&") || file[p] == UInt8(ascii: "!") {
            while p < span.end, !Self.isBlank(file[p]), !Self.isBreak(file[p]) { p += 1 }
            while p < span.end, Self.isBlank(file[p]) || Self.isBreak(file[p]) { p += 1 }
        }
        guard p <= span.end else { return nil }
        out.reserveCapacity(span.end - p)
        starts.reserveCapacity(span.end - p)
        ends.reserveCapacity(span.end - p)
        switch style {
        case .plain:
            fold(p, span.end, quote: 0)
            return ByteSpan(p, span.end)
        case .singleQuoted, .doubleQuoted:
            let quote: UInt8 = style == .singleQuoted ? 0x27 : 0x22
            guard p < span.end, file[p] == quote, span.end - 1 > p, file[span.end - 1] == quote else { return nil }
            fold(p + 1, span.end - 1, quote: quote)
            return ByteSpan(p + 1, span.end - 1)
        case .literal, .folded:
            return block(p, span.end, folded: style == .folded)
        default:
            return nil
        }
    }

    /// Flow scalar folding: trailing blanks of a line are dropped, one line break becomes a
    /// space, n breaks become n-1 newlines, continuation lines lose their leading blanks.
    mutating func fold(_ start: Int, _ end: Int, quote: UInt8) {
        var i = start
        // The blanks since the last other byte: kept only if more text follows on the line.
        var pendingStart: Int? = nil
        while i < end {
            let c = file[i]
            if Self.isBreak(c) {
                let at = i
                var breaks = 0
                var j = i
                while j < end, Self.isBreak(file[j]) {
                    if file[j] == 0x0D, j + 1 < end, file[j + 1] == 0x0A { j += 1 }
                    j += 1
                    breaks += 1
                    while j < end, Self.isBlank(file[j]) { j += 1 }
                }
                if breaks == 1 {
                    emit(0x20, at, at)
                } else {
                    for _ in 1..<breaks { emit(0x0A, at, at) }
                }
                pendingStart = nil
                i = j
                continue
            }
            if Self.isBlank(c) {
                if pendingStart == nil { pendingStart = i }
                i += 1
                continue
            }
            if let blanks = pendingStart {
                for k in blanks..<i { emit(file[k], k, k + 1) }
                pendingStart = nil
            }
            if quote == 0x27, c == 0x27, i + 1 < end, file[i + 1] == 0x27 {
                emit(0x27, i, i + 2)
                i += 2
            } else if quote == 0x22, c == 0x5C, i + 1 < end {
                i = escape(i, end)
            } else {
                emit(c, i, i + 1)
                i += 1
            }
        }
        if quote != 0, let blanks = pendingStart { for k in blanks..<end { emit(file[k], k, k + 1) } }
    }

    /// One double-quoted escape at `i` (the backslash); returns the offset after it.
    mutating func escape(_ i: Int, _ end: Int) -> Int {
        let next = file[i + 1]
        if Self.isBreak(next) {
            // An escaped line break joins the lines without a space.
            var j = i + 1
            if file[j] == 0x0D, j + 1 < end, file[j + 1] == 0x0A { j += 1 }
            j += 1
            while j < end, Self.isBlank(file[j]) { j += 1 }
            return j
        }
        var scalar: UInt32
        var length = 2
        if let s = Self.simpleEscape(next) {
            scalar = s
        } else {
            let digits: Int
            switch next {
            case UInt8(ascii: "x"): digits = 2
            case UInt8(ascii: "u"): digits = 4
            case UInt8(ascii: "U"): digits = 8
            default:
                emit(next, i, i + 2)
                return i + 2
            }
            guard i + 2 + digits <= end,
                let v = UInt32(String(decoding: file[(i + 2)..<(i + 2 + digits)], as: UTF8.self), radix: 16)
            else {
                emit(next, i, i + 2)
                return i + 2
            }
            scalar = v
            length = 2 + digits
        }
        let text = Unicode.Scalar(scalar).map { String(Character($0)) } ?? "\u{FFFD}"
        for b in text.utf8 { emit(b, i, i + length) }
        return i + length
    }

    /// The code point of a one-letter escape (`\n`, `\t`, `\N` …), or nil.
    static func simpleEscape(_ letter: UInt8) -> UInt32? {
        switch letter {
        case UInt8(ascii: "0"): 0
        case UInt8(ascii: "a"): 7
        case UInt8(ascii: "b"): 8
        case UInt8(ascii: "t"), 0x09: 9
        case UInt8(ascii: "n"): 10
        case UInt8(ascii: "v"): 11
        case UInt8(ascii: "f"): 12
        case UInt8(ascii: "r"): 13
        case UInt8(ascii: "e"): 27
        case 0x20: 32
        case 0x22: 34
        case UInt8(ascii: "/"): 47
        case 0x5C: 92
        case UInt8(ascii: "N"): 0x85
        case UInt8(ascii: "_"): 0xA0
        case UInt8(ascii: "L"): 0x2028
        case UInt8(ascii: "P"): 0x2029
        default: nil
        }
    }

    /// A `|` or `>` block scalar: the header line, then lines with the block's indentation removed.
    mutating func block(_ start: Int, _ end: Int, folded: Bool) -> ByteSpan? {
        var i = start + 1
        while i < end, !Self.isBreak(file[i]) { i += 1 }
        if i < end, file[i] == 0x0D { i += 1 }
        if i < end, file[i] == 0x0A { i += 1 }
        let contentStart = i
        // Lines of the body.
        var lines: [(start: Int, end: Int)] = []
        var k = contentStart
        while k < end {
            var e = k
            while e < end, !Self.isBreak(file[e]) { e += 1 }
            lines.append((k, e))
            if e < end, file[e] == 0x0D, e + 1 < end, file[e + 1] == 0x0A { e += 1 }
            k = e + 1
        }
        func indentation(_ line: (start: Int, end: Int)) -> Int {
            var n = 0
            while line.start + n < line.end, file[line.start + n] == 0x20 { n += 1 }
            return n
        }
        guard let first = lines.first(where: { indentation($0) < $0.end - $0.start }) else { return ByteSpan(contentStart, end) }
        let indent = indentation(first)
        var previousNormal = false
        var emptyRun: [Int] = []
        var lastEnd: Int? = nil
        for line in lines {
            let body = line.start + min(indent, line.end - line.start)
            if indentation(line) >= line.end - line.start {
                emptyRun.append(line.end)
                continue
            }
            let moreIndented = Self.isBlank(file[body])
            if let lastEnd {
                // The break after the previous line: folded between two normal lines it becomes
                // a space, or disappears when empty lines follow it.
                if folded && previousNormal && !moreIndented {
                    if emptyRun.isEmpty { emit(0x20, lastEnd, lastEnd) }
                } else {
                    emit(0x0A, lastEnd, min(lastEnd + 1, end))
                }
            }
            for at in emptyRun { emit(0x0A, at, at) }
            emptyRun.removeAll()
            for b in body..<line.end { emit(file[b], b, b + 1) }
            previousNormal = !moreIndented
            lastEnd = line.end
        }
        if let lastEnd { emit(0x0A, lastEnd, min(lastEnd + 1, end)) }
        for at in emptyRun { emit(0x0A, at, at) }
        return ByteSpan(first.start + indent, end)
    }
}
