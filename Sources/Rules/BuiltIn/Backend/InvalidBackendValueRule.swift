import PrefectModel
import Spans

/// PS305 invalid-backend-value: a backend other than exactly `cloud` or `server`. Prefect
/// compares case-sensitively, so `Server` or `CLOUD` silently break the API URL (facts §3).
public struct InvalidBackendValueRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS305"] }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        let facts = context.analysis.facts
        // An API URL written beside it (`--api`, PREFECT__CLOUD__API, which `kubernetes install`
        // writes) stands: only the URL that `${backend}.endpoint` would give is lost.
        let apiGiven = facts.envAssignments.contains { $0.name == "PREFECT__CLOUD__API" && $0.agentIndex == nil }
        func hasAPI(agent index: Int?) -> Bool {
            apiGiven || index.map { facts.agents.indices.contains($0) && facts.agents[$0].apiURL != nil } ?? false
        }
        var values: [(String, ByteSpan, Bool, Bool)] = facts.backendSettings.map { setting in
            (setting.value, setting.span, setting.kind == .backendCommand, hasAPI(agent: setting.agentIndex))
        }
        // In a flow run's env (an agent's --env, a run config) the agent overrides it with its
        // own backend (facts §4.3): whatever is written there has no effect.
        for env in BackendFacts.backendEnv(facts) where !env.context.reachesOnlyFlowRuns {
            if let value = env.value, let span = env.valueSpan { values.append((value, span, false, hasAPI(agent: env.agentIndex))) }
        }
        for (value, span, isCommand, hasAPI) in values where value != "cloud" && value != "server" {
            let lower = value.lowercased()
            let effect = isCommand
                ? "`prefect backend` prints that it is not a valid backend and exits 0, leaving the backend unchanged"
                : hasAPI
                    ? "Prefect compares it case-sensitively, so Secret.get never asks Cloud (the API URL written beside it still stands)"
                    : "Prefect compares it case-sensitively, so the API URL becomes empty and Secret.get never asks Cloud"
            var fix: Fix?
            if lower == "cloud" || lower == "server" {
                fix = Fix(
                    applicability: isCommand ? .unsafe : .safe, description: "write \(lower)",
                    edits: [FixEdit(path: context.file.path, edit: TextEdit(span: span, replacement: lower))])
            }
            sink.report(
                "PS305", path: context.file.path, span: span,
                message: "backend '\(value)' is not exactly cloud or server: \(effect)", fix: fix)
        }
    }
}
