import PythonSource
import Spans

/// Decides from the bytes and tokens of a Python file whether the shallow parse can find a
/// fact in it. The parse costs about ten times the token pass, and most Python files in a
/// repository name neither Prefect nor a secret, or name a secret word only in prose, log
/// messages and ordinary variables.
///
/// The test is a superset of what ``PythonFlowFactsBuilder`` reads from a file without
/// `prefect` in it: hard-coded literals under a secret-named variable, attribute, keyword,
/// parameter, dict key or subscript key, and `os.environ` assignments of credential-named
/// variables. A file passes when a token that names a secret (the builder's own
/// ``PrefectComponents/takesSecretValue(_:)`` test, or `connection_url`) stands where such a
/// key stands and a string follows where the value stands. Two spellings no real code uses
/// are not followed: a key spelled with escapes (`"pass\x77ord"`) or split across implicit
/// concatenation (`"pass" "word"`).
enum PythonFactsPrefilter {
    /// What a file needs beyond the token pass.
    enum Need: Equatable {
        /// Nothing: no word of interest in the file.
        case nothing
        /// Only token-level facts (GraphQL operations in strings).
        case tokens
        /// The shallow parse and the facts builder.
        case parse
    }

    /// `prefect` first (id 0), then the secret words, then the credential name that is not one.
    static let words = KeywordSet(
        ["prefect"] + PrefectComponents.secretWords.map { String(decoding: $0, as: UTF8.self) } + ["connection_url"])

    /// The first step, on bytes alone: `.parse` for any file naming Prefect, `.nothing` for a
    /// file with no word of interest, else `.tokens` (the tokens decide, see ``need(_:tokens:)``).
    static func need(_ bytes: [UInt8]) -> (need: Need, hitEnds: [Int]) {
        var hitEnds: [Int] = []
        var namesPrefect = false
        bytes.withUnsafeBufferPointer { buffer in
            words.scan(buffer) { id, end in
                if id == 0 { namesPrefect = true } else { hitEnds.append(end) }
            }
        }
        if namesPrefect { return (.parse, hitEnds) }
        return (hitEnds.isEmpty ? .nothing : .tokens, hitEnds)
    }

    /// The second step for a file without `prefect`: whether any secret word (its occurrences
    /// end at `hitEnds`, ascending) sits in a key with a literal value.
    static func needsParse(_ bytes: [UInt8], tokens all: [PythonToken], hitEnds: [Int]) -> Bool {
        let tokens = all.filter { $0.kind != .comment && $0.kind != .nl && $0.kind != .error }
        let reader = KeyReader(bytes: bytes, tokens: tokens)
        var lastChecked = -1
        for end in hitEnds {
            guard let index = reader.tokenIndex(containing: end - 1), index != lastChecked else { continue }
            lastChecked = index
            if reader.isKeyWithLiteralValue(at: index) { return true }
        }
        return false
    }

    /// Reads the token list around one occurrence of a secret word.
    struct KeyReader {
        let bytes: [UInt8]
        let tokens: [PythonToken]

        /// The index of the token whose span holds `offset`, if any.
        func tokenIndex(containing offset: Int) -> Int? {
            var low = 0
            var high = tokens.count
            while low < high {
                let mid = (low + high) / 2
                if tokens[mid].span.end <= offset { low = mid + 1 } else { high = mid }
            }
            guard low < tokens.count, tokens[low].span.start <= offset else { return nil }
            return low
        }

        func isKeyWithLiteralValue(at index: Int) -> Bool {
            let token = tokens[index]
            switch token.kind {
            case .name:
                guard isSecretKey(text(token.span)) else { return false }
                return valueFollows(keyEnd: index, isStringKey: false)
            case .string:
                // A value that cannot be decoded is treated as a key, to be safe.
                if let value = PythonStringDecoder.decode(token, in: bytes), !isSecretKey(value.text) { return false }
                return valueFollows(keyEnd: stringRunEnd(from: index), isStringKey: true)
            case .fstringStart, .fstringMiddle, .fstringEnd:
                return valueFollows(keyEnd: stringRunEnd(from: index), isStringKey: true)
            default:
                return false
            }
        }

        func isSecretKey(_ key: String) -> Bool {
            PrefectComponents.takesSecretValue(key) || key.lowercased() == "connection_url"
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
                guard i + 1 < tokens.count else { return i }
                let next = tokens[i + 1].kind
                guard fstringDepth > 0 || next == .string || next == .fstringStart else { return i }
                i += 1
            }
        }

        /// Whether the key ending at `keyEnd` is followed by an assignment, keyword, default or
        /// dict-entry value that is a literal.
        func valueFollows(keyEnd: Int, isStringKey: Bool) -> Bool {
            var j = keyEnd + 1
            // A parenthesized key or target, or the close of a subscript key.
            while j < tokens.count, isOp(j, ")") || isOp(j, "]") { j += 1 }
            guard j < tokens.count else { return false }
            if isAssignmentOperator(j) { return literalValue(from: j + 1, allowNumber: isStringKey) }
            if isOp(j, ":") {
                if isStringKey { return literalValue(from: j + 1, allowNumber: false) }
                // `name: annotation = value`, as a statement or a parameter.
                guard let equals = nextTopLevel(from: j + 1, where: { isOp($0, "=") }) else { return false }
                return literalValue(from: equals + 1, allowNumber: false)
            }
            // `os.environ.setdefault("KEY", value)`
            if isStringKey, isOp(j, ","), keyEnd >= 2, isOp(keyEnd - 1, "("), tokens[keyEnd - 2].kind == .name {
                return text(tokens[keyEnd - 2].span) == "setdefault"
            }
            return false
        }

        /// Whether the value starting at `start` is a literal, following chained assignments
        /// (`a = b = "x"`) to the last value and skipping opening parentheses.
        func literalValue(from start: Int, allowNumber: Bool) -> Bool {
            var j = start
            while j < tokens.count {
                while j < tokens.count, isOp(j, "(") { j += 1 }
                guard j < tokens.count else { return false }
                switch tokens[j].kind {
                case .string, .fstringStart: return true
                case .number: return allowNumber
                default: break
                }
                guard let next = nextTopLevel(from: j, where: isAssignmentOperator) else { return false }
                j = next + 1
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
                    if isOp(k, "(") || isOp(k, "[") || isOp(k, "{") {
                        depth += 1
                    } else if isOp(k, ")") || isOp(k, "]") || isOp(k, "}") {
                        depth -= 1
                        if depth < 0 { return nil }
                    } else if depth == 0 {
                        if isOp(k, ",") || isOp(k, ";") { return nil }
                        if test(k) { return k }
                    }
                default: break
                }
                k += 1
            }
            return nil
        }

        /// `=`, an augmented assignment (`+=`, `//=`, ...) or `:=`; not `==`, `!=`, `<=`, `>=`.
        func isAssignmentOperator(_ index: Int) -> Bool {
            let token = tokens[index]
            guard token.kind == .op, token.span.end <= bytes.count, token.span.length >= 1,
                bytes[token.span.end - 1] == 0x3D
            else { return false }
            if token.span.length == 1 { return true }
            switch bytes[token.span.start] {
            case 0x3D, 0x21: return false  // == !=
            case 0x3C, 0x3E: return token.span.length == 3  // <<= >>= (not <= >=)
            default: return true
            }
        }

        func isOp(_ index: Int, _ op: StaticString) -> Bool {
            let token = tokens[index]
            guard token.kind == .op, token.span.length == op.utf8CodeUnitCount, token.span.end <= bytes.count else { return false }
            return op.withUTF8Buffer { op in
                var k = 0
                while k < op.count {
                    if bytes[token.span.start + k] != op[k] { return false }
                    k += 1
                }
                return true
            }
        }

        func text(_ span: ByteSpan) -> String {
            String(decoding: bytes[span.range], as: UTF8.self)
        }
    }
}
