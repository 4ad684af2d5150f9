import PrefectModel

/// Phrases shared by the model rules' messages, so flows and agents read the same everywhere.
enum ModelMessages {
    /// "flow 'etl' (flows/etl.py:9)"; where the name is not a literal, as the inventory shows
    /// it: "flow 'etl-{…}' (…)", "flow named by FLOW_NAME (…)", "unnamed flow (…)".
    static func flow(_ flow: FlowEntity, _ model: ProjectModel) -> String {
        let named = switch (flow.flow.name, flow.flow.computedName) {
        case (nil, .expression(let expression)?): "flow named by \(expression)"
        case (nil, nil): "unnamed flow"
        default: "flow \(flow.displayName)"
        }
        return "\(named) (\(model.describe(flow.location)))"
    }

    /// "secret DB_PASS", and for a reference through an import "secret DB_PASS (read in
    /// lib/db.py:8, imported here)", or "(read in lib/db.py:8, called here)" where the
    /// module's call of an imported helper names it; for a name a flow parameter's default
    /// gives, "(the default of flow parameter 'db_secret')".
    static func secret(_ name: String, _ reference: SecretReference, _ model: ProjectModel) -> String {
        var notes: [String] = []
        if let parameter = reference.flowParameter { notes.append("the default of flow parameter '\(parameter)'") }
        if let readIn = reference.readIn {
            notes.append("read in \(model.describe(readIn)), \(reference.isPlacedAtCall ? "called here" : "imported here")")
        }
        return notes.isEmpty ? "secret \(name)" : "secret \(name) (\(notes.joined(separator: "; ")))"
    }

    /// "agent 'prod' (deploy/agent.yaml:31, labels prod,k8s, backend server)"
    static func agent(_ agent: AgentEntity, _ model: ProjectModel) -> String {
        let name = agent.agent.name.map { "'\($0)' (\(agent.agent.type.rawValue))" } ?? agent.agent.type.rawValue
        let service = agent.runBy.map { " of \($0.launcher.kind.rawValue) '\($0.launcher.name)'" } ?? ""
        return "\(name) agent\(service) (\(model.describe(agent.location)), labels \(agent.labels), backend \(agent.backend))"
    }
}

/// Levenshtein distance, capped: returns `limit + 1` as soon as the distance exceeds `limit`.
/// Takes code points, so that a caller comparing one name with many converts each once.
func editDistance(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar], limit: Int) -> Int {
    if abs(x.count - y.count) > limit { return limit + 1 }
    var previous = Array(0...y.count)
    var current = previous
    for i in x.indices {
        current[0] = i + 1
        var rowMin = current[0]
        for j in y.indices {
            current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x[i] == y[j] ? 0 : 1))
            rowMin = min(rowMin, current[j + 1])
        }
        if rowMin > limit { return limit + 1 }
        swap(&previous, &current)
    }
    return previous[y.count]
}
