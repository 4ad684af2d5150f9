import Spans

/// Which Prefect config file a TOML file is, which decides its precedence (facts §2.1).
public enum PrefectConfigRole: String, Sendable, Hashable, Codable {
    /// `~/.prefect/config.toml` or the file named by PREFECT__USER_CONFIG_PATH.
    case userConfig
    /// `~/.prefect/backend.toml`: merged after the user config, so it wins.
    case backendConfig
    /// `~/.prefect/auth.toml`: API keys per server.
    case authConfig
}

/// One leaf key of a Prefect config file (outside `[context.secrets]`, which become
/// ``SecretProvision``s): `backend`, `cloud.use_local_secrets`, `cloud.api_key`, ...
public struct ConfigEntry: Sendable, Hashable {
    /// The key path as Prefect sees it (TOML keys are case-sensitive; Prefect lowercases env
    /// names only), e.g. `["cloud", "use_local_secrets"]`.
    public var path: [String]
    public var keySpan: ByteSpan
    public var valueSpan: ByteSpan
    /// The value as text when it is a TOML string; nil for other TOML types.
    public var stringValue: String?
    /// The TOML type ("string", "boolean", "integer", ...), for rules such as PS302.
    public var valueType: String

    public init(path: [String], keySpan: ByteSpan, valueSpan: ByteSpan, stringValue: String?, valueType: String) {
        self.path = path
        self.keySpan = keySpan
        self.valueSpan = valueSpan
        self.stringValue = stringValue
        self.valueType = valueType
    }

    public var dottedPath: String { path.joined(separator: ".") }
}
