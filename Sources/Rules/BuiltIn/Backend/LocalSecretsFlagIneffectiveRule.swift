import PrefectModel
import Spans

/// PS302 local-secrets-flag-ineffective: `cloud.use_local_secrets` set to a value that is not a
/// real boolean (`0`, `"no"`: Cloud is only asked when it is exactly False, facts §1.1), set with
/// a Server backend (no effect), or set in an agent's or run config's env (agents force it to
/// false after those, facts §4.3).
public struct LocalSecretsFlagIneffectiveRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS302"] }

    /// Whether Prefect's loading turns `text` into a real boolean: `string_to_type` twice for
    /// an env value (so one layer of quotes is evaluated away), once for a config file's string,
    /// with no blank trimmed (`" false"` stays a string). A text with `$` is expanded from the
    /// environment of the process that loads it (`interpolate_env_vars`): unknown, taken as one.
    static func isBoolean(_ text: String, fromEnv: Bool) -> Bool {
        if text.contains("$") { return true }
        switch fromEnv ? PrefectValueConversion.configValue(ofEnvText: text) : PrefectValueConversion.stringToType(text) {
        case .bool: return true
        default: return false
        }
    }

    /// Whether Prefect loads the env text `text` as False: the value every agent forces, so
    /// writing it in a flow run's or agent's env is redundant, not misleading.
    static func isFalse(_ text: String) -> Bool {
        if case .bool(false) = PrefectValueConversion.configValue(ofEnvText: text) { return true }
        return false
    }

    /// Whether a Job manifest or task definition is a flow run's template: a flow names it, or
    /// an agent of its kind runs in the project. Else it may run a flow itself (`flow.run()`),
    /// where the flag counts.
    static func isRunTemplate(_ file: FileFactsEntry, in model: ProjectModel) -> Bool {
        // Flow code holds a template's env only in a run config's inline template.
        if file.kind == .python { return true }
        let type = file.facts.runTemplate?.agentType ?? .kubernetes
        return model.flows.contains { $0.templatePath == file.path } || model.agents.contains { $0.agent.type == type }
    }

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        let backend = BackendFacts.effectiveBackend(model)
        let envFiles = BackendFacts.envFileReaderBackends(model)
        for file in model.files {
            for entry in file.facts.configEntries where entry.path == ["cloud", "use_local_secrets"] {
                let real = entry.valueType == "boolean" || (entry.stringValue.map { Self.isBoolean($0, fromEnv: false) } ?? false)
                if !real {
                    sink.report(
                        "PS302", path: file.path, span: entry.valueSpan,
                        message: "cloud.use_local_secrets is not a real boolean, so Secret.get never asks Cloud (only exactly False enables it); write true or false")
                } else if let backend, backend != "cloud" {
                    sink.report(
                        "PS302", path: file.path, span: entry.keySpan,
                        message: "cloud.use_local_secrets has no effect with backend \(backend): Secret.get only asks Cloud when the backend is cloud")
                }
            }
            for env in file.facts.envAssignments where env.name == "PREFECT__CLOUD__USE_LOCAL_SECRETS" {
                let span = env.valueSpan ?? env.nameSpan
                if env.origin == .literal, let value = env.value, Self.isFalse(value) { continue }
                if [.agentEnvFlag, .agentEnvVarsJSON, .runConfigEnv].contains(env.context)
                    || (env.context == .jobTemplateEnv && Self.isRunTemplate(file, in: model))
                {
                    sink.report(
                        "PS302", path: file.path, span: env.nameSpan,
                        message: "PREFECT__CLOUD__USE_LOCAL_SECRETS in \(env.context.phrase(in: file.facts, kind: file.kind, at: env.nameSpan)) has no effect: agents force it to false in every flow run")
                } else if env.agentIndex != nil || envFiles[file.path] != nil {
                    // The agent's own environment (an env file it reads too): a local agent
                    // copies it into its flow runs, then forces the flag to false, as every agent does.
                    sink.report(
                        "PS302", path: file.path, span: env.nameSpan,
                        message: "PREFECT__CLOUD__USE_LOCAL_SECRETS in \(env.context.phrase(in: file.facts, kind: file.kind, at: env.nameSpan)) of an agent has no effect on its flow runs: agents force it to false in every flow run")
                } else if env.origin == .literal, let value = env.value, !Self.isBoolean(value, fromEnv: true) {
                    sink.report(
                        "PS302", path: file.path, span: span,
                        message: "PREFECT__CLOUD__USE_LOCAL_SECRETS is not a real boolean, so Secret.get never asks Cloud; write true or false")
                }
            }
        }
    }
}
