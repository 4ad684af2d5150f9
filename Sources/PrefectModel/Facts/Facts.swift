import ShellWords
import Spans

/// Where a value came from syntactically, which decides whether it is plaintext.
public enum ValueOrigin: Sendable, Hashable {
    /// A literal written in the file (the value bytes are in the file at the value span).
    case literal
    /// A reference to something else: `$VAR`, `${VAR}`, `${{ secrets.X }}`, `{{ .Values.x }}`.
    case reference
    /// A Kubernetes `valueFrom.secretKeyRef` (name, key).
    case kubernetesSecret(name: String, key: String)
    /// A Kubernetes `configMapKeyRef` or other indirection.
    case indirect
    /// Partly literal, partly references (`abc$VAR`).
    case mixed
    /// Cannot be told statically.
    case unknown
}

/// Where an environment assignment was written, which decides whether it reaches flow runs.
public enum EnvContext: String, Sendable, Hashable, Codable {
    case agentEnvFlag          // prefect agent ... --env K=V
    case agentEnvVarsJSON      // PREFECT__CLOUD__AGENT__ENV_VARS='{"K": "V"}'
    case shellExport           // export K=V
    case commandPrefix         // K=V cmd, env K=V cmd
    case dotenv                // .env files
    case dockerfile            // ENV / ARG
    case systemd               // Environment=
    case supervisord           // environment=
    case crontab               // NAME=value lines of a crontab
    case containerEnv          // Kubernetes container env / compose environment / ECS task env
    case ciEnv                 // GitHub Actions env:, GitLab variables:
    case ansibleEnv            // an Ansible play's, block's or task's environment:
    case taskfileEnv           // a go-task Taskfile's or task's env:
    case taskRunnerEnv         // a pyproject.toml task's env (poethepoet, PDM, Hatch, Rye)
    case jobTemplateEnv        // env in a Prefect job template (reaches flow runs)
    case runConfigEnv          // run_config=KubernetesRun(env={...}) etc. in flow code
    case pythonEnviron         // os.environ["K"] = "V" in code
    case documentation         // a command inside a README code fence
    case makefile              // make variable or recipe export
    case justfile              // just variable or recipe export
}

extension EnvContext {
    /// Set for flow runs only (an agent's `--env` and ENV_VARS, a run config's or job
    /// template's env), never for an agent's own process.
    public var reachesOnlyFlowRuns: Bool {
        switch self {
        case .agentEnvFlag, .agentEnvVarsJSON, .jobTemplateEnv, .runConfigEnv: true
        default: false
        }
    }
}

/// One `NAME=value` the project sets somewhere: an env var, an agent flag, a dotenv line.
public struct EnvAssignment: Sendable, Hashable {
    public var name: String
    public var nameSpan: ByteSpan
    /// The value as written, unquoted (nil when the assignment has no `=`, e.g. `--env FOO`).
    /// With an `origin` other than `.literal`, where the variable is known to be set to a value
    /// the tool cannot read, it is the reference or code as written (`$X`; `os.environ["X"]`
    /// in a run config's env); nil for code whose result is not known to be set.
    public var value: String?
    public var valueSpan: ByteSpan?
    public var origin: ValueOrigin
    public var context: EnvContext
    /// Index into ``FileFacts/agents`` when the assignment belongs to an agent.
    public var agentIndex: Int?
    /// What a script that sources the assignment's file keeps of it.
    public var whenSourced = SourcedPersistence.none
    /// The value is written as something other than a string: a Python number
    /// (`env={"PORT": 5432}` in flow code), a YAML or JSON number or boolean (`value: 0123`,
    /// `value: yes` as PyYAML reads it).
    public var valueIsNotString = false
    /// Text written out as it reaches Prefect whose only references are `$NAME`s Prefect's
    /// loading expands: a quoted script or Dockerfile value (`'example$password'`, `.mixed`),
    /// which PS403 checks as written; or an agent's `--env` value that no shell expands before
    /// the agent passes it on untouched (single-quoted, an exec-form argument: `X=$DB_PW`),
    /// which flow runs get as written (``RunEnvironment/reachesRunAsWritten(_:)``).
    public var reachesPrefectAsWritten = false
    /// A dotenv line's text after `=` to the end of the line, where it differs from ``value``:
    /// what `docker run --env-file` passes on, which neither unquotes, expands `${…}`, nor
    /// drops a comment or trailing blanks.
    public var dockerValue: String?
    /// A dotenv line's value as GNU make reads it when a Makefile includes the file, where it
    /// differs from ``value``: from the first non-blank after `=` to a `#` or the end of the
    /// line, quotes and trailing blanks kept, `$$` as `$`. Nil where make would expand a
    /// reference (`$(HOME)`) or unescape `\#`: the dotenv reading stands for those.
    public var makeValue: String?

    public init(
        name: String, nameSpan: ByteSpan, value: String?, valueSpan: ByteSpan?, origin: ValueOrigin,
        context: EnvContext, agentIndex: Int? = nil
    ) {
        self.name = name
        self.nameSpan = nameSpan
        self.value = value
        self.valueSpan = valueSpan
        self.origin = origin
        self.context = context
        self.agentIndex = agentIndex
        // `NAME: value` where only `NAME=value` is read (a Compose list item, which without `=`
        // passes the caller's `$NAME`; a Dockerfile ENV without `=`): the text after `:` is a
        // value, never part of a name reports print. An agent's `--env NAME:value` stays as
        // written: Prefect fails on it (PS208).
        if value == nil || value?.isEmpty == true || value == "$" + name, context != .agentEnvFlag, let colon = name.utf8.firstIndex(of: 0x3A) {
            let head = name[..<colon]
            guard !head.isEmpty, head.utf8.allSatisfy(ASCIIBytes.isWordByte) else { return }
            let tail = name[name.utf8.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            if nameSpan.length == name.utf8.count {
                self.nameSpan = ByteSpan(nameSpan.start, nameSpan.start + head.utf8.count)
                self.valueSpan = ByteSpan(nameSpan.start + name.utf8.distance(from: name.utf8.startIndex, to: tail.startIndex), nameSpan.end)
            } else {
                self.valueSpan = nameSpan
            }
            self.name = String(head)
            self.value = String(tail)
            self.origin = .literal
        }
    }
}

extension EnvAssignment {
    /// The assignment as GNU make reads its dotenv line in a Makefile's `include`.
    public var asMakeReadsIt: EnvAssignment {
        guard let written = makeValue else { return self }
        var read = self
        read.value = written
        read.origin = .literal
        read.reachesPrefectAsWritten = false
        return read
    }

    /// The assignment as `docker run --env-file` reads its dotenv line: the text as written,
    /// taken literally; a `KEY` line alone passes the caller's `$KEY`, as `-e KEY` does.
    public var asDockerReadsIt: EnvAssignment {
        var read = self
        if let written = dockerValue {
            read.value = written
            read.origin = .literal
            read.reachesPrefectAsWritten = false
        } else if value == nil {
            read.value = "$" + name
            read.origin = .reference
        }
        return read
    }
}

/// How a flow or component asks for a secret.
public enum SecretReferenceKind: String, Sendable, Hashable, Codable {
    case prefectSecretTask      // PrefectSecret("X")
    case secretGet              // Secret("X").get()
    case envVarSecret           // EnvVarSecret("X") — reads os.environ, not context
    case componentKeyword       // GitHub(access_token_secret="X"), task kwargs *_secret
    case componentDefault       // implicit default name, e.g. GITHUB_ACCESS_TOKEN
    case storageSecrets         // storage=...(secrets=["X"])
    case taskGivenAsName        // GitHub(access_token_secret=PrefectSecret("X")): a task where a name belongs
    case valueGivenAsName       // GitHub(access_token_secret=Secret("X").get()): a secret's value where a name belongs
    case nameGivenAsValue       // DatabricksRunNow()(databricks_conn_secret="X"): a secret's name where its value belongs
    case templateVariable       // Webhook(get_flow_request_kwargs={… "${X}" …}): the run's env var X, else Secret("X").get()
    case contextRead            // prefect.context.secrets["X"]: the run's context alone, never Cloud
}

/// A flow or component needs secret NAME.
public struct SecretReference: Sendable, Hashable {
    /// The secret's name, or nil when it is computed and could not be resolved.
    public var name: String?
    public var span: ByteSpan
    public var kind: SecretReferenceKind
    /// Index into ``FileFacts/flows`` of the flow this reference belongs to, if known.
    public var flowIndex: Int?
    /// Made by a module-level component that nothing in its module uses (`handler =
    /// slack_notifier(…)` attached to no flow): none of the module's flows needs it, even
    /// when the module has one.
    public var isOfNoFlow = false
    /// True when the read happens while the flow is built (`.get()` at module level or in `with Flow`).
    public var readAtBuildTime: Bool
    /// For a reference the model links to a flow through an import (`span` is then the
    /// imported name): where the imported function or class references the secret.
    public var readIn: ProjectLocation?
    /// For a reference through an import (``readIn``): it is placed at a call of the imported
    /// helper whose parameter names the secret (`get_secret("DB_DSN")`, or a call that leaves
    /// the parameter's default), not at the import.
    public var isPlacedAtCall = false
    /// The flow parameter whose default names the secret (`PrefectSecret()(name=secret_name)`
    /// on `secret_name = Parameter("secret_name", default="DB_PASSWORD")`): a run given another
    /// value of it reads that secret instead.
    public var flowParameter: String?
    /// A `Secret(X).get()` in the body of `if Secret(X).exists():`: it runs only when the
    /// secret is there, so a run without it goes on (facts §1.1).
    public var isGuardedByExists = false
    /// An `EnvVarSecret` without `raise_if_missing=True`: a run without the variable gets
    /// None from the task and goes on (tasks/secrets/env_var.py).
    public var returnsNoneWhenMissing = false
    /// For a name computed at run time from a text around it (`f"DB_PASSWORD_{user}"`): the
    /// names it can take. Nil when ``name`` is known or nothing of it is.
    public var namePattern: SecretNamePattern?
    /// For a name the tool cannot read in place: where it comes from, for the project to read
    /// it there (kept in one boxed value: most references have none, and they are copied often).
    public var nameSource: SecretNameSource?

    /// A name given as a name another module binds (`from settings import DB_SECRET`,
    /// `cfg.DB_SECRET` after `import settings as cfg`): that module and name, where the
    /// project reads the name when the module is one of its own (``ImportedSecretNames``).
    public var nameImport: ImportedName? {
        if case .imported(let name)? = nameSource { return name }
        return nil
    }

    /// A read whose name is a parameter of the function around it (`def get_secret(name):
    /// return Secret(name).get()`): that parameter, which the function's calls in other
    /// modules name (``ImportedCall``).
    public var nameParameter: NameParameter? {
        if case .parameter(let parameter)? = nameSource { return parameter }
        return nil
    }

    public init(name: String?, span: ByteSpan, kind: SecretReferenceKind, flowIndex: Int? = nil, readAtBuildTime: Bool = false) {
        self.name = name
        self.span = span
        self.kind = kind
        self.flowIndex = flowIndex
        self.readAtBuildTime = readAtBuildTime
    }
}

/// Where the name of a secret reference comes from when it is not written in place
/// (``SecretReference/nameSource``).
public indirect enum SecretNameSource: Sendable, Hashable {
    /// A name another module binds.
    case imported(ImportedName)
    /// A parameter of the function around the read.
    case parameter(NameParameter)
}

/// The names a secret name computed at run time can take: those that start with `prefix`
/// and end with `suffix` (`f"DB_PASSWORD_{user.upper()}"`: `DB_PASSWORD_` and nothing).
public struct SecretNamePattern: Sendable, Hashable, CustomStringConvertible {
    public var prefix: String
    public var suffix: String

    public init(prefix: String, suffix: String) {
        self.prefix = prefix
        self.suffix = suffix
    }

    /// Whether the computed name can be `name` (what fills the placeholders may be empty).
    public func matches(_ name: String) -> Bool {
        name.utf8.count >= prefix.utf8.count + suffix.utf8.count && name.hasPrefix(prefix) && name.hasSuffix(suffix)
    }

    /// `DB_PASSWORD_{…}`.
    public var description: String { "\(prefix){…}\(suffix)" }
}

/// Where a provided secret lives.
public enum ProvisionSource: String, Sendable, Hashable, Codable {
    case localConfig        // [context.secrets] in a Prefect config.toml / backend.toml
    case environment        // PREFECT__CONTEXT__SECRETS__X somewhere (see the EnvAssignment)
    case cloudSetSecret     // Client().set_secret(name="X", ...)
    case cloudInventory     // --cloud-secrets FILE
}

/// A key inside a dict secret, with its value span when it is a leaf.
public struct NestedSecretKey: Sendable, Hashable {
    public var key: String
    public var keySpan: ByteSpan
    public var valueSpan: ByteSpan?
    public var origin: ValueOrigin
    /// The decoded value when it is a string written in a config file (for PS403).
    public var stringValue: String?
    /// A key of a table in a list (`[[context.secrets.DBS]]`): Prefect converts no value
    /// inside a list, and the key is no key of the secret itself.
    public var isInList = false
    public init(key: String, keySpan: ByteSpan, valueSpan: ByteSpan?, origin: ValueOrigin, stringValue: String? = nil) {
        self.key = key
        self.keySpan = keySpan
        self.valueSpan = valueSpan
        self.origin = origin
        self.stringValue = stringValue
    }
}

/// Secret NAME is provided by a source.
public struct SecretProvision: Sendable {
    public var name: String
    public var span: ByteSpan
    public var source: ProvisionSource
    public var origin: ValueOrigin
    /// The env context when `source == .environment`.
    public var envContext: EnvContext?
    public var agentIndex: Int?
    /// Keys inside a dict secret (any depth, e.g. `ACCESS_KEY` of AWS_CREDENTIALS).
    public var nestedKeys: [NestedSecretKey] = []
    /// Where the value is, when it is a single value written in the file (nil for a dict
    /// secret: its leaves are in ``nestedKeys``).
    public var valueSpan: ByteSpan?
    /// The decoded value when it is a string written in a config file (for PS403).
    public var stringValue: String?

    public init(
        name: String, span: ByteSpan, source: ProvisionSource, origin: ValueOrigin, envContext: EnvContext? = nil,
        agentIndex: Int? = nil
    ) {
        self.name = name
        self.span = span
        self.source = source
        self.origin = origin
        self.envContext = envContext
        self.agentIndex = agentIndex
    }
}

/// The Prefect agent types of 1.x.
public enum AgentType: String, Sendable, Hashable, Codable {
    case local, docker, kubernetes, ecs, vertex, unknown

    /// What a Kubernetes or ECS agent calls a flow run's template, and the option that gives
    /// it its own; nil for other agent types.
    public var runTemplate: (noun: String, option: String)? {
        switch self {
        case .kubernetes: ("job template", "--job-template")
        case .ecs: ("task definition", "--task-definition")
        default: nil
        }
    }

    /// The run config type the agent takes (besides `UniversalRun`); it fails a run with
    /// another one (`Agent._get_run_config` raises `TypeError`).
    public var runConfigType: String? {
        switch self {
        case .local: "LocalRun"
        case .docker: "DockerRun"
        case .kubernetes: "KubernetesRun"
        case .ecs: "ECSRun"
        case .vertex: "VertexRun"
        case .unknown: nil
        }
    }
}

/// A `--label` word that is one variable (`"$AGENT_LABEL"`, `${AGENT_LABEL}`,
/// `${AGENT_LABEL:-dev}`), named as ``Agent/unknownLabels`` names it.
public struct LabelVariable: Sendable, Hashable {
    /// Where the variable's value comes from.
    public enum Source: Sendable, Hashable {
        /// The environment the shell that starts the agent gets from its launcher.
        case environment
        /// Compose's interpolation of its file: the `.env` file beside it (or the shell that
        /// runs `docker compose`, which the tool does not see).
        case composeEnvFile
    }

    /// The agent's unknown label it stands for (`$AGENT_LABEL`).
    public var label: String
    public var variable: String
    public var source: Source
    /// Unquoted: the value is split into words (and a shell expands patterns in it).
    public var splits: Bool
    /// `${NAME-default}`: the value when the variable is unset; with `:-`, also when empty.
    public var defaultValue: String?
    public var defaultWhenEmpty = false
    /// The word, as written in the file.
    public var span: ByteSpan

    public init(label: String, variable: String, source: Source, splits: Bool, span: ByteSpan) {
        self.label = label
        self.variable = variable
        self.source = source
        self.splits = splits
        self.span = span
    }
}

/// A Prefect agent the project starts somewhere (a script, a manifest, a unit, a CI job).
public struct Agent: Sendable, Hashable {
    public var type: AgentType
    public var name: String?
    public var labels: [String]
    public var span: ByteSpan
    /// `--env` flags and PREFECT__CLOUD__AGENT__ENV_VARS entries: these reach flow runs.
    public var flowRunEnv: [EnvAssignment]
    /// The agent's own process/container env: reaches flow runs only for local agents.
    public var processEnv: [EnvAssignment]
    /// The backend the agent talks to, when the file says so (`-b`, PREFECT__BACKEND).
    public var backend: String?
    /// The API URL (`--api`, PREFECT__CLOUD__API), when the file says so, without any
    /// `user:password@` part: reports print it.
    public var apiURL: String? {
        didSet { apiURL = apiURL.map(Self.withoutUserInfo) }
    }
    public var isInstallManifest: Bool
    /// False with `--no-hostname-label` (local agents only).
    public var addsHostnameLabel: Bool = true
    /// Env files the agent's process reads (`EnvironmentFile=`, `docker run --env-file`,
    /// compose `env_file`), as written; the model finds them among the project's files.
    public var envFiles: [String] = []
    /// ``envFiles`` are relative to the agent's file's folder, as compose reads them, not
    /// to wherever a command may run.
    public var envFilesAreRelativeToFile = false
    /// Those of ``envFiles`` that `docker run --env-file` reads: as written, without unquoting
    /// (``EnvAssignment/dockerValue``).
    public var envFilesReadByDocker: Set<String> = []
    /// The `envFrom` entries of the Kubernetes container it runs in whose ConfigMap or Secret
    /// another file defines: the model looks them up (``KubernetesEnvFrom``).
    public var kubernetesEnvFrom: [KubernetesEnvFrom] = []
    /// That container's `secretKeyRef` and `configMapKeyRef` entries.
    public var kubernetesKeyRefs: [KubernetesKeyRef] = []
    /// The image a compose service builds and starts the agent in with its own `command`
    /// (the Dockerfile relative to the compose file's folder, and the target stage): the
    /// agent's process gets that image's `ENV`.
    public var builtImage: BuiltImage?
    /// What a compose service mounts where the agent's Prefect reads its user config; nil
    /// where the tool does not read the agent's mounts (anything but a compose service).
    public var userConfigMount: UserConfigMount?
    /// The project file a compose service mounts as the agent's `~/.prefect/backend.toml`
    /// (the file, or a folder mounted as `~/.prefect`), as written.
    public var backendConfigMount: String?
    /// The host file a Docker agent's `--volume SOURCE:TARGET` puts at its flow runs'
    /// `~/.prefect/config.toml` (the file, or a folder mounted as `~/.prefect`), as written:
    /// the runs' Prefect reads it as their user config.
    public var flowRunUserConfigMount: String?
    /// A Docker agent's `--volume SOURCE:TARGET` bind mounts of its flow runs, by target, as
    /// written: a run whose PREFECT__USER_CONFIG_PATH is a target reads its source.
    public var flowRunMounts: [String: String] = [:]
    /// Files its start script sources before starting it (`. ./agent.env`), as written.
    public var sourcedFiles: [SourcedEnvFile] = []
    /// Labels the tool cannot read (`--label "$ENV"`, PREFECT__CLOUD__AGENT__LABELS from a
    /// variable), named by what they come from: the agent has some labels besides ``labels``.
    public var unknownLabels: [String] = []
    /// ``unknownLabels`` stand for a whole list that may be empty (PREFECT__CLOUD__AGENT__LABELS).
    public var unknownLabelsMayBeNone = false
    /// Unknown `--label` words that are one variable the agent's file never sets (`--label
    /// "$AGENT_LABEL"` in a Dockerfile's shell-form `CMD`): the shell that starts the agent
    /// expands them from the environment its launcher gives it, which the model reads.
    public var labelVariables: [LabelVariable] = []
    /// The wrapper that starts the agent with an empty environment (`env -i`, `sudo` without
    /// `-E`): what its script exported before does not reach it.
    public var environmentClearedBy: String?
    /// What ``environmentClearedBy`` does to the agent's environment, for messages.
    public var environmentResetEffect: String { environmentClearedBy.map(ShellCommands.resetEffect) ?? "" }
    /// The secrets managers that start the agent (`doppler run -- prefect agent …`): they may
    /// set any variable in its environment, which the project does not show.
    public var environmentInjectedBy: [String] = []
    /// The scripts given the agent's command to run (`/opt/etl/with-secrets.sh prefect agent
    /// …`), as written, outermost first: what they export before `exec "$@"` reaches it.
    public var commandRunners: [String] = []
    /// `--label` flags (or an `install`) set ``labels``: PREFECT__CLOUD__AGENT__LABELS from
    /// the agent's env files does not count.
    public var labelsFromFlags = false
    /// `install -b` set ``backend``: PREFECT__BACKEND from the agent's env files does not count.
    public var backendFromFlag = false
    /// `--api` (or an `install` that writes Cloud's URL) set ``apiURL``: PREFECT__CLOUD__API
    /// from the agent's env files does not count.
    public var apiURLFromFlag = false
    /// `--env` flags give ``flowRunEnv`` (or an `install` does): PREFECT__CLOUD__AGENT__ENV_VARS
    /// from the agent's env files does not count.
    public var flowRunEnvFromFlags = false
    /// What gives the flow-run env of an agent a Python module starts when the tool cannot
    /// read it (`env_vars=` of a helper's result; positional arguments), for messages.
    public var flowRunEnvUnread: String?
    /// A Kubernetes agent's `--job-template` or an ECS agent's `--task-definition`, as
    /// written: the template of the runs whose run config gives none.
    public var templatePath: String?
    /// An ECS agent's `--run-task-kwargs` file: its `flow` container overrides may set env
    /// (not read).
    public var runTaskKwargs: String?
    /// Why the command starts no agent (`AgentCommand/refusal`): Prefect 1.4.1's command
    /// line refuses it, it only prints the usage, or the agent raises at start. Such an agent
    /// runs no flow.
    public var startRefusal: String?
    /// For an agent a Dockerfile's `CMD`/`ENTRYPOINT` starts: the build stage whose image runs it.
    public var imageStage: ImageStage?
    /// Started inside a container its script runs (`docker run … image prefect agent …`): it
    /// reads the image's home, not the machine's `~/.prefect`.
    public var runsInContainer = false

    public init(
        type: AgentType, name: String? = nil, labels: [String] = [], span: ByteSpan,
        flowRunEnv: [EnvAssignment] = [], processEnv: [EnvAssignment] = [], backend: String? = nil,
        isInstallManifest: Bool = false
    ) {
        self.type = type
        self.name = name
        self.labels = labels
        self.span = span
        self.flowRunEnv = flowRunEnv
        self.processEnv = processEnv
        self.backend = backend
        self.isInstallManifest = isInstallManifest
    }
}

extension Agent {
    /// `scheme://user:password@host/path?query#fragment` as `scheme://host/path`: user info,
    /// query and fragment can all carry credentials (`?code=…`), and reports print the URL.
    static func withoutUserInfo(_ url: String) -> String {
        var url = url
        if let userInfo = URLUserInfo.range(in: url) {
            url = String(url[..<userInfo.lowerBound] + url[url.index(after: userInfo.upperBound)...])
        }
        if let cut = url.firstIndex(where: { $0 == "?" || $0 == "#" }) { url = String(url[..<cut]) }
        return url
    }
}

/// The `user:password` part of a URL, found so that no part of a password can be left over:
/// it runs from the scheme's `://` (or the start, for `user:password@host`) to the URL's
/// last `@`, so a password with `/`, `?`, `#` or `@` in it is taken whole.
public enum URLUserInfo {
    /// The range of the user info, without the `@` after it (at `upperBound`); nil without one.
    public static func range(in url: String) -> Range<String.Index>? {
        let start = url.firstRange(of: "://")?.upperBound ?? url.startIndex
        guard let at = url[start...].lastIndex(of: "@") else { return nil }
        return start..<at
    }
}

/// What a container has at `~/.prefect/config.toml`, as its compose service mounts it.
public enum UserConfigMount: Sendable, Hashable {
    /// The source of a bind mount `source:target` that puts `~/.prefect/<name>` (any home:
    /// the file itself, or a folder mounted as `~/.prefect`), as written; nil for another mount.
    public static func prefectFile(_ name: String, source: String, target written: String) -> String? {
        let target = written.hasSuffix("/") ? String(written.dropLast()) : written
        if target.hasSuffix("/.prefect/" + name) { return source }
        if target.hasSuffix("/.prefect") { return (source.hasSuffix("/") ? source : source + "/") + name }
        return nil
    }

    /// Nothing: the image's own home, with no config file the project shows.
    case nothing
    /// A project file (`./config.toml:/root/.prefect/config.toml`), relative to the compose file's folder.
    case projectFile(String)
    /// The host user's `~/.prefect`: the machine's config, for which the project's stands.
    case hostHome
}

/// What a shell keeps of an assignment in a file it sources (`. ./agent.env`).
public enum SourcedPersistence: Sendable, Hashable {
    /// Nothing: a command prefix, an `--env` or `-e` value, an unexported variable's JSON entry.
    case none
    /// A shell variable, in the environment of later commands only under `set -a`.
    case variable
    /// An exported variable (`export K=V`, a dotenv `K=V` whose name the file exports).
    case exported
}

/// A file an agent's start script sources (`source FILE`, `. FILE`) before starting it.
public struct SourcedEnvFile: Sendable, Hashable {
    /// The file name as written.
    public var name: String
    /// `set -a` was on: every variable the file assigns reaches the agent's process, not
    /// only those the file exports.
    public var allExport: Bool
    /// Where the script sources it: its variables override those the script sets before.
    public var position: Int
    /// A Makefile's `include`: make reads the file as make syntax (quotes stay in values).
    public var readByMake = false

    public init(name: String, allExport: Bool, position: Int = 0, readByMake: Bool = false) {
        self.name = name
        self.allExport = allExport
        self.position = position
        self.readByMake = readByMake
    }

    /// Whether a sourced file the project does not hold may set what an agent lacks: an env
    /// file (`agent.env`, `.env.prod`), or one whose name or folder says it holds settings or
    /// secrets (`~/.prefect-agent`, `/etc/default/etl-env`, `/vault/secrets/config`).
    /// Scripts source much else (`venv/bin/activate`, `~/.bashrc`, `lib/functions.sh`): such
    /// a file is not named as a possible provider.
    public static func mayHoldEnvironment(_ name: String) -> Bool {
        if FileKind.classify(path: name, prefix: []) == .dotenv { return true }
        let path = name.lowercased()
        let file = path.split(separator: "/").last.map(String.init) ?? path
        if ["venv", "virtualenv", "pyenv", "conda", "activate", "bashrc", "profile", "zshrc"].contains(where: file.contains) { return false }
        return ["secret", "credential", "prefect", "vault/", "token"].contains(where: path.contains) || file.contains("env")
    }
}

/// Labels written in code: the literal ones, and those the tool cannot read, named by what
/// they come from.
public struct WrittenLabels: Sendable, Hashable {
    public var known: [String] = []
    public var unknown: [String] = []
    /// ``unknown`` stands for a whole list that may be empty.
    public var unknownMayBeNone = false

    public init(known: [String] = [], unknown: [String] = [], unknownMayBeNone: Bool = false) {
        self.known = known
        self.unknown = unknown
        self.unknownMayBeNone = unknownMayBeNone
    }
}

/// A flow name the tool cannot read, as messages show it.
public enum ComputedFlowName: Sendable, Hashable {
    /// The form of an f-string or a joined name (`etl-{…}`, ``SecretNamePattern``).
    case form(String)
    /// The leading name of the expression that gives it (`FLOW_NAME`, `get_name(…)`); never
    /// the expression's string literals.
    case expression(String)
}

/// A flow defined in code.
public struct Flow: Sendable, Hashable {
    public var name: String?
    /// What the name argument shows of a name that is not a literal.
    public var computedName: ComputedFlowName?
    public var span: ByteSpan
    /// Made by a class that the module imports as `Flow` from a module other than Prefect's
    /// (`from pipelines.utils.decorators import Flow`): a flow only where the project's module
    /// defines that class as a subclass of Prefect's (``PythonFacts/flowSubclasses``), which
    /// the model checks.
    public var madeByImportedClass: ImportedName?
    public var labels: [String]
    /// Run config labels the tool cannot read (`labels=[ENV]`, `labels=get_labels()`), named
    /// by their leading name: the runs have some labels besides ``labels``.
    public var unknownLabels: [String] = []
    /// ``unknownLabels`` stand for a whole list that may be empty (`labels=get_labels()`).
    public var unknownLabelsMayBeNone = false
    /// Run config labels given whole by a name another module binds (`labels=AGENT_LABELS`
    /// after `from flows.config import AGENT_LABELS`): the scan reads that module's list
    /// (``ImportedSecretNames``) and puts it in place of the unknown labels.
    public var labelsImport: ImportedName?
    /// The storage is built by code the tool cannot read (`storage=common.storage("x")`), named
    /// as ``unknownLabels`` are: whether it is Local, which adds the hostname label, is unknown.
    public var storageIsUnknown: String?
    public var runConfigType: String?
    /// The run config is built by code the tool cannot read (`run_config=make_run_config()`),
    /// named as ``unknownLabels`` are.
    public var runConfigIsUnknown: String?
    public var runConfigEnv: [EnvAssignment]
    public var storageType: String?
    /// `Docker(env_vars={…})`: `ENV` lines of the image the flow's runs start from (facts
    /// §7.1), below everything the agent and the run config set.
    public var storageImageEnv: [EnvAssignment] = []
    /// The run config's `image=` when written as a literal: the image the run's container
    /// starts from, before the storage's (agents' `get_flow_image`).
    public var runConfigImage: String?
    /// `Docker(base_image=…)` when written as a literal: the image the storage's image is
    /// built `FROM`, whose `ENV` the run's container has below the storage's own.
    public var storageBaseImage: String?
    /// `Docker(dockerfile=…)` when written as a literal: the Dockerfile whose text starts the
    /// storage's image instead of `FROM base_image` (storage/docker.py), as written.
    public var storageDockerfile: String?
    /// The path Docker storage's image gives PREFECT__USER_CONFIG_PATH
    /// (`/opt/prefect/config.toml` unless `prefect_directory` or `env_vars` say otherwise);
    /// nil when the code computes it.
    public var storageImageConfigPath: String?
    /// The file `Docker(files={…})` copies to ``storageImageConfigPath``, as its key writes it
    /// (`os.path.abspath("prefect-config.toml")`; a relative key makes the storage refuse to
    /// build): the runs' Prefect reads it as their user config.
    public var storageUserConfigFile: String?
    /// The run config's `image=` is code the tool cannot read (`os.environ["IMAGE"]`).
    public var runConfigImageIsComputed = false
    /// Docker storage's `base_image=` or `dockerfile=` is code the tool cannot read.
    public var storageImageIsComputed = false
    /// `ECSRun(run_task_kwargs={"overrides": {"containerOverrides": [{"name": "flow",
    /// "environment": […]}]}})`: the ECS agent keeps those entries whose names it and the run
    /// config do not set (agent/ecs/agent.py `get_run_task_kwargs`).
    public var runTaskOverrideEnv: [EnvAssignment] = []
    /// `run_task_kwargs` the tool cannot read whole (built by code, `{**BASE}`): they may set
    /// the run's env.
    public var runTaskKwargsIsUnknown = false
    /// The run config's `env=` holds what the tool cannot read (`{**base_env(), …}`, a computed
    /// key): it may set more than ``runConfigEnv``.
    public var runConfigEnvIsUnknown = false
    /// `KubernetesRun(job_template_path=…)` or `ECSRun(task_definition_path=…)`, as written.
    public var templatePath: String?
    /// The run config gives a template whose env is not read: inline (`job_template`,
    /// `task_definition`) but not settled by the module, registered (`task_definition_arn`),
    /// or a path that is not a literal.
    public var templateIsUnknown = false
    /// The template the run config gives inline (`KubernetesRun(job_template=…)`,
    /// `ECSRun(task_definition=…)`) as a YAML string or a dict the module settles, read as a
    /// template file would be; its spans are in the run config's file.
    public var inlineTemplate: RunTemplate?
    /// The flow is given run configs of different types (`flow.run_config = …` after
    /// `Flow(run_config=…)`, maybe under a condition): which one a run has is not known.
    public var runConfigIsAmbiguous = false
    /// The same for storage: ``storageType`` is the registered one, maybe not the one runs have.
    public var storageIsAmbiguous = false
    /// The run config comes only from the script's `if __name__ == "__main__":` block
    /// (``PythonMainGuard``): a `prefect register` of the file registers the flow without it.
    public var runConfigOnlyInMainBlock = false
    /// The same for the storage.
    public var storageOnlyInMainBlock = false
    /// The run config is set only after every `flow.register(…)` of the module (at module
    /// level): the flow those calls register has none. `prefect register`, which runs the
    /// module with those calls doing nothing (`loading_flow`), registers it with the run config.
    public var runConfigSetAfterRegister = false
    /// The same for the storage.
    public var storageSetAfterRegister = false
    /// `ECSRun(task_definition_arn="…")`: a string literal, which an ECS agent uses (`os.getenv`
    /// may give None, which it does not).
    public var hasTaskDefinitionARN = false
    /// `ECSRun(task_definition=…)` given a string: ECSRun keeps it as written (only
    /// KubernetesRun loads YAML text), and the ECS agent fails on it.
    public var taskDefinitionIsText = false
    /// The storage's `labels=`, which registration adds to the run's labels.
    public var storageLabels = WrittenLabels()
    /// The storage's `add_default_labels`: false drops Local storage's hostname label; nil
    /// when it is not a literal.
    public var storageAddsDefaultLabel: Bool? = true
    /// `flow.register(labels=…)`: registration adds them to the run's labels.
    public var registerLabels = WrittenLabels()
    /// The code calls `flow.register(…)` (with or without labels).
    public var isRegisteredInCode = false
    /// The code calls `Client().register(flow, …)`, which registers the run config's labels
    /// alone: no storage labels, no hostname label.
    public var isRegisteredByClient = false
    /// The module runs the flow in its own process whenever it is loaded: `flow.run()` in a
    /// statement of its own at module level, outside every block (not the usual `if __name__
    /// == "__main__":`, which `prefect register` does not run).
    public var runsWhenLoaded = false
    /// The run config is a name imported from another module (`run_config=RUN_CONFIG` after
    /// `from flow_config import RUN_CONFIG`): the model reads it where that module binds it.
    public var importedRunConfig: ImportedName?
    /// The same for the storage.
    public var importedStorage: ImportedName?

    public init(
        name: String?, span: ByteSpan, labels: [String] = [], runConfigType: String? = nil,
        runConfigEnv: [EnvAssignment] = [], storageType: String? = nil
    ) {
        self.name = name
        self.span = span
        self.labels = labels
        self.runConfigType = runConfigType
        self.runConfigEnv = runConfigEnv
        self.storageType = storageType
    }
}

extension Flow {
    /// Takes the run config `other` was given, in place of this flow's: what a flow gets
    /// from a run config another module binds to the name it imports
    /// (``PythonFacts/moduleComponents``).
    public mutating func takeRunConfig(of other: Flow) {
        runConfigType = other.runConfigType
        runConfigIsUnknown = other.runConfigIsUnknown
        importedRunConfig = nil
        labels = other.labels
        unknownLabels = other.unknownLabels
        unknownLabelsMayBeNone = other.unknownLabelsMayBeNone
        // Named by the other module's imports, not this one's.
        labelsImport = nil
        runConfigEnv = other.runConfigEnv
        runConfigEnvIsUnknown = other.runConfigEnvIsUnknown
        runConfigImage = other.runConfigImage
        runConfigImageIsComputed = other.runConfigImageIsComputed
        templatePath = other.templatePath
        templateIsUnknown = other.templateIsUnknown
        inlineTemplate = other.inlineTemplate
        hasTaskDefinitionARN = other.hasTaskDefinitionARN
        taskDefinitionIsText = other.taskDefinitionIsText
        runTaskOverrideEnv = other.runTaskOverrideEnv
        runTaskKwargsIsUnknown = other.runTaskKwargsIsUnknown
    }

    /// Drops the run config, the storage or both: what a registration that does not see them
    /// registers (default Local storage, no run config).
    public mutating func dropConfiguration(runConfig: Bool, storage: Bool) {
        let unconfigured = Flow(name: name, span: span)
        if runConfig {
            takeRunConfig(of: unconfigured)
            runConfigIsAmbiguous = false
        }
        if storage {
            takeStorage(of: unconfigured)
            storageIsAmbiguous = false
        }
    }

    /// Takes the storage `other` was given, in place of this flow's, as ``takeRunConfig(of:)``.
    public mutating func takeStorage(of other: Flow) {
        storageType = other.storageType
        storageIsUnknown = other.storageIsUnknown
        importedStorage = nil
        storageImageEnv = other.storageImageEnv
        storageBaseImage = other.storageBaseImage
        storageDockerfile = other.storageDockerfile
        storageImageConfigPath = other.storageImageConfigPath
        storageUserConfigFile = other.storageUserConfigFile
        storageImageIsComputed = other.storageImageIsComputed
        storageLabels = other.storageLabels
        storageAddsDefaultLabel = other.storageAddsDefaultLabel
    }
}

/// How a backend was chosen.
public enum BackendSettingKind: String, Sendable, Hashable, Codable {
    /// `backend = "..."` in a Prefect config file (config.toml, backend.toml).
    case configFile
    /// `prefect backend server|cloud` (writes ~/.prefect/backend.toml).
    case backendCommand
    /// `prefect agent kubernetes install -b/--backend ...`.
    case installFlag
}

/// A backend chosen in a config file, by `prefect backend`, or by an install flag.
/// `PREFECT__BACKEND=...` is not repeated here: rules read it from ``FileFacts/envAssignments``.
public struct BackendSetting: Sendable, Hashable {
    public var value: String
    /// The value's span.
    public var span: ByteSpan
    public var kind: BackendSettingKind
    /// The agent it applies to, when it is part of an agent's definition.
    public var agentIndex: Int?

    public init(value: String, span: ByteSpan, kind: BackendSettingKind = .configFile, agentIndex: Int? = nil) {
        self.value = value
        self.span = span
        self.kind = kind
        self.agentIndex = agentIndex
    }

    /// False for a `prefect backend X` whose X is not exactly `cloud` or `server`: Prefect
    /// prints that it is not a valid backend and writes nothing (PS305 reports it).
    public var takesEffect: Bool { kind != .backendCommand || value == "cloud" || value == "server" }
}

/// A Prefect credential given on a command line: `--key`/`-k` or `--token`/`-t` of
/// `prefect agent ... start|install` and `prefect auth login` (PS105).
public struct CredentialFlag: Sendable, Hashable {
    /// The flag as written (`--key`, `-k`, `--token`, ...).
    public var flag: String
    public var valueSpan: ByteSpan
    public var origin: ValueOrigin
    public var agentIndex: Int?
    /// Given to `prefect auth login`, which exits with an error under backend server.
    public var isAuthLogin: Bool
    /// In a Dockerfile `RUN`: the login writes the key into the image's `~/.prefect`, and a
    /// build argument the command uses stays in the image's history.
    public var isInImageBuild = false

    public init(flag: String, valueSpan: ByteSpan, origin: ValueOrigin, agentIndex: Int? = nil, isAuthLogin: Bool = false) {
        self.flag = flag
        self.valueSpan = valueSpan
        self.origin = origin
        self.agentIndex = agentIndex
        self.isAuthLogin = isAuthLogin
    }
}

/// A use of Prefect Cloud's secret API (`set_secret`, `delete_secret`, GraphQL `secret_value`...).
public struct CloudSecretAPIUse: Sendable, Hashable {
    public var operation: String
    public var span: ByteSpan
    /// The file's `Client` names the server it talks to (`api_server=` Prefect Cloud's, or
    /// one not written out): the project's backend does not decide where the call goes.
    public var serverChosenByClient = false
    /// A `set_secret` whose name the tool cannot read (`client.set_secret(name=n, value=v)` in
    /// a loop that uploads a config's secrets): Cloud may hold any name.
    public var nameIsUnread = false
    public init(operation: String, span: ByteSpan) {
        self.operation = operation
        self.span = span
    }
}

/// What an analyzer learned from one file. Every field is optional knowledge: an analyzer
/// fills what its file kind can say.
///
/// `envAssignments` lists every env assignment of the file, including those that also appear
/// in an ``Agent`` (`flowRunEnv`, `processEnv`) or a ``Flow`` (`runConfigEnv`), so that the env
/// rules (PS104, PS208, PS403, PS404, PS406-PS409) see each exactly once.
public struct FileFacts: Sendable {
    public var secretReferences: [SecretReference] = []
    public var provisions: [SecretProvision] = []
    public var envAssignments: [EnvAssignment] = []
    public var agents: [Agent] = []
    public var flows: [Flow] = []
    public var backendSettings: [BackendSetting] = []
    public var cloudAPIUses: [CloudSecretAPIUse] = []
    /// The `secrets` keys of flow-run contexts the file gives (`prefect run --context
    /// secrets=…`, `create_flow_run(context={"secrets": …})`, StartFlowRun's
    /// `new_flow_context`): applied over the run's context, they replace its every secret (PS408).
    public var runContextSecrets: [ByteSpan] = []
    /// The values written in those secrets (hidden wherever they are printed).
    public var runContextSecretValues: [ByteSpan] = []
    /// Set when the file is a Prefect config file (config.toml, backend.toml, auth.toml).
    public var configRole: PrefectConfigRole?
    /// Leaf keys of a Prefect config file, outside `context.secrets`.
    public var configEntries: [ConfigEntry] = []
    /// The whole parsed tree of a Prefect config file, as `toml.load` gives it to Prefect.
    public var configTree: ConfigValue?
    /// Credentials passed as command-line flags.
    public var credentialFlags: [CredentialFlag] = []
    /// Values that may be credentials though nothing names them so: the value of an option an
    /// agent command does not have (`--auth-token X`). Reports hide them.
    public var unnamedValueSpans: [ByteSpan] = []
    /// Literals that reach a secret through a shell variable of the same file (`PW="…"`, then
    /// `--env PREFECT__CONTEXT__SECRETS__DB="$PW"`): a value written out all the same.
    public var secretLiteralsThroughVariables: [SecretVariableLiteral] = []
    /// Python-only facts (secret reads and their place, literals in secret positions).
    public var python: PythonFacts?
    /// Set when the file is one document a flow run can take as its template: a Kubernetes
    /// `kind: Job` (job template) or an ECS task definition.
    public var runTemplate: RunTemplate?
    /// docker-compose services that build a Dockerfile, `docker build -t` commands.
    public var imageBuilds: [ImageBuild] = []
    /// Containers that run an image by its name with its own command.
    public var imageRuns: [ImageRun] = []
    /// Each stage's image env (Dockerfiles that a compose file builds may need it).
    public var imageStageEnvs: [ImageStageEnv] = []
    /// The ConfigMaps and Secrets the file defines, for `envFrom` entries in other files.
    public var kubernetesEnvSources: [KubernetesEnvSource] = []
    /// Programs a launcher runs: compose services' commands, Dockerfile stages' commands,
    /// systemd units' `ExecStart=`, supervisord programs' `command=`.
    public var launchedPrograms: [LaunchedProgram] = []
    /// Other scripts a shell script runs (`exec /opt/etl/deploy/start-agent.sh`), with the
    /// env it passes them: a launcher that runs this script runs theirs too.
    public var scriptRuns: [ScriptRun] = []
    /// `prefect register` commands (scripts, CI jobs).
    public var registrations: [Registration] = []
    /// The file runs `envsubst`, which fills `$NAME` and `${NAME}` into a text before another
    /// tool reads it (`envsubst < deploy/agent.yaml | kubectl apply -f -`): a `$` in the
    /// project's manifests may be filled in before Kubernetes reads them.
    public var fillsEnvIntoText = false
    /// For a dotenv file: the first line `docker run --env-file` refuses, and why
    /// (``DockerEnvFile/refusal(in:)``); a container started with the file does not start.
    public var dockerEnvFileRefusal: (line: Int, reason: String)?

    public init() {}

    public var isEmpty: Bool {
        secretReferences.isEmpty && provisions.isEmpty && envAssignments.isEmpty && agents.isEmpty
            && flows.isEmpty && backendSettings.isEmpty && cloudAPIUses.isEmpty && runContextSecrets.isEmpty && configRole == nil
            && configEntries.isEmpty && credentialFlags.isEmpty && python == nil && runTemplate == nil
            && imageBuilds.isEmpty && imageRuns.isEmpty && imageStageEnvs.isEmpty && launchedPrograms.isEmpty && scriptRuns.isEmpty && registrations.isEmpty
            && unnamedValueSpans.isEmpty && secretLiteralsThroughVariables.isEmpty && !fillsEnvIntoText && dockerEnvFileRefusal == nil
            && kubernetesEnvSources.isEmpty
    }
}

/// A literal (or a reference with a default) assigned to a shell variable that a secret's env
/// value takes (`PW="…"` for `PREFECT__CONTEXT__SECRETS__DB="$PW"`).
public struct SecretVariableLiteral: Sendable, Hashable {
    /// The secret the variable's value goes to (`DB`).
    public var secret: String
    /// The keys below the secret the value sets (`PREFECT__CONTEXT__SECRETS__DB__PASSWORD`).
    public var nested: [String]
    /// The variable (`PW`).
    public var variable: String
    /// The literal's text, unquoted, and where it is written.
    public var value: String
    public var valueSpan: ByteSpan
    public var context: EnvContext
    /// Whether the secret's value is the variable alone (`"$PW"`), not a part of it
    /// (`"postgres://etl:$PW@$HOST/db"`, where `$HOST` is no secret).
    public var isWholeValue: Bool
    /// False for a value with references (`"${PW:-…}"`): `value` is then its source text,
    /// whose defaults may still be written out.
    public var isLiteral: Bool

    public init(
        secret: String, nested: [String] = [], variable: String, value: String, valueSpan: ByteSpan, context: EnvContext, isWholeValue: Bool,
        isLiteral: Bool = true
    ) {
        self.secret = secret
        self.nested = nested
        self.variable = variable
        self.value = value
        self.valueSpan = valueSpan
        self.context = context
        self.isWholeValue = isWholeValue
        self.isLiteral = isLiteral
    }
}

/// `prefect register --project P -p flows/ -l prod`: the flows it registers get its labels.
public struct Registration: Sendable {
    /// `--path` values (files, folders, globs), as written.
    public var paths: [String]
    /// `--module` values, as written.
    public var modules: [String]
    /// `--name` values: only flows of these names; empty for all.
    public var names: [String]
    public var labels: WrittenLabels
    /// A path, module or name the tool cannot read: which flows it registers is not known.
    public var targetsAreUnknown: Bool
    public var span: ByteSpan
    /// Where the command runs, relative to the project's root, when a `cd DIR` before it or a
    /// CI step's `working-directory` says so.
    public var workingDirectory: String?

    public init(paths: [String], modules: [String], names: [String], labels: WrittenLabels, targetsAreUnknown: Bool, span: ByteSpan) {
        self.paths = paths
        self.modules = modules
        self.names = names
        self.labels = labels
        self.targetsAreUnknown = targetsAreUnknown
        self.span = span
    }
}

/// The Dockerfile build stages whose images start an agent (or run a program).
public struct ImageStage: Sendable, Hashable {
    /// The `AS` names (lowercased; nil for an unnamed stage) of the stages whose image runs
    /// it: its own, and those built from it that add no `ENTRYPOINT`, `CMD` or `ENV`.
    public var names: [String?]
    /// The file's last stage runs it: what a build without a target gives.
    public var isLast: Bool
    /// A stage that no other is built from runs it: an image meant to run, not only a base.
    public var isLeaf: Bool

    public init(names: [String?], isLast: Bool, isLeaf: Bool) {
        self.names = names
        self.isLast = isLast
        self.isLeaf = isLeaf
    }

    /// Whether a build with `target` (a stage name; nil for the last) gives an image that runs it.
    public func isBuilt(target: String?) -> Bool {
        target.map { names.contains($0) } ?? isLast
    }
}

/// What starts a program with an environment of its own — a docker-compose service, a
/// systemd unit, a supervisord program — as far as the agents it runs are concerned: its
/// name, its env and where it is.
public struct Launcher: Sendable {
    /// The kinds of launcher, which order their env differently.
    public enum Kind: String, Sendable {
        /// `env_file` first, then `environment`.
        case composeService = "compose service"
        /// `Environment=` first, then `EnvironmentFile=`, which overrides it.
        case systemdUnit = "systemd unit"
        /// supervisord's own env, then the program's `environment=` (and `[supervisord]`'s).
        case supervisordProgram = "supervisord program"
        /// foreman's, honcho's or `heroku local`'s: the `.env` beside the Procfile, then the
        /// line's own assignments.
        case procfileProcess = "Procfile process"
        /// A container of a Kubernetes workload whose `command`/`args` run a script: its
        /// `envFrom`, then its `env`.
        case kubernetesContainer = "Kubernetes container"
        /// A container of an ECS task definition whose `entryPoint`/`command` run a script:
        /// its `environment`, then its `secrets`.
        case ecsContainer = "ECS container"
        /// An Ansible task whose command runs a script on the managed host: its play's, its
        /// blocks' and its own `environment`.
        case ansibleTask = "Ansible task"
        /// `docker run IMAGE` that runs an image the project builds: its `--env-file`s, then
        /// its `-e`, which override them.
        case dockerContainer = "docker container"

        /// A compose service, `docker run` or a Kubernetes or ECS container runs what it
        /// launches in a container; a unit, supervisord, a Procfile runner or an Ansible task,
        /// on a machine.
        public var startsContainer: Bool { self == .composeService || self == .kubernetesContainer || self == .ecsContainer || self == .dockerContainer }
        /// Its relative env file paths start at its file's folder (compose's `env_file`), not
        /// at a working directory the project does not show (`docker run --env-file` in a
        /// script, which is looked up there and at the project's root).
        public var envFilesAreRelativeToItsFile: Bool { self != .dockerContainer }
        /// Its env files come before its own env (compose's `env_file`, a Procfile's `.env`),
        /// not after (systemd's `EnvironmentFile=` overrides `Environment=`).
        public var readsEnvFilesFirst: Bool { self != .systemdUnit && self != .supervisordProgram }
        /// Its env files are read as written (`docker run --env-file`), not as dotenv files.
        public var readsEnvFilesAsWritten: Bool { self == .dockerContainer }
    }

    public var kind: Kind
    /// The service's or supervisord program's name; the unit's file name.
    public var name: String
    /// The service's `environment`, the unit's `Environment=`, the program's `environment=`,
    /// in order (also in ``FileFacts/envAssignments``).
    public var env: [EnvAssignment]
    /// The service's `env_file` entries, the unit's `EnvironmentFile=`, as written.
    public var envFiles: [String]
    /// The service's `build` key, or the `command`/`entrypoint` (the unit's `ExecStart=`, the
    /// program's `command=`) that runs a script.
    public var span: ByteSpan
    /// What else sets its env that the project does not show, described (a Kubernetes
    /// container's `envFrom` of a Secret defined elsewhere).
    public var unseenEnvSources: [String] = []
    /// A Kubernetes container's `envFrom` entries whose ConfigMap or Secret is not in its file.
    public var kubernetesEnvFrom: [KubernetesEnvFrom] = []
    /// A Kubernetes container's `secretKeyRef` and `configMapKeyRef` entries.
    public var kubernetesKeyRefs: [KubernetesKeyRef] = []

    public init(kind: Kind = .composeService, name: String, env: [EnvAssignment], envFiles: [String], span: ByteSpan) {
        self.kind = kind
        self.name = name
        self.env = env
        self.envFiles = envFiles
        self.span = span
    }
}

/// A Dockerfile built into an image: by a docker-compose service (`build:`), or by `docker
/// build -t NAME` in a script, a Makefile or a CI step. When a compose service runs the
/// image's own command, the agent that command starts, or the agents of the project script it
/// runs, get the service's env; when its `command`/`entrypoint` replaces it, the agents that
/// starts get the image's `ENV`. A container elsewhere that runs the image by its name
/// (``ImageRun``) runs its command as such a service does.
public struct ImageBuild: Sendable {
    /// The compose service; nil for `docker build`, which runs nothing.
    public var service: Launcher?
    /// The build context, relative to the compose file's folder (to where `docker build`
    /// runs: the script's folder or the project's root).
    public var context: String
    /// The Dockerfile, relative to the same folder: the build context joined with
    /// `dockerfile` (default `Dockerfile`); `docker build -f FILE` as written.
    public var dockerfile: String
    /// `target`: the stage built, lowercased; nil for the last.
    public var target: String?
    /// False when the service's `command` or `entrypoint` replaces what the image runs.
    public var runsImageCommand: Bool
    /// The service's `image`, `docker build -t`: the name the built image is tagged with.
    public var imageName: String?
    /// Where it is built: the service's `build` key, the `docker build` command, the CI step.
    public var span: ByteSpan

    public init(
        service: Launcher?, context: String, dockerfile: String, target: String?, runsImageCommand: Bool = true, imageName: String? = nil,
        span: ByteSpan
    ) {
        self.service = service
        self.span = span
        self.context = context
        self.dockerfile = dockerfile
        self.target = target
        self.runsImageCommand = runsImageCommand
        self.imageName = imageName
    }
}

/// A container that runs an image by its name with the image's own command: a Kubernetes or
/// ECS container without `command` and `args`, a compose service with `image:` only,
/// `docker run IMAGE` with no command after it. When the project builds that image
/// (``ImageBuild/imageName``), the agent its Dockerfile starts runs there with the
/// launcher's env.
public struct ImageRun: Sendable {
    /// The image as written (`registry.example.com/etl/agent:1.4`).
    public var image: String
    public var launcher: Launcher

    public init(image: String, launcher: Launcher) {
        self.image = image
        self.launcher = launcher
    }
}

/// A Dockerfile a compose service builds, and the stage it builds (nil for the last).
public struct BuiltImage: Sendable, Hashable {
    public var dockerfile: String
    public var target: String?

    public init(dockerfile: String, target: String?) {
        self.dockerfile = dockerfile
        self.target = target
    }
}

/// A Dockerfile stage's image env: its `ENV` and that of the stages it is built from, for
/// whatever a compose service runs in the image instead of its command.
public struct ImageStageEnv: Sendable {
    public var stage: ImageStage
    public var env: [EnvAssignment]

    public init(stage: ImageStage, env: [EnvAssignment]) {
        self.stage = stage
        self.env = env
    }
}

/// A script a shell script runs (`exec /opt/etl/deploy/start-agent.sh`, `bash start.sh`,
/// `python -u agent.py`), as written, with what the running script exports before it and the
/// command's own prefixes (`A=1 ./start.sh`): the script's environment on top of the one its
/// own launcher gives.
public struct ScriptRun: Sendable {
    /// The program as written, or ``arguments``.
    public var program: String
    /// The program of `exec "$@"`: what the script is given to run (an `ENTRYPOINT` script's
    /// `CMD`).
    public static let arguments = "\"$@\""
    public var span: ByteSpan
    public var env: [EnvAssignment]
    /// Env files the running script sources before (`set -a; . /opt/etl/deploy/agent.env`):
    /// what they export (all they assign under `set -a`) stands where they are sourced.
    public var sourcedFiles: [SourcedEnvFile]

    public init(program: String, span: ByteSpan, env: [EnvAssignment], sourcedFiles: [SourcedEnvFile] = []) {
        self.program = program
        self.span = span
        self.env = env
        self.sourcedFiles = sourcedFiles
    }
}

/// A program a container or a service manager runs, as written (`/start_agent.sh`): a
/// docker-compose service's `command`/`entrypoint`, a Dockerfile stage's
/// `ENTRYPOINT`/`CMD`, a systemd unit's `ExecStart=`, a supervisord program's `command=`.
/// When it is a project script, the agents the script starts run there, with that environment.
public struct LaunchedProgram: Sendable {
    public var program: String
    /// The compose service, systemd unit or supervisord program that runs it.
    public var launcher: Launcher?
    /// The stage whose image runs it (Dockerfiles).
    public var stage: ImageStage?
    /// The `ENV` of that stage and the stages it is built from (Dockerfiles): the program's
    /// environment before what the container adds.
    public var imageEnv: [EnvAssignment]
    /// Where in the build context the program may come from, by the stages' `COPY`/`ADD`
    /// (Dockerfiles), latest first.
    public var contextPaths: [String]
    /// A `COPY`/`ADD` writes the program (Dockerfiles): it is the file ``contextPaths`` names
    /// or one from elsewhere, never a project file found by its name.
    public var isCopied = false
    /// The stage's `ENTRYPOINT` (Dockerfiles), which runs the stage's `CMD` as its arguments.
    public var isEntrypoint = false

    public init(program: String, launcher: Launcher? = nil, stage: ImageStage? = nil, imageEnv: [EnvAssignment] = [], contextPaths: [String] = []) {
        self.program = program
        self.launcher = launcher
        self.stage = stage
        self.imageEnv = imageEnv
        self.contextPaths = contextPaths
    }
}

/// A ConfigMap or Secret a Kubernetes manifest defines: the variables a container's
/// `envFrom` entry that names it brings in, without a prefix (a Secret's `data` values are
/// base64, so they are known to be set, not what they are).
public struct KubernetesEnvSource: Sendable {
    /// `ConfigMap` or `Secret`.
    public var kind: String
    public var name: String
    /// Its keys as variables, spans in the defining file.
    public var env: [EnvAssignment]
    /// The env files a kustomize generator (`envs:`) or `kubectl create --from-env-file`
    /// reads before its literals: their lines are keys, values as written.
    public var envFiles: [String] = []
    /// ``envFiles`` are relative to the defining file's folder (a kustomization), not to
    /// wherever a command runs (found as other files' env files are).
    public var envFilesAreRelativeToFile = false
    /// Made by a kustomize generator that adds a hash of its content to the name: the
    /// manifests kustomize builds name it so, a job template the agent reads does not.
    public var nameHasHashSuffix = false
    /// Some keys are not known (a `--from-literal "$KEY=…"`, an env file named by a variable).
    public var hasUnknownKeys = false

    public init(kind: String, name: String, env: [EnvAssignment]) {
        self.kind = kind
        self.name = name
        self.env = env
    }
}

/// A container's `envFrom` entry whose ConfigMap or Secret its file does not define. The model
/// takes the variables of the one the project defines under that kind and name; when none or
/// several do (other namespaces, overlays), it stays a source the tool does not read.
public struct KubernetesEnvFrom: Sendable, Hashable {
    /// `ConfigMap` or `Secret`.
    public var kind: String
    public var name: String
    /// The entry's `prefix`, put before each key.
    public var prefix: String

    public init(kind: String, name: String, prefix: String) {
        self.kind = kind
        self.name = name
        self.prefix = prefix
    }

    /// The entry for messages about what may set env unseen.
    public var description: String { "the \(kind) '\(name)' that its envFrom names" }
}

/// A container env entry's `valueFrom.secretKeyRef` or `configMapKeyRef`: the variable gets
/// the key's value; unless `optional`, Kubernetes does not start the container when the
/// object lacks the key.
public struct KubernetesKeyRef: Sendable, Hashable {
    /// The env variable it sets.
    public var variable: String
    /// `Secret` or `ConfigMap`, its name, and the key.
    public var kind: String
    public var name: String
    public var key: String
    /// Where the key is written.
    public var span: ByteSpan
    public var optional = false

    public init(variable: String, kind: String, name: String, key: String, span: ByteSpan) {
        self.variable = variable
        self.kind = kind
        self.name = name
        self.key = key
        self.span = span
    }
}

/// A file a Kubernetes or ECS agent can read as a flow run's template (facts §4.3).
public struct RunTemplate: Sendable, Hashable {
    /// The agent type that reads it: `.kubernetes` for a Job, `.ecs` for a task definition.
    public var agentType: AgentType
    /// The env of the container the flow runs in (the Job's first container, `envFrom` then
    /// `env`; the task definition's container `flow`, `environment` then `secrets`): the agent
    /// keeps it for the names it does not set itself. Each entry is also in
    /// ``FileFacts/envAssignments``.
    public var env: [EnvAssignment]
    /// What else sets that container's env and is not in the project (an `envFrom` of a
    /// Secret defined elsewhere, a task definition's `environmentFiles`), described.
    public var unseenSources: [String] = []
    /// The flow container's `envFrom` entries whose ConfigMap or Secret is not in the file:
    /// the model looks them up in the project.
    public var kubernetesEnvFrom: [KubernetesEnvFrom] = []
    /// The flow container's `secretKeyRef` and `configMapKeyRef` entries.
    public var keyRefs: [KubernetesKeyRef] = []
    /// The flow container's `image`: the run's image unless the run config or Docker storage
    /// names one (agents' `get_flow_image(…, default=…)`).
    public var image: String?

    public init(agentType: AgentType, env: [EnvAssignment], unseenSources: [String] = [], image: String? = nil) {
        self.agentType = agentType
        self.env = env
        self.unseenSources = unseenSources
        self.image = image
    }
}
