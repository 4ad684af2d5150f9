import ShellWords
import Spans

/// Facts from the shell family: shell scripts, Makefiles, Dockerfiles, systemd units,
/// Procfiles, crontabs, dotenv files, supervisord confs and the shell fences of README/docs Markdown.
///
/// ShellWords does the syntax (words, quotes, recognized commands); this analyzer decides what
/// each piece means to Prefect: which assignments are environment variables, which agent's
/// process or flow runs they reach, and which credentials and backends the file sets.
/// Shell-like files are never "unparseable" for Prefect, so there are no PS900 diagnostics.
public struct ShellAnalyzer: FileAnalyzer {
    public init() {}

    public func analyze(_ file: SourceFile, kind: FileKind) -> FileAnalysis {
        guard let shellKind = Self.shellKind(for: kind, path: file.path) else { return FileAnalysis(kind: kind) }
        // A template's tags (and a justfile's `{{…}}`) are read as one word each, whatever blanks they hold.
        let file = FileKind.renderedPath(file.path) == nil && shellKind != .justfile ? file : SourceFile(path: file.path, bytes: TemplateTags.joined(file.bytes))
        let isDocumentation = kind == .markdown
        // Markdown elsewhere (changelogs, notes) is prose; only READMEs and docs show commands.
        if isDocumentation && !Self.isCommandDocumentation(file.path) {
            return FileAnalysis(kind: kind, isDocumentation: true)
        }
        let syntax = ShellFileReader.read(file, kind: shellKind)
        var builder = ShellFactsBuilder(file: file, syntax: syntax)
        var facts = builder.build()
        if shellKind == .dotenv { facts.dockerEnvFileRefusal = DockerEnvFile.refusal(in: file.bytes) }
        return FileAnalysis(kind: kind, facts: facts, patternScope: .everywhere, isDocumentation: isDocumentation)
    }

    /// The ShellWords reader for a file kind, or nil for kinds this analyzer does not read.
    static func shellKind(for kind: FileKind, path: String) -> ShellFileKind? {
        switch kind {
        case .crontab: ShellFileKind.detect(path: FileKind.renderedPath(path) ?? path, bytes: [])
        case .shell: .shellScript
        case .makefile: ShellFileKind.detect(path: FileKind.renderedPath(path) ?? path, bytes: []) == .justfile ? .justfile : .makefile
        case .dockerfile: .dockerfile
        case .systemd: .systemdUnit
        case .procfile: .procfile
        case .dotenv: .dotenv
        case .supervisord: .supervisord
        case .markdown: .markdown
        default: nil
        }
    }

    /// README files anywhere and Markdown under a `docs`/`doc` folder.
    static func isCommandDocumentation(_ path: String) -> Bool {
        let components = path.split(separator: "/").map { $0.lowercased() }
        guard let name = components.last else { return false }
        return name.hasPrefix("readme") || components.dropLast().contains { $0 == "docs" || $0 == "doc" }
    }
}

/// One environment assignment of the file on its way to ``FileFacts/envAssignments``.
struct EnvEntry {
    var syntax: EnvAssignmentSyntax
    /// nil while it is a plain shell variable that nothing exported (not an env var).
    var context: EnvContext?
    /// The agents whose process or flow runs it reaches.
    var agents: Set<Int> = []
    /// The entries of a PREFECT__CLOUD__AGENT__ENV_VARS JSON value.
    var envVars: [EnvAssignment] = []
    /// The agents whose flow runs get `envVars` (agents without `--env` flags).
    var envVarsAgents: Set<Int> = []

}

/// Turns ShellWords' syntax facts into Prefect facts for one file.
struct ShellFactsBuilder {
    let file: SourceFile
    let syntax: ShellFileFacts
    var entries: [EnvEntry] = []
    var facts = FileFacts()
    /// By agent index: the wrapper that starts the agent with an empty environment.
    var environmentResets: [Int: EnvironmentReset] = [:]
    /// ``entries`` by variable name (``clientHas(_:after:dockerRun:)``), once they are collected.
    var entriesByName: [String: [Int]] = [:]
    let scopes: ShellScopes
    let sites: CommandSites

    init(file: SourceFile, syntax: ShellFileFacts) {
        self.file = file
        self.syntax = syntax
        self.scopes = ShellScopes(file: file, kind: syntax.kind, dockerStages: syntax.dockerStages, oneShellSpans: syntax.oneShellSpans)
        self.sites = CommandSites(syntax.commands)
    }

    mutating func build() -> FileFacts {
        collectEnvironment()
        entriesByName = Dictionary(grouping: entries.indices) { entries[$0].syntax.name }
        collectAgents()
        collectCommands()
        attachEnvFiles()
        facts.fillsEnvIntoText = syntax.commands.contains { ShellCommands.runsEnvsubst($0.command) }
        // What each Dockerfile stage's image runs, with the image's env, for the model to find
        // the project scripts among.
        let stages = syntax.dockerStages
        let bases = Set(stages.compactMap(\.base))
        for (index, stage) in stages.enumerated() {
            let image = ImageStage(names: [stage.name], isLast: index == stages.count - 1, isLeaf: !bases.contains(index))
            let env = entries.filter { $0.syntax.context == .dockerfileEnv && scopes.stageInherits($0.syntax.span.start, stage: index) }
                .map { Self.assignment($0.syntax, context: .dockerfile, agentIndex: nil) }
            if !env.isEmpty { facts.imageStageEnvs.append(ImageStageEnv(stage: image, env: env)) }
            guard !stage.programs.isEmpty else { continue }
            // The stage's copies, then its bases': a later copy wins.
            let copies = sequence(first: index) { stages[$0].base }.flatMap { stages[$0].copies.reversed() }
            facts.launchedPrograms += stage.programs.enumerated().map { k, program in
                // The latest copy that writes the program decides where it comes from.
                let copy = program.hasPrefix("/") ? copies.first { $0.covers(program) } : nil
                var container = LaunchedProgram(
                    program: program, stage: image, imageEnv: env, contextPaths: copy.map { $0.fromContext ? $0.sources(of: program) : [] } ?? [])
                container.isCopied = copy != nil
                container.isEntrypoint = k == 0 && stage.programsStartWithEntrypoint
                return container
            }
        }
        // A dotenv file's `export K` (with or without a value, before or after `K=V`) exports K.
        let dotenvExports = Set(entries.filter { $0.context == .dotenv && $0.syntax.hasExportKeyword }.map(\.syntax.name))
        for entry in entries {
            guard let context = entry.context else { continue }
            let agentIndex = entry.agents.count == 1 ? entry.agents.first : nil
            var env = Self.assignment(entry.syntax, context: context, agentIndex: agentIndex)
            switch context {
            case .shellExport: env.whenSourced = .exported
            case .dotenv:
                env.whenSourced = dotenvExports.contains(env.name) ? .exported : .variable
                env.dockerValue = Self.dockerValue(of: env, in: file.bytes)
                env.makeValue = Self.makeValue(of: env, in: file.bytes)
            default: env.whenSourced = .none
            }
            facts.envAssignments.append(env)
            if let provision = SecretProvision(contextSecretEnv: env) { facts.provisions.append(provision) }
            for var nested in entry.envVars {
                nested.agentIndex = entry.envVarsAgents.count == 1 ? entry.envVarsAgents.first : nil
                nested.whenSourced = env.whenSourced
                facts.envAssignments.append(nested)
                if let provision = SecretProvision(contextSecretEnv: nested) { facts.provisions.append(provision) }
            }
        }
        hideVariablesOfSecrets()
        // Text after a quote that is never closed is no command (the shell stops there): the
        // rest of its line may be a value written out (`export TOKEN="Gp4…`).
        for diagnostic in syntax.diagnostics where diagnostic.message.hasPrefix("unterminated") {
            let bytes = file.bytes
            let start = min(diagnostic.span.start, bytes.count)
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            if end > start + 1 { facts.unnamedValueSpans.append(ByteSpan(start + 1, end)) }
        }
        addManagedPrograms()
        addScriptRuns()
        addImageCommands()
        return facts
    }

    /// `docker build -t NAME` tags an image built from a project Dockerfile; `docker run
    /// IMAGE` with no command after it runs the image's own, with its `-e` and `--env-file`:
    /// the model joins the two by the image's name. `kubectl create secret|configmap` makes
    /// what a container's `envFrom` may name.
    mutating func addImageCommands() {
        for command in syntax.recognized {
            switch command {
            case .dockerBuild(let build):
                facts.imageBuilds += ImageBuild.tagged(by: build) { imageName($0, before: build.span) }
            case .kubectlCreate(let create):
                guard let source = KubernetesEnvSource(create) else { continue }
                facts.kubernetesEnvSources.append(source)
                facts.unnamedValueSpans += source.env.compactMap(\.valueSpan)
            case .dockerRun(let run):
                guard run.innerCommand == nil, let image = run.image.flatMap({ imageName($0, before: run.span) }) else { continue }
                let env = facts.envAssignments.filter { $0.context == .containerEnv && run.span.contains($0.nameSpan) }
                let launcher = Launcher(
                    kind: .dockerContainer, name: run.name?.literalValue ?? image, env: env,
                    envFiles: run.envFiles.compactMap(\.literalValue), span: run.span)
                facts.imageRuns.append(ImageRun(image: image, launcher: launcher))
            default:
                continue
            }
        }
    }

    /// The project scripts a shell script runs, with what it exports before each (in the
    /// same shell) and the command's own prefixes: a launcher that runs this script runs
    /// those with that env on top of its own.
    mutating func addScriptRuns() {
        guard syntax.kind == .shellScript else { return }
        for site in syntax.commands {
            guard let program = ShellCommands.scriptProgram(site.command.words) ?? (ShellCommands.runsArguments(site.command.words) ? ScriptRun.arguments : nil)
            else { continue }
            let command = site.command.span
            let enclosing = sites.enclosing(command)
            // `env -i ./start.sh`, `sudo ./start.sh`: what the launcher and this script set does
            // not reach it (or may not); the script is left to run as if by hand.
            guard !enclosing.contains(where: { ShellCommands.environmentReset(of: $0.command) != nil }) else { continue }
            let env = entries.filter { reachesProcess($0, startedAt: command, dockerStage: nil, enclosing: enclosing) }
            let sourced = sourcedEnvFiles(before: command)
            facts.scriptRuns.append(
                ScriptRun(
                    program: program, span: command, env: env.map { Self.assignment($0.syntax, context: $0.context ?? .shellExport, agentIndex: nil) },
                    sourcedFiles: sourced))
        }
    }

    /// What a systemd unit's `ExecStart=` runs, with the unit's `Environment=` and
    /// `EnvironmentFile=`, and what a supervisord program's `command=` runs, with its
    /// section's and `[supervisord]`'s `environment=`: a project script there starts its
    /// agents with that environment.
    mutating func addManagedPrograms() {
        guard !syntax.managedPrograms.isEmpty else { return }
        let unitName = file.path.split(separator: "/").last.map(String.init) ?? file.path
        let unitEnv = facts.envAssignments.filter { $0.context == .systemd }
        let envFiles = syntax.referencedFiles.compactMap(\.path.literalValue)
        let supervisordEnv = facts.envAssignments.filter { $0.context == .supervisord }
        facts.launchedPrograms += syntax.managedPrograms.map { program in
            let launcher =
                if syntax.kind == .procfile {
                    Launcher(
                        kind: .procfileProcess, name: program.name ?? unitName,
                        env: facts.envAssignments.filter { $0.context == .commandPrefix && precedesOnItsLine($0.nameSpan.start, program.span) },
                        envFiles: [".env"], span: program.span)
                } else if let name = program.name {
                    Launcher(
                        kind: .supervisordProgram, name: name,
                        env: supervisordEnv.filter { scopes.sameSupervisordProgram($0.nameSpan.start, program.span.start) }, envFiles: [], span: program.span)
                } else {
                    Launcher(kind: .systemdUnit, name: unitName, env: unitEnv, envFiles: envFiles, span: program.span)
                }
            return LaunchedProgram(program: program.program, launcher: launcher)
        }
    }

    /// Whether `position` comes before `span` on the line where `span` starts.
    private func precedesOnItsLine(_ position: Int, _ span: ByteSpan) -> Bool {
        position < span.start && position <= file.bytes.count && !file.bytes[position..<min(span.start, file.bytes.count)].contains(0x0A)
    }

    /// `SMTP="…"; prefect agent … --env PREFECT__CONTEXT__SECRETS__SMTP="$SMTP"`: a variable a
    /// secret's value is taken from holds that value, whatever its name; frames hide it.
    /// Such a literal that a Prefect secret takes is also written down for PS104.
    mutating func hideVariablesOfSecrets() {
        var referenced: Set<String> = []
        // The Prefect secrets each variable feeds, with the context of the first that does.
        var secretsOf: [String: (path: [String], context: EnvContext?, whole: Bool)] = [:]
        // By index: copying every entry to read its name cost more than the rest of the pass.
        for e in entries.indices {
            let classification = EnvConfigMapping.classify(entries[e].syntax.name)
            guard FileFacts.namesSecretValue(entries[e].syntax.name, classifiedAs: classification),
                let parts = entries[e].syntax.value?.parts
            else { continue }
            let path = ContextSecretEnvName.secretPath(classifiedAs: classification)
            for part in parts {
                guard case .variable(let name) = part.kind else { continue }
                referenced.insert(name)
                if let path, secretsOf[name] == nil { secretsOf[name] = (path, entries[e].context, parts.count == 1) }
            }
        }
        guard !referenced.isEmpty else { return }
        for entry in entries where referenced.contains(entry.syntax.name) {
            guard let value = entry.syntax.value, !value.span.isEmpty, value.span.end <= file.bytes.count else { continue }
            // `PW="${PW:-…}"`: only its defaults may be written out; PS104 looks at its text.
            guard let text = value.literalValue else {
                let source = String(decoding: file.bytes[value.span.range], as: UTF8.self)
                if source.contains("${") { facts.unnamedValueSpans.append(value.span) }
                if let (path, context, whole) = secretsOf[entry.syntax.name] {
                    facts.secretLiteralsThroughVariables.append(
                        SecretVariableLiteral(
                            secret: path[0], nested: Array(path.dropFirst()), variable: entry.syntax.name, value: source, valueSpan: value.span,
                            context: context ?? .shellExport, isWholeValue: whole, isLiteral: false))
                }
                continue
            }
            facts.unnamedValueSpans.append(value.span)
            if let (path, context, whole) = secretsOf[entry.syntax.name] {
                facts.secretLiteralsThroughVariables.append(
                    SecretVariableLiteral(
                        secret: path[0], nested: Array(path.dropFirst()), variable: entry.syntax.name, value: text, valueSpan: value.span,
                        context: context ?? .shellExport, isWholeValue: whole))
            }
        }
    }

    /// A unit's `EnvironmentFile=` feeds every agent the unit starts; a `docker run
    /// --env-file` only the agent that runs in that container. A Procfile's processes get the
    /// `.env` beside it: foreman, honcho and `heroku local` read it before they start them.
    mutating func attachEnvFiles() {
        guard !facts.agents.isEmpty else { return }
        let dockerRuns = syntax.recognized.compactMap { command -> DockerRunCommand? in
            if case .dockerRun(let run) = command { return run }
            return nil
        }
        let dockerFiles = Set(dockerRuns.flatMap(\.envFiles))
        let unitFiles = syntax.referencedFiles.filter { !dockerFiles.contains($0.path) }.compactMap(\.path.literalValue)
        for index in facts.agents.indices {
            let span = facts.agents[index].span
            // After `env -i` or `sudo` only a `--env-file` written past it still counts.
            let reset = environmentResets[index]
            let containerFiles = dockerRuns.filter { $0.span.contains(span) }.flatMap {
                $0.envFiles.filter { $0.span.start >= reset?.position ?? 0 }.compactMap(\.literalValue)
            }
            facts.agents[index].envFiles = (reset == nil ? unitFiles : []) + containerFiles
            facts.agents[index].envFilesReadByDocker = Set(containerFiles)
            if syntax.kind == .procfile, reset == nil, containerFiles.isEmpty {
                facts.agents[index].envFiles = [".env"]
                facts.agents[index].envFilesAreRelativeToFile = true
            }
            // `dotenv run prefect agent …` (python-dotenv) adds a file's variables.
            if containerFiles.isEmpty {
                facts.agents[index].envFiles += sites.enclosing(span).flatMap { ShellCommands.dotenvFiles($0.command.words) }
            }
        }
    }

    // MARK: Environment assignments

    /// Fills `entries` in source order, deciding which shell variables are exported.
    mutating func collectEnvironment() {
        // An assignment read twice (a nested `sh -c` script, a wrapper) counts once.
        struct Key: Hashable {
            var name: ByteSpan
            var start: Int
            var context: EnvAssignmentSyntax.Context
        }
        var seen = Set<Key>()
        var ordered: [EnvAssignmentSyntax] = []
        for a in syntax.assignments where seen.insert(Key(name: a.nameSpan, start: a.span.start, context: a.context)).inserted {
            ordered.append(a)
        }
        // Stable sort by position: readers add nested `sh -c` scripts after their command.
        ordered = ordered.enumerated().sorted { ($0.element.span.start, $0.offset) < ($1.element.span.start, $1.offset) }
            .map(\.element)
        var exported = Set<String>()
        var pendingVariable: [String: Int] = [:]
        for a in ordered {
            // `--env "$PAIR"`, `-e $(ENV_PAIR)`: the name is not known until run time.
            guard a.nameIsLiteral else { continue }
            if a.inDocumentation {
                // Documentation shows commands; it exports nothing, but its values are still written down.
                if a.context == .shellVariable { continue }
                entries.append(EnvEntry(syntax: a, context: .documentation))
                continue
            }
            switch a.context {
            case .shellVariable:
                // `X=1` alone is a shell variable; it is in the environment only once exported.
                if exported.contains(a.name) {
                    entries.append(EnvEntry(syntax: a, context: .shellExport))
                } else {
                    pendingVariable[a.name] = entries.count
                    entries.append(EnvEntry(syntax: a, context: nil))
                }
            case .export:
                exported.insert(a.name)
                if a.value == nil, let index = pendingVariable.removeValue(forKey: a.name) {
                    // `X=1; export X`: the variable's assignment is the export, with its value.
                    entries[index].context = .shellExport
                } else {
                    entries.append(EnvEntry(syntax: a, context: .shellExport))
                }
            default:
                let context = Self.context(of: a.context)
                entries.append(EnvEntry(syntax: a, context: context == .makefile && syntax.kind == .justfile ? .justfile : context))
            }
        }
        for k in entries.indices {
            guard let context = entries[k].context else { continue }
            entries[k].envVars = Self.envVarsEntries(entries[k].syntax, context: context == .documentation ? .documentation : .agentEnvVarsJSON)
        }
    }

    static func context(of context: EnvAssignmentSyntax.Context) -> EnvContext {
        switch context {
        case .export, .shellVariable: .shellExport
        case .commandPrefix, .envCommand: .commandPrefix
        case .agentEnvFlag: .agentEnvFlag
        case .dockerRunEnv: .containerEnv
        case .dotenv: .dotenv
        case .dockerfileEnv, .dockerfileArg: .dockerfile
        case .systemdEnvironment: .systemd
        case .supervisordEnvironment: .supervisord
        case .crontabEnvironment: .crontab
        case .makeVariable, .makeExport: .makefile
        case .githubEnvFile: .ciEnv
        }
    }

    /// What `docker run --env-file` reads for a dotenv assignment, when it is not its value:
    /// the rest of the line after `=` (a line ending in CR loses the CR). Nil for `KEY: value`
    /// and `export KEY=value`, which Docker refuses (a name with a blank), and for `KEY` alone.
    static func dockerValue(of env: EnvAssignment, in bytes: [UInt8]) -> String? {
        guard env.value != nil, env.nameSpan.end <= bytes.count, env.nameSpan.start < bytes.count else { return nil }
        let lineStart = bytes[..<env.nameSpan.start].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        guard bytes[lineStart..<env.nameSpan.start].allSatisfy({ $0 == 0x20 || $0 == 0x09 }),
            env.nameSpan.end < bytes.count, bytes[env.nameSpan.end] == 0x3D
        else { return nil }
        var end = bytes[env.nameSpan.end...].firstIndex(of: 0x0A) ?? bytes.count
        if end > env.nameSpan.end + 1, bytes[end - 1] == 0x0D { end -= 1 }
        let text = String(decoding: bytes[(env.nameSpan.end + 1)..<end], as: UTF8.self)
        return text == env.value && env.origin == .literal ? nil : text
    }

    /// What GNU make reads for a dotenv assignment in an included file, when it is not its
    /// value (``EnvAssignment/makeValue``).
    static func makeValue(of env: EnvAssignment, in bytes: [UInt8]) -> String? {
        guard env.value != nil, env.nameSpan.end <= bytes.count else { return nil }
        var k = env.nameSpan.end
        while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
        guard k < bytes.count, bytes[k] == 0x3D else { return nil }
        k += 1
        while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
        var value: [UInt8] = []
        while k < bytes.count, bytes[k] != 0x0A, bytes[k] != 0x23 {
            switch bytes[k] {
            case 0x24:
                // `$$` is a `$`; any other `$` is a reference make expands.
                guard k + 1 < bytes.count, bytes[k + 1] == 0x24 else { return nil }
                value.append(0x24)
                k += 2
                continue
            case 0x5C where k + 1 < bytes.count && bytes[k + 1] == 0x23:
                return nil
            default:
                value.append(bytes[k])
            }
            k += 1
        }
        if value.last == 0x0D, k < bytes.count, bytes[k] == 0x0A { value.removeLast() }
        let text = String(decoding: value, as: UTF8.self)
        return text == env.value && env.origin == .literal ? nil : text
    }

    static func assignment(_ a: EnvAssignmentSyntax, context: EnvContext, agentIndex: Int?) -> EnvAssignment {
        // `docker run -e NAME` passes the caller's NAME into the container, like `-e NAME="$NAME"`.
        let value = a.value?.value ?? (a.context == .dockerRunEnv ? "$" + a.name : nil)
        var assignment = EnvAssignment(
            name: a.name, nameSpan: a.nameSpan, value: value, valueSpan: a.value?.contentSpan,
            origin: a.value.map { EnvValueSyntax.origin(of: $0, embedded: false) } ?? .reference, context: context, agentIndex: agentIndex)
        let isWrittenText = a.value?.parts.allSatisfy(\.isLiteral) ?? false
        assignment.reachesPrefectAsWritten =
            isWrittenText && (assignment.origin == .mixed || (context == .agentEnvFlag && assignment.origin == .reference))
        return assignment
    }
}

extension ImageBuild {
    /// The images `docker build` tags, each with its Dockerfile, context and stage; none when
    /// a path or the stage is not literal, or the context is not a folder (`-`, a URL).
    static func tagged(by build: DockerBuildCommand, naming: (ShellWord) -> String? = imageName) -> [ImageBuild] {
        guard let context = build.context.map({ $0.literalValue }) ?? ".", !context.contains(":"), context != "-",
            let dockerfile = build.file.map({ $0.literalValue }) ?? (context == "." ? "Dockerfile" : context + "/Dockerfile")
        else { return [] }
        var target: String?
        if let written = build.target {
            guard let literal = written.literalValue else { return [] }
            target = literal.lowercased()
        }
        return build.tags.compactMap(naming).map {
            ImageBuild(service: nil, context: context, dockerfile: dockerfile, target: target, runsImageCommand: false, imageName: $0, span: build.span)
        }
    }

    /// An image named by a shell word: literal, or with only its tag left to run time
    /// (`etl/agent:$VERSION`, which ``Launches`` matches by repository).
    static func imageName(_ word: ShellWord) -> String? {
        word.literalValue ?? repository(before: word.literalPrefix)
    }

    /// `prefix` up to the tag's colon when its last part has one (`etl/agent:` of
    /// `etl/agent:$VERSION`); nil when the repository itself is not all there.
    static func repository(before prefix: String) -> String? {
        let lastPart = prefix.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let colon = lastPart.firstIndex(of: ":"), colon > lastPart.startIndex else { return nil }
        return String(prefix[..<colon])
    }
}
