/// What a scalar means once a schema resolves it: the type a loader would build from it.
public enum YAMLScalarType: Sendable, Hashable {
    case null, bool, int, float
    /// A date or date-time (YAML 1.1 only; PyYAML builds a `datetime`).
    case timestamp
    case string
}

/// The rules that decide what an untagged plain scalar means.
///
/// The choice matters for secrets and env values: `PREFECT__X: yes` is the string "yes" under
/// YAML 1.2 but the boolean true under YAML 1.1, and Kubernetes rejects a boolean where an env
/// `value` string is required. The tools that read our files mostly follow 1.1: PyYAML (Prefect's own
/// loader), Kubernetes (sigs.k8s.io/yaml on go-yaml v2) and docker compose for booleans. So
/// ``yaml11`` is the default; ``core12`` is the YAML 1.2 core schema (go-yaml v3, ruamel).
public enum YAMLSchema: Sendable, Hashable {
    /// PyYAML's resolver exactly: `yes/no/on/off/true/false` (three casings) are booleans; ints with
    /// `_`, `0b`, old octal `0755`, sexagesimal `1:30`; floats need a `.`; timestamps.
    /// go-yaml v2 also reads `y`/`n` as booleans; PyYAML does not, nor does this schema.
    case yaml11
    /// YAML 1.2 core schema: only `true/false` (three casings) are booleans; `0o17`, `0x1F`; `1e3` is a float.
    case core12
}

extension YAMLNode {
    /// The type a loader would give this scalar (following an alias), or nil for collections.
    ///
    /// Quoted and block scalars are strings. Standard tags (`!!str`, `!!int`, …) decide by
    /// themselves; the non-specific `!` (a string, per the spec and go-yaml; PyYAML alone resolves
    /// it like an untagged scalar) and other tags are treated as strings. Untagged plain
    /// scalars are resolved by `schema`.
    public func resolvedScalarType(schema: YAMLSchema = .yaml11) -> YAMLScalarType? {
        let node = resolved
        guard case .scalar(let value) = node.content else { return nil }
        if let tag = node.tag {
            switch tag {
            case "tag:yaml.org,2002:null": return .null
            case "tag:yaml.org,2002:bool": return .bool
            case "tag:yaml.org,2002:int": return .int
            case "tag:yaml.org,2002:float": return .float
            case "tag:yaml.org,2002:timestamp": return .timestamp
            default: return .string
            }
        }
        guard node.style == .plain else { return .string }
        return YAMLNode.resolvePlain(value, schema: schema)
    }

    /// Whether a YAML 1.1 loader reads this scalar as null: ``resolvedScalarType(schema:)``
    /// `== .null` without the number and date patterns that question does not need.
    public var isNull: Bool {
        let node = resolved
        guard case .scalar(let value) = node.content else { return false }
        if let tag = node.tag { return tag == "tag:yaml.org,2002:null" }
        return node.style == .plain && Self.isNullSpelling(value)
    }

    static func isNullSpelling(_ value: String) -> Bool {
        value.isEmpty || value == "~" || value == "null" || value == "Null" || value == "NULL"
    }

    static func resolvePlain(_ value: String, schema: YAMLSchema) -> YAMLScalarType {
        switch schema {
        case .yaml11:
            if isNullSpelling(value) { return .null }
            switch value {
            case "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
                "on", "On", "ON", "off", "Off", "OFF":
                return .bool
            default: break
            }
            guard let first = value.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
                || first == UInt8(ascii: ".") || (first >= 0x30 && first <= 0x39)
            else { return .string }
            // PyYAML resolver.py patterns, verbatim apart from regex syntax.
            if value.wholeMatch(of: #/[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)/#) != nil { return .float }
            if value.wholeMatch(of: #/[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+/#) != nil { return .int }
            if value.wholeMatch(of: #/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?/#) != nil { return .timestamp }
            return .string
        case .core12:
            if isNullSpelling(value) { return .null }
            switch value {
            case "true", "True", "TRUE", "false", "False", "FALSE": return .bool
            default: break
            }
            guard let first = value.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
                || first == UInt8(ascii: ".") || (first >= 0x30 && first <= 0x39)
            else { return .string }
            if value.wholeMatch(of: #/[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+/#) != nil { return .int }
            if value.wholeMatch(of: #/[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)/#) != nil {
                return .float
            }
            return .string
        }
    }
}
