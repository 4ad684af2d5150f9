import PrefectModel

/// PS203 flow-without-agent: the project defines agents, but none can run the flow's runs:
/// none picks them up (labels, facts §5), or every one that does fails them (a run config
/// type it does not take, Docker storage on a local agent, a task definition ARN with Docker
/// storage on an ECS agent; facts §4.3). Only reported when
/// the project defines at least one agent.
public struct FlowWithoutAgentRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS203"] }
    static let agentsListed = 3

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        guard !model.agents.isEmpty else { return }
        // A few agents say why; a message listing a thousand would bury it. They are the
        // same for every flow.
        let agents = Self.listed(model.agents) {
            "\($0.displayName) (\(model.describe($0.location)), labels \($0.labels)\($0.agent.startRefusal == nil ? "" : ", never starts"))"
        }
        for flow in model.flows {
            // Labels the tool cannot read (`--label "$ENV"`) may let another agent run it.
            guard model.agentCount(mayRun: flow) == 0 else { continue }
            if let refusals = model.refusalsOfEveryAgent(running: flow) {
                let failing = Self.listed(refusals) {
                    "\($0.agent.displayName) (\(model.describe($0.agent.location)), labels \($0.agent.labels)) picks up its runs and fails them: \($0.reason)"
                }
                sink.report(
                    "PS203", path: flow.path, span: flow.flow.span,
                    message: "no agent in the project can run \(ModelMessages.flow(flow, model)): \(failing)")
                continue
            }
            guard !model.isRunnable(flow) else { continue }
            let stalled = model.agentsThatNeverStart(wouldRun: flow)
            if !stalled.isEmpty {
                let why = Self.listed(stalled) { agent in
                    let pickup = LabelSet.match(agent: agent.labels, run: flow.labels) == .runs ? "would pick up" : "may pick up"
                    return "\(agent.displayName) (\(model.describe(agent.location)), labels \(agent.labels)) \(pickup) its runs but never starts: \(agent.agent.startRefusal ?? "")"
                }
                sink.report(
                    "PS203", path: flow.path, span: flow.flow.span,
                    message: "no agent in the project can run \(ModelMessages.flow(flow, model)): \(why)")
                continue
            }
            var hint = ""
            if flow.labels.hasHostname {
                hint = "; its storage is Local (the default), which adds the registering machine's hostname label, so only a local agent on that machine can run it"
            }
            sink.report(
                "PS203", path: flow.path, span: flow.flow.span,
                message: "no agent in the project can run \(ModelMessages.flow(flow, model)) with labels \(flow.labels): \(agents)\(hint)")
        }
    }

    /// The descriptions of the first ``agentsListed`` items, and how many more there are.
    private static func listed<Item>(_ items: [Item], _ describe: (Item) -> String) -> String {
        var listed = items.prefix(agentsListed).map(describe)
        if items.count > agentsListed { listed.append("and \(items.count - agentsListed) more agents") }
        return listed.joined(separator: "; ")
    }
}
