/// Secrets a flow needs through what its module imports: a task or helper of a project module
/// that references a secret (`from flow_utilities.db import get_connection_string`, whose body
/// calls `Secret("DB_PASS").get()`) references it for the flow whose module imports it.
extension ProjectModel {
    /// Adds to each flow, for every name its module (one with a single flow) imports from a
    /// project module that defines it with secret references, those references, placed at the
    /// imported name and pointing at where the definition references them. A loose reference
    /// (one no flow of its own module takes) that some flow takes so is no longer loose.
    static func linkImportedSecretUses(
        _ files: [FileFactsEntry], flows: inout [FlowEntity], looseReferences: inout [(path: String, reference: SecretReference)],
        projectPaths: [String]
    ) {
        let definitions = Dictionary(
            files.compactMap { file in
                (file.facts.python?.secretUsingDefinitions).flatMap { $0.isEmpty ? nil : (file.path, $0) }
            },
            uniquingKeysWith: { first, _ in first })
        guard !definitions.isEmpty else { return }
        let python = Set(projectPaths.filter { $0.hasSuffix(".py") })
        var flowOfPath: [String: Int] = [:]
        for flow in flows { flowOfPath[flow.path] = flowOfPath[flow.path] == nil ? flow.id : -1 }
        var linked: Set<ProjectLocation> = []
        for file in files {
            guard let imported = file.facts.python?.importedNames, !imported.isEmpty, let id = flowOfPath[file.path], id >= 0 else { continue }
            for name in imported {
                if let path = Registrations.importedFile(module: name.module, level: name.level, importedBy: file.path, in: python), path != file.path {
                    // One reference per secret and kind: a helper reading it twice is one need.
                    var seen: Set<String> = []
                    let found = (definitions[path] ?? []).filter { $0.name == name.name }.flatMap(\.references)
                    for reference in found { linked.insert(ProjectLocation(path: path, span: reference.span)) }
                    for var reference in found where seen.insert("\(reference.name ?? "")\u{0}\(reference.kind.rawValue)").inserted {
                        reference.readIn = ProjectLocation(path: path, span: reference.span)
                        reference.span = name.span
                        reference.flowIndex = nil
                        flows[id].references.append(reference)
                    }
                }
            }
        }
        looseReferences.removeAll { linked.contains(ProjectLocation(path: $0.path, span: $0.reference.span)) }
    }
}
