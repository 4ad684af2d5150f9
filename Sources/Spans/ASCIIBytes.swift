/// Byte classes of ASCII text, shared by the readers of names in values and code.
public enum ASCIIBytes {
    /// A letter, a digit or `_`: a byte of a shell variable, an env var or an identifier
    /// name, and of `\w` in ASCII.
    @inlinable
    public static func isWordByte(_ byte: UInt8) -> Bool {
        byte == 0x5F || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
    }

    /// What follows the last `byte` in `text` (`Secret` of `prefect.client.Secret` after `.`),
    /// nil when `text` has none. On the UTF-8 buffer: the character view's grapheme breaking,
    /// or even the UTF-8 view's index walk, costs more than the rest of the readers' name
    /// tests, which ask this of most calls and commands.
    public static func suffix(afterLast byte: UInt8, in text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes in
            guard let at = bytes.lastIndex(of: byte) else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[(at + 1)...]), as: UTF8.self)
        }
    }
}
