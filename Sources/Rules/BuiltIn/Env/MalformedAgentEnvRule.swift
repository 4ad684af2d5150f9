import Foundation
import PrefectModel
import Spans

/// PS208 malformed-agent-env: an agent `--env` value without `=` (the agent crashes at start,
/// facts §4.2), or a PREFECT__CLOUD__AGENT__ENV_VARS value that is not a JSON object of strings.
public struct MalformedAgentEnvRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS208"] }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        for env in context.analysis.facts.envAssignments {
            if env.context == .agentEnvFlag, env.value == nil {
                // The text may be a value typed without its name: keep it out of the message.
                sink.report(
                    "PS208", path: context.file.path, span: env.nameSpan,
                    message: "agent --env value has no '=': Prefect splits --env on the first '=', so the agent fails to start",
                    secretSpan: env.nameSpan)
            } else if env.context == .agentEnvFlag, env.name.isEmpty, let span = env.valueSpan {
                // Prefect splits `=VALUE` into an empty name and the value: no variable gets it.
                sink.report(
                    "PS208", path: context.file.path, span: ByteSpan(env.nameSpan.start, span.end),
                    message: "agent --env value has an empty name before '=': the flow run gets the value under no usable variable name",
                    severity: .warning, secretSpan: span)
            } else if env.name == "PREFECT__CLOUD__AGENT__ENV_VARS", env.origin == .literal || env.origin == .mixed, let value = env.value,
                let span = env.valueSpan, !Self.isReplacedByFlags(env, agents: context.analysis.facts.agents),
                Self.isMalformedEnvVars(value, hasReferences: env.origin == .mixed)
            {
                sink.report(
                    "PS208", path: context.file.path, span: span,
                    message: "PREFECT__CLOUD__AGENT__ENV_VARS must be a JSON object whose values are all strings; Prefect keeps anything else as a string and job creation fails",
                    secretSpan: span)
            }
        }
    }

    /// Whether the agents that read the setting all have `--env` flags, which replace it
    /// (facts §4.2): its agent's, or every agent of a file whose env it is not tied to.
    static func isReplacedByFlags(_ env: EnvAssignment, agents: [Agent]) -> Bool {
        if let index = env.agentIndex, agents.indices.contains(index) { return agents[index].flowRunEnvFromFlags }
        return !agents.isEmpty && agents.allSatisfy(\.flowRunEnvFromFlags)
    }

    /// Whether Prefect's config does not make the value a dict of strings: it literal-evaluates
    /// it, so a Python dict passes and JSON with `true`, `false` or `null` stays a string (facts
    /// §2.3). With `$NAME` references in it, which Prefect expands first, only text that is
    /// JSON as written is judged: a reference may stand for any part.
    static func isMalformedEnvVars(_ text: String, hasReferences: Bool) -> Bool {
        if case .dict(let dict, _) = PrefectValueConversion.configValue(ofEnvText: text) {
            return !dict.entries.allSatisfy { if case .str = $0.value { true } else { false } }
        }
        return !hasReferences || (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil
    }
}
