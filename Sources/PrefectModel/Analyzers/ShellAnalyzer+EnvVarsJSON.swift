import ShellWords
import Spans

extension ShellFactsBuilder {
    /// The name whose JSON value becomes the agent's `env_vars` when no `--env` is given (facts §2.5, §4.2).
    static let agentEnvVarsName = "PREFECT__CLOUD__AGENT__ENV_VARS"

    /// Each member of `PREFECT__CLOUD__AGENT__ENV_VARS='{"K": "V"}'` as an assignment of its own
    /// (spans inside the value), so the env rules see what reaches flow runs. Empty unless the
    /// value is a JSON object; non-string members are left to PS208.
    static func envVarsEntries(_ a: EnvAssignmentSyntax, context: EnvContext) -> [EnvAssignment] {
        guard a.name == agentEnvVarsName, let word = a.value, EnvValueSyntax.origin(of: word) != .reference,
            let members = EnvValueSyntax.jsonObjectMembers(Array(word.value.utf8))
        else { return [] }
        let map = word.valueOffsetMap
        return members.compactMap { member in
            guard let value = member.value else { return nil }
            return EnvAssignment(
                name: member.key, nameSpan: map.span(member.keyRange.lowerBound, member.keyRange.upperBound), value: value,
                valueSpan: map.span(member.valueRange.lowerBound, member.valueRange.upperBound),
                // The agent expands `$VAR` in these values with its own env (facts §4.5).
                origin: EnvValueSyntax.origin(of: value), context: context)
        }
    }
}
