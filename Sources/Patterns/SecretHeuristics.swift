import Spans

/// Filters for strings that look like credentials but are not findings: placeholders, variable
/// references, documented example keys, trivial strings, UUIDs and hashes.
///
/// Each check is small and separately tested; ``DetectorSet`` applies them after a regex match.
public enum SecretHeuristics {
    static let placeholderWords: [[UInt8]] = [
        "your_", "your-", "yourtoken", "yourkey", "yoursecret", "yourpassword", "xxxx", "changeme",
        "change_me", "change-me", "placeholder", "example", "dummy", "redacted", "replace",
        "replaceme", "insert_", "fake", "fixture", "sample", "notreal", "not_real", "not-a-real", "secret_here",
        "key_here", "token_here", "password_here", "****", "...", "…", "todo", "fixme", "<", ">",
    ].map { Array($0.utf8) }

    static let placeholderValues: Set<[UInt8]> = Set([
        "password", "passwd", "secret", "token", "apikey", "api_key", "none", "null", "nil", "true",
        "false", "test", "testing", "admin", "root", "default", "undefined", "string", "value",
        "hunter2", "letmein", "mypassword", "mysecret", "mytoken", "pass", "changeit", "qwerty",
    ].map { Array($0.utf8) })

    /// Documented example credentials from issuers' docs (AWS's key pair).
    static let documentedExamples: [[UInt8]] = [
        "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ].map { Array($0.utf8) }

    /// A placeholder such as `<your-token>`, `xxx`, `changeme` or `your_api_key_here`.
    public static func isPlaceholder<C: Collection>(_ secret: C) -> Bool where C.Element == UInt8 {
        let s = KeywordSet.lower(Array(secret))
        if placeholderValues.contains(s) { return true }
        if placeholderWords.contains(where: { ByteSearch.contains($0, in: s) }) { return true }
        // "xxx-xxx", "XXXXXX": mostly x's is a mask, not a value.
        let xs = s.filter { $0 == UInt8(ascii: "x") }.count
        return s.count >= 3 && xs * 2 >= s.count
    }

    static let referenceMarkers = ["${", "{{", "}}", "%(", "<%", "#{", "$("].map { Array($0.utf8) }

    /// A reference to a value held elsewhere: `${VAR}`, `$VAR`, `{{ var }}`, `%(var)s`, `{var}`,
    /// `<%= var %>`, `#{var}`; or text around a format field (`token:{secret}`, `{0}`, `{}`),
    /// which `str.format` or an f-string fills in. Where nothing formats the text
    /// (`formatFields` false: a shell word, an env file's value), braces are part of the
    /// value, and only a whole `{name}` is taken for a placeholder.
    public static func isReference<C: Collection>(_ secret: C, formatFields: Bool = true) -> Bool where C.Element == UInt8 {
        let s = Array(secret)
        guard let first = s.first else { return false }
        if first == UInt8(ascii: "$") { return true }
        if referenceMarkers.contains(where: { ByteSearch.contains($0, in: s) }) { return true }
        guard formatFields else {
            return first == UInt8(ascii: "{") && s.last == UInt8(ascii: "}") && s.count >= 3
                && s.dropFirst().dropLast().allSatisfy { ASCIIBytes.isWordByte($0) || $0 == UInt8(ascii: ".") }
        }
        return (first == UInt8(ascii: "{") && s.last == UInt8(ascii: "}")) || containsFormatField(s)
    }

    /// Whether `s` holds `{name}`, `{0}` or `{}`: a field name of word bytes and dots (up to
    /// 64) between braces.
    static func containsFormatField(_ s: [UInt8]) -> Bool {
        var open: Int?
        for (k, byte) in s.enumerated() {
            if byte == UInt8(ascii: "{") {
                open = k
            } else if byte == UInt8(ascii: "}"), let start = open, k - start <= 65 {
                return true
            } else if open != nil, !(ASCIIBytes.isWordByte(byte) || byte == UInt8(ascii: ".")) {
                open = nil
            }
        }
        return false
    }

    /// A key the issuer publishes in its documentation (e.g. AWS's `AKIAIOSFODNN7EXAMPLE`).
    public static func isDocumentedExample<C: Collection>(_ secret: C) -> Bool where C.Element == UInt8 {
        let s = Array(secret)
        return documentedExamples.contains { ByteSearch.contains($0, in: s) }
    }

    /// The body (after a short lower-case prefix such as `ghp_` or `sk_live_`) repeats one byte.
    public static func isSameCharacter<C: Collection>(_ secret: C) -> Bool where C.Element == UInt8 {
        let body = tokenBody(Array(secret))
        guard let first = body.first, body.count >= 2 else { return false }
        return body.allSatisfy { $0 == first }
    }

    /// The body is an ascending or descending run (`123456789`, `abcdefgh`, `9876543210`), with
    /// wrap-around from 9 to 0 allowed.
    public static func isSequential<C: Collection>(_ secret: C) -> Bool where C.Element == UInt8 {
        let body = KeywordSet.lower(Array(tokenBody(Array(secret))))
        guard body.count >= 4 else { return false }
        var up = 0, down = 0
        for i in 1..<body.count {
            let a = Int(body[i - 1]), b = Int(body[i])
            if b == a + 1 || (a == 57 && b == 48) || (a == 57 && b == 97) { up += 1 }
            if b == a - 1 || (a == 48 && b == 57) { down += 1 }
        }
        let pairs = body.count - 1
        return up * 10 >= pairs * 8 || down * 10 >= pairs * 8
    }

    /// A UUID (`8-4-4-4-12` hex digits), an identifier rather than a secret.
    public static func isUUID<C: Collection>(_ secret: C) -> Bool where C.Element == UInt8 {
        let s = Array(secret)
        guard s.count == 36 else { return false }
        for (i, c) in s.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                if c != UInt8(ascii: "-") { return false }
            } else if !isHex(c) {
                return false
            }
        }
        return true
    }

    static let hashWords: [[UInt8]] = [
        "sha1", "sha-1", "sha224", "sha256", "sha-256", "sha384", "sha512", "sha-512", "md5", "checksum",
        "digest", "integrity", "hash", "blake2", "crc32", "etag", "fingerprint",
    ].map { Array($0.utf8) }

    /// The line holding the secret names a hash (sha256, md5, checksum, digest, integrity...), so
    /// a long hex or base64 value there is a hash, not a credential.
    public static func hasHashContext<C: Collection>(line: C) -> Bool where C.Element == UInt8 {
        let l = Array(line)
        return l.withUnsafeBufferPointer { hashWordSet.occurs(in: $0) }
    }

    /// One automaton pass instead of a substring search per word.
    static let hashWordSet = KeywordSet(hashWords.map { String(decoding: $0, as: UTF8.self) })

    /// The match starts on a line that begins (after blanks) with a comment marker
    /// (`#`, `//`, `-- `, `;`, `*`, `/*`, `<!--`). SQL's `--` counts only before a blank: a
    /// line of a continued command starts with an option (`  --postgres-url "…"`).
    public static func isInCommentLine<C: Collection>(lineBeforeMatch: C) -> Bool where C.Element == UInt8 {
        let l = Array(lineBeforeMatch.drop { $0 == 0x20 || $0 == 0x09 })
        if l.starts(with: [0x2D, 0x2D]) { return l.count == 2 || l[2] == 0x20 || l[2] == 0x09 }
        for marker in ["#", "//", ";", "*", "/*", "<!--"] where l.starts(with: Array(marker.utf8)) {
            return true
        }
        return false
    }

    /// Any of the checks that apply to every detector.
    public static func isNotASecret<C: Collection>(_ secret: C) -> Bool where C.Element == UInt8 {
        isPlaceholder(secret) || isReference(secret) || isDocumentedExample(secret)
            || isSameCharacter(secret) || isSequential(secret)
    }

    static func isHex(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
    }

    /// The part after a short lower-case prefix ending in `_` or `-` (`ghp_`, `sk_live_`, `glpat-`).
    static func tokenBody(_ s: [UInt8]) -> ArraySlice<UInt8> {
        var cut = 0
        for (i, c) in s.prefix(12).enumerated() {
            if c == UInt8(ascii: "_") || c == UInt8(ascii: "-") { cut = i + 1; continue }
            if !(c >= 97 && c <= 122) { break }
        }
        return s[cut...]
    }
}
