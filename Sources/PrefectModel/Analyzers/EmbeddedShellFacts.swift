import ShellWords
import Spans

/// What is in effect where embedded shell text runs: the env a CI job or container gives it,
/// and the backend chosen by an earlier `prefect backend` in the same job.
struct ShellScope {
    /// Assignments already added to the builder that the shell process inherits.
    var env: [EnvAssignment] = []
    /// The value of the last `prefect backend X` that ran before (it writes backend.toml).
    var backend: String?
    /// The folder the shell starts in (a CI step's `working-directory`), relative to the
    /// project's root; nil for the root.
    var workingDirectory: String?
}

/// How agents are read from shell text.
struct ShellAgentOptions {
    /// `prefect agent kubernetes install` counts as the agent it deploys (CI jobs pipe it to
    /// `kubectl apply`); in a container it only prints YAML, so it does not.
    var installIsAgent = true
    /// The shell process env reaches the agent (false when the caller sets processEnv itself).
    var inheritScope = true
    /// The text is a Kubernetes container's `command` and `args`, which Kubernetes expands
    /// (`$(NAME)`) from the container's env before it runs them: labels may be read through it.
    var kubernetesContainer = false
    /// Text the shell does not expand (an exec-form argument, a single-quoted word) reaches the
    /// command as written; false where the file's tool interpolates `$NAME` in it first
    /// (Compose, from the host's env and `.env`).
    var literalTextIsKept = true
    /// `${NAME}` in such text may be filled in before (a CloudFormation `!Sub` or `!Ref`, a
    /// Terraform template of an ECS task definition): only `$NAME` surely reaches the command.
    var bracedReferencesMayBeFilledIn = false
    /// Compose fills `$NAME` in from the `.env` file beside the compose file (or the shell
    /// that runs it): a `--label` that is one reference is read from there by the model.
    var composeInterpolates = false

    /// Whether literal text with a `$` (an exec-form argument, a single-quoted word) reaches
    /// the command as written: no `$(…)` or `$$` (Kubernetes expands those in a container's
    /// command and args), no `${{ … }}` (a CI expression, filled in before the shell runs), and
    /// nothing the file's own tool fills in first.
    func keepsDollarText(_ text: String) -> Bool {
        literalTextIsKept && !text.contains("$(") && !text.contains("$$") && !text.contains("${{")
            && !(bracedReferencesMayBeFilledIn && text.contains("${"))
    }
}

// MARK: - ShellWords facts → Prefect facts

extension YAMLFactsBuilder {
    /// Maps the facts ShellWords found in embedded shell text (a `run:` block, a container's
    /// `command`/`args`) to Prefect facts, as a shell script analyzer would: assignments,
    /// `prefect backend`, `prefect auth login --key`, and `prefect agent …` commands, in source
    /// order so that exports and backend choices reach the agents started after them.
    ///
    /// `adjust` completes each agent (container env, labels from the manifest) before it is added.
    /// Returns the indices of the agents added.
    @discardableResult
    mutating func addShellFacts(
        _ shell: ShellFileFacts, scope: inout ShellScope, options: ShellAgentOptions = ShellAgentOptions(),
        adjust: (inout Agent) -> Void = { _ in }
    ) -> [Int] {
        enum Event {
            case assignment(EnvAssignmentSyntax)
            case command(RecognizedCommand)
            var start: Int {
                switch self {
                case .assignment(let a): return a.span.start
                case .command(.agent(let c)): return c.span.start
                case .command(.backend(let c)): return c.span.start
                case .command(.authLogin(let c)): return c.span.start
                case .command: return 0
                }
            }
        }
        if shell.commands.contains(where: { ShellCommands.runsEnvsubst($0.command) }) { noteFillsEnvIntoText() }
        var events: [Event] = shell.assignments.filter { $0.context != .agentEnvFlag }.map { .assignment($0) }
        for r in shell.recognized {
            switch r {
            case .agent, .backend, .authLogin: events.append(.command(r))
            case .pythonSnippet(let snippet): addCloudAPIUses(in: snippet)
            case .register(let register):
                let directory = Registration.workingDirectory(before: register.span.start, in: shell, from: scope.workingDirectory)
                let env = scope.env
                addRegistration(Registration(register) { Self.labelValue($0, env: env) }.running(in: directory))
            case .dockerBuild(let build):
                for image in ImageBuild.tagged(by: build) { addImageBuild(image) }
            case .kubectlCreate(let create):
                guard let source = KubernetesEnvSource(create) else { break }
                addKubernetesEnvSource(source)
                for span in source.env.compactMap(\.valueSpan) { hideValue(span) }
            default: break
            }
        }
        // Stable: assignments before a command that starts at the same offset (prefixes).
        events = events.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }.map(\.element)
        var prefixes: [(site: ByteSpan, assignment: EnvAssignment)] = []
        var unexported: [String: EnvAssignment] = [:]
        var added: [Int] = []
        for event in events {
            switch event {
            case .assignment(let syntax):
                if syntax.context == .export, syntax.value == nil, let pending = unexported.removeValue(forKey: syntax.name) {
                    // `X=1; export X`: the variable's assignment is the export, with its value.
                    addEnv(pending)
                    scope.env.append(pending)
                    continue
                }
                guard let context = Self.envContext(syntax.context), let value = syntax.value, syntax.nameIsLiteral else { continue }
                let assignment = Self.assignment(syntax, value: value, context: context)
                if syntax.context == .shellVariable {
                    // `X=1` alone is a shell variable, in the environment only once exported.
                    unexported[syntax.name] = assignment
                    continue
                }
                addEnv(assignment)
                if syntax.name == "PREFECT__CLOUD__AGENT__ENV_VARS", assignment.origin != .reference {
                    addAgentEnvVarsJSON(of: assignment, bytes: Array(value.value.utf8)) { value.valueOffsetMap.span($0.lowerBound, $0.upperBound) }
                }
                switch syntax.context {
                case .export: scope.env.append(assignment)
                case .commandPrefix, .envCommand, .dockerRunEnv:
                    // On the command's own line (`X=1 cmd`, `env X=1 cmd`, `docker run -e X=1 image cmd`).
                    if let site = Self.innermostSite(containing: syntax.span.start, in: shell) { prefixes.append((site, assignment)) }
                default: break
                }
            case .command(.backend(let command)):
                // `prefect backend "$X"` cannot be told statically.
                guard let word = command.value, let literal = word.literalValue else { continue }
                let setting = BackendSetting(value: literal, span: word.contentSpan, kind: .backendCommand)
                addBackendSetting(setting)
                if setting.takesEffect { scope.backend = literal }
            case .command(.authLogin(let command)):
                for option in command.options where option.name == "--key" || option.name == "--token" {
                    guard let word = option.value else { continue }
                    addCredentialFlag(CredentialFlag(flag: option.written, valueSpan: word.contentSpan, origin: EnvValueSyntax.origin(of: word), isAuthLogin: true))
                }
            case .command(.agent(let command)):
                guard !command.inDocumentation, command.subcommand == .start || options.installIsAgent else {
                    // An install that only prints YAML still has its key written down.
                    if let key = command.key, let word = key.value {
                        addCredentialFlag(CredentialFlag(flag: key.written, valueSpan: word.contentSpan, origin: EnvValueSyntax.origin(of: word)))
                    }
                    continue
                }
                let site = Self.innermostSite(containing: command.span.start, in: shell)
                // `docker run … image prefect agent …`: the container gets only its `-e` env, and
                // not the host's backend.toml either.
                let inContainer = shell.recognized.contains {
                    if case .dockerRun(let run) = $0, let inner = run.innerCommand { return inner.span.start == command.span.start }
                    return false
                }
                var processEnv: [EnvAssignment] = []
                if command.subcommand == .start {
                    if options.inheritScope && !inContainer { processEnv = scope.env }
                    processEnv += prefixes.filter { $0.site == site }.map(\.assignment)
                }
                addSecretLiteralsThroughVariables(
                    in: command.span, of: shell, env: scope.env + prefixes.filter { $0.site == site }.map(\.assignment), composeInterpolates: options.composeInterpolates)
                var readLabel: (ShellWord) -> String? = { Self.literalLabel($0, options: options) }
                if options.kubernetesContainer, !inContainer, !command.labels.isEmpty {
                    let (env, scriptVariables) = (processEnv, Set(shell.assignments.filter { $0.context == .shellVariable }.map(\.name)))
                    readLabel = { Self.kubernetesLabelValue($0, env: env, scriptVariables: scriptVariables) }
                }
                var agent = makeAgent(command, processEnv: processEnv, scopeBackend: inContainer ? nil : scope.backend, readLabel: readLabel, options: options)
                let enclosing = shell.commands.filter { $0.command.span.contains(command.span) }
                agent.environmentInjectedBy = enclosing.flatMap { ShellCommands.environmentInjectors($0.command.words) }
                agent.commandRunners = enclosing.flatMap { ShellCommands.argumentRunningScripts($0.command.words) }
                adjust(&agent)
                let index = addAgent(agent)
                added.append(index)
                // `--token` is not an option in 1.4.1 (Prefect refuses it), but the token is written down all the same.
                for key in [command.key].compactMap({ $0 }) + command.unknownOptions.filter({ $0.name == "--token" }) {
                    guard let word = key.value else { continue }
                    addCredentialFlag(
                        CredentialFlag(flag: key.written, valueSpan: word.contentSpan, origin: EnvValueSyntax.origin(of: word), agentIndex: index))
                }
                if command.subcommand == .install, let flag = command.backend, let word = flag.value, let literal = word.literalValue {
                    addBackendSetting(BackendSetting(value: literal, span: word.contentSpan, kind: .installFlag, agentIndex: index))
                }
            case .command:
                continue
            }
        }
        return added
    }

    /// `--env PREFECT__CONTEXT__SECRETS__X=$V` where the job's env sets V to a literal: that
    /// literal is the secret's value, written down in this file (PS104, PS403), as in a shell
    /// script the shell analyzer reads. With `composeInterpolates`, only a `$$V` reaches the
    /// container's shell as `$V`: Compose fills a plain `$V` in from the host's env and `.env`
    /// when it reads the file, not from the service's `environment:`.
    mutating func addSecretLiteralsThroughVariables(in command: ByteSpan, of shell: ShellFileFacts, env: [EnvAssignment], composeInterpolates: Bool = false) {
        for flag in shell.assignments where flag.context == .agentEnvFlag && command.contains(flag.span.start) {
            guard let path = ContextSecretEnvName.secretPath(flag.name), let secret = path.first, let parts = flag.value?.parts else { continue }
            for part in parts {
                // The `$` a `$$` leaves spans both bytes (``YAMLScalarText/undoingComposeEscapes()``).
                if composeInterpolates, part.span.length <= part.text.utf8.count { continue }
                guard case .variable(let name) = part.kind, let literal = env.last(where: { $0.name == name }), literal.origin == .literal,
                    let value = literal.value, let valueSpan = literal.valueSpan, !valueSpan.isEmpty
                else { continue }
                hideValue(valueSpan)
                addSecretVariableLiteral(
                    SecretVariableLiteral(
                        secret: secret, nested: Array(path.dropFirst()), variable: name, value: value, valueSpan: valueSpan, context: .agentEnvFlag,
                        isWholeValue: parts.count == 1))
            }
        }
    }

    /// The agent a `prefect agent` command starts, before the caller's adjustments. Labels and
    /// env_vars come from the flags, else from the PREFECT__CLOUD__AGENT__* env the agent
    /// process has (flags replace the config values entirely, facts §4.2).
    func makeAgent(
        _ command: AgentCommand, processEnv: [EnvAssignment], scopeBackend: String?, readLabel: (ShellWord) -> String?,
        options: ShellAgentOptions
    ) -> Agent {
        let type = command.agentType.flatMap { AgentType(rawValue: $0.rawValue) } ?? (command.isDeprecatedForm ? .local : .unknown)
        var agent = Agent(type: type, span: command.span)
        agent.startRefusal = command.refusal?.message
        agent.processEnv = processEnv
        agent.flowRunEnv = command.env.map { syntax in
            var assignment = EnvAssignment(
                name: syntax.name, nameSpan: syntax.nameSpan, value: syntax.value?.value,
                valueSpan: syntax.value.map { $0.parts.isEmpty ? .empty(at: $0.span.start) : $0.contentSpan },
                origin: syntax.value.map { EnvValueSyntax.origin(of: $0) } ?? .unknown, context: .agentEnvFlag)
            if let word = syntax.value { assignment.reachesPrefectAsWritten = Self.reachesAgentAsWritten(word, origin: assignment.origin, options: options) }
            return assignment
        }
        agent.isInstallManifest = command.subcommand == .install
        agent.flowRunEnvFromFlags = !command.env.isEmpty
        if command.env.isEmpty, let json = Self.lastEnvVarsJSON(in: processEnv) {
            agent.flowRunEnv = agentEnvVarsExpansion(of: json)
        }
        agent.setLabels(fromFlags: command.labels, reading: readLabel)
        agent.labelsFromFlags = !command.labels.isEmpty
        if options.composeInterpolates {
            agent.labelVariables = command.labels.compactMap { word in
                guard readLabel(word) == nil, let reference = EnvValueSyntax.labelReference(word.value), EnvValueSyntax.mayReadAsLabel(reference.name) else { return nil }
                // Compose splits a string command into words after it fills values in.
                var variable = LabelVariable(label: EnvValueSyntax.unknownLabel(word.value), variable: reference.name, source: .composeEnvFile, splits: true, span: word.span)
                (variable.defaultValue, variable.defaultWhenEmpty) = (reference.defaultValue, reference.whenEmpty)
                return variable
            }
        }
        if command.labels.isEmpty, let setting = EnvValueSyntax.agentLabelsSetting(in: processEnv) {
            (agent.labels, agent.unknownLabels, agent.unknownLabelsMayBeNone) = setting
        }
        // Compose and Kubernetes expand `${X}` and `$(X)` in literal words too.
        agent.mayHaveLabels(in: command.positionals.filter(\.textMayChange))
        agent.name = command.name?.value?.literalValue ?? Self.lastLiteral("PREFECT__CLOUD__AGENT__NAME", in: processEnv)?.value
        agent.apiURL = command.api?.value?.literalValue ?? Self.lastLiteral("PREFECT__CLOUD__API", in: processEnv)?.value
        agent.apiURLFromFlag = command.api != nil || command.subcommand == .install
        if command.subcommand == .install, command.agentType == .kubernetes, command.api == nil {
            // install writes PREFECT__CLOUD__API with Cloud's URL unless --api is given (facts §4.5).
            agent.apiURL = "https://api.prefect.io"
        }
        agent.backend = Self.lastLiteral("PREFECT__BACKEND", in: processEnv)?.value ?? scopeBackend
        if command.subcommand == .install, let flag = command.backend?.value?.literalValue {
            agent.backend = flag
            agent.backendFromFlag = true
        }
        agent.applyOptions(of: command)
        return agent
    }

    /// Cloud secret API names a `python -c` snippet uses (facts §8.1), as whole identifiers.
    mutating func addCloudAPIUses(in snippet: PythonSnippet) {
        let text = Array(snippet.text.utf8)
        for operation in ["set_secret", "delete_secret", "secret_value", "secret_names"] {
            let needle = Array(operation.utf8)
            var k = 0
            while k + needle.count <= text.count {
                if text[k..<(k + needle.count)].elementsEqual(needle), k == 0 || !ASCIIBytes.isWordByte(text[k - 1]),
                    k + needle.count == text.count || !ASCIIBytes.isWordByte(text[k + needle.count])
                {
                    addCloudAPIUse(CloudSecretAPIUse(operation: operation, span: snippet.offsetMap.span(k, k + needle.count)))
                    k += needle.count
                } else {
                    k += 1
                }
            }
        }
    }

    static func lastLiteral(_ name: String, in env: [EnvAssignment]) -> EnvAssignment? {
        env.last { $0.name == name && $0.origin == .literal && $0.value != nil }
    }

    /// The last PREFECT__CLOUD__AGENT__ENV_VARS with JSON written in the file (its values may
    /// hold `$VAR` references, which the agent expands).
    static func lastEnvVarsJSON(in env: [EnvAssignment]) -> EnvAssignment? {
        env.last { $0.name == "PREFECT__CLOUD__AGENT__ENV_VARS" && $0.origin != .reference && $0.value != nil }
    }

    static func envContext(_ context: EnvAssignmentSyntax.Context) -> EnvContext? {
        switch context {
        case .export, .shellVariable: return .shellExport
        case .commandPrefix, .envCommand: return .commandPrefix
        case .agentEnvFlag: return .agentEnvFlag
        case .dockerRunEnv: return .containerEnv
        case .dotenv: return .dotenv
        case .dockerfileEnv, .dockerfileArg: return .dockerfile
        case .systemdEnvironment: return .systemd
        case .supervisordEnvironment: return .supervisord
        case .crontabEnvironment: return .crontab
        case .makeVariable, .makeExport: return .makefile
        // Later steps' env, which the workflow reader adds (``YAMLExtractor/addGitHubWorkflow(_:)``).
        case .githubEnvFile: return nil
        }
    }

    /// A label word that is one variable (`--label "$ENVIRONMENT"`) that the job's env sets to
    /// a plain literal label; nil otherwise (and for a secret-named variable).
    static func labelValue(_ word: ShellWord, env: [EnvAssignment]) -> String? {
        guard word.parts.count == 1, case .variable(let name) = word.parts[0].kind,
            word.parts[0].text == "$" + name || word.parts[0].text == "${" + name + "}", EnvValueSyntax.mayReadAsLabel(name),
            let set = env.last(where: { $0.name == name }), set.origin == .literal, let value = set.value, !value.isEmpty,
            value.utf8.allSatisfy(EnvValueSyntax.isPlainLabelByte)
        else { return nil }
        return value
    }

    /// The assignment `NAME=value` of embedded shell text makes, as `context`.
    static func assignment(_ syntax: EnvAssignmentSyntax, value: ShellWord, context: EnvContext) -> EnvAssignment {
        EnvAssignment(
            name: syntax.name, nameSpan: syntax.nameSpan, value: value.value,
            valueSpan: value.parts.isEmpty ? .empty(at: value.span.start) : value.contentSpan,
            origin: EnvValueSyntax.origin(of: value), context: context)
    }

    /// Whether an agent's `--env` value word holds `$` references that no one expands before
    /// the agent, which passes them on untouched (facts §4.2): text the shell does not expand
    /// that `options` keeps as written.
    static func reachesAgentAsWritten(_ word: ShellWord, origin: ValueOrigin, options: ShellAgentOptions) -> Bool {
        (origin == .reference || origin == .mixed) && word.parts.allSatisfy(\.isLiteral) && options.keepsDollarText(word.value)
    }

    static func innermostSite(containing offset: Int, in shell: ShellFileFacts) -> ByteSpan? {
        shell.commands.map(\.command.span).filter { $0.start <= offset && offset < max($0.end, $0.start + 1) }
            .min { $0.length < $1.length }
    }
}

// MARK: - PREFECT__CLOUD__AGENT__ENV_VARS

extension YAMLFactsBuilder {
    /// Adds the members of a PREFECT__CLOUD__AGENT__ENV_VARS JSON value as env assignments
    /// (context `.agentEnvVarsJSON`) and remembers them for the agent that reads the variable.
    /// `spanOf` maps a byte range of `bytes` (the decoded value) to the file.
    mutating func addAgentEnvVarsJSON(of assignment: EnvAssignment, bytes: [UInt8], spanOf: (Range<Int>) -> ByteSpan) {
        guard let members = EnvValueSyntax.jsonObjectMembers(bytes) else { return }
        var expansion: [EnvAssignment] = []
        for member in members {
            guard var value = member.value else { continue }
            // Compose and Kubernetes pass `$$` on as `$` (`"$$DB_PW"` is how a compose file
            // writes `$DB_PW` for the agent to expand).
            value = value.replacingOccurrences(of: "$$", with: "$")
            let entry = EnvAssignment(
                name: member.key, nameSpan: spanOf(member.keyRange), value: value, valueSpan: spanOf(member.valueRange),
                // The agent expands `$VAR` in these values with its own env (facts §4.5).
                origin: EnvValueSyntax.origin(of: value), context: .agentEnvVarsJSON)
            addEnv(entry)
            expansion.append(entry)
        }
        setAgentEnvVarsExpansion(expansion, for: assignment)
    }
}
