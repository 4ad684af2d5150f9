/// Byte classes of ASCII text, shared by the readers of names in values and code.
public enum ASCIIBytes {
    /// A letter, a digit or `_`: a byte of a shell variable, an env var or an identifier
    /// name, and of `\w` in ASCII.
    @inlinable
    public static func isWordByte(_ byte: UInt8) -> Bool {
        byte == 0x5F || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
    }
}

extension ASCIIBytes {
    /// Whether `text` contains `part`, compared byte for byte. Foundation's `contains`
    /// bridges to NSString, which costs more than the search itself on the short names the
    /// analyzers test for every call.
    public static func contains(_ text: String, _ part: StaticString) -> Bool {
        var text = text
        return text.withUTF8 { haystack in
            part.withUTF8Buffer { needle in
                guard !needle.isEmpty else { return true }
                guard haystack.count >= needle.count else { return false }
                candidates: for start in 0...(haystack.count - needle.count) {
                    for k in needle.indices where haystack[start + k] != needle[k] { continue candidates }
                    return true
                }
                return false
            }
        }
    }
}
