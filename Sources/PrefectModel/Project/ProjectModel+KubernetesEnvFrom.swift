/// `envFrom` entries of Kubernetes containers whose ConfigMap or Secret another manifest of
/// the project defines (`kubectl apply -f k8s/` creates both), a kustomize generator or a
/// `kubectl create secret|configmap` command makes: the container gets that object's keys.
extension ProjectModel {
    /// The ConfigMaps and Secrets of `files` by `Kind/name`, with the paths `envFile` gives
    /// their env files (written name, defining file, whether relative to that file's folder).
    /// One that documentation shows how to make (`kubectl create secret …` in a README) counts
    /// only where nothing else makes it.
    static func kubernetesEnvSourceIndex(
        _ files: [FileFactsEntry], envFile: (String, String, Bool) -> String?
    ) -> [String: [(path: String, source: KubernetesEnvSource, envFilePaths: [String])]] {
        var index: [String: [(path: String, source: KubernetesEnvSource, envFilePaths: [String])]] = [:]
        var documentation: Set<String> = []
        for k in files.indices where !files[k].facts.kubernetesEnvSources.isEmpty {
            let path = files[k].path
            if files[k].kind == .markdown { documentation.insert(path) }
            for source in files[k].facts.kubernetesEnvSources {
                let envFilePaths = source.envFiles.compactMap { envFile($0, path, source.envFilesAreRelativeToFile) }
                index["\(source.kind)/\(source.name)", default: []].append((path, source, envFilePaths))
            }
        }
        guard !documentation.isEmpty else { return index }
        return index.mapValues { found in
            let made = found.filter { !documentation.contains($0.path) }
            return made.isEmpty ? found : made
        }
    }

    /// The object `reference` names, when the project defines exactly one of that kind and
    /// name: with several (namespaces, overlays) the tool cannot tell which one the cluster
    /// has. A job template (`context` ``EnvContext/jobTemplateEnv``) names a generated one
    /// only without its hash suffix: the agent reads the template, kustomize never renames in it.
    func envSource(of reference: KubernetesEnvFrom, context: EnvContext) -> (path: String, source: KubernetesEnvSource, envFilePaths: [String])? {
        guard let found = kubernetesEnvSources["\(reference.kind)/\(reference.name)"], found.count == 1,
            !(found[0].source.nameHasHashSuffix && context == .jobTemplateEnv)
        else { return nil }
        return found[0]
    }

    /// The variables `references` bring in, in order, as `context` (a job template's or a
    /// container's env), each with the file that sets it.
    func envFromEntries(_ references: [KubernetesEnvFrom], context: EnvContext) -> [(assignment: EnvAssignment, path: String)] {
        references.flatMap { reference in
            guard let (path, source, envFilePaths) = envSource(of: reference, context: context) else { return [(assignment: EnvAssignment, path: String)]() }
            // Its env files, read as kustomize and kubectl read them: values as written; a
            // `KEY` line alone sets KEY empty for kustomize, the caller's KEY for kubectl.
            let fromFiles = envFilePaths.flatMap { file -> [(assignment: EnvAssignment, path: String)] in
                guard let index = fileIndex[file] else { return [] }
                return files[index].facts.envAssignments.filter { $0.context == .dotenv }.map { assignment in
                    guard assignment.value != nil || !source.envFilesAreRelativeToFile else {
                        var empty = assignment
                        (empty.value, empty.origin) = ("", .literal)
                        return (empty, file)
                    }
                    return (assignment.asDockerReadsIt, file)
                }
            }
            return (fromFiles + source.env.map { ($0, path) }).map { entry in
                var assignment = entry.assignment
                assignment.name = reference.prefix + assignment.name
                assignment.context = context
                return (assignment, entry.path)
            }
        }
    }

    /// A required key reference of the job template `template`, for an env entry the agent
    /// keeps in `flow`'s runs, whose key the project's one Secret or ConfigMap of that name
    /// lacks (with where that object is made): Kubernetes does not start the run's pod.
    func missingKey(in template: ChosenRunTemplate, flow: FlowEntity, agent: AgentEntity) -> (ref: KubernetesKeyRef, madeAt: String)? {
        guard let refs = template.template?.keyRefs, !refs.isEmpty else { return nil }
        let setByRun = RunEnvironment.agentSetNames.union(agent.agent.flowRunEnv.map(\.name)).union(flow.flow.runConfigEnv.map(\.name))
        return missingKey(refs.filter { !setByRun.contains($0.variable) }, context: .jobTemplateEnv)
    }

    /// The first of `refs` whose key the project's one Secret or ConfigMap of that name lacks,
    /// with where that object is made; nil when the project does not make it once or some of
    /// its keys are unknown.
    func missingKey(_ refs: [KubernetesKeyRef], context: EnvContext) -> (ref: KubernetesKeyRef, madeAt: String)? {
        guard !kubernetesEnvSources.isEmpty else { return nil }
        for ref in refs where !ref.optional {
            let reference = KubernetesEnvFrom(kind: ref.kind, name: ref.name, prefix: "")
            guard let (madeAt, source, envFilePaths) = envSource(of: reference, context: context), !source.hasUnknownKeys,
                envFilePaths.count == source.envFiles.count
            else { continue }
            if !envFromEntries([reference], context: context).contains(where: { $0.assignment.name == ref.key }) { return (ref, madeAt) }
        }
        return nil
    }

    /// `env` with each entry that takes a key of a Secret or ConfigMap the project makes once
    /// (`refs`, written in the file at `path`) given that key's value where it is set (a
    /// ConfigMap's or a Secret's `stringData` text; a Secret's `data` stays unknown).
    func withKeyValues(_ env: [(assignment: EnvAssignment, path: String)], refs: [KubernetesKeyRef], in path: String, context: EnvContext)
        -> [(assignment: EnvAssignment, path: String)]
    {
        guard !refs.isEmpty, !kubernetesEnvSources.isEmpty else { return env }
        return env.map { entry in
            guard entry.path == path, let valueSpan = entry.assignment.valueSpan,
                let ref = refs.first(where: { valueSpan.contains($0.span) && $0.variable == entry.assignment.name }),
                let keyed = envFromEntries([KubernetesEnvFrom(kind: ref.kind, name: ref.name, prefix: "")], context: context).last(where: { $0.assignment.name == ref.key })
            else { return entry }
            var assignment = keyed.assignment
            assignment.name = ref.variable
            assignment.context = entry.assignment.context
            return (assignment, keyed.path)
        }
    }

    /// Those of `references` the project does not define once, described for messages, each
    /// with why its keys are not known: not read (not in the project), defined several times,
    /// or generated by kustomize under a hashed name that a job template does not use.
    func unseenEnvFrom(_ references: [KubernetesEnvFrom], context: EnvContext) -> [(description: String, reason: String)] {
        references.filter { envSource(of: $0, context: context) == nil }.map { reference in
            let found = kubernetesEnvSources["\(reference.kind)/\(reference.name)"] ?? []
            if found.count > 1 {
                let paths = Set(found.map(\.path)).sorted().joined(separator: ", ")
                return (reference.description, "defined \(found.count) times, in \(paths), and which one the cluster has is not known")
            }
            if let generated = found.first, generated.source.nameHasHashSuffix {
                return (reference.description, "the one \(generated.path) generates is named '\(reference.name)-<hash>' by kustomize, which the job template does not use")
            }
            return (reference.description, "not read")
        }
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
