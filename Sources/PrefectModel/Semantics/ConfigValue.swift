/// A parsed config-file value (filled from TOML by the caller); tables keep their key order,
/// which decides Prefect's flat-config order and so collision outcomes.
public indirect enum ConfigValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    /// A TOML date/time, kept as its text: Prefect passes it through untouched.
    case datetime(String)
    case array([ConfigValue])
    case table([ConfigTableEntry])

    /// Whether a string in it (keys aside) satisfies `predicate`.
    public func containsString(where predicate: (String) -> Bool) -> Bool {
        switch self {
        case .string(let text): return predicate(text)
        case .array(let items): return items.contains { $0.containsString(where: predicate) }
        case .table(let entries): return entries.contains { $0.value.containsString(where: predicate) }
        default: return false
        }
    }

    /// The Python value `toml.load` gives for it (tables as plain dicts).
    public var pyValue: PyValue {
        switch self {
        case .string(let s): return .str(s)
        case .integer(let i): return .int(PyInt(i))
        case .float(let d): return .float(d)
        case .bool(let b): return .bool(b)
        case .datetime(let t): return .opaque(typeName: "datetime", repr: t)
        case .array(let a): return .list(a.map(\.pyValue), boxed: false)
        case .table(let entries): return .dict(PyDict(entries.map { (.str($0.key), $0.value.pyValue) }), boxed: false)
        }
    }
}

/// One `key = value` of a config table.
public struct ConfigTableEntry: Sendable, Equatable {
    /// The key as written (after TOML unquoting).
    public var key: String
    /// Its value.
    public var value: ConfigValue

    /// Creates an entry.
    public init(_ key: String, _ value: ConfigValue) {
        self.key = key
        self.value = value
    }
}

/// A process environment with Python dict semantics: setting an existing name replaces its
/// value in place, so order is first-insertion order (what `os.environ` and agents' env dicts give).
public struct PrefectEnvironment: Sendable, Hashable {
    /// Variables in order.
    public private(set) var variables: [(name: String, value: String)] = []

    /// Creates an environment by setting the pairs in order.
    public init(_ pairs: [(String, String)] = []) {
        for (n, v) in pairs { self[n] = v }
    }

    /// Reads or sets a variable.
    public subscript(name: String) -> String? {
        get { variables.first { $0.name == name }?.value }
        set {
            if let i = variables.firstIndex(where: { $0.name == name }) {
                if let v = newValue { variables[i].value = v } else { variables.remove(at: i) }
            } else if let v = newValue {
                variables.append((name, v))
            }
        }
    }

    /// Name → value lookup table.
    public var dictionary: [String: String] {
        var d: [String: String] = [:]
        for (n, v) in variables where d[n] == nil { d[n] = v }
        return d
    }

    public static func == (lhs: PrefectEnvironment, rhs: PrefectEnvironment) -> Bool {
        lhs.variables.count == rhs.variables.count
            && zip(lhs.variables, rhs.variables).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for (name, value) in variables {
            hasher.combine(name)
            hasher.combine(value)
        }
    }
}
