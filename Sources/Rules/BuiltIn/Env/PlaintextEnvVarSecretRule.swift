import PrefectModel

/// PS104 plaintext-secret-env for `EnvVarSecret`: a flow reads `X` with `EnvVarSecret("X")`,
/// and a file of the project sets `X` to a literal (`X=…` in a dotenv file, an `export`, a
/// manifest's or a compose service's env). Its name alone does not say that `X` is a
/// secret, so ``PlaintextSecretEnvRule`` (one file, `PREFECT__CONTEXT__SECRETS__*` names)
/// cannot see it; the reports already hide such values (``ProjectModel/environmentSecretAssignments()``).
public struct PlaintextEnvVarSecretRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS104"] }

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        // The first flow that reads each name, for the message.
        var readers: [String: FlowEntity] = [:]
        for flow in model.flows {
            for reference in flow.references where reference.kind == .envVarSecret {
                if let name = reference.name, readers[name] == nil { readers[name] = flow }
            }
        }
        guard !readers.isEmpty else { return }
        for file in model.files {
            for env in file.facts.envAssignments {
                // `PREFECT__CONTEXT__SECRETS__*` names are the file rule's. EnvVarSecret also
                // serves to read plain settings (`ENVIRONMENT=production`): only a value with a
                // piece that looks like part of a secret is reported.
                guard let flow = readers[env.name], ContextSecretEnvName.secretPath(env.name) == nil,
                    env.origin == .literal || env.origin == .mixed || env.origin == .reference, let value = env.value, !value.isEmpty,
                    let span = env.valueSpan
                else { continue }
                // As the file rule judges them: a default written out (`${DSN:-…}`), a part
                // beside a reference, a literal.
                let defaulted = env.origin != .literal
                    && PlaintextSecretEnvRule.referenceDefaults(in: value).contains(where: PlaintextSecretEnvRule.hasWrittenSecretPart)
                let written = PlaintextSecretEnvRule.hasWrittenSecretPart(value)
                guard defaulted || (env.origin == .mixed && written) || (env.origin == .literal && written && PlaintextSecretEnvRule.isPlaintext(value))
                else { continue }
                let what = defaulted ? "a reference with its default written out (`${NAME:-…}`)" : env.origin == .mixed ? "a value partly written out (beside a reference)" : "a literal value"
                sink.report(
                    "PS104", path: file.path, span: span,
                    message: "secret \(env.name), which \(ModelMessages.flow(flow, model)) reads with EnvVarSecret, is set to \(what) in \(env.context.phrase(in: file.facts, kind: file.kind)); provide it from a secret store or a variable reference instead",
                    severity: env.context == .documentation ? .info : nil, secretName: env.name, secretSpan: span)
            }
        }
    }
}
