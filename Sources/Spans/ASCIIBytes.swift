/// Byte classes of ASCII text, shared by the readers of names in values and code.
public enum ASCIIBytes {
    /// A letter, a digit or `_`: a byte of a shell variable, an env var or an identifier
    /// name, and of `\w` in ASCII.
    @inlinable
    public static func isWordByte(_ byte: UInt8) -> Bool {
        byte == 0x5F || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
    }
}
