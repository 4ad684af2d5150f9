/// Python's `json.loads` (C scanner, default options) as `Secret.get` applies it.
public enum PythonJSON {
    /// Why `json.loads` failed; only `.decodeError` and `.typeError` are swallowed by `Secret.get`.
    public enum Failure: Error, Equatable, Sendable {
        /// `json.JSONDecodeError` (the input is not JSON).
        case decodeError
        /// `TypeError`: the input is not a str/bytes.
        case typeError
        /// Another exception (e.g. `ValueError` for an int with more than 4300 digits,
        /// `UnicodeDecodeError` for undecodable bytes): it propagates out of `Secret.get`.
        case otherError(type: String, message: String)
    }

    /// Decodes a value the way `json.loads(value)` does.
    public static func loads(_ value: PyValue) -> Result<PyValue, Failure> {
        switch value {
        case .str(let s): return loads(string: Array(s.unicodeScalars))
        case .bytes(let b): return loads(bytes: b)
        default: return .failure(.typeError)
        }
    }

    static func loads(bytes b: [UInt8]) -> Result<PyValue, Failure> {
        let enc: String
        if b.starts(with: [0, 0, 0xFE, 0xFF]) || b.starts(with: [0xFF, 0xFE, 0, 0]) { enc = "utf-32" }
        else if b.starts(with: [0xFE, 0xFF]) || b.starts(with: [0xFF, 0xFE]) { enc = "utf-16" }
        else if b.starts(with: [0xEF, 0xBB, 0xBF]) { enc = "utf-8-sig" }
        else if b.count >= 4 {
            if b[0] == 0 { enc = b[1] != 0 ? "utf-16-be" : "utf-32-be" }
            else if b[1] == 0 { enc = (b[2] != 0 || b[3] != 0) ? "utf-16-le" : "utf-32-le" }
            else { enc = "utf-8" }
        } else if b.count == 2, b[0] == 0 { enc = "utf-16-be" }
        else if b.count == 2, b[1] == 0 { enc = "utf-16-le" }
        else { enc = "utf-8" }
        guard enc == "utf-8" || enc == "utf-8-sig" else {
            return .failure(.otherError(type: "UnsupportedEncoding", message: "json.loads of " + enc + " bytes is not modelled"))
        }
        var bytes = b[...]
        if enc == "utf-8-sig" { bytes = bytes.dropFirst(3) }
        var scalars: [Unicode.Scalar] = []
        var it = bytes.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s): scalars.append(s)
            case .emptyInput: break loop
            case .error:
                return .failure(.otherError(type: "UnicodeDecodeError", message: "'utf-8' codec can't decode the value"))
            }
        }
        return loads(string: scalars)
    }

    static func loads(string s: [Unicode.Scalar]) -> Result<PyValue, Failure> {
        var p = Scanner(s: s)
        p.skipWhitespace()
        do {
            let v = try p.value()
            p.skipWhitespace()
            guard p.pos == s.count else { return .failure(.decodeError) }
            return .success(v)
        } catch let f as Failure {
            return .failure(f)
        } catch {
            return .failure(.decodeError)
        }
    }

    struct Scanner {
        let s: [Unicode.Scalar]
        var pos = 0
        var depth = 0
        /// Python's C scanner recurses per array/object and hits the interpreter's recursion
        /// limit (1000, minus the frames already in use) with a RecursionError, which
        /// `Secret.get` does not catch. The exact threshold depends on the caller's stack depth.
        static let maxDepth = 980

        func peek(_ o: Int = 0) -> Unicode.Scalar? { pos + o < s.count ? s[pos + o] : nil }
        mutating func skipWhitespace() {
            while let c = peek(), c == " " || c == "\t" || c == "\n" || c == "\r" { pos += 1 }
        }
        func matches(_ word: String) -> Bool {
            let w = Array(word.unicodeScalars)
            return pos + w.count <= s.count && Array(s[pos..<(pos + w.count)]) == w
        }

        mutating func value() throws -> PyValue {
            guard let c = peek() else { throw Failure.decodeError }
            switch c {
            case "\"": pos += 1; return .str(try string())
            case "{":
                pos += 1
                depth += 1
                defer { depth -= 1 }
                if depth > Scanner.maxDepth { throw Failure.otherError(type: "RecursionError", message: "maximum recursion depth exceeded while decoding a JSON object from a unicode string") }
                var d = PyDict()
                skipWhitespace()
                if peek() == "}" { pos += 1; return .dict(d, boxed: false) }
                while true {
                    skipWhitespace()
                    guard peek() == "\"" else { throw Failure.decodeError }
                    pos += 1
                    let k = try string()
                    skipWhitespace()
                    guard peek() == ":" else { throw Failure.decodeError }
                    pos += 1
                    skipWhitespace()
                    d[.str(k)] = try value()
                    skipWhitespace()
                    if peek() == "," { pos += 1; continue }
                    if peek() == "}" { pos += 1; return .dict(d, boxed: false) }
                    throw Failure.decodeError
                }
            case "[":
                pos += 1
                depth += 1
                defer { depth -= 1 }
                if depth > Scanner.maxDepth { throw Failure.otherError(type: "RecursionError", message: "maximum recursion depth exceeded while decoding a JSON array from a unicode string") }
                var items: [PyValue] = []
                skipWhitespace()
                if peek() == "]" { pos += 1; return .list(items, boxed: false) }
                while true {
                    skipWhitespace()
                    items.append(try value())
                    skipWhitespace()
                    if peek() == "," { pos += 1; continue }
                    if peek() == "]" { pos += 1; return .list(items, boxed: false) }
                    throw Failure.decodeError
                }
            case "n" where matches("null"): pos += 4; return .none
            case "t" where matches("true"): pos += 4; return .bool(true)
            case "f" where matches("false"): pos += 5; return .bool(false)
            case "N" where matches("NaN"): pos += 3; return .float(.nan)
            case "I" where matches("Infinity"): pos += 8; return .float(.infinity)
            case "-" where matches("-Infinity"): pos += 9; return .float(-.infinity)
            default: return try number()
            }
        }

        static func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { ("0"..."9").contains($0) } ?? false }

        mutating func number() throws -> PyValue {
            let start = pos
            if peek() == "-" { pos += 1 }
            guard let first = peek(), Scanner.isDigit(first) else { throw Failure.decodeError }
            if first == "0" { pos += 1 } else { while Scanner.isDigit(peek()) { pos += 1 } }
            var isFloat = false
            if peek() == ".", Scanner.isDigit(peek(1)) {
                isFloat = true
                pos += 1
                while Scanner.isDigit(peek()) { pos += 1 }
            }
            if let e = peek(), e == "e" || e == "E" {
                var o = 1
                if let sg = peek(1), sg == "+" || sg == "-" { o = 2 }
                if Scanner.isDigit(peek(o)) {
                    isFloat = true
                    pos += o
                    while Scanner.isDigit(peek()) { pos += 1 }
                }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: s[start..<pos])
            if isFloat {
                guard let d = Double(text) ?? PythonLiteral.overflowingDouble(text) else { throw Failure.decodeError }
                return .float(d)
            }
            let negative = text.hasPrefix("-")
            let digits = negative ? text.dropFirst() : Substring(text)
            if digits.count > 4300 {
                throw Failure.otherError(type: "ValueError", message: "Exceeds the limit (4300 digits) for integer string conversion: value has \(digits.count) digits; use sys.set_int_max_str_digits() to increase the limit")
            }
            guard let v = PyInt(digits: digits, radix: 10) else { throw Failure.decodeError }
            return .int(negative ? v.negated : v)
        }

        mutating func string() throws -> String {
            var out = ""
            while true {
                guard let c = peek() else { throw Failure.decodeError }
                pos += 1
                if c == "\"" { return out }
                if c.value < 0x20 { throw Failure.decodeError }
                if c != "\\" { out.unicodeScalars.append(c); continue }
                guard let e = peek() else { throw Failure.decodeError }
                pos += 1
                switch e {
                case "\"": out += "\""
                case "\\": out += "\\"
                case "/": out += "/"
                case "b": out += "\u{8}"
                case "f": out += "\u{C}"
                case "n": out += "\n"
                case "r": out += "\r"
                case "t": out += "\t"
                case "u":
                    var v = try hex4()
                    if (0xD800...0xDBFF).contains(v), peek() == "\\", peek(1) == "u" {
                        let save = pos
                        pos += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                        } else { pos = save }
                    }
                    // Lone surrogates are valid in a Python str but not in a Swift String.
                    out.unicodeScalars.append(Unicode.Scalar(v) ?? "\u{FFFD}")
                default: throw Failure.decodeError
                }
            }
        }

        mutating func hex4() throws -> UInt32 {
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard let c = peek(), let d = PyInt.digitValue(c), d < 16 else { throw Failure.decodeError }
                v = v * 16 + UInt32(d)
                pos += 1
            }
            return v
        }
    }
}
