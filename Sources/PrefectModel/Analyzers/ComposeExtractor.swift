import ShellWords
import Spans
import YAML

/// docker-compose files: each service's `environment`, `env_file`, and `entrypoint`/`command`.
/// A service running `prefect agent … start` is an agent whose process env is the service's
/// `environment` (it reaches flow runs only for a local agent, facts §4.3). A service that
/// builds its image (`build:`) and runs the image's own command gives that env to the agent
/// the Dockerfile starts, which the model joins.
extension YAMLExtractor {
    mutating func addCompose(_ root: YAMLNode) {
        for service in root["services"]?.mergedPairs ?? [] where service.value.resolved.kind == .mapping {
            addComposeService(service.value.resolved, name: service.key.scalar ?? "")
        }
    }

    mutating func addComposeService(_ service: YAMLNode, name: String) {
        var env: [EnvAssignment] = []
        if let environment = service["environment"] {
            if environment.resolved.kind == .mapping {
                env = envMapping(environment, context: .containerEnv)
            } else {
                for item in environment.sequence ?? [] where item.resolved.kind == .scalar {
                    if let a = composeListEntry(item) { env.append(a) }
                }
            }
        }
        var envFiles: [String] = []
        for file in Self.items(service["env_file"]) {
            // `env_file: [a.env]` or `- path: a.env` (compose 2.24+); the model joins the file's facts.
            let pathNode = file.resolved.kind == .mapping ? file["path"] : file
            if let name = pathNode?.scalar { envFiles.append(name) }
        }
        let entrypoint = execWords(service["entrypoint"], compose: true)
        let words = entrypoint + execWords(service["command"], compose: true)
        var built: BuiltImage?
        if let build = service.pair(forKey: "build"), let (context, dockerfile, target) = Self.buildDockerfile(build.value.resolved) {
            let runner = Launcher(name: name, env: env, envFiles: envFiles, span: build.key.span)
            let runsImageCommand = service["entrypoint"] == nil && service["command"] == nil
            builder.addImageBuild(
                ImageBuild(
                    service: runner, context: context, dockerfile: dockerfile, target: target, runsImageCommand: runsImageCommand,
                    imageName: service["image"]?.scalar, span: build.key.span))
            if !runsImageCommand { built = BuiltImage(dockerfile: dockerfile, target: target) }
        } else if words.isEmpty, let image = service.pair(forKey: "image"), let imageName = image.value.scalar {
            // An image built elsewhere in the project (`docker build -t`), run with its own command.
            builder.addImageRun(ImageRun(image: imageName, launcher: Launcher(name: name, env: env, envFiles: envFiles, span: image.key.span)))
        }
        guard !words.isEmpty else { return }
        // `command: ["/start_agent.sh"]`, `bash /agent/start.sh`: a project script may start the
        // agents, when a bind mount puts it there, or the image is built from the project.
        if let program = ShellCommands.program(words), let first = words.first, let last = words.last {
            let mounts = Self.bindMounts(service["volumes"]).filter { $0.covers(program) }
            if !mounts.isEmpty || service["build"] != nil {
                let runner = Launcher(name: name, env: env, envFiles: envFiles, span: first.span.union(last.span))
                var container = LaunchedProgram(program: program, launcher: runner, contextPaths: mounts.flatMap { $0.sources(of: program) })
                container.isCopied = !mounts.isEmpty
                builder.addLaunchedProgram(container)
            }
        }
        addComposeCommand(
            words, env: env, envFiles: envFiles, image: built, userConfig: Self.userConfigMount(service["volumes"]),
            backendConfig: Self.mountedPrefectFile("backend.toml", service["volumes"]))
        // `entrypoint: ["sh", "-c"]` with `command: "prefect agent …"`: Compose splits a string
        // command into words, and the shell runs the first alone (the others only set $0, $1,
        // …). The agents the command means are shown, as agents that never start.
        if let command = service["command"], command.sequence == nil, let shell = Self.shellTakingScript(entrypoint), words.count > entrypoint.count + 1 {
            let refusal = "Compose splits a string command into words, and `\(shell) -c` runs the first word alone (the others only set $0, $1, …): "
                + "give the command as one list item (`command: [\"prefect agent …\"]`)"
            addComposeCommand(
                entrypoint + argumentWords([command], compose: true), env: env, envFiles: envFiles, image: built,
                userConfig: Self.userConfigMount(service["volumes"]), backendConfig: Self.mountedPrefectFile("backend.toml", service["volumes"]),
                agentsOnly: true, startRefusal: refusal)
        }
    }

    /// The shell (`sh`, `bash`, …) an entrypoint runs when it ends in that shell's `-c`
    /// (`["/bin/sh", "-c"]`, `bash -lc`, `["env", "bash", "-c"]`), which takes the next word as its script.
    static func shellTakingScript(_ entrypoint: [ShellWord]) -> String? {
        let texts = entrypoint.map(\.literalValue)
        var k = 0
        if let first = texts.first, let program = first, program == "env" || program.hasSuffix("/env") { k = 1 }
        guard k < texts.count, let program = texts[k], let shell = program.split(separator: "/").last.map(String.init),
            ["sh", "bash", "dash", "ash", "zsh", "ksh"].contains(shell), k + 1 < texts.count
        else { return nil }
        let options = texts[(k + 1)...]
        guard options.allSatisfy({ $0.map { $0.count >= 2 && $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.dropFirst().allSatisfy(\.isLetter) } ?? false }),
            let last = options.last ?? nil, last.contains("c")
        else { return nil }
        return shell
    }

    /// What the service mounts at `~/.prefect/config.toml`.
    static func userConfigMount(_ volumes: YAMLNode?) -> UserConfigMount {
        if mountsHostPrefectFolder(volumes) { return .hostHome }
        return mountedPrefectFile("config.toml", volumes).map(UserConfigMount.projectFile) ?? .nothing
    }

    /// Whether a volume puts the host user's `~/.prefect` (or its config.toml) where the
    /// agent's Prefect reads its config: the machine's config, for which the project's stands.
    static func mountsHostPrefectFolder(_ volumes: YAMLNode?) -> Bool {
        items(volumes).contains { volume in
            let parts = (volume.scalar ?? volume["source"]?.scalar.map { $0 + ":" + (volume["target"]?.scalar ?? "") } ?? "")
                .split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 2 else { return false }
            let source = parts[0]
            return ["~/.prefect", "$HOME/.prefect", "${HOME}/.prefect"].contains { source.hasPrefix($0) } && parts[1].contains("/.prefect")
        }
    }

    /// The project file a bind mount puts at `~/.prefect/<name>` (any home: the file itself,
    /// or a folder mounted as `~/.prefect`), as written.
    static func mountedPrefectFile(_ name: String, _ volumes: YAMLNode?) -> String? {
        for mount in bindMounts(volumes) {
            guard let source = mount.sources.first else { continue }
            if let file = UserConfigMount.prefectFile(name, source: source, target: mount.destination) { return file }
        }
        return nil
    }

    /// The agents a service's own command starts, with the service's env (and the `ENV` of
    /// the image it builds, which the model joins).
    mutating func addComposeCommand(
        _ words: [ShellWord], env: [EnvAssignment], envFiles: [String], image: BuiltImage? = nil, userConfig: UserConfigMount = .nothing,
        backendConfig: String? = nil,
        // Compose fills in `$NAME` from the host's env and `.env` before the service runs.
        options: ShellAgentOptions = ShellAgentOptions(installIsAgent: false, literalTextIsKept: false, composeInterpolates: true),
        // Only the agent commands (and their flags), each refused for this reason.
        agentsOnly: Bool = false, startRefusal: String? = nil
    ) {
        var shell = ShellFileReader.readArguments(words)
        if agentsOnly {
            shell.recognized.removeAll { if case .agent = $0 { false } else { true } }
            shell.assignments.removeAll { $0.context != .agentEnvFlag }
        }
        var scope = ShellScope(env: env)
        let bytes = file.bytes
        builder.addShellFacts(shell, scope: &scope, options: options) {
            $0.envFiles = envFiles
            $0.envFilesAreRelativeToFile = true
            $0.builtImage = image
            $0.userConfigMount = userConfig
            $0.backendConfigMount = backendConfig
            $0.runsInContainer = true
            if $0.startRefusal == nil { $0.startRefusal = startRefusal }
            // `$$NAME` is the text `$NAME`, which compose does not fill in.
            $0.labelVariables.removeAll { $0.span.end > bytes.count || ByteSearch.contains(Array("$$".utf8), in: bytes, range: $0.span.range) }
        }
    }

    /// A service's bind mounts (`./ops:/opt/ops`, `- {type: bind, source: ./ops, target: /opt/ops}`),
    /// as copies of project files into the container; named volumes are not the project's.
    static func bindMounts(_ volumes: YAMLNode?) -> [DockerCopy] {
        items(volumes).compactMap { volume in
            let source: String
            let target: String
            if volume.resolved.kind == .mapping {
                guard volume["type"]?.scalar == "bind", let from = volume["source"]?.scalar, let to = volume["target"]?.scalar else { return nil }
                (source, target) = (from, to)
            } else {
                let parts = (volume.scalar ?? "").split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard parts.count >= 2 else { return nil }
                (source, target) = (parts[0], parts[1])
            }
            guard source.hasPrefix("."), target.hasPrefix("/") else { return nil }
            return DockerCopy(sources: [source], destination: target)
        }
    }

    /// The build context and Dockerfile a `build:` names, relative to the compose file's
    /// folder, and its target:
    /// `build: DIR`, or `context:` (default `.`) with `dockerfile:` (default `Dockerfile`,
    /// relative to the context) and `target:`. Nil for a remote context (a URL).
    static func buildDockerfile(_ build: YAMLNode) -> (context: String, dockerfile: String, target: String?)? {
        let context: String
        var dockerfile = "Dockerfile"
        var target: String?
        switch build.kind {
        case .scalar:
            guard let written = build.scalar else { return nil }
            context = written
        case .mapping:
            context = build["context"]?.scalar ?? "."
            if let written = build["dockerfile"]?.scalar { dockerfile = written }
            target = build["target"]?.scalar?.lowercased()
        default:
            return nil
        }
        guard !context.contains("://"), !context.hasPrefix("git@"), !context.contains("$") && !dockerfile.contains("$") else { return nil }
        return (context, dockerfile.hasPrefix("/") ? dockerfile : context + "/" + dockerfile, target)
    }

    /// `- NAME=value` (split on the first `=`) or `- NAME` (passed through from the host).
    mutating func composeListEntry(_ item: YAMLNode) -> EnvAssignment? {
        let t = text(item)
        guard !t.bytes.isEmpty else { return nil }
        let assignment: EnvAssignment
        if let eq = t.bytes.firstIndex(of: UInt8(ascii: "=")) {
            let value = String(decoding: t.bytes[(eq + 1)...], as: UTF8.self)
            assignment = EnvAssignment(
                name: String(decoding: t.bytes[..<eq], as: UTF8.self), nameSpan: t.span(0..<eq), value: value,
                valueSpan: t.span((eq + 1)..<t.bytes.count), origin: EnvValueSyntax.origin(of: value), context: .containerEnv)
            if assignment.name == "PREFECT__CLOUD__AGENT__ENV_VARS", assignment.origin != .reference {
                builder.addEnv(assignment)
                let offset = eq + 1
                builder.addAgentEnvVarsJSON(of: assignment, bytes: Array(t.bytes[offset...])) {
                    t.span(($0.lowerBound + offset)..<($0.upperBound + offset))
                }
                return assignment
            }
        } else {
            // Passed through from the host, like `NAME=$NAME`.
            assignment = EnvAssignment(
                name: t.string, nameSpan: t.valueSpan, value: "$" + t.string, valueSpan: nil, origin: .reference, context: .containerEnv)
        }
        builder.addEnv(assignment)
        return assignment
    }
}
