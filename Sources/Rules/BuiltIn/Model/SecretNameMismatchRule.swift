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
        var references: [(String, SecretReference)] = model.flows.flatMap { f in f.references.map { (f.path, $0) } }
        references += model.looseReferences.map { ($0.path, $0.reference) }
        for (path, reference) in references {
            guard let name = reference.name, provided[name] == nil, !cloud.contains(name) else { continue }
            let candidates = provided.keys.filter { other in
                other.lowercased() == name.lowercased() || editDistance(other, name, limit: 2) <= 2
            }.sorted { (editDistance($0, name, limit: 2), $0) < (editDistance($1, name, limit: 2), $1) }
            guard let best = candidates.first, let where_ = provided[best] else { continue }
            let how = best.lowercased() == name.lowercased() ? "differs only by case from" : "is close to"
            sink.report(
                "PS204", path: path, span: reference.span,
                message: "\(ModelMessages.secret(name, reference, model)) is not provided anywhere, but \(best) (\(model.describe(where_.location))) \(how) it; did you mean \(best)?",
                secretName: name)
        }
    }
}
