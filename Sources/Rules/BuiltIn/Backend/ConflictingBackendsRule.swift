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
        for agent in model.agents {
            guard agent.agent.backend == "server", let api = agent.agent.apiURL, api.contains("api.prefect.io") else { continue }
            let hint = agent.agent.type == .kubernetes ? "; `prefect agent kubernetes install -b server` keeps the Cloud default unless --api is given" : ""
            sink.report(
                "PS304", path: agent.path, span: agent.agent.span,
                message: "\(ModelMessages.agent(agent, model)) has backend server but its API URL is Prefect Cloud's (\(api))\(hint)")
        }
    }
}
