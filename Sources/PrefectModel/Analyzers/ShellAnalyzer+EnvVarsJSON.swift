import ShellWords
import Spans
import YAML

extension ShellFactsBuilder {
    /// The name whose JSON value becomes the agent's `env_vars` when no `--env` is given (facts §2.5, §4.2).
    static let agentEnvVarsName = "PREFECT__CLOUD__AGENT__ENV_VARS"

    /// Each entry of `PREFECT__CLOUD__AGENT__ENV_VARS='{"K": "V"}'` as an assignment of its own
    /// (spans inside the value), so the env rules see what reaches flow runs. Empty unless the
    /// value is a JSON object with scalar keys and values.
    static func envVarsEntries(_ a: EnvAssignmentSyntax, context: EnvContext) -> [EnvAssignment] {
        guard a.name == agentEnvVarsName, let word = a.value else { return [] }
        let text = Array(word.value.utf8)
        guard text.first(where: { $0 != 0x20 && $0 != 0x09 }) == 0x7B,
            let stream = try? YAMLStream.parse(text, aliasLimit: 100, depthLimit: 8),
            let root = stream.documents.first?.root, root.style == .flow, let pairs = root.pairs
        else { return [] }
        let map = word.valueOffsetMap
        // Local byte ranges the shell fills in at run time.
        var referenceRanges: [Range<Int>] = []
        var position = 0
        for part in word.parts {
            let count = part.text.utf8.count
            if !part.isLiteral { referenceRanges.append(position..<(position + count)) }
            position += count
        }
        func origin(_ span: ByteSpan) -> ValueOrigin {
            let covered = referenceRanges.filter { $0.overlaps(span.range) }
            if covered.isEmpty { return .literal }
            return covered.contains { $0.lowerBound <= span.start && $0.upperBound >= span.end } ? .reference : .mixed
        }
        var out: [EnvAssignment] = []
        for pair in pairs {
            guard let name = pair.key.scalar, let value = pair.value.scalar, pair.value.kind == .scalar else { continue }
            let nameSpan = content(of: pair.key)
            let valueSpan = content(of: pair.value)
            out.append(
                EnvAssignment(
                    name: name, nameSpan: map.span(nameSpan.start, nameSpan.end), value: value,
                    valueSpan: map.span(valueSpan.start, valueSpan.end), origin: origin(valueSpan), context: context))
        }
        return out
    }

    /// A scalar's text without its quotes.
    static func content(of node: YAMLNode) -> ByteSpan {
        guard node.style == .singleQuoted || node.style == .doubleQuoted, node.span.length >= 2 else { return node.span }
        return ByteSpan(node.span.start + 1, node.span.end - 1)
    }
}
