import Spans

/// PS900 parse-error: a TOML/YAML/Python file that cannot be parsed. Prefect itself crashes
/// on an invalid config, so the exact position matters.
///
/// The error's line may hold a secret value (an unterminated `PASSWORD = "…`), so the part of
/// the line after its first `=` or `:` is treated as a value and redacted like any secret.
public struct ParseErrorRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS900"] }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        let file = context.file
        for diagnostic in context.analysis.diagnostics {
            let valueSpan = Self.valuePart(of: diagnostic.span.start, in: file)
            sink.report(
                "PS900", path: file.path, span: diagnostic.span,
                message: "cannot parse \(context.analysis.kind.rawValue.uppercased()) file: \(diagnostic.fullMessage)",
                secretSpan: valueSpan, redactedValue: valueSpan.map { Redaction.placeholder(for: file.bytes[$0.range]) })
        }
    }

    /// The bytes after the first `=` or `:` of the line holding `offset`, trimmed; nil when empty.
    static func valuePart(of offset: Int, in file: SourceFile) -> ByteSpan? {
        let line = file.lines.lineContentSpan(line: file.lines.lineNumber(at: offset) + 1)
        guard let separator = file.bytes[line.range].firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ":") }) else {
            return nil
        }
        var start = separator + 1
        while start < line.end, file.bytes[start] == 0x20 || file.bytes[start] == 0x09 { start += 1 }
        var end = line.end
        while end > start, file.bytes[end - 1] == 0x20 || file.bytes[end - 1] == 0x09 { end -= 1 }
        return start < end ? ByteSpan(start, end) : nil
    }
}
