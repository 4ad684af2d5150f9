/// Named checks that a matched secret is well formed beyond what a regex can say (checksums).
///
/// A detector names one with `validator = "name"`; ``DetectorSet`` rejects unknown names at load.
public enum Validators {
    /// A validator: true when the secret is well formed.
    public typealias Check = @Sendable (ArraySlice<UInt8>) -> Bool

    /// Every known validator by name.
    public static let all: [String: Check] = [
        "github-crc32": { githubCRC32($0) },
        "jwt": { jwt($0) },
    ]

    /// The validator called `name`, or nil when there is none.
    public static func named(_ name: String) -> Check? { all[name] }

    static let base62Alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// `value` in base 62 (digits, upper, lower), left-padded with "0" to `width`.
    public static func base62(_ value: UInt32, width: Int) -> [UInt8] {
        var v = value
        var digits: [UInt8] = []
        while v > 0 { digits.append(base62Alphabet[Int(v % 62)]); v /= 62 }
        while digits.count < width { digits.append(UInt8(ascii: "0")) }
        return digits.reversed()
    }

    /// GitHub's token checksum scheme (also used by npm's `npm_` tokens): the 36 characters after
    /// the prefix's underscore are 30 random base62 characters followed by the CRC-32 (IEEE) of
    /// those 30 characters, base62-encoded and zero-padded to 6 characters. The prefix is not
    /// part of the checksummed data.
    public static func githubCRC32(_ secret: ArraySlice<UInt8>) -> Bool {
        guard let underscore = secret.lastIndex(of: UInt8(ascii: "_")) else { return false }
        let body = secret[(underscore + 1)...]
        guard body.count == 36 else { return false }
        let random = body.prefix(30)
        let checksum = body.suffix(6)
        return base62(CRC32.checksum(random), width: 6).elementsEqual(checksum)
    }

    /// A JSON Web Token: the header and payload decode as base64url to JSON objects and the
    /// header names an algorithm.
    public static func jwt(_ secret: ArraySlice<UInt8>) -> Bool {
        let parts = secret.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3,
            let header = Base64URL.decode(parts[0]), let payload = Base64URL.decode(parts[1])
        else { return false }
        func isObject(_ bytes: [UInt8]) -> Bool {
            let trimmed = bytes.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
            return trimmed.first == UInt8(ascii: "{") && bytes.last(where: { $0 > 0x20 }) == UInt8(ascii: "}")
        }
        let alg = Array("\"alg\"".utf8)
        return isObject(header) && isObject(payload)
            && header.indices.contains { header[$0...].starts(with: alg) }
    }
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as zlib computes it.
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The checksum of `bytes`.
    public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

/// Lenient base64url decoding (padding optional, `+`/`/` accepted too).
public enum Base64URL {
    /// The decoded bytes, or nil when a byte is outside the alphabet or the length is impossible.
    public static func decode<C: Collection>(_ text: C) -> [UInt8]? where C.Element == UInt8 {
        var out: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        var count = 0
        for c in text {
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - 65)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - 97 + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - 48 + 52)
            case UInt8(ascii: "-"), UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "_"), UInt8(ascii: "/"): v = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            count += 1
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return count % 4 == 1 ? nil : out
    }
}
