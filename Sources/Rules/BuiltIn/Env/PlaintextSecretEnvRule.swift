import Patterns
import PrefectModel

/// PS104 plaintext-secret-env: `PREFECT__CONTEXT__SECRETS__X=<literal>` anywhere an env
/// assignment is written (scripts, manifests, compose files, Dockerfiles, dotenv files, agent
/// `--env` flags, PREFECT__CLOUD__AGENT__ENV_VARS, run config env). References, empty values
/// and placeholders are not findings; documentation code blocks are reported as info.
public struct PlaintextSecretEnvRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS104"] }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        let bytes = context.file.bytes
        for env in context.analysis.facts.envAssignments {
            let isWholeTable = env.name == "PREFECT__CONTEXT__SECRETS" || env.name == "PREFECT__context__secrets"
            guard let secret = ContextSecretEnvName.secretPath(env.name)?.first ?? (isWholeTable ? "(all secrets)" : nil),
                env.origin == .literal, let value = env.value, !value.isEmpty, let span = env.valueSpan
            else { continue }
            guard !ObviousPlaceholder.matches(value), !SecretHeuristics.isReference(Array(value.utf8)) else { continue }
            let documentation = env.context == .documentation || context.analysis.isDocumentation
            sink.report(
                "PS104", path: context.file.path, span: span,
                message: "secret \(secret) is set to a literal value in \(env.context.phrase(in: context.analysis.facts)); provide it from a secret store or a variable reference instead",
                severity: documentation ? .info : nil, secretName: isWholeTable ? nil : secret, secretSpan: span,
                redactedValue: Redaction.placeholder(for: bytes[span.range]))
        }
    }
}
