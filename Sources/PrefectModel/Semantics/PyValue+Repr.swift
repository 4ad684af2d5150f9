import Spans

// Python's repr/str for the values the model computes with. `str()` matters because a partial
// `${a.b}` config reference inserts `str(value)` into the surrounding text.

extension PyValue {
    /// Python's `repr(value)` (sets in insertion order; Python orders them by hash).
    public var pyRepr: String {
        switch self {
        case .none: return "None"
        case .ellipsis: return "Ellipsis"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return i.description
        case .float(let d): return PyFormat.floatRepr(d)
        case .complex(let r, let i): return PyFormat.complexRepr(r, i)
        case .str(let s): return PyFormat.strRepr(s)
        case .bytes(let b): return PyFormat.bytesRepr(b)
        case .tuple(let items):
            if items.count == 1 { return "(" + items[0].pyRepr + ",)" }
            return "(" + items.map(\.pyRepr).joined(separator: ", ") + ")"
        case .list(let items, _): return "[" + items.map(\.pyRepr).joined(separator: ", ") + "]"
        case .dict(let d, _):
            return "{" + d.entries.map { $0.key.pyRepr + ": " + $0.value.pyRepr }.joined(separator: ", ") + "}"
        case .set(let items):
            return items.isEmpty ? "set()" : "{" + items.map(\.pyRepr).joined(separator: ", ") + "}"
        case .opaque(_, let r): return r
        }
    }

    /// Python's `str(value)`.
    public var pyStr: String {
        if case .str(let s) = self { return s }
        return pyRepr
    }

    /// A type-tagged, order-stable rendering used to compare values with Prefect by hash
    /// (the differential test computes the same string in Python).
    public var canonicalRepr: String {
        switch self {
        case .none: return "None"
        case .ellipsis: return "ellipsis"
        case .bool(let b): return "bool:" + (b ? "True" : "False")
        case .int(let i): return "int:" + i.description
        case .float(let d): return "float:" + PyFormat.floatRepr(d)
        case .complex(let r, let i): return "complex:" + PyFormat.complexRepr(r, i)
        case .str(let s): return "str:" + PyFormat.strRepr(s)
        case .bytes(let b): return "bytes:" + PyFormat.bytesRepr(b)
        case .tuple(let items): return "tuple(" + items.map(\.canonicalRepr).joined(separator: ",") + ")"
        case .list(let items, _): return "list[" + items.map(\.canonicalRepr).joined(separator: ",") + "]"
        case .dict(let d, _):
            return "dict{" + d.entries.map { $0.key.canonicalRepr + ":" + $0.value.canonicalRepr }.joined(separator: ",") + "}"
        case .set(let items):
            let sorted = items.map(\.canonicalRepr).sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
            return "set{" + sorted.joined(separator: ",") + "}"
        case .opaque(let t, _): return "other:" + t
        }
    }

    /// Lowercase hex SHA-256 of the UTF-8 `canonicalRepr`: lets tests compare values without showing them.
    public var canonicalHash: String { SHA256.hex(canonicalRepr.utf8) }
}

/// Python's number and string formatting rules.
enum PyFormat {
    /// Shortest round-trip digits and decimal point position (value = 0.DIGITS × 10^decpt).
    static func shortestDigits(_ d: Double) -> (digits: [UInt8], decpt: Int) {
        let text = abs(d).description  // Swift prints the shortest round-trip digits too
        var mantissa: [UInt8] = []
        var pointPos: Int? = nil
        var exp = 0
        var chars = Array(text.utf8)[...]
        while let c = chars.first, c != UInt8(ascii: "e"), c != UInt8(ascii: "E") {
            chars = chars.dropFirst()
            if c == UInt8(ascii: ".") { pointPos = mantissa.count } else { mantissa.append(c - 48) }
        }
        if !chars.isEmpty {
            chars = chars.dropFirst()
            var sign = 1
            if chars.first == UInt8(ascii: "-") { sign = -1; chars = chars.dropFirst() } else if chars.first == UInt8(ascii: "+") { chars = chars.dropFirst() }
            for c in chars { exp = exp * 10 + Int(c - 48) }
            exp *= sign
        }
        var decpt = (pointPos ?? mantissa.count) + exp
        while let f = mantissa.first, f == 0 { mantissa.removeFirst(); decpt -= 1 }
        while let l = mantissa.last, l == 0 { mantissa.removeLast() }
        if mantissa.isEmpty { return ([0], 1) }
        return (mantissa, decpt)
    }

    /// `repr(float)`; `addDotZero` false gives the form used inside complex reprs.
    static func floatRepr(_ d: Double, addDotZero: Bool = true) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        let sign = d.sign == .minus ? "-" : ""
        if d == 0 { return sign + (addDotZero ? "0.0" : "0") }
        let (digits, decpt) = shortestDigits(d)
        let ds = String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
        if decpt <= -4 || decpt > 16 {
            var m = String(ds.prefix(1))
            if ds.count > 1 { m += "." + ds.dropFirst() }
            let e = decpt - 1
            let es = String(abs(e))
            return sign + m + "e" + (e < 0 ? "-" : "+") + (es.count < 2 ? "0" + es : es)
        }
        if decpt <= 0 { return sign + "0." + String(repeating: "0", count: -decpt) + ds }
        if decpt >= digits.count {
            return sign + ds + String(repeating: "0", count: decpt - digits.count) + (addDotZero ? ".0" : "")
        }
        return sign + String(ds.prefix(decpt)) + "." + String(ds.dropFirst(decpt))
    }

    static func complexRepr(_ r: Double, _ i: Double) -> String {
        var imag = floatRepr(i, addDotZero: false)
        if r == 0 && r.sign == .plus { return imag + "j" }
        if !imag.hasPrefix("-") { imag = "+" + imag }
        return "(" + floatRepr(r, addDotZero: false) + imag + "j)"
    }

    static func hex(_ v: UInt32, width: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// Python's `str.isprintable` for one character.
    static func isPrintable(_ s: Unicode.Scalar) -> Bool {
        if s == " " { return true }
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default: return true
        }
    }

    static func strRepr(_ s: String) -> String {
        let scalars = s.unicodeScalars
        let hasSingle = scalars.contains("'"), hasDouble = scalars.contains("\"")
        let quote: Unicode.Scalar = (hasSingle && !hasDouble) ? "\"" : "'"
        var out = String(quote)
        for c in scalars {
            if c == quote || c == "\\" { out += "\\" + String(c) }
            else if c == "\t" { out += "\\t" }
            else if c == "\n" { out += "\\n" }
            else if c == "\r" { out += "\\r" }
            else if c.value < 0x20 || c.value == 0x7f { out += "\\x" + hex(c.value, width: 2) }
            else if c.value < 0x7f { out.unicodeScalars.append(c) }
            else if isPrintable(c) { out.unicodeScalars.append(c) }
            else if c.value <= 0xff { out += "\\x" + hex(c.value, width: 2) }
            else if c.value <= 0xffff { out += "\\u" + hex(c.value, width: 4) }
            else { out += "\\U" + hex(c.value, width: 8) }
        }
        out.unicodeScalars.append(quote)
        return out
    }

    static func bytesRepr(_ b: [UInt8]) -> String {
        let hasSingle = b.contains(39), hasDouble = b.contains(34)
        let quote: UInt8 = (hasSingle && !hasDouble) ? 34 : 39
        var out = "b" + String(UnicodeScalar(quote))
        for c in b {
            if c == quote || c == 92 { out += "\\" + String(UnicodeScalar(c)) }
            else if c == 9 { out += "\\t" }
            else if c == 10 { out += "\\n" }
            else if c == 13 { out += "\\r" }
            else if c < 0x20 || c >= 0x7f { out += "\\x" + hex(UInt32(c), width: 2) }
            else { out += String(UnicodeScalar(c)) }
        }
        return out + String(UnicodeScalar(quote))
    }
}
