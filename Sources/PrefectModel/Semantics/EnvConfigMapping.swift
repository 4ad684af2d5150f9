/// How Prefect 1.4.1 maps `PREFECT__*` environment variable names to config keys
/// (`interpolate_config` in prefect/configuration.py; facts §2.2).
public enum EnvConfigMapping {
    /// The only prefix Prefect reads, case-sensitive.
    public static let prefix = "PREFECT__"

    /// What a variable name does to the config.
    public enum Classification: Sendable, Equatable {
        /// Not a Prefect variable at all.
        case notPrefect
        /// Spelled like a Prefect variable but not with exactly `PREFECT__` (e.g. `prefect__…`): ignored.
        case ignoredPrefixCase
        /// An ordinary config key (the remainder lowercased, split on `__`).
        case configKey([String])
        /// A secret: `context.secrets.<name>`, with `nestedPath` for `__`-nested keys inside it.
        case secret(name: String, nestedPath: [String])
        /// `PREFECT__CONTEXT__SECRETS` itself: its value replaces the whole secrets mapping.
        case allSecrets
        /// Detected as secrets (case-insensitively) but rewritten to a key outside
        /// `context.secrets`, e.g. `PREFECT__Context__Secrets__X` → `Context.Secrets.X`: unreachable by `Secret.get`.
        case unreachableSecretSpelling([String])
    }

    /// Python's `str.split(sep)`.
    public static func pySplit(_ s: String, _ sep: String) -> [String] {
        let a = Array(s.unicodeScalars), b = Array(sep.unicodeScalars)
        var parts: [String] = []
        var cur = "", i = 0
        while i < a.count {
            if i + b.count <= a.count, Array(a[i..<(i + b.count)]) == b {
                parts.append(cur); cur = ""; i += b.count
            } else { cur.unicodeScalars.append(a[i]); i += 1 }
        }
        parts.append(cur)
        return parts
    }

    /// Python's `str.replace(old, new)` (all occurrences, left to right, non-overlapping).
    static func pyReplace(_ s: String, _ old: String, _ new: String) -> String {
        pySplit(s, old).joined(separator: new)
    }

    /// The config key path a variable sets, or nil when Prefect ignores the variable.
    public static func configPath(forVariable name: String) -> [String]? {
        guard name.hasPrefix(prefix) else { return nil }
        let option = String(name.unicodeScalars.dropFirst(prefix.unicodeScalars.count))
        if option.uppercased().hasPrefix("CONTEXT__SECRETS") {
            return pySplit(pyReplace(option, "CONTEXT__SECRETS", "context__secrets"), "__")
        }
        return pySplit(option.lowercased(), "__")
    }

    /// Classifies a variable name.
    public static func classify(_ name: String) -> Classification {
        // Most variables are not Prefect's: an ASCII first letter other than `p` settles it
        // without upper-casing the name (only `p` and `P` upper-case to `P`).
        if let first = name.utf8.first, first < 0x80, first | 0x20 != 0x70 { return .notPrefect }
        guard let path = configPath(forVariable: name) else {
            return name.uppercased().hasPrefix(prefix) ? .ignoredPrefixCase : .notPrefect
        }
        if path.count >= 2, path[0] == "context", path[1] == "secrets" {
            return path.count == 2 ? .allSecrets : .secret(name: path[2], nestedPath: Array(path.dropFirst(3)))
        }
        let option = String(name.unicodeScalars.dropFirst(prefix.unicodeScalars.count))
        if option.uppercased().hasPrefix("CONTEXT__SECRETS") { return .unreachableSecretSpelling(path) }
        return .configKey(path)
    }

    /// Two Prefect variables whose keys nest (`X` and `X__Y`).
    public struct Collision: Sendable, Equatable {
        /// What Prefect does with them.
        public enum Effect: Sendable, Equatable {
            /// The shorter key comes first: `import prefect` fails (TypeError/AttributeError) unless its value is a dict.
            case importCrash
            /// The longer key comes first: it is silently dropped when the shorter one replaces it.
            case silentlyDropped
        }
        /// The variable with the shorter key.
        public var outer: String
        /// The variable with the longer key.
        public var inner: String
        /// The consequence, decided by environment order.
        public var effect: Effect
    }

    /// Nesting collisions among the environment's Prefect variables, by environment order.
    /// (Keys that also exist in config files keep the files' position; `PrefectConfigLoader` is exact.)
    public static func collisions(in environment: PrefectEnvironment) -> [Collision] {
        let keyed = environment.variables.compactMap { v in configPath(forVariable: v.name).map { (v.name, $0) } }
        var out: [Collision] = []
        for i in keyed.indices {
            for j in keyed.indices where j > i {
                let (a, pa) = keyed[i], (b, pb) = keyed[j]
                if pa.count < pb.count, Array(pb.prefix(pa.count)) == pa {
                    out.append(Collision(outer: a, inner: b, effect: .importCrash))
                } else if pb.count < pa.count, Array(pa.prefix(pb.count)) == pb {
                    out.append(Collision(outer: b, inner: a, effect: .silentlyDropped))
                }
            }
        }
        return out
    }
}
