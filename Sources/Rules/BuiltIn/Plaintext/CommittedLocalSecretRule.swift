import PrefectModel
import Spans

/// PS103 committed-local-secret: a value under `[context.secrets]` (or `context.secrets.*`) of a
/// Prefect config file inside the project. `${...}`/`$VAR` references are not values, and a
/// value beside references commits a secret only where the part written out looks like part
/// of one (as PS104 judges it: `postgresql://etl:${DB_PASSWORD}@db:5432/etl` does not).
public struct CommittedLocalSecretRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS103"] }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        let bytes = context.file.bytes
        for provision in context.analysis.facts.provisions where provision.source == .localConfig {
            // A single value, or each leaf of a dict secret.
            var values: [(String, ByteSpan, ValueOrigin)] = []
            if let span = provision.valueSpan { values.append((provision.name, span, provision.origin)) }
            for leaf in provision.nestedKeys { if let span = leaf.valueSpan { values.append(("\(provision.name).\(leaf.key)", span, leaf.origin)) } }
            for (label, span, origin) in values where origin != .reference && !span.isEmpty {
                let value = Array(bytes[span.range])
                let text = String(decoding: value, as: UTF8.self)
                guard !ObviousPlaceholder.matches(text), origin != .mixed || PlaintextSecretEnvRule.hasWrittenSecretPart(text) else { continue }
                sink.report(
                    "PS103", path: context.file.path, span: span,
                    message: "local secret \(label) is committed in plaintext in a Prefect config file; keep it out of the repository (or reference an environment variable)",
                    secretName: provision.name, secretSpan: span, redactedValue: Redaction.placeholder(for: value))
            }
        }
    }
}
