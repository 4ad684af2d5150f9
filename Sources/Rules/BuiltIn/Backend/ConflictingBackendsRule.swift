import PrefectModel

/// PS304 conflicting-backends: two settings that apply to the same runs disagree on the
/// backend: a config.toml backend overridden by backend.toml (facts §2.1), or an agent whose
/// backend is server while its API URL is Prefect Cloud's — what `prefect agent kubernetes
/// install -b server` writes when `--api` is not given (facts §4.5).
public struct ConflictingBackendsRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS304"] }

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        var userSettings: [(FileFactsEntry, BackendSetting)] = []
        var backendFileSettings: [(FileFactsEntry, BackendSetting)] = []
        for file in model.files {
            for setting in file.facts.backendSettings where setting.agentIndex == nil && setting.takesEffect {
                if file.facts.configRole == .userConfig { userSettings.append((file, setting)) }
                if file.facts.configRole == .backendConfig || setting.kind == .backendCommand { backendFileSettings.append((file, setting)) }
            }
        }
        if let winner = backendFileSettings.first {
            for (file, setting) in userSettings where setting.value != winner.1.value {
                sink.report(
                    "PS304", path: file.path, span: setting.span,
                    message: "backend '\(setting.value)' here is overridden by '\(winner.1.value)' from \(model.describe(ProjectLocation(path: winner.0.path, span: winner.1.span))), which Prefect reads after config.toml")
            }
        }
        // An agent's own PREFECT__BACKEND beats its machine's config files (facts §3).
        var reported: Set<String> = []
        for agent in model.agents {
            guard let (value, path) = agent.overriddenMachineBackend, reported.insert("\(path)\u{0}\(agent.backend)").inserted,
                let file = model.files.first(where: { $0.path == path }),
                let setting = file.facts.backendSettings.first(where: { $0.agentIndex == nil && $0.takesEffect && $0.value == value })
            else { continue }
            sink.report(
                "PS304", path: path, span: setting.span,
                message: "backend '\(value)' here is overridden by '\(agent.backend)' for \(ModelMessages.agent(agent, model)), whose own PREFECT__BACKEND Prefect reads after its config files")
        }
        for agent in model.agents {
            if let api = agent.agent.apiURL {
                // `install` writes `-b`, else the installing machine's backend (the project's
                // config), into the manifest.
                let writtenBackend = agent.agent.backend ?? (agent.agent.isInstallManifest ? agent.backend : nil)
                if writtenBackend == "server", api.contains("api.prefect.io") {
                    let hint = agent.agent.isInstallManifest ? "; `prefect agent kubernetes install -b server` keeps the Cloud default unless --api is given" : ""
                    sink.report(
                        "PS304", path: agent.path, span: agent.agent.span,
                        message: "\(ModelMessages.agent(agent, model)) has backend server but its API URL is Prefect Cloud's (\(api))\(hint)")
                } else if agent.backend == "cloud", Self.isServerURL(api),
                    !(agent.agent.isInstallManifest && agent.backendSource == ProjectModel.defaultBackendSource)
                {
                    // Prefect's default may be a setting the project does not show (a CI job's
                    // env): then a warning that says so. What `install` writes is the
                    // installing machine's backend, which the project may not show at all.
                    let byDefault = agent.backendSource == ProjectModel.defaultBackendSource
                    // With backend cloud an agent needs an API key to start at all (Prefect
                    // 1.4.1: "You have not set an API key for authentication"): one that runs
                    // shows that its machine sets the backend, which the project should say.
                    let consequence = byDefault
                        ? "unless its machine has run `prefect backend server`, it does not start without a Cloud API key and Secret.get asks that server for Cloud secrets; set PREFECT__BACKEND=server where it starts"
                        : "Secret.get asks that server for Cloud secrets, which it does not have"
                    sink.report(
                        "PS304", path: agent.path, span: agent.agent.span,
                        message: "\(ModelMessages.agent(agent, model)) has backend \(Self.forcedBackend(of: agent)) but its API URL (\(api)) is a Prefect Server's: \(consequence)",
                        severity: byDefault ? .warning : nil)
                }
            }
            // The agent forces its own backend into every flow run (facts §4.3).
            for env in agent.agent.flowRunEnv where env.name == "PREFECT__BACKEND" && env.origin == .literal {
                guard let value = env.value, value != agent.backend else { continue }
                sink.report(
                    "PS304", path: agent.flowRunEnvPath ?? agent.path, span: env.nameSpan,
                    message: "PREFECT__BACKEND '\(value)' for the flow runs of \(ModelMessages.agent(agent, model)) is replaced by its own backend \(Self.forcedBackend(of: agent)), which it forces into every run")
            }
        }
        for flow in model.flows {
            for env in flow.flow.runConfigEnv where env.name == "PREFECT__BACKEND" && env.origin == .literal {
                guard let value = env.value, let agent = model.agents(running: flow).first(where: { $0.backend != value }) else { continue }
                sink.report(
                    "PS304", path: flow.path, span: env.nameSpan,
                    message: "PREFECT__BACKEND '\(value)' in the run config env of \(ModelMessages.flow(flow, model)) is replaced: \(ModelMessages.agent(agent, model)) forces its own backend \(Self.forcedBackend(of: agent)) into every run")
            }
        }
    }

    /// The backend an agent forces into its runs, for messages. One the project does not set
    /// is Prefect's default where the agent starts, unless that machine sets another: the
    /// value written for the runs is replaced either way.
    static func forcedBackend(of agent: AgentEntity) -> String {
        agent.backendSource == ProjectModel.defaultBackendSource
            ? "\(agent.backend) (Prefect's default: nothing in the project sets one where the agent starts)" : agent.backend
    }

    /// A Prefect Server API URL: Server's GraphQL port (4200) or a local host, not Cloud's.
    static func isServerURL(_ url: String) -> Bool {
        guard !url.contains("prefect.io") else { return false }
        return url.contains(":4200") || url.contains("localhost") || url.contains("127.0.0.1")
    }
}
