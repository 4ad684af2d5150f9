import ShellWords
import Spans
import YAML

/// Kubernetes manifests and Helm values (facts §4.3-4.5).
extension YAMLExtractor {
    /// Where the pod spec sits for each workload kind.
    static func podSpecs(of object: YAMLNode, kind: String) -> [YAMLNode] {
        switch kind {
        case "Pod": return [object["spec"]].compactMap { $0 }
        case "CronJob": return [object["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]].compactMap { $0 }
        case "PodTemplate": return [object["template"]?["spec"]].compactMap { $0 }
        default:
            // Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, ReplicationController, and
            // custom kinds that follow the same shape.
            return [object["spec"]?["template"]?["spec"]].compactMap { $0 }
        }
    }

    /// A `kind: Job` that is a Prefect job template rather than a job to run: its file is named
    /// like one, a container is named `flow` (Prefect's convention and its packaged template),
    /// or its first container has no image (the agent fills it in; Kubernetes would reject it).
    func isPrefectJobTemplate(_ podSpec: YAMLNode) -> Bool {
        let path = file.path.lowercased()
        if path.contains("job_template") || path.contains("job-template") || path.contains("jobtemplate") { return true }
        let containers = podSpec["containers"]?.sequence ?? []
        if containers.contains(where: { $0["name"]?.scalar == "flow" }) { return true }
        if let first = containers.first, first["image"] == nil { return true }
        return false
    }

    /// `kind`: the object's kind when it does not say (a bare job template).
    mutating func addKubernetesObject(_ object: YAMLNode, depth: Int, kind defaultKind: String? = nil) {
        guard depth < 8, let kind = object["kind"]?.scalar ?? defaultKind else { return }
        if kind == "List" || kind.hasSuffix("List") {
            for item in object["items"]?.sequence ?? [] where item.resolved.kind == .mapping {
                addKubernetesObject(item.resolved, depth: depth + 1)
            }
            return
        }
        // A Job at the top of its file can be a job template, containers or not: Prefect adds
        // an empty first container when there is none.
        if kind == "Job", depth == 0 { builder.setRunTemplate(RunTemplate(agentType: .kubernetes, env: [])) }
        for podSpec in Self.podSpecs(of: object, kind: kind) {
            let template = kind == "Job" && isPrefectJobTemplate(podSpec)
            for key in ["initContainers", "containers"] {
                for (index, container) in (podSpec[key]?.sequence ?? []).enumerated() where container.resolved.kind == .mapping {
                    let env = addContainer(container.resolved, jobTemplate: template)
                    // A Kubernetes agent keeps the first container's env of a job template (facts §4.3);
                    // a Job inside a List is none (Prefect reads `spec.template.spec` at the top).
                    if kind == "Job", depth == 0, key == "containers", index == 0 {
                        builder.setFirstContainerEnv(
                            env, envFrom: externalEnvFrom(of: container.resolved), keyRefs: keyRefs(of: container.resolved),
                            image: container.resolved["image"]?.scalar)
                    }
                }
            }
        }
    }

    /// One container: its env, and the commands it runs (a `prefect agent … start` makes it
    /// an agent). Returns the env (`envFrom` entries first).
    @discardableResult
    mutating func addContainer(_ container: YAMLNode, jobTemplate: Bool) -> [EnvAssignment] {
        let context: EnvContext = jobTemplate ? .jobTemplateEnv : .containerEnv
        // `envFrom` first: `env` entries override it (Kubernetes).
        var env: [EnvAssignment] = []
        for source in container["envFrom"]?.sequence ?? [] {
            env += envFromSource(source, context: context)
        }
        env += kubernetesEnvList(container["env"], context: context)
        let words = execWords(container["command"]) + execWords(container["args"])
        // The container as the launcher of what it runs, written at `span`.
        let envFrom = externalEnvFrom(of: container)
        let keyRefs = keyRefs(of: container)
        func launcher(at span: ByteSpan) -> Launcher {
            var launcher = Launcher(kind: .kubernetesContainer, name: container["name"]?.scalar ?? "container", env: env, envFiles: [], span: span)
            launcher.kubernetesEnvFrom = envFrom
            launcher.kubernetesKeyRefs = keyRefs
            return launcher
        }
        guard !words.isEmpty else {
            // The image's own command: the agent of the Dockerfile the project builds it from.
            if !jobTemplate, container["command"] == nil, container["args"] == nil, let image = container["image"], let name = image.scalar {
                builder.addImageRun(ImageRun(image: name, launcher: launcher(at: image.span)))
            }
            return env
        }
        let shell = ShellFileReader.readArguments(words)
        if !jobTemplate {
            // Its image is built elsewhere: a script is found by its name, as a systemd unit's is.
            addLaunchedScripts(of: shell, by: launcher(at: words[0].span.union(words[words.count - 1].span)))
        }
        var scope = ShellScope(env: env)
        let install = Self.looksLikeInstallManifest(env)
        builder.addShellFacts(shell, scope: &scope, options: ShellAgentOptions(installIsAgent: false, kubernetesContainer: true)) { agent in
            agent.isInstallManifest = install
            agent.kubernetesEnvFrom = envFrom
            agent.kubernetesKeyRefs = keyRefs
        }
        return env
    }

    /// The project scripts the commands of `shell` run (`command: ["/opt/etl/start-agent.sh"]`,
    /// also in `sh -c '…'`) are run by `launcher`: their agents get its env.
    mutating func addLaunchedScripts(of shell: ShellFileFacts, by launcher: Launcher) {
        var seen: Set<String> = []
        for site in shell.commands {
            guard let program = ShellCommands.scriptProgram(site.command.words), seen.insert(program).inserted else { continue }
            builder.addLaunchedProgram(LaunchedProgram(program: program, launcher: launcher))
        }
    }

    /// The variables an `envFrom` entry brings in: the keys of a ConfigMap or Secret defined in
    /// the same file (with the entry's `prefix`); one from elsewhere is for the model to find
    /// (``externalEnvFrom(of:)``).
    mutating func envFromSource(_ source: YAMLNode, context: EnvContext) -> [EnvAssignment] {
        let prefix = source["prefix"]?.scalar ?? ""
        var out: [EnvAssignment] = []
        for (ref, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
            guard let name = source[ref]?["name"]?.scalar, let object = envSources["\(kind)/\(name)"] else { continue }
            for (assignment, text) in envSourceAssignments(object, kind: kind, name: name, prefix: prefix, context: context) {
                if let text { addEnvWithJSON(assignment, text) } else { builder.addEnv(assignment) }
                out.append(assignment)
            }
        }
        return out
    }

    /// The keys of the ConfigMap or Secret `object` as variables, with the text of each
    /// readable value: ConfigMap `data` and Secret `stringData` hold the text itself; Secret
    /// `data` holds it base64-encoded, so the value is the Secret's, not readable text.
    func envSourceAssignments(_ object: YAMLNode, kind: String, name: String, prefix: String, context: EnvContext)
        -> [(assignment: EnvAssignment, text: YAMLScalarText?)]
    {
        var out: [(assignment: EnvAssignment, text: YAMLScalarText?)] = []
        for field in kind == "Secret" ? ["stringData", "data"] : ["data"] {
            for pair in object[field]?.mergedPairs ?? [] {
                guard let key = pair.key.scalar, pair.value.resolved.kind == .scalar else { continue }
                if field == "data" && kind == "Secret" {
                    let assignment = EnvAssignment(
                        name: prefix + key, nameSpan: valueSpan(pair.key), value: "", valueSpan: valueSpan(pair.value),
                        origin: .kubernetesSecret(name: name, key: key), context: context)
                    out.append((assignment, nil))
                } else {
                    let t = text(pair.value)
                    let assignment = EnvAssignment(
                        name: prefix + key, nameSpan: valueSpan(pair.key), value: t.string, valueSpan: t.valueSpan,
                        origin: EnvValueSyntax.origin(of: t.string), context: context)
                    out.append((assignment, t))
                }
            }
        }
        return out
    }

    /// The file's ConfigMaps and Secrets as facts, for `envFrom` entries in other files. One
    /// that sets PREFECT__CLOUD__AGENT__ENV_VARS is left out: the JSON inside it is read only
    /// with the container that names it, so it stays a source the tool does not read.
    mutating func addKubernetesEnvSources() {
        for (key, object) in envSources.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let env = envSourceAssignments(object, kind: parts[0], name: parts[1], prefix: "", context: .containerEnv).map(\.assignment)
            guard !env.contains(where: { $0.name == "PREFECT__CLOUD__AGENT__ENV_VARS" }) else { continue }
            var source = KubernetesEnvSource(kind: parts[0], name: parts[1], env: env)
            // `binaryData` keys are keys too, which no env takes as text.
            source.hasUnknownKeys = object["binaryData"] != nil
            builder.addKubernetesEnvSource(source)
        }
    }

    /// The `envFrom` entries of a container whose ConfigMap or Secret is not in its file.
    func externalEnvFrom(of container: YAMLNode) -> [KubernetesEnvFrom] {
        (container["envFrom"]?.sequence ?? []).compactMap { source in
            for (ref, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
                guard let name = source[ref]?["name"]?.scalar else { continue }
                return envSources["\(kind)/\(name)"] == nil ? KubernetesEnvFrom(kind: kind, name: name, prefix: source["prefix"]?.scalar ?? "") : nil
            }
            return nil
        }
    }

    /// The `env` entries of a container that take a key of a Secret or ConfigMap.
    func keyRefs(of container: YAMLNode) -> [KubernetesKeyRef] {
        (container["env"]?.sequence ?? []).compactMap { entry in
            guard let variable = entry["name"]?.scalar, let from = entry["valueFrom"] else { return nil }
            for (field, kind) in [("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")] {
                guard let ref = from[field], let name = ref["name"]?.scalar, let keyNode = ref["key"], let key = keyNode.scalar else { continue }
                var keyRef = KubernetesKeyRef(variable: variable, kind: kind, name: name, key: key, span: valueSpan(keyNode))
                keyRef.optional = ref["optional"]?.scalar == "true"
                return keyRef
            }
            return nil
        }
    }

    /// ConfigMaps and Secrets of the file by `Kind/name`, for `envFrom` (List items included).
    static func envSources(in documents: [YAMLNode]) -> [String: YAMLNode] {
        var out: [String: YAMLNode] = [:]
        func visit(_ object: YAMLNode, depth: Int) {
            guard depth < 8, object.resolved.kind == .mapping, let kind = object["kind"]?.scalar else { return }
            if kind.hasSuffix("List") {
                for item in object["items"]?.sequence ?? [] { visit(item.resolved, depth: depth + 1) }
            } else if kind == "ConfigMap" || kind == "Secret", let name = object["metadata"]?["name"]?.scalar {
                out["\(kind)/\(name)"] = out["\(kind)/\(name)"] ?? object.resolved
            }
        }
        for document in documents where YAMLDocumentKind.classify(document, path: "") == .kubernetes {
            visit(document.resolved, depth: 0)
        }
        return out
    }

    /// `prefect agent kubernetes install` output: the agent address plus the key in plaintext
    /// (facts §4.5).
    static func looksLikeInstallManifest(_ env: [EnvAssignment]) -> Bool {
        let names = Set(env.map(\.name))
        return names.contains("PREFECT__CLOUD__AGENT__AGENT_ADDRESS")
            && (names.contains("PREFECT__CLOUD__API_KEY") || names.contains("PREFECT__CLOUD__AGENT__AUTH_TOKEN"))
    }

    /// A container `env:` list: `value` (literal or `$(VAR)` reference), `valueFrom.secretKeyRef`
    /// (a Kubernetes Secret), other `valueFrom` sources (indirect).
    mutating func kubernetesEnvList(_ list: YAMLNode?, context: EnvContext) -> [EnvAssignment] {
        if let list, list.resolved.kind == .mapping { return envMapping(list, context: context) }
        var out: [EnvAssignment] = []
        for entry in list?.sequence ?? [] {
            guard let nameNode = entry["name"], let name = nameNode.scalar else { continue }
            let nameSpan = valueSpan(nameNode)
            // A `value` written twice: the last counts; the others are values all the same.
            for pair in entry.pairs ?? [] where pair.key.scalar == "value" && pair.value.span != entry["value"]?.span && pair.value.resolved.kind == .scalar {
                builder.hideValue(text(pair.value).valueSpan)
            }
            if let valueNode = entry["value"], valueNode.resolved.kind == .scalar {
                if valueNode.isNull, valueNode.resolved.style == .plain {
                    let a = EnvAssignment(
                        name: name, nameSpan: nameSpan, value: "", valueSpan: .empty(at: valueNode.span.start), origin: .literal,
                        context: context)
                    builder.addEnv(a)
                    out.append(a)
                    continue
                }
                let t = text(valueNode)
                var a = EnvAssignment(
                    name: name, nameSpan: nameSpan, value: t.string, valueSpan: valueNode.kind == .alias ? valueNode.span : t.valueSpan,
                    origin: EnvValueSyntax.origin(of: t.string), context: context)
                // `value: 0123`, `value: yes`: what Prefect's `yaml.safe_load` makes a number or a
                // boolean (JSON numbers too), which Kubernetes and ECS refuse as an env value.
                if let type = valueNode.resolvedScalarType(), type != .string { a.valueIsNotString = true }
                addEnvWithJSON(a, t)
                out.append(a)
            } else if let from = entry["valueFrom"] {
                let origin: ValueOrigin
                if let ref = from["secretKeyRef"] {
                    origin = .kubernetesSecret(name: ref["name"]?.scalar ?? "", key: ref["key"]?.scalar ?? "")
                } else {
                    origin = .indirect
                }
                // The value is not in the file; an empty string keeps "has a value" true for the
                // model (the variable is set when the pod starts).
                let a = EnvAssignment(name: name, nameSpan: nameSpan, value: "", valueSpan: from.span, origin: origin, context: context)
                builder.addEnv(a)
                out.append(a)
            } else {
                // `- name: X` alone sets X to the empty string.
                let a = EnvAssignment(name: name, nameSpan: nameSpan, value: "", valueSpan: .empty(at: nameSpan.end), origin: .literal, context: context)
                builder.addEnv(a)
                out.append(a)
            }
        }
        return out
    }

    // MARK: - Helm values

    /// A value as Helm's `toJson` writes it (scalars resolved as Helm's YAML 1.1 reading does:
    /// `no` is false, helm/helm#8294): nil for what the tool does not render (a mapping, an
    /// alias, a tag, a number Go would write otherwise).
    static func helmJSON(_ node: YAMLNode, depth: Int = 0) -> String? {
        guard depth < 8 else { return nil }
        if let items = node.sequence {
            var parts: [String] = []
            for item in items {
                guard let part = helmJSON(item.resolved, depth: depth + 1) else { return nil }
                parts.append(part)
            }
            return "[" + parts.joined(separator: ",") + "]"
        }
        guard node.kind == .scalar, node.tag == nil, let value = node.scalar else { return nil }
        switch node.resolvedScalarType(schema: .yaml11) {
        case .null: return "null"
        case .bool: return ["true", "yes", "on"].contains(value.lowercased()) ? "true" : "false"
        case .int where value.allSatisfy(\.isNumber): return value
        case .float:
            // Go writes a float64 in its shortest form, without a point when it is whole.
            guard let number = Double(value.replacingOccurrences(of: "_", with: "")), number.isFinite, abs(number) < 1e15 else { return nil }
            return number == number.rounded() ? String(Int(number)) : "\(number)"
        case .string:
            return JSONString.quote(value)
        default: return nil
        }
    }

    /// Values of PrefectHQ/server's chart: `agent.env` goes on the agent container only, so it
    /// is the agent's process env, never its flow runs' (facts §4.5). The chart sets
    /// PREFECT__BACKEND=server itself.
    mutating func addHelmValues(_ root: YAMLNode) {
        guard let pair = root.pair(forKey: "agent"), pair.value.resolved.kind == .mapping else { return }
        let values = pair.value.resolved
        var env = kubernetesEnvList(values["env"], context: .containerEnv)
        var agent = Agent(type: .kubernetes, span: valueSpan(pair.key))
        // The chart sets PREFECT__CLOUD__AGENT__LABELS to `prefectLabels | toJson | quote`,
        // before `agent.env`: a list gives its items; a string is one label per character to
        // Prefect (PS209), unless it holds a list literal (`"['k8s']"`), evaluated twice.
        if let labels = values.pair(forKey: "prefectLabels"), let json = Self.helmJSON(labels.value.resolved) {
            let setting = EnvAssignment(
                name: "PREFECT__CLOUD__AGENT__LABELS", nameSpan: valueSpan(labels.key), value: json, valueSpan: valueSpan(labels.value),
                origin: .literal, context: .containerEnv)
            builder.addEnv(setting)
            env.insert(setting, at: 0)
        }
        if let setting = EnvValueSyntax.agentLabelsSetting(in: env) {
            agent.labels = setting.labels
            agent.unknownLabels = setting.unknown
            agent.unknownLabelsMayBeNone = setting.mayBeNone
        }
        agent.processEnv = env
        // `prefectLabels` is that chart's own key: a values file that sets only the agent's part.
        let serverChart = values["prefectLabels"] != nil || ["apollo", "graphql", "hasura", "postgresql", "towel", "ui"].contains { root[$0] != nil }
        agent.backend = serverChart ? "server" : YAMLFactsBuilder.lastLiteral("PREFECT__BACKEND", in: env)?.value
        agent.apiURL = YAMLFactsBuilder.lastLiteral("PREFECT__CLOUD__API", in: env)?.value
        if let json = YAMLFactsBuilder.lastEnvVarsJSON(in: env) {
            agent.flowRunEnv = builder.agentEnvVarsExpansion(of: json)
        }
        builder.addAgent(agent)
    }
}
