/// `envFrom` entries of Kubernetes containers whose ConfigMap or Secret another manifest of
/// the project defines (`kubectl apply -f k8s/` creates both): the container gets that
/// object's keys.
extension ProjectModel {
    /// The ConfigMaps and Secrets of `files` by `Kind/name`.
    static func kubernetesEnvSourceIndex(_ files: [FileFactsEntry]) -> [String: [(path: String, source: KubernetesEnvSource)]] {
        var index: [String: [(path: String, source: KubernetesEnvSource)]] = [:]
        for k in files.indices where !files[k].facts.kubernetesEnvSources.isEmpty {
            for source in files[k].facts.kubernetesEnvSources {
                index["\(source.kind)/\(source.name)", default: []].append((files[k].path, source))
            }
        }
        return index
    }

    /// The object `reference` names, when the project defines exactly one of that kind and
    /// name: with several (namespaces, overlays) the tool cannot tell which one the cluster has.
    func envSource(of reference: KubernetesEnvFrom) -> (path: String, source: KubernetesEnvSource)? {
        guard let found = kubernetesEnvSources["\(reference.kind)/\(reference.name)"], found.count == 1 else { return nil }
        return found[0]
    }

    /// The variables `references` bring in, in order, as `context` (a job template's or a
    /// container's env), each with the file that defines it.
    func envFromEntries(_ references: [KubernetesEnvFrom], context: EnvContext) -> [(assignment: EnvAssignment, path: String)] {
        references.flatMap { reference in
            guard let (path, source) = envSource(of: reference) else { return [(assignment: EnvAssignment, path: String)]() }
            return source.env.map { assignment in
                var assignment = assignment
                assignment.name = reference.prefix + assignment.name
                assignment.context = context
                return (assignment, path)
            }
        }
    }

    /// Those of `references` the project does not define once, described for messages.
    func unseenEnvFrom(_ references: [KubernetesEnvFrom]) -> [String] {
        references.filter { envSource(of: $0) == nil }.map(\.description)
    }

    /// The context secrets the ConfigMaps and Secrets that containers take with `envFrom` from
    /// other files provide, once per object and prefix, at their keys.
    func envFromProvisions() -> [ProvisionEntity] {
        guard !kubernetesEnvSources.isEmpty else { return [] }
        var seen: Set<KubernetesEnvFrom> = []
        var out: [ProvisionEntity] = []
        // By index: a copy of each file's facts would cost more than the lookups.
        for k in files.indices where files[k].kind == .yaml {
            let template = files[k].facts.runTemplate?.kubernetesEnvFrom ?? []
            let references = template + files[k].facts.imageRuns.flatMap(\.launcher.kubernetesEnvFrom)
                + files[k].facts.launchedPrograms.flatMap { $0.launcher?.kubernetesEnvFrom ?? [] } + files[k].facts.agents.flatMap(\.kubernetesEnvFrom)
            for reference in references where seen.insert(reference).inserted {
                let context: EnvContext = template.contains(reference) ? .jobTemplateEnv : .containerEnv
                for (assignment, path) in envFromEntries([reference], context: context) {
                    if let provision = SecretProvision(contextSecretEnv: assignment) { out.append(ProvisionEntity(path: path, provision: provision)) }
                }
            }
        }
        return out
    }
}
