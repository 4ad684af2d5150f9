import Spans

/// Python 3.11's `ast.literal_eval(text)` for strings: nil where Python raises (syntax error,
/// non-literal expression, unhashable key, int too long to convert), otherwise the value.
///
/// Only the literal grammar is recognised; everything else (names, calls, operators other than
/// the `+`/`-` that literal_eval allows) is a failure, which is exactly what `string_to_type` needs:
/// on any exception it keeps the string.
public enum PythonLiteral {
    /// Evaluates `text` as `ast.literal_eval` would.
    public static func literalEval(_ text: String) -> PyValue? {
        // A bare name (most values: `prod`, `s3cr3tT0ken`) is no literal but for the three
        // constants: settled on its bytes, as every env and config value comes here, some
        // several times.
        if isPlainName(text), text != "True", text != "False", text != "None" { return nil }
        var scalars = Array(text.unicodeScalars)
        if scalars.contains("\u{0}") { return nil }
        // literal_eval strips leading spaces and tabs only (3.11).
        var start = 0
        while start < scalars.count, scalars[start] == " " || scalars[start] == "\t" { start += 1 }
        scalars.removeFirst(start)
        // The string tokenizer translates \r\n and lone \r into \n.
        var src: [Unicode.Scalar] = []
        src.reserveCapacity(scalars.count)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "\r" {
                src.append("\n")
                if i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }
            } else { src.append(scalars[i]) }
            i += 1
        }
        var tokenizer = Tokenizer(src)
        guard let tokens = tokenizer.run() else { return nil }
        var parser = Parser(tokens: tokens)
        guard let node = parser.parseInput() else { return nil }
        return convert(node)
    }

    /// An ASCII identifier: word bytes (letters, digits, `_`), not starting with a digit.
    static func isPlainName(_ text: String) -> Bool {
        guard let first = text.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return text.utf8.allSatisfy(ASCIIBytes.isWordByte)
    }

    // MARK: Tokens

    enum Token: Equatable {
        case value(PyValue)
        case string(PyValue, isFormatted: Bool)
        case name(String)
        case op(Unicode.Scalar)
        case ellipsis
    }

    struct Tokenizer {
        let s: [Unicode.Scalar]
        var pos = 0
        var depth = 0
        var tokens: [Token] = []

        init(_ s: [Unicode.Scalar]) { self.s = s }

        func peek(_ o: Int = 0) -> Unicode.Scalar? { pos + o < s.count ? s[pos + o] : nil }

        static func isIdentStart(_ c: Unicode.Scalar) -> Bool {
            // The ASCII letters are the only ASCII scalars with the Alphabetic property.
            c == "_" || (c.value | 0x20 >= 0x61 && c.value | 0x20 <= 0x7A) || c.value >= 128
        }
        static func isIdentChar(_ c: Unicode.Scalar) -> Bool {
            isIdentStart(c) || ("0"..."9").contains(c)
        }
        static func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { ("0"..."9").contains($0) } ?? false }

        mutating func run() -> [Token]? {
            var atLineStart = true
            var finishedLine = false
            while true {
                if atLineStart && depth == 0 {
                    var indent = 0
                    while let c = peek(), c == " " || c == "\t" || c == "\u{0C}" {
                        indent = c == "\u{0C}" ? 0 : indent + 1
                        pos += 1
                    }
                    guard let c = peek() else { return indent > 0 ? nil : tokens }
                    if c == "\n" { pos += 1; continue }
                    if c == "#" { skipComment(); continue }
                    if c == "\\", peek(1) == "\n" { pos += 2; continue }
                    if indent > 0 || finishedLine { return nil }
                    atLineStart = false
                }
                guard let c = peek() else { return depth == 0 ? tokens : nil }
                switch c {
                case " ", "\t", "\u{0C}": pos += 1
                case "#": skipComment()
                case "\\":
                    guard peek(1) == "\n" else { return nil }
                    pos += 2
                    if peek() == nil { return nil }  // "unexpected EOF while parsing"
                case "\n":
                    pos += 1
                    if depth == 0 { atLineStart = true; finishedLine = true }
                case "(", "[", "{":
                    // CPython's tokenizer: "too many nested parentheses" beyond MAXLEVEL (200).
                    if depth >= 200 { return nil }
                    depth += 1; tokens.append(.op(c)); pos += 1
                case ")", "]", "}":
                    depth -= 1
                    if depth < 0 { return nil }
                    tokens.append(.op(c)); pos += 1
                case ",", ":", "+", "-":
                    tokens.append(.op(c)); pos += 1
                case ".":
                    if Tokenizer.isDigit(peek(1)) {
                        guard let t = number() else { return nil }
                        tokens.append(t)
                    } else if peek(1) == ".", peek(2) == "." {
                        tokens.append(.ellipsis); pos += 3
                    } else { return nil }
                case "\"", "'":
                    guard let t = string(prefix: "") else { return nil }
                    tokens.append(t)
                default:
                    if Tokenizer.isDigit(c) {
                        guard let t = number() else { return nil }
                        tokens.append(t)
                    } else if Tokenizer.isIdentStart(c) {
                        let st = pos
                        while let d = peek(), Tokenizer.isIdentChar(d) { pos += 1 }
                        let word = String(String.UnicodeScalarView(s[st..<pos]))
                        if let q = peek(), q == "\"" || q == "'",
                            ["r", "u", "b", "br", "rb", "f", "fr", "rf"].contains(word.lowercased())
                        {
                            guard let t = string(prefix: word.lowercased()) else { return nil }
                            tokens.append(t)
                        } else {
                            tokens.append(.name(word))
                        }
                    } else {
                        return nil
                    }
                }
            }
        }

        mutating func skipComment() {
            while let c = peek(), c != "\n" { pos += 1 }
        }

        /// digit (["_"] digit)*, with `isOK` deciding which digits count.
        mutating func digitPart(_ isOK: (Unicode.Scalar) -> Bool) -> String? {
            var out = ""
            guard let first = peek(), isOK(first) else { return nil }
            out.unicodeScalars.append(first); pos += 1
            while let c = peek() {
                if isOK(c) { out.unicodeScalars.append(c); pos += 1 }
                else if c == "_" {
                    guard let d = peek(1), isOK(d) else { return nil }
                    out.unicodeScalars.append(d); pos += 2
                } else { break }
            }
            return out
        }

        mutating func number() -> Token? {
            let isDec: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
            if peek() == "0", let x = peek(1), "xXoObB".unicodeScalars.contains(x) {
                pos += 2
                let radix: Int
                let ok: (Unicode.Scalar) -> Bool
                switch x {
                case "x", "X": radix = 16; ok = { PyInt.digitValue($0).map { $0 < 16 } ?? false }
                case "o", "O": radix = 8; ok = { ("0"..."7").contains($0) }
                default: radix = 2; ok = { $0 == "0" || $0 == "1" }
                }
                var digits = ""
                if peek() == "_" { pos += 1 }
                guard let d = digitPart(ok) else { return nil }
                digits = d
                if let c = peek(), Tokenizer.isIdentChar(c) { return nil }
                guard let v = PyInt(digits: Substring(digits), radix: radix) else { return nil }
                return .value(.int(v))
            }
            var intPart = ""
            if Tokenizer.isDigit(peek()) {
                guard let d = digitPart(isDec) else { return nil }
                intPart = d
            }
            var fraction = ""
            var isFloat = false
            if peek() == "." {
                pos += 1
                isFloat = true
                if Tokenizer.isDigit(peek()) {
                    guard let f = digitPart(isDec) else { return nil }
                    fraction = f
                }
            }
            var exponent = ""
            if let e = peek(), e == "e" || e == "E" {
                var sign = ""
                var o = 1
                if let sg = peek(1), sg == "+" || sg == "-" { sign = String(sg); o = 2 }
                guard Tokenizer.isDigit(peek(o)) else { return nil }
                pos += o
                guard let ex = digitPart(isDec) else { return nil }
                exponent = "e" + sign + ex
                isFloat = true
            }
            var imaginary = false
            if let j = peek(), j == "j" || j == "J" { imaginary = true; pos += 1 }
            if let c = peek(), Tokenizer.isIdentChar(c) { return nil }
            if !isFloat && !imaginary {
                if intPart.count > 1, intPart.first == "0", intPart.contains(where: { $0 != "0" }) { return nil }
                if intPart.count > 4300 { return nil }  // sys.int_info.default_max_str_digits
                guard let v = PyInt(digits: Substring(intPart), radix: 10) else { return nil }
                return .value(.int(v))
            }
            let text = (intPart.isEmpty ? "0" : intPart) + (fraction.isEmpty ? "" : "." + fraction) + exponent
            guard let d = Double(text) ?? PythonLiteral.overflowingDouble(text) else { return nil }
            return .value(imaginary ? .complex(real: 0, imag: d) : .float(d))
        }

        mutating func string(prefix: String) -> Token? {
            guard let q = peek() else { return nil }
            let triple = peek(1) == q && peek(2) == q
            pos += triple ? 3 : 1
            var body: [Unicode.Scalar] = []
            while true {
                guard let c = peek() else { return nil }
                if triple {
                    if c == q, peek(1) == q, peek(2) == q { pos += 3; break }
                } else {
                    if c == q { pos += 1; break }
                    if c == "\n" { return nil }
                }
                if c == "\\" {
                    guard let n = peek(1) else { return nil }
                    body.append(c); body.append(n); pos += 2
                } else {
                    body.append(c); pos += 1
                }
            }
            let isBytes = prefix.contains("b"), isRaw = prefix.contains("r"), isF = prefix.contains("f")
            if isBytes {
                if body.contains(where: { $0.value >= 128 }) { return nil }
                if isRaw { return .string(.bytes(body.map { UInt8($0.value) }), isFormatted: false) }
                guard let b = PythonLiteral.decodeEscapes(body, bytes: true) else { return nil }
                return .string(.bytes(b.map { UInt8(truncatingIfNeeded: $0) }), isFormatted: false)
            }
            if isRaw || isF {
                var str = ""
                str.unicodeScalars.append(contentsOf: body)
                return .string(.str(str), isFormatted: isF)
            }
            guard let decoded = PythonLiteral.decodeEscapes(body, bytes: false) else { return nil }
            var str = ""
            for v in decoded { str.unicodeScalars.append(Unicode.Scalar(v) ?? "\u{FFFD}") }
            return .string(.str(str), isFormatted: false)
        }
    }

    /// Python converts an overflowing float literal to inf; Swift's parser may refuse it.
    static func overflowingDouble(_ text: String) -> Double? {
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), let exp = Int(text[text.index(after: e)...]) else { return nil }
        return exp > 0 ? .infinity : 0
    }

    /// Decodes the escapes of a non-raw literal body into code points (bytes: values 0...255).
    static func decodeEscapes(_ body: [Unicode.Scalar], bytes: Bool) -> [UInt32]? {
        var out: [UInt32] = []
        var i = 0
        func hexValue(_ n: Int) -> UInt32? {
            var v: UInt32 = 0
            for k in 0..<n {
                guard i + k < body.count, let d = PyInt.digitValue(body[i + k]), d < 16 else { return nil }
                v = v * 16 + UInt32(d)
            }
            i += n
            return v
        }
        while i < body.count {
            let c = body[i]
            if c != "\\" { out.append(c.value); i += 1; continue }
            guard i + 1 < body.count else { return nil }
            let e = body[i + 1]
            i += 2
            switch e {
            case "\n": break
            case "\\": out.append(92)
            case "'": out.append(39)
            case "\"": out.append(34)
            case "a": out.append(7)
            case "b": out.append(8)
            case "f": out.append(12)
            case "n": out.append(10)
            case "r": out.append(13)
            case "t": out.append(9)
            case "v": out.append(11)
            case "0"..."7":
                var v = e.value - 48
                var n = 1
                while n < 3, i < body.count, ("0"..."7").contains(body[i]) { v = v * 8 + body[i].value - 48; i += 1; n += 1 }
                out.append(bytes ? v & 0xFF : v)
            case "x":
                guard let v = hexValue(2) else { return nil }
                out.append(v)
            case "u" where !bytes:
                guard let v = hexValue(4) else { return nil }
                out.append(v)
            case "U" where !bytes:
                guard let v = hexValue(8), v <= 0x10FFFF else { return nil }
                out.append(v)
            case "N" where !bytes:
                guard i < body.count, body[i] == "{", let close = body[i...].firstIndex(of: "}") else { return nil }
                var name = ""
                name.unicodeScalars.append(contentsOf: body[(i + 1)..<close])
                guard let v = unicodeScalar(named: name) else { return nil }
                out.append(v.value)
                i = close + 1
            default:
                out.append(92); out.append(e.value)
            }
        }
        return out
    }

    /// `\N{...}` lookup: names and aliases, case-insensitive as in CPython.
    static func unicodeScalar(named name: String) -> Unicode.Scalar? {
        let wanted = name.uppercased()
        if wanted.isEmpty { return nil }
        // Named characters live in planes 0-3 and the tag/variation-selector block of plane 14.
        for range in [UInt32(0)...0x323AF, 0xE0000...0xE01EF] {
            for v in range {
                guard let s = Unicode.Scalar(v) else { continue }
                if s.properties.name == wanted || s.properties.nameAlias == wanted { return s }
            }
        }
        return nil
    }

    // MARK: Parser

    indirect enum Node {
        case constant(PyValue)
        case tuple([Node])
        case list([Node])
        case set([Node])
        case dict([(Node, Node)])
        case emptySetCall
        case unary(Unicode.Scalar, Node)
        case binary(Node, Unicode.Scalar, Node)
    }

    struct Parser {
        let tokens: [Token]
        var pos = 0

        func peek() -> Token? { pos < tokens.count ? tokens[pos] : nil }
        mutating func take(_ op: Unicode.Scalar) -> Bool {
            if peek() == .op(op) { pos += 1; return true }
            return false
        }

        mutating func parseInput() -> Node? {
            guard let first = parseExpr() else { return nil }
            var result = first
            if peek() == .op(",") {
                var items = [first]
                while take(",") {
                    if peek() == nil { break }
                    guard let e = parseExpr() else { return nil }
                    items.append(e)
                }
                result = .tuple(items)
            }
            return pos == tokens.count ? result : nil
        }

        mutating func parseExpr() -> Node? {
            guard var left = parseFactor() else { return nil }
            while case .op(let o)? = peek(), o == "+" || o == "-" {
                pos += 1
                guard let right = parseFactor() else { return nil }
                left = .binary(left, o, right)
            }
            return left
        }

        /// Nesting of unary operators; CPython gives up (RecursionError / "too complex") long
        /// before a Swift stack would, and the result is the same: not a literal.
        var unaryDepth = 0

        mutating func parseFactor() -> Node? {
            if case .op(let o)? = peek(), o == "+" || o == "-" {
                pos += 1
                unaryDepth += 1
                defer { unaryDepth -= 1 }
                if unaryDepth > 500 { return nil }
                guard let operand = parseFactor() else { return nil }
                return .unary(o, operand)
            }
            guard let atom = parseAtom() else { return nil }
            if case .op(let o)? = peek(), o == "(" || o == "[" { return nil }  // call or subscript
            return atom
        }

        /// Elements up to `close`, with an optional trailing comma.
        mutating func parseElements(close: Unicode.Scalar, first: Node? = nil) -> [Node]? {
            var items: [Node] = []
            if let f = first {
                items.append(f)
                if take(close) { return items }
                guard take(",") else { return nil }
            }
            while !take(close) {
                guard let e = parseExpr() else { return nil }
                items.append(e)
                if take(close) { break }
                guard take(",") else { return nil }
            }
            return items
        }

        mutating func parseAtom() -> Node? {
            guard let t = peek() else { return nil }
            pos += 1
            switch t {
            case .value(let v): return .constant(v)
            case .ellipsis: return .constant(.ellipsis)
            case .string(let v, let isF):
                var anyF = isF
                var acc = v
                while case .string(let v2, let f2)? = peek() {
                    pos += 1
                    anyF = anyF || f2
                    switch (acc, v2) {
                    case (.str(let a), .str(let b)): acc = .str(a + b)
                    case (.bytes(let a), .bytes(let b)): acc = .bytes(a + b)
                    default: return nil  // cannot mix bytes and nonbytes literals
                    }
                }
                if anyF { return nil }  // a JoinedStr is not a literal
                return .constant(acc)
            case .name(let n):
                switch n {
                case "True": return .constant(.bool(true))
                case "False": return .constant(.bool(false))
                case "None": return .constant(.none)
                case "set":
                    guard take("("), take(")") else { return nil }
                    return .emptySetCall
                default: return nil
                }
            case .op("("):
                if take(")") { return .tuple([]) }
                guard let e = parseExpr() else { return nil }
                if take(")") { return e }
                guard let items = parseElements(close: ")", first: e) else { return nil }
                return .tuple(items)
            case .op("["):
                guard let items = parseElements(close: "]") else { return nil }
                return .list(items)
            case .op("{"):
                if take("}") { return .dict([]) }
                guard let k = parseExpr() else { return nil }
                if take(":") {
                    guard let v = parseExpr() else { return nil }
                    var pairs = [(k, v)]
                    while !take("}") {
                        guard take(",") else { return nil }
                        if take("}") { break }
                        guard let k2 = parseExpr(), take(":"), let v2 = parseExpr() else { return nil }
                        pairs.append((k2, v2))
                    }
                    return .dict(pairs)
                }
                guard let items = parseElements(close: "}", first: k) else { return nil }
                return .set(items)
            default: return nil
            }
        }
    }

    // MARK: literal_eval's _convert

    static func convert(_ node: Node) -> PyValue? {
        switch node {
        case .constant(let v): return v
        case .tuple(let items):
            var out: [PyValue] = []
            for n in items { guard let v = convert(n) else { return nil }; out.append(v) }
            return .tuple(out)
        case .list(let items):
            var out: [PyValue] = []
            for n in items { guard let v = convert(n) else { return nil }; out.append(v) }
            return .list(out, boxed: false)
        case .set(let items):
            var out: [PyValue] = []
            for n in items {
                guard let v = convert(n), v.isHashable else { return nil }
                if !out.contains(where: { $0.pyEquals(v) }) { out.append(v) }
            }
            return .set(out)
        case .emptySetCall: return .set([])
        case .dict(let pairs):
            var d = PyDict()
            for (kn, vn) in pairs {
                guard let k = convert(kn), let v = convert(vn), k.isHashable else { return nil }
                d[k] = v
            }
            return .dict(d, boxed: false)
        case .binary(let l, let op, let r):
            guard let left = convertSignedNumber(l), let right = convertNumber(r) else { return nil }
            guard case .complex(let rr, let ri) = right else { return nil }
            let lf: Double
            switch left {
            case .int(let i): guard let d = i.doubleValue else { return nil }; lf = d
            case .float(let d): lf = d
            default: return nil
            }
            return op == "+" ? .complex(real: lf + rr, imag: 0.0 + ri) : .complex(real: lf - rr, imag: 0.0 - ri)
        case .unary: return convertSignedNumber(node)
        }
    }

    static func convertNumber(_ node: Node) -> PyValue? {
        guard case .constant(let v) = node else { return nil }
        switch v {
        case .int, .float, .complex: return v
        default: return nil
        }
    }

    static func convertSignedNumber(_ node: Node) -> PyValue? {
        guard case .unary(let op, let operand) = node else { return convertNumber(node) }
        guard let v = convertNumber(operand) else { return nil }
        if op == "+" { return v }
        switch v {
        case .int(let i): return .int(i.negated)
        case .float(let d): return .float(-d)
        case .complex(let r, let i): return .complex(real: -r, imag: -i)
        default: return nil
        }
    }
}
