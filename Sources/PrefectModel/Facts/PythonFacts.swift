import Spans

/// Where a secret value is read in Python code, which decides whether it happens while the
/// flow is built (facts §1.2) or while it runs.
public enum PythonReadPlace: String, Sendable, Hashable, Codable {
    /// Lexically inside a `with Flow(...)` block: Prefect raises there.
    case flowBlock
    /// At module level (or in a class body) outside any `with Flow`: runs at registration.
    case moduleLevel
    /// Inside the body of a `@task` function.
    case taskFunction
    /// Inside the `run` method of a `Task` subclass.
    case taskRunMethod
    /// Inside the `run` method of a `SecretBase`/`PrefectSecret` subclass (a secret task itself).
    case secretTaskRunMethod
    /// Inside any other function body.
    case otherFunction
}

/// A call that reads a secret value: `Secret("X").get()`, `PrefectSecret("X").run()`,
/// `EnvVarSecret("X").run()`, `VaultSecret("p").run()`; or a component made where the flow is
/// built whose constructor reads a credential from the environment (`DbtCloudRunJob()`).
public struct PythonSecretRead: Sendable, Hashable {
    /// `Secret.get`, `PrefectSecret.run`, `EnvVarSecret.run` or `VaultSecret.run`; for a
    /// constructor, the component's class (``PrefectComponents/constructorEnvReads``), whose
    /// ``name`` is the environment variable it reads.
    public var api: String
    public var name: String?
    /// True when the name is a string literal written at the call.
    public var nameIsLiteral: Bool
    /// The whole call, `Secret("X").get()`.
    public var span: ByteSpan
    public var place: PythonReadPlace
    /// The enclosing function or method name; for a build-time read through a helper
    /// (`helper()` inside `with Flow`, where `helper` calls `Secret("X").get()`), the helper's name.
    public var functionName: String?

    public init(api: String, name: String?, nameIsLiteral: Bool, span: ByteSpan, place: PythonReadPlace, functionName: String? = nil) {
        self.api = api
        self.name = name
        self.nameIsLiteral = nameIsLiteral
        self.span = span
        self.place = place
        self.functionName = functionName
    }
}

/// A call of an imported function while a flow is built, or whenever the flow's module is
/// loaded (``PythonFacts/buildTimeImportedCalls``).
public struct BuildTimeImportedCall: Sendable, Hashable {
    public var imported: ImportedName
    /// The whole call.
    public var span: ByteSpan
    /// ``PythonReadPlace/flowBlock`` or ``PythonReadPlace/moduleLevel``.
    public var place: PythonReadPlace

    public init(imported: ImportedName, span: ByteSpan, place: PythonReadPlace = .flowBlock) {
        self.imported = imported
        self.span = span
        self.place = place
    }
}

/// How a literal reached a place that takes a secret (PS102).
public enum HardcodedSecretSite: String, Sendable, Hashable, Codable {
    case keywordArgument, variable, attribute, dictKey, parameterDefault
    /// The value of `Client().set_secret(name=…, value=…)`: a script that uploads a secret
    /// committed with it (the key is the secret's name).
    case setSecretValue
    /// `Client(api_key=…)` or `Client(api_token=…)` of Prefect's own client: a Prefect
    /// credential (PS105), which no PrefectSecret can provide.
    case prefectClientKey
    /// The fallback of `os.getenv("DB_PASSWORD", "…")` or `os.environ.get(…)`: the value
    /// whenever the variable is missing (the key is the variable's name).
    case environmentDefault
    /// A secret set in the run's context by code that runs flows in its own process
    /// (`prefect.context(secrets={"DB": …})`, `prefect.context.secrets["DB"] = …`); the key
    /// is the secret's name.
    case contextSecret
}

/// A string literal given where a secret value is expected: a `password=` argument, a
/// `DB_PASSWORD = "..."` assignment, a `{"api_key": "..."}` entry (PS102 candidates; the rule
/// applies the allowlist of non-secret values).
public struct HardcodedSecretLiteral: Sendable, Hashable {
    /// The keyword, variable, attribute or key that says "secret" (`password`, `DB_PASSWORD`).
    public var key: String
    public var site: HardcodedSecretSite
    /// The literal's value bytes (quotes excluded when it is one plain token).
    public var valueSpan: ByteSpan
    /// The decoded value (never printed; rules use it for the allowlist only).
    public var value: String
    public var isFString: Bool

    public init(key: String, site: HardcodedSecretSite, valueSpan: ByteSpan, value: String, isFString: Bool = false) {
        self.key = key
        self.site = site
        self.valueSpan = valueSpan
        self.value = value
        self.isFString = isFString
    }
}

/// Which serialized or baked flow setting holds a literal (PS106).
public enum FlowMetadataPlace: String, Sendable, Hashable, Codable {
    case parameterDefault, s3ClientOptions, webhookRequestKwargs, dockerEnvVars, templateFile, runConfigEnv
    /// A storage's secret-name argument (`GitHub(access_token_secret=…)`), stored with the flow.
    case storageSecretName
    /// The parameters of a flow run a flow creates (`create_flow_run(parameters=…)`): the
    /// backend stores them in plaintext and shows them in the UI. The read's `variable` is
    /// then the secret's name.
    case flowRunParameters
    /// A flow `Parameter` named for a secret's value without a default (`Parameter("password")`):
    /// the value every run is given is a plaintext flow-run parameter. The read's `variable`
    /// is the parameter's name.
    case secretParameter
}

/// A literal inside flow metadata that Prefect uploads or bakes (PS106 candidates other than
/// run config env, which is in ``FileFacts/envAssignments``).
public struct FlowMetadataLiteral: Sendable, Hashable {
    public var place: FlowMetadataPlace
    /// The parameter, option or header name (`aws_secret_access_key`, `Authorization`).
    public var key: String
    public var valueSpan: ByteSpan
    public var value: String

    public init(place: FlowMetadataPlace, key: String, valueSpan: ByteSpan, value: String) {
        self.place = place
        self.key = key
        self.valueSpan = valueSpan
        self.value = value
    }
}

/// A credential that flow metadata takes from the registering machine's environment
/// (`env={"API_KEY": os.environ["API_KEY"]}`, or through a module constant or an f-string):
/// registration uploads or bakes its value as plaintext (PS106).
public struct FlowMetadataEnvRead: Sendable, Hashable {
    public var place: FlowMetadataPlace
    /// The env var, parameter or option name the value is given under; empty when the whole
    /// environment is copied (`env=dict(os.environ)`).
    public var key: String
    /// The environment variable read, or what whole environment is copied.
    public var variable: String
    /// The value expression.
    public var span: ByteSpan
    /// Whether the key or the variable says it is a credential. A read whose names do not is
    /// one when the file's flows read the variable as a secret (`EnvVarSecret("X")`).
    public var namedAsSecret = true
    /// The value is a secret's, read with `Secret(variable).get()` where the flow is built
    /// (also through a module variable), not an environment variable's; `variable` is that
    /// secret's name, empty when it is computed.
    public var isSecretValue = false

    public init(place: FlowMetadataPlace, key: String, variable: String, span: ByteSpan) {
        self.place = place
        self.key = key
        self.variable = variable
        self.span = span
    }
}

/// What Python code says beyond the shared facts: secret reads with their place, literals in
/// secret positions and in flow metadata. Filled by the Python analyzer only.
public struct PythonFacts: Sendable {
    public var secretReads: [PythonSecretRead] = []
    /// The secret reads of module-level functions other than tasks, outside a flow-run guard
    /// (``PythonSecretRead/functionName`` names the function): a module that imports one and
    /// calls it while its flow is built reads the secret then (PS401 across modules).
    public var helperSecretReads: [PythonSecretRead] = []
    /// Calls of functions imported from other modules inside `with Flow(...)` or at module
    /// level (not under `if __name__ == "__main__":`), outside any function, in a module that
    /// builds a flow: they run while the flow is built, or whenever the module is loaded.
    public var buildTimeImportedCalls: [BuildTimeImportedCall] = []
    public var hardcodedLiterals: [HardcodedSecretLiteral] = []
    public var metadataLiterals: [FlowMetadataLiteral] = []
    public var metadataEnvReads: [FlowMetadataEnvRead] = []
    /// The command lines the module runs as programs (`os.system("prefect agent …")`, an
    /// argument list given to `subprocess`): what is written there is the CLI's flags.
    public var programCommandSpans: [ByteSpan] = []

    /// Whether `span` stands in a command line the module runs as a program.
    public func isInProgramCommand(_ span: ByteSpan) -> Bool {
        programCommandSpans.contains { $0.contains(span) }
    }
    /// True when the module builds a flow itself (`with Flow(...)` or `Flow(...)`); PS405
    /// applies to the other modules, which hold reusable components.
    public var buildsFlow: Bool = false
    /// True when the module's top level calls the API client (`client.create_flow_run(…)`,
    /// `Client().set_secret(…)`): a script a person runs, which no flow's module imports.
    public var callsClientAtModuleLevel = false
    /// Flows imported from other modules whose run config or storage this module sets
    /// (`from flows.etl import flow` then `flow.run_config = …`).
    public var configuredImports: [ImportedFlowConfiguration] = []
    /// Module-level functions that set the run config or storage of a flow they are given
    /// (`def prepare(flow): flow.run_config = …`).
    public var flowConfiguringFunctions: [String] = []
    /// The module loads flows from files (`extract_flow_from_file`) and sets their run config
    /// or storage, as register scripts do: any flow of the project may get its labels here.
    public var configuresLoadedFlows = false
    /// Module-level functions and classes whose bodies reference secrets (directly, or by
    /// calling such a function of this module defined before them): a flow in another module
    /// that imports one needs them.
    public var secretUsingDefinitions: [SecretUsingDefinition] = []
    /// In a module with flows: the names it imports from other modules, which may be such
    /// definitions of a project module, with the flows that use them.
    public var importedNames: [ImportedNameUse] = []
    /// In such a module: its calls of those names with the secret names their arguments give
    /// (`get_secret("DB_DSN")`), for definitions that read the secret a parameter names.
    public var importedCalls: [ImportedCall] = []
    /// Module-level classes that subclass Prefect's `Flow` (`class Flow(prefect.Flow)` with
    /// a team's own defaults): other modules that import one build flows with it.
    public var flowSubclasses: [String] = []
    /// The class the module binds the name `Flow` to, imported from another module
    /// (`Flow = CustomFlow` after `from pipelines.utils.custom import CustomFlow`): a module
    /// importing `Flow` from this one gets that class.
    public var flowAlias: ImportedName?
    /// Run configs and storages the module binds to a name at module level, once and not
    /// under a condition (`RUN_CONFIG = ECSRun(…)` in a shared `flow_config.py`): a flow of
    /// another module that imports the name runs with them.
    public var moduleComponents: [ModuleComponent] = []

    public init() {}

    public var isEmpty: Bool {
        secretReads.isEmpty && helperSecretReads.isEmpty && buildTimeImportedCalls.isEmpty && hardcodedLiterals.isEmpty && metadataLiterals.isEmpty && metadataEnvReads.isEmpty && configuredImports.isEmpty
            && flowConfiguringFunctions.isEmpty && !configuresLoadedFlows && secretUsingDefinitions.isEmpty && importedNames.isEmpty && importedCalls.isEmpty
            && flowSubclasses.isEmpty && flowAlias == nil && moduleComponents.isEmpty && programCommandSpans.isEmpty
    }
}

/// A run config or storage bound to a module-level name (``PythonFacts/moduleComponents``).
public struct ModuleComponent: Sendable, Hashable {
    public var name: String
    public var isRunConfig: Bool
    /// The component's call: the secret references made in it go with it.
    public var span: ByteSpan
    /// A flow given only this component: its run config or its storage fields.
    public var settings: Flow

    public init(name: String, isRunConfig: Bool, span: ByteSpan, settings: Flow) {
        self.name = name
        self.isRunConfig = isRunConfig
        self.span = span
        self.settings = settings
    }
}

/// A module-level function or class whose body references secrets: a task library's
/// `@task def load(): Secret("DB").get()`, a helper `def connection_string(): …`; or that
/// calls a function imported from another module, which may (`from ..db import get_dsn`).
public struct SecretUsingDefinition: Sendable, Hashable {
    public var name: String
    /// The references, with their spans in this module.
    public var references: [SecretReference]
    /// The imported functions its body calls, at their calls.
    public var calls: [ImportedName]
    /// Those calls with the secret names their arguments give, for the functions that read
    /// the secret a parameter names.
    public var callArguments: [ImportedCall]

    public init(name: String, references: [SecretReference], calls: [ImportedName] = [], callArguments: [ImportedCall] = []) {
        self.name = name
        self.references = references
        self.calls = calls
        self.callArguments = callArguments
    }
}

/// A call of a name imported from another module (`get_secret("DB_DSN")` after `from
/// lib.secrets import get_secret`), with the names its arguments give as literals or module
/// constants.
public struct ImportedCall: Sendable, Hashable {
    /// The name imported (not its alias), as in ``PythonFacts/importedNames``.
    public var imported: ImportedName
    /// From the callee to the closing parenthesis.
    public var span: ByteSpan
    /// The positional arguments: each one's name, nil where the tool cannot read it.
    public var positional: [String?]
    /// The keyword arguments, in order.
    public var keywords: [Keyword]
    /// `*args` or `**kwargs` among the arguments: any parameter may get anything.
    public var spreads: Bool
    /// A call that runs an instance of the imported name (`Fetch()("X")`, `fetch("X")` on
    /// `fetch = Fetch()`): its arguments go to a task class's `run`, not to the class.
    public var runsInstance = false
    /// In a module with several flows, the indices of those that run the call; nil where every
    /// flow of the module does (a module with one flow, a library module's definitions).
    public var flows: [Int]?

    /// A keyword argument: the keyword, and the name it gives (nil where the tool cannot read it).
    public struct Keyword: Sendable, Hashable {
        public var keyword: String
        public var name: String?

        public init(keyword: String, name: String?) {
            self.keyword = keyword
            self.name = name
        }
    }

    public init(imported: ImportedName, span: ByteSpan, positional: [String?], keywords: [Keyword], spreads: Bool) {
        self.imported = imported
        self.span = span
        self.positional = positional
        self.keywords = keywords
        self.spreads = spreads
    }

    /// Whether some argument gives a name the tool reads, or there is none (a default may
    /// name it then).
    public var mayName: Bool {
        (positional.isEmpty && keywords.isEmpty && !spreads) || positional.contains { $0 != nil } || keywords.contains { $0.name != nil }
    }

    /// The name the call gives the parameter: `.some(name)`, `.some(nil)` when it gives one the
    /// tool cannot read, nil when it gives none (the default then).
    public func argument(_ parameter: NameParameter) -> String?? {
        if spreads { return .some(nil) }
        if let given = keywords.first(where: { $0.keyword == parameter.name }) { return .some(given.name) }
        if let position = parameter.position, position < positional.count { return .some(positional[position]) }
        return nil
    }
}

/// A name a flow module imports (``PythonFacts/importedNames``) and the module's flows that use it.
public struct ImportedNameUse: Sendable, Hashable {
    public var name: ImportedName
    /// In a module with several flows, the indices (in ``FileFacts/flows``) of those whose
    /// runs use the name; nil in a module with one flow, whose every use is that flow's.
    public var flows: [Int]?

    public init(name: ImportedName, flows: [Int]? = nil) {
        self.name = name
        self.flows = flows
    }
}

/// The parameter whose value a secret read takes for its name (``SecretReference/nameParameter``).
public struct NameParameter: Sendable, Hashable {
    public var name: String
    /// Its index among the positional parameters; nil for a keyword-only one.
    public var position: Int?
    /// The name its default gives, when it has a readable one.
    public var defaultName: String?
    /// A parameter of a task class's `run`: the calls that run the class's instances name it
    /// (``ImportedCall/runsInstance``), not the calls that make them.
    public var namesInstanceRuns: Bool

    public init(name: String, position: Int?, defaultName: String?, namesInstanceRuns: Bool = false) {
        self.name = name
        self.position = position
        self.defaultName = defaultName
        self.namesInstanceRuns = namesInstanceRuns
    }
}

/// `from flow_utilities.db import get_connection_string`: a name imported from another module.
public struct ImportedName: Sendable, Hashable {
    /// The module as written, without leading dots, and the dots of a relative import.
    public var module: String
    public var level: Int
    /// The imported name (not its alias).
    public var name: String
    /// The name in the import statement.
    public var span: ByteSpan

    public init(module: String, level: Int, name: String, span: ByteSpan) {
        self.module = module
        self.level = level
        self.name = name
        self.span = span
    }
}

/// `from flows.etl import flow` then `flow.run_config = …`: the flows of that module may run
/// with labels and storage set here.
/// Also a flow of this module passed to a function imported from another
/// (`prepare_for_cloud(flow)`), which may set them: then `passedFlow` is its span.
public struct ImportedFlowConfiguration: Sendable {
    /// The module as written, without leading dots, and the dots of a relative import.
    public var module: String
    public var level: Int
    public var span: ByteSpan
    /// This module's flow (its span) that a function of `module` is given; nil when the flows
    /// of `module` are configured here.
    public var passedFlow: (flow: ByteSpan, function: String)?

    public init(module: String, level: Int, span: ByteSpan, passedFlow: (flow: ByteSpan, function: String)? = nil) {
        self.module = module
        self.level = level
        self.span = span
        self.passedFlow = passedFlow
    }
}
