/// Labels of a flow run or an agent, with the hostname label kept symbolic: the tool cannot
/// know host names, so Local storage's and the local agent's hostname labels match each other
/// (same machine assumed). Labels the tool cannot read at all are kept apart, as ``unknown``.
public struct LabelSet: Sendable, Hashable, CustomStringConvertible {
    public var labels: Set<String>
    public var hasHostname: Bool
    /// Labels the tool cannot read (`--label "$ENV"`, `labels=[ENV]`), one per distinct
    /// written label, named by the variable or call they come from (two may share a name:
    /// `${SITE}-etl` and `${SITE}-gpu`): each is some label.
    public var unknown: [String]
    /// The unknown labels may also be none at all: they stand for a whole list
    /// (`PREFECT__CLOUD__AGENT__LABELS=$LABELS`, `labels=get_labels()`), not one label each.
    public var unknownMayBeNone: Bool

    public init(_ labels: [String], hasHostname: Bool = false, unknown: [String] = [], unknownMayBeNone: Bool = false) {
        self.labels = Set(labels)
        self.hasHostname = hasHostname
        self.unknown = unknown
        self.unknownMayBeNone = unknownMayBeNone && !unknown.isEmpty
    }

    public var isEmpty: Bool { labels.isEmpty && !hasHostname && unknown.isEmpty }


    /// Whether the set holds at least one label whatever the unknown ones turn out to be.
    var isCertainlyLabelled: Bool { !labels.isEmpty || hasHostname || (!unknown.isEmpty && !unknownMayBeNone) }

    public var description: String {
        // A label that would read as several (`dbt,prod` is one), or as none, is quoted.
        var parts = labels.sorted().map { label in
            label.isEmpty || label.contains(where: { $0 == "," || $0 == "\"" || $0.isWhitespace })
                ? "\"" + label.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : label
        }
        parts += unknown.map { "<unknown: \($0)>" }
        if hasHostname { parts.append("<hostname>") }
        return parts.isEmpty ? "none" : parts.joined(separator: ",")
    }

    /// A flow run's labels: its run config's labels plus Local storage's hostname label. A
    /// flow without explicit storage gets Local storage at registration (facts §5).
    static func forFlow(_ flow: Flow) -> LabelSet {
        // `Client().register(flow)` alone sends the run config's labels as they are.
        if flow.isRegisteredByClient, !flow.isRegisteredInCode {
            return LabelSet(flow.labels, unknown: flow.unknownLabels, unknownMayBeNone: flow.unknownLabelsMayBeNone)
        }
        // Registration adds the storage's labels and `flow.register(labels=…)` to the run config's.
        let parts = [WrittenLabels(known: flow.labels, unknown: flow.unknownLabels, unknownMayBeNone: flow.unknownLabelsMayBeNone),
                     flow.storageLabels, flow.registerLabels]
        let labels = parts.flatMap(\.known)
        var unknown = parts.flatMap(\.unknown)
        // The unknown labels may be none only if each list they come from may be empty.
        let mayBeNone = parts.allSatisfy { $0.unknown.isEmpty || $0.unknownMayBeNone }
        let storage = flow.storageType
        // A storage the tool cannot read may be Local: its hostname label is one more unknown.
        if let unknownStorage = flow.storageIsUnknown, storage == nil {
            return LabelSet(labels, unknown: unknown + ["storage \(unknownStorage)"], unknownMayBeNone: mayBeNone)
        }
        var hostname = storage == nil || storage == "Local"
        if hostname, flow.storageAddsDefaultLabel == nil {
            // `add_default_labels=` the tool cannot read: the hostname label may be there or not.
            hostname = false
            unknown.append("storage add_default_labels")
        } else if flow.storageAddsDefaultLabel == false {
            hostname = false
        }
        return LabelSet(labels, hasHostname: hostname, unknown: unknown, unknownMayBeNone: mayBeNone)
    }

    /// An agent's labels: `--label` flags, else PREFECT__CLOUD__AGENT__LABELS; a local agent
    /// adds its hostname (unless `--no-hostname-label`, which the analyzer reports by
    /// omitting ``Agent/type`` local's hostname through labels — see ``Agent``).
    static func forAgent(_ agent: Agent) -> LabelSet {
        LabelSet(
            agent.labels, hasHostname: agent.type == .local && agent.addsHostnameLabel, unknown: agent.unknownLabels,
            unknownMayBeNone: agent.unknownLabelsMayBeNone)
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
        if run.isEmpty { return agent.isEmpty ? .runs : agent.isCertainlyLabelled ? .cannot : .mayRun }
        // Labels the agent lacks (the hostname too: `--label "$(hostname)"` may give it): each
        // unknown flag is one label, an unknown list any number.
        let missing = run.labels.subtracting(agent.labels).count + (run.hasHostname && !agent.hasHostname ? 1 : 0)
        if missing > 0 { return missing <= (agent.unknownMayBeNone ? .max : agent.unknown.count) ? .mayRun : .cannot }
        guard run.isCertainlyLabelled else { return .mayRun }
        if agent.isEmpty { return .cannot }
        return run.unknown.isEmpty ? .runs : .mayRun
    }

    /// Whether `agent` certainly picks up `run` (``match(agent:run:)`` is `.runs`).
    public static func agent(_ agent: LabelSet, canRun run: LabelSet) -> Bool {
        match(agent: agent, run: run) == .runs
    }
}
