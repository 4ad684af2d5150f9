/// Run configs and storages a flow takes from another module: `run_config=RUN_CONFIG,
/// storage=STORAGE` after `from flow_config import RUN_CONFIG, STORAGE`, where a shared
/// module binds them (``PythonFacts/moduleComponents``).
extension ProjectModel {
    /// Gives each flow whose run config or storage is a name imported from a project module
    /// that binds it what that binding gives: its labels, env, image and template, or its
    /// storage's type and image; and the secret references made in the component's call
    /// (GitHub storage's default token), placed at the flow's use and pointing at the call.
    /// (``linkImportedSecretUses(_:flows:looseReferences:projectPaths:)`` has already given
    /// them to the one flow of a module; this gives them to each flow of a module with more.)
    static func resolveImportedComponents(
        _ files: [FileFactsEntry], flows: inout [FlowEntity], looseReferences: inout [(path: String, reference: SecretReference)],
        projectPaths: [String], templatePath: (_ written: String, _ flowPath: String) -> String?
    ) {
        guard flows.contains(where: { $0.flow.importedRunConfig != nil || $0.flow.importedStorage != nil }) else { return }
        let components = Dictionary(
            files.compactMap { file in (file.facts.python?.moduleComponents).flatMap { $0.isEmpty ? nil : (file.path, $0) } },
            uniquingKeysWith: { first, _ in first })
        guard !components.isEmpty else { return }
        let python = Set(projectPaths.filter { $0.hasSuffix(".py") })
        var linked: Set<ProjectLocation> = []
        for index in flows.indices {
            for isRunConfig in [true, false] {
                guard let imported = isRunConfig ? flows[index].flow.importedRunConfig : flows[index].flow.importedStorage,
                    let path = Registrations.importedFile(module: imported.module, level: imported.level, importedBy: flows[index].path, in: python),
                    let component = components[path]?.first(where: { $0.name == imported.name && $0.isRunConfig == isRunConfig })
                else { continue }
                if isRunConfig {
                    flows[index].flow.takeRunConfig(of: component.settings)
                    flows[index].templatePath = component.settings.templatePath.flatMap { templatePath($0, flows[index].path) }
                    flows[index].runConfigIn = path
                } else {
                    flows[index].flow.takeStorage(of: component.settings)
                    flows[index].storageIn = path
                }
                flows[index].labels = LabelSet.forFlow(flows[index].flow)
                for loose in looseReferences where loose.path == path && component.span.contains(loose.reference.span) {
                    linked.insert(ProjectLocation(path: path, span: loose.reference.span))
                    flows[index].references.append(loose.reference.imported(at: imported.span, from: path))
                }
            }
        }
        looseReferences.removeAll { linked.contains(ProjectLocation(path: $0.path, span: $0.reference.span)) }
    }
}
