import ShellWords
import Spans

/// One file's facts, as the project model receives them.
///
/// Copy on write: the model and every project rule pass entries around, and a copy of one
/// reference costs one retain where a copy of the facts' every field costs dozens.
///
/// The readers are inlinable: the rules are another module, where a call of an opaque `_read`
/// copied the whole facts to read one of their fields (two fifths of PS303's time).
public struct FileFactsEntry: Sendable {
    /// The fields, shared by copies until one of them is changed.
    @usableFromInline
    final class Storage: @unchecked Sendable {
        // Mutated only through a uniquely referenced storage (``unique()``), so never while shared.
        @usableFromInline var path: String
        @usableFromInline var kind: FileKind
        @usableFromInline var facts: FileFacts
        @usableFromInline var lineStarts: [Int]

        init(path: String, kind: FileKind, facts: FileFacts, lineStarts: [Int]) {
            self.path = path
            self.kind = kind
            self.facts = facts
            self.lineStarts = lineStarts
        }
    }

    @usableFromInline var storage: Storage

    public init(path: String, kind: FileKind, facts: FileFacts, lineStarts: [Int] = [0]) {
        storage = Storage(path: path, kind: kind, facts: facts, lineStarts: lineStarts)
    }

    public var path: String {
        @inlinable _read { yield storage.path }
        set { unique().path = newValue }
    }
    public var kind: FileKind {
        @inlinable _read { yield storage.kind }
        set { unique().kind = newValue }
    }
    public var facts: FileFacts {
        @inlinable _read { yield storage.facts }
        _modify { yield &unique().facts }
    }
    /// Byte offsets of line starts, so messages can name lines in other files.
    public var lineStarts: [Int] {
        @inlinable _read { yield storage.lineStarts }
        set { unique().lineStarts = newValue }
    }

    /// The storage, copied first when another entry shares it.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) {
            storage = Storage(path: storage.path, kind: storage.kind, facts: storage.facts, lineStarts: storage.lineStarts)
        }
        return storage
    }
}

/// A place in the project: a file and a byte span in it.
public struct ProjectLocation: Sendable, Hashable {
    public var path: String
    public var span: ByteSpan
    public init(path: String, span: ByteSpan) {
        self.path = path
        self.span = span
    }
}

/// A flow of the project with where it is defined and the secrets it needs.
public struct FlowEntity: SharedFields, Sendable {
    /// What a flow entity holds (``SharedFields``).
    public struct Fields: Sendable {
        public var id: Int
        public var path: String
        public var flow: Flow
        /// The flow's labels as a run gets them (facts §5): run-config labels plus Local storage's hostname label.
        public var labels: LabelSet
        public var references: [SecretReference]
        /// The project file its run config's `job_template_path` or `task_definition_path` names,
        /// when it is in the project.
        public var templatePath: String?
        /// The image its run config names (or, with Docker storage, whose image comes first, the
        /// storage's `base_image`), when a compose service of the project builds and tags it
        /// (`build:` with `image:`): the Dockerfile and the built stage's `ENV`, which the run's
        /// container starts with.
        public var runImage: (dockerfile: String, env: [EnvAssignment])?
        /// `prefect register --path` folders above the flow's file that do not register it:
        /// Prefect reads a folder's own `.py` files, not its subfolders'.
        public var unregisteredBelow: [String] = []
        /// `prefect register` registers it without the run config or storage that only its
        /// file's `if __name__ == "__main__":` block sets (``Flow/runConfigOnlyInMainBlock``),
        /// and nothing else registers it: its runs have neither.
        public var registeredWithoutMainBlock = false
        /// The code's `flow.register(…)` comes before its `flow.run_config = …` or
        /// `flow.storage = …` (``Flow/runConfigSetAfterRegister``), and nothing else registers
        /// the flow: its runs have neither.
        public var registeredBeforeConfiguration = false
        /// Its module runs it when loaded (``Flow/runsWhenLoaded``) and nothing registers it:
        /// neither its module nor a `prefect register` the project runs (and none whose
        /// targets the tool cannot read). Its runs happen in that process; no agent runs it.
        public var runsOnlyWhereLoaded = false
        /// Other project modules that set its run config, storage or labels (`from flows.etl import
        /// flow`, then `flow.run_config = …`): what its own module says of them may not hold.
        public var configuredIn: [String] = []
        /// The module that binds the flow's run config, or its storage, when the flow imports it
        /// from there (``ProjectModel/resolveImportedComponents(_:flows:looseReferences:projectPaths:templatePath:)``).
        public var runConfigIn: String?
        public var storageIn: String?

        /// The module whose code gives the flow's run config (its own, or ``runConfigIn``), and its storage.
        public var runConfigPath: String { runConfigIn ?? path }
        public var storagePath: String { storageIn ?? path }
        public var location: ProjectLocation { ProjectLocation(path: path, span: flow.span) }
        /// `'etl'`; for a name that is not a literal, its form (`'etl-{…}'`), the expression that
        /// gives it (`(named by FLOW_NAME)`), or `(unnamed)`.
        public var displayName: String {
            if let name = flow.name { return "'\(name)'" }
            switch flow.computedName {
            case .form(let form): return "'\(form)'"
            case .expression(let expression): return "(named by \(expression))"
            case nil: return "(unnamed)"
            }
        }
    }

    /// The fields, shared with the copies of the entity until one is written.
    public var box: SharedFieldsBox<Fields>

    public init(id: Int, path: String, flow: Flow, labels: LabelSet, references: [SecretReference], templatePath: String?) {
        box = SharedFieldsBox(Fields(id: id, path: path, flow: flow, labels: labels, references: references, templatePath: templatePath))
    }
}

/// An agent of the project with where it is defined, its labels and backend.
public struct AgentEntity: SharedFields, Sendable {
    /// What an agent entity holds (``SharedFields``).
    public struct Fields: Sendable {
        public var id: Int
        public var path: String
        /// The agent's index in its file's ``FileFacts/agents`` (what `agentIndex` fields refer to).
        public var indexInFile: Int
        public var agent: Agent
        public var labels: LabelSet
        /// The backend its flow runs get (agent setting, else the project's, else Prefect's default).
        public var backend: String
        /// Where that backend value comes from, for messages.
        public var backendSource: String
        /// The backend its machine's config gives (config.toml, backend.toml, `prefect backend`)
        /// when its own PREFECT__BACKEND (or flag) replaces it with another, and that file's path.
        public var overriddenMachineBackend: (value: String, path: String)?
        /// The project files among the agent's ``Agent/envFiles`` and ``Agent/sourcedFiles``, once each.
        public var envFilePaths: [String] = []
        /// Those of ``envFilePaths`` that reach the agent only through a script that sources them:
        /// whether one does so under `set -a`, and where the last does.
        public var sourcedEnvFilePaths: [String: (allExport: Bool, position: Int)] = [:]
        /// Those of ``envFilePaths`` `docker run --env-file` reads, as written (the quotes, a
        /// comment and `${…}` stay in the value).
        public var dockerEnvFilePaths: Set<String> = []
        /// Those of ``envFilePaths`` a Makefile includes: make reads them as make syntax (quotes
        /// and trailing blanks stay in values).
        public var makeIncludedEnvFilePaths: Set<String> = []
        /// The env files it names that are not in the project (on the host, ignored by git).
        public var missingEnvFiles: [String] = []
        /// The project file its `--job-template` or `--task-definition` names, when it is in the project.
        public var templatePath: String?
        /// Where ``Agent/flowRunEnv`` is written: the agent's file, or the env file whose
        /// PREFECT__CLOUD__AGENT__ENV_VARS it takes.
        public var flowRunEnvPath: String?
        /// The docker-compose service the agent runs in (one entity per such service), whose env
        /// it gets: one that builds its Dockerfile and runs the image's command, or one that runs
        /// the project script the agent is in; or the systemd unit or supervisord program that
        /// runs that script.
        public var runBy: LaunchSite?
        /// The `ENV` of the image a compose service builds and runs the agent in with its own
        /// command (``Agent/builtImage``), in the Dockerfile at `path`.
        public var builtImageEnv: [(assignment: EnvAssignment, path: String)] = []
        /// The project scripts given the agent's command to run, outermost first: the image's
        /// `ENTRYPOINT` of an agent that is its `CMD`, a wrapper written in front of it
        /// (`with-secrets.sh prefect agent …`). What they export before `exec "$@"` reaches it.
        public var commandRunners: [CommandRunner] = []
        /// The scripts given the agent's command to run that are not in the project, as written:
        /// they may set anything in its environment.
        public var unseenCommandRunners: [String] = []
        /// The project file mounted as the agent's `~/.prefect/config.toml` (``Agent/userConfigMount``).
        public var mountedUserConfigPath: String?
        /// The project file a Docker agent mounts as its flow runs' `~/.prefect/config.toml`
        /// (``Agent/flowRunUserConfigMount``): their Prefect reads it.
        public var flowRunUserConfigPath: String?
        /// Where its `--label "$NAME"` words got their value (``Agent/labelVariables``): the
        /// assignment of the variable, or nil for the reference's default.
        public var labelVariableSources: [(variable: String, setAt: ProjectLocation?)] = []
        /// Every project file its process env is read from: its own and its launcher's env files,
        /// and those a wrapper or an `ENTRYPOINT` script sources, each once.
        public var readEnvFilePaths: [String] {
            var seen: Set<String> = []
            let sourced = (runBy?.wrappers.sourcedFilePaths ?? []) + commandRunners.flatMap(\.passed.sourcedFilePaths)
            return (envFilePaths + sourced).filter { seen.insert($0).inserted }
        }
        /// Whether the agent runs in a container of an image the project does not build, whose
        /// mounts the tool reads: Prefect there reads a project config file only where one is
        /// mounted as its user config (the host's `~/.prefect` mounted stands for the machine's).
        public var readsOnlyMountedConfig: Bool {
            guard agent.runsInContainer, agent.builtImage == nil, let mount = agent.userConfigMount else { return false }
            return mount != .hostHome
        }
        public var location: ProjectLocation { ProjectLocation(path: path, span: agent.span) }
        public var displayName: String {
            let name = agent.name.map { "'\($0)'" } ?? "\(agent.type.rawValue) agent"
            return runBy.map { "\(name) of \($0.launcher.kind.rawValue) '\($0.launcher.name)'" } ?? name
        }
    }

    /// The fields, shared with the copies of the entity until one is written.
    public var box: SharedFieldsBox<Fields>

    public init(id: Int, path: String, indexInFile: Int, agent: Agent, labels: LabelSet, backend: String, backendSource: String) {
        box = SharedFieldsBox(Fields(id: id, path: path, indexInFile: indexInFile, agent: agent, labels: labels, backend: backend, backendSource: backendSource))
    }

}

/// A docker-compose service, systemd unit or supervisord program that runs an agent, in the file at `path`.
public struct LaunchSite: Sendable {
    public var path: String
    public var launcher: Launcher
    /// The agent is in a project script the launcher runs (the launcher's env comes before
    /// what the script sets), not the command of the image a service builds (whose `ENV` comes first).
    public var runsScript: Bool
    /// Where the project builds the image the launcher runs by its name (`docker build -t`);
    /// nil when the launcher builds it itself (a compose service's `build:`) or runs a script.
    public var imageBuiltAt: ProjectLocation?
    /// For a script the built image runs: the image's `ENV`, in the Dockerfile at `path`.
    public var imageEnv: [(assignment: EnvAssignment, path: String)] = []
    /// The project scripts between the launcher and the agent's script, in the order they run
    /// one another (`run.sh` that runs `start-agent.sh`); empty when the launcher runs it itself.
    public var through: [String] = []
    /// What those scripts pass on to the next: after the launcher's env, before the agent
    /// script's own.
    public var wrappers = PassedEnvironment()
    public var location: ProjectLocation { ProjectLocation(path: path, span: launcher.span) }
}

/// A project script that runs the agent's command it is given (``AgentEntity/commandRunners``).
public struct CommandRunner: Sendable {
    public var script: String
    public var passed: PassedEnvironment
    /// The image's `ENTRYPOINT`, which the image's `CMD` is given; else a wrapper written in
    /// front of the command.
    public var isEntrypoint: Bool
}

/// What a script passes on to the program it runs: its exports before the command, the
/// command's prefixes and what the files it sources export, with the file that sets each, in
/// order; the project files it sources; and the env files it sources that are not in the
/// project (which may set anything).
public struct PassedEnvironment: Sendable {
    public var env: [(assignment: EnvAssignment, path: String)] = []
    public var sourcedFilePaths: [String] = []
    public var missingEnvFiles: [String] = []

    public init() {}

    static func += (lhs: inout PassedEnvironment, rhs: PassedEnvironment) {
        lhs.env += rhs.env
        lhs.sourcedFilePaths += rhs.sourcedFilePaths
        lhs.missingEnvFiles += rhs.missingEnvFiles
    }
}

/// A secret provided somewhere, with where.
public struct ProvisionEntity: Sendable {
    public var path: String
    public var provision: SecretProvision
    public var location: ProjectLocation { ProjectLocation(path: path, span: provision.span) }
}

/// The whole project joined: flows, agents, secret sources, backends. Built once per scan;
/// project rules (PS2xx, PS3xx) query it and never re-parse.
public struct ProjectModel: Sendable {
    public var files: [FileFactsEntry]
    public private(set) var flows: [FlowEntity] = []
    /// References outside any flow (reusable components, module-level helpers).
    public var looseReferences: [(path: String, reference: SecretReference)] = []
    public private(set) var agents: [AgentEntity] = []
    public private(set) var provisions: [ProvisionEntity] = []
    /// The provisions in Prefect config files (a local agent's runs read some of them).
    private(set) var configFileProvisions: [ProvisionEntity] = []
    /// The project's backend setting (Prefect config files, `prefect backend`, `--backend`), if any.
    public var projectBackend: (value: String, source: String)?
    /// Names known to exist in Prefect Cloud: the inventory plus `set_secret` calls; nil = unknown.
    public var cloudNames: Set<String>?

    /// Prefect's default backend when nothing sets one (config.toml in the package).
    public static let defaultBackend = "cloud"

    /// Index into ``files`` by path.
    let fileIndex: [String: Int]
    /// Whether a `.envrc` is among the files with facts (``nearestEnvrc(of:)``, asked of most agents).
    let hasEnvrc: Bool
    /// The project's Prefect config file of each role (the first with a tree): what runs read
    /// unless their env names another (``configPath(role:namedBy:)``), asked for every run.
    let configPaths: [PrefectConfigRole: String]
    /// Every config file of the project, by role, in the project's order, with the folder it
    /// belongs to (``configFolder(of:)``), which every agent's lookup compares.
    let configFiles: [PrefectConfigRole: [(path: String, folder: String)]]
    /// The images compose services of the project build and tag (``imageReference(_:)``
    /// names): the Dockerfile and the built stage's `ENV`.
    private(set) var builtImages: [String: (dockerfile: String, env: [EnvAssignment])] = [:]
    /// The `ENV` lines of the project's Dockerfiles that may build a flow run's image: the
    /// stages meant to run of those no agent runs from (``unidentifiedImageProvision(of:kind:flow:agent:)``).
    private(set) var flowImageEnv: [(assignment: EnvAssignment, path: String)] = []
    /// The ConfigMaps and Secrets the project defines, by `Kind/name`, with their files.
    /// Each with the project files its env files are.
    let kubernetesEnvSources: [String: [(path: String, source: KubernetesEnvSource, envFilePaths: [String])]]
    /// For each flow (by id), the indices in ``agents`` of the agents that can run it.
    private var runnableAgents: [[Int]] = []
    /// For each flow (by id), the agents that labels the tool cannot read may let run it.
    private var maybeRunnableAgents: [[Int]] = []
    /// Each run a flow with secret references can get, by flow and agent id: its environment
    /// and loaded Prefect config, built once however many secrets and rules ask about it.
    private var runs: [Int: Run] = [:]
    /// The Prefect config loads of those runs and of the runs PS206 asks about (a flow that
    /// reads a default secret and that no agent surely runs, on each agent that may run it),
    /// by what loading reads. ``makeRun(flow:agent:)`` builds the latter's environments on
    /// demand: a project of many flows and agents would keep one for each pair.
    private var loads: [ConfigSources: SecretResolution] = [:]

    struct Run: Sendable {
        var environment: RunEnvironment
        var resolution: SecretResolution
    }

    /// A run's environment and the config it loads, before the loads are shared.
    private struct PreparedRun: Sendable {
        /// Nil where only the run's load is kept.
        var environment: RunEnvironment?
        var load: ConfigLoad
    }

    /// What a run's Prefect config load reads.
    private struct ConfigLoad: Sendable {
        var sources: ConfigSources
        /// `sources` with only the variables Prefect's config loading reads: equal keys, equal loads.
        var key: ConfigSources
    }

    /// `scannedPaths`: every file of the project, facts or not (skipped ones too), where env
    /// files and templates are looked up (the paths of `files` when not given). `jobs`: the
    /// threads the flow runs are made on.
    public init(
        files: [FileFactsEntry], scannedPaths: [String]? = nil, backendOverride: String? = nil, backendOverrideSource: String = "--backend",
        cloudInventory: Set<String>? = nil, jobs: Int = 1
    ) {
        // A project template's files (cookiecutter's, copier's: `{{ cookiecutter.repo_name }}/flow.py`)
        // are what the projects made from it will hold, not this project's flows and agents.
        // (Filtered only when one is there: the entries are not copied for nothing.)
        let files = files.contains { Self.isInProjectTemplate($0.path) } ? files.filter { !Self.isInProjectTemplate($0.path) } : files
        self.files = files
        // By index: iterating the entries themselves copies each file's facts.
        self.fileIndex = Dictionary(files.indices.map { (files[$0].path, $0) }, uniquingKeysWith: { first, _ in first })
        self.hasEnvrc = files.contains { PathText.lastComponent(of: $0.path) == ".envrc" }
        let configs = files.indices.compactMap { k in files[k].facts.configTree == nil ? nil : files[k].facts.configRole.map { ($0, files[k].path) } }
        self.configPaths = Dictionary(configs, uniquingKeysWith: { first, _ in first })
        self.configFiles = Dictionary(grouping: configs, by: \.0).mapValues { $0.map { ($0.1, Self.configFolder(of: $0.1)) } }
        // Built on the first lookup: most projects name no env file or template.
        var pathIndex: ProjectPaths?
        func lookUp(_ name: String, from referrer: String, rootFirst: Bool = false) -> String? {
            if pathIndex == nil { pathIndex = ProjectPaths(scannedPaths ?? files.map(\.path)) }
            return pathIndex?.file(named: name, from: referrer, rootFirst: rootFirst)
        }
        self.kubernetesEnvSources = Self.kubernetesEnvSourceIndex(files) { name, path, relativeToFile in
            if relativeToFile {
                guard let parts = ProjectPaths.follow(name, from: path.split(separator: "/").dropLast().map(String.init)) else { return nil }
                return parts.joined(separator: "/")
            }
            return lookUp(name, from: path)
        }
        // Built on the first flow made by an imported class: most projects use Prefect's own.
        var flowSubclasses: FlowSubclasses?
        for file in files {
            let facts = file.facts
            // The ids of the file's flows; none for one made by an imported class `Flow` that
            // the project does not define as a subclass of Prefect's.
            var ids: [Int?] = []
            for flow in facts.flows {
                if let imported = flow.madeByImportedClass {
                    if flowSubclasses == nil { flowSubclasses = FlowSubclasses(files) }
                    guard flowSubclasses?.defines(imported, importedBy: file.path) == true else {
                        ids.append(nil)
                        continue
                    }
                }
                ids.append(flows.count)
                flows.append(
                    FlowEntity(
                        id: flows.count, path: file.path, flow: flow, labels: LabelSet.forFlow(flow), references: [],
                        templatePath: flow.templatePath.flatMap { lookUp($0, from: file.path, rootFirst: true) }))
            }
            let kept = ids.compactMap { $0 }
            for reference in facts.secretReferences {
                if let index = reference.flowIndex, index < ids.count {
                    if let id = ids[index] { flows[id].references.append(reference) } else { looseReferences.append((file.path, reference)) }
                } else if kept.count == 1, !reference.isOfNoFlow {
                    // A module with one flow: its references belong to that flow.
                    flows[kept[0]].references.append(reference)
                } else {
                    looseReferences.append((file.path, reference))
                }
            }
            for provision in facts.provisions {
                provisions.append(ProvisionEntity(path: file.path, provision: provision))
            }
        }
        // A generator's env file provides its secrets itself: once at each place.
        let fromEnvFrom = envFromProvisions()
        if !fromEnvFrom.isEmpty {
            let present = Set(provisions.map { "\($0.path):\($0.provision.span.start)" })
            provisions += fromEnvFrom.filter { !present.contains("\($0.path):\($0.provision.span.start)") }
        }
        Self.linkImportedSecretUses(files, flows: &flows, looseReferences: &looseReferences, projectPaths: scannedPaths ?? files.map(\.path))
        Self.resolveImportedComponents(files, flows: &flows, looseReferences: &looseReferences, projectPaths: scannedPaths ?? files.map(\.path)) {
            lookUp($0, from: $1, rootFirst: true)
        }
        // `prefect register -p flows/ -l prod` adds its labels to the flows it registers.
        let registrations = Registrations(files, flows: flows, projectPaths: scannedPaths ?? files.map(\.path))
        for (id, folders) in registrations.foldersAbove where registrations.flows[id] == nil { flows[id].unregisteredBelow = folders }
        for (id, registered) in registrations.flows {
            var flow = flows[id].flow
            // `prefect register` does not run the `__main__` block: the flow it registers has
            // none of that block's configuration. When the code registers the flow too, with
            // other labels, the block's configuration, or before it is configured (or through
            // a client), the runs have either registration's labels.
            let configuredInMainBlock = flow.runConfigOnlyInMainBlock || flow.storageOnlyInMainBlock
            let codeRegistersOtherwise = configuredInMainBlock || flow.runConfigSetAfterRegister || flow.storageSetAfterRegister
            if configuredInMainBlock, !flow.isRegisteredInCode {
                flow.dropConfiguration(runConfig: flow.runConfigOnlyInMainBlock, storage: flow.storageOnlyInMainBlock)
                flows[id].registeredWithoutMainBlock = true
            }
            flow.registerLabels = (flow.isRegisteredInCode && (flow.registerLabels != registered.labels || codeRegistersOtherwise)) || flow.isRegisteredByClient
                ? Registrations.unknown : registered.labels
            // `prefect register` adds the storage's labels, which a client's registration does not.
            flow.isRegisteredByClient = false
            if registered.byModuleOnly, flow.storageType == nil, flow.storageIsUnknown == nil { flow.storageType = "Module" }
            flows[id].flow = flow
            flows[id].labels = LabelSet.forFlow(flow)
        }
        // `flow.register()` before `flow.run_config = …`: what the code registers has neither,
        // when no `prefect register` of the project registers the flow too.
        for id in flows.indices where registrations.flows[id] == nil && !registrations.mayRegisterAny && flows[id].flow.isRegisteredInCode {
            var flow = flows[id].flow
            guard flow.runConfigSetAfterRegister || flow.storageSetAfterRegister else { continue }
            flow.dropConfiguration(runConfig: flow.runConfigSetAfterRegister, storage: flow.storageSetAfterRegister)
            flows[id].flow = flow
            flows[id].labels = LabelSet.forFlow(flow)
            flows[id].registeredBeforeConfiguration = true
        }
        Self.markFlowsConfiguredElsewhere(files, flows: &flows, projectPaths: scannedPaths ?? files.map(\.path))
        // A module that sets another's flow's storage or run config imports the flow, and
        // registering that module registers it (`prefect register` takes every flow of the
        // module's namespace): only a flow configured nowhere else runs only where loaded.
        for id in flows.indices where flows[id].flow.runsWhenLoaded && !flows[id].flow.isRegisteredInCode {
            flows[id].runsOnlyWhereLoaded = !registrations.mayRegisterAny && registrations.flows[id] == nil && flows[id].configuredIn.isEmpty
        }
        projectBackend = backendOverride.map { ($0, backendOverrideSource) } ?? Self.projectBackend(files)
        // What an agent takes from the user config it reads (`config.cloud.agent`): its labels
        // and its flow runs' env, by config file.
        var settingsByConfig: [String: (labels: [String]?, envVars: [EnvAssignment])] = [:]
        func agentSettings(of path: String?) -> (labels: [String]?, envVars: [EnvAssignment]) {
            guard let path, let index = fileIndex[path] else { return (nil, []) }
            if let known = settingsByConfig[path] { return known }
            let found = (Self.configAgentLabels(files[index].facts.configTree), files[index].facts.envAssignments.filter { $0.context == .agentEnvVarsJSON })
            settingsByConfig[path] = found
            return found
        }
        /// The backend a project config file sets for its machine, with the file's path.
        func backendSetting(of path: String?) -> (value: String, source: String)? {
            guard let path, let index = fileIndex[path],
                let setting = files[index].facts.backendSettings.first(where: { $0.agentIndex == nil && $0.takesEffect })
            else { return nil }
            return (setting.value, path)
        }
        func resolve(_ path: String, _ referrer: String) -> String? {
            if pathIndex == nil { pathIndex = ProjectPaths(scannedPaths ?? files.map(\.path)) }
            return pathIndex?.file(at: path, from: referrer)
        }
        let launches = Launches(files, projectPaths: scannedPaths ?? files.map(\.path), resolve: resolve, lookUp: { lookUp($0, from: $1) })
        var builtImages: [String: (dockerfile: String, env: [EnvAssignment])] = [:]
        for file in files {
            for build in file.facts.imageBuilds {
                guard let name = build.imageName, let dockerfile = Launches.dockerfile(of: build, in: file.path, resolve: resolve)?.dockerfile,
                    let built = fileIndex[dockerfile]
                else { continue }
                let stage = files[built].facts.imageStageEnvs.last { $0.stage.isBuilt(target: build.target) }
                builtImages[Self.imageReference(name)] = (dockerfile, stage?.env ?? [])
            }
        }
        self.builtImages = builtImages
        for id in flows.indices {
            let flow = flows[id].flow
            if flow.storageType == "Docker", let dockerfile = flow.storageDockerfile {
                // Docker storage builds its image from that Dockerfile's text (its last stage)
                // in place of `FROM base_image`, then adds its own `ENV` lines.
                flows[id].runImage = lookUp(dockerfile, from: flows[id].path).flatMap { path in
                    fileIndex[path].map { (path, files[$0].facts.imageStageEnvs.last { $0.stage.isBuilt(target: nil) }?.env ?? []) }
                }
            } else if !builtImages.isEmpty {
                // Docker storage's image comes first, and is built `FROM` its base image.
                let image = flow.storageType == "Docker" ? flow.storageBaseImage : flow.runConfigImage
                flows[id].runImage = image.flatMap { builtImages[Self.imageReference($0)] }
            }
        }
        // A project that runs `envsubst` may fill its manifests' `$NAME`s in before they are applied.
        let manifestsMayBeFilledIn = files.contains { $0.facts.fillsEnvIntoText }
        for file in files {
            for (index, written) in file.facts.agents.enumerated() {
                let agent = manifestsMayBeFilledIn && (file.kind == .yaml || file.kind == .json) ? written.fillingInDollarText() : written
                // An image or a script a compose service runs runs there, once per such service.
                let sites = launches.sites(for: agent, in: file)
                // When compose builds the Dockerfile, an agent only a base stage runs (one other
                // stages are built from) runs nowhere; without compose, `docker build --target`
                // may build any stage.
                if sites.isEmpty, let stage = agent.imageStage, launches.isBuilt(file.path),
                    !stage.isLeaf || launches.isReplacedEverywhere(stage, in: file.path)
                {
                    continue
                }
                for site in sites.isEmpty ? [nil] : sites.map(Optional.some) {
                    var entity = AgentEntity(
                        id: agents.count, path: file.path, indexInFile: index, agent: agent, labels: LabelSet.forAgent(agent),
                        backend: Self.defaultBackend, backendSource: "")
                    entity.runBy = site
                    if let image = agent.builtImage, let dockerfile = resolve(image.dockerfile, file.path), let built = fileIndex[dockerfile] {
                        let stage = files[built].facts.imageStageEnvs.last { $0.stage.isBuilt(target: image.target) }
                        entity.builtImageEnv = (stage?.env ?? []).map { ($0, dockerfile) }
                    }
                    entity.templatePath = agent.templatePath.flatMap { lookUp($0, from: file.path) }
                    let runners = launches.commandRunners(of: agent, in: file)
                    entity.commandRunners = [launches.entrypointEnv(for: agent, in: file) { resolve($0, file.path) }].compactMap { $0 } + runners.compactMap { $0 }
                    // A wrapper script not in the project may set anything; env files a wrapper or
                    // an entrypoint script sources that are not in the project may too.
                    entity.unseenCommandRunners = zip(agent.commandRunners, runners).filter { $0.1 == nil }.map(\.0)
                    entity.missingEnvFiles += (site?.wrappers.missingEnvFiles ?? []) + entity.commandRunners.flatMap(\.passed.missingEnvFiles)
                    var readWhole: Set<String> = []
                    // Compose reads `env_file` next to the compose file (an absolute path is
                    // looked up as other files name them).
                    let envFiles = (site.map { site in
                        site.launcher.envFiles.map { ($0, site.path, site.launcher.kind.envFilesAreRelativeToItsFile, site.launcher.kind.readsEnvFilesAsWritten) }
                    } ?? []) + agent.envFiles.map { ($0, file.path, agent.envFilesAreRelativeToFile, agent.envFilesReadByDocker.contains($0)) }
                    // Where the project is deployed, as the agent's absolute paths that name a
                    // project file show (`/opt/etl/deploy/config.toml` is deploy/config.toml:
                    // the project is at /opt/etl). It places a file at the project's root
                    // (`/opt/etl/.env`), whose name alone the lookup cannot place.
                    let absolutePaths = agent.envFiles + agent.processEnv.filter { assignment in
                        Self.configVariables.contains { $0.1 == assignment.name }
                    }.compactMap(\.value)
                    let deployRoots = Set(absolutePaths.compactMap { path -> String? in
                        guard path.hasPrefix("/"), let found = lookUp(path, from: file.path), path.hasSuffix("/" + found) else { return nil }
                        return String(path.dropLast(found.count + 1))
                    })
                    func placedBelowDeployRoot(_ name: String) -> String? {
                        let placed = deployRoots.compactMap { root in name.hasPrefix(root + "/") ? resolve(String(name.dropFirst(root.count + 1)), "") : nil }
                        return placed.count == 1 ? placed[0] : nil
                    }
                    for (name, referrer, exact, byDocker) in envFiles {
                        if let found = exact && !name.hasPrefix("/") ? resolve(name, referrer) : lookUp(name, from: referrer) ?? placedBelowDeployRoot(name) {
                            if readWhole.insert(found).inserted { entity.envFilePaths.append(found) }
                            if byDocker {
                                entity.dockerEnvFilePaths.insert(found)
                                if entity.agent.startRefusal == nil, let refusal = fileIndex[found].flatMap({ files[$0].facts.dockerEnvFileRefusal }) {
                                    entity.agent.startRefusal = "`docker run` exits: it refuses its env file \(found):\(refusal.line) (\(refusal.reason))"
                                }
                            }
                        } else {
                            entity.missingEnvFiles.append(name)
                        }
                    }
                    for sourced in agent.sourcedFiles {
                        if let found = lookUp(sourced.name, from: file.path) {
                            guard !readWhole.contains(found) else { continue }
                            if entity.sourcedEnvFilePaths[found] == nil { entity.envFilePaths.append(found) }
                            let earlier = entity.sourcedEnvFilePaths[found]?.allExport ?? false
                            entity.sourcedEnvFilePaths[found] = (sourced.allExport || earlier, sourced.position)
                            if sourced.readByMake { entity.makeIncludedEnvFilePaths.insert(found) }
                        } else if SourcedEnvFile.mayHoldEnvironment(sourced.name) {
                            // Named as a possible provider.
                            entity.missingEnvFiles.append(sourced.name)
                        }
                    }
                    // direnv loads the nearest `.envrc` above a folder into the shells started
                    // there: an agent that a project script, a Makefile, a Python module or the
                    // docs start by hand gets what it exports, before what the command sets; one
                    // started with an emptied environment (`env -i`, `sudo`, `ssh`) does not.
                    if site == nil, agent.environmentClearedBy == nil, [.shell, .makefile, .python, .markdown].contains(file.kind),
                        Self.runsOnProjectMachine(agent, kind: file.kind, site: nil),
                        let envrc = nearestEnvrc(of: file.path), envrc != file.path, !readWhole.contains(envrc), entity.sourcedEnvFilePaths[envrc] == nil
                    {
                        entity.envFilePaths.append(envrc)
                        entity.sourcedEnvFilePaths[envrc] = (false, .min)
                    }
                    // A container whose env takes a key its Secret or ConfigMap lacks never starts.
                    if entity.agent.startRefusal == nil,
                        let (ref, madeAt) = missingKey(agent.kubernetesKeyRefs + (site?.launcher.kubernetesKeyRefs ?? []), context: .containerEnv)
                    {
                        entity.agent.startRefusal = "Kubernetes does not start its container: its env sets \(ref.variable) from key '\(ref.key)' of the \(ref.kind) '\(ref.name)', which has no such key (\(madeAt); CreateContainerConfigError)"
                    }
                    let readsOtherFiles = !entity.envFilePaths.isEmpty || !(site?.launcher.env.isEmpty ?? true) || !(site?.wrappers.env.isEmpty ?? true)
                        || !entity.commandRunners.isEmpty || !agent.kubernetesEnvFrom.isEmpty || !(site?.launcher.kubernetesEnvFrom.isEmpty ?? true)
                        || (!kubernetesEnvSources.isEmpty && !agent.kubernetesKeyRefs.isEmpty)
                    // Built once: the env-file settings below do not change it.
                    let environment =
                        readsOtherFiles || entity.agent.processEnv.contains(where: { $0.name == "PREFECT__USER_CONFIG_PATH" || $0.name == "PREFECT__BACKEND_CONFIG_PATH" })
                        ? processEnvironment(of: entity) : []
                    let backendFile = readsOtherFiles ? applyEnvFileSettings(to: &entity, environment: environment) : nil
                    // backend.toml and `prefect backend` act on the machine whose home they write:
                    // an agent in a container or on a CI runner has its own (facts §3), unless
                    // --backend says what every agent uses.
                    var machineBackend = backendOverride != nil || Self.runsOnProjectMachine(agent, kind: file.kind, site: site) ? projectBackend : nil
                    // An agent whose own file logs in to Prefect Cloud runs where that login is
                    // meant for, not where another file's `prefect backend` ran (a developer's
                    // `dev/setup-local.sh` beside `prod/start-agent.sh`).
                    if backendOverride == nil, let machine = machineBackend, machine.source != file.path,
                        let source = fileIndex[machine.source], files[source].facts.configRole == nil,
                        Self.logsInToCloud(file.facts, agentIndex: index, processEnv: agent.processEnv)
                    {
                        machineBackend = nil
                    }
                    // A container whose ~/.prefect/config.toml a compose service mounts from the
                    // project reads that file (facts §2.1).
                    if case .projectFile(let mounted)? = agent.userConfigMount, let path = resolve(mounted, file.path), fileIndex[path] != nil {
                        entity.mountedUserConfigPath = path
                    }
                    if let mounted = agent.flowRunUserConfigMount {
                        entity.flowRunUserConfigPath = configPath(role: .userConfig, namedBy: mounted, nearFile: file.path, orOwnFile: false)
                    }
                    // The user config the agent reads: the one PREFECT__USER_CONFIG_PATH names
                    // (facts §2.1), else the one mounted for it, else its part of the project's;
                    // its backend, labels and env_vars are the agent's.
                    var userConfig = entity.mountedUserConfigPath ?? configPath(role: .userConfig, for: file.path)
                    var namesConfig = false
                    if let named = environment.last(where: { $0.assignment.name == "PREFECT__USER_CONFIG_PATH" })?.assignment.value,
                        let path = configPath(role: .userConfig, namedBy: named, nearFile: file.path)
                    {
                        userConfig = path
                        namesConfig = true
                    }
                    let severalConfigs = (configFiles[.userConfig]?.count ?? 0) > 1 || (configFiles[.backendConfig]?.count ?? 0) > 1
                    if backendOverride == nil, Self.runsOnProjectMachine(agent, kind: file.kind, site: site), userConfig != configPaths[.userConfig] || severalConfigs {
                        // That file's backend, unless a backend.toml of the agent's part of the
                        // project (or `prefect backend` there) sets one.
                        let backendFile = configPath(role: .backendConfig, for: file.path)
                        machineBackend = Self.projectBackend(files.filter { other in
                            switch other.facts.configRole {
                            case .userConfig?: other.path == userConfig
                            case .backendConfig?: other.path == backendFile
                            default: true
                            }
                        })
                    } else if backendOverride == nil, namesConfig || entity.mountedUserConfigPath != nil, let setting = backendSetting(of: userConfig) {
                        // Elsewhere (a container), only the file it names or mounts; on the
                        // project's machine its backend.toml, loaded after, beats that file.
                        let machineFile = Self.runsOnProjectMachine(agent, kind: file.kind, site: site)
                            && !environment.contains(where: { $0.assignment.name == "PREFECT__BACKEND_CONFIG_PATH" })
                            ? configPath(role: .backendConfig, for: file.path) : nil
                        machineBackend = backendSetting(of: machineFile) ?? setting
                    }
                    // A backend.toml PREFECT__BACKEND_CONFIG_PATH names is the one the agent loads
                    // after its config.toml (facts §2.1): its backend wins.
                    if backendOverride == nil, let named = environment.last(where: { $0.assignment.name == "PREFECT__BACKEND_CONFIG_PATH" })?.assignment.value,
                        let setting = backendSetting(of: configPath(role: .backendConfig, namedBy: named, nearFile: file.path))
                    {
                        machineBackend = setting
                    }
                    // A container's own backend.toml, mounted from the project, beats its config.toml;
                    // the host's `~/.prefect` mounted is the machine's, which the project's stands for.
                    if backendOverride == nil, agent.runsInContainer {
                        if let setting = backendSetting(of: agent.backendConfigMount.flatMap { resolve($0, file.path) }) {
                            machineBackend = setting
                        } else if agent.userConfigMount == .hostHome, machineBackend == nil {
                            machineBackend = projectBackend
                        }
                    }
                    (entity.backend, entity.backendSource) = Self.agentBackend(entity.agent, path: backendFile ?? file.path, project: machineBackend)
                    // (`install -b` writes the backend of an agent that runs elsewhere.)
                    if backendOverride == nil, !agent.isInstallManifest, entity.agent.backend != nil, let machine = machineBackend, machine.value != entity.backend {
                        entity.overriddenMachineBackend = (machine.value, machine.source)
                    }
                    if !entity.agent.labelVariables.isEmpty {
                        let launched = entity.agent.labelVariables.contains { $0.source == .environment }
                        // A container's env is all the project says; a script's shell may have anything else.
                        expandLabelVariables(
                            of: &entity, environment: launched ? (environment.isEmpty ? processEnvironment(of: entity) : environment) : [],
                            isWhole: file.kind == .dockerfile || site != nil)
                    }
                    // An agent given no labels by flags or its environment takes the config's
                    // (`config.cloud.agent.labels`), as it takes its backend from there.
                    let fromConfig = agentSettings(of: userConfig)
                    if let labels = fromConfig.labels, !entity.agent.labelsFromFlags, entity.agent.labels.isEmpty, entity.agent.unknownLabels.isEmpty {
                        entity.agent.labels = labels
                        entity.labels = LabelSet.forAgent(entity.agent)
                    }
                    // And its flow runs' env (`config.cloud.agent.env_vars`) when neither `--env`
                    // nor PREFECT__CLOUD__AGENT__ENV_VARS gives one, where it reads the file.
                    if let userConfig, !fromConfig.envVars.isEmpty, !entity.agent.flowRunEnvFromFlags, entity.agent.flowRunEnv.isEmpty,
                        Self.runsOnProjectMachine(agent, kind: file.kind, site: site) || entity.mountedUserConfigPath == userConfig || namesConfig
                    {
                        entity.agent.flowRunEnv = fromConfig.envVars
                        entity.flowRunEnvPath = userConfig
                    }
                    // A Dockerfile's agent without `--label` flags that no project file runs:
                    // whoever runs the image (a Terraform or CDK stack, a person) may give it
                    // labels, in its env (PREFECT__CLOUD__AGENT__LABELS) or as `--label`
                    // arguments after an exec-form ENTRYPOINT.
                    if site == nil, file.kind == .dockerfile, !entity.agent.labelsFromFlags {
                        let mayBeNone = entity.labels.unknown.isEmpty || entity.labels.unknownMayBeNone
                        entity.labels.unknown.append(Self.labelsWhereTheImageRuns)
                        entity.labels.unknownMayBeNone = mayBeNone
                    }
                    agents.append(entity)
                }
            }
        }
        configFileProvisions = provisions.filter { $0.provision.source == .localConfig }
        // An agent's image is not where its flows run (other than a local agent's, which runs none).
        let agentImages = Set(agents.flatMap { $0.builtImageEnv.map(\.path) + ($0.runBy?.imageEnv.map(\.path) ?? []) })
        flowImageEnv = files.indices.flatMap { k -> [(assignment: EnvAssignment, path: String)] in
            guard files[k].kind == .dockerfile, files[k].facts.agents.isEmpty, !agentImages.contains(files[k].path) else { return [] }
            return files[k].facts.imageStageEnvs.filter(\.stage.isLeaf).flatMap { $0.env.map { ($0, files[k].path) } }
        }
        if var names = cloudInventory {
            for p in provisions where p.provision.source == .cloudSetSecret { names.insert(p.provision.name) }
            cloudNames = names
        }
        runnableAgents = Self.runnableAgents(flows: flows, agents: agents)
        maybeRunnableAgents = Self.maybeRunnableAgents(flows: flows, agents: agents)
        // Runs of many flows on one agent often load the same config (their environments
        // differ, if at all, in variables Prefect's loading does not read): each is loaded once.
        // The runs are independent of each other and are made on up to `jobs` threads.
        // A flow that no agent surely runs but that reads a default secret is asked about on
        // each agent that may run it: only its loads are kept.
        let pairs = flows.filter { !$0.references.isEmpty }.flatMap { flow in
            let agents = runnable(flow)
            let asked = agents.isEmpty && flow.references.contains { $0.kind == .componentDefault } ? maybeRunnable(flow) : []
            return agents.map { (flow: flow.id, agent: $0, kept: true) } + asked.map { (flow: flow.id, agent: $0, kept: false) }
        }
        let model = self
        var loadIndex: [ConfigSources: Int] = [:]
        var sources: [ConfigSources] = []
        var kept: [(pair: Int, environment: RunEnvironment, load: Int)] = []
        // Most flows add nothing to the environment their agent gives them: the runs of one
        // agent with equal entries share one environment (all else in it follows from the
        // entries and the agent), or a project of many flows and agents would hold one each.
        var lastEnvironment: [Int: RunEnvironment] = [:]
        // In slices: the asked pairs of a project of many flows and agents, each holding its
        // load until it is deduplicated, would otherwise all be held at once.
        let slice = 4096
        for start in stride(from: 0, to: pairs.count, by: slice) {
            let prepared = ParallelMap.map(min(slice, pairs.count - start), jobs: jobs) { k -> PreparedRun in
                let pair = pairs[start + k]
                let (flow, agent) = (model.flows[pair.flow], model.agents[pair.agent])
                let environment = RunEnvironment(flow: flow, agent: agent, model: model)
                return PreparedRun(environment: pair.kept ? environment : nil, load: model.load(of: environment, agent: agent))
            }
            for (k, run) in prepared.enumerated() {
                guard let run else { continue }
                let load = loadIndex[run.load.key] ?? sources.count
                if load == sources.count {
                    loadIndex[run.load.key] = load
                    sources.append(run.load.sources)
                }
                if var environment = run.environment {
                    let agent = pairs[start + k].agent
                    if let last = lastEnvironment[agent], last.entries == environment.entries {
                        environment = last
                    } else {
                        lastEnvironment[agent] = environment
                    }
                    kept.append((start + k, environment, load))
                }
            }
        }
        let resolutions = ParallelMap.map(sources.count, jobs: jobs) { [sources] in model.resolution(of: sources[$0]) }
        var runs: [Int: Run] = [:]
        for (pair, environment, load) in kept {
            guard let resolution = resolutions[load] else { continue }
            runs[runKey(flow: flows[pairs[pair].flow], agent: agents[pairs[pair].agent])] = Run(environment: environment, resolution: resolution)
        }
        self.runs = runs
        for (key, load) in loadIndex { loads[key] = resolutions[load] }
    }

    /// Whether `path` lies in a folder whose name is a template tag (`{{ cookiecutter.name }}`).
    static func isInProjectTemplate(_ path: String) -> Bool {
        // Most paths hold no `{{`: asked without splitting them.
        path.contains("{{") && path.split(separator: "/").dropLast().contains { $0.contains("{{") && $0.contains("}}") }
    }

    /// The project's `.envrc` that direnv loads for a shell in the folder of `path`: the
    /// nearest one above it.
    func nearestEnvrc(of path: String) -> String? {
        guard hasEnvrc else { return nil }
        var folders = path.split(separator: "/").dropLast()
        while true {
            let candidate = (folders.map(String.init) + [".envrc"]).joined(separator: "/")
            if fileIndex[candidate] != nil { return candidate }
            guard folders.popLast() != nil else { return nil }
        }
    }

    /// The run template a Kubernetes or ECS agent takes for `flow`, a job template or task
    /// definition (facts §4.3): the run config's, else the agent's. Nil for other agent types,
    /// for a run config the agent refuses, a template the tool does not read (inline but not
    /// settled, registered), or Prefect's packaged one.
    public func runTemplate(flow: FlowEntity, agent: AgentEntity) -> ChosenRunTemplate? {
        guard agent.agent.type == .kubernetes || agent.agent.type == .ecs, let runConfig = agent.agent.type.runConfigType else { return nil }
        switch flow.flow.runConfigType {
        case runConfig:
            if flow.flow.templateIsUnknown { return nil }
            if let inline = flow.flow.inlineTemplate {
                return ChosenRunTemplate(written: "inline", path: flow.runConfigPath, template: inline, isRunConfigs: true, isInline: true)
            }
            if let written = flow.flow.templatePath {
                return ChosenRunTemplate(
                    written: written, path: flow.templatePath, template: flow.templatePath.flatMap(fileTemplate), isRunConfigs: true, isInline: false)
            }
        case nil, "UniversalRun":
            break
        default:
            return nil
        }
        return agent.agent.templatePath.map {
            ChosenRunTemplate(written: $0, path: agent.templatePath, template: agent.templatePath.flatMap(fileTemplate), isRunConfigs: false, isInline: false)
        }
    }

    /// The run template the project file at `path` is (``FileFacts/runTemplate``).
    private func fileTemplate(at path: String) -> RunTemplate? {
        fileIndex[path].flatMap { files[$0].facts.runTemplate }
    }

    /// What may set env in `flow`'s runs under `agent` that the project does not show, for
    /// messages ("unless … sets it"): a local agent's env files that are not in the project;
    /// the job template or task definition a Kubernetes or ECS run reads when it is not in the
    /// project, is not read (inline, registered, computed) or cannot be used. Of a URL only the
    /// scheme is shown: it can hold credentials anywhere.
    /// With `secret`, also a project Dockerfile that sets it, which the run's image may be
    /// built from (``unidentifiedImageProvision(of:kind:flow:agent:)``).
    public func unseenEnvSources(flow: FlowEntity, agent: AgentEntity, secret: (name: String, kind: SecretReferenceKind)? = nil) -> [String] {
        var sources = secret.flatMap { unidentifiedImageProvision(of: $0.name, kind: $0.kind, flow: flow, agent: agent) }.map { [$0] } ?? []
        if agent.agent.type == .local {
            // A config file the run's env names that is not in the project.
            let environment = run(flow: flow, agent: agent).environment
            for (role, variable) in Self.configVariables {
                guard let value = environment.writtenValue(of: variable), let named = Self.writtenConfigPath(value),
                    configPath(role: role, namedBy: value) == nil
                else { continue }
                sources.append("the config file \(named) that \(variable) names (not in the project)")
            }
        }
        if agent.agent.type == .local, !agent.missingEnvFiles.isEmpty {
            sources.append("\(agent.missingEnvFiles.joined(separator: ", ")) (not in the project)")
        } else if !agent.missingEnvFiles.isEmpty, !agent.agent.flowRunEnvFromFlags {
            // Other agents pass on only PREFECT__CLOUD__AGENT__ENV_VARS, which such a file may set.
            sources.append("PREFECT__CLOUD__AGENT__ENV_VARS in \(agent.missingEnvFiles.joined(separator: ", ")) (not in the project)")
        }
        // A secrets manager that starts the agent (`doppler run -- prefect agent …`), or a
        // script not in the project given its command, may set anything in its environment: a
        // local agent's runs inherit it; others pass on only PREFECT__CLOUD__AGENT__ENV_VARS.
        // So may a Secret or ConfigMap that the Kubernetes container the agent (or its script)
        // runs in takes its env from, when the project does not define it once.
        let launcherSources = agent.runBy.map { site in
            let unseen = site.launcher.unseenEnvSources.map { (description: $0, reason: "not read") }
                + unseenEnvFrom(site.launcher.kubernetesEnvFrom, context: .containerEnv)
            return unseen.map { "\($0.description) (\(site.launcher.kind.rawValue) '\(site.launcher.name)', \(site.path); \($0.reason))" }
        }
        let runners = agent.agent.environmentInjectedBy.map { "\($0) (\(ShellCommands.injectedEnvironmentKind($0)); not read)" }
            + agent.unseenCommandRunners.map { "\($0) (not in the project)" } + (launcherSources ?? [])
            + unseenEnvFrom(agent.agent.kubernetesEnvFrom, context: .containerEnv).map { "\($0.description) (its container, \(agent.path); \($0.reason))" }
        if !runners.isEmpty, agent.agent.type == .local {
            sources += runners
        } else if !runners.isEmpty, !agent.agent.flowRunEnvFromFlags {
            sources += runners.map { "PREFECT__CLOUD__AGENT__ENV_VARS from \($0)" }
        }
        if let unread = agent.agent.flowRunEnvUnread { sources.append("\(unread) (not read)") }
        if flow.flow.runConfigEnvIsUnknown { sources.append("its run config's env (not read whole)") }
        if agent.agent.type == .ecs, flow.flow.runTaskKwargsIsUnknown {
            sources.append("its run config's run_task_kwargs (not read)")
        }
        // PREFECT__CLOUD__AGENT__ENV_VARS taken from a Kubernetes Secret or another source the
        // tool cannot read: what it gives flow runs is not known (`--env` flags replace it).
        if !agent.agent.flowRunEnvFromFlags, let envVars = agent.agent.processEnv.last(where: { $0.name == "PREFECT__CLOUD__AGENT__ENV_VARS" }) {
            switch envVars.origin {
            case .kubernetesSecret(let name, let key): sources.append("PREFECT__CLOUD__AGENT__ENV_VARS from the Kubernetes Secret '\(name)' (key \(key); not read)")
            case .indirect, .unknown: sources.append("PREFECT__CLOUD__AGENT__ENV_VARS (from a source the tool cannot read)")
            default: break
            }
        }
        if let kwargs = agent.agent.runTaskKwargs {
            sources.append("the agent's --run-task-kwargs \(Self.urlScheme(kwargs).map { "(\($0)://…)" } ?? Self.pathOrInline(kwargs)) (not read)")
        }
        guard let noun = agent.agent.type.runTemplate?.noun else { return sources }
        if flow.flow.templateIsUnknown, flow.flow.runConfigType == agent.agent.type.runConfigType {
            sources.append("the \(noun) its run config gives (not read)")
        } else if let template = runTemplate(flow: flow, agent: agent) {
            if let path = template.path {
                let place = template.isInline ? "the inline \(noun) of its run config, \(path)" : "\(noun) \(path)"
                if template.template?.agentType != agent.agent.type {
                    sources.append("\(noun) \(path) (not read as a \(noun))")
                } else if let read = template.template {
                    sources += read.unseenSources.map { "\($0) (\(place); not read)" }
                    sources += unseenEnvFrom(read.kubernetesEnvFrom, context: .jobTemplateEnv).map { "\($0.description) (\(place); \($0.reason))" }
                }
            } else if let scheme = Self.urlScheme(template.written) {
                // A URL can carry credentials anywhere (user info, query, path): only its scheme is shown.
                sources.append("its \(noun) (\(scheme)://…, not in the project)")
            } else {
                sources.append("\(noun) \(Self.pathOrInline(template.written)) (not in the project)")
            }
        }
        return sources
    }

    /// A template option's value as messages show it: a path as written; inline JSON or YAML
    /// (which may hold values) only as "(inline text)".
    static func pathOrInline(_ text: String) -> String {
        let inline = text.unicodeScalars.contains { " \t\r\n{}[]\"'=,".unicodeScalars.contains($0) }
        return inline ? "(inline text)" : text
    }

    /// The scheme of a URL (`s3`, `https`, `file`), if the text is one.
    static func urlScheme(_ written: String) -> String? {
        guard let separator = written.range(of: "://") else { return nil }
        let scheme = written[..<separator.lowerBound].lowercased()
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." } ? scheme : "url"
    }

    /// The env `agent` takes from the run template `chosen`: none when it is no template of
    /// that agent's type (a Kubernetes agent fails on a task definition, an ECS agent on a Job).
    func runTemplateEnv(_ chosen: ChosenRunTemplate, agent: AgentEntity) -> [(assignment: EnvAssignment, path: String)] {
        guard let template = chosen.template, template.agentType == agent.agent.type, let path = chosen.path else { return [] }
        // `envFrom` entries come before `env` in the container (env overrides them).
        return envFromEntries(template.kubernetesEnvFrom, context: .jobTemplateEnv)
            + withKeyValues(template.env.map { ($0, path) }, refs: template.keyRefs, in: path, context: .jobTemplateEnv)
    }

    /// The agent's own process environment with where each assignment is written: its env
    /// files and its file's assignments, in the order the launcher applies them, later ones
    /// winning (systemd's `EnvironmentFile=` overrides `Environment=`; compose and `docker run`
    /// let the explicit environment win; a sourced file stands where the script sources it).
    public func processEnvironment(of agent: AgentEntity) -> [(assignment: EnvAssignment, path: String)] {
        typealias Entry = (assignment: EnvAssignment, path: String)
        // A Kubernetes container's keys of a project Secret or ConfigMap have their values.
        var own: [Entry] = withKeyValues(agent.agent.processEnv.map { ($0, agent.path) }, refs: agent.agent.kubernetesKeyRefs, in: agent.path, context: .containerEnv)
        // Where each of the agent's own entries stands in its file (one may be replaced below).
        let ownPositions = agent.agent.processEnv.map(\.nameSpan.start)
        var whole: [Entry] = []
        var sourced: [(position: Int, entries: [Entry])] = []
        // Shell variables a sourced file sets without exporting them, by where it is sourced.
        var unexported: [(position: Int, entries: [Entry])] = []
        // `export NAME` with no value: NAME stays exported when a file sourced later assigns it.
        var exportedBefore: [String: Int] = [:]
        for env in agent.agent.processEnv where env.value == nil && env.context == .shellExport {
            exportedBefore[env.name] = min(exportedBefore[env.name] ?? .max, env.nameSpan.start)
        }
        // Make exports a variable by name wherever `export NAME` stands, before or after the
        // `include` that assigns it.
        for env in agent.agent.processEnv where env.value == nil && env.context == .makefile {
            exportedBefore[env.name] = .min
        }
        for path in agent.envFilePaths {
            guard let index = fileIndex[path] else { continue }
            var assignments = files[index].facts.envAssignments
            if agent.makeIncludedEnvFilePaths.contains(path) { assignments = assignments.map(\.asMakeReadsIt) }
            guard let read = agent.sourcedEnvFilePaths[path] else {
                let readByDocker = agent.dockerEnvFilePaths.contains(path)
                whole += assignments.map { (readByDocker ? $0.asDockerReadsIt : $0, path) }
                continue
            }
            // A sourced file leaves what stays in the shell: exported variables, and under
            // `set -a` every variable; never a command prefix or another command's `--env`.
            let kept = assignments.filter { assignment in
                read.allExport ? assignment.whenSourced != .none
                    : assignment.whenSourced == .exported
                        || (assignment.whenSourced == .variable && (exportedBefore[assignment.name] ?? .max) < read.position)
            }
            sourced.append((read.position, kept.map { ($0, path) }))
            if !read.allExport { unexported.append((read.position, assignments.filter { $0.whenSourced == .variable }.map { ($0, path) })) }
        }
        // `source ./agent.env` then `export NAME`: the export gives the agent the value the
        // file set.
        if !unexported.isEmpty {
            for k in own.indices where own[k].assignment.value == nil && own[k].assignment.context == .shellExport {
                let at = own[k].assignment.nameSpan.start
                let set = unexported.filter { $0.position < at }.max { $0.position < $1.position }?.entries.last { $0.assignment.name == own[k].assignment.name }
                if let set { own[k] = set }
            }
        }
        let isUnit = fileIndex[agent.path].map { files[$0].kind == .systemd } ?? false
        // A Kubernetes container's `envFrom` of an object another file defines: before its `env`.
        let envFrom = envFromEntries(agent.agent.kubernetesEnvFrom, context: .containerEnv)
        if agent.runBy == nil, sourced.isEmpty, !isUnit, agent.commandRunners.isEmpty { return agent.builtImageEnv + whole + envFrom + own }
        // Env the launcher sets before any shell runs (systemd `Environment=`, make exports,
        // supervisord `environment=`, Dockerfile `ENV`) comes first, then the files read whole;
        // a shell's own exports and the files it sources then follow in the order it runs them.
        // In a compose service: the image's `ENV`, the service's `env_file`, its `environment`,
        // then what the command sets itself (`env A=1 prefect …`, a script's exports).
        // A systemd unit or supervisord program that runs the agent's script: its
        // `Environment=` / `environment=`, then a unit's `EnvironmentFile=` (read whole), then
        // the script's own.
        let launcher: Set<EnvContext> = [.systemd, .makefile, .justfile, .supervisord, .dockerfile]
        let image = agent.runBy?.imageEnv ?? agent.builtImageEnv
        let service: [Entry] = agent.runBy.map { site in
            envFromEntries(site.launcher.kubernetesEnvFrom, context: .containerEnv)
                + withKeyValues(site.launcher.env.map { ($0, site.path) }, refs: site.launcher.kubernetesKeyRefs, in: site.path, context: .containerEnv)
        } ?? []
        let placed = own.indices.filter { !launcher.contains(own[$0].assignment.context) }.map { (position: ownPositions[$0], entries: [own[$0]]) }
            + sourced
        let ordered = placed.enumerated().sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }
        let started = agent.runBy?.launcher.kind.readsEnvFilesFirst == false ? service + whole : whole + service
        // Then the scripts that run the agent's script, an image's `ENTRYPOINT` script that runs
        // its `CMD`, the script's own env, and the scripts it gives the agent's command to
        // (`with-secrets.sh prefect agent …`), which start from that env.
        let wrappers = (agent.runBy?.wrappers.env ?? []) + agent.commandRunners.filter(\.isEntrypoint).flatMap(\.passed.env)
        let runners = agent.commandRunners.filter { !$0.isEntrypoint }.flatMap(\.passed.env)
        return own.filter { launcher.contains($0.assignment.context) } + image + started + wrappers + envFrom + ordered.flatMap(\.element.entries) + runners
    }

    static let agentEnvVarsName = "PREFECT__CLOUD__AGENT__ENV_VARS"

    /// Gives the agent's `--label "$NAME"` words (``Agent/labelVariables``) their value, when
    /// it is a literal passed on as one label: what the agent's environment sets last (a
    /// command's own prefix, `NAME=x prefect …`, is not there yet when the shell expands the
    /// command's words; flow-run env never is), or for a compose file what the `.env` file
    /// beside it sets; else the reference's default, where `isWhole` says that `environment`
    /// is all the agent's shell starts with (an image's, not a login shell's).
    private func expandLabelVariables(of agent: inout AgentEntity, environment: [(assignment: EnvAssignment, path: String)], isWhole: Bool) {
        for variable in agent.agent.labelVariables {
            guard let index = agent.agent.unknownLabels.firstIndex(of: variable.label) else { continue }
            let set: (assignment: EnvAssignment, path: String)?
            switch variable.source {
            case .environment:
                set = environment.last {
                    $0.assignment.name == variable.variable && $0.assignment.context != .commandPrefix && !$0.assignment.context.reachesOnlyFlowRuns
                }
            case .composeEnvFile:
                let folder = agent.path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
                let path = folder.isEmpty ? ".env" : folder + "/.env"
                set = fileIndex[path].flatMap { file in
                    files[file].facts.envAssignments.last { $0.name == variable.variable && $0.context == .dotenv }.map { ($0, path) }
                }
            }
            var value: String?
            if let set = set?.assignment {
                guard set.origin == .literal, let written = set.value else { continue }
                value = written.isEmpty && variable.defaultWhenEmpty ? variable.defaultValue : written
            } else {
                guard isWhole || variable.source == .composeEnvFile else { continue }
                value = variable.defaultValue
            }
            guard let value, !value.isEmpty, !(variable.splits && value.utf8.contains(where: ShellFactsBuilder.splitsOrExpands)) else { continue }
            agent.labelVariableSources.append((variable.variable, set.map { ProjectLocation(path: $0.path, span: $0.assignment.nameSpan) }))
            agent.agent.unknownLabels.remove(at: index)
            if !agent.agent.labels.contains(value) { agent.agent.labels = (agent.agent.labels + [value]).sorted() }
        }
        agent.labels = LabelSet.forAgent(agent.agent)
    }

    /// What the agent reads from its env files as it reads its own environment (facts §4.2):
    /// its labels without `--label` flags, the env of its flow runs without `--env` flags,
    /// its backend without `-b`, its API URL without `--api`; the launcher's order decides
    /// between a file and the script's own exports. `environment` is the agent's
    /// ``processEnvironment(of:)``. Returns the path that set the backend.
    private func applyEnvFileSettings(to agent: inout AgentEntity, environment: [(assignment: EnvAssignment, path: String)]) -> String? {
        // The last assignment in the launcher's order counts when it is a non-empty literal;
        // otherwise what the agent's own file says stands (the tool has no "unknown" setting:
        // a later unreadable `${BACKEND}` leaves the file's value out rather than in).
        func fromFile(_ name: String) -> (value: String, path: String)? {
            guard let entry = environment.last(where: { $0.assignment.name == name }), entry.assignment.origin == .literal,
                let value = entry.assignment.value, !value.isEmpty
            else { return nil }
            return (value, entry.path)
        }
        // Labels have an unknown state: a last value the tool cannot read leaves them unknown.
        if !agent.agent.labelsFromFlags, let setting = EnvValueSyntax.agentLabelsSetting(in: environment.map(\.assignment)) {
            (agent.agent.labels, agent.agent.unknownLabels, agent.agent.unknownLabelsMayBeNone) = setting
            agent.labels = LabelSet.forAgent(agent.agent)
        }
        // PREFECT__CLOUD__AGENT__ENV_VARS: its JSON entries follow it, inside its value.
        if !agent.agent.flowRunEnvFromFlags,
            let index = environment.lastIndex(where: { $0.assignment.name == Self.agentEnvVarsName }),
            // A `$NAME` inside the JSON (`"DB_URL": "$DB_URL"`) leaves that entry a reference, not the rest.
            [.literal, .mixed].contains(environment[index].assignment.origin), environment[index].path != agent.path,
            let value = environment[index].assignment.valueSpan
        {
            agent.agent.flowRunEnv = environment[(index + 1)...].prefix {
                $0.path == environment[index].path && $0.assignment.context == .agentEnvVarsJSON && value.contains($0.assignment.nameSpan)
            }.map(\.assignment)
            agent.flowRunEnvPath = environment[index].path
        }
        if !agent.agent.apiURLFromFlag, let api = fromFile("PREFECT__CLOUD__API") { agent.agent.apiURL = api.value }
        guard !agent.agent.backendFromFlag, let backend = fromFile("PREFECT__BACKEND") else { return nil }
        agent.agent.backend = backend.value
        return backend.path
    }

    /// Where `agent`'s environment sets PREFECT__CLOUD__AGENT__ENV_VARS with an entry for
    /// context secret `name` that the agent ignores, as its `--env` flags replace the setting
    /// (facts §4.2); nil when there is none.
    public func envVarsReplacedByFlags(of agent: AgentEntity, providing name: String) -> ProjectLocation? {
        guard agent.agent.flowRunEnvFromFlags else { return nil }
        for (assignment, path) in processEnvironment(of: agent) where assignment.name == Self.agentEnvVarsName {
            guard let value = assignment.valueSpan, let index = fileIndex[path] else { continue }
            let provides = files[index].facts.envAssignments.contains {
                $0.context == .agentEnvVarsJSON && value.contains($0.nameSpan) && SecretProvision(contextSecretEnv: $0)?.name == name
            }
            if provides { return ProjectLocation(path: path, span: assignment.nameSpan) }
        }
        return nil
    }

    /// Whether the variable named at `span` in the file at `path` misses `agent` only because
    /// the agent's script sources the file without `set -a` and the file does not export it
    /// (a local agent would inherit it otherwise).
    public func isUnexportedWhenSourced(_ span: ByteSpan, in path: String, agent: AgentEntity) -> Bool {
        guard agent.agent.type == .local, let read = agent.sourcedEnvFilePaths[path], !read.allExport, let index = fileIndex[path],
            let variable = files[index].facts.envAssignments.first(where: { $0.nameSpan == span && $0.whenSourced == .variable })
        else { return false }
        // Unless the script exports the name, before or after it sources the file.
        return !agent.agent.processEnv.contains { $0.name == variable.name && $0.value == nil && $0.context == .shellExport }
    }

    func runKey(flow: FlowEntity, agent: AgentEntity) -> Int { flow.id * max(agents.count, 1) + agent.id }

    /// The run `agent` gives `flow`.
    func run(flow: FlowEntity, agent: AgentEntity) -> Run {
        runs[runKey(flow: flow, agent: agent)] ?? makeRun(flow: flow, agent: agent)
    }

    /// The environment `agent` gives the runs of `flow` (built once per pair where the flow
    /// references secrets).
    public func runEnvironment(flow: FlowEntity, agent: AgentEntity) -> RunEnvironment {
        runs[runKey(flow: flow, agent: agent)]?.environment ?? RunEnvironment(flow: flow, agent: agent, model: self)
    }

    private func makeRun(flow: FlowEntity, agent: AgentEntity) -> Run {
        let environment = RunEnvironment(flow: flow, agent: agent, model: self)
        let load = load(of: environment, agent: agent)
        return Run(environment: environment, resolution: loads[load.key] ?? resolution(of: load.sources))
    }

    private func load(of environment: RunEnvironment, agent: AgentEntity) -> ConfigLoad {
        let sources = environment.configSources(agent: agent, model: self)
        var key = sources
        key.environment = PrefectConfigLoader.environmentRead(
            from: sources.environment, configs: [sources.userConfigPath, sources.backendConfigPath].map { $0.flatMap { configTree(at: $0) } })
        return ConfigLoad(sources: sources, key: key)
    }

    private func resolution(of sources: ConfigSources) -> SecretResolution {
        SecretResolution(input: sources.input(model: self), cloud: cloudNames.map { CloudInventory(names: $0) })
    }

    /// The project-wide backend: backend.toml beats config.toml (facts §2.1, §3); a
    /// `prefect backend X` command writes backend.toml.
    static func projectBackend(_ files: [FileFactsEntry]) -> (String, String)? {
        var user: [(String, String)] = []
        var backendFile: [(String, String)] = []
        for file in files {
            // Settings tied to one agent (`install -b`) are that agent's, not the project's.
            for setting in file.facts.backendSettings where setting.agentIndex == nil && setting.takesEffect {
                if file.facts.configRole == .userConfig {
                    user.append((setting.value, file.path))
                } else if file.facts.configRole == .backendConfig || setting.kind == .backendCommand {
                    backendFile.append((setting.value, file.path))
                }
            }
        }
        // The first backend.toml or `prefect backend` command; config files that disagree
        // (the teams of a monorepo) give the project no one backend.
        if let first = backendFile.first { return first }
        return Set(user.map(\.0)).count == 1 ? user.first : nil
    }

    /// `[cloud.agent] labels` of a config file's tree, as the agent's `list()` makes them:
    /// a list of strings as written; a string Prefect's loading leaves a string (`"gpu"`), one
    /// label per character (facts §2.5); one it evaluates to a list (`"['gpu']"`), that list.
    static func configAgentLabels(_ tree: ConfigValue?) -> [String]? {
        func member(_ value: ConfigValue?, _ key: String) -> ConfigValue? {
            guard case .table(let entries)? = value else { return nil }
            return entries.last { $0.key == key }?.value
        }
        switch member(member(member(tree, "cloud"), "agent"), "labels") {
        case .array(let items)?:
            let labels = items.compactMap { item -> String? in if case .string(let s) = item { s } else { nil } }
            return labels.count == items.count && !labels.isEmpty ? labels : nil
        case .string(let text)?:
            let labels = EnvValueSyntax.agentLabels(of: PrefectValueConversion.stringToType(text))
            return labels?.isEmpty == false ? labels : nil
        default:
            return nil
        }
    }

    /// Whether an agent runs where the project's backend.toml and `prefect backend` commands
    /// take effect: started by a script, Makefile, unit or the docs on a machine, not by a
    /// manifest, a task definition, a CI workflow or an image (a script a compose service
    /// runs runs in its container; one a systemd unit or supervisord runs, on that machine).
    static func runsOnProjectMachine(_ agent: Agent, kind: FileKind, site: LaunchSite?) -> Bool {
        guard site?.launcher.kind.startsContainer != true, agent.imageStage == nil, !agent.runsInContainer else { return false }
        switch kind {
        case .shell, .makefile, .systemd, .procfile, .crontab, .dotenv, .supervisord, .markdown, .python: return true
        default: return false
        }
    }

    /// An agent's backend: its own PREFECT__BACKEND / `-b` beats the project's.
    static func agentBackend(_ agent: Agent, path: String, project: (value: String, source: String)?) -> (String, String) {
        if let own = agent.backend { return (own, path) }
        if let project { return (project.value, project.source) }
        return (defaultBackend, defaultBackendSource)
    }

    /// Whether a file logs in to Prefect Cloud for its agent `agentIndex`: `prefect auth login`,
    /// the agent's `--key`, or an API key in the agent's env.
    static func logsInToCloud(_ facts: FileFacts, agentIndex: Int, processEnv: [EnvAssignment]) -> Bool {
        facts.credentialFlags.contains { $0.isAuthLogin || ($0.agentIndex == agentIndex && ($0.flag == "--key" || $0.flag == "-k")) }
            || processEnv.contains { $0.name == "PREFECT__CLOUD__API_KEY" }
    }

    /// The unknown labels of a Dockerfile's agent that no project file runs.
    static let labelsWhereTheImageRuns = "given where the image runs (not in the project)"

    /// ``AgentEntity/backendSource`` of an agent whose backend nothing in the project sets.
    public static let defaultBackendSource = "Prefect's default"

    /// A flow another module configures (`from flows.etl import flow`, then `flow.run_config =
    /// …` or `flow.storage = …`; or a flow given to a function of another project module,
    /// `prepare_for_cloud(flow)`; or any flow, when a register script loads flows from files
    /// and configures them) may run with labels set there: its labels, hostname label
    /// included, are unknown (maybe none) beyond those its own module gives.
    static func markFlowsConfiguredElsewhere(_ files: [FileFactsEntry], flows: inout [FlowEntity], projectPaths: [String]) {
        func mark(_ index: Int, configuredIn path: String) {
            let label = "set in \(path)"
            guard !flows[index].labels.unknown.contains(label) else { return }
            flows[index].configuredIn.append(path)
            // The storage set there decides the hostname label too.
            let mayBeNone = flows[index].labels.unknown.isEmpty || flows[index].labels.unknownMayBeNone
            flows[index].labels.hasHostname = false
            flows[index].labels.unknown.append(label)
            flows[index].labels.unknownMayBeNone = mayBeNone
        }
        // A register script that loads flows from files and configures them: any flow.
        for file in files where file.facts.python?.configuresLoadedFlows == true {
            for index in flows.indices where flows[index].path != file.path { mark(index, configuredIn: file.path) }
        }
        let configurations = files.flatMap { file in (file.facts.python?.configuredImports ?? []).map { (file.path, $0) } }
        guard !configurations.isEmpty else { return }
        let python = Set(projectPaths.filter { $0.hasSuffix(".py") })
        for (path, configuration) in configurations where !configuration.module.isEmpty {
            let configured = Set(Registrations.files(ofModule: configuration.module, level: configuration.level, importedBy: path, in: python))
            guard let passed = configuration.passedFlow else {
                for index in flows.indices where configured.contains(flows[index].path) { mark(index, configuredIn: path) }
                continue
            }
            // A flow given to a function of a project module that sets a flow's run config or
            // storage may get its labels there.
            guard files.contains(where: { configured.contains($0.path) && $0.facts.python?.flowConfiguringFunctions.contains(passed.function) == true })
            else { continue }
            let configuring = configured.sorted().first ?? path
            for index in flows.indices where flows[index].path == path && flows[index].flow.span == passed.flow { mark(index, configuredIn: configuring) }
        }
    }

    /// Default names whose clients (boto3, google-auth) find credentials of their own when
    /// Prefect has none.
    public static let clientCredentialDefaults: Set<String> = ["AWS_CREDENTIALS", "GCP_CREDENTIALS"]

    /// Whether a missing default `name` is the client's own credentials at work rather than a
    /// secret missing: nothing in the project shows it was meant to come from Prefect
    /// (``showsMeantForPrefect(_:)``).
    public func fallsBackToClientCredentials(_ name: String) -> Bool {
        Self.clientCredentialDefaults.contains(name) && !showsMeantForPrefect(name)
    }

    /// Whether a missing storage token `name` leaves GitHub or GitLab storage fetching the flow
    /// anonymously, as the project means it to (a public repository): nothing in the project
    /// shows the token was meant to come from Prefect (``showsMeantForPrefect(_:)``), and no
    /// file sets a variable of that name (a Dockerfile's `ENV GITHUB_ACCESS_TOKEN=…`, which the
    /// storage also reads). A private repository fails the first run loudly; the quiet mistake
    /// is a token kept where the storage does not look.
    public func fetchesAnonymously(_ name: String) -> Bool {
        Self.storageTokensWithAnonymousFallback.contains(name) && !showsMeantForPrefect(name)
            && !files.contains { $0.facts.envAssignments.contains { $0.name == name } }
    }

    /// Whether the project shows that secret `name` is meant to come from Prefect: a provision
    /// of the name, the Cloud inventory, a flow that reads it by name with Prefect's secret API
    /// (`PrefectSecret("AWS_CREDENTIALS")` beside an `S3Result`, another flow's
    /// `access_token_secret="GITHUB_ACCESS_TOKEN"`).
    func showsMeantForPrefect(_ name: String) -> Bool {
        if provisions.contains(where: { $0.provision.name == name }) || cloudNames?.contains(name) == true { return true }
        let readByName: Set<SecretReferenceKind> = [.prefectSecretTask, .secretGet, .componentKeyword]
        return flows.contains { $0.references.contains { $0.name == name && readByName.contains($0.kind) } }
            || looseReferences.contains { $0.reference.name == name && readByName.contains($0.reference.kind) }
    }

    /// The env assignments, in every file, of variables that flows read as secrets from their
    /// run's environment (`EnvVarSecret("X")`, a Webhook template's `${X}`): their values are
    /// secret values, though their names need not say so.
    public func environmentSecretAssignments() -> [(path: String, assignment: EnvAssignment)] {
        let names = Set(flows.flatMap(\.references).filter { $0.kind == .envVarSecret || $0.kind == .templateVariable }.compactMap(\.name))
        guard !names.isEmpty else { return [] }
        return files.flatMap { file in file.facts.envAssignments.filter { names.contains($0.name) }.map { (file.path, $0) } }
    }

    /// The facts of the file at `path`, when it has any.
    public func file(at path: String) -> FileFactsEntry? {
        fileIndex[path].map { files[$0] }
    }

    /// `path:line` of a location, for messages that point at other files.
    public func describe(_ location: ProjectLocation) -> String {
        guard let index = fileIndex[location.path] else { return location.path }
        let file = files[index]
        var low = 0
        var high = file.lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if file.lineStarts[mid] <= location.span.start { low = mid } else { high = mid - 1 }
        }
        return "\(location.path):\(low + 1)"
    }

    /// `image` without Docker Hub's own registry (`docker.io/`, `docker.io/library/`).
    static func withoutDockerHub(_ image: String) -> Substring {
        let name = Substring(image)
        for registry in ["docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/"] where name.hasPrefix(registry) {
            return name.dropFirst(registry.count)
        }
        return name
    }

    /// An image name with its tag (`:latest` when none is written) and without Docker Hub's
    /// own registry (`docker.io/`, `docker.io/library/`), for matching names.
    static func imageReference(_ name: String) -> String {
        let name = withoutDockerHub(name)
        let last = name.split(separator: "/").last ?? ""
        return last.contains(":") || last.contains("@") ? String(name) : name + ":latest"
    }

    /// The names of the secrets the project's flows and other code read.
    public var referencedSecretNames: Set<String> {
        Set(flows.flatMap { $0.references.compactMap(\.name) } + looseReferences.compactMap(\.reference.name))
    }

    /// Agents that can pick up runs of `flow` (facts §5), one of this model's ``flows``
    /// (found by its `id`).
    public func agents(running flow: FlowEntity) -> [AgentEntity] {
        runnable(flow).map { agents[$0] }
    }

    private func runnable(_ flow: FlowEntity) -> [Int] {
        runnableAgents.indices.contains(flow.id) ? runnableAgents[flow.id] : []
    }

    /// Agents that would pick up runs of `flow`, or may, but never start: Prefect refuses
    /// their command (``Agent/startRefusal``).
    public func agentsThatNeverStart(wouldRun flow: FlowEntity) -> [AgentEntity] {
        // By index: PS203 asks this for every flow no agent runs, and filtering the entities
        // themselves copied each agent every time (3 ms on 500 flows and 500 agents).
        agents.indices.filter { agents[$0].agent.startRefusal != nil && LabelSet.match(agent: agents[$0].labels, run: flow.labels) != .cannot }
            .map { agents[$0] }
    }

    /// Whether some agent can pick up runs of `flow`.
    public func isRunnable(_ flow: FlowEntity) -> Bool { !runnable(flow).isEmpty }

    /// Agents that may pick up runs of `flow` or not, as labels the tool cannot read decide
    /// (``LabelSet/Match/mayRun``). No verdict is drawn for them.
    public func agents(mayRun flow: FlowEntity, limit: Int = .max) -> [AgentEntity] {
        maybeRunnable(flow).prefix(limit).map { agents[$0] }
    }

    /// How many agents ``agents(mayRun:limit:)`` gives without a limit.
    public func agentCount(mayRun flow: FlowEntity) -> Int { maybeRunnable(flow).count }

    private func maybeRunnable(_ flow: FlowEntity) -> [Int] {
        maybeRunnableAgents.indices.contains(flow.id) ? maybeRunnableAgents[flow.id] : []
    }

    /// ``LabelSet/match(agent:run:)`` is `.mayRun`: only a flow or an agent with unknown labels
    /// can give it, so only those pairs are tested.
    static func maybeRunnableAgents(flows: [FlowEntity], agents: [AgentEntity]) -> [[Int]] {
        let starting = agents.indices.filter { agents[$0].agent.startRefusal == nil }
        let withUnknown = starting.filter { !agents[$0].labels.unknown.isEmpty }
        return flows.indices.map { id in
            guard !flows[id].runsOnlyWhereLoaded else { return [] }
            let labels = flows[id].labels
            let candidates = labels.unknown.isEmpty ? withUnknown : starting
            return candidates.filter { LabelSet.match(agent: agents[$0].labels, run: labels) == .mayRun }
        }
    }

    /// ``LabelSet/agent(_:canRun:)`` for every flow and agent. A project with hundreds of each
    /// would make that a product of both: only the agents that have the flow's rarest label
    /// (or the hostname label, or no labels at all, as the rule needs) are tested.
    static func runnableAgents(flows: [FlowEntity], agents: [AgentEntity]) -> [[Int]] {
        var byLabel: [String: [Int]] = [:]
        var unlabelled: [Int] = []
        var withHostname: [Int] = []
        // An agent whose command Prefect refuses never starts: it picks up nothing.
        // By index, and labels only: copying each agent entity costs more than the matching.
        for index in agents.indices where agents[index].agent.startRefusal == nil {
            let labels = agents[index].labels
            if labels.isEmpty { unlabelled.append(index) }
            if labels.hasHostname { withHostname.append(index) }
            for label in labels.labels { byLabel[label, default: []].append(index) }
        }
        return flows.indices.map { id in
            // Only its own module runs it: no agent gets its runs.
            guard !flows[id].runsOnlyWhereLoaded else { return [] }
            let labels = flows[id].labels
            let candidates: [Int]
            if labels.isEmpty {
                candidates = unlabelled
            } else if labels.hasHostname {
                candidates = withHostname
            } else {
                candidates = labels.labels.map { byLabel[$0] ?? [] }.min { $0.count < $1.count } ?? []
            }
            return candidates.filter { LabelSet.agent(agents[$0].labels, canRun: labels) }
        }
    }

    /// Every reference to secret `name` anywhere in the project.
    public func references(named name: String) -> [(path: String, reference: SecretReference)] {
        var out: [(String, SecretReference)] = []
        for flow in flows { for r in flow.references where r.name == name { out.append((flow.path, r)) } }
        for (path, r) in looseReferences where r.name == name { out.append((path, r)) }
        return out
    }
}

/// The project's file paths, for finding the files that others name (env files, run
/// templates) without a pass over all files per name.
struct ProjectPaths {
    private let all: Set<String>
    /// Paths by their last component.
    private let byName: [Substring: [String]]

    init(_ paths: [String]) {
        all = Set(paths)
        byName = Dictionary(grouping: paths, by: { $0.split(separator: "/").last ?? "" })
    }

    /// The project file a file name points at: the path relative to the naming file's
    /// folder, else relative to the project root (root first with `rootFirst`: `prefect
    /// register` reads a flow's template path from where it runs, usually the root), else the
    /// one file whose path ends with the name's last two components (an absolute
    /// `/etc/prefect/agent.env` kept in the repository as `deploy/etc/prefect/agent.env`).
    /// `file://`, `local://` and `agent://` name local files when an absolute path follows
    /// (Prefect reads `file://deploy/x` as host `deploy`); other schemes (`s3://`, `gcs://`,
    /// `https://`) and `~` paths (Prefect does not expand them) name none in the project.
    /// The project file at `relative` from the naming file's folder (`..` and `.` resolved), only there.
    func file(at relative: String, from referrer: String) -> String? {
        guard !relative.hasPrefix("/"), let resolved = Self.follow(relative, from: referrer.split(separator: "/").dropLast().map(String.init)) else { return nil }
        let path = resolved.joined(separator: "/")
        return all.contains(path) ? path : nil
    }

    /// The folders of `relative` followed from the project folder `base` (`.` and `..`
    /// resolved); nil when it goes above the project's root.
    static func follow(_ relative: String, from base: [String]) -> [String]? {
        var parts = base
        for part in relative.split(separator: "/") where part != "." {
            if part == ".." {
                guard parts.popLast() != nil else { return nil }
            } else {
                parts.append(String(part))
            }
        }
        return parts
    }

    func file(named written: String, from referrer: String, rootFirst: Bool = false) -> String? {
        var name = written
        if let scheme = name.range(of: "://") {
            guard ["file", "local", "agent"].contains(name[..<scheme.lowerBound].lowercased()) else { return nil }
            name = String(name[scheme.upperBound...])
            guard name.hasPrefix("/") else { return nil }
        }
        guard !name.hasPrefix("~") else { return nil }
        let parts = name.split(separator: "/").map(String.init).filter { $0 != "." && !$0.isEmpty }
        guard let last = parts.last else { return nil }
        if !name.hasPrefix("/") {
            let folder = referrer.split(separator: "/").dropLast().map(String.init)
            for base in rootFirst ? [[], folder] : [folder, []] {
                var resolved = base
                for part in parts {
                    if part == ".." { _ = resolved.popLast() } else { resolved.append(part) }
                }
                let path = resolved.joined(separator: "/")
                if all.contains(path) { return path }
            }
        }
        let suffix = "/" + parts.suffix(2).joined(separator: "/")
        let matches = (byName[Substring(last)] ?? []).filter { ("/" + $0).hasSuffix(suffix) }
        return matches.count == 1 ? matches[0] : nil
    }
}

extension Agent {
    /// The agent as a manifest that `envsubst` fills in may start it: a label with a `$` is
    /// not known, and the `$NAME`s of its `--env` values may be values, not text its runs get.
    func fillingInDollarText() -> Agent {
        var agent = self
        let written = agent.labels.filter { $0.contains("$") }
        if !written.isEmpty {
            agent.labels.removeAll { $0.contains("$") }
            agent.unknownLabels += written
        }
        for k in agent.flowRunEnv.indices { agent.flowRunEnv[k].reachesPrefectAsWritten = false }
        return agent
    }
}

/// The run template a Kubernetes or ECS agent starts a flow's runs from (facts §4.3): the
/// run config's (inline, or a path it names), else the agent's.
public struct ChosenRunTemplate: Sendable {
    /// As written: the path or URL, or `inline` for a template the run config holds.
    public var written: String
    /// The project file it is, or for an inline template the run config's file; nil when it
    /// is not in the project.
    public var path: String?
    /// What the tool reads of it, as a template of which agent type.
    public var template: RunTemplate?
    /// The run config gives it, not the agent.
    public var isRunConfigs: Bool
    /// The run config holds it (`KubernetesRun(job_template=…)`, `ECSRun(task_definition=…)`).
    public var isInline: Bool

    /// How messages name it, with `noun` (`job template`, `task definition`): "the run config's
    /// job template deploy/job.yaml", "the ecs agent's task definition …", "the run config's
    /// inline job template (flows/etl.py)".
    public func described(_ noun: String, agent: AgentType) -> String {
        let whose = isRunConfigs ? "the run config's" : "the \(agent.rawValue) agent's"
        return isInline ? "\(whose) inline \(noun) (\(path ?? written))" : "\(whose) \(noun) \(path ?? written)"
    }
}
