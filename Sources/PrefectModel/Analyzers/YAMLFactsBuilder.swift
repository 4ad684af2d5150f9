import Spans

/// Collects the facts of one YAML file so that each env assignment is listed once (a merge key
/// `<<: *env` can bring the same text into several services), agents get their indices, and
/// secret-named assignments become provisions.
struct YAMLFactsBuilder {
    private(set) var facts = FileFacts()
    private var env: [EnvAssignment] = []
    private var envKeys: [EnvKey: Int] = [:]
    /// For each env assignment, the agents it belongs to.
    private var owners: [Int: Set<Int>] = [:]

    /// The JSON members of each PREFECT__CLOUD__AGENT__ENV_VARS assignment, by its name span.
    private var envVarsExpansions: [ByteSpan: [EnvAssignment]] = [:]

    private struct EnvKey: Hashable {
        var name: ByteSpan
        var value: ByteSpan?
        var context: EnvContext
    }

    /// Records the file as a run template, once (its first Job or task definition).
    mutating func setRunTemplate(_ template: RunTemplate) {
        if facts.runTemplate == nil { facts.runTemplate = template }
    }

    /// The env of the flow container of the file's run template (its first Job).
    mutating func setFirstContainerEnv(_ env: [EnvAssignment], envFrom: [KubernetesEnvFrom], keyRefs: [KubernetesKeyRef], image: String?) {
        guard facts.runTemplate?.agentType == .kubernetes, facts.runTemplate?.env.isEmpty == true, facts.runTemplate?.kubernetesEnvFrom.isEmpty == true,
            facts.runTemplate?.image == nil
        else { return }
        facts.runTemplate?.env = env
        facts.runTemplate?.kubernetesEnvFrom = envFrom
        facts.runTemplate?.keyRefs = keyRefs
        facts.runTemplate?.image = image
    }

    /// Records a ConfigMap or Secret the file defines (``FileFacts/kubernetesEnvSources``).
    mutating func addKubernetesEnvSource(_ source: KubernetesEnvSource) {
        facts.kubernetesEnvSources.append(source)
    }

    /// A file of several documents is no template: Prefect's `yaml.safe_load` refuses it.
    mutating func dropRunTemplate() { facts.runTemplate = nil }

    /// Notes a value nothing names as a secret, for reports to hide (``FileFacts/unnamedValueSpans``).
    mutating func hideValue(_ span: ByteSpan) {
        facts.unnamedValueSpans.append(span)
    }

    /// Notes a literal that a secret takes through a variable (``FileFacts/secretLiteralsThroughVariables``).
    mutating func addSecretVariableLiteral(_ literal: SecretVariableLiteral) {
        facts.secretLiteralsThroughVariables.append(literal)
    }

    /// Adds an env assignment (once per place and context); returns its index.
    @discardableResult
    mutating func addEnv(_ assignment: EnvAssignment) -> Int {
        let key = EnvKey(name: assignment.nameSpan, value: assignment.valueSpan, context: assignment.context)
        if let index = envKeys[key] { return index }
        var a = assignment
        a.agentIndex = nil
        env.append(a)
        envKeys[key] = env.count - 1
        return env.count - 1
    }

    /// Adds an agent; its flow-run and process env are added as env assignments owned by it.
    @discardableResult
    mutating func addAgent(_ agent: Agent) -> Int {
        let index = facts.agents.count
        var agent = agent
        for k in agent.flowRunEnv.indices {
            agent.flowRunEnv[k].agentIndex = index
            owners[addEnv(agent.flowRunEnv[k]), default: []].insert(index)
        }
        for k in agent.processEnv.indices {
            agent.processEnv[k].agentIndex = index
            owners[addEnv(agent.processEnv[k]), default: []].insert(index)
        }
        facts.agents.append(agent)
        return index
    }

    mutating func setAgentEnvVarsExpansion(_ expansion: [EnvAssignment], for assignment: EnvAssignment) {
        envVarsExpansions[assignment.nameSpan] = expansion
    }

    /// The env a PREFECT__CLOUD__AGENT__ENV_VARS assignment gives an agent's flow runs.
    func agentEnvVarsExpansion(of assignment: EnvAssignment) -> [EnvAssignment] {
        envVarsExpansions[assignment.nameSpan] ?? []
    }

    mutating func addBackendSetting(_ setting: BackendSetting) { facts.backendSettings.append(setting) }
    mutating func addImageBuild(_ build: ImageBuild) { facts.imageBuilds.append(build) }
    mutating func addImageRun(_ run: ImageRun) { facts.imageRuns.append(run) }
    mutating func addRegistration(_ registration: Registration) { facts.registrations.append(registration) }
    mutating func noteFillsEnvIntoText() { facts.fillsEnvIntoText = true }
    mutating func addLaunchedProgram(_ program: LaunchedProgram) { facts.launchedPrograms.append(program) }
    mutating func addCloudAPIUse(_ use: CloudSecretAPIUse) { facts.cloudAPIUses.append(use) }
    mutating func addCredentialFlag(_ flag: CredentialFlag) { facts.credentialFlags.append(flag) }

    /// The facts, with `agentIndex` set on assignments that belong to exactly one agent and a
    /// provision for each assignment that names a context secret.
    func finish() -> FileFacts {
        var facts = self.facts
        for (index, var assignment) in env.enumerated() {
            if let agents = owners[index], agents.count == 1 { assignment.agentIndex = agents.first }
            facts.envAssignments.append(assignment)
            if let provision = SecretProvision(contextSecretEnv: assignment) { facts.provisions.append(provision) }
        }
        return facts
    }
}
