/// A run's or an agent's label set, with Local storage's hostname label kept apart because
/// its value depends on the registering machine.
public struct LabelSet: Sendable, Hashable, CustomStringConvertible {
    public var labels: Set<String>
    public var hasHostname: Bool
    /// Labels the tool cannot read (`--label "$ENV"`, `labels=[ENV]`), as written: each may be
    /// any label, and a value holding a list (PREFECT__CLOUD__AGENT__LABELS) any number.
    public var unknown: [String]

    public init(_ labels: [String], hasHostname: Bool = false, unknown: [String] = []) {
        self.labels = Set(labels)
        self.hasHostname = hasHostname
        self.unknown = unknown
    }

    public var isEmpty: Bool { labels.isEmpty && !hasHostname && unknown.isEmpty }

    public var description: String {
        var parts = labels.sorted()
        parts += unknown.map { "<\($0)>" }
        if hasHostname { parts.append("<hostname>") }
        return parts.isEmpty ? "no labels" : parts.joined(separator: ",")
    }

    /// A flow run's labels: its run config's labels plus Local storage's hostname label. A
    /// flow without explicit storage gets Local storage at registration (facts §5).
    static func forFlow(_ flow: Flow) -> LabelSet {
        let storage = flow.storageType
        let local = storage == nil || storage == "Local"
        return LabelSet(flow.labels, hasHostname: local, unknown: flow.unknownLabels)
    }

    /// An agent's labels: `--label` flags, else PREFECT__CLOUD__AGENT__LABELS; a local agent
    /// adds its hostname (unless `--no-hostname-label`, which the analyzer reports by
    /// omitting ``Agent/type`` local's hostname through labels — see ``Agent``).
    static func forAgent(_ agent: Agent) -> LabelSet {
        LabelSet(agent.labels, hasHostname: agent.type == .local && agent.addsHostnameLabel, unknown: agent.unknownLabels)
    }

    /// Whether an agent picks up a run, by Server's rule (facts §5): every run label must be
    /// among the agent's; an unlabelled run only goes to an unlabelled agent.
    public enum Match: Sendable, Equatable {
        case runs
        /// Labels the tool cannot read decide it.
        case mayRun
        case cannot
    }

    /// How `agent` matches `run` (see ``Match``).
    public static func match(agent: LabelSet, run: LabelSet) -> Match {
        if run.isEmpty {
            if agent.isEmpty { return .runs }
            // Unreadable labels may all be empty.
            return agent.labels.isEmpty && !agent.hasHostname ? .mayRun : .cannot
        }
        if run.hasHostname && !agent.hasHostname { return .cannot }
        if run.labels.isSubset(of: agent.labels) { return run.unknown.isEmpty ? .runs : .mayRun }
        return agent.unknown.isEmpty ? .cannot : .mayRun
    }

    /// Whether `agent` certainly picks up `run` (``match(agent:run:)`` is `.runs`).
    public static func agent(_ agent: LabelSet, canRun run: LabelSet) -> Bool {
        match(agent: agent, run: run) == .runs
    }
}
