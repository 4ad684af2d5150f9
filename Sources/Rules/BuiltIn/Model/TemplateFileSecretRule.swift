import Patterns
import PrefectModel
import Spans

/// PS106 secret-in-flow-metadata in a local template file: a literal credential in the env of
/// a job template or task definition a flow's run config names by a local path
/// (`KubernetesRun(job_template_path="job.yaml")`, `ECSRun(task_definition_path="td.yaml")`).
/// The run config reads the file when it is built, and registration stores its text with the
/// flow as plaintext metadata (facts §6). Context secrets there are PS104's.
public struct TemplateFileSecretRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS106"] }

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        var reported: Set<ProjectLocation> = []
        for flow in model.flows {
            guard let path = flow.templatePath, let file = model.file(at: path) else { continue }
            for env in file.facts.envAssignments {
                guard SecretInFlowMetadataRule.isLiteralCredential(env), let value = env.value, !value.isEmpty, let span = env.valueSpan,
                    reported.insert(ProjectLocation(path: path, span: span)).inserted
                else { continue }
                sink.report(
                    "PS106", path: path, span: span,
                    message: "\(env.name) is set to a literal value in \(path), which the run config of \(ModelMessages.flow(flow, model)) reads when it is built: registration stores the template with the flow as plaintext metadata; take the value from a Kubernetes Secret (valueFrom.secretKeyRef) or an ECS secret, or pass PrefectSecret(\"NAME\") in the flow",
                    secretSpan: span, redactedValue: Redaction.placeholder(for: Array(value.utf8)))
            }
        }
    }
}
