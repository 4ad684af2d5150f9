import Foundation
import PrefectModel
import Spans

/// PS406 reserved-secret-name: a secret name, or a key inside a dict secret, equal to a method
/// of Prefect's Config (Box 6.1): `import prefect` fails with `Invalid config key` (facts §2.6).
/// The check is case-sensitive, as Prefect's is.
public struct ReservedSecretNameRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS406"] }

    /// `dir(Config)`: its methods, and the attributes Box keeps of its own (`_protected_keys`).
    static let reserved = PrefectConfigLoader.reservedKeys

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        let facts = context.analysis.facts
        let path = context.file.path
        func report(_ key: String, _ span: ByteSpan) {
            sink.report(
                "PS406", path: path, span: span,
                message: "secret key '\(key)' is \(key.hasPrefix("_") ? "a name Prefect's Config class defines" : "the name of a Config method"); `import prefect` fails with Invalid config key: \"\(key)\"")
        }
        for env in facts.envAssignments {
            let secretPath = ContextSecretEnvName.secretPath(env.name)
            for key in secretPath ?? [] where Self.reserved.contains(key) { report(key, env.nameSpan) }
            // Keys inside a JSON dict value are checked too, when the value is Python-literal-compatible.
            if secretPath != nil || Self.isContextSecretsName(env.name), env.origin == .literal, let value = env.value, let span = env.valueSpan,
                Self.mayBeJSONContainer(value), let object = try? JSONSerialization.jsonObject(with: Data(value.utf8)), !value.contains("true"),
                !value.contains("false"), !value.contains("null")
            {
                for key in Self.keys(in: object) where Self.reserved.contains(key) { report(key, span) }
            }
        }
        // A name no config can hold is never found (checked with Prefect 1.4.1).
        for reference in facts.secretReferences {
            guard let name = reference.name, Self.reserved.contains(name) else { continue }
            sink.report(
                "PS406", path: path, span: reference.span,
                message: "secret '\(name)' is the name of a Config method: setting it makes `import prefect` fail, so reading it never finds a value")
        }
        // Env provisions repeat an env assignment checked above.
        for provision in facts.provisions where provision.source != .environment {
            if Self.reserved.contains(provision.name) { report(provision.name, provision.span) }
            // A table in a list takes any key (Prefect 1.4.1 loads `keys` there).
            for nested in provision.nestedKeys where !nested.isInList && Self.reserved.contains(nested.key) { report(nested.key, nested.keySpan) }
        }
    }

    /// `PREFECT__CONTEXT__SECRETS` in any case (Python's `lower()` makes none of its letters
    /// from a non-ASCII one), on bytes: `uppercased()` per env name cost more than the rest of the rule.
    static func isContextSecretsName(_ name: String) -> Bool {
        let expected = "PREFECT__CONTEXT__SECRETS".utf8
        return name.utf8.count == expected.count && zip(name.utf8, expected).allSatisfy { $0 == $1 || ($1 >= 0x41 && $1 <= 0x5A && $0 == $1 | 0x20) }
    }

    /// Whether `value` starts (after blanks) as a JSON object or array does: only those hold keys.
    static func mayBeJSONContainer(_ value: String) -> Bool {
        guard let first = value.utf8.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else { return false }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    static func keys(in object: Any) -> [String] {
        if let dict = object as? [String: Any] { return dict.keys.sorted() + dict.values.flatMap(keys(in:)) }
        if let array = object as? [Any] { return array.flatMap(keys(in:)) }
        return []
    }
}
