@testable import PrefectModel

/// Builds resolutions with a fixed fake HOME, as the facts experiments did.
enum SemanticsFixture {
    static let home = "/home/fake-user"

    static func resolution(
        env: [(String, String)], userConfig: ConfigValue? = nil, backendConfig: ConfigValue? = nil,
        backendOverride: String? = nil, cloud: CloudInventory? = nil
    ) -> SecretResolution {
        let input = PrefectConfigInput(
            environment: PrefectEnvironment([("HOME", home)] + env), userConfig: userConfig, backendConfig: backendConfig,
            userHomes: ["root": "/root"])
        return SecretResolution(input: input, backendOverride: backendOverride, cloud: cloud)
    }

    /// `[context.secrets]` with the given entries, as a parsed user config.
    static func secretsTable(_ entries: [ConfigTableEntry]) -> ConfigValue {
        .table([ConfigTableEntry("context", .table([ConfigTableEntry("secrets", .table(entries))]))])
    }

    /// "type repr" of `context.secrets[name]`, or nil.
    static func configSecret(_ r: SecretResolution, _ name: String) -> String? {
        guard case .success(let l) = r.loaded, case .dict(let d, _)? = l.contextSecrets, let v = d[string: name] else { return nil }
        return v.typeName + " " + v.pyRepr
    }

    /// "type repr" of `Secret(name).get()`'s value, or a short outcome description.
    static func get(_ r: SecretResolution, _ name: String) -> String {
        switch r.get(name) {
        case .value(let v, _): return v.typeName + " " + v.pyRepr
        case .localNotFound: return "local-not-found"
        case .cloudNotFound: return "cloud-not-found"
        case .cloudLookupUnknown: return "cloud-lookup-unknown"
        case .cloudValueUnknown: return "cloud-value-unknown"
        case .error(let t, let m): return "error \(t): \(m)"
        case .importCrash(let c): return "crash \(c.exceptionType): \(c.message)"
        }
    }
}
