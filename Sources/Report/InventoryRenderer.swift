import PrefectModel
import Rules

/// `prefect-secrets inventory`: the secret matrix — for each secret, who references it, who
/// provides it, and for each agent that runs a flow needing it whether it resolves and why;
/// then the flows and agents with their labels and backends. Names only, never values.
public enum InventoryRenderer {
    /// One secret's row.
    struct SecretRow {
        var name: String
        var references: [String]
        var provisions: [String]
        var verdicts: [(flow: FlowEntity, agent: String, verdict: Verdict, why: String)]
        /// A reference is an `EnvVarSecret`, which reads the flow run's environment variable,
        /// not a Prefect secret: the agents provide it, no secret source.
        var readsEnvironment = false
        /// A reference falls back to the run's environment variable of the name (a storage
        /// token, a Webhook `${NAME}` template reads it first).
        var fallsBackToEnvironment = false
    }

    /// Whether a secret resolves for a flow under an agent, by case (the JSON `verdict`).
    enum Verdict: String {
        case local, cloud, cloudUnknown = "cloud-unknown", missing, runFails = "run-fails", labelsUnknown = "labels-unknown"
        case clientCredentials = "client-credentials", anonymous

        /// Nil where the tool cannot tell.
        var resolves: Bool? {
            switch self {
            case .local, .cloud: true
            case .missing, .runFails: false
            case .cloudUnknown, .labelsUnknown, .clientCredentials, .anonymous: nil
            }
        }
    }

    /// `computed`: the references whose names have a form (``computedNameRows(_:)``), which
    /// each provided name of that form lists as a reader.
    static func rows(_ model: ProjectModel, computed: [ComputedNameRow]) -> [SecretRow] {
        var names = Set<String>()
        for flow in model.flows { for r in flow.references { if let n = r.name { names.insert(n) } } }
        for (_, r) in model.looseReferences { if let n = r.name { names.insert(n) } }
        for p in model.provisions { names.insert(p.provision.name) }
        // Who reads and who provides each name, in model order: a row visits only those.
        var flowsByName: [String: [Int]] = [:]
        for (index, flow) in model.flows.enumerated() {
            for name in Set(flow.references.compactMap(\.name)) { flowsByName[name, default: []].append(index) }
        }
        let looseByName = Dictionary(grouping: model.looseReferences.indices.filter { model.looseReferences[$0].reference.name != nil }) {
            model.looseReferences[$0].reference.name ?? ""
        }
        let provisionsByName = Dictionary(grouping: model.provisions.indices) { model.provisions[$0].provision.name }
        return names.sorted().map { name in
            var row = SecretRow(name: name, references: [], provisions: [], verdicts: [])
            var kinds = Set<SecretReferenceKind>()
            let flows = (flowsByName[name] ?? []).sorted().map { model.flows[$0] }
            for flow in flows {
                for r in flow.references where r.name == name {
                    row.references.append(referenceText(r, in: flow, model))
                    kinds.insert(r.kind)
                }
            }
            for (path, r) in (looseByName[name] ?? []).map({ model.looseReferences[$0] }) {
                row.references.append(referenceText(r, at: path, model))
                kinds.insert(r.kind)
            }
            for computed in computed where computed.couldBe.contains(name) {
                row.references.append("\(computed.reference), as a name of the form \(computed.form)")
            }
            row.readsEnvironment = kinds.contains(.envVarSecret)
            row.fallsBackToEnvironment = kinds.contains(.templateVariable)
                || (kinds.contains(.componentDefault) && ProjectModel.storageTokensFallingBackToEnvironment.contains(name))
            for p in (provisionsByName[name] ?? []).map({ model.provisions[$0] }) {
                let how = p.provision.envContext.map { "\(p.provision.source.rawValue), \($0.rawValue)" } ?? p.provision.source.rawValue
                row.provisions.append("\(model.describe(p.location)) (\(how))")
            }
            for flow in flows {
                // A name the flow reads itself decides over a component's default of that name,
                // which may fall back to the client's own credentials. A component's default
                // read or an `EnvVarSecret` of the name that fails where the first read resolves
                // (from Cloud, from the context) gets a line of its own.
                let named = flow.references.filter { $0.name == name }
                guard let reference = named.first(where: { $0.kind != .componentDefault }) ?? named.first else { continue }
                // A default name listed in `storage.secrets` is in the context by the time the
                // component reads it: `prefect execute` loads the listed names first (facts §7.5).
                let listed = named.contains { $0.kind == .storageSecrets }
                let otherReads = [SecretReferenceKind.componentDefault, .envVarSecret].compactMap { kind in
                    kind == reference.kind || (kind == .componentDefault && listed) ? nil : named.first { $0.kind == kind }
                }
                for agent in model.agents(running: flow) {
                    let verdict = Self.verdict(of: name, reference, flow: flow, agent: agent, provided: !row.provisions.isEmpty, model)
                    let agentText = "\(agent.displayName) \(model.describe(agent.location))"
                    row.verdicts.append((flow, agentText, verdict.0, verdict.1))
                    guard verdict.0.resolves == true else { continue }
                    for other in otherReads {
                        let own = Self.verdict(of: name, other, flow: flow, agent: agent, provided: !row.provisions.isEmpty, model)
                        let how = other.kind == .envVarSecret ? "read by EnvVarSecret" : "as a component's default name"
                        if own.0.resolves == false { row.verdicts.append((flow, agentText, own.0, "\(how): \(own.1)")) }
                    }
                }
                // One row for all of them: a project with a thousand such agents would otherwise
                // list a thousand rows per flow and secret.
                let maybe = model.agentCount(mayRun: flow)
                if maybe > 0 {
                    row.verdicts.append((
                        flow, mayRunList(flow, model), .labelsUnknown,
                        "labels the tool cannot read decide whether \(maybe == 1 ? "it runs" : "they run") the flow (labels \(flow.labels))"
                    ))
                }
            }
            return row
        }
    }

    /// Whether `reference` of secret `name` resolves in `flow`'s runs under `agent`, and why.
    /// `provided`: something in the project provides the name as a secret.
    static func verdict(
        of name: String, _ reference: SecretReference, flow: FlowEntity, agent: AgentEntity, provided: Bool, _ model: ProjectModel
    ) -> (Verdict, String) {
        switch model.availability(of: name, kind: reference.kind, flow: flow, agent: agent) {
        // Nothing provides it as a secret: a storage token or a Webhook template variable
        // found in the flow run's plain environment.
        case .local(let location) where reference.kind == .envVarSecret || !provided:
            return (.local, "environment variable from \(model.describe(location))")
        case .local(let location): return (.local, "local context from \(model.describe(location))")
        case .cloud: return (.cloud, "Prefect Cloud (inventory)")
        case .cloudUnknown: return (.cloudUnknown, "not in the run's local context; Prefect Cloud may have it (no --cloud-secrets inventory given)")
        case .fails(let reason): return (.runFails, reason)
        case .missing where reference.kind == .componentDefault && model.fallsBackToClientCredentials(name):
            return (.clientCredentials, "not in the run's local context; the client (boto3, google-auth) then uses credentials of its own")
        case .missing where reference.kind == .componentDefault && model.fetchesAnonymously(name):
            return (.anonymous, "not in the run's local context or environment; the storage then fetches the flow anonymously, which works for a public repository only")
        case .missing:
            var why = reference.kind == .envVarSecret ? "the flow run's environment does not set it (EnvVarSecret reads only the environment)"
                : agent.backend != "cloud" ? "not in the run's local context, and backend \(agent.backend) has no secret store"
                : reference.kind == .componentDefault ? "not in the run's local context, and a default name is read from context only, never from Cloud"
                : reference.kind == .contextRead ? "not in the run's local context, which prefect.context.secrets reads alone, never Cloud"
                : "not in the run's local context, nor in the Cloud inventory"
            let unseen = model.unseenEnvSources(flow: flow, agent: agent, secret: (name, reference.kind))
            if !unseen.isEmpty { why += ", unless \(unseen.joined(separator: " or ")) sets it" }
            if reference.isGuardedByExists { why += "; read only where Secret.exists() finds it, so the run goes on without it" }
            if reference.returnsNoneWhenMissing { why += "; EnvVarSecret then returns None (without raise_if_missing=True)" }
            return (.missing, why)
        }
    }

    /// The references whose secret name the tool cannot read (`PrefectSecret(NAME)` with an
    /// imported `NAME`), where they are, with the form of a name computed from a text around
    /// it: the secrets a migration must still look up.
    static func unreadNames(_ model: ProjectModel) -> [String] {
        func form(_ reference: SecretReference) -> String { reference.namePattern.map { ": a name of the form \($0)" } ?? "" }
        return model.flows.flatMap { flow in flow.references.filter { $0.name == nil }.map { referenceText($0, in: flow, model) + form($0) } }
            + model.looseReferences.filter { $0.reference.name == nil }.map { referenceText($0.reference, at: $0.path, model) + form($0.reference) }
    }

    /// ``FlowEntity/displayName`` with the place of a flow whose name is not a literal, where a line names no other place.
    static func placedTitle(_ flow: FlowEntity, _ model: ProjectModel) -> String {
        flow.flow.name == nil ? "\(flow.displayName) \(model.describe(flow.location))" : flow.displayName
    }

    /// Where a flow needs a secret, and how: `flow 'etl' flows/etl.py:9 (prefectSecretTask)`.
    static func referenceText(_ reference: SecretReference, in flow: FlowEntity, _ model: ProjectModel) -> String {
        "flow \(flow.displayName) " + referenceText(reference, at: flow.path, model)
    }

    /// Where a secret is needed, and how: `flows/etl.py:9 (prefectSecretTask)`; for an imported
    /// task or helper, the import and where that reads it: `flows/etl.py:3 (secretGet in
    /// lib/db.py:8)`; for a name a flow parameter's default gives, `flows/etl.py:12
    /// (prefectSecretTask, default of flow parameter 'db_secret')`.
    static func referenceText(_ reference: SecretReference, at path: String, _ model: ProjectModel) -> String {
        let readIn = reference.readIn.map { " in \(model.describe($0))" } ?? ""
        let parameter = reference.flowParameter.map { ", default of flow parameter '\($0)'" } ?? ""
        return "\(model.describe(ProjectLocation(path: path, span: reference.span))) (\(reference.kind.rawValue)\(readIn)\(parameter))"
    }

    /// `unparsedFiles`: where files could not be parsed (`path:line:column`), whose secrets and
    /// agents the inventory may lack.
    public static func text(_ model: ProjectModel, unparsedFiles: [String] = []) -> String {
        var out = "Secrets\n"
        let computed = computedNameRows(model)
        let rows = rows(model, computed: computed)
        let unread = unreadNames(model)
        let computedByText = Dictionary(computed.map { ("\($0.reference): a name of the form \($0.form)", $0) }, uniquingKeysWith: { first, _ in first })
        if rows.isEmpty && unread.isEmpty { out += "  (none)\n" }
        for row in rows {
            out += "  \(row.name)\n"
            for r in row.references { out += "    needed by   \(r)\n" }
            for p in row.provisions { out += "    provided by \(p)\n" }
            if row.references.isEmpty { out += "    needed by   nothing in the project\n" }
            if row.provisions.isEmpty {
                // With no agent listed below, no agent is pointed to.
                let below = !row.verdicts.isEmpty
                out +=
                    row.readsEnvironment
                    ? "    provided by no secret source; EnvVarSecret reads the flow run's environment\(below ? ", as each agent below gives it" : "")\n"
                    : row.fallsBackToEnvironment
                        ? "    provided by nothing in the project as a secret; the run's environment variable \(row.name) stands in where \(below ? "an agent below gives it" : "the run has it")\n"
                        : "    provided by nothing in the project\n"
            }
            for v in row.verdicts {
                let mark = v.verdict.resolves.map { $0 ? "✓" : "✗" } ?? "?"
                out += "    \(mark) flow \(Self.placedTitle(v.flow, model)) on \(v.agent): \(v.why)\n"
            }
        }
        if !unread.isEmpty {
            out += "  (names the tool cannot read: a variable, an import, a call)\n"
            for r in unread {
                out += "    needed by   \(r)\n"
                guard let row = computedByText[r] else { continue }
                if !row.couldBe.isEmpty { out += "    could be    \(row.couldBe.joined(separator: ", "))\n" }
                for v in row.verdicts {
                    let mark = v.verdict.resolves.map { $0 ? "✓" : "✗" } ?? "?"
                    out += "    \(mark) flow \(Self.placedTitle(v.flow, model)) on \(v.agent): \(v.why)\n"
                }
            }
        }
        out += "\nFlows\n"
        if model.flows.isEmpty { out += "  (none)\n" }
        for flow in model.flows {
            // Labels pick the agent; a run config type it does not take (or Docker storage on
            // a local agent) then fails every run.
            let agents = model.agents(running: flow).map {
                let agent = "\($0.displayName) \(model.describe($0.location))"
                return model.runRefusal(flow: flow, agent: $0) == nil ? agent : "\(agent) (fails its runs)"
            }
            let mayRun = model.agentCount(mayRun: flow) == 0 ? "" : "; may run it, as labels the tool cannot read decide: \(mayRunList(flow, model))"
            let further = flow.configuredIn.isEmpty ? "" : " (configured further in \(flow.configuredIn.joined(separator: ", ")))"
            let runConfigIn = flow.runConfigIn.map { " (from \($0))" } ?? "", storageIn = flow.storageIn.map { " (from \($0))" } ?? ""
            out += "  \(flow.displayName) \(model.describe(flow.location)): labels \(flow.labels), run config \(Self.runConfig(flow.flow))\(runConfigIn), storage \(Self.storage(flow.flow))\(storageIn)\(further), agents: \(flow.runsOnlyWhereLoaded ? "none (its module runs it when loaded, and nothing registers it)" : agents.isEmpty ? "none" : agents.joined(separator: ", "))\(mayRun)\n"
        }
        out += "\nAgents\n"
        if model.agents.isEmpty { out += "  (none)\n" }
        for agent in model.agents {
            out += "  \(agent.displayName) \(model.describe(agent.location)): labels \(agent.labels), backend \(agent.backend) (from \(agent.backendSource))\n"
            if let site = agent.runBy {
                let through = site.through.isEmpty ? "" : " through \(site.through.joined(separator: ", then "))"
                out += "    run by:       \(model.describe(site.location)), which \(site.runsScript ? "runs this script" : site.imageBuiltAt.map { "runs its image, built at \(model.describe($0))" } ?? "builds its image")\(through)\n"
            }
            for runner in agent.commandRunners {
                out += "    \(runner.isEntrypoint ? "entrypoint:  " : "run through: ") \(runner.script), which runs this command\(runner.passed.env.isEmpty ? "" : " (`exec \"$@\"`)")\n"
            }
            for script in agent.unseenCommandRunners { out += "    run through:  \(script) (not in the project)\n" }
            if !agent.labelVariableSources.isEmpty {
                let sources = agent.labelVariableSources.map { "\($0.variable) (\($0.setAt.map(model.describe) ?? "its default"))" }
                out += "    label from:   \(sources.joined(separator: ", "))\n"
            }
            if let refusal = agent.agent.startRefusal { out += "    never starts: \(refusal)\n" }
            if let api = agent.agent.apiURL { out += "    api:          \(api)\n" }
            // Names only: the values stay in the files.
            if !agent.agent.flowRunEnv.isEmpty {
                out += "    flow-run env: \(flowRunEnvNames(agent.agent.flowRunEnv))\n"
            }
            let processEnv = model.processEnvironment(of: agent).map(\.assignment)
            let cleared = agent.agent.environmentClearedBy.map { "started by `\($0)`, which \(agent.agent.environmentResetEffect)" }
            if !processEnv.isEmpty {
                var reach = agent.agent.type == .local ? "inherited by flow runs" : "not forwarded to flow runs"
                let passedOn = Set(processEnv.map(\.name)).intersection(RunEnvironment.agentSettingsPassedOn).sorted()
                if agent.agent.type != .local, !passedOn.isEmpty {
                    let verb = passedOn.count == 1 ? "sets the agent's own setting, which it puts" : "set the agent's own settings, which it puts"
                    reach += "; \(passedOn.joined(separator: ", ")) \(verb) into every run"
                }
                out += "    process env:  \(envNames(processEnv)) (\([cleared, reach].compactMap { $0 }.joined(separator: "; ")))\n"
            } else if let cleared {
                out += "    process env:  none (\(cleared))\n"
            }
            if !agent.readEnvFilePaths.isEmpty || !agent.missingEnvFiles.isEmpty {
                let files = agent.readEnvFilePaths.map { agent.dockerEnvFilePaths.contains($0) ? "\($0) (`docker run --env-file`: read as written)" : $0 }
                    + agent.missingEnvFiles.map { "\($0) (not in the project)" }
                out += "    env files:    \(files.joined(separator: ", "))\n"
            }
        }
        if !unparsedFiles.isEmpty {
            out += "\nParse errors (read only up to what the tool could parse; `prefect-secrets check --select PS900` shows them)\n"
            for file in unparsedFiles { out += "  \(file)\n" }
        }
        return out
    }

    /// A flow's run config type, or what builds one the tool cannot read.
    static func runConfig(_ flow: Flow) -> String {
        flow.runConfigType ?? flow.runConfigIsUnknown.map { "<unknown: \($0)>" } ?? "none"
    }

    /// A flow's storage type, or what builds one the tool cannot read.
    static func storage(_ flow: Flow) -> String {
        flow.storageType ?? flow.storageIsUnknown.map { "<unknown: \($0)>" } ?? "Local (default)"
    }

    /// The first agents that may run a flow, and how many more there are.
    static func mayRunList(_ flow: FlowEntity, _ model: ProjectModel) -> String {
        var listed = model.agents(mayRun: flow, limit: 3).map { "\($0.displayName) \(model.describe($0.location))" }
        let count = model.agentCount(mayRun: flow)
        if count > 3 { listed.append("and \(count - 3) more agents") }
        return listed.joined(separator: ", ")
    }

    /// `NAME` per assignment, `NAME (no value)` for pass-through names, in order.
    static func envNames(_ env: [EnvAssignment]) -> String {
        env.map { $0.value == nil ? "\($0.name) (no value)" : $0.name }.joined(separator: ", ")
    }

    /// An agent's `--env` names, then how many of its `--env` words have no `=`.
    static func flowRunEnvNames(_ env: [EnvAssignment]) -> String {
        let words = withoutEquals(env)
        var names = env.filter { !isWordWithoutEquals($0) }.map(\.name)
        if words > 0 { names.append("\(words) --env \(words == 1 ? "word" : "words") without '=' (not shown)") }
        return names.joined(separator: ", ")
    }

    /// An `--env` word without `=`, which Prefect refuses (PS208): it may be a value written
    /// where `NAME=value` belongs, so it is counted, never shown.
    static func isWordWithoutEquals(_ entry: EnvAssignment) -> Bool { entry.value == nil }

    static func withoutEquals(_ env: [EnvAssignment]) -> Int { env.count { isWordWithoutEquals($0) } }

    /// A row's per-agent verdicts as the JSON `agents` array.
    static func writeVerdicts(_ verdicts: [(flow: FlowEntity, agent: String, verdict: Verdict, why: String)], to json: inout JSONWriter) {
        json.beginArray("agents")
        for v in verdicts {
            json.beginObject()
            json.string("flow", v.flow.flow.name ?? v.flow.path)
            json.string("agent", v.agent)
            if let resolves = v.verdict.resolves { json.bool("resolves", resolves) } else { json.null("resolves") }
            json.string("verdict", v.verdict.rawValue)
            json.string("why", v.why)
            json.endObject()
        }
        json.endArray()
    }

    public static func json(_ model: ProjectModel, toolVersion: String, unparsedFiles: [String] = []) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.int("version", 1)
        json.beginObject("tool")
        json.string("name", "prefect-secrets")
        json.string("version", toolVersion)
        json.endObject()
        let computed = computedNameRows(model)
        json.beginArray("secrets")
        for row in rows(model, computed: computed) {
            json.beginObject()
            json.string("name", row.name)
            json.beginArray("referenced_by")
            for r in row.references { json.string(nil, r) }
            json.endArray()
            json.beginArray("provided_by")
            for p in row.provisions { json.string(nil, p) }
            json.endArray()
            writeVerdicts(row.verdicts, to: &json)
            json.endObject()
        }
        json.endArray()
        json.beginArray("unread_secret_names")
        for r in unreadNames(model) { json.string(nil, r) }
        json.endArray()
        json.beginArray("computed_secret_names")
        for row in computed {
            json.beginObject()
            json.string("form", row.form)
            json.string("referenced_by", row.reference)
            json.beginArray("could_be")
            for name in row.couldBe { json.string(nil, name) }
            json.endArray()
            writeVerdicts(row.verdicts, to: &json)
            json.endObject()
        }
        json.endArray()
        json.beginArray("unparsed_files")
        for file in unparsedFiles { json.string(nil, file) }
        json.endArray()
        json.beginArray("flows")
        for flow in model.flows {
            json.beginObject()
            json.string("name", flow.flow.name)
            json.string("location", model.describe(flow.location))
            json.beginArray("labels")
            for l in flow.labels.labels.sorted() { json.string(nil, l) }
            json.endArray()
            json.beginArray("unknown_labels")
            for l in flow.labels.unknown { json.string(nil, l) }
            json.endArray()
            json.bool("hostname_label", flow.labels.hasHostname)
            json.string("run_config", flow.flow.runConfigType)
            json.string("storage", flow.flow.storageType)
            // Its module runs it when loaded (`flow.run()`) and nothing registers it: no agent does.
            json.bool("runs_only_where_loaded", flow.runsOnlyWhereLoaded)
            // The agents that pick up its runs, and whether each fails them.
            json.beginArray("agents")
            for agent in model.agents(running: flow) {
                json.beginObject()
                json.string("agent", "\(agent.displayName) \(model.describe(agent.location))")
                json.bool("fails_runs", model.runRefusal(flow: flow, agent: agent) != nil)
                json.endObject()
            }
            json.endArray()
            // The agents that labels the tool cannot read may let run it: the first few and a count.
            json.beginArray("may_run_agents")
            for agent in model.agents(mayRun: flow, limit: 3) { json.string(nil, "\(agent.displayName) \(model.describe(agent.location))") }
            json.endArray()
            json.int("may_run_agent_count", model.agentCount(mayRun: flow))
            json.endObject()
        }
        json.endArray()
        json.beginArray("agents")
        for agent in model.agents {
            json.beginObject()
            json.string("type", agent.agent.type.rawValue)
            json.string("name", agent.agent.name)
            json.string("location", model.describe(agent.location))
            json.beginArray("labels")
            for l in agent.labels.labels.sorted() { json.string(nil, l) }
            json.endArray()
            json.beginArray("unknown_labels")
            for l in agent.labels.unknown { json.string(nil, l) }
            json.endArray()
            json.bool("hostname_label", agent.labels.hasHostname)
            json.beginArray("label_variables")
            for source in agent.labelVariableSources {
                json.beginObject()
                json.string("variable", source.variable)
                json.string("set_at", source.setAt.map(model.describe))
                json.endObject()
            }
            json.endArray()
            json.string("backend", agent.backend)
            json.string("backend_source", agent.backendSource)
            json.string("api", agent.agent.apiURL)
            json.string("environment_cleared_by", agent.agent.environmentClearedBy)
            json.string("start_refusal", agent.agent.startRefusal)
            if let site = agent.runBy {
                json.beginObject("run_by")
                json.string("path", site.path)
                json.string("launcher", site.launcher.kind.rawValue)
                json.string("service", site.launcher.name)
                json.bool("runs_script", site.runsScript)
                json.string("image_built_at", site.imageBuiltAt.map(model.describe))
                json.beginArray("through")
                for script in site.through { json.string(nil, script) }
                json.endArray()
                json.endObject()
            } else {
                json.null("run_by")
            }
            json.beginArray("command_runners")
            for runner in agent.commandRunners {
                json.beginObject(nil)
                json.string("script", runner.script)
                json.bool("entrypoint", runner.isEntrypoint)
                json.bool("in_project", true)
                json.endObject()
            }
            for script in agent.unseenCommandRunners {
                json.beginObject(nil)
                json.string("script", script)
                json.bool("entrypoint", false)
                json.bool("in_project", false)
                json.endObject()
            }
            json.endArray()
            let processEnv = model.processEnvironment(of: agent).map(\.assignment)
            json.beginArray("flow_run_env")
            for e in agent.agent.flowRunEnv where !isWordWithoutEquals(e) { json.string(nil, e.name) }
            json.endArray()
            json.int("flow_run_env_words_without_equals", withoutEquals(agent.agent.flowRunEnv))
            json.beginArray("process_env")
            for e in processEnv { json.string(nil, e.name) }
            json.endArray()
            let asWritten = agent.readEnvFilePaths.filter(agent.dockerEnvFilePaths.contains)
            for (key, paths) in [("env_files", agent.readEnvFilePaths), ("env_files_read_as_written", asWritten), ("missing_env_files", agent.missingEnvFiles)] {
                json.beginArray(key)
                for path in paths { json.string(nil, path) }
                json.endArray()
            }
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.output + "\n"
    }
}
