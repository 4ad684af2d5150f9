import PrefectModel
import Spans

/// PS303 cloud-credential-on-server: a Cloud API key or tenant configured where the backend is
/// Server: it does nothing there, and it is one more copy of a credential.
public struct CloudCredentialOnServerRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS303"] }

    static let envNames: Set<String> = [
        "PREFECT__CLOUD__API_KEY", "PREFECT__CLOUD__TENANT_ID", "PREFECT__CLOUD__AUTH_TOKEN", "PREFECT__CLOUD__AGENT__AUTH_TOKEN",
    ]
    /// The same settings in a config file.
    static let configPaths: Set<[String]> = [["cloud", "api_key"], ["cloud", "tenant_id"], ["cloud", "auth_token"], ["cloud", "agent", "auth_token"]]

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        let projectBackend = BackendFacts.effectiveBackend(model)
        var agentBackends: [String: [Int: String]] = [:]
        for agent in model.agents { agentBackends[agent.path, default: [:]][agent.indexInFile] = agent.backend }
        let readerBackends = BackendFacts.envFileReaderBackends(model)
        func report(_ file: FileFactsEntry, _ span: ByteSpan, _ what: String, _ backend: String) {
            sink.report(
                "PS303", path: file.path, span: span,
                message: "\(what) is configured, but the backend here is \(backend): Prefect Server does not use it")
        }
        for file in model.files {
            if let backend = projectBackend, backend == "server" {
                for entry in file.facts.configEntries where Self.configPaths.contains(entry.path) {
                    report(file, entry.keySpan, entry.path.joined(separator: "."), backend)
                }
            }
            // A file that sets PREFECT__BACKEND for what it runs (a CI job's env) says where its
            // own credentials go: env beats backend.toml (facts §3). Two values leave it unsure.
            let ownBackends = Set(
                file.facts.envAssignments.filter { $0.name == "PREFECT__BACKEND" && $0.agentIndex == nil && $0.origin == .literal }.compactMap(\.value))
            // Else an env file's credentials go where the agents that read it run.
            let inherited = readerBackends[file.path].map { $0.count == 1 ? $0.first : nil } ?? projectBackend
            let fileBackend = ownBackends.isEmpty ? inherited : ownBackends.count == 1 ? ownBackends.first : nil
            // `PREFECT__CLOUD__TENANT_ID: ''` (what `kubernetes install` writes without --tenant-id) sets nothing.
            for env in file.facts.envAssignments where Self.envNames.contains(env.name) && !(env.origin == .literal && env.value?.isEmpty == true) {
                let backend = env.agentIndex.flatMap { agentBackends[file.path]?[$0] } ?? fileBackend
                if backend == "server" { report(file, env.nameSpan, env.name, "server") }
            }
            for flag in file.facts.credentialFlags {
                let backend = flag.agentIndex.flatMap { agentBackends[file.path]?[$0] } ?? fileBackend
                guard backend == "server" else { continue }
                if flag.isAuthLogin {
                    // The last `prefect backend …` or `PREFECT__BACKEND=…` before the login in
                    // the file (or on its command) decides.
                    let settings = file.facts.backendSettings.filter { $0.takesEffect && $0.span.start < flag.valueSpan.start }.map { ($0.span.start, $0.value) }
                        + file.facts.envAssignments.filter { $0.name == "PREFECT__BACKEND" && $0.nameSpan.start < flag.valueSpan.start }
                            .compactMap { env in env.value.map { (env.nameSpan.start, $0) } }
                    if settings.max(by: { $0.0 < $1.0 })?.1 == "cloud" { continue }
                    // A `prefect backend` another script runs (a developer's setup) does not
                    // decide where this one logs in: the model gives its agents Cloud's.
                    if settings.isEmpty, ownBackends.isEmpty, readerBackends[file.path] == nil, let project = model.projectBackend,
                        project.source != file.path, model.file(at: project.source)?.facts.configRole == nil
                    {
                        continue
                    }
                    // cli/auth.py: `login` raises click.UsageError under backend server.
                    sink.report(
                        "PS303", path: file.path, span: flag.valueSpan,
                        message: "prefect auth login fails with backend server: Prefect 1.4.1 exits with \"Error: Prefect Server does not have authentication\" (a script run with set -e stops there); drop the login, or switch the backend to cloud")
                } else {
                    report(file, flag.valueSpan, "an API key (\(flag.flag))", "server")
                }
            }
        }
    }
}
