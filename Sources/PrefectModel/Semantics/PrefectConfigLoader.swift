/// Why `import prefect` would fail while loading the config.
public struct PrefectImportCrash: Error, Sendable, Equatable {
    /// Where in `load_default_config` / `Context()` it fails.
    public enum Stage: Sendable, Equatable {
        /// Converting a `PREFECT__*` value (`string_to_type` on a non-string).
        case environmentVariables
        /// Building the nested config (`flatdict_to_dict`): nested keys collide.
        case nesting
        /// `validate_config`: a key shadows a `Config` method.
        case keyValidation
        /// `Context()` copying `config.context`.
        case context
    }
    /// Python exception type name, e.g. `TypeError`.
    public var exceptionType: String
    /// Exception message as Python prints it (names keys and types, never values).
    public var message: String
    /// Where it happens.
    public var stage: Stage

    /// Creates a crash description.
    public init(exceptionType: String, message: String, stage: Stage) {
        self.exceptionType = exceptionType
        self.message = message
        self.stage = stage
    }
}

/// Everything Prefect's config loading reads at `import prefect`.
public struct PrefectConfigInput: Sendable {
    /// The process environment, in order.
    public var environment: PrefectEnvironment
    /// The user config file (`PREFECT__USER_CONFIG_PATH` or `~/.prefect/config.toml`) parsed, or nil when absent.
    public var userConfig: ConfigValue?
    /// The backend config file (`PREFECT__BACKEND_CONFIG_PATH` or `~/.prefect/backend.toml`) parsed, or nil.
    public var backendConfig: ConfigValue?
    /// Package defaults other than Prefect's own (``PrefectDefaultConfig``); nil for Prefect's.
    let customDefaults: PyValue?
    /// The package defaults as Python values (`PrefectDefaultConfig.tree`'s unless given).
    public var defaults: PyValue { customDefaults ?? PrefectDefaultConfig.pyValue }
    /// The user's home from the password database (used by `~` only when HOME is unset).
    public var passwordHome: String?
    /// Home directories by user name, for `~name`.
    public var userHomes: [String: String]

    /// Creates an input.
    public init(
        environment: PrefectEnvironment, userConfig: ConfigValue? = nil, backendConfig: ConfigValue? = nil,
        defaults: ConfigValue? = nil, passwordHome: String? = nil, userHomes: [String: String] = [:]
    ) {
        self.environment = environment
        self.userConfig = userConfig
        self.backendConfig = backendConfig
        self.customDefaults = defaults?.pyValue
        self.passwordHome = passwordHome
        self.userHomes = userHomes
    }

    /// The expansion context (`os.environ` plus the user database).
    public var expansionContext: PathExpansionContext {
        PathExpansionContext(environment: environment.dictionary, passwordHome: passwordHome, userHomes: userHomes)
    }

    /// The path Prefect reads the user config from, after `$VAR`/`~` expansion.
    public var userConfigPath: String {
        PrefectValueConversion.interpolateEnvVars(.str(environment["PREFECT__USER_CONFIG_PATH"] ?? "~/.prefect/config.toml"), in: expansionContext).pyStr
    }

    /// The path Prefect reads the backend config from, after `$VAR`/`~` expansion.
    public var backendConfigPath: String {
        PrefectValueConversion.interpolateEnvVars(.str(environment["PREFECT__BACKEND_CONFIG_PATH"] ?? "~/.prefect/backend.toml"), in: expansionContext).pyStr
    }
}

/// The config and context Prefect 1.4.1 ends up with after `import prefect`.
public struct LoadedPrefectConfig: Sendable {
    /// `prefect.config` as a (boxed) dict.
    public var config: PyDict
    /// `prefect.context`'s keys copied from `config.context` (plus `config`, not included here).
    public var context: PyDict
    /// `prefect.config.backend` (nil if absent).
    public var backend: PyValue? { config[string: "backend"] }
    /// `prefect.context.secrets` (nil when there is no such key: `Secret.get` then uses `{}`).
    public var contextSecrets: PyValue? { context[string: "secrets"] }
    /// `prefect.context.config.cloud.use_local_secrets`, the flag `Secret.get` tests (`is False`).
    public var useLocalSecrets: PyValue?

    /// Looks up a dotted key path in the config.
    public func value(at path: [String]) -> PyValue? {
        var cur: PyValue = .dict(config, boxed: true)
        for k in path {
            guard case .dict(let d, _) = cur, let v = d[string: k] else { return nil }
            cur = v
        }
        return cur
    }
}

/// Emulates `prefect.configuration.load_default_config()` and `Context()` exactly.
public enum PrefectConfigLoader {
    /// `dir(Config)` with python-box 6.1 (the pinned, working version): keys equal to one of these
    /// (case-sensitively) make `import prefect` fail.
    public static let reservedKeys: Set<String> = [
        "_Box__box_config", "_Box__convert_and_store", "_Box__get_default", "_Box__recast", "__add__", "__class__",
        "__class_getitem__", "__contains__", "__copy__", "__deepcopy__", "__delattr__", "__delitem__", "__dict__",
        "__dir__", "__doc__", "__eq__", "__format__", "__ge__", "__getattr__", "__getattribute__", "__getitem__",
        "__getstate__", "__gt__", "__hash__", "__iadd__", "__init__", "__init_subclass__", "__ior__", "__iter__",
        "__le__", "__len__", "__lt__", "__module__", "__ne__", "__new__", "__or__", "__radd__", "__reduce__",
        "__reduce_ex__", "__repr__", "__reversed__", "__ror__", "__setattr__", "__setitem__", "__setstate__",
        "__sizeof__", "__str__", "__sub__", "__subclasshook__", "__weakref__", "_conversion_checks", "_protected_keys",
        "_safe_attr", "clear", "copy", "from_json", "from_msgpack", "from_toml", "from_yaml", "fromkeys", "get", "items",
        "keys", "merge_update", "pop", "popitem", "setdefault", "to_dict", "to_json", "to_msgpack", "to_toml", "to_yaml",
        "update", "values",
    ]

    /// An insertion-ordered flat config keyed by key paths.
    struct FlatConfig {
        /// The entries of the config this one starts from (``init(over:)``): read here, never
        /// written, so that a load over Prefect's defaults copies none of them.
        private var baseKeys: [[String]] = []
        private var baseValues: [PyValue] = []
        private var basePositions: [[String]: Int] = [:]
        /// New values of base entries, by index.
        private var replaced: [Int: PyValue] = [:]
        /// Entries after the base's.
        private var addedKeys: [[String]] = []
        private var addedValues: [PyValue] = []
        private var addedPositions: [[String]: Int] = [:]

        init() {}

        /// A config that starts with `base`'s entries, in its order.
        init(over base: FlatConfig) {
            self = base.replaced.isEmpty && base.addedKeys.isEmpty ? base : base.sealed()
        }

        /// Entries in order: the base's, then those added.
        var indices: Range<Int> { 0..<(baseKeys.count + addedKeys.count) }

        func key(at i: Int) -> [String] { i < baseKeys.count ? baseKeys[i] : addedKeys[i - baseKeys.count] }

        func value(at i: Int) -> PyValue {
            guard i < baseKeys.count else { return addedValues[i - baseKeys.count] }
            return replaced[i] ?? baseValues[i]
        }

        mutating func setValue(_ value: PyValue, at i: Int) {
            if i < baseKeys.count { replaced[i] = value } else { addedValues[i - baseKeys.count] = value }
        }

        /// The index of `key`, if it is there.
        func position(of key: [String]) -> Int? { basePositions[key] ?? addedPositions[key] }

        /// Sets `key` (appended when new) and returns its index.
        mutating func set(_ key: [String], _ value: PyValue) -> Int {
            if let i = position(of: key) {
                setValue(value, at: i)
                return i
            }
            let i = indices.upperBound
            addedPositions[key] = i
            addedKeys.append(key)
            addedValues.append(value)
            return i
        }

        subscript(key: [String]) -> PyValue? {
            get { position(of: key).map(value(at:)) }
            set {
                guard let value = newValue else { return }
                _ = set(key, value)
            }
        }

        /// This config with its entries as its own base, for configs that start from it.
        func sealed() -> FlatConfig {
            var sealed = FlatConfig()
            sealed.baseKeys = indices.map(key(at:))
            sealed.baseValues = indices.map(value(at:))
            sealed.basePositions = Dictionary(uniqueKeysWithValues: sealed.baseKeys.enumerated().map { ($1, $0) })
            return sealed
        }
    }

    /// The part of `environment` that loading `configs` (files merged into Prefect's
    /// defaults) reads: the `PREFECT__` variables, HOME (for `~`) and the variables that
    /// `$NAME` and `${NAME}` in the defaults name, in their order. Two inputs whose read parts
    /// are equal load equal configs. When a `PREFECT__` value or a config file string holds
    /// a `$`, any variable may be read: the whole environment is returned.
    public static func environmentRead(from environment: PrefectEnvironment, configs: [ConfigValue?]) -> PrefectEnvironment {
        var read: [(String, String)] = []
        for (name, value) in environment.variables {
            if EnvConfigMapping.isConfigVariable(name) {
                if value.utf8.contains(0x24) { return environment }
                read.append((name, value))
            } else if name == "HOME" || defaultsExpansionNames.contains(name) {
                read.append((name, value))
            }
        }
        if configs.contains(where: { $0?.containsString(where: { $0.utf8.contains(0x24) }) ?? false }) { return environment }
        return read.count == environment.variables.count ? environment : PrefectEnvironment(read)
    }

    /// Every name a `$` in Prefect's default values may expand from the environment: the
    /// `NAME` of `$NAME` and of `${NAME}` after each `$` (`${server.host}`, `${backend}`).
    static let defaultsExpansionNames: Set<String> = {
        var names: Set<String> = []
        func scan(_ value: ConfigValue) {
            switch value {
            case .string(let text):
                let bytes = Array(text.utf8)
                for (index, byte) in bytes.enumerated() where byte == 0x24 && index + 1 < bytes.count {
                    var end = index + 1
                    if bytes[end] == 0x7B {
                        end += 1
                        let close = bytes[end...].firstIndex(of: 0x7D) ?? bytes.count
                        names.insert(String(decoding: bytes[end..<close], as: UTF8.self))
                    } else {
                        while end < bytes.count, bytes[end] < 0x80, PathExpansion.isWordChar(Unicode.Scalar(bytes[end])) { end += 1 }
                        names.insert(String(decoding: bytes[(index + 1)..<end], as: UTF8.self))
                    }
                }
            case .array(let items): items.forEach(scan)
            case .table(let entries): entries.forEach { scan($0.value) }
            default: break
            }
        }
        scan(PrefectDefaultConfig.tree)
        return names
    }()

    /// Prefect's defaults flattened: computed once, as most loads merge no config file into them.
    static let standardDefaultsFlat: FlatConfig = {
        var flat = FlatConfig()
        if case .dict(let d, _) = PrefectDefaultConfig.pyValue { flatten(d, parent: [], into: &flat) }
        return flat
    }()

    /// `collections.merge_dicts(d1, d2)`.
    static func merge(_ d1: PyDict, _ d2: PyDict) -> PyDict {
        var out = d1
        for (k, v) in d2.entries {
            if case .dict(let a, let boxed)? = out[k], case .dict(let b, _) = v {
                out[k] = .dict(merge(a, b), boxed: boxed)
            } else {
                out[k] = v
            }
        }
        return out
    }

    /// `collections.dict_to_flatdict` (only str keys occur in config files).
    static func flatten(_ d: PyDict, parent: [String], into flat: inout FlatConfig) {
        for (k, v) in d.entries {
            let path = parent + [k.pyStr]
            if case .dict(let sub, _) = v { flatten(sub, parent: path, into: &flat) } else { flat[path] = v }
        }
    }

    /// Loads the config as `import prefect` does.
    public static func load(_ input: PrefectConfigInput) -> Result<LoadedPrefectConfig, PrefectImportCrash> {
        let nested = overStandard(input) ?? fromScratch(input)
        switch nested {
        case .failure(let crash): return .failure(crash)
        case .success(let nested): return finish(nested.root, mayHoldReservedKey: nested.mayHoldReservedKey, tasksProcessed: nested.tasksProcessed)
        }
    }

    /// The HOME of ``standard``'s loading (the model's flow runs, PS403's checks).
    static let standardHome = "/home/prefect"

    /// Prefect's defaults loaded in an environment with HOME = ``standardHome`` and nothing
    /// else: the flat config after the second pass (before `${a.b}` references), the indices
    /// of its values with a `$`, the keys their resolution looked up, and the nested config.
    /// Loads that only add `PREFECT__` variables and config files start from it.
    struct StandardLoad {
        var flat: FlatConfig
        var referencing: [Int]
        var referencedKeys: Set<[String]>
        var root: PyValue
        /// `config.tasks` after ``processTaskDefaults(_:)``.
        var processedTasks: PyValue?
    }

    /// The nested config before ``finish(_:mayHoldReservedKey:tasksProcessed:)``.
    struct NestedConfig {
        var root: PyValue
        /// False when the caller knows no key in it is reserved.
        var mayHoldReservedKey: Bool
        /// Whether `config.tasks` has been through ``processTaskDefaults(_:)`` already.
        var tasksProcessed = false
    }

    static let standard: StandardLoad = {
        var flat = standardDefaultsFlat
        let ctx = PathExpansionContext(environment: ["HOME": standardHome])
        for i in flat.indices { flat.setValue(PrefectValueConversion.secondPass(flat.value(at: i), in: ctx), at: i) }
        let referencing = flat.indices.filter { if case .str(let s) = flat.value(at: $0) { s.utf8.contains(0x24) } else { false } }
        var resolved = flat
        let referencedKeys = resolveReferences(in: &resolved, at: referencing, recordingLookups: true)
        var root: PyValue = .dict(PyDict(), boxed: true)
        for i in resolved.indices { _ = insert(resolved.value(at: i), at: resolved.key(at: i)[...], into: &root) }
        var processed: PyValue?
        if case .dict(var config, _) = root {
            processTaskDefaults(&config)
            processed = config[string: "tasks"]
        }
        return StandardLoad(flat: flat.sealed(), referencing: referencing, referencedKeys: referencedKeys, root: root, processedTasks: processed)
    }()

    /// ``fromScratch(_:)``'s result, computed from ``standard`` for an input whose
    /// environment, besides `PREFECT__` variables, gives loading only HOME = ``standardHome``
    /// and whose config files ``fileLeaves(_:)`` can place, with no key new to the defaults
    /// holding a `${a.b}` reference after the second pass; nil for any other input. Each
    /// value goes through the passes alone, so only the files' and the variables' values and
    /// the values with references are recomputed. The defaults' keys come first in the flat
    /// config; the merges append a file's new key to the end of its table, and a variable's
    /// new key goes to the end of the flat config, so re-inserting the defaults' changed
    /// values and then adding the new keys in order builds the nested config that inserting
    /// all would.
    static func overStandard(_ input: PrefectConfigInput) -> Result<NestedConfig, PrefectImportCrash>? {
        guard input.customDefaults == nil else { return nil }
        var files: [PyDict] = []
        for file in [input.userConfig, input.backendConfig] {
            guard let file else { continue }
            guard case .dict(let table, _) = file.pyValue else { return nil }
            files.append(table)
        }
        guard let fileValues = fileLeaves(files) else { return nil }
        var variables: [(path: [String], value: String)] = []
        var home: String?
        for (name, value) in input.environment.variables {
            if let path = EnvConfigMapping.configPath(forVariable: name) {
                variables.append((path, value))
            } else if name == "HOME" {
                home = value
            } else if defaultsExpansionNames.contains(name) {
                return nil
            }
        }
        guard home == standardHome else { return nil }
        let ctx = input.expansionContext
        var flat = FlatConfig(over: standard.flat)
        var set: Set<Int> = []
        for (path, value) in fileValues { set.insert(flat.set(path, value)) }
        // The files' new keys sit at the end of their tables when loading from scratch but
        // at the end of the flat config here: references resolve in the same order only
        // while none of them holds one (checked after the second pass below).
        let fileKeysEnd = flat.indices.upperBound
        for (path, value) in variables {
            switch PrefectValueConversion.firstPassEnvValue(value, in: ctx) {
            case .success(let v): set.insert(flat.set(path, v))
            case .failure(let crash): return .failure(crash)
            }
        }
        for i in set { flat.setValue(PrefectValueConversion.secondPass(flat.value(at: i), in: ctx), at: i) }
        let defaultsCount = standard.flat.indices.count
        for i in set where i >= defaultsCount && i < fileKeysEnd {
            if case .str(let s) = flat.value(at: i), s.utf8.contains(0x24), PrefectValueConversion.firstReference(in: s) != nil { return nil }
        }
        // The defaults' references resolve as they did in the standard load (whose values the
        // nested config holds) unless a value set here references, or is referenced by, them.
        let referencesChange = set.contains { i in
            if case .str(let s) = flat.value(at: i), s.utf8.contains(0x24) { return true }
            return standard.referencedKeys.contains(flat.key(at: i))
        }
        let touched = (referencesChange ? Set(standard.referencing).union(set) : set).sorted()
        resolveReferences(in: &flat, at: touched.filter { if case .str(let s) = flat.value(at: $0) { s.utf8.contains(0x24) } else { false } })
        var root = standard.root
        var mayHoldReservedKey = false
        var tasksTouched = false
        for i in touched {
            if case .dict = flat.value(at: i) { mayHoldReservedKey = true }
            if i >= defaultsCount, flat.key(at: i).contains(where: reservedKeys.contains) { mayHoldReservedKey = true }
            if flat.key(at: i).first == "tasks" { tasksTouched = true }
            if let crash = insert(flat.value(at: i), at: flat.key(at: i)[...], into: &root) { return .failure(crash) }
        }
        // Task defaults nothing here set are processed as in the standard load.
        if !tasksTouched, let tasks = standard.processedTasks {
            _ = insert(tasks, at: ["tasks"], into: &root)
            return .success(NestedConfig(root: root, mayHoldReservedKey: mayHoldReservedKey, tasksProcessed: true))
        }
        return .success(NestedConfig(root: root, mayHoldReservedKey: mayHoldReservedKey))
    }

    /// The leaves of config files in the flat config's order, when merging the files into
    /// Prefect's defaults in turn only replaces leaves and adds new keys: nil when a file puts
    /// a table where the defaults or an earlier file have a value or the reverse, or touches a
    /// table that holds no value (an empty one, whose place the flat config does not hold).
    static func fileLeaves(_ files: [PyDict]) -> [(path: [String], value: PyValue)]? {
        var leaves: [(path: [String], value: PyValue)] = []
        // Keys the files add to the defaults': leaves, and tables with whether they hold a leaf.
        var newLeaves: Set<[String]> = []
        var newTables: [[String]: Bool] = [:]
        // Whether the table holds a leaf; nil when it cannot be placed.
        func walk(_ table: PyDict, _ parent: [String]) -> Bool? {
            var holdsLeaf = false
            for (key, value) in table.entries {
                let path = parent + [key.pyStr]
                if case .dict(let inner, _) = value {
                    guard standard.flat[path] == nil, defaultsTables[path] != true, !newLeaves.contains(path), newTables[path] != false,
                        let innerHoldsLeaf = walk(inner, path)
                    else { return nil }
                    if defaultsTables[path] == nil { newTables[path] = newTables[path] == true || innerHoldsLeaf }
                    holdsLeaf = holdsLeaf || innerHoldsLeaf
                } else {
                    guard defaultsTables[path] == nil, newTables[path] == nil else { return nil }
                    if standard.flat[path] == nil { newLeaves.insert(path) }
                    leaves.append((path, value))
                    holdsLeaf = true
                }
            }
            return holdsLeaf
        }
        for file in files where walk(file, []) == nil { return nil }
        return leaves
    }

    /// Whether each table in Prefect's defaults is empty, by path.
    static let defaultsTables: [[String]: Bool] = {
        var paths: [[String]: Bool] = [:]
        func walk(_ value: PyValue, _ path: [String]) {
            guard case .dict(let table, _) = value else { return }
            if !path.isEmpty { paths[path] = table.count == 0 }
            for (key, inner) in table.entries { walk(inner, path + [key.pyStr]) }
        }
        walk(PrefectDefaultConfig.pyValue, [])
        return paths
    }()

    /// `load_default_config` up to the nested config, every step over every value.
    static func fromScratch(_ input: PrefectConfigInput) -> Result<NestedConfig, PrefectImportCrash> {
        let ctx = input.expansionContext
        var flat: FlatConfig
        if input.customDefaults == nil, input.userConfig == nil, input.backendConfig == nil {
            flat = standardDefaultsFlat
        } else {
            guard case .dict(var merged, _) = input.defaults else {
                return .failure(PrefectImportCrash(exceptionType: "TypeError", message: "default config is not a table", stage: .nesting))
            }
            for file in [input.userConfig, input.backendConfig] {
                if case .dict(let d, _)? = file?.pyValue { merged = merge(merged, d) }
            }
            flat = FlatConfig()
            flatten(merged, parent: [], into: &flat)
        }

        // PREFECT__* variables, in environment order.
        for (name, value) in input.environment.variables {
            guard let path = EnvConfigMapping.configPath(forVariable: name) else { continue }
            switch PrefectValueConversion.firstPassEnvValue(value, in: ctx) {
            case .success(let v): flat[path] = v
            case .failure(let crash): return .failure(crash)
            }
        }
        // Second pass over every flat value.
        for i in flat.indices { flat.setValue(PrefectValueConversion.secondPass(flat.value(at: i), in: ctx), at: i) }
        resolveReferences(in: &flat, at: Array(flat.indices))
        // flatdict_to_dict into Config objects.
        var root: PyValue = .dict(PyDict(), boxed: true)
        for i in flat.indices {
            if let crash = insert(flat.value(at: i), at: flat.key(at: i)[...], into: &root) { return .failure(crash) }
        }
        return .success(NestedConfig(root: root, mayHoldReservedKey: true))
    }

    /// `${a.b}` references, at most 10 passes over the values at `indices` (in order; values
    /// without a `$` drop out in the first). Prefect iterates a set (hash order); insertion
    /// order gives the same result unless references form a cycle.
    /// With `recordingLookups`, returns the keys looked up.
    @discardableResult
    static func resolveReferences(in flat: inout FlatConfig, at indices: [Int], recordingLookups: Bool = false) -> Set<[String]> {
        var lookedUp: Set<[String]> = []
        var toCheck = indices
        for _ in 0..<10 {
            var remaining: [Int] = []
            for i in toCheck {
                guard case .str(let s) = flat.value(at: i), s.utf8.contains(0x24),
                    let (range, inner) = PrefectValueConversion.firstReference(in: s)
                else { continue }
                remaining.append(i)
                let key = EnvConfigMapping.pySplit(inner, ".")
                if recordingLookups { lookedUp.insert(key) }
                let ref = flat[key] ?? .str("")
                if range.count == s.utf8.count {
                    flat.setValue(ref, at: i)
                } else {
                    let utf8 = Array(s.utf8)
                    flat.setValue(
                        .str(
                            String(decoding: utf8[..<range.lowerBound], as: UTF8.self) + ref.pyStr
                                + String(decoding: utf8[range.upperBound...], as: UTF8.self)), at: i)
                }
            }
            toCheck = remaining
        }
        return lookedUp
    }

    /// `validate_config`, `process_task_defaults` and `Context()` over the nested config.
    /// `mayHoldReservedKey` false: the caller knows no key in it is reserved; `tasksProcessed`:
    /// `process_task_defaults` has been applied.
    static func finish(_ root: PyValue, mayHoldReservedKey: Bool, tasksProcessed: Bool = false) -> Result<LoadedPrefectConfig, PrefectImportCrash> {
        guard case .dict(var config, _) = root else { return .failure(PrefectImportCrash(exceptionType: "TypeError", message: "", stage: .nesting)) }
        if mayHoldReservedKey, let bad = firstReservedKey(in: config) {
            return .failure(PrefectImportCrash(exceptionType: "ValueError", message: "Invalid config key: \"\(bad)\"", stage: .keyValidation))
        }
        if !tasksProcessed { processTaskDefaults(&config) }

        // Context(): copies config.context, and context.config = merge_dicts(config, context.get("config", {})).
        var context = PyDict()
        if let raw = config[string: "context"] {
            switch dictUpdate(raw) {
            case .success(let d): context = d
            case .failure(let crash): return .failure(crash)
            }
        }
        var contextConfig = config
        if let extra = context[string: "config"] {
            guard case .dict(let d, _) = extra else {
                return .failure(PrefectImportCrash(
                    exceptionType: "AttributeError", message: "'\(extra.typeName)' object has no attribute 'items'", stage: .context))
            }
            contextConfig = merge(config, d)
        }
        var useLocal: PyValue? = nil
        if case .dict(let cloud, _)? = contextConfig[string: "cloud"] { useLocal = cloud[string: "use_local_secrets"] }
        return .success(LoadedPrefectConfig(config: config, context: context, useLocalSecrets: useLocal))
    }

    /// `dict.update(value)` as `Context()` applies it to `config.context`.
    static func dictUpdate(_ value: PyValue) -> Result<PyDict, PrefectImportCrash> {
        func crash(_ type: String, _ message: String) -> Result<PyDict, PrefectImportCrash> {
            .failure(PrefectImportCrash(exceptionType: type, message: message, stage: .context))
        }
        let elements: [PyValue]
        switch value {
        case .dict(let d, _): return .success(d)
        case .str(let s): elements = s.unicodeScalars.map { .str(String($0)) }
        case .list(let items, _), .tuple(let items), .set(let items): elements = items
        case .bytes(let b): elements = b.map { .int(Int($0)) }
        default: return crash("TypeError", "'\(value.typeName)' object is not iterable")
        }
        var out = PyDict()
        for (i, e) in elements.enumerated() {
            let pair: [PyValue]
            switch e {
            case .str(let s): pair = s.unicodeScalars.map { .str(String($0)) }
            case .list(let items, _), .tuple(let items): pair = items
            case .bytes(let b): pair = b.map { .int(Int($0)) }
            case .dict(let d, _): pair = d.keys
            case .set(let items): pair = items
            default: return crash("TypeError", "cannot convert dictionary update sequence element #\(i) to a sequence")
            }
            guard pair.count == 2 else {
                return crash("ValueError", "dictionary update sequence element #\(i) has length \(pair.count); 2 is required")
            }
            guard pair[0].isHashable else { return crash("TypeError", "unhashable type: '\(pair[0].typeName)'") }
            out[pair[0]] = pair[1]
        }
        return .success(out)
    }

    /// One step of `flatdict_to_dict`: `setdefault` down the path, then assign (values are boxed on store).
    static func insert(_ value: PyValue, at path: ArraySlice<String>, into container: inout PyValue) -> PrefectImportCrash? {
        guard let key = path.first else { return nil }
        guard case .dict(var d, let boxed) = container else {
            if path.count == 1 {
                let msg: String
                switch container {
                case .list: msg = "list indices must be integers or slices, not str"
                default: msg = "'\(container.typeName)' object does not support item assignment"
                }
                return PrefectImportCrash(exceptionType: "TypeError", message: msg, stage: .nesting)
            }
            return PrefectImportCrash(exceptionType: "AttributeError", message: "'\(container.typeName)' object has no attribute 'setdefault'", stage: .nesting)
        }
        // The container lets go of the dict while it changes, so that nothing is copied.
        container = .none
        defer { container = .dict(d, boxed: boxed) }
        if path.count == 1 {
            d[string: key] = value.boxed
            return nil
        }
        return d.updateValue(forString: key, absent: .dict(PyDict(), boxed: true)) { child in
            insert(value, at: path.dropFirst(), into: &child)
        }
    }

    /// `validate_config`: depth-first, in order, into nested Configs only.
    static func firstReservedKey(in d: PyDict) -> String? {
        for (k, v) in d.entries {
            if case .str(let s) = k, reservedKeys.contains(s) { return s }
            if case .dict(let sub, true) = v, let bad = firstReservedKey(in: sub) { return bad }
        }
        return nil
    }

    /// `process_task_defaults` for the usual shapes (tasks.defaults a table).
    static func processTaskDefaults(_ config: inout PyDict) {
        var tasks: PyDict
        switch config[string: "tasks"] {
        case nil: tasks = PyDict()
        case .dict(let d, _)?: tasks = d
        default: return
        }
        var defaults: PyDict
        switch tasks[string: "defaults"] {
        case nil: defaults = PyDict()
        case .dict(let d, _)?: defaults = d
        default: return
        }
        if defaults[string: "max_retries"] == nil { defaults[string: "max_retries"] = .int(0) }
        if let m = defaults[string: "max_retries"], !m.isTruthy { defaults[string: "max_retries"] = .int(0) }
        if defaults[string: "retry_delay"] == nil { defaults[string: "retry_delay"] = .bool(false) }
        switch defaults[string: "retry_delay"] {
        case .bool(false)?: defaults[string: "retry_delay"] = PyValue.none
        case .int(let i)?: defaults[string: "retry_delay"] = .opaque(typeName: "timedelta", repr: "datetime.timedelta(seconds=\(i))")
        default: break
        }
        if defaults[string: "timeout"] == nil { defaults[string: "timeout"] = .bool(false) }
        if case .bool(false)? = defaults[string: "timeout"] { defaults[string: "timeout"] = PyValue.none }
        tasks[string: "defaults"] = .dict(defaults, boxed: true)
        config[string: "tasks"] = .dict(tasks, boxed: true)
    }
}

extension PyValue {
    /// Python truthiness.
    public var isTruthy: Bool {
        switch self {
        case .none: return false
        case .ellipsis, .opaque: return true
        case .bool(let b): return b
        case .int(let i): return !i.isZero
        case .float(let d): return d != 0
        case .complex(let r, let i): return r != 0 || i != 0
        case .str(let s): return !s.isEmpty
        case .bytes(let b): return !b.isEmpty
        case .tuple(let t): return !t.isEmpty
        case .list(let l, _): return !l.isEmpty
        case .dict(let d, _): return d.count > 0
        case .set(let s): return !s.isEmpty
        }
    }
}
