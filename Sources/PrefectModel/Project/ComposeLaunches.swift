/// Which docker-compose services run which of the project's agents: a service that builds a
/// Dockerfile (`build:`) runs the agent of the stage it builds; a service whose command runs
/// a script, or whose built image's `CMD`/`ENTRYPOINT` does (`/start_agent.sh`), runs the
/// agents of the project script of that name, when exactly one script with agents has it.
struct ComposeLaunches {
    /// By Dockerfile path: the services that build it, with their target stage.
    private var builds: [String: [(site: ComposeServiceSite, target: String?)]] = [:]
    /// By file name: the services that run a program of that name.
    private var programs: [String: [ComposeServiceSite]] = [:]
    /// By file name: the shell scripts with agents.
    private var scripts: [String: [String]] = [:]

    /// `resolve` finds a project file from a path relative to a referring file's folder.
    init(_ files: [FileFactsEntry], resolve: (String, String) -> String?) {
        for file in files {
            for build in file.facts.imageBuilds {
                guard let dockerfile = resolve(build.dockerfile, file.path) else { continue }
                builds[dockerfile, default: []].append((ComposeServiceSite(path: file.path, service: build.service, runsScript: false), build.target))
            }
            for program in file.facts.containerPrograms {
                guard let service = program.service else { continue }
                programs[Self.fileName(program.program), default: []].append(ComposeServiceSite(path: file.path, service: service, runsScript: true))
            }
            if file.kind == .shell, !file.facts.agents.isEmpty { scripts[Self.fileName(file.path), default: []].append(file.path) }
        }
        // A script a built image runs runs in the service that builds it.
        for file in files {
            for program in file.facts.containerPrograms {
                guard let stage = program.stage else { continue }
                for build in builds[file.path] ?? [] where Self.builds(build.target, stage) {
                    var site = build.site
                    site.runsScript = true
                    programs[Self.fileName(program.program), default: []].append(site)
                }
            }
        }
    }

    /// The services `agent` of `file` runs in; empty when none is known.
    func sites(for agent: Agent, in file: FileFactsEntry) -> [ComposeServiceSite] {
        if let stage = agent.imageStage {
            return (builds[file.path] ?? []).filter { Self.builds($0.target, stage) }.map(\.site)
        }
        let name = Self.fileName(file.path)
        guard file.kind == .shell, scripts[name]?.count == 1 else { return [] }
        return programs[name] ?? []
    }

    /// Whether a build with `target` builds `stage`: the named stage, or the last without one.
    static func builds(_ target: String?, _ stage: ImageStage) -> Bool {
        target.map { $0 == stage.name } ?? stage.isLast
    }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
