import PrefectModel

/// PS203 flow-without-agent: the project defines agents, but none can run the flow's runs:
/// none picks them up (labels, facts §5), or every one that does fails them (a run config
/// type it does not take, Docker storage on a local agent, a task definition ARN with Docker
/// storage on an ECS agent; facts §4.3). Only reported when
/// the project defines at least one agent, and not for a flow that only its own module runs
/// (``ProjectModel/FlowEntity/runsOnlyWhereLoaded``).
public struct FlowWithoutAgentRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS203"] }
    static let agentsListed = 3

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        guard !model.agents.isEmpty else { return }
        func described(_ agent: AgentEntity) -> String {
            "\(agent.displayName) (\(model.describe(agent.location)), labels \(agent.labels)"
        }
        // A few agents say why; a message listing a thousand would bury it. They are the
        // same for every flow.
        let agents = Self.listed(model.agents) { "\(described($0))\($0.agent.startRefusal == nil ? "" : ", never starts"))" }
        // A flow its module runs when loaded, and nothing registers, runs there, not on an agent.
        for flow in model.flows where !flow.runsOnlyWhereLoaded {
            // Labels the tool cannot read (`--label "$ENV"`) may let another agent run it.
            guard model.agentCount(mayRun: flow) == 0 else { continue }
            let subject = "no agent in the project can run \(ModelMessages.flow(flow, model))"
            let message: String
            // Runs that are picked up and always fail are an error, not a maybe-elsewhere.
            var severity: Severity?
            if let refusals = model.refusalsOfEveryAgent(running: flow) {
                message = subject + ": " + Self.listed(refusals) { "\(described($0.agent))) picks up its runs and fails them: \($0.reason)" }
                severity = .error
            } else if model.isRunnable(flow) {
                continue
            } else if case let stalled = model.agentsThatNeverStart(wouldRun: flow), !stalled.isEmpty {
                message = subject + ": " + Self.listed(stalled) { agent in
                    let pickup = LabelSet.match(agent: agent.labels, run: flow.labels) == .runs ? "would pick up" : "may pick up"
                    return "\(described(agent))) \(pickup) its runs but never starts: \(agent.agent.startRefusal ?? "")"
                }
            } else {
                let storage = flow.flow.storageType == nil ? "Local (the default)" : "Local"
                var hint = flow.registeredWithoutMainBlock
                    ? "; the run config or storage it is given under `if __name__ == \"__main__\":` does not apply, as `prefect register` loads the file without running that block" : ""
                if flow.registeredBeforeConfiguration {
                    hint += "; `flow.register()` is called before its run config or storage is set, so the flow it registers has neither"
                }
                hint += flow.labels.hasHostname
                    ? "; its storage is \(storage), which adds the registering machine's hostname label, so only a local agent on that machine can run it"
                    : ""
                if model.agents.contains(where: { $0.labels.labels.contains { $0.contains("$") } }) {
                    hint += "; a label with `$` is its text as written (no shell expands an exec-form or single-quoted argument, and Kubernetes expands only `$(NAME)`)"
                }
                if let folder = flow.unregisteredBelow.first {
                    hint += "; `prefect register --path \(folder)` does not register it (Prefect reads a folder's own .py files, not its subfolders'), so its --label values do not apply"
                }
                message = "\(subject) with labels \(flow.labels): \(agents)\(hint)"
            }
            sink.report("PS203", path: flow.path, span: flow.flow.span, message: message, severity: severity)
        }
    }

    /// The descriptions of the first ``agentsListed`` items, and how many more there are.
    private static func listed<Item>(_ items: [Item], _ describe: (Item) -> String) -> String {
        var listed = items.prefix(agentsListed).map(describe)
        if items.count > agentsListed { listed.append("and \(items.count - agentsListed) more agents") }
        return listed.joined(separator: "; ")
    }
}
