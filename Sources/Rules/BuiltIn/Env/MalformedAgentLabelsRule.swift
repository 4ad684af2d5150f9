import Foundation
import PrefectModel
import Spans

/// PS209 malformed-agent-labels: PREFECT__CLOUD__AGENT__LABELS that the agent cannot take
/// as labels. Prefect's config evaluates the value (`string_to_type`, twice) and the agent calls
/// `list()` on it: a string becomes one label per character (`dev` gives d, e, v), a number
/// or `None` makes the agent fail to start (facts §2.5). A list, tuple, set or dict (`{}`, no
/// labels) is fine.
public struct MalformedAgentLabelsRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS209"] }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        // A flow run's env (an agent's --env, a run config) starts no agent: labels there do nothing.
        for env in context.analysis.facts.envAssignments where env.name == "PREFECT__CLOUD__AGENT__LABELS" && !env.context.reachesOnlyFlowRuns {
            guard env.origin == .literal, let value = env.value, let span = env.valueSpan else { continue }
            // `--label` replaces it (facts §4.2): where every agent of the file it reaches takes
            // its labels from flags, it does nothing.
            let agents = context.analysis.facts.agents
            let reached = env.agentIndex.map { agents.indices.contains($0) ? [agents[$0]] : [] } ?? agents
            if !reached.isEmpty, reached.allSatisfy(\.labelsFromFlags) { continue }
            // Set through another key (a Helm chart's `prefectLabels`): that key, and what it sets.
            let written = env.nameSpan.end <= context.file.bytes.count ? String(decoding: context.file.bytes[env.nameSpan.range], as: UTF8.self) : env.name
            let setting = written.contains(env.name) || !written.utf8.allSatisfy(ASCIIBytes.isWordByte) ? env.name : "\(written) (the chart's \(env.name))"
            report(value, converted: PrefectValueConversion.configValue(ofEnvText: value), setting: setting, span: span, rendered: setting != env.name, in: context, into: &sink)
        }
        // A Prefect config file's `[cloud.agent] labels`: a string there is evaluated once.
        for entry in context.analysis.facts.configEntries where entry.path == ["cloud", "agent", "labels"] {
            guard let value = entry.stringValue else {
                // A number or boolean: `list()` of it fails.
                if entry.valueType != "array", entry.valueType != "table", entry.valueSpan.end <= context.file.bytes.count {
                    let text = String(decoding: context.file.bytes[entry.valueSpan.range], as: UTF8.self)
                    report(text, converted: PrefectValueConversion.stringToType(text), setting: "cloud.agent.labels", span: entry.valueSpan, in: context, into: &sink)
                }
                continue
            }
            report(value, converted: PrefectValueConversion.stringToType(value), setting: "cloud.agent.labels", span: entry.valueSpan, in: context, into: &sink)
        }
    }

    /// Reports a label setting whose text `value`, as Prefect loads it (`converted`), is no list.
    /// `rendered`: the value is what a chart renders from another key (`null` for an empty one).
    private func report(
        _ value: String, converted: PyValue, setting: String, span: ByteSpan, rendered: Bool = false, in context: FileContext, into sink: inout FindingSink
    ) {
        let trimmed = Whitespace.trimmed(value)
        // A placeholder (`<your-labels>`) in an example file is not a value yet.
        // (`None`, Python's own spelling, is a value: the agent fails on it.)
        guard !trimmed.isEmpty, trimmed == "None" || rendered || !ObviousPlaceholder.matches(trimmed) else { return }
        // The labels the text was meant to give (quotes around it evaluated away; `dev,prod`
        // is two), as a list literal.
        switch converted {
        case .list, .tuple, .set, .dict, .bytes: return
        default: break
        }
        var label = converted.stringValue ?? trimmed
        // `[k8s, prod]`: a list its quotes are missing from; the brackets are no part of the labels.
        var isEdge = Whitespace.isBlank
        if label.hasPrefix("["), label.hasSuffix("]") {
            label = String(label.dropFirst().dropLast())
            isEdge = { $0 == "'" || $0 == "\"" || Whitespace.isBlank($0) }
        }
        let labels = label.split(separator: ",").map { Whitespace.trimmed($0, while: isEdge) }.filter { !$0.isEmpty }
        let list = "[" + labels.map { "'\($0.replacingOccurrences(of: "'", with: "\\'"))'" }.joined(separator: ", ") + "]"
        var fix = labels.isEmpty || label.contains(where: { "\"$\\`".contains($0) }) ? nil : Self.listFix(
            list, replacing: span, in: context.file, description: "write the labels as a list literal")
        let problem: String
        var advice: String
        switch converted {
        case .str(let string) where Redaction.hasRandomLookingRun(string):
            // It may be a key pasted in the wrong place: neither its characters nor a fix
            // that writes it out are shown.
            problem = "is not a list literal, so the agent gets one label per character (\(string.count) labels)"
            advice = "write the labels as a list literal (['…'])"
            fix = nil
        case .str(let string) where rendered && trimmed.hasPrefix("["):
            // `[eu, no]`: the chart renders `no` as false, and `["eu",false]` is no Python literal.
            problem = "is a list the chart renders as JSON that is no Python literal (an unquoted yes, no, on, off, true, false or null in it), so the agent gets one label per character (\(string.count) labels)"
            advice = ""
        case .str(let string):
            // A short word's characters show the mistake (`dev` gives d, e, v); a longer
            // value's would spell out what may be a secret.
            let characters = string.count <= 8 ? "[" + string.map { "'\($0)'" }.joined(separator: ", ") + "]" : "\(string.count) labels"
            problem = "is not a list literal, so the agent gets one label per character (\(characters))"
            advice = "write \(labels.isEmpty ? "['\(label)']" : list)"
        case .none:
            problem = "is None to Prefect, and the agent fails to start: list(None) raises TypeError"
            advice = "write [] for no labels"
            fix = Self.listFix("[]", replacing: span, in: context.file, description: "write an empty list")
        default:
            problem = "is \(LossySecretValueRule.article(converted.typeName)) \(converted.typeName) to Prefect, and the agent fails to start: list() of it raises TypeError"
            advice = "write a list literal (['\(trimmed)'])"
        }
        // A chart's rendering of another key: what it rendered is no text to write back.
        if rendered {
            if converted.stringValue.map(Redaction.hasRandomLookingRun) != true {
                advice = "write the labels as a YAML list of quoted strings ([\"label\"]; [] for none)"
            }
            fix = nil
        }
        sink.report("PS209", path: context.file.path, span: span, message: "\(setting) \(problem); \(advice)", fix: fix)
    }

    /// A fix writing the list literal `list` for the value at `span`, quoted so that the shell,
    /// Dockerfile, systemd, dotenv or YAML around it passes the text on as written: inside the
    /// value's double quotes; else in double quotes of its own (in place of single ones), as
    /// an unquoted `['prod']` loses its quotes (`[prod]`, one label a character again) and is a
    /// list to YAML.
    static func listFix(_ list: String, replacing span: ByteSpan, in file: SourceFile, description: String) -> Fix {
        let bytes = file.bytes
        let before = span.start > 0 && span.start <= bytes.count ? bytes[span.start - 1] : 0
        let after = span.end < bytes.count ? bytes[span.end] : 0
        let edit: TextEdit
        if before == 0x22, after == 0x22 {
            edit = TextEdit(span: span, replacement: list)
        } else if before == 0x27, after == 0x27 {
            edit = TextEdit(span: ByteSpan(span.start - 1, span.end + 1), replacement: "\"\(list)\"")
        } else {
            edit = TextEdit(span: span, replacement: "\"\(list)\"")
        }
        return Fix(applicability: .unsafe, description: description, edits: [FixEdit(path: file.path, edit: edit)])
    }
}
