import PrefectModel

/// Backend-related facts the backend rules share.
enum BackendFacts {
    /// The backend that applies to the project's runs: `--backend`, else the project's config,
    /// else the backend every agent's runs get when they all agree (an agent that sets none
    /// has Prefect's default, cloud); nil when unknown or mixed.
    static func effectiveBackend(_ model: ProjectModel) -> String? {
        if let project = model.projectBackend { return project.value }
        let agentBackends = Set(model.agents.map(\.backend))
        return agentBackends.count == 1 ? agentBackends.first : nil
    }

    /// The backends of the agents that read each project file as an env file (`env_file:`,
    /// `--env-file`, `EnvironmentFile=`, a sourced script), by the file's path.
    static func envFileReaderBackends(_ model: ProjectModel) -> [String: Set<String>] {
        var backends: [String: Set<String>] = [:]
        for agent in model.agents {
            for path in agent.envFilePaths { backends[path, default: []].insert(agent.backend) }
        }
        return backends
    }

    /// `PREFECT__BACKEND` literal assignments of a file.
    static func backendEnv(_ facts: FileFacts) -> [EnvAssignment] {
        facts.envAssignments.filter { $0.name == "PREFECT__BACKEND" && $0.origin == .literal && $0.value != nil }
    }
}
