/// Well-formed UTF-8 (Unicode's table 3-7: no overlong forms, surrogates or code points past
/// U+10FFFF), checked on bytes for every parser that reads a file as text.
public enum UTF8Validation {
    /// What ``check(_:)`` finds.
    public enum Result: Equatable, Sendable {
        /// Every byte is ASCII.
        case ascii
        /// Well-formed, with other characters too.
        case valid
        /// The offset of the first byte that is not part of a well-formed sequence.
        case invalid(at: Int)
    }

    public static func check(_ bytes: [UInt8]) -> Result {
        bytes.withUnsafeBufferPointer { check($0) }
    }

    public static func check(_ p: UnsafeBufferPointer<UInt8>) -> Result {
        guard let base = p.baseAddress else { return .ascii }
        let raw = UnsafeRawPointer(base)
        let n = p.count
        var sawOther = false
        var i = 0
        while i < n {
            // Text is mostly ASCII: skip it 32, then eight bytes at a time.
            while i + 32 <= n,
                (raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                    | raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
                    & 0x8080_8080_8080_8080 == 0
            {
                i += 32
            }
            while i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < n else { break }
            let c = p[i]
            if c < 0x80 {
                i += 1
                continue
            }
            sawOther = true
            var need = 0
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; high = 0x9F
            case 0xF0: need = 3; low = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; high = 0x8F
            default: return .invalid(at: i)
            }
            guard i + need < n else { return .invalid(at: i) }
            let second = p[i + 1]
            if second < low || second > high { return .invalid(at: i) }
            var k = 2
            while k <= need {
                if p[i + k] & 0xC0 != 0x80 { return .invalid(at: i) }
                k += 1
            }
            i += need + 1
        }
        return sawOther ? .valid : .ascii
    }

    /// The offset of the first byte that is not part of a well-formed sequence, or nil.
    public static func firstInvalid(_ p: UnsafeBufferPointer<UInt8>) -> Int? {
        if case .invalid(let offset) = check(p) { return offset }
        return nil
    }

    public static func firstInvalid(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalid($0) }
    }
}
