import Spans

/// The shallow syntax of one Python file: imports, calls, assignments, dicts, `with` blocks,
/// functions and classes, each with its span and context.
///
/// Every list is in source order. Calls nested in arguments, f-string fields, decorators and
/// default values are listed too, so a rule can walk ``calls`` without descending into values.
public struct PythonModule: Sendable {
    public var tokens: [PythonToken]
    public var imports: [PythonImport]
    public var calls: [PythonCall]
    public var assignments: [PythonAssignment]
    public var dicts: [PythonDict]
    public var withBlocks: [PythonWith]
    public var functions: [PythonFunction]
    public var classes: [PythonClass]
    /// The bodies of lambdas, in source order: what they call runs when the lambda is called
    /// (a task's run, a state handler), not where it is written.
    public var lambdaBodies: [ByteSpan] = []
    /// The tokenizer's error tokens, as diagnostics (the parse goes on around them); read from
    /// ``tokens`` when asked, since most callers never ask.
    public var errors: [SourceDiagnostic] { Self.tokenErrors(tokens) }

    /// Tokenizes and parses `bytes`. Never fails: unreadable parts are skipped and reported in ``errors``.
    public static func parse(_ bytes: [UInt8]) -> PythonModule {
        parse(tokens: PythonTokenizer.tokenize(bytes), of: bytes)
    }

    /// Parses `bytes` from its tokens, already made by ``PythonTokenizer/tokenize(_:)-([UInt8])``.
    ///
    /// `needed`, given the byte range of a simple statement, a decorator, a compound
    /// statement's header or a `def` body, says whether the caller needs what is inside. What
    /// it does not need is stepped over whole and nothing inside is listed: not its calls,
    /// assignments, dicts, blocks, nested functions and classes, nor its imports (a def whose
    /// header is not needed is listed without parameters, one whose decorator is not needed
    /// without it). Class headers and module-level assignments are always read. The
    /// functions and blocks around keep the spans a full parse gives them.
    public static func parse(
        tokens: [PythonToken], of bytes: [UInt8], needed: ((ByteSpan) -> Bool)? = nil
    ) -> PythonModule {
        var parser = PythonParser(tokens: tokens, source: bytes)
        parser.needed = needed
        parser.parseModule()
        return PythonModule(
            tokens: tokens, imports: parser.imports,
            calls: parser.calls.sorted { ($0.span.start, -$0.span.end) < ($1.span.start, -$1.span.end) },
            assignments: parser.assignments,
            dicts: parser.dicts.sorted { $0.span < $1.span }, withBlocks: parser.withBlocks,
            functions: parser.functions, classes: parser.classes, lambdaBodies: parser.lambdaBodies.sorted { $0.start < $1.start })
    }

    /// The error tokens of a token list as diagnostics (what ``errors`` holds after a parse).
    public static func tokenErrors(_ tokens: [PythonToken]) -> [SourceDiagnostic] {
        tokens.filter { $0.kind == .error }.map(diagnostic)
    }

    /// The first of ``tokenErrors(_:)``, from the tokenizer's marks, without a walk over the tokens.
    public static func firstTokenError(_ tokens: [PythonToken], marks: PythonTokenMarks) -> SourceDiagnostic? {
        marks.firstError.map { diagnostic(tokens[$0]) }
    }

    /// The first token error as a reader wants it: the end of a file inside brackets is
    /// reported at the bracket left open, as CPython does ("'(' was never closed").
    public static func firstTokenError(_ tokens: [PythonToken], marks: PythonTokenMarks, in bytes: [UInt8]) -> SourceDiagnostic? {
        guard let index = marks.firstError else { return nil }
        guard tokens[index].error == .eofInMultiLineStatement, let open = unclosedBracket(tokens[..<index], in: bytes) else { return diagnostic(tokens[index]) }
        return SourceDiagnostic(span: open, message: "'\(Character(Unicode.Scalar(bytes[open.start])))' was never closed")
    }

    /// The innermost bracket no later closing bracket matches: the last one still open.
    static func unclosedBracket(_ tokens: ArraySlice<PythonToken>, in bytes: [UInt8]) -> ByteSpan? {
        var closers = 0
        for token in tokens.reversed() where token.kind == .op && token.span.length == 1 && token.span.start < bytes.count {
            switch bytes[token.span.start] {
            case 0x29, 0x5D, 0x7D: closers += 1
            case 0x28, 0x5B, 0x7B:
                if closers == 0 { return token.span }
                closers -= 1
            default: break
            }
        }
        return nil
    }

    private static func diagnostic(_ token: PythonToken) -> SourceDiagnostic {
        SourceDiagnostic(span: token.span, message: token.error.description)
    }

    /// Tokenizes and parses a source file's bytes.
    public static func parse(_ file: SourceFile) -> PythonModule { parse(file.bytes) }

    /// Resolves a dotted name through the module's imports (the last binding of each name wins).
    public func resolve(_ dottedName: String) -> String? {
        var table: [String: String] = [:]
        for entry in imports where !entry.boundName.isEmpty { table[entry.boundName] = entry.target }
        return PythonParser.resolve(dottedName, in: table)
    }
}

/// A recursive-descent reader over the significant tokens (no comments, NL or error tokens).
///
/// The helpers that only read (`cur`, `isOp`, `endOfLogicalLine`, …) are `mutating` too: a
/// non-mutating call from a mutating method copies this whole struct (its arrays retained)
/// on every call, which cost a sixth of the parse.
struct PythonParser {
    private let source: [UInt8]
    private let t: [PythonToken]
    private var i = 0
    private var lastEnd = 0
    private var bindings: [String: String] = [:]
    /// Bit `min(n, 63)` of `boundLengths[b]`: an import binds a name of `n` bytes starting
    /// with byte `b`. Most names the parser reads are turned away by it before any hashing.
    private var boundLengths = [UInt64](repeating: 0, count: 256)
    /// An import bound a name with a non-ASCII byte: `bindings` compares names by canonical
    /// equivalence (as Python does after NFKC), which other bytes can spell (`K` and the
    /// Kelvin sign), so then every name is looked up.
    private var boundNonASCII = false
    private var sawComprehension = false
    /// Recursion depth of expressions and blocks; past the limits the input is skipped flat,
    /// so that pathological nesting cannot overflow the stack.
    private var expressionNesting = 0
    private var blockNesting = 0
    /// While reading a `case` pattern: the token index where the pattern ends. Calls and dicts
    /// starting before it are patterns, not values.
    private var patternLimit = 0
    private static let maxExpressionNesting = 120
    private static let maxBlockNesting = 120

    var needed: ((ByteSpan) -> Bool)?
    var lambdaBodies: [ByteSpan] = []
    var imports: [PythonImport] = []
    var calls: [PythonCall] = []
    var assignments: [PythonAssignment] = []
    var dicts: [PythonDict] = []
    var withBlocks: [PythonWith] = []
    var functions: [PythonFunction] = []
    var classes: [PythonClass] = []

    /// Reads the tokenizer's whole list, stepping over comments, NL and error tokens as it
    /// goes: a filtered copy would cost a fifth of the parse.
    init(tokens: [PythonToken], source: [UInt8]) {
        self.source = source
        var tokens = tokens
        if tokens.last?.kind != .endMarker { tokens.append(PythonToken(kind: .endMarker, span: .empty(at: source.count))) }
        self.t = tokens
        i = nextSignificant(from: 0)
    }

    private static func isSignificant(_ kind: PythonTokenKind) -> Bool {
        kind != .comment && kind != .nl && kind != .error
    }

    /// The first significant token at or after `k` (the end marker at the latest).
    private mutating func nextSignificant(from k: Int) -> Int {
        var k = k
        while k < t.count - 1, !Self.isSignificant(t[k].kind) { k += 1 }
        return min(k, t.count - 1)
    }

    /// The last significant token before `k` (`k` itself when there is none).
    private mutating func previousSignificant(before k: Int) -> Int {
        var j = k - 1
        while j >= 0, !Self.isSignificant(t[j].kind) { j -= 1 }
        return j >= 0 ? j : k
    }

    static func resolve(_ dotted: String, in table: [String: String]) -> String? {
        guard !table.isEmpty else { return nil }
        // On the UTF-8 view: a name is resolved for every identifier the parser reads.
        guard let dot = dotted.utf8.firstIndex(of: 0x2E) else { return table[dotted] }
        guard let target = table[String(dotted[..<dot])] else { return nil }
        return target + dotted[dot...]
    }

    // MARK: Token access

    private var cur: PythonToken { mutating get { t[min(i, t.count - 1)] } }

    /// Whether an import may have bound `name` (see ``boundLengths``).
    private mutating func mayBeBound(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        if boundNonASCII || name.utf8.contains(where: { $0 >= 0x80 }) { return true }
        return boundLengths[Int(first)] & (1 << UInt64(min(name.utf8.count, 63))) != 0
    }
    /// The `k`-th significant token after the current one.
    private mutating func peek(_ k: Int) -> PythonToken {
        var j = i
        for _ in 0..<k { j = nextSignificant(from: j + 1) }
        return t[min(j, t.count - 1)]
    }
    private var atEnd: Bool { mutating get { cur.kind == .endMarker } }

    private mutating func advance() {
        guard i < t.count - 1 else { return }
        switch t[i].kind {
        case .newline, .indent, .dedent, .endMarker: break
        default: lastEnd = t[i].span.end
        }
        i = nextSignificant(from: i + 1)
    }

    private mutating func text(_ token: PythonToken) -> String {
        let span = token.span
        guard span.start >= 0, span.end <= source.count else { return "" }
        return String(decoding: source[span.start..<span.end], as: UTF8.self)
    }

    /// True when `token` is the one-byte or multi-byte operator `op`. One-byte operators,
    /// most of what the parser asks about, are one compare here (measured: `hasText`'s
    /// general loop costs a tenth of the parse).
    @inline(__always)
    private mutating func isOp(_ token: PythonToken, _ op: StaticString) -> Bool {
        guard token.kind == .op, token.span.length == op.utf8CodeUnitCount else { return false }
        if token.span.length == 1 { return token.span.start < source.count && source[token.span.start] == op.utf8Start.pointee }
        return token.hasText(op, in: source)
    }

    @inline(__always)
    private mutating func isKeyword(_ token: PythonToken, _ word: StaticString) -> Bool {
        token.kind == .name && token.span.length == word.utf8CodeUnitCount && token.hasText(word, in: source)
    }

    private static let keywords = KeywordList([
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
        "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
        "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ])

    private static let binaryKeywords = KeywordList(["and", "or", "not", "in", "is", "if", "else", "for", "async"])

    private mutating func isAny(_ token: PythonToken, _ words: KeywordList) -> Bool {
        token.kind == .name && words.contains(token.span, in: source)
    }

    private mutating func isReservedName(_ token: PythonToken) -> Bool { isAny(token, Self.keywords) }

    // MARK: Statements

    mutating func parseModule() {
        while !atEnd {
            let before = i
            parseStatement(PythonContext())
            if i == before { advance() }
        }
    }

    /// Parses statements until the DEDENT closing this block (consumed) or the end.
    private mutating func parseBlock(_ context: PythonContext) {
        while !atEnd {
            if cur.kind == .dedent {
                advance()
                return
            }
            let before = i
            parseStatement(context)
            if i == before { advance() }
        }
    }

    private mutating func parseStatement(_ context: PythonContext) {
        switch cur.kind {
        case .newline, .indent, .dedent:
            advance()
            return
        default: break
        }
        if needed != nil, skipUnneededSimpleStatement(context) { return }
        let start = cur.span.start
        var decorators: [PythonExpression] = []
        while isOp(cur, "@") {
            if skipUnneededLine() { continue }
            advance()
            decorators.append(parseExpression(context))
            skipToEndOfLine()
        }
        var isAsync = false
        if isKeyword(cur, "async"), isKeyword(peek(1), "def") || isKeyword(peek(1), "with") || isKeyword(peek(1), "for") {
            isAsync = true
            advance()
        }
        let token = cur
        if isKeyword(token, "def") {
            parseFunction(context, start: start, decorators: decorators, isAsync: isAsync)
        } else if isKeyword(token, "class") {
            parseClass(context, start: start, decorators: decorators)
        } else if isKeyword(token, "with") {
            parseWith(context, start: start, isAsync: isAsync)
        } else if isCompoundKeyword(token), let colon = unneededHeader() {
            stepOverHeader(to: colon)
            _ = parseBody(context)
        } else if isCompoundKeyword(token) {
            // A `case` pattern like `Point(x=0)` or `{"k": v}` matches; it calls and builds nothing.
            // Its guard (`case p if cond:`) is an ordinary expression.
            if isKeyword(token, "case") { patternLimit = caseGuardIndex() }
            advance()
            parseHeader(context)
            patternLimit = 0
            _ = parseBody(context)
        } else {
            parseSimpleStatements(context)
        }
    }

    /// Steps over the simple statement (a whole logical line) starting here when ``needed``
    /// does not need it, leaving `lastEnd` where its parse would. Assignments at module level
    /// are always read: they give values to names used elsewhere.
    private mutating func skipUnneededSimpleStatement(_ context: PythonContext) -> Bool {
        let token = cur
        if isOp(token, "@") || isCompoundKeyword(token) || isAny(token, Self.blockKeywords) { return false }
        if context.function == nil, context.classIndex == nil, firstTopLevel("=") != nil { return false }
        return skipUnneededLine()
    }

    /// The first operator `op` outside brackets on the logical line from here
    /// (`def f(): if x:` has two `:`; `cfg.x = NAME = …` assigns at module level).
    private mutating func firstTopLevel(_ op: StaticString) -> Int? {
        var depth = 0
        var k = i
        while k < t.count, t[k].kind != .newline, t[k].kind != .endMarker {
            if t[k].kind == .op, t[k].span.length == 1 {
                switch source[t[k].span.start] {
                case 0x28, 0x5B, 0x7B: depth += 1
                case 0x29, 0x5D, 0x7D: depth -= 1
                default: break
                }
            }
            if depth == 0, isOp(t[k], op) { return k }
            k += 1
        }
        return nil
    }

    private static let blockKeywords = KeywordList(["def", "class", "with", "async"])

    /// Steps over the logical line starting here (a simple statement or a decorator) when
    /// ``needed`` does not need it, leaving `lastEnd` where its parse would.
    private mutating func skipUnneededLine() -> Bool {
        guard let needed, let k = endOfLogicalLine() else { return false }
        let last = previousSignificant(before: k)
        guard last >= i, last < k, !needed(ByteSpan(cur.span.start, t[last].span.end)) else { return false }
        lastEnd = t[last].span.end
        i = k
        advance()
        return true
    }

    private static let compoundKeywords = KeywordList(["if", "elif", "else", "while", "for", "try", "except", "finally"])

    /// Asked at the start of every statement: compared on bytes, no `String` made.
    private mutating func isCompoundKeyword(_ token: PythonToken) -> Bool {
        guard token.kind == .name else { return false }
        if isAny(token, Self.compoundKeywords) { return true }
        if isKeyword(token, "match") || isKeyword(token, "case") { return logicalLineEndsWithColon() }
        return false
    }

    /// The index of the top-level `if` of a `case` line (its guard), or of the line's end.
    private mutating func caseGuardIndex() -> Int {
        var depth = 0
        var k = i + 1
        while k < t.count, t[k].kind != .newline, t[k].kind != .endMarker {
            if t[k].kind == .op, t[k].span.length == 1 {
                let c = source[t[k].span.start]
                if c == 0x28 || c == 0x5B || c == 0x7B { depth += 1 }
                if c == 0x29 || c == 0x5D || c == 0x7D { depth -= 1 }
                if depth == 0, c == 0x3A { return k }
            }
            if depth == 0, isKeyword(t[k], "if") { return k }
            k += 1
        }
        return k
    }

    /// Soft keywords `match`/`case` start a compound statement only when their line ends with `:`.
    private mutating func logicalLineEndsWithColon() -> Bool {
        var k = nextSignificant(from: i + 1)
        guard k < t.count, t[k].kind != .newline, !isOp(t[k], "="), !isOp(t[k], "."), !isOp(t[k], ",") else {
            return false
        }
        while k < t.count, t[k].kind != .newline, t[k].kind != .endMarker { k += 1 }
        return k > 0 && isOp(t[previousSignificant(before: k)], ":")
    }

    private mutating func parseHeader(_ context: PythonContext) {
        while !atEnd, cur.kind != .newline, !isOp(cur, ":") {
            let before = i
            _ = parseExpression(context)
            if i == before { advance() }
        }
    }

    /// Parses `: body` and returns the body's span. A `skippable` indented body is stepped
    /// over when ``needed`` says so.
    private mutating func parseBody(_ context: PythonContext, skippable: Bool = false) -> ByteSpan {
        if isOp(cur, ":") { advance() }
        if cur.kind == .newline {
            advance()
            guard cur.kind == .indent else { return .empty(at: lastEnd) }
            advance()
            let bodyStart = cur.span.start
            if skippable, let needed, let dedent = closingDedent() {
                if !needed(ByteSpan(bodyStart, max(bodyStart, t[dedent].span.start))) {
                    // What a parse would leave behind: the last real token's end, the DEDENT consumed.
                    for k in stride(from: dedent - 1, through: i, by: -1) {
                        switch t[k].kind {
                        case .newline, .indent, .dedent, .comment, .nl, .error: continue
                        default: lastEnd = t[k].span.end
                        }
                        break
                    }
                    i = dedent
                    advance()
                    return ByteSpan(bodyStart, max(bodyStart, lastEnd))
                }
            }
            if blockNesting >= Self.maxBlockNesting {
                var depth = 1
                while !atEnd, depth > 0 {
                    if cur.kind == .indent { depth += 1 }
                    if cur.kind == .dedent { depth -= 1 }
                    advance()
                }
                return ByteSpan(bodyStart, max(bodyStart, lastEnd))
            }
            blockNesting += 1
            parseBlock(context)
            blockNesting -= 1
            return ByteSpan(bodyStart, max(bodyStart, lastEnd))
        }
        let bodyStart = cur.span.start
        parseSimpleStatements(context)
        return ByteSpan(bodyStart, max(bodyStart, lastEnd))
    }

    /// For a compound statement header from the current token to its line's final `:`, when
    /// ``needed`` does not need it: the index of that `:`. Nil for a header with its body on
    /// the same line.
    private mutating func unneededHeader() -> Int? {
        guard let needed, let k = endOfLogicalLine() else { return nil }
        let colon = previousSignificant(before: k)
        guard colon > i, colon < k, isOp(t[colon], ":"), firstTopLevel(":") == colon,
            !needed(ByteSpan(cur.span.start, t[colon].span.end))
        else { return nil }
        return colon
    }

    /// The index of the NEWLINE ending the logical line that starts here; nil when a block
    /// boundary or the end comes first (broken input, read the ordinary way).
    private mutating func endOfLogicalLine() -> Int? {
        var k = i
        while t[k].kind != .newline {
            switch t[k].kind {
            case .indent, .dedent, .endMarker: return nil
            default: k += 1
            }
        }
        return k
    }

    /// Moves to the `:` of a header not needed, leaving `lastEnd` where its parse would.
    private mutating func stepOverHeader(to colon: Int) {
        lastEnd = t[previousSignificant(before: colon)].span.end
        i = colon
    }

    /// The index of the DEDENT that closes the block whose first token is the current one.
    private mutating func closingDedent() -> Int? {
        var depth = 1
        var k = i
        while k < t.count {
            switch t[k].kind {
            case .indent: depth += 1
            case .dedent:
                depth -= 1
                if depth == 0 { return k }
            case .endMarker: return nil
            default: break
            }
            k += 1
        }
        return nil
    }

    private mutating func skipToEndOfLine() {
        while !atEnd, cur.kind != .newline { advance() }
        if cur.kind == .newline { advance() }
    }

    private mutating func parseFunction(
        _ context: PythonContext, start: Int, decorators: [PythonExpression], isAsync: Bool
    ) {
        let unneeded = unneededHeader()
        advance()  // def
        guard cur.kind == .name else {
            skipToEndOfLine()
            return
        }
        let nameToken = cur
        advance()
        var parameters: [PythonParameter] = []
        if let colon = unneeded {
            // Parameters matter only with a default a fact can start from.
            stepOverHeader(to: colon)
        } else if isOp(cur, "(") {
            advance()
            while !atEnd, !isOp(cur, ")"), cur.kind != .newline {
                let before = i
                var kind = PythonParameter.Kind.normal
                let paramStart = cur.span.start
                if isOp(cur, "*") {
                    kind = .varArgs
                    advance()
                } else if isOp(cur, "**") {
                    kind = .keywordArgs
                    advance()
                }
                if cur.kind == .name {
                    let name = text(cur)
                    advance()
                    var annotation: PythonExpression?
                    var defaultValue: PythonExpression?
                    if isOp(cur, ":") {
                        advance()
                        annotation = parseExpression(context)
                    }
                    if isOp(cur, "=") {
                        advance()
                        defaultValue = parseExpression(context)
                    }
                    parameters.append(
                        PythonParameter(
                            name: name, kind: kind, span: ByteSpan(paramStart, lastEnd), annotation: annotation,
                            defaultValue: defaultValue))
                }
                if isOp(cur, ",") || isOp(cur, "/") { advance() }
                if i == before { advance() }
            }
            if isOp(cur, ")") { advance() }
        }
        if unneeded == nil, isOp(cur, "->") {
            advance()
            _ = parseExpression(context)
        }
        let index = functions.count
        functions.append(
            PythonFunction(
                name: text(nameToken), nameSpan: nameToken.span, decorators: decorators, parameters: parameters,
                isAsync: isAsync, span: ByteSpan(start, lastEnd), bodySpan: .empty(at: lastEnd), context: context))
        var inner = context
        inner.function = index
        let body = parseBody(inner, skippable: needed != nil)
        functions[index].bodySpan = body
        functions[index].span = ByteSpan(start, max(body.end, lastEnd))
    }

    private mutating func parseClass(_ context: PythonContext, start: Int, decorators: [PythonExpression]) {
        advance()  // class
        guard cur.kind == .name else {
            skipToEndOfLine()
            return
        }
        let nameToken = cur
        advance()
        var bases: [PythonArgument] = []
        if isOp(cur, "(") {
            advance()
            bases = parseArguments(context)
        }
        let index = classes.count
        classes.append(
            PythonClass(
                name: text(nameToken), nameSpan: nameToken.span, decorators: decorators, bases: bases,
                span: ByteSpan(start, lastEnd), bodySpan: .empty(at: lastEnd), context: context))
        var inner = context
        inner.classIndex = index
        let body = parseBody(inner)
        classes[index].bodySpan = body
        classes[index].span = ByteSpan(start, max(body.end, lastEnd))
    }

    private mutating func parseWith(_ context: PythonContext, start: Int, isAsync: Bool) {
        var items: [PythonWithItem] = []
        if let colon = unneededHeader() {
            // Only flows' `with` blocks have items that matter, and their headers are needed;
            // the block is still recorded: a statement's place in it is the same either way.
            stepOverHeader(to: colon)
        } else {
            items = parseWithItems(context)
        }
        let index = withBlocks.count
        withBlocks.append(
            PythonWith(
                items: items, isAsync: isAsync, span: ByteSpan(start, lastEnd), bodySpan: .empty(at: lastEnd),
                context: context))
        var inner = context
        inner.withBlock = index
        let body = parseBody(inner)
        withBlocks[index].bodySpan = body
        withBlocks[index].span = ByteSpan(start, max(body.end, lastEnd))
    }

    /// The items of a `with` header, from `with` to its `:`.
    private mutating func parseWithItems(_ context: PythonContext) -> [PythonWithItem] {
        advance()  // with
        var items: [PythonWithItem] = []
        var closeParen = false
        // `with (a as b, c as d):` (3.10) versus `with (a) as b:`: look at what follows the `)`.
        if isOp(cur, "("), let close = matchingClose(from: i), isOp(t[nextSignificant(from: close + 1)], ":") {
            var hasAs = false
            var depth = 0
            for k in (i + 1)..<close {
                if t[k].kind == .op, t[k].span.length == 1 {
                    let c = source[t[k].span.start]
                    if c == 0x28 || c == 0x5B || c == 0x7B { depth += 1 }
                    if c == 0x29 || c == 0x5D || c == 0x7D { depth -= 1 }
                }
                if depth == 0, isKeyword(t[k], "as") { hasAs = true }
            }
            if hasAs {
                advance()
                closeParen = true
            }
        }
        while !atEnd, cur.kind != .newline, !isOp(cur, ":") {
            let before = i
            if closeParen, isOp(cur, ")") {
                advance()
                continue
            }
            let expr = parseExpression(context)
            var target: PythonExpression?
            if isKeyword(cur, "as") {
                advance()
                target = parseExpression(context)
            }
            items.append(PythonWithItem(context: expr, target: target))
            if isOp(cur, ",") { advance() }
            if i == before { advance() }
        }
        return items
    }

    /// The index of the bracket closing the one at `open`, if it is on the same logical line.
    private mutating func matchingClose(from open: Int) -> Int? {
        var depth = 0
        var k = open
        while k < t.count, t[k].kind != .newline, t[k].kind != .endMarker {
            if t[k].kind == .op, t[k].span.length == 1 {
                let c = source[t[k].span.start]
                if c == 0x28 || c == 0x5B || c == 0x7B { depth += 1 }
                if c == 0x29 || c == 0x5D || c == 0x7D {
                    depth -= 1
                    if depth == 0 { return k }
                }
            }
            k += 1
        }
        return nil
    }

    private mutating func parseSimpleStatements(_ context: PythonContext) {
        while !atEnd {
            let before = i
            parseSmallStatement(context)
            if isOp(cur, ";") {
                advance()
                if cur.kind == .newline {
                    advance()
                    return
                }
                continue
            }
            if cur.kind == .newline {
                advance()
                return
            }
            if cur.kind == .dedent || cur.kind == .indent { return }
            // Something the shallow grammar does not know: skip it, keep the rest of the line.
            if i == before { advance() }
            if cur.kind != .newline, !isOp(cur, ";") { advance() }
        }
    }

    private mutating func parseSmallStatement(_ context: PythonContext) {
        let token = cur
        let start = token.span.start
        // A docstring or other bare string: nothing to record, and half of a module's string
        // bytes. (A bare f-string is parsed: its fields may hold calls.)
        if token.kind == .string {
            var k = i
            while t[k].kind == .string, k < t.count - 1 { k = nextSignificant(from: k + 1) }
            if t[k].kind == .newline || t[k].kind == .endMarker || (t[k].kind == .op && isOp(t[k], ";")) {
                while i < k { advance() }
                return
            }
        }
        if isKeyword(token, "import") {
            parseImport(context, start: start)
            return
        }
        if isKeyword(token, "from") {
            parseFromImport(context, start: start)
            return
        }
        if token.kind == .name, isReservedName(token) {
            switch text(token) {
            case "pass", "break", "continue":
                advance()
                return
            case "return", "del", "raise", "assert", "global", "nonlocal":
                advance()
                _ = parseExpressionList(context)
                return
            default:
                break
            }
        }
        let first = parseExpressionList(context)
        if isOp(cur, "=") {
            var targets = [first]
            var value: PythonExpression?
            while isOp(cur, "=") {
                advance()
                let next = parseExpressionList(context)
                if let v = value { targets.append(v) }
                value = next
            }
            assignments.append(
                PythonAssignment(
                    targets: targets, op: "=", annotation: nil, value: value, span: ByteSpan(start, lastEnd),
                    context: context))
        } else if isOp(cur, ":") {
            advance()
            let annotation = parseExpression(context)
            var value: PythonExpression?
            if isOp(cur, "=") {
                advance()
                value = parseExpressionList(context)
            }
            assignments.append(
                PythonAssignment(
                    targets: [first], op: ":", annotation: annotation, value: value, span: ByteSpan(start, lastEnd),
                    context: context))
        } else if cur.isAugmentedAssignment(in: source) {
            let op = text(cur)
            advance()
            let value = parseExpressionList(context)
            assignments.append(
                PythonAssignment(
                    targets: [first], op: op, annotation: nil, value: value, span: ByteSpan(start, lastEnd),
                    context: context))
        }
    }

    // MARK: Imports

    private mutating func dottedName() -> (String, ByteSpan)? {
        guard cur.kind == .name else { return nil }
        let start = cur.span.start
        let first = i
        var written = cur.span.length
        advance()
        while isOp(cur, "."), peek(1).kind == .name {
            advance()
            written += 1 + cur.span.length
            advance()
        }
        // Written without spaces or comments between its parts (nearly always), the name is
        // its bytes: one string, not one per part.
        if lastEnd - start == written, lastEnd <= source.count {
            return (String(decoding: source[start..<lastEnd], as: UTF8.self), ByteSpan(start, lastEnd))
        }
        var parts: [String] = []
        for k in first..<i where t[k].kind == .name { parts.append(text(t[k])) }
        return (parts.joined(separator: "."), ByteSpan(start, lastEnd))
    }

    private mutating func parseImport(_ context: PythonContext, start: Int) {
        advance()  // import
        let first = imports.count
        while let (module, span) = dottedName() {
            var alias: String?
            if isKeyword(cur, "as"), peek(1).kind == .name {
                advance()
                alias = text(cur)
                advance()
            }
            let head = module.utf8.firstIndex(of: 0x2E).map { String(module[..<$0]) } ?? module
            imports.append(
                PythonImport(
                    module: module, level: 0, name: nil, alias: alias, boundName: alias ?? head,
                    target: alias == nil ? head : module, span: ByteSpan(span.start, lastEnd),
                    statementSpan: .empty(at: start), context: context))
            guard isOp(cur, ",") else { break }
            advance()
        }
        record(from: first, statement: ByteSpan(start, lastEnd))
    }

    private mutating func parseFromImport(_ context: PythonContext, start: Int) {
        advance()  // from
        var level = 0
        while isOp(cur, ".") || isOp(cur, "...") {
            level += cur.span.length
            advance()
        }
        var module = ""
        if !isKeyword(cur, "import"), let (name, _) = dottedName() { module = name }
        guard isKeyword(cur, "import") else { return }
        advance()
        let parenthesized = isOp(cur, "(")
        if parenthesized { advance() }
        let base = level == 0 ? module : String(repeating: ".", count: level) + module
        let first = imports.count
        while true {
            let nameStart = cur.span.start
            var name: String
            if isOp(cur, "*") {
                name = "*"
            } else if cur.kind == .name {
                name = text(cur)
            } else {
                break
            }
            advance()
            var alias: String?
            if isKeyword(cur, "as"), peek(1).kind == .name {
                advance()
                alias = text(cur)
                advance()
            }
            let target = base.isEmpty || base.hasSuffix(".") ? base + name : base + "." + name
            imports.append(
                PythonImport(
                    module: module, level: level, name: name, alias: alias,
                    boundName: name == "*" ? "" : (alias ?? name), target: target,
                    span: ByteSpan(nameStart, lastEnd), statementSpan: .empty(at: start), context: context))
            guard isOp(cur, ",") else { break }
            advance()
        }
        if parenthesized, isOp(cur, ")") { advance() }
        record(from: first, statement: ByteSpan(start, lastEnd))
    }

    /// Completes the imports of one statement, `imports[first...]`: its span, and the names
    /// they bind (after the whole statement, as Python binds them).
    private mutating func record(from first: Int, statement: ByteSpan) {
        for k in first..<imports.count {
            imports[k].statementSpan = statement
            let boundName = imports[k].boundName
            guard !boundName.isEmpty else { continue }
            bindings[boundName] = imports[k].target
            let initial = boundName.utf8.first ?? 0
            boundLengths[Int(initial)] |= 1 << UInt64(min(boundName.utf8.count, 63))
            if boundName.utf8.contains(where: { $0 >= 0x80 }) { boundNonASCII = true }
        }
    }

    // MARK: Expressions

    /// True at a token that ends an expression in every context the shallow grammar knows.
    private mutating func atTerminator() -> Bool {
        let token = cur
        switch token.kind {
        case .newline, .endMarker, .indent, .dedent, .fstringMiddle, .fstringEnd: return true
        case .name: return isKeyword(token, "as")
        case .op:
            let length = token.span.length
            let c = source[token.span.start]
            if length == 1 {
                switch c {
                case 0x2C, 0x29, 0x5D, 0x7D, 0x3A, 0x3D, 0x3B, 0x21: return true  // , ) ] } : = ; !
                default: return false
                }
            }
            if isOp(token, "->") { return true }
            return token.isAugmentedAssignment(in: source)
        default: return false
        }
    }

    private mutating func isBinaryOperator(_ token: PythonToken) -> Bool {
        switch token.kind {
        case .op:
            if isOp(token, ":=") { return true }
            if token.span.length == 1 {
                switch source[token.span.start] {
                case 0x2B, 0x2D, 0x2A, 0x2F, 0x25, 0x40, 0x26, 0x7C, 0x5E, 0x3C, 0x3E: return true
                default: return false
                }
            }
            // ** // << >> <= >= == != <>
            return !token.isAugmentedAssignment(in: source) && !isOp(token, "->") && !isOp(token, "...")
        case .name:
            return isAny(token, Self.binaryKeywords)
        default: return false
        }
    }

    /// A comma-separated expression list; two or more elements (or a trailing comma) make a tuple.
    private mutating func parseExpressionList(_ context: PythonContext) -> PythonExpression {
        let start = cur.span.start
        let first = parseExpression(context)
        guard isOp(cur, ",") else { return first }
        var elements = [first]
        while isOp(cur, ",") {
            advance()
            if atTerminator() { break }
            let before = i
            elements.append(parseExpression(context))
            if i == before { break }
        }
        return .sequence(PythonSequence(kind: .tuple, elements: elements, span: ByteSpan(start, lastEnd)))
    }

    private mutating func parseExpression(_ context: PythonContext) -> PythonExpression {
        let start = cur.span.start
        if expressionNesting >= Self.maxExpressionNesting { return skipExpression() }
        expressionNesting += 1
        defer { expressionNesting -= 1 }
        var units = 0
        var single: PythonExpression?
        // The operands while every operator between them is a binary `+`, for
        // ``PythonExpression/sum(operands:span:)``: the first kept apart, so that the usual
        // expression of one operand allocates no list.
        var isSum = true
        var addendCount = 0
        var firstAddend: PythonExpression?
        var addends: [PythonExpression] = []
        var lambdaBodyStart: Int?
        defer { if let lambdaBodyStart { lambdaBodies.append(ByteSpan(lambdaBodyStart, max(lambdaBodyStart, lastEnd))) } }
        while !atEnd {
            // Prefix operators and keywords make the expression "other" but we keep reading for calls.
            while true {
                let token = cur
                if token.kind == .op, token.span.length <= 2,
                    isOp(token, "-") || isOp(token, "+") || isOp(token, "~") || isOp(token, "*") || isOp(token, "**")
                {
                    advance()
                    units += 1
                } else if isKeyword(token, "not") || isKeyword(token, "await") || isKeyword(token, "in")
                    || isKeyword(token, "is")
                {
                    // `in` after `not` and `not` after `is` arrive here as the second half of an operator.
                    advance()
                    units += 1
                } else if isKeyword(token, "yield") {
                    advance()
                    units += 1
                    if isKeyword(cur, "from") { advance() }
                } else if isKeyword(token, "lambda") {
                    advance()
                    units += 1
                    skipLambdaParameters(context)
                    // The body is the rest of this expression: a lambda binds loosest.
                    if lambdaBodyStart == nil { lambdaBodyStart = cur.span.start }
                } else {
                    break
                }
            }
            if atTerminator() { break }
            let before = i
            single = parsePrimary(context)
            units += 1
            if i == before {
                advance()
                isSum = false
            }
            if isSum, let operand = single, addendCount == units / 2 {
                if addendCount == 0 {
                    firstAddend = operand
                } else {
                    if let firstAddend, addends.isEmpty { addends.append(firstAddend) }
                    addends.append(operand)
                }
                addendCount += 1
            } else {
                isSum = false
            }
            if isBinaryOperator(cur) {
                if isKeyword(cur, "for") { sawComprehension = true }
                if !isOp(cur, "+") { isSum = false }
                advance()
                units += 1
                // `x if c else y`, `a for b in c`: keep reading the following operand.
                continue
            }
            break
        }
        if units == 1, let single { return single }
        let span = ByteSpan(start, max(start, lastEnd))
        if isSum, addendCount >= 2, units == 2 * addendCount - 1 { return .sum(operands: addends, span: span) }
        return .other(span)
    }

    /// Consumes one expression without looking inside it (brackets balanced), for too-deep input.
    private mutating func skipExpression() -> PythonExpression {
        let start = cur.span.start
        var depth = 0
        while !atEnd {
            if depth == 0, atTerminator() { break }
            if cur.kind == .newline || cur.kind == .indent || cur.kind == .dedent { break }
            if isOp(cur, "(") || isOp(cur, "[") || isOp(cur, "{") { depth += 1 }
            if isOp(cur, ")") || isOp(cur, "]") || isOp(cur, "}") { depth -= 1 }
            advance()
        }
        return .other(ByteSpan(start, max(start, lastEnd)))
    }

    /// Steps over lambda parameters up to their `:`, reading default values for the calls they hold.
    private mutating func skipLambdaParameters(_ context: PythonContext) {
        var depth = 0
        while !atEnd, cur.kind != .newline {
            if depth == 0, isOp(cur, ":") {
                advance()
                return
            }
            if depth == 0, isOp(cur, "=") {
                advance()
                _ = parseExpression(context)
                continue
            }
            if isOp(cur, "(") || isOp(cur, "[") || isOp(cur, "{") { depth += 1 }
            if isOp(cur, ")") || isOp(cur, "]") || isOp(cur, "}") {
                if depth == 0 { return }
                depth -= 1
            }
            advance()
        }
    }

    private static let constants = KeywordList(["True", "False", "None"])

    private mutating func parsePrimary(_ context: PythonContext) -> PythonExpression {
        let start = cur.span.start
        let startIndex = i
        // A keyword here (`in` of `not in`, `not` of `is not`) is an operator: nothing trails it.
        if isReservedName(cur), !isAny(cur, Self.constants) {
            let token = cur
            advance()
            return .other(token.span)
        }
        var base = parseAtom(context)
        while !atEnd {
            if isOp(cur, "."), peek(1).kind == .name {
                advance()
                let name = text(cur)
                advance()
                if case .name(var dotted) = base {
                    dotted.text += "." + name
                    dotted.span = ByteSpan(start, lastEnd)
                    // resolve(head.rest.name) is resolve(head.rest) + ".name".
                    dotted.resolved = dotted.resolved.map { $0 + "." + name }
                    base = .name(dotted)
                } else {
                    base = .attribute(base: base, name: name, span: ByteSpan(start, lastEnd))
                }
            } else if isOp(cur, "(") {
                let open = cur.span.start
                advance()
                let arguments = parseArguments(context)
                var call = PythonCall(
                    callee: base, calleeName: nil, resolvedName: nil, arguments: arguments,
                    span: ByteSpan(start, lastEnd), argumentsSpan: ByteSpan(open, lastEnd), context: context)
                if case .name(let n) = base {
                    call.calleeName = n.text
                    call.resolvedName = n.resolved
                }
                if startIndex >= patternLimit { calls.append(call) }
                base = .call(call)
            } else if isOp(cur, "[") {
                advance()
                _ = parseBracketContents(context, close: "]")
                base = .subscript(base: base, span: ByteSpan(start, lastEnd))
            } else {
                break
            }
        }
        return base
    }

    private mutating func parseAtom(_ context: PythonContext) -> PythonExpression {
        let token = cur
        switch token.kind {
        case .name:
            if isReservedName(token) {
                advance()
                return .other(token.span)
            }
            let name = text(token)
            advance()
            return .name(PythonName(text: name, span: token.span, resolved: mayBeBound(name) ? Self.resolve(name, in: bindings) : nil))
        case .number:
            advance()
            return .number(token.span)
        case .string, .fstringStart:
            return .string(parseStrings(context))
        case .op:
            let start = token.span.start
            if isOp(token, "(") {
                advance()
                let (elements, trailingComma, comprehension) = parseBracketContents(context, close: ")")
                let span = ByteSpan(start, lastEnd)
                if comprehension { return .other(span) }
                if elements.count == 1, !trailingComma { return elements[0] }
                return .sequence(PythonSequence(kind: .tuple, elements: elements, span: span))
            }
            if isOp(token, "[") {
                advance()
                let (elements, _, comprehension) = parseBracketContents(context, close: "]")
                let span = ByteSpan(start, lastEnd)
                if comprehension { return .other(span) }
                return .sequence(PythonSequence(kind: .list, elements: elements, span: span))
            }
            if isOp(token, "{") {
                advance()
                return parseBrace(context, start: start)
            }
            advance()
            return .other(token.span)
        default:
            advance()
            return .other(token.span)
        }
    }

    /// Adjacent string literals, f-strings included (the expressions in their fields are parsed for calls).
    private mutating func parseStrings(_ context: PythonContext) -> PythonStringLiteral {
        let start = cur.span.start
        var parts: [ByteSpan] = []
        var plain = PythonStringDecoder.Concatenation()
        var isFString = false
        var isBytes = false
        while cur.kind == .string || cur.kind == .fstringStart {
            let token = cur
            if token.stringFlags.contains(.bytes) { isBytes = true }
            if token.kind == .string {
                // Decoded as read; wasted only on the rare concatenation with an f-string.
                if !isFString { source.withUnsafeBufferPointer { plain.add(token, in: $0) } }
                parts.append(token.span)
                advance()
                continue
            }
            isFString = true
            let depth = token.fstringDepth
            advance()
            while !atEnd, cur.fstringDepth > depth {
                if isOp(cur, "{"), cur.fstringDepth == depth &+ 1 {
                    advance()
                    let before = i
                    _ = parseExpressionList(context)
                    if i == before { advance() }
                } else {
                    advance()
                }
            }
            if cur.kind == .fstringEnd, cur.fstringDepth == depth { advance() }
            parts.append(ByteSpan(token.span.start, lastEnd))
        }
        let value = isFString ? nil : plain.value
        return PythonStringLiteral(
            span: ByteSpan(start, lastEnd), parts: parts, value: value, isFString: isFString, isBytes: isBytes)
    }

    /// Elements up to the closing bracket (consumed). Reports a trailing comma and comprehensions.
    private mutating func parseBracketContents(_ context: PythonContext, close: StaticString)
        -> ([PythonExpression], Bool, Bool)
    {
        let outerComprehension = sawComprehension
        sawComprehension = false
        var elements: [PythonExpression] = []
        var trailingComma = false
        while !atEnd, !isOp(cur, close) {
            let before = i
            trailingComma = false
            elements.append(parseExpression(context))
            if isOp(cur, ",") {
                advance()
                trailingComma = true
            } else if !isOp(cur, close) {
                // `:` of a slice, `=` of a walrus-free keyword, stray tokens: step over them.
                if cur.kind == .newline || cur.kind == .dedent || cur.kind == .indent { break }
                advance()
            }
            if i == before { advance() }
        }
        if isOp(cur, close) { advance() }
        let comprehension = sawComprehension
        sawComprehension = outerComprehension
        return (elements, trailingComma, comprehension)
    }

    private mutating func parseBrace(_ context: PythonContext, start: Int) -> PythonExpression {
        let startIndex = previousSignificant(before: i)
        let outerComprehension = sawComprehension
        sawComprehension = false
        defer { sawComprehension = outerComprehension }
        var entries: [PythonDictEntry] = []
        var elements: [PythonExpression] = []
        var isDict = isOp(cur, "}")
        while !atEnd, !isOp(cur, "}") {
            let before = i
            let entryStart = cur.span.start
            if isOp(cur, "**") {
                advance()
                let value = parseExpression(context)
                entries.append(PythonDictEntry(key: nil, value: value, span: ByteSpan(entryStart, lastEnd)))
                isDict = true
            } else {
                let key = parseExpression(context)
                if isOp(cur, ":") {
                    advance()
                    isDict = true
                    let value = parseExpression(context)
                    entries.append(PythonDictEntry(key: key, value: value, span: ByteSpan(entryStart, lastEnd)))
                } else {
                    elements.append(key)
                }
            }
            if isOp(cur, ",") {
                advance()
            } else if !isOp(cur, "}") {
                if cur.kind == .newline || cur.kind == .dedent || cur.kind == .indent { break }
                advance()
            }
            if i == before { advance() }
        }
        if isOp(cur, "}") { advance() }
        let span = ByteSpan(start, lastEnd)
        if sawComprehension { return .other(span) }
        if isDict {
            let dict = PythonDict(entries: entries, span: span, context: context)
            if startIndex >= patternLimit { dicts.append(dict) }
            return .dict(dict)
        }
        return .sequence(PythonSequence(kind: .set, elements: elements, span: span))
    }

    /// Call arguments after `(`, up to and including `)`.
    private mutating func parseArguments(_ context: PythonContext) -> [PythonArgument] {
        let outerComprehension = sawComprehension
        defer { sawComprehension = outerComprehension }
        var arguments: [PythonArgument] = []
        while !atEnd, !isOp(cur, ")") {
            let before = i
            let start = cur.span.start
            sawComprehension = false
            if isOp(cur, "*") || isOp(cur, "**") {
                let kind: PythonArgument.Kind = isOp(cur, "*") ? .star : .doubleStar
                advance()
                let value = parseExpression(context)
                arguments.append(
                    PythonArgument(kind: kind, keyword: nil, keywordSpan: nil, value: value, span: ByteSpan(start, lastEnd)))
            } else if cur.kind == .name, isOp(peek(1), "="), !isReservedName(cur) {
                let keywordToken = cur
                advance()
                advance()
                let value = parseExpression(context)
                arguments.append(
                    PythonArgument(
                        kind: .keyword, keyword: text(keywordToken), keywordSpan: keywordToken.span, value: value,
                        span: ByteSpan(start, lastEnd)))
            } else {
                var value = parseExpression(context)
                if sawComprehension { value = .other(ByteSpan(start, lastEnd)) }
                arguments.append(
                    PythonArgument(kind: .positional, keyword: nil, keywordSpan: nil, value: value, span: ByteSpan(start, lastEnd)))
            }
            if isOp(cur, ",") {
                advance()
            } else if !isOp(cur, ")") {
                if cur.kind == .newline || cur.kind == .dedent || cur.kind == .indent { break }
                advance()
            }
            if i == before { advance() }
        }
        if isOp(cur, ")") { advance() }
        return arguments
    }
}

/// A short list of keywords asked about name tokens, compared on bytes so that no `String`
/// is made per token. The parser asks at almost every name and statement: a table of the
/// lengths each first byte starts a keyword with turns most names away before any compare.
struct KeywordList: Sendable {
    private let words: [StaticString]
    /// Bit `n` of `lengths[b]`: a keyword of `n` bytes starts with byte `b`.
    private let lengths: [UInt16]

    init(_ words: [StaticString]) {
        var lengths = [UInt16](repeating: 0, count: 256)
        for word in words { lengths[Int(word.utf8Start.pointee)] |= 1 << word.utf8CodeUnitCount }
        self.words = words
        self.lengths = lengths
    }

    /// Whether the bytes of `span` in `source` are one of the keywords.
    @inline(__always)
    func contains(_ span: ByteSpan, in source: [UInt8]) -> Bool {
        guard span.length < 16, span.start >= 0, span.end <= source.count, !span.isEmpty,
            lengths[Int(source[span.start])] & (1 << UInt16(span.length)) != 0
        else { return false }
        return matches(span, in: source)
    }

    private func matches(_ span: ByteSpan, in source: [UInt8]) -> Bool {
        for word in words where word.utf8CodeUnitCount == span.length {
            let p = word.utf8Start
            var equal = true
            for k in 0..<span.length where source[span.start + k] != p[k] {
                equal = false
                break
            }
            if equal { return true }
        }
        return false
    }
}
