import PrefectModel

/// PS104 plaintext-secret-env for `EnvVarSecret`: a flow reads `X` with `EnvVarSecret("X")`,
/// and a file of the project writes out a value for `X` (`X=…` in a dotenv file, an
/// `export`, a manifest's or a compose service's env). Its name alone does not say that `X` is a
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
                // serves to read plain settings (`ENVIRONMENT=production`): only a literal with a
                // piece that looks like part of a secret is reported.
                guard let flow = readers[env.name], ContextSecretEnvName.secretPath(env.name) == nil, let span = env.valueSpan,
                    let what = PlaintextSecretEnvRule.writtenOut(env, secretLooking: true)
                else { continue }
                sink.report(
                    "PS104", path: file.path, span: span,
                    message: "secret \(env.name), which \(ModelMessages.flow(flow, model)) reads with EnvVarSecret, is set to \(what) in \(env.context.phrase(in: file.facts, kind: file.kind, at: env.nameSpan)); provide it from a secret store or a variable reference instead",
                    severity: env.context == .documentation ? .info : nil, secretName: env.name, secretSpan: span)
            }
        }
    }
}
