import PythonSource
import ShellWords
import Spans

extension ShellFactsBuilder {
    // MARK: Agents

    /// One ``Agent`` per `prefect agent … start|install` outside documentation.
    mutating func collectAgents() {
        let backendCommands: [(position: Int, value: String)] = syntax.recognized.compactMap {
            guard case .backend(let b) = $0, let value = b.backend, !syntax.isDocumentation else { return nil }
            return (b.span.start, value)
        }
        // Entry indices by how they reach a process, in source order (entries are sorted).
        // By the flag's start and its name's start.
        var flagIndex: [SIMD2<Int>: Int] = [:]
        var inherited: [Int] = []
        var onCommandLine: [Int] = []
        var fileWide: [Int] = []
        for e in entries.indices where entries[e].context != nil && entries[e].context != .documentation {
            switch entries[e].syntax.context {
            case .agentEnvFlag: flagIndex[SIMD2(entries[e].syntax.span.start, entries[e].syntax.nameSpan.start)] = e
            case .export, .shellVariable: inherited.append(e)
            case .commandPrefix, .envCommand, .dockerRunEnv: onCommandLine.append(e)
            case .makeExport, .dockerfileEnv, .dockerfileArg, .systemdEnvironment, .supervisordEnvironment, .crontabEnvironment: fileWide.append(e)
            case .dotenv, .makeVariable, .githubEnvFile: continue
            }
        }
        let containers = syntax.recognized.compactMap { r -> (run: ByteSpan, inner: ByteSpan)? in
            guard case .dockerRun(let run) = r, let inner = run.innerCommand else { return nil }
            return (run.span, inner.span)
        }
        // `docker|ecs|vertex install` do not exist (facts §4.1): no agent comes of them.
        for command in syntax.agentCommands where !command.inDocumentation && command.isSupported {
            let index = facts.agents.count
            // `install` prints a manifest or supervisord conf: the agent runs elsewhere, with the
            // env the output gives it, not the env of this command.
            let isInstall = command.subcommand == .install
            var agent = Agent(type: Self.agentType(command), span: command.span)
            agent.isInstallManifest = isInstall
            agent.name = command.name?.value?.literalValue
            agent.startRefusal = command.refusal?.message
            if agent.type == .docker {
                // `--volume "$PWD/prefect/config.toml:/root/.prefect/config.toml"` (Prefect splits
                // the spec on `:`, agent/docker/agent.py `_parse_volume_spec_unix`).
                for option in command.options {
                    guard option.name == "--volume", let parts = option.value?.value.split(separator: ":", omittingEmptySubsequences: false),
                        parts.count == 2 || parts.count == 3
                    else { continue }
                    agent.flowRunMounts[String(parts[1])] = String(parts[0])
                    if let file = UserConfigMount.prefectFile("config.toml", source: String(parts[0]), target: String(parts[1])) {
                        agent.flowRunUserConfigMount = file
                    }
                }
            }
            // What an image runs (not what a `RUN` starts while it is built).
            if let stage = command.dockerStage { agent.imageStage = Self.imageStage(runningCommandsOf: stage, in: syntax.dockerStages) }

            // Flow-run env: the --env flags.
            for env in command.env {
                guard let e = flagIndex[SIMD2(env.span.start, env.nameSpan.start)] else { continue }
                entries[e].agents.insert(index)
                agent.flowRunEnv.append(Self.assignment(env, context: .agentEnvFlag, agentIndex: index))
            }

            // Process env: what the agent process inherits from this file.
            let enclosing = sites.enclosing(command.span)
            // A Dockerfile stage's command may join words written in another stage (an
            // inherited `ENTRYPOINT ["env", "A=1", "prefect", …]` with this stage's `CMD`).
            let outer = enclosing.map { Self.extent(of: $0.command) }.reduce(command.span) { $0.union($1) }
            // `docker run … image prefect agent …`: the container gets only its `-e` env (and
            // prefixes inside the container command), not the host's env or backend.toml.
            let container = containers.filter { $0.inner.contains(command.span) }.min { $0.inner.length < $1.inner.length }
            agent.runsInContainer = container != nil
            // `env -i` or `sudo` in front of the agent: what the launcher and the script set
            // before it is gone; only what is written after it (or what `sudo` keeps) reaches
            // the agent. A container's env is its own: a reset outside it does not touch it.
            let resets = enclosing.compactMap { ShellCommands.environmentReset(of: $0.command) }
            let reset = resets.filter { reset in container.map { reset.position >= $0.inner.start } ?? true }
                .max { $0.position < $1.position }
            if let reset {
                environmentResets[index] = reset
                agent.environmentClearedBy = reset.wrapper
            }
            agent.environmentInjectedBy = enclosing.flatMap { ShellCommands.environmentInjectors($0.command.words) }
            agent.commandRunners = enclosing.flatMap { ShellCommands.argumentRunningScripts($0.command.words) }
            // `docker run -e NAME` copies NAME from the docker client's environment, which a
            // reset in front of `docker` empties.
            let clientReset = container.flatMap { container in
                resets.filter { $0.position < container.inner.start }.max { $0.position < $1.position }
            }
            func passesReset(_ e: Int) -> Bool {
                let syntax = entries[e].syntax
                if let clientReset, let container, syntax.context == .dockerRunEnv, syntax.value == nil,
                    !clientReset.passes(syntax.name, at: 0),
                    !clientHas(syntax.name, after: clientReset, dockerRun: container.run, before: syntax.span.start)
                {
                    return false
                }
                return reset?.passes(syntax.name, at: syntax.span.start) ?? true
            }
            var candidates = container == nil ? fileWide.filter { reset?.passes(entries[$0].syntax.name, at: 0) ?? true } : []
            let shellStart = Self.firstIndex(in: inherited, atOrAfter: scopes.shellStart(command.span.start)) { entries[$0].syntax.span.start }
            let shellEnd = Self.firstIndex(in: inherited, atOrAfter: command.span.start) { entries[$0].syntax.span.start }
            if shellStart < shellEnd {
                // In a container, only what its own command (`sh -c '…'`) exports.
                candidates += inherited[shellStart..<shellEnd].filter { e in container.map { $0.inner.contains(entries[e].syntax.span) } ?? true }
            }
            let low = Self.firstIndex(in: onCommandLine, atOrAfter: outer.start) { entries[$0].syntax.span.start }
            let high = Self.firstIndex(in: onCommandLine, atOrAfter: outer.end) { entries[$0].syntax.span.start }
            if low < high {
                candidates += onCommandLine[low..<high].filter { e in
                    guard let container else { return true }
                    let span = entries[e].syntax.span
                    return container.run.contains(span)
                        && (entries[e].syntax.context == .dockerRunEnv || span.start >= container.inner.start)
                }
            }
            candidates.sort()
            var commandEnv: [EnvAssignment] = []
            for e in candidates where passesReset(e) && reachesProcess(entries[e], startedAt: command.span, dockerStage: command.dockerStage, enclosing: enclosing) {
                guard let context = entries[e].context else { continue }
                if !isInstall { entries[e].agents.insert(index) }
                commandEnv.append(Self.assignment(entries[e].syntax, context: context, agentIndex: isInstall ? nil : index))
            }
            if !isInstall { agent.processEnv = commandEnv }
            // Without --env flags the agent uses PREFECT__CLOUD__AGENT__ENV_VARS from its config (facts §4.2).
            agent.flowRunEnvFromFlags = !command.env.isEmpty || isInstall
            if command.env.isEmpty, !isInstall,
                let e = entries.indices.last(where: { entries[$0].agents.contains(index) && entries[$0].syntax.name == Self.agentEnvVarsName })
            {
                entries[e].envVarsAgents.insert(index)
                agent.flowRunEnv = entries[e].envVars.map {
                    var env = $0
                    env.agentIndex = index
                    return env
                }
            }
            func processValue(_ name: String) -> String? {
                YAMLFactsBuilder.lastLiteral(name, in: commandEnv)?.value
            }

            // Labels: --label flags win over PREFECT__CLOUD__AGENT__LABELS (facts §4.2, §2.5).
            if command.labels.isEmpty && !isInstall {
                let setting = EnvValueSyntax.agentLabelsSetting(in: commandEnv)
                agent.labels = setting?.labels ?? []
                agent.unknownLabels = setting?.unknown ?? []
                agent.unknownLabelsMayBeNone = setting?.mayBeNone ?? false
            } else {
                let (values, variables) = labelReadings(of: command, readsLauncher: container == nil)
                agent.setLabels(fromFlags: command.labels, values: values)
                agent.labelsFromFlags = true
                // A shell outside a container started here expands them from its launcher's env.
                if container == nil { agent.labelVariables = variables }
            }
            // `prefect agent local start $AGENT_ARGS` (or `"$@"`): the words may hold `--label`s.
            agent.mayHaveLabels(in: command.positionals.filter { $0.literalValue == nil })

            // Backend: `install -b` is written into the manifest; otherwise PREFECT__BACKEND beats
            // the backend.toml that an earlier `prefect backend X` wrote (facts §3, §4.5).
            agent.backend = processValue("PREFECT__BACKEND")
                ?? (container == nil ? backendCommands.last { $0.position < command.span.start }?.value : nil)
            if let backend = command.backend?.value, let value = backend.literalValue {
                agent.backend = value
                agent.backendFromFlag = true
                facts.backendSettings.append(BackendSetting(value: value, span: backend.contentSpan, kind: .installFlag, agentIndex: index))
            }
            agent.apiURL = command.api?.value?.literalValue
            agent.apiURLFromFlag = command.api != nil || isInstall
            if agent.apiURL == nil {
                if !isInstall {
                    agent.apiURL = processValue("PREFECT__CLOUD__API")
                } else if command.agentType == .kubernetes {
                    // The manifest defaults PREFECT__CLOUD__API to Cloud, even with `-b server` (facts §4.5).
                    agent.apiURL = "https://api.prefect.io"
                }
            }

            agent.applyOptions(of: command)
            // `. ./agent.env` earlier in the command's shell: the process gets what the file
            // exports (all it assigns under `set -a`); not in a container, not in what
            // `install` prints.
            if container == nil, !isInstall {
                agent.sourcedFiles = sourcedEnvFiles(before: command.span, from: reset?.position ?? 0)
                // A Makefile's included files give every recipe make variables, exported to
                // its shell by a bare `export` or by name (wherever the `export NAME` stands).
                if reset == nil {
                    agent.sourcedFiles += syntax.makeIncludes.compactMap { included in
                        included.path.literalValue.map { SourcedEnvFile(name: $0, allExport: syntax.exportsAllMakeVariables, position: included.span.start, readByMake: true) }
                    }
                }
            }

            for option in Self.keyOptions(command) { appendCredential(option, agentIndex: index) }
            appendTokens(command.unknownOptions, positionals: command.positionals, agentIndex: index)
            facts.agents.append(agent)
        }
        // Keys written in documentation are still plaintext credentials (PS105 stays an error).
        for command in syntax.agentCommands where command.inDocumentation || !command.isSupported {
            for option in Self.keyOptions(command) { appendCredential(option, agentIndex: nil) }
            appendTokens(command.unknownOptions, positionals: command.positionals, agentIndex: nil)
        }
    }

    /// The first position in `indices` (sorted by `key`) whose key is at least `position`.
    static func firstIndex(in indices: [Int], atOrAfter position: Int, key: (Int) -> Int) -> Int {
        var low = 0
        var high = indices.count
        while low < high {
            let mid = (low + high) / 2
            if key(indices[mid]) < position { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Every `--key/-k`, including the one `prefect agent local install` glues to the previous
    /// option's value in supervisord files (`-p /flows-k KEY`, facts §4.5).
    static func keyOptions(_ command: AgentCommand) -> [CommandOption] {
        var keys = command.options.filter { $0.name == "--key" }
        if command.keyIsGlued, let glued = command.key { keys.append(glued) }
        return keys
    }

    /// The agent type; the deprecated `prefect agent start` is the local agent it was in 0.x
    /// (Prefect 1.4.1 has no such command: click answers "No such command 'start'").
    static func agentType(_ command: AgentCommand) -> AgentType {
        switch command.agentType {
        case .local: .local
        case .docker: .docker
        case .kubernetes: .kubernetes
        case .ecs: .ecs
        case .vertex: .vertex
        case nil: command.isDeprecatedForm && command.typeWord == nil ? .local : .unknown
        }
    }

    /// The env files sourced before the command at `command` in its shell (after `start`, where
    /// an `env -i` wrapper empties the environment): `. ./agent.env`, with `set -a` or not;
    /// `. "$(dirname "$0")/agent.env"` as the file of that name beside the script; one in the
    /// home folder (`~/.prefect-agent`, `"$HOME/agent.env"`) as a `~/` path, which names no project file.
    func sourcedEnvFiles(before command: ByteSpan, from start: Int = 0) -> [SourcedEnvFile] {
        syntax.sourcedFiles.compactMap { sourced in
            guard sourced.span.end <= command.start, sourced.span.start >= start, scopes.sameShell(sourced.span.start, command.start),
                sourced.scope.map({ $0.contains(command) }) ?? true
            else { return nil }
            let path = sourced.path
            let inHome: Bool =
                switch path.parts.first?.kind {
                case .tilde?: true
                case .variable(let name)?: name == "HOME"
                default: false
                }
            guard let name = path.literalValue ?? (inHome ? "~" + path.value.drop { $0 != "/" } : ShellCommands.pathTail(path)) else { return nil }
            return SourcedEnvFile(name: name, allExport: sourced.allExport, position: sourced.span.start)
        }
    }

    /// Whether `entry` is in the environment of the process the command at `command` starts
    /// (an agent, a script another script runs), run by Dockerfile stage `dockerStage` if any.
    /// `enclosing`: the commands whose span contains it (itself, `env …`, `sh -c`, `docker run`).
    func reachesProcess(_ entry: EnvEntry, startedAt command: ByteSpan, dockerStage: Int?, enclosing: [ShellCommandSite]) -> Bool {
        guard let context = entry.context, context != .documentation else { return false }
        let position = entry.syntax.span.start
        let before = entry.syntax.span.end <= command.start
        switch entry.syntax.context {
        case .commandPrefix, .envCommand, .dockerRunEnv:
            // On the agent's own command line (`X=1 prefect …`, `env X=1 …`, `docker run -e X=1 … prefect …`).
            let span = entry.syntax.span
            return enclosing.contains { site in
                site.command.assignments.contains { $0.span.contains(span) } || site.command.words.contains { $0.span.contains(span) }
            }
        case .export, .shellVariable:
            return before && context == .shellExport && scopes.sameShell(position, command.start)
                && !staysInChildShell(entry.syntax.span, without: command)
        case .makeExport:
            // Make exports its exported variables to every recipe.
            return true
        case .dockerfileEnv:
            // `ENV` is in the image, for its `CMD`/`ENTRYPOINT` wherever it is written; a `RUN`
            // sees what is set before it.
            if let stage = dockerStage { return scopes.stageInherits(position, stage: stage) }
            return before && scopes.stageInherits(position, stage: scopes.stage(at: command.start))
        case .dockerfileArg:
            // ARG values are in the environment of RUN only, not of the image's CMD/ENTRYPOINT.
            let innermost = enclosing.min { $0.command.span.length < $1.command.span.length }
            return before && scopes.sameStage(position, command.start) && innermost?.origin == .dockerfileRun
        case .systemdEnvironment, .crontabEnvironment:
            return true
        case .supervisordEnvironment:
            return scopes.sameSupervisordProgram(position, command.start)
        case .agentEnvFlag, .dotenv, .makeVariable, .githubEnvFile:
            return false
        }
    }

    /// Whether the docker client that the command at `dockerRun` starts has `name` in its
    /// environment, for its `-e NAME` at `position`, although `reset` emptied it: exported
    /// after the reset in the client's shell (`sudo sh -c 'export NAME=1; docker …'`), or given
    /// to the command after it (`env -i NAME=1 docker …`, `sudo NAME=1 docker …`).
    func clientHas(_ name: String, after reset: EnvironmentReset, dockerRun: ByteSpan, before position: Int) -> Bool {
        (entriesByName[name] ?? []).contains { e in
            let syntax = entries[e].syntax
            guard syntax.value != nil, syntax.span.start < position, reset.passes(name, at: syntax.span.start) else { return false }
            switch syntax.context {
            case .export:
                return scopes.sameShell(syntax.span.start, dockerRun.start) && !staysInChildShell(syntax.span, without: dockerRun)
            case .envCommand, .commandPrefix:
                // On a command that runs docker itself, not on another one in the same script.
                let own = sites.enclosing(syntax.span).min { $0.command.span.length < $1.command.span.length }
                return own?.command.span.contains(dockerRun) ?? false
            default:
                return false
            }
        }
    }

    /// Whether the assignment at `span` is made in a `sh -c '…'` script that does not run the
    /// command at `command`: that shell's exports end with it.
    func staysInChildShell(_ span: ByteSpan, without command: ByteSpan) -> Bool {
        let around = sites.enclosing(span)
        guard around.count > 1, let own = around.min(by: { $0.command.span.length < $1.command.span.length }) else { return false }
        return around.contains { $0.command.span != own.command.span && !$0.command.span.contains(command) }
    }

    /// The stages whose image runs the commands read for stage `index`.
    static func imageStage(runningCommandsOf index: Int, in stages: [DockerStage]) -> ImageStage {
        let runners = stages.indices.filter { stages[$0].commandStage == index }
        let bases = Set(stages.compactMap(\.base))
        return ImageStage(
            names: runners.map { stages[$0].name }, isLast: runners.contains(stages.count - 1),
            isLeaf: runners.contains { !bases.contains($0) })
    }

    /// A command's span with its words', which a Dockerfile stage's joined command may have
    /// outside it.
    static func extent(of command: ShellSimpleCommand) -> ByteSpan {
        command.words.reduce(command.span) { $0.union($1.span) }
    }

    // MARK: Credentials, backends, Cloud API, registrations

    mutating func appendCredential(_ option: CommandOption, agentIndex: Int?, isAuthLogin: Bool = false) {
        // A Dockerfile stage built from another runs the same words again: one flag, once.
        guard let value = option.value, !facts.credentialFlags.contains(where: { $0.valueSpan == value.contentSpan }) else { return }
        facts.credentialFlags.append(
            CredentialFlag(
                flag: option.written, valueSpan: value.contentSpan, origin: EnvValueSyntax.origin(of: value, embedded: false), agentIndex: agentIndex,
                isAuthLogin: isAuthLogin))
    }

    /// `--token X` / `-t X`: not an agent option in 1.4.1 (Prefect refuses it), but the token is
    /// written down all the same.
    mutating func appendTokens(_ unknown: [CommandOption], positionals: [ShellWord], agentIndex: Int?) {
        for option in unknown {
            // `--api-key` is Prefect 2's spelling, refused by 1.4.1 like 0.x's `--token`.
            if option.name == "--token" || option.name == "--api-key" {
                appendCredential(option, agentIndex: agentIndex)
            } else if option.written == "-t", option.value == nil,
                let value = positionals.first(where: { $0.span.start >= option.flagSpan.end })
            {
                appendCredential(
                    CommandOption(name: "--token", written: "-t", flagSpan: option.flagSpan, value: value, span: option.flagSpan.union(value.span)),
                    agentIndex: agentIndex)
            } else if let value = option.value, !value.contentSpan.isEmpty {
                // `--auth-token X`, `--Key X`: whatever the option is, its value may be a credential.
                facts.unnamedValueSpans.append(value.contentSpan)
            } else if option.value == nil, option.written.utf8.count == 2,
                let value = positionals.first(where: { $0.span.start >= option.flagSpan.end })
            {
                // `-K X`: an unknown short option leaves its value among the positionals.
                facts.unnamedValueSpans.append(value.contentSpan)
            }
        }
    }

    /// Cloud secret API names a `python -c` snippet may use (facts §8.1).
    static let cloudSecretOperations = ["set_secret", "delete_secret", "secret_value", "secret_names"]

    /// `prefect backend X`, `prefect auth login --key`, `python -c` snippets, and `prefect run
    /// --context secrets=…`.
    mutating func collectCommands() {
        for site in syntax.commands {
            for (key, value) in ShellCommands.runContextSecrets(site.command) {
                facts.runContextSecrets.append(key.contentSpan)
                if !value.contentSpan.isEmpty { facts.runContextSecretValues.append(value.contentSpan) }
            }
        }
        for recognized in syntax.recognized {
            switch recognized {
            case .backend(let b):
                guard !syntax.isDocumentation, let value = b.value, let text = value.literalValue,
                    !facts.backendSettings.contains(where: { $0.span == value.contentSpan })
                else { continue }
                facts.backendSettings.append(BackendSetting(value: text, span: value.contentSpan, kind: .backendCommand))
            case .authLogin(let login):
                let inImageBuild = sites.enclosing(login.span).min { $0.command.span.length < $1.command.span.length }?.origin == .dockerfileRun
                for option in login.options where option.name == "--key" || option.name == "--token" {
                    appendCredential(option, agentIndex: nil, isAuthLogin: true)
                    if inImageBuild, let value = option.value, let k = facts.credentialFlags.lastIndex(where: { $0.valueSpan == value.contentSpan }) {
                        facts.credentialFlags[k].isInImageBuild = true
                    }
                }
            case .register(let register):
                guard !syntax.isDocumentation else { continue }
                let directory = Registration.workingDirectory(before: register.span.start, in: syntax, from: nil) { scopes.sameShell($0, $1) }
                facts.registrations.append(Registration(register) { $0.literalValue == nil ? labelValue($0, before: register.span) : nil }.running(in: directory))
            case .pythonSnippet(let snippet):
                guard !syntax.isDocumentation else { continue }
                let text = Array(snippet.text.utf8)
                let map = snippet.offsetMap
                for operation in Self.cloudSecretOperations {
                    let needle = Array(operation.utf8)
                    var k = 0
                    while k + needle.count <= text.count {
                        if text[k..<(k + needle.count)].elementsEqual(needle),
                            k == 0 || !ASCIIBytes.isWordByte(text[k - 1]),
                            k + needle.count == text.count || !ASCIIBytes.isWordByte(text[k + needle.count])
                        {
                            facts.cloudAPIUses.append(CloudSecretAPIUse(operation: operation, span: map.span(k, k + needle.count)))
                            k += needle.count
                        } else {
                            k += 1
                        }
                    }
                }
                // The strings of a snippet that uploads a secret, from the call on (its
                // arguments, a GraphQL mutation holding it): the value is among them.
                if let first = ByteSearch.firstIndex(of: Array("set_secret".utf8), in: text, range: 0..<text.count) {
                    for token in PythonTokenizer.tokenize(text) where token.kind == .string && token.span.end > first {
                        guard let open = text[token.span.range].firstIndex(where: { $0 == 0x22 || $0 == 0x27 }) else { continue }
                        let quote = text[open]
                        var start = open
                        while start < token.span.end, text[start] == quote { start += 1 }
                        var end = token.span.end
                        while end > start, text[end - 1] == quote { end -= 1 }
                        // Not the secret's name (`name=`, the first argument), nor a whole `$NAME`.
                        let before = text[..<token.span.start].reversed().drop { $0 == 0x20 }
                        let isName = ["name=", "set_secret("].contains { before.starts(with: $0.utf8.reversed()) }
                        let content = String(decoding: text[start..<end], as: UTF8.self)
                        if end > start, !isName, RunEnvironment.wholeReference(content) == nil { facts.unnamedValueSpans.append(map.span(start, end)) }
                    }
                }
            default:
                continue
            }
        }
        facts.cloudAPIUses.sort { $0.span.start < $1.span.start }
    }
}

/// Which parts of a file share one shell, one Docker build stage, or one supervisord program.
struct ShellScopes {
    let kind: ShellFileKind
    /// `.ONESHELL:` makes a whole Makefile recipe one shell.
    let oneShell: Bool
    /// Starts of Dockerfile `FROM` lines, or of supervisord section headers.
    let boundaries: [(start: Int, isGlobal: Bool)]
    /// For each Dockerfile stage (as ``boundaries``), the stage it is built from.
    let stageBases: [Int?]
    /// Offsets of the newlines that end a shell (not escaped by `\` or a Dockerfile's `` ` ``).
    let shellBreaks: [Int]

    /// `oneShellSpans`: parts of the file one shell runs whole (a justfile's `#!` recipe).
    init(file: SourceFile, kind: ShellFileKind, dockerStages: [DockerStage] = [], oneShellSpans: [ByteSpan] = []) {
        self.kind = kind
        var boundaries: [(Int, Bool)] = dockerStages.map { ($0.start, false) }
        stageBases = dockerStages.map(\.base)
        var oneShell = false
        var start = 0
        let b = file.bytes
        while start < b.count {
            var end = start
            while end < b.count && b[end] != 0x0A { end += 1 }
            var s = start
            while s < end && (b[s] == 0x20 || b[s] == 0x09) { s += 1 }
            let line = String(decoding: b[s..<end], as: UTF8.self)
            switch kind {
            case .supervisord:
                if line.hasPrefix("[") { boundaries.append((start, line.lowercased().hasPrefix("[supervisord]"))) }
            case .makefile:
                if line.hasPrefix(".ONESHELL") { oneShell = true }
            default:
                break
            }
            start = end + 1
        }
        self.boundaries = boundaries
        self.oneShell = oneShell
        var breaks: [Int] = []
        for (k, byte) in b.enumerated() where byte == 0x0A {
            var j = k - 1
            while j >= 0 && b[j] == 0x0D { j -= 1 }
            if j < 0 || (b[j] != 0x5C && b[j] != 0x60), !oneShellSpans.contains(where: { $0.start <= k && k < $0.end }) { breaks.append(k) }
        }
        self.shellBreaks = breaks
    }

    /// Where the shell that runs the command at `position` starts reading the file.
    func shellStart(_ position: Int) -> Int {
        if kind == .shellScript || (kind == .makefile && oneShell) { return 0 }
        let k = segment(position)
        return k == 0 ? 0 : shellBreaks[k - 1] + 1
    }

    /// How many shell-ending newlines come before `position` (binary search).
    func segment(_ position: Int) -> Int {
        var low = 0
        var high = shellBreaks.count
        while low < high {
            let mid = (low + high) / 2
            if shellBreaks[mid] < position { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Whether an export at `a` is still in effect for a command at `b` (after it).
    func sameShell(_ a: Int, _ b: Int) -> Bool {
        switch kind {
        case .shellScript: return a <= b
        case .makefile where oneShell: return a <= b
        default:
            // Each Makefile recipe line, Dockerfile instruction, unit Exec line and Procfile
            // line is its own shell: no newline in between, except escaped ones.
            return a <= b && segment(a) == segment(b)
        }
    }

    func boundary(before position: Int) -> (start: Int, isGlobal: Bool)? {
        boundaries.last { $0.start <= position }
    }

    /// Same Docker build stage, `a` before `b`.
    func sameStage(_ a: Int, _ b: Int) -> Bool {
        a <= b && stage(at: a) == stage(at: b)
    }

    /// Whether what is set at `a` is in the image of `stage`: the same stage, or one it is
    /// built from (`FROM base`), wherever in the stage it is written.
    func stageInherits(_ a: Int, stage: Int?) -> Bool {
        var stage = stage
        guard let from = self.stage(at: a) else { return stage == nil }
        while let current = stage {
            if current == from { return true }
            stage = stageBases[current]
        }
        return false
    }

    /// The index of the Dockerfile stage at `position`; nil before the first `FROM`.
    func stage(at position: Int) -> Int? {
        boundaries.lastIndex { $0.start <= position }
    }

    /// `environment=` at `a` applies to the program at `b`: same `[program:x]`, or `[supervisord]`.
    func sameSupervisordProgram(_ a: Int, _ b: Int) -> Bool {
        let section = boundary(before: a)
        return section?.isGlobal == true || section?.start == boundary(before: b)?.start
    }
}

/// The commands of a file under their outermost command, so the commands enclosing one
/// command are found without scanning the whole file.
struct CommandSites {
    /// Each outermost command's extent (span with its words'), with the commands inside it
    /// and their own extents.
    var roots: [(span: ByteSpan, members: [(extent: ByteSpan, site: ShellCommandSite)])] = []

    init(_ sites: [ShellCommandSite]) {
        let sorted = sites.map { (extent: ShellFactsBuilder.extent(of: $0.command), site: $0) }.enumerated().sorted {
            ($0.element.extent.start, -$0.element.extent.end, $0.offset) < ($1.element.extent.start, -$1.element.extent.end, $1.offset)
        }
        for (_, entry) in sorted {
            if let last = roots.indices.last, roots[last].span.contains(entry.extent) {
                roots[last].members.append(entry)
            } else {
                roots.append((entry.extent, [entry]))
            }
        }
    }

    /// The commands whose span (with their words') contains `span`.
    func enclosing(_ span: ByteSpan) -> [ShellCommandSite] {
        var low = 0
        var high = roots.count
        while low < high {
            let mid = (low + high) / 2
            if roots[mid].span.start <= span.start { low = mid + 1 } else { high = mid }
        }
        guard low > 0, roots[low - 1].span.contains(span) else { return [] }
        return roots[low - 1].members.filter { $0.extent.contains(span) }.map(\.site)
    }
}

extension Agent {
    /// The options of the agent's command that shape its runs beyond env and labels (the last
    /// of each wins, as in click): `--hostname-label`/`--no-hostname-label`, `--job-template`
    /// (Kubernetes), `--task-definition` and `--run-task-kwargs` (ECS).
    mutating func applyOptions(of command: AgentCommand) {
        if let last = command.options.last(where: { $0.name == "--hostname-label" || $0.name == "--no-hostname-label" }) {
            addsHostnameLabel = last.name == "--hostname-label"
        }
        if let option = type.runTemplate?.option, let template = command.values(of: option).last?.literalValue { templatePath = template }
        if type == .ecs, let kwargs = command.values(of: "--run-task-kwargs").last { runTaskKwargs = kwargs.value }
    }
}
