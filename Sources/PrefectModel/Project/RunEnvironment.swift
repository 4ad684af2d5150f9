import Spans

/// Whether a secret a flow needs is there when one agent runs the flow, and why.
public enum SecretAvailability: Sendable, Equatable {
    /// In the flow run's local context (env or config), provided at `location`.
    case local(ProjectLocation)
    /// Not local; the backend is Cloud and the inventory (or a `set_secret` call) has it.
    case cloud
    /// Not local; the backend is Cloud and no inventory was given: cannot be decided.
    case cloudUnknown
    /// Not local and no fallback: `Secret.get` raises at run time.
    case missing
    /// The flow run cannot load Prefect's config, or `Secret.get` raises for another reason
    /// (a nested-key collision, a reserved key): the message says why, without values.
    case fails(String)
}

/// The environment one agent gives the runs of one flow, assembled as that agent type does
/// it (facts §4.3), and the secrets it puts into `prefect.context.secrets`.
public struct RunEnvironment: Sendable {
    public struct Entry: Sendable, Equatable {
        public var assignment: EnvAssignment
        public var location: ProjectLocation
    }

    /// In order; later entries override earlier ones.
    public private(set) var entries: [Entry]
    /// The entries with a value that put a secret into `prefect.context.secrets`, in order,
    /// with the secret path each sets (`["AWS_CREDENTIALS", "ACCESS_KEY"]`).
    public private(set) var contextSecretEntries: [(path: [String], entry: Entry)] = []
    /// The index of the last entry with a value that sets the whole secrets table
    /// (`PREFECT__CONTEXT__SECRETS`). An index: a project of many flows and agents keeps a
    /// run environment for each pair.
    private var wholeSecretsEntry: Int?
    /// Secrets from Prefect config files that the run reads (local agents only, facts §4.4).
    public private(set) var configSecrets: [ProvisionEntity]
    /// The project file a container run reads as its user config (``ProjectModel/containerUserConfigPath(flow:agent:runValue:)``).
    private var containerUserConfigPath: String?
    /// The variables the run gets a whole `$(NAME)` for as written, with why
    /// (``unexpandedKubernetesReferences(_:kubernetes:)``).
    public private(set) var unexpandedReferences: [String: String] = [:]

    /// Builds the run environment of `flow` under `agent`.
    public init(flow: FlowEntity, agent: AgentEntity, model: ProjectModel) {
        var entries: [Entry] = []
        func add(_ assignments: [EnvAssignment], _ path: String) {
            for a in assignments { entries.append(Entry(assignment: a, location: ProjectLocation(path: path, span: a.nameSpan))) }
        }
        /// Puts `assignments` below everything so far; with `keepingOnlyUnset`, only those whose
        /// names neither the entries so far nor the agent set.
        func addBelow(_ assignments: [(assignment: EnvAssignment, path: String)], keepingOnlyUnset: Bool) {
            let present = keepingOnlyUnset ? Set(entries.map(\.assignment.name)).union(Self.agentSetNames) : []
            entries = assignments.filter { !present.contains($0.assignment.name) }.map {
                Entry(assignment: $0.assignment, location: ProjectLocation(path: $0.path, span: $0.assignment.nameSpan))
            } + entries
        }
        func addBelow(_ assignments: [EnvAssignment], _ path: String, keepingOnlyUnset: Bool) {
            addBelow(assignments.map { ($0, path) }, keepingOnlyUnset: keepingOnlyUnset)
        }
        let isLocal = agent.agent.type == .local
        if isLocal {
            for (assignment, path) in model.processEnvironment(of: agent) { add([assignment], path) }
        }
        // PREFECT__CLOUD__AGENT__ENV_VARS goes through the agent's own config loading, which
        // expands a `$NAME` from the agent's environment (facts §2.5): where that certainly
        // lacks NAME, the runs get the reference as written.
        add(isLocal ? agent.agent.flowRunEnv : agent.agent.flowRunEnv.map { assignment in
            guard assignment.context == .agentEnvVarsJSON, assignment.origin == .reference, let variable = assignment.value.flatMap(Self.wholeReference),
                model.agentEnvironmentLacks(variable, agent: agent)
            else { return assignment }
            var written = assignment
            written.reachesPrefectAsWritten = true
            return written
        }, agent.flowRunEnvPath ?? agent.path)
        add(flow.flow.runConfigEnv, flow.runConfigPath)
        /// Puts the `assignments` whose names neither the entries so far nor the agent set after
        /// everything so far.
        func addUnset(_ assignments: [(assignment: EnvAssignment, path: String)]) {
            let present = Set(entries.map(\.assignment.name)).union(Self.agentSetNames)
            for (assignment, path) in assignments where !present.contains(assignment.name) { add([assignment], path) }
        }
        if let template = model.runTemplate(flow: flow, agent: agent) {
            // The template's flow container keeps the entries whose names the agent does not
            // set (facts §4.3): a Kubernetes agent lists them after its own (`generate_job_spec`);
            // an ECS task definition's come before the run's overrides.
            if agent.agent.type == .ecs {
                addBelow(model.runTemplateEnv(template, agent: agent), keepingOnlyUnset: true)
            } else {
                addUnset(model.runTemplateEnv(template, agent: agent))
            }
        }
        if agent.agent.type == .ecs {
            // ECS keeps the `flow` container override entries whose names are not set already,
            // after the agent's (`get_run_task_kwargs`).
            addUnset(flow.flow.runTaskOverrideEnv.map { ($0, flow.runConfigPath) })
        }
        if !isLocal, flow.flow.storageType == "Docker", !flow.flow.storageIsAmbiguous {
            // The run's container starts from the storage's image (`get_flow_image`), whose
            // `ENV` lines the container's env overrides. A local agent refuses Docker storage.
            addBelow(flow.flow.storageImageEnv, flow.storagePath, keepingOnlyUnset: false)
        }
        // The run's image, built from a project Dockerfile: its `ENV` lines start the
        // container's env, which the agent's and the run config's override. Without an image
        // from the run config or Docker storage, the template's flow container names it.
        // The template is looked up only in a project that builds images, for every run.
        func templateImage() -> (dockerfile: String, env: [EnvAssignment])? {
            guard !model.builtImages.isEmpty, flow.flow.storageType != "Docker", flow.flow.runConfigImage == nil,
                let image = model.runTemplate(flow: flow, agent: agent)?.template?.image
            else { return nil }
            return model.builtImages[ProjectModel.imageReference(image)]
        }
        if !isLocal, let image = flow.runImage ?? templateImage() {
            addBelow(image.env, image.dockerfile, keepingOnlyUnset: false)
        }
        self.entries = entries
        unexpandedReferences = Self.unexpandedKubernetesReferences(entries, kubernetes: agent.agent.type == .kubernetes)
        for (index, entry) in entries.enumerated() where entry.assignment.value != nil {
            let classification = EnvConfigMapping.classify(entry.assignment.name)
            if let path = ContextSecretEnvName.secretPath(classifiedAs: classification) {
                contextSecretEntries.append((path, entry))
            } else if classification == .allSecrets {
                wholeSecretsEntry = index
            }
        }
        guard isLocal else {
            // The run's own PREFECT__USER_CONFIG_PATH (an agent's --env, its run config's env)
            // wins over the one the storage's image sets.
            let runValue = entries.last { $0.assignment.name == "PREFECT__USER_CONFIG_PATH" && $0.assignment.context != .dockerfile }?.assignment
            containerUserConfigPath = model.containerUserConfigPath(flow: flow, agent: agent, runValue: runValue.map { $0.origin == .literal ? $0.value : nil })
            self.configSecrets = containerUserConfigPath.map { path in model.configFileProvisions.filter { $0.path == path } } ?? []
            return
        }
        // The config files the run reads: the ones its env names, else the project's; in a
        // container, the one mounted as its user config only.
        let inContainer = agent.readsOnlyMountedConfig
        let read = inContainer
            ? Set([agent.mountedUserConfigPath].compactMap { $0 })
            : Set(ProjectModel.configVariables.compactMap { role, variable in
                model.configPath(role: role, namedBy: entries.last { $0.assignment.name == variable }?.assignment.value, agent: agent)
            })
        self.configSecrets = model.configFileProvisions.filter { read.contains($0.path) || (!inContainer && model.configRole(of: $0.path) == nil) }
    }

    /// The value the run's env gives `variable`, as written, when an entry sets it.
    func writtenValue(of variable: String) -> String? {
        entries.last { $0.assignment.name == variable }?.assignment.value
    }

    /// The text Prefect's loading gets for an assignment's value, as far as the project shows
    /// it: a literal as written; a value with references (`{'user': 'etl', 'password': '$PW'}`)
    /// with each reference replaced by a stand-in, which keeps its shape (a dict stays a
    /// dict); a whole reference as written where it reaches the run so, else a stand-in.
    public static func valueAtRunTime(_ assignment: EnvAssignment) -> String? {
        guard let value = assignment.value else { return nil }
        switch assignment.origin {
        case .literal: return value
        case .mixed: return substitutingReferences(value)
        default: return reachesRunAsWritten(assignment) ? value : referencePlaceholder
        }
    }

    /// `text` with each `$NAME` and `${…}` replaced by ``referencePlaceholder``.
    static func substitutingReferences(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x24, i + 1 < bytes.count {
                if bytes[i + 1] == 0x7B, let close = bytes[(i + 2)...].firstIndex(of: 0x7D) {
                    out += Array(referencePlaceholder.utf8)
                    i = close + 1
                    continue
                }
                if ASCIIBytes.isWordByte(bytes[i + 1]), !(bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39) {
                    var k = i + 1
                    while k < bytes.count, ASCIIBytes.isWordByte(bytes[k]) { k += 1 }
                    out += Array(referencePlaceholder.utf8)
                    i = k
                    continue
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The names Kubernetes and ECS agents set in every flow run's container, besides agent
    /// and run config env: a run template's entries with these names are dropped (facts §4.3).
    static let agentSetNames: Set<String> = [
        "PREFECT__LOGGING__LEVEL", "PREFECT__CLOUD__SEND_FLOW_RUN_LOGS", "PREFECT__BACKEND", "PREFECT__CLOUD__AGENT__LABELS",
        "PREFECT__CLOUD__API", "PREFECT__CLOUD__API_KEY", "PREFECT__CLOUD__TENANT_ID", "PREFECT__CLOUD__USE_LOCAL_SECRETS",
        "PREFECT__CONTEXT__FLOW_RUN_ID", "PREFECT__CONTEXT__FLOW_ID", "PREFECT__CONTEXT__IMAGE",
        "PREFECT__ENGINE__FLOW_RUNNER__DEFAULT_CLASS", "PREFECT__LOGGING__LOG_TO_CLOUD", "PREFECT__CLOUD__AUTH_TOKEN",
    ]

    /// The variables of a non-local agent's own process that reach its flow runs all the same:
    /// they set the agent's settings (backend, API, API key, tenant, labels, logging level; the
    /// endpoints that Prefect's default `cloud.api` reads), which the agent puts into every run
    /// it starts (facts §4.3). Nothing else of its process environment reaches them.
    public static let agentSettingsPassedOn: Set<String> = [
        "PREFECT__BACKEND", "PREFECT__CLOUD__API", "PREFECT__CLOUD__API_KEY", "PREFECT__CLOUD__TENANT_ID", "PREFECT__CLOUD__AGENT__LABELS",
        "PREFECT__LOGGING__LEVEL", "PREFECT__CLOUD__ENDPOINT", "PREFECT__SERVER__ENDPOINT", "PREFECT__SERVER__HOST", "PREFECT__SERVER__PORT",
    ]

    /// Where the run's context gets secret `name`, if anywhere: the last env entry that sets
    /// it, else the last that sets the whole secrets table (`PREFECT__CONTEXT__SECRETS`), which
    /// may hold it, else a config file (env beats config files, facts §2.1).
    public func localProvision(of name: String) -> ProjectLocation? {
        contextSecretEntries.last { $0.path.first == name }?.entry.location
            ?? wholeSecretsEntry.map { entries[$0].location }
            ?? configSecrets.last { $0.provision.name == name }?.location
    }

    /// The value written for secret `name` by the last env entry that sets it whole, else by
    /// the config file the run reads, as written.
    func writtenSecretValue(_ name: String) -> String? {
        // The run's env overrides its config files.
        contextSecretEntries.last { $0.path == [name] }?.entry.assignment.value
            ?? configSecrets.last { $0.provision.name == name && $0.provision.nestedKeys.isEmpty }?.provision.stringValue
    }

    /// Whether the run's process has env var `name` (for `EnvVarSecret`).
    public func environmentVariable(_ name: String) -> ProjectLocation? {
        entries.last { $0.assignment.name == name && $0.assignment.value != nil }?.location
    }

    /// A stand-in for a value given by reference (`$VAR`, a Kubernetes Secret): present at
    /// run time, content unknown; chosen so Prefect's conversions leave it a plain string.
    public static let referencePlaceholder = "value-from-reference"

    /// Whether the assignment sets its variable to a whole `$NAME` text that reaches the flow
    /// run's process as written, for Prefect's own config loading to expand against the run's
    /// environment and for `EnvVarSecret` to return as it is: one in a run config's env in
    /// flow code (a Python string is its text), in a job template's env (Kubernetes expands
    /// only `$(NAME)`), or an agent's `--env` value no shell expanded (single-quoted, an
    /// exec-form argument; the agent passes it on untouched, facts §4.2). A shell, Compose or
    /// a Dockerfile's `ENV` expand it before.
    static func reachesRunAsWritten(_ assignment: EnvAssignment) -> Bool {
        switch assignment.context {
        case .runConfigEnv, .jobTemplateEnv: break
        case .agentEnvFlag where assignment.reachesPrefectAsWritten, .agentEnvVarsJSON where assignment.reachesPrefectAsWritten: break
        default: return false
        }
        guard assignment.origin == .literal || assignment.origin == .reference, let value = assignment.value else { return false }
        return wholeReference(value) != nil
    }

    /// The variables whose last entry, in a run config's or job template's env, is a whole
    /// Kubernetes reference the run gets as written, with why: Kubernetes expands `$(NAME)` in
    /// a container's env only from variables set before it there and leaves it otherwise,
    /// `$$(NAME)` is its escape for `$(NAME)`, and nothing else expands `$(…)` (neither other
    /// agents nor Prefect's config loading, facts §2.3).
    static func unexpandedKubernetesReferences(_ entries: [Entry], kubernetes: Bool) -> [String: String] {
        // Built for every (flow, agent) pair: most runs have no `$(` at all. Bytes: Foundation's
        // `contains` of a string took a third of the time of building the environment.
        guard entries.contains(where: { $0.assignment.value.map(holdsDollarParenthesis) ?? false }) else { return [:] }
        var unexpanded: [String: String] = [:]
        // A variable's place in the container's env is where it is first set: the agent builds
        // the env as a dict, and a later value of a name keeps the earlier place.
        var place: [String: Int] = [:]
        for (index, entry) in entries.enumerated() where place[entry.assignment.name] == nil { place[entry.assignment.name] = index }
        for entry in entries {
            let assignment = entry.assignment
            unexpanded[assignment.name] = nil
            guard assignment.context == .runConfigEnv || assignment.context == .jobTemplateEnv, let value = assignment.value,
                let (name, escaped) = kubernetesReference(value)
            else { continue }
            // The reference is part of the value written: the messages do not show it.
            if escaped {
                unexpanded[assignment.name] = "the run gets `$(…)` written as its value, unexpanded: `$$(…)` is Kubernetes' escape for it"
            } else if !kubernetes {
                unexpanded[assignment.name] = "the run gets the `$(…)` reference written as its value, unexpanded: only Kubernetes expands `$(…)` in env values"
            } else if (place[name] ?? .max) >= (place[assignment.name] ?? 0) {
                unexpanded[assignment.name] = "the run gets the `$(…)` reference written as its value, unexpanded: Kubernetes expands it only from a variable set before it in the flow container's env, and none is (Prefect does not expand `$(…)`)"
            }
        }
        return unexpanded
    }

    /// Whether `value` holds `$(`, the start of a Kubernetes reference.
    static func holdsDollarParenthesis(_ value: String) -> Bool {
        var previous: UInt8 = 0
        for byte in value.utf8 {
            if previous == 0x24, byte == 0x28 { return true }
            previous = byte
        }
        return false
    }

    /// The name of a value that is one whole Kubernetes `$(NAME)` reference, and whether it is
    /// the escaped `$$(NAME)`.
    static func kubernetesReference(_ value: String) -> (name: String, escaped: Bool)? {
        var text = Substring(value)
        let escaped = text.hasPrefix("$$(")
        if escaped { text = text.dropFirst() }
        guard text.hasPrefix("$("), text.hasSuffix(")") else { return nil }
        let name = text.dropFirst(2).dropLast()
        guard !name.isEmpty, name.utf8.allSatisfy({ ASCIIBytes.isWordByte($0) || $0 == 0x2E || $0 == 0x2D }) else { return nil }
        return (String(name), escaped)
    }

    /// The variable a value names when it is one whole `$NAME` or `${NAME}` reference (a name
    /// of `expandvars`' word characters, digits first included).
    public static func wholeReference(_ value: String) -> String? {
        var name = Substring(value)
        guard name.hasPrefix("$") else { return nil }
        name = name.dropFirst()
        if name.hasPrefix("{") {
            guard name.hasSuffix("}") else { return nil }
            name = name.dropFirst().dropLast()
        }
        guard !name.isEmpty,
            name.utf8.allSatisfy(ASCIIBytes.isWordByte)
        else { return nil }
        return String(name)
    }

    /// What Prefect's config loading reads in this flow run (facts §2.1, §4.3): the env in
    /// order, then what the agent forces; for a local agent also the project's config files.
    public func configInput(agent: AgentEntity, model: ProjectModel) -> PrefectConfigInput {
        configSources(agent: agent, model: model).input(model: model)
    }

    /// What the run's config loading reads: its environment and the project's config files it
    /// finds (a local agent's runs only). Runs with equal sources load equal configs.
    func configSources(agent: AgentEntity, model: ProjectModel) -> ConfigSources {
        var environment = PrefectEnvironment([("HOME", "/home/prefect")])
        for entry in entries {
            guard let value = entry.assignment.value else { continue }
            environment[entry.assignment.name] = Self.valueAtRunTime(entry.assignment) ?? value
        }
        // Every agent type forces these after the run's own env (facts §4.3).
        environment["PREFECT__BACKEND"] = agent.backend
        environment["PREFECT__CLOUD__USE_LOCAL_SECRETS"] = "false"
        guard agent.agent.type == .local else { return ConfigSources(environment: environment, userConfigPath: containerUserConfigPath) }
        if agent.readsOnlyMountedConfig { return ConfigSources(environment: environment, userConfigPath: agent.mountedUserConfigPath) }
        return ConfigSources(
            environment: environment,
            userConfigPath: model.configPath(role: .userConfig, namedBy: writtenValue(of: "PREFECT__USER_CONFIG_PATH"), agent: agent),
            backendConfigPath: model.configPath(role: .backendConfig, namedBy: writtenValue(of: "PREFECT__BACKEND_CONFIG_PATH"), agent: agent))
    }
}

/// The environment and project config files a flow run's Prefect config is loaded from.
struct ConfigSources: Hashable, Sendable {
    var environment: PrefectEnvironment
    var userConfigPath: String?
    var backendConfigPath: String?

    func input(model: ProjectModel) -> PrefectConfigInput {
        var input = PrefectConfigInput(environment: environment)
        input.userConfig = userConfigPath.flatMap { model.configTree(at: $0) }
        input.backendConfig = backendConfigPath.flatMap { model.configTree(at: $0) }
        return input
    }
}

/// Names of env vars that put a secret into `prefect.context.secrets` (facts §2.2), by
/// Prefect's own mapping (``EnvConfigMapping``): only the exact prefixes
/// `PREFECT__CONTEXT__SECRETS__` and `PREFECT__context__secrets__` reach the context.
public enum ContextSecretEnvName {
    /// The secret path (`["AWS_CREDENTIALS", "ACCESS_KEY"]`) an env name sets, or nil.
    public static func secretPath(_ name: String) -> [String]? {
        secretPath(classifiedAs: EnvConfigMapping.classify(name))
    }

    /// ``secretPath(_:)`` of a name already classified.
    public static func secretPath(classifiedAs classification: EnvConfigMapping.Classification) -> [String]? {
        guard case .secret(let secret, let nested) = classification else { return nil }
        return [secret] + nested
    }
}

extension ProjectModel {
    /// The path of the project's Prefect config file with `role`, if any.
    public func configPath(role: PrefectConfigRole) -> String? { configPaths[role] }

    /// The variables that move Prefect's config files elsewhere, by the role of the file.
    static let configVariables: [(PrefectConfigRole, String)] = [(.userConfig, "PREFECT__USER_CONFIG_PATH"), (.backendConfig, "PREFECT__BACKEND_CONFIG_PATH")]

    /// Whether the agent's own environment certainly lacks `variable`: the project shows all of
    /// it (a container of a Kubernetes manifest, a compose file or a task definition, or a
    /// systemd unit, which start from no shell's environment; no env file missing, no Secret
    /// or ConfigMap taken whole, no launcher or secrets manager that adds env) and nothing in
    /// it sets the variable.
    func agentEnvironmentLacks(_ variable: String, agent: AgentEntity) -> Bool {
        guard let kind = file(at: agent.path)?.kind, kind == .yaml || kind == .systemd,
            agent.missingEnvFiles.isEmpty, agent.unseenCommandRunners.isEmpty, agent.runBy == nil,
            agent.agent.environmentInjectedBy.isEmpty, agent.agent.kubernetesEnvFrom.isEmpty, agent.agent.flowRunEnvUnread == nil
        else { return false }
        return !processEnvironment(of: agent).contains { $0.assignment.name == variable }
    }

    /// The project file a run in a container (not a local agent's) reads as its user config:
    /// the one PREFECT__USER_CONFIG_PATH names there, from the run's env (`runValue`: nil when
    /// unset, `.some(nil)` when not literal), else from Docker storage's image; at
    /// `~/.prefect/config.toml` unless set. A Docker agent's `--volume` at that path puts its
    /// source there (a mount covers the image's file), else the storage's `files` copy one.
    func containerUserConfigPath(flow: FlowEntity, agent: AgentEntity, runValue: String??) -> String? {
        let dockerStorage = flow.flow.storageType == "Docker" && !flow.flow.storageIsAmbiguous
        let imagePath = dockerStorage ? flow.flow.storageImageConfigPath : nil
        let read: String?
        switch runValue {
        case .some(.some(let value)): read = value
        case .some(.none): return nil
        case .none:
            // Docker storage's image sets the path, by code the tool cannot read when it is nil.
            if dockerStorage, imagePath == nil { return nil }
            read = imagePath
        }
        guard let read else { return agent.flowRunUserConfigPath }
        if agent.agent.type == .docker, let source = agent.agent.flowRunMounts[read] ?? agent.agent.flowRunMounts[read + "/"] {
            return configPath(role: .userConfig, namedBy: source, nearFile: agent.path, orOwnFile: false)
        }
        if let imagePath, read == imagePath, let file = flow.flow.storageUserConfigFile {
            return configPath(role: .userConfig, namedBy: file, nearFile: flow.storagePath, orOwnFile: false)
        }
        return Self.namesHomeUserConfig(read) ? agent.flowRunUserConfigPath : nil
    }

    /// Whether a PREFECT__USER_CONFIG_PATH value is Prefect's default, `~/.prefect/config.toml`.
    static func namesHomeUserConfig(_ value: String) -> Bool {
        value.hasSuffix("/.prefect/config.toml") || value == "~/.prefect/config.toml"
    }

    /// The project's config file with `role` that a process reads whose env gives the role's
    /// variable `value`: the project file a written path names (the longest project path it
    /// ends with: `/opt/etl/deploy/config.toml` is `deploy/config.toml`, not the root's
    /// `config.toml`), or none when it names a file outside the project; after a leading
    /// `$NAME`, `${NAME}` or `~`, the project file the rest ends with; the project's own file
    /// (which stands for `~/.prefect/…`) when the variable is unset or its value is not known
    /// (`$(dirname "$0")/…`, a rest no project file ends).
    /// With `agent`, the project's own file is the one of its part of the project
    /// (``configPath(role:for:)``).
    public func configPath(role: PrefectConfigRole, namedBy value: String?, agent: AgentEntity? = nil) -> String? {
        configPath(role: role, namedBy: value, nearFile: agent?.path)
    }

    /// ``configPath(role:namedBy:agent:)`` for an agent defined in the file at `nearFile`.
    /// After a leading reference the rest may also be the end of a project file's path
    /// (`$PWD/deploy/config.toml` run in `teams/a/`): the one of the part of the project the
    /// agent is in. Without `orOwnFile`, nil where the value names no project file.
    func configPath(role: PrefectConfigRole, namedBy value: String?, nearFile: String?, orOwnFile: Bool = true) -> String? {
        func longestEnding(_ named: String) -> String? {
            files.filter { $0.facts.configTree != nil && (named == $0.path || named.hasSuffix("/" + $0.path)) }
                .max { $0.path.utf8.count < $1.path.utf8.count }?.path
        }
        if let named = value.flatMap(Self.writtenConfigPath) {
            // A relative path, from where the agent's file is (a script run from its folder).
            if !named.hasPrefix("/"), let nearFile, let parts = ProjectPaths.follow(named, from: nearFile.split(separator: "/").dropLast().map(String.init)),
                case let path = parts.joined(separator: "/"), configTree(at: path) != nil
            {
                return path
            }
            return longestEnding(named)
        }
        if let rest = value.flatMap(Self.pathAfterLeadingReference) {
            // The project files that share the most trailing components with the rest (all of
            // the file's, or all of the rest's), the agent's nearest first.
            let restParts = rest.split(separator: "/")
            func shared(_ path: String) -> Int {
                let parts = path.split(separator: "/")
                let common = zip(parts.reversed(), restParts.reversed()).prefix { $0 == $1 }.count
                return common == parts.count || common == restParts.count ? common : 0
            }
            let scored = files.filter { $0.facts.configTree != nil }.map { ($0.path, shared($0.path)) }.filter { $0.1 > 0 }
            if let best = scored.map(\.1).max() {
                let top = scored.filter { $0.1 == best }.map(\.0)
                if top.count == 1 { return top[0] }
                if let nearFile, let near = top.filter({ nearFile.hasPrefix(Self.configFolder(of: $0)) }).max(by: { $0.utf8.count < $1.utf8.count }) {
                    return near
                }
                return top.max { $0.utf8.count < $1.utf8.count }
            }
        }
        guard orOwnFile else { return nil }
        return nearFile.map { configPath(role: role, for: $0) } ?? configPath(role: role)
    }

    /// The project's config file with `role` that stands for `~/.prefect/…` where the agent
    /// defined at `agentPath` runs: with several in the project (a monorepo of teams), the
    /// one of the nearest folder above the agent's file (`team-a/.prefect/config.toml` for
    /// `team-a/agents/start.sh`), else the project's first.
    public func configPath(role: PrefectConfigRole, for agentPath: String) -> String? {
        let candidates = configFiles[role] ?? []
        guard candidates.count > 1 else { return configPath(role: role) }
        return candidates.filter { agentPath.hasPrefix($0.folder) }.max { $0.folder.utf8.count < $1.folder.utf8.count }?.path ?? configPath(role: role)
    }

    /// The folder a config file belongs to, with a trailing `/` (empty for the root): its own,
    /// or the one above a `.prefect` or `prefect` folder.
    static func configFolder(of path: String) -> String {
        var parts = path.split(separator: "/").dropLast()
        if let last = parts.last, last == ".prefect" || last == "prefect" { parts = parts.dropLast() }
        return parts.isEmpty ? "" : parts.joined(separator: "/") + "/"
    }

    /// The rest of a path that starts with `$NAME/`, `${NAME}/`, `$(pwd)/` or `~/`, from its `/`, when
    /// the rest holds no other reference.
    static func pathAfterLeadingReference(_ value: String) -> String? {
        var rest = Substring(value)
        // A Makefile recipe's `$$` is the shell's `$`.
        if rest.hasPrefix("$$") { rest = rest.dropFirst() }
        if rest.hasPrefix("~/") {
            rest = rest.dropFirst()
        } else if rest.hasPrefix("${"), let close = rest.firstIndex(of: "}") {
            rest = rest[rest.index(after: close)...]
        } else if rest.hasPrefix("$("), let close = rest.firstIndex(of: ")") {
            // `$(pwd)/…`: the working directory, as `$PWD`.
            rest = rest[rest.index(after: close)...]
        } else if rest.hasPrefix("$") {
            rest = rest.dropFirst().drop { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        } else {
            return nil
        }
        guard rest.hasPrefix("/"), rest.count > 1, !rest.contains("$") else { return nil }
        return String(rest)
    }

    /// A config path as written, without leading `./`, when it holds no reference.
    static func writtenConfigPath(_ value: String) -> String? {
        guard !value.isEmpty, value != RunEnvironment.referencePlaceholder, !value.contains("$"), !value.hasPrefix("~") else { return nil }
        var path = Substring(value)
        while path.hasPrefix("./") { path = path.dropFirst(2) }
        return String(path)
    }

    /// The config tree of the project file at `path`.
    func configTree(at path: String) -> ConfigValue? {
        fileIndex[path].flatMap { files[$0].facts.configTree }
    }

    /// The Prefect config role of the project file at `path`, if it has one.
    func configRole(of path: String) -> PrefectConfigRole? {
        fileIndex[path].flatMap { files[$0].facts.configRole }
    }

    /// Why `agent` fails every run of `flow` whatever its secrets, if it does. Labels alone
    /// decide which agent picks a run (facts §5); then a local agent raises `TypeError` on
    /// `Docker` storage, every agent type on a run config other than its own and
    /// `UniversalRun` (`Agent._get_run_config`), a local agent's `subprocess.Popen` on a
    /// number in the run config's env (Kubernetes and ECS refuse the job or task it is put
    /// in), and an ECS agent `ValueError` on a
    /// `task_definition_arn` with `Docker` storage, in that order. Not decided for a flow
    /// given storages or run configs of several types (which one a run has is unknown).
    public func runRefusal(flow: FlowEntity, agent: AgentEntity) -> String? {
        let type = agent.agent.type
        let dockerStorage = flow.flow.storageType == "Docker" && !flow.flow.storageIsAmbiguous
        if type == .local, dockerStorage {
            return "the local agent does not run flows with Docker storage (TypeError: Unsupported Storage type: Docker)"
        }
        guard let runConfig = flow.flow.runConfigType, !flow.flow.runConfigIsAmbiguous else { return nil }
        if runConfig != "UniversalRun", let accepted = type.runConfigType, runConfig != accepted {
            return "the \(type.rawValue) agent takes only \(accepted) and UniversalRun run configs, not \(runConfig) (TypeError)"
        }
        // The run config's env reaches `subprocess.Popen(env=…)` as written: a number fails it.
        if type == .local, let number = flow.flow.runConfigEnv.last(where: \.valueIsNotString) {
            return "the local agent starts the run with its run config's env, where \(number.name) is a number, not a string: subprocess.Popen raises TypeError; quote the value"
        }
        // Kubernetes and ECS agents put it in the job or task as written (`{"name": k, "value": v}`).
        if type == .kubernetes || type == .ecs, let number = flow.flow.runConfigEnv.last(where: \.valueIsNotString) {
            let refusal = type == .ecs ? "botocore refuses the task (ParamValidationError)" : "Kubernetes refuses the job (an EnvVar value must be a string)"
            return "the \(type.rawValue) agent submits the run with its run config's env as written, where \(number.name) is a number, not a string: \(refusal); quote the value"
        }
        // A template env value that is no string fails the job or task definition the agent
        // submits (Kubernetes rejects it; botocore's ParamValidationError for ECS).
        if type == .kubernetes || type == .ecs, let template = runTemplate(flow: flow, agent: agent),
            let bad = runTemplateEnv(template, agent: agent).first(where: \.assignment.valueIsNotString)?.assignment
        {
            let what = template.described(type == .ecs ? "task definition" : "job template", agent: type)
            let value = template.isInline ? "a number or boolean" : "a value Prefect's YAML loading reads as a number or boolean"
            return "\(what) sets \(bad.name) to \(value), not a string, which \(type == .ecs ? "ECS" : "Kubernetes") refuses; quote the value"
        }
        if type == .kubernetes, let template = runTemplate(flow: flow, agent: agent),
            let (ref, madeAt) = missingKey(in: template, flow: flow, agent: agent)
        {
            return "\(template.described("job template", agent: type)) sets \(ref.variable) from key '\(ref.key)' of the \(ref.kind) '\(ref.name)', which has no such key (\(madeAt)): Kubernetes does not start the flow run's pod (CreateContainerConfigError)"
        }
        if type == .ecs, runConfig == "ECSRun", flow.flow.taskDefinitionIsText {
            return "the ecs agent fails on its run config's task_definition, a string: ECSRun keeps it as written (only KubernetesRun loads YAML text), and the agent writes into it (TypeError: 'str' object does not support item assignment); give a dict (yaml.safe_load(…)) or task_definition_path"
        }
        if type == .ecs, runConfig == "ECSRun", flow.flow.hasTaskDefinitionARN, dockerStorage {
            return "the ecs agent does not take a task_definition_arn with Docker storage (ValueError: Cannot provide `task_definition_arn` when using `Docker` storage)"
        }
        return nil
    }

    /// The agents that pick up runs of `flow` and fail them all (``runRefusal(flow:agent:)``),
    /// when every agent that picks them up does; nil when some agent runs them, or none picks
    /// them up.
    public func refusalsOfEveryAgent(running flow: FlowEntity) -> [(agent: AgentEntity, reason: String)]? {
        let agents = agents(running: flow)
        guard !agents.isEmpty else { return nil }
        var refusals: [(agent: AgentEntity, reason: String)] = []
        for agent in agents {
            guard let reason = runRefusal(flow: flow, agent: agent) else { return nil }
            refusals.append((agent, reason))
        }
        return refusals
    }

    /// Whether secret `name`, read the way `kind` reads it, is there when `agent` runs `flow`:
    /// Prefect's own config loading and `Secret.get` lookup (``SecretResolution``) on the
    /// environment that agent type builds for the run.
    /// The access tokens that GitHub, GitLab and Bitbucket storage, and the connection string
    /// that Azure storage, read when given no secret name: from the context's secrets, else from
    /// the run's environment variable of that name (storage/github.py `_get_github_client`,
    /// storage/azure.py `connection_string`). Only those storages read these names as
    /// component defaults, whether the flow's module or a helper it imports builds the storage.
    public static let storageTokensFallingBackToEnvironment: Set<String> = [
        "GITHUB_ACCESS_TOKEN", "GITLAB_ACCESS_TOKEN", "BITBUCKET_ACCESS_TOKEN", "AZURE_STORAGE_CONNECTION_STRING",
    ]
    /// Those of them whose storage goes on without one: GitHub and GitLab storage fetch the flow
    /// anonymously (`Github(None)`, `Gitlab(host, private_token=None)`), which a public
    /// repository allows and a private one refuses.
    public static let storageTokensWithAnonymousFallback: Set<String> = ["GITHUB_ACCESS_TOKEN", "GITLAB_ACCESS_TOKEN"]

    /// Whether a read of `name` looks in the run's context alone, never in Cloud: a component's
    /// default name, or `prefect.context.secrets[…]` unless the flow's `storage.secrets` lists
    /// the name, which `prefect execute` then loads into the context first (facts §7).
    static func readsContextOnly(_ kind: SecretReferenceKind, _ name: String, _ flow: FlowEntity) -> Bool {
        kind == .componentDefault || (kind == .contextRead && !flow.references.contains { $0.kind == .storageSecrets && $0.name == name })
    }

    /// Whether a run of `flow` on `agent` finds a secret whose name is computed at run time
    /// (``SecretReference/namePattern``): `.local` when its context holds a name of that form
    /// (its environment, for `EnvVarSecret`), `.cloud` when the Cloud inventory does, `.missing`
    /// when neither can. Nil when the tool cannot tell (a run that fails, a context that is
    /// no table, a read of another kind).
    public func availability(ofNameLike pattern: SecretNamePattern, kind: SecretReferenceKind, flow: FlowEntity, agent: AgentEntity) -> SecretAvailability? {
        guard runRefusal(flow: flow, agent: agent) == nil else { return nil }
        let run = run(flow: flow, agent: agent)
        if kind == .envVarSecret {
            return run.environment.entries.last { $0.assignment.value != nil && pattern.matches($0.assignment.name) }.map { .local($0.location) } ?? .missing
        }
        guard [.secretGet, .prefectSecretTask, .componentKeyword, .contextRead].contains(kind), case .success(let config) = run.resolution.loaded,
            case .dict(let secrets, _) = config.contextSecrets ?? .dict(PyDict(), boxed: false)
        else { return nil }
        for case .str(let name) in secrets.keys where pattern.matches(name) {
            return .local(run.environment.localProvision(of: name) ?? flow.location)
        }
        // `prefect.context.secrets[…]` reads the context alone; only `storage.secrets`, which
        // lists names, would load one from Cloud first.
        guard kind != .contextRead, config.backend == .str("cloud"), config.useLocalSecrets == .bool(false) else { return .missing }
        guard let inventory = run.resolution.cloud else { return .cloudUnknown }
        return inventory.names.contains(where: pattern.matches) ? .cloud : .missing
    }

    public func availability(of name: String, kind: SecretReferenceKind, flow: FlowEntity, agent: AgentEntity) -> SecretAvailability {
        if let refusal = runRefusal(flow: flow, agent: agent) { return .fails("the run fails: \(refusal)") }
        if kind == .taskGivenAsName {
            // The component keeps the task object as the name: a storage serializes it as its
            // text, a task looks it up as is; no secret of either name can exist.
            return .fails("the run fails: the component is given a secret task (\(name)) where it takes a secret's name, and Prefect looks up a secret named after the task (\"<Task: \(name)>\") or its value; pass the name \"\(name)\" instead")
        }
        if kind == .nameGivenAsValue {
            return .fails("the run fails: \(PrefectComponents.nameGivenAsValueFailure); pass PrefectSecret(\"\(name)\") instead")
        }
        if kind == .valueGivenAsName {
            return .fails("the run fails: the component is given the value of secret \(name), read where the flow is built, where it takes a secret's name, and Prefect looks up a secret named after that value (a storage also keeps it in the flow's metadata); pass the name \"\(name)\" instead")
        }
        let run = run(flow: flow, agent: agent)
        let environment = run.environment
        if kind == .envVarSecret {
            guard let entry = environment.entries.last(where: { $0.assignment.name == name && $0.assignment.value != nil }) else { return .missing }
            // `os.getenv` returns the variable as the run has it: a `$NAME` written in a run
            // config's or job template's env is that text, which nothing expands.
            if RunEnvironment.reachesRunAsWritten(entry.assignment) {
                return .fails("the run gets the `$` reference written as its value, unexpanded: EnvVarSecret returns the variable as set, and nothing expands it on the way")
            }
            if let why = environment.unexpandedReferences[name] { return .fails(why) }
            return .local(entry.location)
        }
        // A context secret whose env entry is a `$(NAME)` the run gets as written.
        if let variable = environment.contextSecretEntries.last(where: { $0.path == [name] })?.entry.assignment.name,
            let why = environment.unexpandedReferences[variable]
        {
            return .fails(why)
        }
        // Webhook storage fills `${X}` from the environment first (storage/webhook.py).
        if kind == .templateVariable, let variable = environment.environmentVariable(name) {
            return .local(variable)
        }
        let outcome = run.resolution.get(name)
        let location = environment.localProvision(of: name) ?? flow.location
        if kind == .componentDefault, Self.storageTokensFallingBackToEnvironment.contains(name), let variable = environment.environmentVariable(name) {
            // The context first: only a name it lacks is read from the environment.
            guard case .value(_, source: .context) = outcome else { return .local(variable) }
        }
        /// Why a `$` reaches the run at all, when an agent's `--env` passed it on as written.
        func passedOnAsWritten() -> String {
            guard let written = environment.contextSecretEntries.last(where: { $0.path == [name] })?.entry.assignment, written.reachesPrefectAsWritten
            else { return "" }
            if written.context == .agentEnvVarsJSON {
                return "the agent expands PREFECT__CLOUD__AGENT__ENV_VARS only from its own environment, which lacks the variable, and "
            }
            guard written.context == .agentEnvFlag else { return "" }
            return "written single-quoted, as an exec-form argument, in a supervisord command or in a Python string, no shell expands it before the agent, which passes --env and env_vars values on as they are (Kubernetes expands only `$(NAME)`), and "
        }
        switch outcome {
        case .value(.str(let text), source: .context)
        where agent.agent.type != .local && RunEnvironment.wholeReference(text).map({ environment.environmentVariable($0) == nil }) ?? false:
            // `$NAME` written as the value, and nothing in the run sets NAME: Prefect leaves the
            // reference as it is, and the flow gets that text (the name is not shown: it is
            // part of the value). A local agent's runs inherit its whole environment, which
            // the project does not show.
            return .fails("the run gets the `$` reference written as its value, unexpanded: \(passedOnAsWritten())nothing in its environment sets that variable")
        case .value(.str(""), source: .context)
        where agent.agent.type != .local
            && environment.writtenSecretValue(name).map { $0.hasPrefix("${") && RunEnvironment.wholeReference($0).map { environment.environmentVariable($0) == nil } ?? false } ?? false:
            // `${NAME}` that nothing in the run sets: Prefect takes it for a reference to a
            // config key, which is missing, and the value becomes empty (facts §2.4).
            return .fails("the run gets an empty value: \(passedOnAsWritten())nothing in its environment sets the variable of the `${…}` written as its value, so Prefect reads it as a missing config key")
        case .value(_, source: .context):
            return .local(location)
        case .value(_, source: .cloud), .cloudValueUnknown:
            // Default names of components are read from context only (facts §7), never from Cloud.
            return Self.readsContextOnly(kind, name, flow) ? .missing : .cloud
        case .cloudLookupUnknown:
            return Self.readsContextOnly(kind, name, flow) ? .missing : .cloudUnknown
        case .localNotFound, .cloudNotFound:
            return .missing
        case .error(let type, let message):
            return .fails("Secret.get raises \(type): \(message)")
        case .importCrash(let crash):
            return .fails("`import prefect` fails with \(crash.exceptionType): \(crash.message)")
        }
    }
}

import Foundation
