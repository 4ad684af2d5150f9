extension FileFacts {
    /// The files this file's agents, launchers and scripts take env from, as written, and
    /// the kind each reader gives them: an env file (`docker run --env-file env.list`,
    /// compose `env_file`, systemd `EnvironmentFile=`, a Makefile's `include`, a kustomize
    /// generator's `envs`) is read as a
    /// dotenv file whatever its name; a file a shell sources (`. ./agent.conf`) as a shell
    /// script. A name read both ways is an env file.
    public var envFileReadings: [String: FileKind] {
        var kinds: [String: FileKind] = [:]
        func envFile(_ name: String) { kinds[name] = .dotenv }
        func sourced(_ file: SourcedEnvFile) {
            if file.readByMake { envFile(file.name) } else if kinds[file.name] == nil { kinds[file.name] = .shell }
        }
        for agent in agents {
            agent.envFiles.forEach(envFile)
            agent.sourcedFiles.forEach(sourced)
        }
        let launchers = imageBuilds.compactMap(\.service) + imageRuns.map(\.launcher) + launchedPrograms.compactMap(\.launcher)
        for launcher in launchers { launcher.envFiles.forEach(envFile) }
        for run in scriptRuns { run.sourcedFiles.forEach(sourced) }
        for source in kubernetesEnvSources { source.envFiles.forEach(envFile) }
        return kinds
    }
}
