import PrefectModel

/// PS301 cloud-secret-api-on-server: `set_secret`, `delete_secret`, `secret_names` or
/// `secret_value` (Client or GraphQL) with a Server backend. Server has no secret store, and
/// the error it returns for `set_secret` echoes the value (facts §8.2).
public struct CloudSecretAPIOnServerRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS301"] }

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        // Any other value (`Cloud`, `local`) leaves the API URL empty: the call fails before it
        // reaches a server, and PS305 reports the value.
        guard let backend = BackendFacts.effectiveBackend(model), backend == "server" else { return }
        let source = model.projectBackend?.source ?? "every agent in the project runs with it"
        for file in model.files {
            for use in file.facts.cloudAPIUses where !use.serverChosenByClient {
                let echo = use.operation.contains("set_secret") ? " and its error for set_secret echoes the value" : ""
                sink.report(
                    "PS301", path: file.path, span: use.span,
                    message: "\(use.operation) is a Prefect Cloud secret API, but the backend is \(backend) (\(source)); Prefect Server has no secret store\(echo)")
            }
        }
    }
}
