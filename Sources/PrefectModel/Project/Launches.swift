import Spans

/// Which docker-compose services, systemd units, supervisord programs and Procfile lines run
/// which of the project's agents: a service that builds a Dockerfile (`build:`) runs the agent
/// of the stage it builds; a service whose command runs a script, or whose built image's
/// `CMD`/`ENTRYPOINT` does (`/start_agent.sh`), and a unit, program or Procfile line whose
/// command does, run the agents of the project file that script is (by name, and by folders
/// when names repeat), and of the scripts that one runs in turn. Also what the scripts given
/// an agent's command pass on to it (`exec "$@"`).
struct Launches {
    /// By Dockerfile path: the services that build it or run the image built from it, with
    /// their target stage and build context (relative to the folder of `contextBase`, a
    /// project file, or to the root when it is empty).
    private var builds: [String: [(site: LaunchSite, target: String?, context: String, contextBase: String, runsImageCommand: Bool)]] = [:]
    /// By the project file a program is (see ``projectFile(of:namedIn:)``): the launchers that run it.
    private var programs: [String: [LaunchSite]] = [:]
    /// By file name: the project's files.
    private let filesByName: [String: [String]]
    /// By script: what it passes on to the command it is given (`exec "$@"`), as an image's
    /// `ENTRYPOINT` does to the image's `CMD`.
    private var argumentsEnv: [String: PassedEnvironment] = [:]

    /// `resolve` finds a project file from a path relative to a referring file's folder,
    /// `lookUp` one a referring file names as a script names the files it reads;
    /// `projectPaths` are all the project's files.
    init(_ files: [FileFactsEntry], projectPaths: [String], resolve: (String, String) -> String?, lookUp: (String, String) -> String?) {
        // Most projects have no container to join: the file index is built only for one.
        let programsRun = files.contains { !$0.facts.launchedPrograms.isEmpty || $0.facts.agents.contains { !$0.commandRunners.isEmpty } }
        filesByName = programsRun ? Dictionary(grouping: projectPaths) { Self.fileName($0) } : [:]
        let index = programsRun ? Dictionary(files.indices.map { (files[$0].path, $0) }, uniquingKeysWith: { first, _ in first }) : [:]
        func passedEnv(_ run: ScriptRun, _ script: String) -> PassedEnvironment {
            Self.passedEnv(run, of: script, files: files, index: index, lookUp: lookUp)
        }
        if programsRun {
            for file in files {
                guard let run = file.facts.scriptRuns.first(where: { $0.program == ScriptRun.arguments }) else { continue }
                argumentsEnv[file.path] = passedEnv(run, file.path)
            }
        }
        // The Dockerfiles built under an image name, by repository: a container elsewhere
        // that runs that image runs what the Dockerfile's image runs.
        var tagged: [String: [(dockerfile: String, target: String?, context: String, contextBase: String, builtAt: ProjectLocation)]] = [:]
        for file in files {
            for build in file.facts.imageBuilds {
                guard let (dockerfile, base) = Self.dockerfile(of: build, in: file.path, resolve: resolve) else { continue }
                if let service = build.service {
                    builds[dockerfile, default: []].append(
                        (LaunchSite(path: file.path, launcher: service, runsScript: false), build.target, build.context, base, build.runsImageCommand))
                }
                if let name = build.imageName {
                    let repository = Self.repository(of: name)
                    if !(tagged[repository] ?? []).contains(where: { $0.dockerfile == dockerfile && $0.target == build.target }) {
                        tagged[repository, default: []].append((dockerfile, build.target, build.context, base, ProjectLocation(path: file.path, span: build.span)))
                    }
                }
            }
        }
        for file in files {
            for run in file.facts.imageRuns {
                for built in tagged[Self.repository(of: run.image)] ?? [] {
                    var site = LaunchSite(path: file.path, launcher: run.launcher, runsScript: false)
                    site.imageBuiltAt = built.builtAt
                    builds[built.dockerfile, default: []].append((site, built.target, built.context, built.contextBase, true))
                }
            }
        }
        for file in files {
            for program in file.facts.launchedPrograms {
                guard let launcher = program.launcher, let script = script(of: program, namedIn: file.path, context: "", resolve: { resolve($0, file.path) }) else { continue }
                programs[script, default: []].append(LaunchSite(path: file.path, launcher: launcher, runsScript: true))
            }
        }
        // A script a built image runs runs in the service that builds it: the file its `COPY`
        // takes from the build context (none when it copies from elsewhere), else the one of
        // its name.
        for file in files {
            let launched = file.facts.launchedPrograms
            for program in launched {
                guard let stage = program.stage else { continue }
                for build in builds[file.path] ?? [] where build.runsImageCommand && stage.isBuilt(target: build.target) {
                    let resolveInContext = { resolve($0, build.contextBase) }
                    guard let script = script(of: program, namedIn: file.path, context: build.context, resolve: resolveInContext) else { continue }
                    var site = build.site
                    site.runsScript = true
                    site.imageEnv = program.imageEnv.map { ($0, file.path) }
                    // The `CMD` runs with what an `ENTRYPOINT` script passes on (`exec "$@"`).
                    if !program.isEntrypoint, let entrypoint = launched.first(where: { $0.isEntrypoint && $0.stage == stage }),
                        let wrapper = self.script(of: entrypoint, namedIn: file.path, context: build.context, resolve: resolveInContext),
                        let passed = argumentsEnv[wrapper]
                    {
                        site.through = [wrapper]
                        site.wrappers = passed
                    }
                    programs[script, default: []].append(site)
                }
            }
        }
        passLaunchersThroughScripts(files, passedEnv: passedEnv)
    }

    /// What a script passes on to the program `run` starts: its exports before the command,
    /// the command's prefixes, and what the files it sources before export (all they assign
    /// under `set -a`), in the order the script sets them, with the file that sets each; a
    /// sourced env file not in the project is named as missing.
    private static func passedEnv(
        _ run: ScriptRun, of script: String, files: [FileFactsEntry], index: [String: Int], lookUp: (String, String) -> String?
    ) -> PassedEnvironment {
        var passed = PassedEnvironment()
        var placed = run.env.map { (position: $0.nameSpan.start, entry: (assignment: $0, path: script)) }
        for sourced in run.sourcedFiles {
            guard let path = lookUp(sourced.name, script), let file = index[path] else {
                if SourcedEnvFile.mayHoldEnvironment(sourced.name) { passed.missingEnvFiles.append(sourced.name) }
                continue
            }
            passed.sourcedFilePaths.append(path)
            placed += files[file].facts.envAssignments.filter { sourced.allExport ? $0.whenSourced != .none : $0.whenSourced == .exported }
                .map { (sourced.position, ($0, path)) }
        }
        passed.env = placed.enumerated().sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }.map(\.element.entry)
        return passed
    }

    /// What the `ENTRYPOINT` script of the image that runs `agent` (a Dockerfile's `CMD`)
    /// passes on to it with `exec "$@"`, with that script's path; nil when there is none.
    func entrypointEnv(for agent: Agent, in file: FileFactsEntry, resolve: (String) -> String?) -> CommandRunner? {
        guard !argumentsEnv.isEmpty, let stage = agent.imageStage,
            let entrypoint = file.facts.launchedPrograms.first(where: { program in
                program.isEntrypoint && (program.stage?.names.contains { stage.names.contains($0) } ?? false)
            }),
            let script = script(of: entrypoint, namedIn: file.path, context: "", resolve: resolve), let env = argumentsEnv[script]
        else { return nil }
        return CommandRunner(script: script, passed: env, isEntrypoint: true)
    }

    /// The scripts the agent's command is given to (``Agent/commandRunners``), each with what
    /// it passes on with `exec "$@"` (nothing when it does not); nil for one not in the project.
    func commandRunners(of agent: Agent, in file: FileFactsEntry) -> [CommandRunner?] {
        agent.commandRunners.map { program in
            projectFile(of: program, namedIn: file.path).map { CommandRunner(script: $0, passed: argumentsEnv[$0] ?? PassedEnvironment(), isEntrypoint: false) }
        }
    }

    /// A script a launcher runs that runs another project script (`run.sh` that ends with
    /// `exec /opt/etl/deploy/start-agent.sh`) has that script run by the same launcher, with
    /// what it exports before on top; up to four scripts deep. A script nothing launches
    /// passes nothing on: the script it runs may as well be run by hand.
    private mutating func passLaunchersThroughScripts(
        _ files: [FileFactsEntry], passedEnv: (ScriptRun, String) -> PassedEnvironment
    ) {
        guard !programs.isEmpty else { return }
        // A script that runs another in two places (`if …; then ./start.sh; else ./start.sh
        // --debug; fi`) runs it once as far as the agents go: the first place is taken.
        var seen: Set<[String]> = []
        let runs = files.flatMap { file in
            file.facts.scriptRuns.compactMap { run -> (from: String, to: String, run: ScriptRun)? in
                guard let target = projectFile(of: run.program, namedIn: file.path), target != file.path,
                    seen.insert([file.path, target]).inserted
                else { return nil }
                return (file.path, target, run)
            }
        }
        guard !runs.isEmpty else { return }
        let passed = runs.map { passedEnv($0.run, $0.from) }
        let launched = programs
        for _ in 0..<4 {
            var next = launched
            for (k, (from, to, _)) in runs.enumerated() {
                for var site in programs[from] ?? [] where !site.through.contains(to) {
                    site.through.append(from)
                    site.wrappers += passed[k]
                    next[to, default: []].append(site)
                }
            }
            let grew = next.values.reduce(0) { $0 + $1.count } != programs.values.reduce(0) { $0 + $1.count }
            programs = next
            if !grew { break }
        }
    }

    /// The project Dockerfile `build` builds, with the file its paths are relative to (empty:
    /// the root). A compose file's are relative to its folder; `docker build`'s to where it
    /// runs: the script's or Makefile's folder, else the root (a CI step).
    static func dockerfile(of build: ImageBuild, in path: String, resolve: (String, String) -> String?) -> (dockerfile: String, contextBase: String)? {
        if let found = resolve(build.dockerfile, path) { return (found, path) }
        guard build.service == nil, let found = resolve(build.dockerfile, "") else { return nil }
        return (found, "")
    }

    /// An image's repository, without its tag or digest and Docker Hub's default prefixes
    /// (`docker.io/library/python:3.9` → `python`): the project builds one Dockerfile under it
    /// whatever the version.
    static func repository(of image: String) -> String {
        var name = ProjectModel.withoutDockerHub(image)
        if let at = name.firstIndex(of: "@") { name = name[..<at] }
        let lastSlash = name.lastIndex(of: "/") ?? name.startIndex
        if let colon = name[lastSlash...].firstIndex(of: ":") { name = name[..<colon] }
        return String(name)
    }

    /// Whether compose services build the Dockerfile at `path`: then they say which stages run.
    func isBuilt(_ path: String) -> Bool { builds[path] != nil }

    /// Whether compose services build `stage` of the Dockerfile at `path`, each with its own
    /// `command` or `entrypoint`: the stage's command runs in none of them.
    func isReplacedEverywhere(_ stage: ImageStage, in path: String) -> Bool {
        let building = (builds[path] ?? []).filter { stage.isBuilt(target: $0.target) }
        return !building.isEmpty && building.allSatisfy { !$0.runsImageCommand }
    }

    /// The services, units and programs `agent` of `file` runs in; empty when none is known.
    func sites(for agent: Agent, in file: FileFactsEntry) -> [LaunchSite] {
        if let stage = agent.imageStage {
            return (builds[file.path] ?? []).filter { $0.runsImageCommand && stage.isBuilt(target: $0.target) }.map(\.site)
        }
        // A script or a Python module (`LocalAgent(…).start()`) that starts the agent.
        guard file.kind == .shell || file.kind == .python else { return [] }
        return programs[file.path] ?? []
    }

    /// The project file a program is: the one a copy or bind mount puts there (none when it
    /// comes from elsewhere), else the one of its name (``projectFile(of:namedIn:)``).
    /// `context` is the folder the copy's paths start from; `resolve` finds a project file.
    func script(of program: LaunchedProgram, namedIn referrer: String, context: String, resolve: (String) -> String?) -> String? {
        guard program.isCopied else { return projectFile(of: program.program, namedIn: referrer) }
        for path in program.contextPaths {
            if let found = resolve(context.isEmpty ? path : context + "/" + path) { return found }
        }
        return nil
    }

    /// The project file a program a container runs is (`/root/agent/start_agent.sh`): of the
    /// files of its name, the one whose path ends with most of the program's folders, or of
    /// those, the one in the folder of the file that names it (the build context, the
    /// compose file's folder); nil when that leaves more than one.
    func projectFile(of program: String, namedIn referrer: String) -> String? {
        if let found = fileNamed(program, namedIn: referrer) { return found }
        // `python -m etl` runs the package's `etl/__main__.py` when there is no `etl.py`.
        guard program.hasSuffix(".py") else { return nil }
        return fileNamed(String(program.dropLast(3)) + "/__main__.py", namedIn: referrer)
    }

    /// ``projectFile(of:namedIn:)`` for the file `program` names itself.
    private func fileNamed(_ program: String, namedIn referrer: String) -> String? {
        let parts = program.split(separator: "/")
        guard let name = parts.last, let candidates = filesByName[String(name)] else { return nil }
        func shared(_ path: String) -> Int { zip(path.split(separator: "/").reversed(), parts.reversed()).prefix { $0 == $1 }.count }
        let best = candidates.map(shared).max() ?? 0
        var chosen = candidates.filter { shared($0) == best }
        if chosen.count > 1 {
            let folder = referrer.split(separator: "/").dropLast()
            chosen = chosen.filter { $0.split(separator: "/").dropLast() == folder }
        }
        return chosen.count == 1 ? chosen[0] : nil
    }

    static func fileName(_ path: String) -> String {
        PathText.lastComponent(of: path).map(String.init) ?? path
    }
}
