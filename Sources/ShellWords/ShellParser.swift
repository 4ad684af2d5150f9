import Spans

/// Dialect switches for ``ShellParser``.
public struct ShellParseOptions: Hashable, Sendable {
    /// Make recipe text: `$(X)`, `${X}` and `$X` are make references (even inside single quotes,
    /// since make expands before the shell runs) and `$$` is a `$` handed to the shell.
    public var makeRecipe: Bool
    /// Only blanks and newlines separate words: no operators, redirections, comments or
    /// here-documents (for `Environment=` lines, Dockerfile `ENV`, supervisord `command=`).
    public var wordsOnly: Bool
    /// `$` and backticks are text: systemd's `Environment=` expands neither.
    public var literalDollars: Bool

    public init(makeRecipe: Bool = false, wordsOnly: Bool = false, literalDollars: Bool = false) {
        self.makeRecipe = makeRecipe
        self.wordsOnly = wordsOnly
        self.literalDollars = literalDollars
    }
}

/// POSIX shell word splitting with byte spans. Nothing is expanded: references stay references.
///
/// The parser never traps; unterminated constructs give a diagnostic and run to the end of input.
public enum ShellParser {
    /// Splits `bytes` into simple commands; spans go through `map` into outer coordinates.
    public static func parse(
        _ bytes: [UInt8], map: ShellOffsetMap = .base(0), options: ShellParseOptions = ShellParseOptions()
    ) -> ShellScript {
        var lexer = ShellLexer(bytes: bytes, map: map, make: options.makeRecipe, wordsOnly: options.wordsOnly, literalDollars: options.literalDollars)
        lexer.parseScript()
        return lexer.script
    }

    /// Splits a sub-range of a file; spans are in the indices of the slice (the file's coordinates).
    public static func parse(_ slice: ArraySlice<UInt8>, options: ShellParseOptions = ShellParseOptions())
        -> ShellScript
    {
        parse(Array(slice), map: .base(slice.startIndex), options: options)
    }

    /// Splits a string, whose first byte sits at `baseOffset` in the outer file.
    public static func parse(_ text: String, baseOffset: Int = 0, options: ShellParseOptions = ShellParseOptions())
        -> ShellScript
    {
        parse(Array(text.utf8), map: .base(baseOffset), options: options)
    }
}

// MARK: - Lexer

private let space: UInt8 = 0x20
private let tab: UInt8 = 0x09
private let lf: UInt8 = 0x0A
private let cr: UInt8 = 0x0D
private let backslash: UInt8 = 0x5C
private let squote: UInt8 = 0x27
private let dquote: UInt8 = 0x22
private let dollar: UInt8 = 0x24
private let backtick: UInt8 = 0x60

@inline(__always) func isNameStart(_ c: UInt8) -> Bool {
    (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
}
@inline(__always) func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 0x30 && c <= 0x39) }
@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

/// Length of the UTF-8 sequence led by `c` (1 for stray continuation bytes).
@inline(__always) func utf8Length(_ c: UInt8) -> Int {
    if c < 0xC0 { return 1 }
    if c < 0xE0 { return 2 }
    if c < 0xF0 { return 3 }
    return 4
}

private let reservedAtStart: Set<String> = ["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time"]

/// Accumulates the parts of one word.
struct WordBuilder {
    var parts: [ShellWordPart] = []
    var pendingBytes: [UInt8] = []
    var pendingStart = 0  // outer
    var pendingEnd = 0  // outer
    var pendingQuoting: ShellWordPart.Quoting = .none
    var hasPending = false
    var pattern = false

    var pendingExact = true

    mutating func flush() {
        guard hasPending else { return }
        parts.append(
            ShellWordPart(
                kind: pendingExact ? .literal : .escaped, quoting: pendingQuoting,
                span: ByteSpan(pendingStart, pendingEnd), text: String(decoding: pendingBytes, as: UTF8.self)))
        pendingBytes.removeAll(keepingCapacity: true)
        hasPending = false
    }

    /// Appends one raw byte at outer offset `at`; merges with the previous literal when contiguous.
    mutating func raw(_ byte: UInt8, at: Int, quoting: ShellWordPart.Quoting) {
        raw(byte, at: at, end: at + 1, quoting: quoting)
    }

    /// Appends one byte that came from outer `at..<end`. A byte decoded from a longer sequence
    /// (end > at + 1) becomes part of an `.escaped` part, so literal parts stay byte-exact.
    mutating func raw(_ byte: UInt8, at: Int, end: Int, quoting: ShellWordPart.Quoting) {
        let exact = end == at + 1
        if hasPending {
            let joins = exact
                ? (pendingExact && pendingEnd == at && pendingQuoting == quoting)
                : (!pendingExact && pendingStart == at && pendingEnd == end && pendingQuoting == quoting)
            if !joins { flush() }
        }
        if !hasPending {
            hasPending = true
            pendingStart = at
            pendingQuoting = quoting
            pendingExact = exact
        }
        pendingBytes.append(byte)
        pendingEnd = end
    }

    /// ``raw(_:at:quoting:)`` for each of `bytes`, the first at outer `at`, the rest after it.
    mutating func raw(_ bytes: ArraySlice<UInt8>, at: Int, quoting: ShellWordPart.Quoting) {
        if hasPending, !(pendingExact && pendingEnd == at && pendingQuoting == quoting) { flush() }
        if !hasPending {
            hasPending = true
            pendingStart = at
            pendingQuoting = quoting
            pendingExact = true
        }
        pendingBytes.append(contentsOf: bytes)
        pendingEnd = at + bytes.count
    }

    mutating func add(_ part: ShellWordPart) {
        flush()
        parts.append(part)
    }

    mutating func finish(span: ByteSpan) -> ShellWord {
        flush()
        return ShellWord(span: span, parts: parts, hasUnquotedPattern: pattern)
    }
}

struct ShellLexer {
    let b: [UInt8]
    let n: Int
    let map: ShellOffsetMap
    let make: Bool
    let wordsOnly: Bool
    let literalDollars: Bool
    var i = 0
    var script = ShellScript()
    var pendingHeredocs: [(delimiter: [UInt8], quoted: Bool, strip: Bool, span: ByteSpan)] = []

    // current command
    var assignments: [ShellAssignment] = []
    var words: [ShellWord] = []
    var redirections: [ShellRedirection] = []
    var commandStart: Int? = nil  // outer
    var commandEnd = 0  // outer

    // What the current command runs inside (``ShellSimpleCommand/runsConditionally``): the
    // reserved words are dropped from the commands, so the nesting is counted as they go by.
    /// `if`, `while`, `until`, `for`, `case`, `select` and `{` not yet closed.
    var compoundDepth = 0
    /// `(` not yet closed (a subshell, or a function's `()` before its body).
    var parenDepth = 0
    /// What ended the last command: after `&&`, `||` or `|` the next one may not run, or runs
    /// in a pipeline's subshell.
    var lastSeparator = ShellSeparator.newline

    /// Each local byte is one outer byte at a constant distance (a file read as it is).
    let plainMap: Bool

    init(bytes: [UInt8], map: ShellOffsetMap, make: Bool, wordsOnly: Bool, literalDollars: Bool = false) {
        self.b = bytes
        self.n = bytes.count
        self.map = map
        self.plainMap = map.table == nil && map.endTable == nil
        self.make = make
        self.wordsOnly = wordsOnly
        self.literalDollars = literalDollars
    }

    @inline(__always) func o(_ local: Int) -> Int { map.outer(local) }
    @inline(__always) func span(_ s: Int, _ e: Int) -> ByteSpan { map.span(s, e) }
    @inline(__always) func at(_ k: Int) -> UInt8? { k < n && k >= 0 ? b[k] : nil }

    mutating func diagnose(_ s: Int, _ e: Int, _ message: String, expected: [String] = []) {
        script.diagnostics.append(SourceDiagnostic(span: span(s, max(e, s)), message: message, expected: expected))
    }

    mutating func note(_ sp: ByteSpan) {
        if commandStart == nil { commandStart = sp.start }
        commandEnd = max(commandEnd, sp.end)
    }

    mutating func finishCommand(_ sep: ShellSeparator) {
        if let start = commandStart {
            let conditional = compoundDepth > 0 || parenDepth > 0 || sep == .pipe || sep == .background
                || lastSeparator == .and || lastSeparator == .or || lastSeparator == .pipe
            script.commands.append(
                ShellSimpleCommand(
                    assignments: assignments, words: words, redirections: redirections,
                    span: ByteSpan(start, max(start, commandEnd)), terminator: sep, runsConditionally: conditional))
            // `for`, `case` and `select` are words of the command that opens them.
            if let first = words.first, !first.isQuoted {
                switch first.value {
                case "for", "case", "select": compoundDepth += 1
                case "esac": compoundDepth = max(0, compoundDepth - 1)
                default: break
                }
            }
        }
        // A line break after `&&` or `|` continues the list.
        if commandStart != nil || sep != .newline { lastSeparator = sep }
        switch sep {
        case .openParen: parenDepth += 1
        case .closeParen: parenDepth = max(0, parenDepth - 1)  // also a `case` pattern's `)`
        default: break
        }
        assignments = []
        words = []
        redirections = []
        commandStart = nil
        commandEnd = 0
    }

    /// Length of a line continuation (`\` + LF or CRLF) at `k`, or 0.
    @inline(__always) func continuation(_ k: Int) -> Int {
        guard at(k) == backslash else { return 0 }
        if at(k + 1) == lf { return 2 }
        if at(k + 1) == cr && at(k + 2) == lf { return 3 }
        return 0
    }

    mutating func parseScript() {
        while i < n {
            let c = b[i]
            if c == space || c == tab { i += 1; continue }
            let cont = continuation(i)
            if cont > 0 { i += cont; continue }
            if c == lf || (c == cr && at(i + 1) == lf) {
                i += c == cr ? 2 : 1
                finishCommand(.newline)
                readHeredocBodies()
                continue
            }
            if wordsOnly {
                readWordOrAssignment()
                continue
            }
            if c == 0x23 {  // '#': we are between words, so this starts a comment
                let s = i
                while i < n && b[i] != lf { i += 1 }
                var e = i
                if e > s && b[e - 1] == cr { e -= 1 }
                script.comments.append(span(s, e))
                continue
            }
            switch c {
            case 0x3B:  // ;
                if at(i + 1) == 0x3B { i += 2; finishCommand(.doubleSemicolon) } else { i += 1; finishCommand(.semicolon) }
                continue
            case 0x26:  // &
                if at(i + 1) == 0x26 { i += 2; finishCommand(.and); continue }
                if at(i + 1) == 0x3E { readRedirection(opStart: i, ioEnd: i); continue }
                i += 1
                finishCommand(.background)
                continue
            case 0x7C:  // |
                if at(i + 1) == 0x7C { i += 2; finishCommand(.or) } else {
                    i += at(i + 1) == 0x26 ? 2 : 1
                    finishCommand(.pipe)
                }
                continue
            case 0x28:
                i += 1
                finishCommand(.openParen)
                continue
            case 0x29:
                i += 1
                finishCommand(.closeParen)
                continue
            case 0x3C, 0x3E:
                readRedirection(opStart: i, ioEnd: i)
                continue
            default: break
            }
            if isDigit(c) {
                var k = i
                while k < n && isDigit(b[k]) { k += 1 }
                if at(k) == 0x3C || at(k) == 0x3E {
                    readRedirection(opStart: k, ioEnd: k, ioStart: i)
                    continue
                }
            }
            readWordOrAssignment()
        }
        finishCommand(.end)
        if let h = pendingHeredocs.first {
            script.diagnostics.append(
                SourceDiagnostic(span: h.span, message: "here-document has no body before the end of input"))
            pendingHeredocs = []
        }
    }

    mutating func readWordOrAssignment() {
        let start = i
        if !wordsOnly && words.isEmpty && isNameStart(b[i]) {
            var k = i
            while k < n && isNameChar(b[k]) { k += 1 }
            var append = false
            if at(k) == 0x2B && at(k + 1) == 0x3D { append = true }
            if at(k) == 0x3D || append {
                let name = String(decoding: b[i..<k], as: UTF8.self)
                let nameSpan = span(i, k)
                i = k + (append ? 2 : 1)
                let valueStart = i
                let value = readWord(allowTilde: false)
                let v = valueStart == i ? ShellWord.empty(at: o(valueStart)) : value
                let sp = ByteSpan(nameSpan.start, max(nameSpan.end, span(start, i).end))
                assignments.append(ShellAssignment(name: name, nameSpan: nameSpan, value: v, span: sp, isAppend: append))
                note(sp)
                return
            }
        }
        let word = readWord(allowTilde: true)
        if i == start {
            // Nothing consumed (should not happen); step over the byte so the loop always advances.
            i += 1
            return
        }
        if !wordsOnly && words.isEmpty && assignments.isEmpty && !word.isQuoted && reservedAtStart.contains(word.value) {
            switch word.value {
            case "if", "while", "until", "{": compoundDepth += 1
            case "fi", "done", "}": compoundDepth = max(0, compoundDepth - 1)
            default: break
            }
            return
        }
        words.append(word)
        note(word.span)
    }

    @inline(__always) func isWordEnd(_ k: Int) -> Bool {
        let c = b[k]
        if wordsOnly { return c == space || c == tab || c == lf || (c == cr && at(k + 1) == lf) }
        switch c {
        case space, tab, lf, 0x3B, 0x26, 0x7C, 0x28, 0x29, 0x3C, 0x3E: return true
        case cr: return at(k + 1) == lf
        default: return false
        }
    }

    /// Reads one word starting at `i`, stopping at an unquoted metacharacter.
    mutating func readWord(allowTilde: Bool) -> ShellWord {
        let start = i
        var w = WordBuilder()
        while i < n && !isWordEnd(i) {
            let c = b[i]
            switch c {
            case backslash:
                let cont = continuation(i)
                if cont > 0 { i += cont; continue }
                if i + 1 >= n {
                    w.raw(c, at: o(i), end: map.outerEnd(i), quoting: .none)
                    i += 1
                    continue
                }
                let len = min(utf8Length(b[i + 1]), n - i - 1)
                w.add(
                    ShellWordPart(
                        kind: .escaped, quoting: .none, span: span(i, i + 1 + len),
                        text: String(decoding: b[(i + 1)..<(i + 1 + len)], as: UTF8.self)))
                i += 1 + len
            case squote:
                readSingleQuoted(&w)
            case dquote:
                readDoubleQuoted(&w, openLength: 1)
            case dollar where literalDollars, backtick where literalDollars:
                w.raw(c, at: o(i), end: map.outerEnd(i), quoting: .none)
                i += 1
            case dollar:
                if !make && at(i + 1) == squote {
                    readAnsiC(&w)
                } else if !make && at(i + 1) == dquote {
                    i += 1
                    readDoubleQuoted(&w, openLength: 2)
                } else {
                    readDollar(&w, quoting: .none)
                }
            case backtick:
                readBacktick(&w)
            case 0x7E where allowTilde && i == start:
                var k = i + 1
                while k < n && (isNameChar(b[k]) || b[k] == 0x2D || b[k] == 0x2E || b[k] == 0x2B) { k += 1 }
                w.add(ShellWordPart(kind: .tilde, quoting: .none, span: span(i, k), text: String(decoding: b[i..<k], as: UTF8.self)))
                i = k
            case 0x2A, 0x3F, 0x5B:
                w.pattern = true
                w.raw(c, at: o(i), end: map.outerEnd(i), quoting: .none)
                i += 1
            case 0x7B:
                // Brace expansion needs a comma or `..` before the matching `}`.
                var k = i + 1
                while k < n && !isWordEnd(k) && b[k] != 0x7D { k += 1 }
                if k < n && b[k] == 0x7D {
                    let inner = b[(i + 1)..<k]
                    if inner.contains(0x2C) || (inner.count >= 2 && zip(inner, inner.dropFirst()).contains { $0 == 0x2E && $1 == 0x2E }) {
                        w.pattern = true
                    }
                }
                w.raw(c, at: o(i), end: map.outerEnd(i), quoting: .none)
                i += 1
            default:
                guard plainMap else {
                    w.raw(c, at: o(i), end: map.outerEnd(i), quoting: .none)
                    i += 1
                    continue
                }
                // The run of plain bytes at once: most of a script's words are such runs.
                var k = i + 1
                while k < n, !isWordEnd(k), !Self.startsConstruct(b[k]) { k += 1 }
                w.raw(b[i..<k], at: o(i), quoting: .none)
                i = k
            }
        }
        return w.finish(span: span(start, i))
    }

    /// A byte that the cases of ``readWord(allowTilde:)`` read other than as itself (a `~`
    /// only does so first in a word, never inside a run).
    @inline(__always) static func startsConstruct(_ c: UInt8) -> Bool {
        switch c {
        case 0x5C, 0x27, 0x22, 0x24, 0x60, 0x2A, 0x3F, 0x5B, 0x7B: true
        default: false
        }
    }

    mutating func readSingleQuoted(_ w: inout WordBuilder) {
        let open = i
        i += 1
        var closed = false
        while i < n {
            let c = b[i]
            if c == squote { closed = true; i += 1; break }
            if make && c == dollar {
                readDollar(&w, quoting: .single)
                continue
            }
            w.raw(c, at: o(i), end: map.outerEnd(i), quoting: .single)
            i += 1
        }
        if !closed { diagnose(open, n, "unterminated single-quoted string", expected: ["`'`"]) }
        // An empty '' still makes the word exist; an empty literal part records the quoting.
        if !closed || i - open == 2 {
            w.add(ShellWordPart(kind: .literal, quoting: .single, span: ByteSpan.empty(at: o(open + 1)), text: ""))
        }
    }

    mutating func readDoubleQuoted(_ w: inout WordBuilder, openLength: Int) {
        let open = i - (openLength - 1)
        i += 1
        let contentStart = i
        var closed = false
        while i < n {
            let c = b[i]
            if c == dquote { closed = true; i += 1; break }
            if c == backslash {
                let cont = continuation(i)
                if cont > 0 { i += cont; continue }
                if let next = at(i + 1), next == dollar || next == backtick || next == dquote || next == backslash {
                    w.add(
                        ShellWordPart(
                            kind: .escaped, quoting: .double, span: span(i, i + 2),
                            text: String(UnicodeScalar(next))))
                    i += 2
                    continue
                }
                w.raw(c, at: o(i), end: map.outerEnd(i), quoting: .double)
                i += 1
                continue
            }
            if c == dollar, !literalDollars { readDollar(&w, quoting: .double); continue }
            if c == backtick, !literalDollars { readBacktick(&w); continue }
            w.raw(c, at: o(i), end: map.outerEnd(i), quoting: .double)
            i += 1
        }
        if !closed { diagnose(open, n, "unterminated double-quoted string", expected: ["`\"`"]) }
        if i - contentStart <= 1 && closed {
            w.add(ShellWordPart(kind: .literal, quoting: .double, span: ByteSpan.empty(at: o(contentStart)), text: ""))
        }
    }

    /// Bash `$'…'`: backslash escapes are decoded; the value is literal.
    mutating func readAnsiC(_ w: inout WordBuilder) {
        let open = i
        i += 2
        var closed = false
        var any = false
        while i < n {
            let c = b[i]
            if c == squote { closed = true; i += 1; break }
            any = true
            if c == backslash, i + 1 < n {
                let s = i
                let e = b[i + 1]
                var k = i + 2
                var out: [UInt8] = []
                switch e {
                case 0x6E: out = [lf]
                case 0x74: out = [tab]
                case 0x72: out = [cr]
                case 0x61: out = [0x07]
                case 0x62: out = [0x08]
                case 0x65, 0x45: out = [0x1B]
                case 0x66: out = [0x0C]
                case 0x76: out = [0x0B]
                case 0x78:
                    var v = 0
                    var digits = 0
                    while digits < 2, let d = at(k), let h = hexValue(d) { v = v * 16 + h; k += 1; digits += 1 }
                    out = digits == 0 ? [backslash, e] : [UInt8(v)]
                case 0x30...0x37:
                    var v = Int(e - 0x30)
                    var digits = 1
                    while digits < 3, let d = at(k), d >= 0x30 && d <= 0x37 { v = v * 8 + Int(d - 0x30); k += 1; digits += 1 }
                    out = [UInt8(v & 0xFF)]
                case backslash, squote, dquote, 0x3F: out = [e]
                default: out = [backslash, e]
                }
                w.add(ShellWordPart(kind: .escaped, quoting: .ansiC, span: span(s, k), text: String(decoding: out, as: UTF8.self)))
                i = k
                continue
            }
            w.raw(c, at: o(i), end: map.outerEnd(i), quoting: .ansiC)
            i += 1
        }
        if !closed { diagnose(open, n, "unterminated $'…' string", expected: ["`'`"]) }
        if !any { w.add(ShellWordPart(kind: .literal, quoting: .ansiC, span: .empty(at: o(open + 2)), text: "")) }
    }

    func hexValue(_ d: UInt8) -> Int? {
        switch d {
        case 0x30...0x39: return Int(d - 0x30)
        case 0x41...0x46: return Int(d - 0x41 + 10)
        case 0x61...0x66: return Int(d - 0x61 + 10)
        default: return nil
        }
    }

    /// Index just past the `close` matching an `open` at `from - 1`, skipping quotes and escapes.
    func scanBalanced(from: Int, open: UInt8, close: UInt8) -> Int? {
        var depth = 1
        var k = from
        while k < n {
            let c = b[k]
            if c == backslash { k += 2; continue }
            if c == squote && open != 0x7B {
                k += 1
                while k < n && b[k] != squote { k += 1 }
                k += 1
                continue
            }
            if c == dquote {
                k += 1
                while k < n && b[k] != dquote {
                    if b[k] == backslash { k += 1 }
                    k += 1
                }
                k += 1
                continue
            }
            if c == open { depth += 1 } else if c == close {
                depth -= 1
                if depth == 0 { return k + 1 }
            }
            k += 1
        }
        return nil
    }

    mutating func readDollar(_ w: inout WordBuilder, quoting: ShellWordPart.Quoting) {
        let s = i
        if make {
            guard let next = at(i + 1) else {
                w.raw(dollar, at: o(i), end: map.outerEnd(i), quoting: quoting)
                i += 1
                return
            }
            if next == dollar {
                // `$$` reaches the shell as `$`: parse a shell reference from the second `$`.
                i += 1
                if quoting == .single {
                    w.raw(dollar, at: o(i), end: map.outerEnd(i), quoting: quoting)
                    i += 1
                    return
                }
                readShellDollar(&w, quoting: quoting, spanStart: s)
                return
            }
            if next == 0x28 || next == 0x7B {
                let close: UInt8 = next == 0x28 ? 0x29 : 0x7D
                guard let end = scanBalanced(from: i + 2, open: next, close: close) else {
                    diagnose(s, n, "unterminated make reference", expected: [close == 0x29 ? "`)`" : "`}`"])
                    w.add(ShellWordPart(kind: .makeVariable(""), quoting: .make, span: span(s, n), text: String(decoding: b[s..<n], as: UTF8.self)))
                    i = n
                    return
                }
                var k = i + 2
                while k < end - 1 && b[k] != space && b[k] != 0x3A && b[k] != tab { k += 1 }
                let name = String(decoding: b[(i + 2)..<k], as: UTF8.self)
                w.add(ShellWordPart(kind: .makeVariable(name), quoting: .make, span: span(s, end), text: String(decoding: b[s..<end], as: UTF8.self)))
                i = end
                return
            }
            if next == lf || next == space || next == tab {
                w.raw(dollar, at: o(i), end: map.outerEnd(i), quoting: quoting)
                i += 1
                return
            }
            let len = min(utf8Length(next), n - i - 1)
            w.add(
                ShellWordPart(
                    kind: .makeVariable(String(decoding: b[(i + 1)..<(i + 1 + len)], as: UTF8.self)), quoting: .make,
                    span: span(s, i + 1 + len), text: String(decoding: b[s..<(i + 1 + len)], as: UTF8.self)))
            i += 1 + len
            return
        }
        readShellDollar(&w, quoting: quoting, spanStart: s)
    }

    /// A shell `$` reference at `i` (the part's span starts at `spanStart`, before a make `$$`).
    mutating func readShellDollar(_ w: inout WordBuilder, quoting: ShellWordPart.Quoting, spanStart s: Int) {
        func text(_ e: Int) -> String { String(decoding: b[s..<e], as: UTF8.self) }
        guard let next = at(i + 1) else {
            w.raw(dollar, at: o(i), end: map.outerEnd(i), quoting: quoting)
            i += 1
            return
        }
        if next == 0x7B {
            guard let end = scanBalanced(from: i + 2, open: 0x7B, close: 0x7D) else {
                diagnose(s, n, "unterminated ${…} reference", expected: ["`}`"])
                w.add(ShellWordPart(kind: .variable(""), quoting: quoting, span: span(s, n), text: text(n)))
                i = n
                return
            }
            var k = i + 2
            if at(k) == 0x23 && k + 1 < end - 1 { k += 1 }  // ${#VAR}
            let nameStart = k
            if k < end - 1 && !isNameChar(b[k]) {
                k += 1  // ${@}, ${?}
            } else {
                while k < end - 1 && isNameChar(b[k]) { k += 1 }
            }
            let name = String(decoding: b[nameStart..<k], as: UTF8.self)
            w.add(ShellWordPart(kind: .variable(name), quoting: quoting, span: span(s, end), text: text(end)))
            i = end
            return
        }
        if next == 0x28 {
            if at(i + 2) == 0x28, let end = scanBalanced(from: i + 3, open: 0x28, close: 0x29), at(end) == 0x29 {
                w.add(ShellWordPart(kind: .arithmetic, quoting: quoting, span: span(s, end + 1), text: text(end + 1)))
                i = end + 1
                return
            }
            guard let end = scanBalanced(from: i + 2, open: 0x28, close: 0x29) else {
                diagnose(s, n, "unterminated $(…) command substitution", expected: ["`)`"])
                w.add(ShellWordPart(kind: .commandSubstitution, quoting: quoting, span: span(s, n), text: text(n)))
                i = n
                return
            }
            w.add(ShellWordPart(kind: .commandSubstitution, quoting: quoting, span: span(s, end), text: text(end)))
            i = end
            return
        }
        if isNameStart(next) {
            var k = i + 1
            while k < n && isNameChar(b[k]) { k += 1 }
            w.add(ShellWordPart(kind: .variable(String(decoding: b[(i + 1)..<k], as: UTF8.self)), quoting: quoting, span: span(s, k), text: text(k)))
            i = k
            return
        }
        switch next {
        case 0x30...0x39, 0x40, 0x2A, 0x23, 0x3F, 0x2D, dollar, 0x21:
            w.add(ShellWordPart(kind: .variable(String(UnicodeScalar(next))), quoting: quoting, span: span(s, i + 2), text: text(i + 2)))
            i += 2
        default:
            w.raw(dollar, at: o(i), end: map.outerEnd(i), quoting: quoting)
            i += 1
        }
    }

    mutating func readBacktick(_ w: inout WordBuilder) {
        let s = i
        var k = i + 1
        while k < n && b[k] != backtick {
            if b[k] == backslash { k += 1 }
            k += 1
        }
        if k >= n {
            diagnose(s, n, "unterminated backtick command substitution", expected: ["`` ` ``"])
            w.add(ShellWordPart(kind: .commandSubstitution, quoting: .none, span: span(s, n), text: String(decoding: b[s..<n], as: UTF8.self)))
            i = n
            return
        }
        w.add(ShellWordPart(kind: .commandSubstitution, quoting: .none, span: span(s, k + 1), text: String(decoding: b[s...k], as: UTF8.self)))
        i = k + 1
    }

    // MARK: Redirections and here-documents

    mutating func readRedirection(opStart: Int, ioEnd: Int, ioStart: Int? = nil) {
        let s = ioStart ?? opStart
        var k = opStart
        let c = b[k]
        k += 1
        var heredoc = false
        var strip = false
        if c == 0x26 {  // &> or &>>
            k += 1
            if at(k) == 0x3E { k += 1 }
        } else if c == 0x3C {
            if at(k) == 0x3C {
                k += 1
                if at(k) == 0x3C {
                    k += 1  // <<< here-string: the next word is the target
                } else {
                    heredoc = true
                    if at(k) == 0x2D { strip = true; k += 1 }
                }
            } else if at(k) == 0x26 || at(k) == 0x3E {
                k += 1
            }
        } else {  // >
            if at(k) == 0x3E || at(k) == 0x26 || at(k) == 0x7C { k += 1 }
        }
        let op = String(decoding: b[s..<k], as: UTF8.self)
        i = k
        while i < n && (b[i] == space || b[i] == tab || continuation(i) > 0) { i += max(1, continuation(i)) }
        var target: ShellWord? = nil
        if i < n && !isWordEnd(i) {
            target = readWord(allowTilde: true)
        } else {
            diagnose(s, k, "redirection without a target", expected: ["a word"])
        }
        let sp = span(s, i)
        redirections.append(ShellRedirection(op: op, span: sp, target: target))
        note(sp)
        if heredoc, let target {
            var delim: [UInt8] = Array(target.value.utf8)
            if delim.isEmpty && target.parts.isEmpty { delim = [] }
            pendingHeredocs.append((delim, target.isQuoted, strip, sp))
        }
    }

    mutating func readHeredocBodies() {
        while !pendingHeredocs.isEmpty {
            let h = pendingHeredocs.removeFirst()
            let bodyStart = i
            var found = false
            while i < n {
                let lineStart = i
                var e = i
                while e < n && b[e] != lf { e += 1 }
                var content = lineStart
                if h.strip { while content < e && b[content] == tab { content += 1 } }
                var lineEnd = e
                if lineEnd > content && b[lineEnd - 1] == cr { lineEnd -= 1 }
                i = e < n ? e + 1 : n
                if b[content..<lineEnd].elementsEqual(h.delimiter) {
                    script.heredocs.append(
                        ShellHeredoc(
                            delimiter: String(decoding: h.delimiter, as: UTF8.self), isQuoted: h.quoted,
                            stripsTabs: h.strip, bodySpan: span(bodyStart, lineStart)))
                    found = true
                    break
                }
            }
            if !found {
                script.diagnostics.append(
                    SourceDiagnostic(span: h.span, message: "here-document is not closed by its delimiter line"))
                script.heredocs.append(
                    ShellHeredoc(
                        delimiter: String(decoding: h.delimiter, as: UTF8.self), isQuoted: h.quoted,
                        stripsTabs: h.strip, bodySpan: span(bodyStart, n)))
            }
        }
    }
}
