/// Redacted forms of secret values: kind and length only.
public enum Redaction {
    /// `ghp_…(40 chars)` for values with a public, well-known prefix; `…(12 chars)` otherwise.
    /// `publicPrefix` must be a non-secret prefix declared by a detector (ghp_, xoxb-, …).
    public static func placeholder(for value: some Collection<UInt8>, publicPrefix: String? = nil) -> String {
        let count = String(decoding: Array(value), as: UTF8.self).unicodeScalars.count
        let prefix = publicPrefix.flatMap { p -> String? in
            let bytes = Array(p.utf8)
            return value.starts(with: bytes) && bytes.count < value.count / 2 ? p : nil
        } ?? ""
        return "\(prefix)…(\(count) chars)"
    }

    /// The prefix of a token-format value that is safe to show: letters up to a `_` or `-`
    /// within the first 12 bytes (ghp_, glpat-, xoxb-, sk_live_, pcu_), when the rest is long.
    public static func publicPrefix(of value: [UInt8]) -> String? {
        var end: Int? = nil
        for (i, byte) in value.prefix(12).enumerated() {
            if byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") { end = i + 1 }
            else if !(byte >= 0x61 && byte <= 0x7A) && !(byte >= 0x41 && byte <= 0x5A) { break }
        }
        guard let end, value.count - end >= 16 else { return nil }
        return String(decoding: value[0..<end], as: UTF8.self)
    }
}
