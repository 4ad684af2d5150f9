/// JSON string literals, for the reports and for the analyzers that read a value as the JSON
/// text another tool writes (a Helm chart's `toJson`, a run config's dict as a template).
public enum JSONString {
    /// Whether `string` needs no escape (most do not). 0xE2 starts U+2028 and U+2029, which
    /// are escaped for JavaScript's sake; other characters it starts take the slow path too.
    static func isPlain(_ string: String) -> Bool {
        var string = string
        return string.withUTF8 { isPlain($0) }
    }

    public static func isPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xE2 { return false }
        return true
    }

    /// A JSON string literal with the escapes RFC 8259 requires.
    public static func quote(_ string: String) -> String {
        // Most strings need no escape: one pass over the bytes, then one copy.
        if isPlain(string) { return "\"" + string + "\"" }
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
