import Spans

/// A minimal JSON writer with a fixed key order, so reports are byte-stable for snapshots.
public struct JSONWriter: Sendable {
    /// The UTF-8 written so far: appended to as bytes, without a `String` per value.
    private var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]
    private let pretty: Bool
    private var depth = 0

    public init(pretty: Bool = true) { self.pretty = pretty }

    /// The JSON written so far.
    public var output: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func newlineAndIndent() {
        guard pretty else { return }
        bytes.append(0x0A)
        for _ in 0..<(2 * depth) { bytes.append(0x20) }
    }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { bytes.append(0x2C) }
        if depth > 0 { newlineAndIndent() }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func key(_ key: String?) {
        guard let key else { return }
        appendQuoted(key)
        bytes.append(0x3A)
        if pretty { bytes.append(0x20) }
    }

    public mutating func beginObject(_ key: String? = nil) { open(0x7B, key) }
    public mutating func endObject() { close(0x7D) }
    public mutating func beginArray(_ key: String? = nil) { open(0x5B, key) }
    public mutating func endArray() { close(0x5D) }

    private mutating func open(_ bracket: UInt8, _ key: String?) {
        separator()
        self.key(key)
        bytes.append(bracket)
        depth += 1
        needsComma.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        let hadItems = needsComma.removeLast()
        depth -= 1
        if hadItems { newlineAndIndent() }
        bytes.append(bracket)
    }

    public mutating func raw(_ key: String?, _ json: String) {
        separator()
        self.key(key)
        bytes.append(contentsOf: json.utf8)
    }

    public mutating func string(_ key: String?, _ value: String?) {
        guard let value else { return raw(key, "null") }
        separator()
        self.key(key)
        appendQuoted(value)
    }

    public mutating func int(_ key: String?, _ value: Int) { raw(key, String(value)) }
    public mutating func bool(_ key: String?, _ value: Bool) { raw(key, value ? "true" : "false") }
    public mutating func null(_ key: String?) { raw(key, "null") }

    private mutating func appendQuoted(_ string: String) {
        var string = string
        let plain = string.withUTF8 { utf8 in
            guard JSONString.isPlain(utf8) else { return false }
            bytes.append(0x22)
            bytes.append(contentsOf: utf8)
            bytes.append(0x22)
            return true
        }
        if !plain { bytes.append(contentsOf: Self.quote(string).utf8) }
    }

    /// A JSON string literal with the escapes RFC 8259 requires (``JSONString/quote(_:)``).
    public static func quote(_ string: String) -> String { JSONString.quote(string) }
}
