import PrefectModel

/// Secret names computed at run time from a text around them (`f"DB_PASSWORD_{stage}"`,
/// ``SecretReference/namePattern``): the provided names they can be, and per agent whether a
/// run finds a secret of that form.
extension InventoryRenderer {
    /// One reference whose name has a known form.
    struct ComputedNameRow {
        var form: String
        var reference: String
        /// Provided secrets whose names are of the form.
        var couldBe: [String]
        var verdicts: [(flow: FlowEntity, agent: String, verdict: Verdict, why: String)]
    }

    /// Each reference of a flow whose name has a form, with its verdicts (loose references
    /// outside any flow run nowhere, so they get none).
    static func computedNameRows(_ model: ProjectModel) -> [ComputedNameRow] {
        let provided = Set(model.provisions.map(\.provision.name)).sorted()
        var rows: [ComputedNameRow] = []
        for flow in model.flows {
            for reference in flow.references where reference.name == nil {
                guard let pattern = reference.namePattern else { continue }
                var row = ComputedNameRow(
                    form: pattern.description, reference: referenceText(reference, in: flow, model), couldBe: provided.filter(pattern.matches), verdicts: [])
                for agent in model.agents(running: flow) {
                    guard let verdict = verdict(ofNameLike: pattern, reference, flow: flow, agent: agent, model) else { continue }
                    row.verdicts.append((flow, "\(agent.displayName) \(model.describe(agent.location))", verdict.0, verdict.1))
                }
                rows.append(row)
            }
        }
        for (path, reference) in model.looseReferences where reference.name == nil {
            guard let pattern = reference.namePattern else { continue }
            rows.append(ComputedNameRow(form: pattern.description, reference: referenceText(reference, at: path, model), couldBe: provided.filter(pattern.matches), verdicts: []))
        }
        return rows
    }

    /// Whether a run of `flow` on `agent` finds a secret of `pattern`'s form, and why; nil
    /// where the tool cannot tell.
    static func verdict(
        ofNameLike pattern: SecretNamePattern, _ reference: SecretReference, flow: FlowEntity, agent: AgentEntity, _ model: ProjectModel
    ) -> (Verdict, String)? {
        if let refusal = model.runRefusal(flow: flow, agent: agent) { return (.runFails, "the run fails: \(refusal)") }
        switch model.availability(ofNameLike: pattern, kind: reference.kind, flow: flow, agent: agent) {
        case .local(let location)?: return (.local, "a secret of that form in the local context, from \(model.describe(location))")
        case .cloud?: return (.cloud, "a secret of that form in Prefect Cloud (inventory)")
        case .cloudUnknown?: return (.cloudUnknown, "none of that form in the run's local context; Prefect Cloud may have one (no --cloud-secrets inventory given)")
        case .missing?:
            if reference.kind == .envVarSecret { return (.missing, "the flow run's environment has no variable of that form (EnvVarSecret reads only the environment)") }
            var why = "no secret of that form in the run's local context"
                + (agent.backend != "cloud" ? ", and backend \(agent.backend) has no secret store" : reference.kind == .contextRead ? ", which prefect.context.secrets reads alone" : ", nor in the Cloud inventory")
            let unseen = model.unseenEnvSources(flow: flow, agent: agent)
            if !unseen.isEmpty { why += ", unless \(unseen.joined(separator: " or ")) sets one" }
            return (.missing, why)
        case .fails(let reason)?: return (.runFails, reason)
        case nil: return nil
        }
    }
}
