import PrefectModel

/// PS204 secret-name-mismatch: a referenced secret is provided nowhere, but a provided name
/// differs from it only by case or by an edit distance of at most 2.
public struct SecretNameMismatchRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS204"] }

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        var provided: [String: ProvisionEntity] = [:]
        for p in model.provisions where provided[p.provision.name] == nil { provided[p.provision.name] = p }
        let cloud = model.cloudNames ?? []
        var references: [(String, SecretReference, FlowEntity?)] = model.flows.flatMap { f in f.references.map { (f.path, $0, f) } }
        references += model.looseReferences.map { ($0.path, $0.reference, nil) }
        // Names the Cloud inventory lists are provided too (in Cloud), where a flow runs against
        // Cloud: Server never asks it (facts §9.1).
        let usesCloud = model.agents.isEmpty ? BackendFacts.effectiveBackend(model) != "server" : model.agents.contains { $0.backend == "cloud" }
        let candidates = Set(provided.keys).union(usesCloud ? cloud : [])
        let providedNames = candidates.map { (name: $0, lowercased: $0.lowercased(), scalars: Array($0.unicodeScalars)) }
        // The names env entries set, gathered when a name is first missing (most projects
        // provide every name they read).
        var setNames: Set<String>?
        func variablesContain(_ name: String) -> Bool {
            if setNames == nil {
                setNames = Set(model.files.flatMap { $0.facts.envAssignments.map(\.name) } + model.flows.flatMap { $0.flow.runConfigEnv.map(\.name) })
            }
            return setNames?.contains(name) ?? false
        }
        // Many references share a name: each name is compared with every provided one once.
        var closest: [String: String?] = [:]
        for (path, reference, flow) in references {
            // A name some env entry sets is there under that name (whether a read of that kind
            // sees a plain variable is PS201's to say).
            guard let name = reference.name, provided[name] == nil, !cloud.contains(name), !variablesContain(name) else { continue }
            // A whole-table PREFECT__CONTEXT__SECRETS value provides names no provision lists:
            // the name is there where an agent's runs resolve it.
            if let flow, model.agents(running: flow).contains(where: { agent in
                if case .local = model.availability(of: name, kind: reference.kind, flow: flow, agent: agent) { true } else { false }
            }) {
                continue
            }
            let best =
                closest[name]
                ?? {
                    let lowercased = name.lowercased()
                    let scalars = Array(name.unicodeScalars)
                    // The nearest, a case-only difference counting as any distance within the limit;
                    // ties go to the name that sorts first. Names must keep a character in common:
                    // two edits turn any two-letter name into any other (`PG`, `DB`).
                    let found = providedNames.lazy.compactMap { other -> (distance: Int, name: String)? in
                        let distance = editDistance(other.scalars, scalars, limit: 2)
                        let close = distance <= 2 && distance < min(other.scalars.count, scalars.count)
                        return close || other.lowercased == lowercased ? (distance, other.name) : nil
                    }.min { ($0.distance, $0.name) < ($1.distance, $1.name) }?.name
                    closest[name] = found
                    return found
                }()
            guard let best else { continue }
            let where_ = provided[best].map { model.describe($0.location) } ?? "in the Cloud inventory"
            let how = best.lowercased() == name.lowercased() ? "differs only by case from" : "is close to"
            sink.report(
                "PS204", path: path, span: reference.span,
                message: "\(ModelMessages.secret(name, reference, model)) is not provided anywhere, but \(best) (\(where_)) \(how) it; did you mean \(best)?",
                secretName: name)
        }
    }
}
