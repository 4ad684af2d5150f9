import PrefectModel

/// PS408 secrets-table-replaced: a whole-dict `PREFECT__CONTEXT__SECRETS='{...}'`, which
/// replaces every file-defined secret instead of adding to them (facts §2.2).
public struct SecretsTableReplacedRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS408"] }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        for env in context.analysis.facts.envAssignments
        where env.name == "PREFECT__CONTEXT__SECRETS" || env.name == "PREFECT__context__secrets" {
            sink.report(
                "PS408", path: context.file.path, span: env.nameSpan,
                message: "\(env.name) sets the whole secrets table at once and replaces every secret from config files; set PREFECT__CONTEXT__SECRETS__<NAME> per secret instead")
        }
    }
}
