import PrefectModel

/// PS408 secrets-table-replaced: a whole-dict `PREFECT__CONTEXT__SECRETS='{...}'`, which
/// replaces every file-defined secret instead of adding to them (facts §2.2), and a flow-run
/// context with `secrets`, which replaces every secret of the run (facts §10).
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
        for span in context.analysis.facts.runContextSecrets {
            sink.report(
                "PS408", path: context.file.path, span: span,
                message: "a flow-run context with `secrets` replaces every secret of the run (config files, the agent's env, storage.secrets), and it is stored with the flow run in plaintext; give the run its secrets through the agent's environment or Prefect Cloud instead")
        }
    }
}
