import PrefectModel

/// PS401 secret-read-at-build-time across modules: a helper of another project module that
/// reads a secret (`get_password()` in lib/creds.py calling `PrefectSecret("DB_PASSWORD").run()`),
/// called inside `with Flow(...)` (``ProjectModel/buildTimeHelperReads()``). Prefect raises as
/// for a read written in the flow's module (``SecretReadAtBuildTimeRule``). Facts §1.2. Called
/// at module level, it reads the secret whenever the flow's module is loaded: a warning, as
/// for a read written there.
public struct ImportedHelperReadAtBuildTimeRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS401"] }

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        // Helpers' reads are `Secret.get`, `PrefectSecret.run` and `VaultSecret.run`, which all
        // raise while a flow is built.
        for found in model.buildTimeHelperReads() {
            let read = found.read
            let subject = read.name.map { "secret \($0)" } ?? "a secret"
            let helper = "\(read.functionName ?? "the helper")() (\(model.describe(ProjectLocation(path: found.helperPath, span: read.span))))"
            let what = "\(helper) calls \(read.api)(), which reads \(subject)"
            if found.place == .moduleLevel {
                sink.report(
                    "PS401", path: found.path, span: found.call,
                    message: SecretReadAtBuildTimeRule.readsAtModuleLevel(what, when: "it runs whenever the module is loaded", source: "secrets", task: "PrefectSecret"),
                    severity: .warning, secretName: read.name)
            } else {
                sink.report(
                    "PS401", path: found.path, span: found.call,
                    message: SecretReadAtBuildTimeRule.raisesInFlowBlock(what),
                    severity: .error, secretName: read.name)
            }
        }
    }
}
