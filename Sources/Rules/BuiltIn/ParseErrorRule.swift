/// PS900 parse-error: a TOML/YAML/Python file that cannot be parsed. Prefect itself crashes
/// on an invalid config, so the exact position matters.
public struct ParseErrorRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS900"] }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        for diagnostic in context.analysis.diagnostics {
            sink.report(
                "PS900", path: context.file.path, span: diagnostic.span,
                message: "cannot parse \(context.analysis.kind.rawValue.uppercased()) file: \(diagnostic.fullMessage)")
        }
    }
}
