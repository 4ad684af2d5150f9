import Spans

/// PS900 parse-error: a TOML/YAML/Python file that cannot be parsed. Prefect itself crashes
/// on an invalid config, so the exact position matters.
///
/// The error's line may hold a secret value (an unterminated `PASSWORD = "…`, or a line in the
/// middle of a multi-line string), so the frame keeps only what is surely not a value: the
/// key of a `key = value` or `key: value` line. Any other line is hidden whole, since without
/// a parse nothing tells a table header from a line of a multi-line secret.
public struct ParseErrorRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS900"] }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        let file = context.file
        for var diagnostic in context.analysis.diagnostics {
            let valueSpan = Self.valuePart(of: diagnostic.span.start, in: file)
            // "found `h`" would be a character of the hidden value.
            if let valueSpan, valueSpan.contains(diagnostic.span.start) { diagnostic.found = nil }
            sink.report(
                "PS900", path: file.path, span: diagnostic.span,
                message: "cannot parse \(context.analysis.kind == .python ? "Python" : context.analysis.kind.rawValue.uppercased()) file: \(diagnostic.fullMessage)",
                secretSpan: valueSpan, redactedValue: valueSpan.map { Redaction.placeholder(for: file.bytes[$0.range]) })
        }
    }

    /// The bytes of the line holding `offset` that may be a value, trimmed: after the key of
    /// a key line, else the whole line; nil when nothing is left.
    public static func valuePart(of offset: Int, in file: SourceFile) -> ByteSpan? {
        let line = file.lines.lineContentSpan(line: file.lines.lineNumber(at: offset) + 1)
        var start = line.start
        while start < line.end, file.bytes[start] == 0x20 || file.bytes[start] == 0x09 { start += 1 }
        if isTableHeader(file.bytes[start..<line.end]) { return nil }
        // A key line has a value after its separator: a line of base64 inside a multi-line
        // string (a PEM key) holds `=` only as padding at its end, so it is hidden whole.
        if let separator = file.bytes[start..<line.end].firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ":") }),
            separator - start <= 64, file.bytes[start..<separator].allSatisfy(isKeyByte),
            // YAML's `key: value` needs the blank; `a:b` inside a value is not a key.
            file.bytes[separator] == UInt8(ascii: "=") || (separator + 1 < line.end && [0x20, 0x09].contains(file.bytes[separator + 1]))
        {
            var value = separator + 1
            while value < line.end, file.bytes[value] == 0x20 || file.bytes[value] == 0x09 { value += 1 }
            if value < line.end, file.bytes[value] != UInt8(ascii: "=") { start = value }
        }
        var end = line.end
        while end > start, file.bytes[end - 1] == 0x20 || file.bytes[end - 1] == 0x09 { end -= 1 }
        return start < end ? ByteSpan(start, end) : nil
    }

    /// A whole TOML table header (`[context.secrets]`, `[[rules]]`), which names tables and
    /// holds no value: shown, since most TOML errors are about tables.
    static func isTableHeader(_ line: ArraySlice<UInt8>) -> Bool {
        var bytes = line
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
        guard bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") else { return false }
        let inner = bytes.drop { $0 == UInt8(ascii: "[") }.reversed().drop { $0 == UInt8(ascii: "]") }
        return !inner.isEmpty && inner.allSatisfy { isKeyByte($0) }
    }

    /// Bytes of a key as TOML, YAML, dotenv and Python write it before its `=` or `:`: names,
    /// dotted and quoted keys, a YAML list dash, `export`.
    static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "\""), UInt8(ascii: "'"), 0x20, 0x09:
            return true
        default:
            return false
        }
    }
}
