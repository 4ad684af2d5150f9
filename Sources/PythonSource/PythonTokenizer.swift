import Spans

/// Tokenizes Python 3.12 source bytes the way CPython 3.12's tokenizer does, without ever failing.
///
/// Bad input becomes ``PythonTokenKind/error`` tokens with spans, and scanning goes on, so a
/// half-written flow file still yields every string literal the rules need.
public enum PythonTokenizer {
    /// All tokens of `bytes`, ending with ``PythonTokenKind/endMarker``.
    public static func tokenize(_ bytes: [UInt8]) -> [PythonToken] {
        bytes.withUnsafeBufferPointer { tokenize($0) }
    }

    /// All tokens of `buffer`, ending with ``PythonTokenKind/endMarker``.
    public static func tokenize(_ buffer: UnsafeBufferPointer<UInt8>) -> [PythonToken] {
        var scanner = PythonScanner(buffer)
        scanner.run()
        return scanner.tokens
    }

    /// All tokens of `bytes`, with the string literals and the target names (those that may
    /// hold one of `words`, when given), whether a name spelled `watchedName` occurs and
    /// whether one spelled `watchedTarget` stands as a target noted on the side
    /// (``PythonTokenMarks``).
    public static func tokenize(
        _ bytes: [UInt8], marking watchedName: [UInt8], holding words: KeywordSet? = nil, watchingTarget watchedTarget: [UInt8] = []
    ) -> (tokens: [PythonToken], marks: PythonTokenMarks) {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = PythonScanner(buffer, watchedName: watchedName, words: words, watchedTarget: watchedTarget)
            scanner.run()
            return (scanner.tokens, scanner.marks)
        }
    }
}

/// The mutable state of one tokenizer run; kept internal so the public API stays a pure function.
struct PythonScanner {
    /// An open f-string, replacement field or format spec; the innermost decides how bytes are read.
    private struct Frame {
        enum Kind { case fstring, field, formatSpec }
        var kind: Kind
        var quote: UInt8
        var triple: Bool
        var raw: Bool
        /// For a field: the bracket depth just inside its `{`. For an f-string: the depth before it.
        var depth: Int
        /// Offset where the enclosing f-string starts (for error spans).
        var start: Int
    }

    private let b: UnsafeBufferPointer<UInt8>
    private let n: Int
    private var pos = 0
    private(set) var tokens: [PythonToken] = []
    private var indents: [Int] = [0]
    private var altIndents: [Int] = [0]
    private var parenDepth = 0
    private var atLineStart = true
    private var lineHasContent = false
    private var frames: [Frame] = []
    private var fstringNesting: UInt8 = 0
    /// With a watched name, ``marks`` are kept as tokens are emitted.
    private let marking: Bool
    private let watchedName: [UInt8]
    private let watchedTarget: [UInt8]
    /// Lists only the marked texts that may hold one of the words.
    private let wordFilter: KeywordPrefilter
    private(set) var marks = PythonTokenMarks()

    init(_ buffer: UnsafeBufferPointer<UInt8>, watchedName: [UInt8]? = nil, words: KeywordSet? = nil, watchedTarget: [UInt8] = []) {
        self.b = buffer
        self.n = buffer.count
        self.marking = watchedName != nil
        self.watchedName = watchedName ?? []
        self.watchedTarget = watchedTarget
        self.wordFilter = words?.prefilter ?? .anything
        tokens.reserveCapacity(n / 4 + 8)
    }

    // MARK: Emitting

    private mutating func emit(
        _ kind: PythonTokenKind, _ start: Int, _ end: Int, flags: PythonStringFlags = [],
        error: PythonTokenError = .none
    ) {
        tokens.append(
            PythonToken(
                kind: kind, span: ByteSpan(start, end), stringFlags: flags, error: error,
                fstringDepth: fstringNesting))
        switch kind {
        case .comment, .nl, .newline, .indent, .dedent, .endMarker: break
        default: lineHasContent = true
        }
        // The tests that settle most tokens stay here: a call per token cost more than the marks.
        guard marking else { return }
        switch kind {
        case .name:
            if end - start == watchedName.count, !marks.sawWatchedName, b[start..<end].elementsEqual(watchedName) {
                marks.sawWatchedName = true
            }
        case .string, .fstringMiddle:
            if mayHoldWord(start, end) { marks.strings.append(tokens.count - 1) }
        case .op:
            // Every target follower ends in `=`, or is `:`.
            if end > start, b[end - 1] == 0x3D || (end - start == 1 && b[start] == 0x3A) { markTarget(start, end) }
        case .error:
            if marks.firstError == nil { marks.firstError = tokens.count - 1 }
        default:
            break
        }
    }

    /// Notes the name before a target follower at `start..<end`, past what may stand between
    /// a target and its operator.
    private mutating func markTarget(_ start: Int, _ end: Int) {
        guard isTargetFollower(start, end) else { return }
        var k = tokens.count - 2
        while k >= 0 {
            let token = tokens[k]
            switch token.kind {
            case .comment, .nl, .error:
                k -= 1
                continue
            case .op where token.span.length == 1 && (b[token.span.start] == 0x29 || b[token.span.start] == 0x5D):  // ) ]
                k -= 1
                continue
            case .name:
                if mayHoldWord(token.span.start, token.span.end) { marks.targets.append(k) }
                if token.span.length == watchedTarget.count, !watchedTarget.isEmpty, b[token.span.range].elementsEqual(watchedTarget) {
                    marks.sawWatchedTarget = true
                }
            default:
                break
            }
            return
        }
    }

    /// Whether the text may hold one of the marked words. The bytes were just read, so the
    /// test costs little here; long texts (docstrings) are left to the caller's faster search.
    @inline(__always)
    private func mayHoldWord(_ start: Int, _ end: Int) -> Bool {
        end - start > PythonTokenMarks.wordTestLimit || wordFilter.mayOccur(in: UnsafeBufferPointer(rebasing: b[start..<end]))
    }

    /// `=`, `:`, `:=` or an augmented assignment; not `==`, `!=`, `<=`, `>=`.
    private func isTargetFollower(_ start: Int, _ end: Int) -> Bool {
        let first = b[start]
        switch end - start {
        case 1: return first == 0x3D || first == 0x3A
        case 2: return b[start + 1] == 0x3D && first != 0x3D && first != 0x21 && first != 0x3C && first != 0x3E
        case 3: return b[start + 2] == 0x3D
        default: return false
        }
    }

    private mutating func emitError(_ error: PythonTokenError, _ start: Int, _ end: Int) {
        // An error token marks the line as having content only if it covers code, which is the
        // case for every error but indentation ones; both choices keep NEWLINE placement sane.
        emit(.error, start, end, error: error)
    }

    // MARK: Main loop

    mutating func run() {
        if n >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { pos = 3 }
        while true {
            if let top = frames.last {
                switch top.kind {
                case .fstring:
                    scanFStringLiteral(spec: false)
                    continue
                case .formatSpec:
                    scanFStringLiteral(spec: true)
                    continue
                case .field:
                    break
                }
            }
            if atLineStart {
                atLineStart = false
                if parenDepth == 0 && frames.isEmpty { handleIndentation() }
            }
            while pos < n {
                let c = b[pos]
                if c == 0x20 || c == 0x09 || c == 0x0C { pos += 1 } else { break }
            }
            guard pos < n else {
                finish()
                return
            }
            let c = b[pos]
            switch c {
            case 0x23:  // '#'
                let start = pos
                while pos < n, b[pos] != 0x0A, b[pos] != 0x0D { pos += 1 }
                emit(.comment, start, pos)
            case 0x0A, 0x0D:
                // Inside a replacement field a line break is allowed even in a single-quoted
                // f-string (CPython 3.12): the field is a bracket, so this is an NL.
                let start = pos
                pos += (c == 0x0D && pos + 1 < n && b[pos + 1] == 0x0A) ? 2 : 1
                if parenDepth > 0 || !lineHasContent {
                    emit(.nl, start, pos)
                } else {
                    emit(.newline, start, pos)
                }
                if parenDepth == 0 {
                    lineHasContent = false
                    atLineStart = true
                }
            case 0x5C:  // backslash
                if pos + 1 < n, b[pos + 1] == 0x0A {
                    pos += 2
                } else if pos + 1 < n, b[pos + 1] == 0x0D {
                    pos += (pos + 2 < n && b[pos + 2] == 0x0A) ? 3 : 2
                } else {
                    emitError(.strayBackslash, pos, pos + 1)
                    pos += 1
                }
            case 0x22, 0x27:
                scanString(start: pos, flags: [])
            case 0x30...0x39:
                scanNumber()
            case 0x2E:  // '.'
                if pos + 1 < n, isDigit(b[pos + 1]) {
                    scanNumber()
                } else if pos + 2 < n, b[pos + 1] == 0x2E, b[pos + 2] == 0x2E {
                    emit(.op, pos, pos + 3)
                    pos += 3
                } else {
                    emit(.op, pos, pos + 1)
                    pos += 1
                }
            default:
                if isIdentifierStart(c) {
                    scanNameOrPrefixedString()
                } else {
                    scanOperator(c)
                }
            }
        }
    }

    private mutating func finish() {
        if let index = frames.firstIndex(where: { $0.kind == .fstring }) {
            unterminatedFString(at: index, end: n)
        }
        if parenDepth > 0 {
            emitError(.eofInMultiLineStatement, n, n)
            parenDepth = 0
        }
        if lineHasContent {
            emit(.newline, n, n)
        } else if tokens.last?.kind == .comment {
            emit(.nl, n, n)
        }
        for _ in 1..<max(1, indents.count) { emit(.dedent, n, n) }
        indents = [0]
        altIndents = [0]
        emit(.endMarker, n, n)
    }

    // MARK: Indentation

    private mutating func handleIndentation() {
        let start = pos
        var col = 0
        var alt = 0
        while pos < n {
            switch b[pos] {
            case 0x20:
                col += 1
                alt += 1
            case 0x09:
                col = (col / 8 + 1) * 8
                alt += 1
            case 0x0C:
                col = 0
                alt = 0
            default:
                break
            }
            if b[pos] != 0x20 && b[pos] != 0x09 && b[pos] != 0x0C { break }
            pos += 1
        }
        // Blank and comment-only lines do not take part in indentation (as in CPython).
        guard pos < n else { return }
        let c = b[pos]
        if c == 0x23 || c == 0x0A || c == 0x0D { return }
        let top = indents[indents.count - 1]
        let altTop = altIndents[altIndents.count - 1]
        if col == top {
            if alt != altTop { emitError(.inconsistentTabs, start, pos) }
        } else if col > top {
            if alt <= altTop { emitError(.inconsistentTabs, start, pos) }
            indents.append(col)
            altIndents.append(alt)
            emit(.indent, start, pos)
        } else {
            // The error comes first so that tokens stay in source order.
            if let level = indents.lastIndex(of: col) {
                if altIndents[level] != alt { emitError(.inconsistentTabs, start, pos) }
            } else {
                emitError(.unindentDoesNotMatch, start, pos)
            }
            while indents.count > 1, col < indents[indents.count - 1] {
                indents.removeLast()
                altIndents.removeLast()
                emit(.dedent, pos, pos)
            }
        }
        // Indentation tokens must not count as content of the logical line.
        lineHasContent = false
    }

    // MARK: Names, numbers, operators

    private mutating func scanNameOrPrefixedString() {
        let start = pos
        // Most names start with a letter no string prefix has: straight to the name.
        switch b[pos] | 0x20 {
        case 0x72, 0x62, 0x75, 0x66: break  // r b u f
        default:
            scanNameRest(start)
            return
        }
        var flags: PythonStringFlags = []
        var i = pos
        var valid = true
        while i < n, i - pos < 3 {
            let letter = b[i] | 0x20
            let flag: PythonStringFlags
            switch letter {
            case 0x72: flag = .raw  // r
            case 0x62: flag = .bytes  // b
            case 0x75: flag = .unicode  // u
            case 0x66: flag = .format  // f
            default: flag = []
            }
            if flag.isEmpty { break }
            if flags.contains(flag) { valid = false }
            flags.insert(flag)
            i += 1
        }
        if i < n, i > pos, b[i] == 0x22 || b[i] == 0x27, valid, isValidPrefix(flags) {
            scanString(start: start, flags: flags, quoteAt: i)
            return
        }
        scanNameRest(start)
    }

    /// The name starting at `start`, whose first byte is read.
    @inline(__always)
    private mutating func scanNameRest(_ start: Int) {
        // A local cursor: the loop keeps it in a register instead of storing `pos` per byte.
        var end = start + 1
        while end < n, isIdentifierContinue(b[end]) { end += 1 }
        pos = end
        emit(.name, start, end)
    }

    private func isValidPrefix(_ flags: PythonStringFlags) -> Bool {
        switch flags.prefixLength {
        case 1: return true
        case 2:
            return flags == [.raw, .bytes] || flags == [.raw, .format]
        default: return false
        }
    }

    private mutating func scanNumber() {
        let start = pos
        var bad = false
        if b[pos] == 0x30, pos + 1 < n, b[pos + 1] | 0x20 == 0x78 || b[pos + 1] | 0x20 == 0x6F || b[pos + 1] | 0x20 == 0x62 {
            let base = b[pos + 1] | 0x20
            pos += 2
            let digitsStart = pos
            while pos < n {
                let c = b[pos]
                let ok: Bool
                switch base {
                case 0x78: ok = isHexDigit(c)
                case 0x6F: ok = c >= 0x30 && c <= 0x37
                default: ok = c == 0x30 || c == 0x31
                }
                if ok {
                    pos += 1
                } else if c == 0x5F, pos + 1 < n, b[pos + 1] != 0x5F, isAlphanumeric(b[pos + 1]) {
                    pos += 1
                } else {
                    break
                }
            }
            if pos == digitsStart { bad = true }
        } else {
            if b[pos] != 0x2E { scanDecimalDigits() }
            if pos < n, b[pos] == 0x2E {
                pos += 1
                scanDecimalDigits()
            }
            if pos < n, b[pos] | 0x20 == 0x65 {
                if pos + 1 < n, isDigit(b[pos + 1]) {
                    pos += 1
                    scanDecimalDigits()
                } else if pos + 2 < n, b[pos + 1] == 0x2B || b[pos + 1] == 0x2D, isDigit(b[pos + 2]) {
                    pos += 2
                    scanDecimalDigits()
                }
            }
            if pos < n, b[pos] | 0x20 == 0x6A { pos += 1 }
        }
        if bad {
            emitError(.invalidNumber, start, pos)
        } else {
            emit(.number, start, pos)
        }
    }

    private mutating func scanDecimalDigits() {
        while pos < n {
            if isDigit(b[pos]) {
                pos += 1
            } else if b[pos] == 0x5F, pos + 1 < n, isDigit(b[pos + 1]) {
                pos += 2
            } else {
                break
            }
        }
    }

    private mutating func scanOperator(_ c: UInt8) {
        let start = pos
        let c1: UInt8 = pos + 1 < n ? b[pos + 1] : 0
        let c2: UInt8 = pos + 2 < n ? b[pos + 2] : 0
        var length = 1
        switch c {
        case 0x28, 0x5B, 0x7B:  // ( [ {
            parenDepth += 1
        case 0x29, 0x5D, 0x7D:  // ) ] }
            if let top = frames.last, top.kind == .field, parenDepth == top.depth {
                if c == 0x7D {
                    emit(.op, start, start + 1)
                    pos += 1
                    parenDepth -= 1
                    frames.removeLast()
                    return
                }
                emitError(.unmatchedBracket, start, start + 1)
                pos += 1
                return
            }
            if parenDepth == 0 {
                emitError(.unmatchedBracket, start, start + 1)
                pos += 1
                return
            }
            parenDepth -= 1
        case 0x3A:  // :
            if let top = frames.last, top.kind == .field, parenDepth == top.depth {
                emit(.op, start, start + 1)
                pos += 1
                frames.append(
                    Frame(kind: .formatSpec, quote: top.quote, triple: top.triple, raw: top.raw, depth: top.depth,
                          start: top.start))
                return
            }
            if c1 == 0x3D { length = 2 }
        case 0x2A, 0x2F, 0x3C, 0x3E:  // * / < >
            if c1 == c {
                length = c2 == 0x3D ? 3 : 2
            } else if c1 == 0x3D || (c == 0x3C && c1 == 0x3E) {
                length = 2
            }
        case 0x2D:  // -
            if c1 == 0x3D || c1 == 0x3E { length = 2 }
        case 0x2B, 0x25, 0x26, 0x5E, 0x7C, 0x40, 0x3D, 0x21:  // + % & ^ | @ = !
            if c1 == 0x3D { length = 2 }
        case 0x2C, 0x3B, 0x7E:  // , ; ~
            break
        default:
            emitError(.strayCharacter, start, start + 1)
            pos += 1
            return
        }
        emit(.op, start, start + length)
        pos += length
    }

    // MARK: Strings

    private mutating func scanString(start: Int, flags initial: PythonStringFlags, quoteAt: Int? = nil) {
        let q = quoteAt ?? start
        let quote = b[q]
        var flags = initial
        if quote == 0x22 { flags.insert(.doubleQuote) }
        let triple = q + 2 < n && b[q + 1] == quote && b[q + 2] == quote
        if triple { flags.insert(.triple) }
        pos = q + (triple ? 3 : 1)
        if flags.contains(.format) {
            emit(.fstringStart, start, pos, flags: flags)
            frames.append(
                Frame(kind: .fstring, quote: quote, triple: triple, raw: flags.contains(.raw), depth: parenDepth,
                      start: start))
            fstringNesting &+= 1
            return
        }
        if triple {
            scanTripleQuotedBody(start: start, quote: quote, flags: flags)
            return
        }
        var p = pos
        while p < n {
            let c = b[p]
            if c == 0x5C {
                p = pastEscape(p)
                continue
            }
            if c == quote {
                pos = p + 1
                emit(.string, start, pos, flags: flags)
                return
            }
            if c == 0x0A || c == 0x0D {
                pos = p
                emitError(.unterminatedString, start, p)
                return
            }
            p += 1
        }
        pos = n
        emitError(.unterminatedString, start, n)
    }

    /// Where a string's escape starting with the backslash at `slash` ends: past the byte
    /// after it, or past a CRLF.
    @inline(__always)
    private func pastEscape(_ slash: Int) -> Int {
        slash + ((slash + 2 < n && b[slash + 1] == 0x0D && b[slash + 2] == 0x0A) ? 3 : 2)
    }

    /// The rest of a triple-quoted string from `pos`. Docstrings are long and mostly plain
    /// text: the C library's vectorized `memchr` finds the candidate quotes, and backslashes
    /// are looked for only in the text before each one.
    private mutating func scanTripleQuotedBody(start: Int, quote: UInt8, flags: PythonStringFlags) {
        var p = pos
        while let q = ByteSearch.firstIndex(of: quote, in: b, from: p) {
            if let slash = ByteSearch.firstIndex(of: 0x5C, in: b, from: p, before: q) {
                // An escape: the byte after the backslash (or a CRLF) is skipped, maybe the quote.
                p = pastEscape(slash)
                continue
            }
            if q + 2 < n, b[q + 1] == quote, b[q + 2] == quote {
                pos = q + 3
                emit(.string, start, pos, flags: flags)
                return
            }
            p = q + 1
        }
        pos = n
        emitError(.unterminatedTripleQuotedString, start, n)
    }

    private func innermostFString() -> Int? {
        var i = frames.count - 1
        while i >= 0 {
            if frames[i].kind == .fstring { return i }
            i -= 1
        }
        return nil
    }

    /// Reports the f-string at `index` as unterminated and drops it and everything it encloses.
    private mutating func unterminatedFString(at index: Int, end: Int) {
        let frame = frames[index]
        emitError(.unterminatedFString, frame.start, max(frame.start, end))
        var fstrings = 0
        for f in frames[index...] where f.kind == .fstring { fstrings += 1 }
        frames.removeSubrange(index...)
        fstringNesting = fstringNesting >= UInt8(fstrings) ? fstringNesting - UInt8(fstrings) : 0
        parenDepth = frame.depth
    }

    /// Reads literal text of an f-string (or of a format spec when `spec`) up to the next field,
    /// the closing quote or the closing `}` of the spec.
    private mutating func scanFStringLiteral(spec: Bool) {
        guard let frame = frames.last else { return }
        let quote = frame.quote
        let triple = frame.triple
        var start = pos
        func flushMiddle(_ me: inout PythonScanner) {
            if me.pos > start { me.emit(.fstringMiddle, start, me.pos) }
        }
        while true {
            guard pos < n else {
                flushMiddle(&self)
                if let index = innermostFString() { unterminatedFString(at: index, end: n) }
                return
            }
            let c = b[pos]
            switch c {
            case quote:
                if triple && !(pos + 2 < n && b[pos + 1] == quote && b[pos + 2] == quote) {
                    pos += 1
                    continue
                }
                flushMiddle(&self)
                if spec {
                    // A quote inside a format spec closes the f-string before its field: recover there.
                    emitError(.unterminatedFString, pos, pos)
                    guard let index = innermostFString() else { return }
                    parenDepth = frames[index].depth
                    frames.removeSubrange((index + 1)...)
                }
                let length = triple ? 3 : 1
                fstringNesting = fstringNesting > 0 ? fstringNesting - 1 : 0
                frames.removeLast()
                emit(.fstringEnd, pos, pos + length)
                pos += length
                return
            case 0x0A, 0x0D:
                if !triple {
                    flushMiddle(&self)
                    if let index = innermostFString() { unterminatedFString(at: index, end: pos) }
                    return
                }
                pos += 1
            case 0x5C:
                let next: UInt8 = pos + 1 < n ? b[pos + 1] : 0
                if next == 0x7B || next == 0x7D {
                    pos += 1
                } else if !frame.raw, next == 0x4E, pos + 2 < n, b[pos + 2] == 0x7B {
                    // `\N{NAME}`: its braces are not a replacement field.
                    pos += 3
                    while pos < n, b[pos] != 0x7D, b[pos] != quote, b[pos] != 0x0A { pos += 1 }
                    if pos < n, b[pos] == 0x7D { pos += 1 }
                } else if next == 0x0D, pos + 2 < n, b[pos + 2] == 0x0A {
                    pos += 3
                } else {
                    pos = min(n, pos + 2)
                }
            case 0x7B:
                if !spec, pos + 1 < n, b[pos + 1] == 0x7B {
                    pos += 2
                    continue
                }
                flushMiddle(&self)
                emit(.op, pos, pos + 1)
                pos += 1
                parenDepth += 1
                frames.append(
                    Frame(kind: .field, quote: quote, triple: triple, raw: frame.raw, depth: parenDepth,
                          start: frame.start))
                return
            case 0x7D:
                if spec {
                    flushMiddle(&self)
                    emit(.op, pos, pos + 1)
                    pos += 1
                    parenDepth -= 1
                    frames.removeLast()  // the spec
                    if frames.last?.kind == .field { frames.removeLast() }
                    return
                }
                if pos + 1 < n, b[pos + 1] == 0x7D {
                    pos += 2
                    continue
                }
                flushMiddle(&self)
                emitError(.singleClosingBraceInFString, pos, pos + 1)
                pos += 1
                start = pos
            default:
                pos += 1
            }
        }
    }
}

// MARK: Byte classes

@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
@inline(__always) func isHexDigit(_ c: UInt8) -> Bool {
    isDigit(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66)
}
@inline(__always) func isAlphanumeric(_ c: UInt8) -> Bool {
    isDigit(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
}
/// Any non-ASCII byte may start an identifier: CPython accepts XID_Start characters, and we
/// would rather read an odd character as part of a name than stop on valid code.
@inline(__always) func isIdentifierStart(_ c: UInt8) -> Bool {
    (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == 0x5F || c >= 0x80
}
/// Names are the hottest loop of the tokenizer: one shift and mask per byte. Bits of
/// `identifierBytes0to63` and `identifierBytes64to127` are set for `0-9`, `A-Z`, `_`, `a-z`; every byte from 0x80 on
/// continues a name.
@inline(__always) func isIdentifierContinue(_ c: UInt8) -> Bool {
    c >= 0x80 || (c >= 0x40 ? (identifierBytes64to127 >> UInt64(c & 63)) & 1 != 0 : (identifierBytes0to63 >> UInt64(c)) & 1 != 0)
}
/// Bits 48…57: `0`…`9`.
private let identifierBytes0to63: UInt64 = 0x03FF_0000_0000_0000
/// Bits 1…26 (`A`…`Z`), 31 (`_`), 33…58 (`a`…`z`), counted from 0x40.
private let identifierBytes64to127: UInt64 = 0x07FF_FFFE_87FF_FFFE
