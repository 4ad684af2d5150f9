/// A minimal JSON writer with a fixed key order, so reports are byte-stable for snapshots.
public struct JSONWriter: Sendable {
    public private(set) var output = ""
    private var needsComma: [Bool] = [false]
    private let indentUnit: String
    private var depth = 0

    public init(pretty: Bool = true) { indentUnit = pretty ? "  " : "" }

    private var newline: String { indentUnit.isEmpty ? "" : "\n" }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { output += "," }
        if depth > 0 { output += newline + String(repeating: indentUnit, count: depth) }
        needsComma[needsComma.count - 1] = true
    }

    public mutating func beginObject(_ key: String? = nil) { open("{", key) }
    public mutating func endObject() { close("}") }
    public mutating func beginArray(_ key: String? = nil) { open("[", key) }
    public mutating func endArray() { close("]") }

    private mutating func open(_ bracket: String, _ key: String?) {
        separator()
        if let key { output += Self.quote(key) + (indentUnit.isEmpty ? ":" : ": ") }
        output += bracket
        depth += 1
        needsComma.append(false)
    }

    private mutating func close(_ bracket: String) {
        let hadItems = needsComma.removeLast()
        depth -= 1
        if hadItems { output += newline + String(repeating: indentUnit, count: depth) }
        output += bracket
    }

    public mutating func raw(_ key: String?, _ json: String) {
        separator()
        if let key { output += Self.quote(key) + (indentUnit.isEmpty ? ":" : ": ") }
        output += json
    }

    public mutating func string(_ key: String?, _ value: String?) { raw(key, value.map(Self.quote) ?? "null") }
    public mutating func int(_ key: String?, _ value: Int) { raw(key, String(value)) }
    public mutating func bool(_ key: String?, _ value: Bool) { raw(key, value ? "true" : "false") }
    public mutating func null(_ key: String?) { raw(key, "null") }

    /// A JSON string literal with the escapes RFC 8259 requires.
    public static func quote(_ string: String) -> String {
        // Most strings need no escape: one pass over the bytes, then one copy.
        let plain = string.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C && $0 != 0x7F && $0 != 0xE2 }
        if plain { return "\"" + string + "\"" }
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x2028...0x2029).contains(scalar.value):
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
