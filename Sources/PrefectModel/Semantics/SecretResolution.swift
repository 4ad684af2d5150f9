/// What Prefect Cloud is known to hold: names of secrets (from `--cloud-secrets` or `set_secret`
/// calls), optionally with the raw value `secret_value` would return (tests only).
public struct CloudInventory: Sendable, Equatable {
    /// Secret names known to exist in Cloud.
    public var names: Set<String>
    /// Raw values by name (what the GraphQL `secret_value` field returns), when known.
    public var values: [String: PyValue]

    /// Creates an inventory.
    public init(names: Set<String>, values: [String: PyValue] = [:]) {
        self.names = names.union(values.keys)
        self.values = values
    }
}

/// The result of `Secret(name).get()` in a process whose config was loaded from an input.
public enum SecretGetOutcome: Sendable, Equatable {
    /// Where a value came from.
    public enum Source: Sendable, Equatable {
        /// `prefect.context.secrets` (config files or env).
        case context
        /// The Cloud API (`secret_value`).
        case cloud
    }
    /// A value (after `json.loads`).
    case value(PyValue, source: Source)
    /// Found in the Cloud inventory, value not known to the model.
    case cloudValueUnknown
    /// Not local, and `get()` would ask Cloud, but no inventory was given: unknown.
    case cloudLookupUnknown
    /// `ValueError('Local Secret "<name>" was not found.')`.
    case localNotFound(message: String)
    /// `KeyError("The secret <name> was not found.  Please ensure …")`: Cloud answered "No value found".
    case cloudNotFound(message: String)
    /// Any other exception raised by `get()` (e.g. `TypeError` when `context.secrets` is a string).
    case error(type: String, message: String)
    /// `import prefect` itself fails; nothing runs.
    case importCrash(PrefectImportCrash)

    /// True when `get()` returns (a value, or a Cloud value the model cannot see).
    public var resolves: Bool {
        switch self {
        case .value, .cloudValueUnknown: return true
        default: return false
        }
    }
}

/// Decides, as Prefect 1.4.1 does, what a flow-run process's config and secrets are.
public struct SecretResolution: Sendable {
    /// The input after the backend override.
    public let input: PrefectConfigInput
    /// The loaded config, or the crash `import prefect` hits.
    public let loaded: Result<LoadedPrefectConfig, PrefectImportCrash>
    /// The Cloud inventory, nil when unknown.
    public let cloud: CloudInventory?

    /// Loads the config. `backendOverride` acts like a forced `PREFECT__BACKEND` variable (what
    /// agents and `--backend` do); `cloud` answers Cloud lookups (nil = unknown).
    public init(input: PrefectConfigInput, backendOverride: String? = nil, cloud: CloudInventory? = nil) {
        var i = input
        if let b = backendOverride { i.environment["PREFECT__BACKEND"] = b }
        self.input = i
        self.loaded = PrefectConfigLoader.load(i)
        self.cloud = cloud
    }

    /// `Secret(name).get()` outside flow building (facts §1.1).
    public func get(_ name: String) -> SecretGetOutcome {
        let cfg: LoadedPrefectConfig
        switch loaded {
        case .failure(let crash): return .importCrash(crash)
        case .success(let c): cfg = c
        }
        let secrets = cfg.contextSecrets ?? .dict(PyDict(), boxed: false)
        var raw: PyValue
        var source = SecretGetOutcome.Source.context
        switch secrets {
        case .dict(let d, _):
            if let v = d[string: name] {
                raw = v
                break
            }
            let notFound = "Local Secret \"\(name)\" was not found."
            guard cfg.backend == .str("cloud") else { return .localNotFound(message: notFound) }
            guard cfg.useLocalSecrets == .bool(false) else { return .localNotFound(message: notFound) }
            guard let inventory = cloud else { return .cloudLookupUnknown }
            guard inventory.names.contains(name) else {
                return .cloudNotFound(message: "The secret \(name) was not found.  Please ensure that it was set correctly in your tenant: https://docs.prefect.io/orchestration/concepts/secrets.html")
            }
            guard let v = inventory.values[name] else { return .cloudValueUnknown }
            raw = v
            source = .cloud
        case .str: return .error(type: "TypeError", message: "string indices must be integers, not 'str'")
        case .list: return .error(type: "TypeError", message: "list indices must be integers or slices, not str")
        case .tuple: return .error(type: "TypeError", message: "tuple indices must be integers or slices, not str")
        case .bytes: return .error(type: "TypeError", message: "byte indices must be integers or slices, not str")
        default: return .error(type: "TypeError", message: "'\(secrets.typeName)' object is not subscriptable")
        }
        switch PrefectValueConversion.secretGetDecode(raw) {
        case .success(let v): return .value(v, source: source)
        case .failure(.otherError(let t, let m)): return .error(type: t, message: m)
        case .failure: return .value(raw, source: source)
        }
    }

    /// `Secret(name).exists()`; nil when it would ask Cloud and no inventory is known, or when
    /// Python would raise (e.g. `context.secrets` is an int).
    public func exists(_ name: String) -> Bool? {
        guard case .success(let cfg) = loaded else { return nil }
        let secrets = cfg.contextSecrets ?? .dict(PyDict(), boxed: false)
        switch secrets {
        case .dict(let d, _): if d[string: name] != nil { return true }
        case .str(let s):
            // `name in secrets` is a substring test on a str.
            let h = Array(s.unicodeScalars), n = Array(name.unicodeScalars)
            if n.isEmpty || (0...max(0, h.count - n.count)).contains(where: { i in i + n.count <= h.count && Array(h[i..<(i + n.count)]) == n }) { return true }
        case .list(let items, _), .tuple(let items), .set(let items):
            if items.contains(where: { $0.pyEquals(.str(name)) }) { return true }
        case .bytes: return nil  // TypeError: a bytes-like object is required
        default: return nil  // TypeError: argument of type ... is not iterable
        }
        guard cfg.backend == .str("cloud"), cfg.useLocalSecrets == .bool(false) else { return false }
        return cloud.map { $0.names.contains(name) }
    }
}

/// How the value `Secret.get` returns differs from the string a user wrote (rule PS403).
public enum SecretValueChange: Sendable, Equatable {
    /// The same string comes back.
    case unchanged
    /// A different type comes back (e.g. "007" stays, but "123" becomes int 123, "true" a bool).
    case retyped(typeName: String)
    /// A different string comes back (`$VAR`/`~` expansion, `${...}` references, quotes removed).
    case rewritten
    /// `get()` raises, or `import prefect` fails, because of the configured values.
    case fails
}

extension SecretGetOutcome {
    /// Compares the outcome with the string the user meant to store; nil when no value is involved
    /// (not found, or a Cloud value the model cannot see).
    public func change(from original: String) -> SecretValueChange? {
        switch self {
        case .value(.str(let s), _):
            return s.unicodeScalars.elementsEqual(original.unicodeScalars) ? .unchanged : .rewritten
        case .value(let v, _): return .retyped(typeName: v.typeName)
        case .error, .importCrash: return .fails
        case .localNotFound, .cloudNotFound, .cloudLookupUnknown, .cloudValueUnknown: return nil
        }
    }
}
