import PrefectModel

/// PS203 flow-without-agent: the project defines agents, but none can pick up the flow's runs
/// (labels, facts §5). Only reported when the project defines at least one agent.
public struct FlowWithoutAgentRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS203"] }
    static let agentsListed = 3

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        guard !model.agents.isEmpty else { return }
        // A few agents say why; a message listing a thousand would bury it. They are the
        // same for every flow.
        var listed = model.agents.prefix(Self.agentsListed).map {
            "\($0.displayName) (\(model.describe($0.location)), labels \($0.labels))"
        }
        if model.agents.count > Self.agentsListed { listed.append("and \(model.agents.count - Self.agentsListed) more agents") }
        let agents = listed.joined(separator: "; ")
        for flow in model.flows where !model.isRunnable(flow) {
            var hint = ""
            if flow.labels.hasHostname {
                hint = "; its storage is Local (the default), which adds the registering machine's hostname label, so only a local agent on that machine can run it"
            }
            sink.report(
                "PS203", path: flow.path, span: flow.flow.span,
                message: "no agent in the project can run \(ModelMessages.flow(flow, model)) with labels \(flow.labels): \(agents)\(hint)")
        }
    }
}
