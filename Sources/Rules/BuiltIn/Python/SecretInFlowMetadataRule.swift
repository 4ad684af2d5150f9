import Patterns
import PrefectModel

/// PS106 secret-in-flow-metadata: literal credentials where Prefect stores or bakes them in
/// plaintext: run config `env` (non-secret names that look like credentials; context secrets
/// are PS104's), `Parameter` defaults, S3/CodeCommit `client_options`, Webhook request kwargs
/// without `${NAME}` templates, Docker storage `env_vars` (facts §6, §7.1, §10 item 17); and
/// credentials those places take from the registering machine's environment.
public struct SecretInFlowMetadataRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS106"] }

    static func phrase(_ place: FlowMetadataPlace) -> String {
        switch place {
        case .parameterDefault: "a Parameter default, stored with the flow in the backend"
        case .s3ClientOptions: "S3/CodeCommit storage client_options, uploaded with the flow"
        case .webhookRequestKwargs: "Webhook storage request kwargs, uploaded with the flow (use a ${NAME} template)"
        case .dockerEnvVars: "Docker storage env_vars, baked into the image as ENV"
        case .templateFile: "a local template file read when the run config is built"
        case .runConfigEnv: "a run config's env, stored with the flow in the backend"
        case .storageSecretName: "a storage's secret-name argument, stored with the flow"
        case .flowRunParameters: "the parameters of a flow run it creates, stored by the backend"
        case .secretParameter: "the parameters of the flow's runs, stored by the backend"
        }
    }

    /// Prefect credentials every agent sets (or removes) in the flow runs it starts, after the
    /// run config's env (facts §4.3).
    static let agentForcedCredentials: Set<String> = ["PREFECT__CLOUD__API_KEY"]

    /// An env entry that writes out a credential (a credential's name, or a variable a flow
    /// reads as a secret, with a literal value that is no placeholder); context secrets are PS104's.
    static func isLiteralCredential(_ env: EnvAssignment, readAsSecrets: Set<String> = []) -> Bool {
        guard ContextSecretEnvName.secretPath(env.name) == nil, env.name != "PREFECT__CONTEXT__SECRETS", env.origin == .literal,
            let value = env.value, env.valueSpan != nil
        else { return false }
        return (PrefectComponents.looksLikeCredentialName(env.name) || readAsSecrets.contains(env.name)) && !HardcodedSecretArgumentRule.isAllowed(value)
    }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        guard context.analysis.kind == .python else { return }
        let facts = context.analysis.facts
        let bytes = context.file.bytes
        // Variables the file's flows read as secrets (`EnvVarSecret("SNOWFLAKE_PW")`) are
        // credentials whatever their names say.
        let readAsSecrets = Set(facts.secretReferences.filter { $0.kind == .envVarSecret }.compactMap(\.name))
        for env in facts.envAssignments where env.context == .runConfigEnv {
            guard Self.isLiteralCredential(env, readAsSecrets: readAsSecrets), let span = env.valueSpan else { continue }
            // Agents put their own key into every run over the run config's (facts §4.3).
            let advice = Self.agentForcedCredentials.contains(env.name)
                ? "remove it: the agent puts its own into every flow run" : "pass the value with PrefectSecret(\"NAME\") instead"
            sink.report(
                "PS106", path: context.file.path, span: span,
                message: "\(env.name) is set to a literal value in a run config's env, which the backend stores as plaintext flow metadata; \(advice)",
                secretSpan: span, redactedValue: Redaction.placeholder(for: bytes[span.range]))
        }
        for read in facts.python?.metadataEnvReads ?? [] where read.key.isEmpty {
            sink.report(
                "PS106", path: context.file.path, span: read.span,
                message: "a run config's env copies \(read.variable) of the registering machine: registration stores every variable in it, credentials too, as plaintext flow metadata; give the env only the names the flow needs, and let the agent provide secrets")
        }
        for read in facts.python?.metadataEnvReads ?? [] where read.isSecretValue && read.place != .flowRunParameters {
            let secret = read.variable.isEmpty ? "a secret" : "secret \(read.variable)"
            let message = read.place == .storageSecretName
                ? "\(read.key) takes a secret's name, but gets the value of \(secret), read where the flow is built: registration stores that value with the flow's storage as plaintext, and every run looks up a secret named after it and fails; pass the name (\(read.key)=\"\(read.variable.isEmpty ? "NAME" : read.variable)\")"
                : "\(read.key.isEmpty ? "it" : read.key) takes the value of \(secret), read where the flow is built, and registration puts that value in \(Self.phrase(read.place)); let the flow read it at run time instead (PrefectSecret(\"NAME\"), or the agent's env)"
            sink.report("PS106", path: context.file.path, span: read.span, message: message)
        }
        for read in facts.python?.metadataEnvReads ?? [] where read.place == .storageSecretName && !read.isSecretValue {
            sink.report(
                "PS106", path: context.file.path, span: read.span,
                message: "\(read.key) takes a secret's name, but gets the value of \(read.variable) from the registering machine's environment: registration stores that value with the flow's storage as plaintext, and every run looks up a secret named after it and fails; pass the name (\(read.key)=\"\(read.variable)\")")
        }
        for read in facts.python?.metadataEnvReads ?? [] where read.place == .flowRunParameters {
            sink.report(
                "PS106", path: context.file.path, span: read.span,
                message: "the value of secret \(read.variable) is passed as parameter \(read.key) of a flow run created here: the backend stores flow run parameters in plaintext and shows them in the UI; pass the secret's name and let the flow read it with PrefectSecret")
        }
        for read in facts.python?.metadataEnvReads ?? [] where read.place == .secretParameter {
            sink.report(
                "PS106", path: context.file.path, span: read.span,
                message: "parameter '\(read.key)' takes a secret's value: the value each run is given is stored by the backend as a plaintext flow-run parameter and shown in the UI; let the parameter take the secret's name instead, and read the value with PrefectSecret()(name=…) in the flow")
        }
        for read in facts.python?.metadataEnvReads ?? [] where !read.key.isEmpty && !read.isSecretValue && read.place != .storageSecretName && read.place != .flowRunParameters && read.place != .secretParameter
            && (read.namedAsSecret || readAsSecrets.contains(read.key) || readAsSecrets.contains(read.variable))
        {
            sink.report(
                "PS106", path: context.file.path, span: read.span,
                message: "\(read.key) takes its value from \(read.variable) in the registering machine's environment, and registration puts that value in \(Self.phrase(read.place)); let the agent provide it at run time instead (its --env or environment, or PrefectSecret(\"NAME\") in the flow)")
        }
        for literal in facts.python?.metadataLiterals ?? [] where literal.place != .templateFile {
            guard !HardcodedSecretArgumentRule.isAllowed(literal.value) else { continue }
            sink.report(
                "PS106", path: context.file.path, span: literal.valueSpan,
                message: "a literal value for \(literal.key) is in \(Self.phrase(literal.place))",
                secretSpan: literal.valueSpan, redactedValue: Redaction.placeholder(for: bytes[literal.valueSpan.range]))
        }
    }
}
