/// Labels of a flow run or an agent, with the hostname label kept symbolic: the tool cannot
/// know host names, so Local storage's and the local agent's hostname labels match each other
/// (same machine assumed) and nothing else.
public struct LabelSet: Sendable, Hashable, CustomStringConvertible {
    public var labels: Set<String>
    public var hasHostname: Bool

    public init(_ labels: [String], hasHostname: Bool = false) {
        self.labels = Set(labels)
        self.hasHostname = hasHostname
    }

    public var isEmpty: Bool { labels.isEmpty && !hasHostname }

    public var description: String {
        var parts = labels.sorted()
        if hasHostname { parts.append("<hostname>") }
        return parts.isEmpty ? "no labels" : parts.joined(separator: ",")
    }

    /// A flow run's labels: its run config's labels plus Local storage's hostname label. A
    /// flow without explicit storage gets Local storage at registration (facts §5).
    static func forFlow(_ flow: Flow) -> LabelSet {
        let storage = flow.storageType
        let local = storage == nil || storage == "Local"
        return LabelSet(flow.labels, hasHostname: local)
    }

    /// An agent's labels: `--label` flags, else PREFECT__CLOUD__AGENT__LABELS; a local agent
    /// adds its hostname (unless `--no-hostname-label`, which the analyzer reports by
    /// omitting ``Agent/type`` local's hostname through labels — see ``Agent``).
    static func forAgent(_ agent: Agent) -> LabelSet {
        LabelSet(agent.labels, hasHostname: agent.type == .local && agent.addsHostnameLabel)
    }

    /// Server's rule (facts §5): every run label must be among the agent's; an unlabelled run
    /// only goes to an unlabelled agent.
    public static func agent(_ agent: LabelSet, canRun run: LabelSet) -> Bool {
        if run.isEmpty { return agent.isEmpty }
        if run.hasHostname && !agent.hasHostname { return false }
        return run.labels.isSubset(of: agent.labels)
    }
}
