/// A flow run's image the tool cannot tie to a project Dockerfile: named by code
/// (`KubernetesRun(image=os.environ["IMAGE"])`), or by a name no build in the project gives
/// (CI outside the project may build it). Its `ENV` lines start the run's environment, so a
/// Dockerfile of the project that sets a secret may be where the run gets it: the tool says so
/// instead of calling the secret missing.
extension ProjectModel {
    /// How messages name the image runs of `flow` start from when the tool cannot tell which
    /// it is; nil where it can (a project build, Prefect's own image, no image at all) or where
    /// runs have no image (a local agent's). `agent` nil: an agent the project does not define.
    func unidentifiedRunImage(flow: FlowEntity, agent: AgentEntity?) -> String? {
        guard agent?.agent.type != .local, flow.runImage == nil else { return nil }
        let facts = flow.flow
        if facts.runConfigIsUnknown != nil || facts.storageIsUnknown != nil || facts.storageIsAmbiguous {
            return "the run's image (from a run config or storage the tool cannot read, \(flow.path))"
        }
        let image: String?
        if facts.storageType == "Docker" {
            // A Dockerfile not in the project: its text is not known.
            if let dockerfile = facts.storageDockerfile { return "the run's image (built from \(dockerfile), not in the project)" }
            if facts.storageImageIsComputed { return "the run's image (Docker storage's base image is named by code in \(flow.storagePath))" }
            image = facts.storageBaseImage
        } else {
            if facts.runConfigImageIsComputed { return "the run's image (named by code in \(flow.runConfigPath))" }
            image = facts.runConfigImage ?? agent.flatMap { agent in runTemplate(flow: flow, agent: agent)?.template?.image }
        }
        guard let image, builtImages[Self.imageReference(image)] == nil, !Self.isPrefectImage(image) else { return nil }
        return "the run's image \(image)"
    }

    /// Where the project's Dockerfiles that may build the run's image (``flowImageEnv``) set
    /// secret `name` as `kind` reads it, as an env source the tool cannot confirm: "the run's
    /// image (named by code in flows/etl.py), if built from the Dockerfile with ENV at Dockerfile:3,".
    public func unidentifiedImageProvision(of name: String, kind: SecretReferenceKind, flow: FlowEntity, agent: AgentEntity?) -> String? {
        guard !flowImageEnv.isEmpty else { return nil }
        let readsVariable = kind == .envVarSecret || kind == .templateVariable
            || (kind == .componentDefault && Self.storageTokensFallingBackToEnvironment.contains(name))
        let setting = flowImageEnv.filter { entry in
            guard entry.assignment.value != nil else { return false }
            let classification = EnvConfigMapping.classify(entry.assignment.name)
            return ContextSecretEnvName.secretPath(classifiedAs: classification)?.first == name || classification == .allSecrets
                || (readsVariable && entry.assignment.name == name)
        }
        guard !setting.isEmpty, let image = unidentifiedRunImage(flow: flow, agent: agent) else { return nil }
        let lines = setting.map { describe(ProjectLocation(path: $0.path, span: $0.assignment.nameSpan)) }
        return "\(image), if built from the Dockerfile with ENV at \(lines.joined(separator: " or ")),"
    }

    /// Prefect's own images (`prefecthq/prefect:1.4.1-python3.9`), which set no secret.
    static func isPrefectImage(_ name: String) -> Bool {
        let reference = imageReference(name)
        return reference.hasPrefix("prefecthq/prefect:") || reference.hasPrefix("prefecthq/prefect@")
    }
}
