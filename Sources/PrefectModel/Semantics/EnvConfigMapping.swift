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

    /// Python's `str.split(sep)` (`sep` not empty). It compares code points exactly, as
    /// Python does, not by canonical equivalence as `String` does: on UTF-8 bytes, where a
    /// match of a whole separator always starts at a code point.
    public static func pySplit(_ s: String, _ sep: String) -> [String] {
        let separator = Array(sep.utf8)
        guard let first = separator.first else { return [s] }
        var s = s
        return s.withUTF8 { bytes in
            var parts: [String] = []
            var start = 0
            var i = 0
            while i + separator.count <= bytes.count {
                if bytes[i] == first, separator.indices.allSatisfy({ bytes[i + $0] == separator[$0] }) {
                    parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                    i += separator.count
                    start = i
                } else {
                    i += 1
                }
            }
            parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            return parts
        }
    }

    /// Python's `str.replace(old, new)` (all occurrences, left to right, non-overlapping).
    static func pyReplace(_ s: String, _ old: String, _ new: String) -> String {
        pySplit(s, old).joined(separator: new)
    }

    /// The name without ``prefix`` (Python's exact `startswith`), or nil.
    private static func option(of name: String) -> String? {
        guard name.utf8.starts(with: prefix.utf8) else { return nil }
        return String(Substring(name.utf8.dropFirst(prefix.utf8.count)))
    }

    /// Python's `option.upper().startswith("CONTEXT__SECRETS")`. When the first 16 bytes are
    /// ASCII they alone make the first 16 upper-cased characters; otherwise (`ſ` upper-cases
    /// to `S`) the whole name is upper-cased.
    private static func namesContextSecrets(_ option: String) -> Bool {
        let expected = "CONTEXT__SECRETS".utf8
        let head = option.utf8.prefix(expected.count)
        if head.count == expected.count, head.allSatisfy({ $0 < 0x80 }) {
            return zip(head, expected).allSatisfy { byte, upper in (byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte) == upper }
        }
        return option.uppercased().utf8.starts(with: expected)
    }

    /// The config key path a variable sets, or nil when Prefect ignores the variable.
    public static func configPath(forVariable name: String) -> [String]? {
        if let fast = asciiConfigPath(forVariable: name) { return fast.path }
        return option(of: name).map(configPath(option:))
    }

    /// Whether ``configPath(forVariable:)`` of `name` is not nil, without building the path:
    /// a project's runs ask it of each variable of each flow and agent pair.
    public static func isConfigVariable(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard utf8.contains(where: { $0 >= 0x80 }) else { return utf8.starts(with: "PREFECT__".utf8) }
        return configPath(forVariable: name) != nil
    }

    /// ``configPath(forVariable:)`` of an ASCII name, in one pass over its bytes: every name
    /// the rules look at goes through here several times, and the general path builds four
    /// intermediate strings. On ASCII, Python's `upper`, `lower`, `replace` and `split` are byte
    /// operations, and `CONTEXT__SECRETS` and its replacement have the same length, so the
    /// replacement is made in place. Returns nil for a non-ASCII name (the general path
    /// decides), `.some(nil)` for a name without the exact prefix.
    private static func asciiConfigPath(forVariable name: String) -> (path: [String]?, namesSecrets: Bool)? {
        var name = name
        return name.withUTF8 { bytes -> (path: [String]?, namesSecrets: Bool)? in
            for byte in bytes where byte >= 0x80 { return nil }
            let prefixBytes: StaticString = "PREFECT__"
            let prefixCount = prefixBytes.utf8CodeUnitCount
            guard bytes.count >= prefixCount, (0..<prefixCount).allSatisfy({ bytes[$0] == prefixBytes.utf8Start[$0] }) else {
                return (nil, false)
            }
            var key = Array(bytes[prefixCount...])
            let secretsBytes: StaticString = "CONTEXT__SECRETS"
            let secretsCount = secretsBytes.utf8CodeUnitCount
            func upper(_ byte: UInt8) -> UInt8 { byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte }
            let namesSecrets = key.count >= secretsCount && (0..<secretsCount).allSatisfy { upper(key[$0]) == secretsBytes.utf8Start[$0] }
            if namesSecrets {
                // `replace("CONTEXT__SECRETS", "context__secrets")`: exact matches, left to right.
                var i = 0
                while i + secretsCount <= key.count {
                    if (0..<secretsCount).allSatisfy({ key[i + $0] == secretsBytes.utf8Start[$0] }) {
                        for j in i..<(i + secretsCount) where key[j] >= 0x41 && key[j] <= 0x5A { key[j] |= 0x20 }
                        i += secretsCount
                    } else {
                        i += 1
                    }
                }
            } else {
                for j in key.indices where key[j] >= 0x41 && key[j] <= 0x5A { key[j] |= 0x20 }
            }
            // `split("__")`.
            var parts: [String] = []
            var start = 0
            var i = 0
            while i + 1 < key.count {
                if key[i] == 0x5F, key[i + 1] == 0x5F {
                    parts.append(String(decoding: key[start..<i], as: UTF8.self))
                    i += 2
                    start = i
                } else {
                    i += 1
                }
            }
            parts.append(String(decoding: key[start...], as: UTF8.self))
            return (parts, namesSecrets)
        }
    }

    private static func configPath(option: String) -> [String] {
        if namesContextSecrets(option) {
            return pySplit(pyReplace(option, "CONTEXT__SECRETS", "context__secrets"), "__")
        }
        return pySplit(option.lowercased(), "__")
    }

    /// Classifies a variable name.
    public static func classify(_ name: String) -> Classification {
        // Most variables are not Prefect's: an ASCII first letter other than `p` settles it
        // without upper-casing the name (only `p` and `P` upper-case to `P`).
        if let first = name.utf8.first, first < 0x80, first | 0x20 != 0x70 { return .notPrefect }
        guard let fast = asciiConfigPath(forVariable: name), let path = fast.path else { return classifyGenerally(name) }
        return classification(path: path, namesSecrets: fast.namesSecrets)
    }

    /// ``classify(_:)`` with Python's string operations on any name.
    static func classifyGenerally(_ name: String) -> Classification {
        guard let option = option(of: name) else {
            return name.uppercased().utf8.starts(with: prefix.utf8) ? .ignoredPrefixCase : .notPrefect
        }
        return classification(path: configPath(option: option), namesSecrets: namesContextSecrets(option))
    }

    private static func classification(path: [String], namesSecrets: Bool) -> Classification {
        if path.count >= 2, path[0] == "context", path[1] == "secrets" {
            return path.count == 2 ? .allSecrets : .secret(name: path[2], nestedPath: Array(path.dropFirst(3)))
        }
        if namesSecrets { return .unreachableSecretSpelling(path) }
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
