import PythonSource
import Spans

/// Decides from the tokens of a Python file whether the shallow parse can find a fact in it.
/// The parse costs about ten times the token pass, and most Python files in a repository
/// name neither Prefect nor a secret, or name a secret word only in prose, log messages and
/// ordinary variables.
///
/// Every Prefect fact comes from an import of `prefect` (a name token `prefect`) or from a
/// `PREFECT__` name in a string, so those files are parsed. For the rest the test is a
/// superset of what ``PythonFlowFactsBuilder`` reads: hard-coded literals under a
/// secret-named variable, attribute, keyword, parameter, dict key or subscript key, and
/// `os.environ` assignments of credential-named variables. Such a file is parsed when a
/// token that names a secret (the builder's own ``PrefectComponents/takesSecretValue(_:)``
/// test, or `connection_url`) stands where a key stands and a literal follows where the value
/// stands. Two spellings no real code uses are not followed: a key spelled with escapes
/// (`"pass\x77ord"`) or split across implicit concatenation (`"pass" "word"`).
/// `PythonAnalyzerFastPathTests` holds the two paths equal, and
/// `bench/prefilter-equivalence.sh` does so on whole Python installations.
enum PythonFactsPrefilter {
    /// What a file needs beyond the token pass.
    enum Need: Equatable {
        /// Nothing: no word of interest where a fact could come from.
        case nothing
        /// Only token-level facts (GraphQL operations in strings).
        case tokens
        /// The shallow parse and the facts builder.
        case parse
    }

    /// The words looked for in string literals and in names that stand as keys: `prefect`
    /// (id 0), the secret words and `connection_url`, then the GraphQL secret operations.
    static let words = KeywordSet(
        ["prefect"] + PrefectComponents.secretWords.map { String(decoding: $0, as: UTF8.self) } + ["connection_url"]
            + PythonFlowFactsBuilder.graphQLOperations.map { String(decoding: $0, as: UTF8.self) })
    static let firstGraphQLWord = 1 + PrefectComponents.secretWords.count + 1

    /// The words that make a name or string a secret key: the secret words and `connection_url`.
    static let keyWords = KeywordSet(PrefectComponents.secretWords.map { String(decoding: $0, as: UTF8.self) } + ["connection_url"])

    /// The name whose presence means the file imports or names Prefect: the tokenizer watches
    /// for it (``PythonTokenizer/tokenize(_:marking:holding:watchingTarget:)``).
    static let watchedName = Array("prefect".utf8)

    /// The target whose assignment a module needs parsing for though it does not name Prefect.
    static let watchedTarget = Array("Flow".utf8)

    /// What a file needs, from its tokens and the tokenizer's marks: `.parse` when it imports
    /// Prefect, names it in a string, assigns `Flow` or holds a secret key with a literal
    /// value; `.tokens` when a string names a GraphQL secret operation; else `.nothing`. Only
    /// names equal to `prefect`, names followed by an assignment or annotation, and string
    /// literals are looked at: comments, whitespace and other code are most of a file's bytes
    /// and hold no fact. The marks list exactly those tokens, so this never walks the whole
    /// token array.
    static func need(_ bytes: [UInt8], tokens: [PythonToken], marks: PythonTokenMarks) -> Need {
        // `Flow = CustomFlow`: a module that passes on a team's own Flow class need not name
        // Prefect (``PythonFacts/flowAlias``).
        if marks.sawWatchedName || marks.sawWatchedTarget { return .parse }
        let reader = KeyReader(bytes: bytes, tokens: tokens)
        return bytes.withUnsafeBufferPointer { buffer in
            for i in marks.targets where tokens[i].span.length >= 3 && tokens[i].span.end <= buffer.count {
                if namesSecretWord(tokens[i], buffer), reader.isKeyWithLiteralValue(at: i) { return .parse }
            }
            var need = Need.nothing
            for i in marks.strings {
                let span = tokens[i].span
                guard span.end <= buffer.count else { continue }
                if tokens[i].kind == .string, reader.isStatementByItself(i) {
                    // Docstrings and other bare strings are half of a file's string bytes and
                    // give no fact but a GraphQL operation, every one of which says `secret`.
                    if need == .nothing, ByteSearch.contains(PythonFlowFactsBuilder.secretWord, in: bytes, range: span.range) { need = .tokens }
                    continue
                }
                let text = UnsafeBufferPointer(rebasing: buffer[span.range])
                // A secret word counts in a key only; any other string matters only when it names
                // Prefect or a GraphQL operation, which the cheaper search settles. Taken as keys
                // without asking: f-string parts (their key would end past the f-string) and
                // strings before `[` or `,`, whose key reading walks the rest of a subscript
                // chain or list. The words decide those first, so only a string that names a
                // secret word takes that walk (still quadratic on `a["password"]["password"]…`).
                let after = reader.nextPastClosers(i)
                let walksOn = after < tokens.count && (reader.isOp(after, byte: 0x5B) || reader.isOp(after, byte: 0x2C))
                guard tokens[i].kind == .fstringMiddle || walksOn || reader.mayBeStringKey(i) else {
                    switch mentions(text) {
                    case .prefect: return .parse
                    case .secret: if need == .nothing, namesGraphQLOperation(text) { need = .tokens }
                    case .neither: break
                    }
                    continue
                }
                var namesPrefect = false
                var namesSecret = false
                words.scan(text) { id, _ in
                    if id == 0 {
                        namesPrefect = true
                    } else if id < firstGraphQLWord {
                        namesSecret = true
                    } else {
                        need = .tokens
                    }
                }
                if namesPrefect { return .parse }
                if namesSecret, reader.isKeyWithLiteralValue(at: i) { return .parse }
            }
            return need
        }
    }

    /// What ``mentions(_:)`` finds in a string.
    enum Mention { case neither, secret, prefect }

    /// Which of `prefect` and `secret` (ASCII case folded) a text holds: `.prefect` when it holds
    /// that, else `.secret` when it holds that. Both words hold `ec`, which a plain byte loop
    /// finds faster than the automaton walks.
    static func mentions(_ text: UnsafeBufferPointer<UInt8>) -> Mention {
        var result = Mention.neither
        var k = 1
        while k < text.count {
            // `e` then `c`, either case.
            guard text[k] | 0x20 == 0x63, text[k - 1] | 0x20 == 0x65 else {
                k += 1
                continue
            }
            if k >= 5, matchesFolded(text, at: k - 5, "prefect") { return .prefect }
            if k >= 2, matchesFolded(text, at: k - 2, "secret") { result = .secret }
            k += 1
        }
        return result
    }

    /// Whether `word` (lower-case ASCII) stands at `start` in `text`, ASCII case folded.
    private static func matchesFolded(_ text: UnsafeBufferPointer<UInt8>, at start: Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard start + count <= text.count else { return false }
        let letters = word.utf8Start
        for j in 0..<count where text[start + j] | 0x20 != letters[j] { return false }
        return true
    }

    /// Whether the text names one of ``PythonFlowFactsBuilder/graphQLOperations``.
    private static func namesGraphQLOperation(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var found = false
        words.scan(text) { id, _ in
            if id >= firstGraphQLWord { found = true }
        }
        return found
    }

    /// Whether the name token names a secret word (``PrefectComponents/secretWords``, `connection_url`).
    private static func namesSecretWord(_ token: PythonToken, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        keyWords.occurs(in: UnsafeBufferPointer(rebasing: buffer[token.span.range]))
    }

    /// Reads the token list around one occurrence of a secret word. Comment, NL and error
    /// tokens are stepped over, as the parser does.
    struct KeyReader {
        let bytes: [UInt8]
        let tokens: [PythonToken]
        /// Matching brackets, subscript-chain ends and the ends of long runs of closers, noted
        /// by long walks: a walk per key would be quadratic on a long subscript chain or a
        /// deep list.
        private let brackets = BracketMemo()

        init(bytes: [UInt8], tokens: [PythonToken]) {
            self.bytes = bytes
            self.tokens = tokens
        }

        /// The index of the next significant token after `index`, or `tokens.count`.
        func next(_ index: Int) -> Int {
            var j = index + 1
            while j < tokens.count, Self.isInsignificant(tokens[j].kind) { j += 1 }
            return j
        }

        /// The index of the significant token before `index`, if any.
        func previous(_ index: Int) -> Int? {
            var j = index - 1
            while j >= 0, Self.isInsignificant(tokens[j].kind) { j -= 1 }
            return j >= 0 ? j : nil
        }

        static func isInsignificant(_ kind: PythonTokenKind) -> Bool {
            kind == .comment || kind == .nl || kind == .error
        }

        /// Whether the string at `index` is a statement of its own, like a docstring.
        func isStatementByItself(_ index: Int) -> Bool {
            let after = next(index)
            guard after >= tokens.count || tokens[after].kind == .newline || tokens[after].kind == .endMarker else { return false }
            guard let before = previous(index) else { return true }
            let kind = tokens[before].kind
            return kind == .newline || kind == .indent || kind == .dedent
        }

        /// The index of the first significant token after `index` that is not a closing
        /// parenthesis or bracket, or `tokens.count`.
        func nextPastClosers(_ index: Int) -> Int {
            var j = next(index)
            var steps = 0
            while j < tokens.count, isOp(j, byte: 0x29) || isOp(j, byte: 0x5D) {  // ) ]
                // A long run of closers (the end of a deep list) is walked once, then remembered.
                steps += 1
                if steps == 16 { return brackets.pastClosers[j] ?? rememberPastClosers(from: j) }
                j = next(j)
            }
            return j
        }

        private func rememberPastClosers(from start: Int) -> Int {
            var run: [Int] = []
            var j = start
            while j < tokens.count, isOp(j, byte: 0x29) || isOp(j, byte: 0x5D) {
                if let end = brackets.pastClosers[j] {
                    j = end
                    break
                }
                run.append(j)
                j = next(j)
            }
            for closer in run { brackets.pastClosers[closer] = j }
            return j
        }

        /// Whether the name at `index` is followed, past closing brackets, by an assignment
        /// operator or a colon: the cheap test before a name's text is looked at.
        @inline(__always)
        func mayBeKey(_ index: Int) -> Bool {
            guard !nextRulesOutKey(index) else { return false }
            let j = nextPastClosers(index)
            return j < tokens.count && (isAssignmentOperator(j) || isOp(j, byte: 0x3A))
        }

        /// The cheap half of ``mayBeKey(_:)``: most names are followed by `.`, `(`, `,` or
        /// another name, which one byte settles.
        @inline(__always)
        func nextRulesOutKey(_ index: Int) -> Bool {
            guard index + 1 < tokens.count else { return true }
            let next = tokens[index + 1]
            switch next.kind {
            case .comment, .nl, .error: return false
            case .op:
                guard next.span.start < bytes.count else { return true }
                switch bytes[next.span.start] {
                case 0x2E, 0x28, 0x2C, 0x5B, 0x7B, 0x3B: return true  // . ( , [ { ;
                default: return false
                }
            default: return true
            }
        }

        /// The token after a string key and the rest of its subscript target: past closing
        /// brackets, further subscripts (`cfg["password"][0]`) and, for the first element of a
        /// subscript tuple, the rest of it (`cfg["password", 1]`).
        func nextPastKeyTail(_ keyEnd: Int) -> Int {
            var j = nextPastClosers(keyEnd)
            if j < tokens.count, isOp(j, byte: 0x2C), let open = previous(keyEnd), isOp(open, byte: 0x5B), let close = matchingClose(open) {
                j = nextPastClosers(close)
            }
            var chain: [Int] = []
            while j < tokens.count, isOp(j, byte: 0x5B) {
                if let end = brackets.chainEnds[j] {
                    j = end
                    break
                }
                guard let close = matchingClose(j) else { break }
                chain.append(j)
                j = nextPastClosers(close)
            }
            for open in chain { brackets.chainEnds[open] = j }
            return j
        }

        /// The bracket closing the one at `open`, within the logical line (brackets of any kind
        /// close each other, as a depth count does).
        func matchingClose(_ open: Int) -> Int? {
            if let known = brackets.closes[open] { return known }
            var depth = 0
            var k = open
            var steps = 0
            while k < tokens.count {
                switch tokens[k].kind {
                case .newline, .endMarker: return nil
                case .op where tokens[k].span.length == 1:
                    switch bytes[tokens[k].span.start] {
                    case 0x28, 0x5B, 0x7B: depth += 1
                    case 0x29, 0x5D, 0x7D:
                        depth -= 1
                        if depth == 0 { return k }
                    default: break
                    }
                default: break
                }
                k = next(k)
                steps += 1
                // A long walk (a deep list) is made once, noting every pair it passes.
                if steps == 64 { return rememberCloses(from: open) }
            }
            return nil
        }

        /// ``matchingClose(_:)`` from `open`, noting the close of every bracket opened on the way.
        private func rememberCloses(from open: Int) -> Int? {
            var opened: [Int] = []
            var k = open
            while k < tokens.count {
                switch tokens[k].kind {
                case .newline, .endMarker: return nil
                case .op where tokens[k].span.length == 1:
                    switch bytes[tokens[k].span.start] {
                    case 0x28, 0x5B, 0x7B: opened.append(k)
                    case 0x29, 0x5D, 0x7D:
                        guard let inner = opened.popLast() else { break }
                        brackets.closes[inner] = k
                        if opened.isEmpty { return k }
                    default: break
                    }
                default: break
                }
                k = next(k)
            }
            return nil
        }

        /// Whether the string at `index` can be a key with a value (``valueFollows(keyEnd:isStringKey:)``):
        /// followed, past closing brackets and subscripts, by an assignment, a colon, another
        /// literal (implicit concatenation) or, as the first argument of a call, a comma.
        func mayBeStringKey(_ index: Int) -> Bool {
            let j = nextPastKeyTail(index)
            guard j < tokens.count else { return false }
            switch tokens[j].kind {
            case .string, .fstringStart: return true
            case .op:
                if isOp(j, byte: 0x2C) { return previous(index).map { isOp($0, byte: 0x28) } ?? false }  // , (
                return isOp(j, byte: 0x3A) || isAssignmentOperator(j)
            default: return false
            }
        }

        func isText(_ index: Int, _ text: StaticString) -> Bool {
            tokens[index].hasText(text, in: bytes)
        }

        func isKeyWithLiteralValue(at index: Int) -> Bool {
            let token = tokens[index]
            switch token.kind {
            case .name:
                guard FileFacts.isCredentialKey(text(token.span)) else { return false }
                return valueFollows(keyEnd: index, isStringKey: false)
            case .string:
                // A value that cannot be decoded is treated as a key, to be safe.
                if let value = PythonStringDecoder.decode(token, in: bytes), !FileFacts.isCredentialKey(value.text) { return false }
                return valueFollows(keyEnd: stringRunEnd(from: index), isStringKey: true)
            case .fstringStart, .fstringMiddle, .fstringEnd:
                return valueFollows(keyEnd: stringRunEnd(from: index), isStringKey: true)
            default:
                return false
            }
        }

        /// The last token of the run of adjacent string literals (f-strings whole) from `index`,
        /// which may be inside an f-string.
        func stringRunEnd(from index: Int) -> Int {
            var i = index
            var fstringDepth = tokens[index].kind == .fstringMiddle || tokens[index].kind == .fstringEnd ? 1 : 0
            while true {
                switch tokens[i].kind {
                case .fstringStart: fstringDepth += 1
                case .fstringEnd: fstringDepth -= 1
                default: break
                }
                let j = next(i)
                guard j < tokens.count else { return i }
                let kind = tokens[j].kind
                guard fstringDepth > 0 || kind == .string || kind == .fstringStart else { return i }
                i = j
            }
        }

        /// Whether the key ending at `keyEnd` is followed by an assignment, keyword, default or
        /// dict-entry value that is a literal.
        func valueFollows(keyEnd: Int, isStringKey: Bool) -> Bool {
            // Past a parenthesized key or target, or the close of a subscript key.
            let j = isStringKey ? nextPastKeyTail(keyEnd) : nextPastClosers(keyEnd)
            guard j < tokens.count else { return false }
            if isAssignmentOperator(j) { return literalValue(from: next(j), allowNumber: isStringKey) }
            if isOp(j, ":") {
                if isStringKey { return literalValue(from: next(j), allowNumber: false) }
                // `name: annotation = value`, as a statement or a parameter.
                guard let equals = nextTopLevel(from: next(j), where: { isOp($0, "=") }) else { return false }
                return literalValue(from: next(equals), allowNumber: false)
            }
            // `os.environ.setdefault("KEY", value)`; `os.getenv("KEY", "fallback")`, `….get(…)`
            if isStringKey, isOp(j, ","), let open = previous(keyEnd), isOp(open, "("), let callee = previous(open),
                tokens[callee].kind == .name
            {
                switch text(tokens[callee].span) {
                case "setdefault": return true
                case "getenv", "get": return literalValue(from: next(j), allowNumber: false)
                default: return false
                }
            }
            return false
        }

        /// Whether the value starting at `start` is a literal, following chained assignments
        /// (`a = b = "x"`) to the last value and skipping opening parentheses.
        func literalValue(from start: Int, allowNumber: Bool) -> Bool {
            var j = start
            while j < tokens.count {
                while j < tokens.count, isOp(j, "(") { j = next(j) }
                guard j < tokens.count else { return false }
                switch tokens[j].kind {
                case .string, .fstringStart: return true
                case .number: return allowNumber
                default: break
                }
                guard let assignment = nextTopLevel(from: j, where: isAssignmentOperator) else { return false }
                j = next(assignment)
            }
            return false
        }

        /// The first token from `start` on that satisfies `test` before the expression ends (a
        /// comma, semicolon, colon-less statement end or unmatched closing bracket).
        func nextTopLevel(from start: Int, where test: (Int) -> Bool) -> Int? {
            var depth = 0
            var k = start
            while k < tokens.count {
                let token = tokens[k]
                switch token.kind {
                case .newline, .endMarker, .indent, .dedent: return nil
                case .op:
                    switch token.span.length == 1 && token.span.start < bytes.count ? bytes[token.span.start] : 0 {
                    case 0x28, 0x5B, 0x7B:  // ( [ {
                        depth += 1
                    case 0x29, 0x5D, 0x7D:  // ) ] }
                        depth -= 1
                        if depth < 0 { return nil }
                    case 0x2C, 0x3B:  // , ;
                        if depth == 0 { return nil }
                    default:
                        if depth == 0, test(k) { return k }
                    }
                default: break
                }
                k += 1
            }
            return nil
        }

        /// `=`, an augmented assignment (`+=`, `//=`, ...) or `:=`; not `==`, `!=`, `<=`, `>=`.
        func isAssignmentOperator(_ index: Int) -> Bool {
            isOp(index, byte: 0x3D) || isOp(index, ":=") || tokens[index].isAugmentedAssignment(in: bytes)
        }

        @inline(__always)
        func isOp(_ index: Int, _ op: StaticString) -> Bool {
            if op.utf8CodeUnitCount == 1 { return isOp(index, byte: op.utf8Start.pointee) }
            return tokens[index].kind == .op && isText(index, op)
        }

        /// `isOp` for a one-byte operator, without the text comparison.
        @inline(__always)
        func isOp(_ index: Int, byte: UInt8) -> Bool {
            let token = tokens[index]
            return token.kind == .op && token.span.length == 1 && token.span.start < bytes.count && bytes[token.span.start] == byte
        }

        func text(_ span: ByteSpan) -> String {
            String(decoding: bytes[span.range], as: UTF8.self)
        }
    }
}

/// What ``PythonFactsPrefilter/KeyReader`` learns about a file's brackets, kept across its
/// questions (the reader itself is a value passed around).
final class BracketMemo {
    /// ``PythonFactsPrefilter/KeyReader/matchingClose(_:)`` of the brackets a long walk passed.
    var closes: [Int: Int] = [:]
    /// For an opening `[`, the first token past the subscript chain it starts.
    var chainEnds: [Int: Int] = [:]
    /// For a closing `)` or `]` in a long run of them, the first token past the run.
    var pastClosers: [Int: Int] = [:]
}
