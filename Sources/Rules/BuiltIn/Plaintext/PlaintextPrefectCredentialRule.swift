import Patterns
import PrefectModel
import Spans

/// PS105 plaintext-prefect-credential: a literal Prefect API key, auth token, or Server
/// database/Hasura password in a config file, an env assignment, or a `--key`/`--token` flag
/// (facts §11).
public struct PlaintextPrefectCredentialRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS105"] }

    /// Config keys (facts §11) and what they hold.
    static let configKeys: [[String]: String] = [
        ["cloud", "api_key"]: "Prefect Cloud API key",
        ["cloud", "auth_token"]: "Prefect Cloud auth token",
        ["cloud", "agent", "auth_token"]: "Prefect agent auth token",
        ["server", "database", "password"]: "Prefect Server database password",
        ["server", "database", "connection_url"]: "Prefect Server database URL with a password",
        ["server", "hasura", "admin_secret"]: "Hasura admin secret",
    ]

    static let envNames: [String: String] = [
        "PREFECT__CLOUD__API_KEY": "Prefect Cloud API key",
        "PREFECT__CLOUD__AUTH_TOKEN": "Prefect Cloud auth token",
        "PREFECT__CLOUD__AGENT__AUTH_TOKEN": "Prefect agent auth token",
        "PREFECT__SERVER__DATABASE__PASSWORD": "Prefect Server database password",
        "PREFECT__SERVER__DATABASE__CONNECTION_URL": "Prefect Server database URL with a password",
        "PREFECT__SERVER__HASURA__ADMIN_SECRET": "Hasura admin secret",
        "PREFECT_SERVER__HASURA__ADMIN_SECRET": "Hasura admin secret",
    ]

    /// Prefect Server's shipped defaults (facts §11: config.toml, cli/docker-compose.yml).
    /// Writing one out shows nothing Prefect's own source does not, and leaving it out changes
    /// nothing: the server runs with it either way.
    static let serverDefaultPassword = "test-password"
    static let serverDefaults: [String: String] = [
        "Prefect Server database password": serverDefaultPassword, "Hasura admin secret": "hasura-secret-admin-secret",
    ]

    /// A value that is plaintext: not empty, not a `${...}`/`$VAR` reference, not a placeholder
    /// nor Prefect Server's default, and for connection URLs only when a password is inline.
    static func isPlaintext(_ value: String, what: String) -> Bool {
        let bytes = Array(value.utf8)
        guard !value.isEmpty, !ObviousPlaceholder.matches(value), !SecretHeuristics.isReference(bytes), serverDefaults[what] != value
        else { return false }
        // A real key or token is random: `prefect-api-key` names the slot.
        if what.hasSuffix(" key") || what.hasSuffix(" token") || what == "key", ObviousPlaceholder.namesTheSlot(value) { return false }
        if what.contains("URL") {
            // scheme://user:password@host
            guard value.contains("://"), let userInfo = URLUserInfo.range(in: value),
                let colon = value[userInfo].firstIndex(of: ":")
            else { return false }
            return value[value.index(after: colon)..<userInfo.upperBound] != serverDefaultPassword
        }
        return true
    }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        let facts = context.analysis.facts
        let path = context.file.path
        let bytes = context.file.bytes
        func report(_ what: String, _ span: ByteSpan, _ where_: String) {
            sink.report(
                "PS105", path: path, span: span, message: "\(what) written as a literal in \(where_)",
                secretSpan: span, redactedValue: Redaction.placeholder(for: bytes[span.range]))
        }
        if facts.configRole != nil {
            for entry in facts.configEntries {
                let what = Self.configKeys[entry.path]
                    ?? (facts.configRole == .authConfig && entry.path.last == "api_key" ? "Prefect Cloud API key" : nil)
                guard let what, let value = entry.stringValue, Self.isPlaintext(value, what: what) else { continue }
                report(what, entry.valueSpan, "Prefect config key \(entry.dottedPath)")
            }
        }
        for env in facts.envAssignments {
            // A value that is the variable's own name is a slot the agent fills (Prefect's
            // legacy Kubernetes job_spec.yaml: `PREFECT__CLOUD__AUTH_TOKEN: PREFECT__CLOUD__AUTH_TOKEN`).
            guard let what = Self.envNames[env.name], env.origin == .literal, let value = env.value, let span = env.valueSpan,
                value != env.name, Self.isPlaintext(value, what: what)
            else { continue }
            report(what, span, env.context.phrase(in: facts, kind: context.analysis.kind, at: env.nameSpan))
        }
        for literal in facts.python?.hardcodedLiterals ?? [] where literal.site == .prefectClientKey {
            guard Self.isPlaintext(literal.value, what: "key"), !HardcodedSecretArgumentRule.isAllowed(literal.value) else { continue }
            report(
                literal.key == "api_key" ? "Prefect Cloud API key" : "Prefect API token", literal.valueSpan,
                "a Client(\(literal.key)=…) call: leave it out, and Prefect reads it from its config (`prefect auth login`, PREFECT__CLOUD__API_KEY)")
        }
        for flag in facts.credentialFlags where flag.origin == .literal {
            let value = context.file.text(flag.valueSpan)
            guard Self.isPlaintext(value, what: "key") else { continue }
            report("Prefect API key or token", flag.valueSpan, "a \(flag.flag) command-line flag (also visible in the process list)")
        }
        // `RUN prefect auth login --key "$PREFECT_API_KEY"`: whatever the reference, the key
        // ends up in the image.
        for flag in facts.credentialFlags where flag.isInImageBuild && flag.origin != .literal && !flag.valueSpan.isEmpty {
            sink.report(
                "PS105", path: path, span: flag.valueSpan,
                message: "Prefect API key given to `prefect auth login` in a Dockerfile RUN: the login writes it to ~/.prefect/auth.toml in the image's layer, and a build argument it comes from stays in the image's history; log in where the container runs (PREFECT__CLOUD__API_KEY in its environment) instead")
        }
    }
}
