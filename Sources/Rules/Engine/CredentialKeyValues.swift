import PrefectModel
import Spans

/// The values written under credential-named keys in any text (`password: …`, `"api_key": …`,
/// `CLIENT_SECRET=…`), found line by line without parsing: a code frame hides them in every
/// file it shows, also where no analyzer reads the file (a Helm values file, a settings
/// module) and a passphrase would not look random.
public enum CredentialKeyValues {
    /// The spans of such values in `bytes`: a quoted value's content, or an unquoted value up
    /// to a blank, `,`, `}`, `]`, `)` or `#` that is not code (a variable, a call, a reference).
    public static func spans(in bytes: [UInt8]) -> [ByteSpan] {
        var spans: [ByteSpan] = []
        var i = 0
        while i < bytes.count {
            let separator = bytes[i]
            guard separator == 0x3A || separator == 0x3D, let key = key(before: i, in: bytes) else {  // : =
                i += 1
                continue
            }
            // `==`, `:=`, `=>` and `::` compare or bind; they write no value.
            if i + 1 < bytes.count, bytes[i + 1] == 0x3D || bytes[i + 1] == 0x3E || bytes[i + 1] == 0x3A || (i > 0 && bytes[i - 1] == 0x3A) {
                i += 2
                continue
            }
            guard PrefectComponents.looksLikeCredentialName(String(decoding: bytes[key.range], as: UTF8.self)) else {
                i += 1
                continue
            }
            if let value = value(after: i, in: bytes) {
                spans.append(value)
                i = max(i + 1, value.end)
            } else {
                i += 1
            }
        }
        return spans
    }

    /// The key right before the separator at `index`: letters, digits, `_`, `-`, `.`, maybe
    /// quoted, maybe followed by blanks.
    static func key(before index: Int, in bytes: [UInt8]) -> ByteSpan? {
        var end = index
        while end > 0, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        if end > 0, bytes[end - 1] == 0x22 || bytes[end - 1] == 0x27 { end -= 1 }
        var start = end
        while start > 0, isKeyByte(bytes[start - 1]) { start -= 1 }
        return start < end ? ByteSpan(start, end) : nil
    }

    /// The value after the separator at `index`, on the same line; nil when there is none.
    static func value(after index: Int, in bytes: [UInt8]) -> ByteSpan? {
        var start = index + 1
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        guard start < bytes.count else { return nil }
        let first = bytes[start]
        if first == 0x22 || first == 0x27 {
            var end = start + 1
            while end < bytes.count, bytes[end] != first, bytes[end] != 0x0A {
                end += bytes[end] == 0x5C ? 2 : 1
            }
            end = min(end, bytes.count)
            guard end > start + 1, !isReference(bytes[(start + 1)..<end]) else { return nil }
            return ByteSpan(start + 1, end)
        }
        var end = start
        while end < bytes.count, !" \t\r\n,}])#\"'".utf8.contains(bytes[end]) { end += 1 }
        guard end > start, end >= bytes.count || (bytes[end] != 0x22 && bytes[end] != 0x27) else { return nil }
        // Code stays readable: a reference (`$PW`, `{{ .Values.pw }}`), a call
        // (`PrefectSecret("PW")`), a subscript or a variable (`db_password`, `None`) is no value
        // written out.
        let token = bytes[start..<end]
        if isReference(token) || token.contains(0x28) || token.contains(0x5B) { return nil }
        if token.allSatisfy({ isKeyByte($0) && !($0 >= 0x30 && $0 <= 0x39) && $0 != 0x2D }) { return nil }
        return ByteSpan(start, end)
    }

    /// `$PW`, `${PW}`, `%(PW)s`, `{{ .Values.pw }}`: a value given elsewhere.
    static func isReference(_ text: ArraySlice<UInt8>) -> Bool {
        guard let first = text.first else { return false }
        return first == 0x24 || first == 0x7B || (first == 0x25 && text.dropFirst().first == 0x28)
    }

    static func isKeyByte(_ c: UInt8) -> Bool {
        c == 0x5F || c == 0x2D || c == 0x2E || (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
    }
}
