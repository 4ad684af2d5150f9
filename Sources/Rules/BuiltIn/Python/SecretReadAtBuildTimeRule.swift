import PrefectModel

/// PS401 secret-read-at-build-time: `Secret(NAME).get()`, `PrefectSecret(...).run()` or
/// `VaultSecret(...).run()` while the flow is built. Inside `with Flow(...)` Prefect raises
/// (an error); at module level the value is read whenever the module loads, at registration
/// too, and pickle-based storage keeps it in the stored flow (a warning). Facts §1.2, §10 items 14-15.
public struct SecretReadAtBuildTimeRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS401"] }

    static let checkedAPIs: Set<String> = ["Secret.get", "PrefectSecret.run", "VaultSecret.run"]

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        guard let python = context.analysis.facts.python else { return }
        for read in python.secretReads where Self.checkedAPIs.contains(read.api) {
            let subject = read.name.map { "secret \($0)" } ?? "a secret"
            let what = read.functionName.map { "\($0)() calls \(read.api)(), which reads" } ?? "\(read.api)() reads"
            switch read.place {
            case .flowBlock:
                sink.report(
                    "PS401", path: context.file.path, span: read.span,
                    message: "\(what) \(subject) inside `with Flow(...)`: Prefect raises \"Secrets should only be retrieved during a Flow run, not while building a Flow.\"; pass PrefectSecret(...) to the task instead",
                    severity: .error, secretName: read.name)
            case .moduleLevel:
                sink.report(
                    "PS401", path: context.file.path, span: read.span,
                    message: "\(what) \(subject) at module level: it runs whenever the module is loaded, at registration too, with that machine's secrets, and pickle-based storage keeps the value in the stored flow; pass PrefectSecret(...) to the task instead",
                    severity: .warning, secretName: read.name)
            default:
                continue
            }
        }
    }
}
