import PrefectModel

/// PS209 malformed-agent-labels: PREFECT__CLOUD__AGENT__LABELS that is not a list literal. The
/// agent calls `list()` on the value, so `dev` becomes the labels d, e, v (facts §2.5).
public struct MalformedAgentLabelsRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS209"] }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        for env in context.analysis.facts.envAssignments where env.name == "PREFECT__CLOUD__AGENT__LABELS" {
            guard env.origin == .literal, let value = env.value, let span = env.valueSpan else { continue }
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            // A placeholder (`<your-labels>`) in an example file is not a value yet.
            guard !trimmed.isEmpty, !trimmed.hasPrefix("["), !trimmed.hasPrefix("("), !ObviousPlaceholder.matches(trimmed) else { continue }
            let characters = trimmed.prefix(12).map { "'\($0)'" }.joined(separator: ", ")
            sink.report(
                "PS209", path: context.file.path, span: span,
                message: "PREFECT__CLOUD__AGENT__LABELS is not a list literal, so the agent gets one label per character ([\(characters)\(trimmed.count > 12 ? ", …" : "")]); write ['\(trimmed)']",
                fix: Fix(
                    applicability: .unsafe, description: "write the labels as a list literal",
                    edits: [FixEdit(path: context.file.path, edit: .init(span: span, replacement: "['\(trimmed.replacingOccurrences(of: "'", with: "\\'"))']"))]))
        }
    }
}

import Foundation
import Spans
