import Foundation
import Spans

/// The value of a string literal (or of adjacent literals) once escapes are applied.
public struct PythonStringValue: Sendable, Hashable {
    /// For `str` literals the UTF-8 encoding of the value; for `bytes` literals the bytes.
    public var bytes: [UInt8]
    public var isBytes: Bool
    /// False when the value is approximate: a `\N{NAME}` escape with a name ICU does not know
    /// (kept verbatim) or an escape naming an invalid code point.
    public var isExact: Bool

    /// The value as text (bytes literals are read as UTF-8, invalid sequences replaced).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Decodes plain (non-f) string literal tokens as Python does.
public enum PythonStringDecoder {
    /// The value of one ``PythonTokenKind/string`` token; nil for any other token.
    public static func decode(_ token: PythonToken, in source: [UInt8]) -> PythonStringValue? {
        source.withUnsafeBufferPointer { decode(token, in: $0) }
    }

    /// The value of one ``PythonTokenKind/string`` token; nil for any other token.
    public static func decode(_ token: PythonToken, in source: UnsafeBufferPointer<UInt8>) -> PythonStringValue? {
        guard let content = token.stringContentSpan, content.end <= source.count else { return nil }
        var value = PythonStringValue(bytes: [], isBytes: token.stringFlags.contains(.bytes), isExact: true)
        value.bytes.reserveCapacity(content.length)
        append(content, flags: token.stringFlags, source: source, into: &value)
        return value
    }

    /// The value of adjacent literals (`"a" "b"`), as Python concatenates them at compile time.
    /// Nil when a token is not a plain string or `str` and `bytes` literals are mixed.
    public static func decodeConcatenation(_ tokens: some Sequence<PythonToken>, in source: [UInt8])
        -> PythonStringValue?
    {
        source.withUnsafeBufferPointer { buffer in
            var concatenation = Concatenation()
            for token in tokens { concatenation.add(token, in: buffer) }
            return concatenation.value
        }
    }

    /// Adjacent literals decoded one by one as a reader meets them, into one value (no list
    /// of tokens, no copy of the value per token).
    public struct Concatenation {
        private var decoded = PythonStringValue(bytes: [], isBytes: false, isExact: true)
        private var isEmpty = true
        private var failed = false

        public init() {}

        /// The value so far: nil before the first token, or after one that was not a plain
        /// string or mixed `str` and `bytes`.
        public var value: PythonStringValue? { isEmpty || failed ? nil : decoded }

        public mutating func add(_ token: PythonToken, in source: UnsafeBufferPointer<UInt8>) {
            guard !failed else { return }
            guard let content = token.stringContentSpan, content.end <= source.count else {
                failed = true
                return
            }
            let isBytes = token.stringFlags.contains(.bytes)
            if isEmpty {
                decoded.isBytes = isBytes
                isEmpty = false
            } else if decoded.isBytes != isBytes {
                failed = true
                return
            }
            decoded.bytes.reserveCapacity(decoded.bytes.count + content.length)
            PythonStringDecoder.append(content, flags: token.stringFlags, source: source, into: &decoded)
        }
    }

    private static func append(
        _ content: ByteSpan, flags: PythonStringFlags, source b: UnsafeBufferPointer<UInt8>,
        into value: inout PythonStringValue
    ) {
        let raw = flags.contains(.raw)
        let isBytes = flags.contains(.bytes)
        var i = content.start
        let end = content.end
        while i < end {
            let c = b[i]
            // Python reads source with universal newlines: CRLF and CR inside literals become LF.
            if c == 0x0D {
                value.bytes.append(0x0A)
                i += (i + 1 < end && b[i + 1] == 0x0A) ? 2 : 1
                continue
            }
            guard c == 0x5C, i + 1 < end else {
                value.bytes.append(c)
                i += 1
                continue
            }
            let e = b[i + 1]
            if raw {
                // A raw backslash stays, but still joins lines the same way the bytes read.
                value.bytes.append(c)
                i += 1
                continue
            }
            i += 2
            switch e {
            case 0x0A: break
            case 0x0D: if i < end, b[i] == 0x0A { i += 1 }
            case 0x5C, 0x27, 0x22: value.bytes.append(e)
            case 0x61: value.bytes.append(0x07)  // a
            case 0x62: value.bytes.append(0x08)  // b
            case 0x66: value.bytes.append(0x0C)  // f
            case 0x6E: value.bytes.append(0x0A)  // n
            case 0x72: value.bytes.append(0x0D)  // r
            case 0x74: value.bytes.append(0x09)  // t
            case 0x76: value.bytes.append(0x0B)  // v
            case 0x30...0x37:
                var code = UInt32(e - 0x30)
                var digits = 1
                while digits < 3, i < end, b[i] >= 0x30, b[i] <= 0x37 {
                    code = code * 8 + UInt32(b[i] - 0x30)
                    i += 1
                    digits += 1
                }
                appendCode(code, isBytes: isBytes, into: &value)
            case 0x78, 0x75, 0x55:  // x u U
                let count = e == 0x78 ? 2 : (e == 0x75 ? 4 : 8)
                if (e != 0x78 && isBytes) || i + count > end {
                    value.bytes += [0x5C, e]
                    if e == 0x78 || !isBytes { value.isExact = false }
                    continue
                }
                var code: UInt32 = 0
                var ok = true
                for k in 0..<count {
                    guard let digit = hexValue(b[i + k]) else {
                        ok = false
                        break
                    }
                    code = code &* 16 &+ UInt32(digit)
                }
                if ok {
                    i += count
                    appendCode(code, isBytes: isBytes, into: &value)
                } else {
                    value.bytes += [0x5C, e]
                    value.isExact = false
                }
            case 0x4E where !isBytes:  // \N{NAME}
                if i < end, b[i] == 0x7B, let close = (i..<end).first(where: { b[$0] == 0x7D }),
                    let scalar = namedScalar(String(decoding: UnsafeBufferPointer(rebasing: b[(i + 1)..<close]), as: UTF8.self))
                {
                    value.bytes += Array(String(Character(scalar)).utf8)
                    i = close + 1
                } else {
                    value.bytes += [0x5C, e]
                    value.isExact = false
                }
            default:
                // Unknown escapes keep their backslash (Python warns but does the same).
                value.bytes += [0x5C, e]
            }
        }
    }

    /// The character a `\N{NAME}` escape names (Unicode names, case-insensitive as Python
    /// reads them), through ICU's name transform; nil for an unknown name.
    static func namedScalar(_ name: String) -> Unicode.Scalar? {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x7B && $0 != 0x7D }) else { return nil }
        let named = "\\N{\(name.uppercased())}".applyingTransform(StringTransform("Name-Any"), reverse: false)
        guard let scalars = named?.unicodeScalars, scalars.count == 1 else { return nil }
        return scalars.first
    }

    private static func appendCode(_ code: UInt32, isBytes: Bool, into value: inout PythonStringValue) {
        if isBytes {
            value.bytes.append(UInt8(truncatingIfNeeded: code))
        } else if let scalar = Unicode.Scalar(code) {
            value.bytes += Array(String(Character(scalar)).utf8)
        } else {
            value.bytes += [0xEF, 0xBF, 0xBD]
            value.isExact = false
        }
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }
}
