import PythonSource
import Spans

extension PythonFlowFactsBuilder {
    // MARK: Agents

    /// Agents a module starts itself: `LocalAgent(labels=["prod"]).start()`, or `agent =
    /// DockerAgent(…)` and then `agent.start()`. The CLI builds the same objects from its flags
    /// (facts §4.2): `labels` and `env_vars` are `--label` and `--env`, an empty one takes the
    /// config's (`labels or config.cloud.agent.labels`), `hostname_label=False` is
    /// `--no-hostname-label`. An agent built and never started (Prefect's own tests build
    /// many) runs nothing.
    mutating func collectAgents() {
        for call in module.calls {
            guard let name = prefectName(call), let type = PrefectComponents.agentClasses[name], methodOnCall[call.span]?.methodName == "start"
            else { continue }
            facts.agents.append(startedAgent(type, call, index: facts.agents.count))
        }
    }

    /// Agents a module-level function makes and returns (`def make_agent(labels): return
    /// LocalAgent(labels=labels, …)`), started where it is called: `make_agent(["prod"]).start()`,
    /// or `agent = make_agent(…)` and `agent.start()`. An argument of the agent's that is one of
    /// the function's parameters is what the call gives it, else the parameter's default;
    /// one the tool cannot read stays unknown. The agent may also be bound to a variable the
    /// function returns and names nowhere else (`agent = LocalAgent(…)`, `return agent`). A
    /// function that makes agents in several statements, or changes the one it returns, and a
    /// call with `*`/`**` arguments, are not followed.
    mutating func collectFactoryAgents() {
        var factories: [String: (function: Int, type: AgentType, made: PythonCall)?] = [:]
        for k in module.calls.indices {
            guard let function = module.calls[k].context.function, module.functions[function].context == PythonContext(),
                let name = prefectName(module.calls[k]), let type = PrefectComponents.agentClasses[name],
                isReturned(module.calls[k]) || isReturnedThroughVariable(module.calls[k], by: module.functions[function])
            else { continue }
            let factory = module.functions[function].name
            if factories[factory] == nil {
                factories[factory] = .some((function, type, module.calls[k]))
            } else {
                factories[factory] = .some(nil)
            }
        }
        guard !factories.isEmpty else { return }
        for k in module.calls.indices {
            guard case .name(let n) = module.calls[k].callee, n.resolved == nil, let found = factories[n.text], let factory = found,
                methodOnCall[module.calls[k].span]?.methodName == "start"
            else { continue }
            let call = module.calls[k]
            guard !call.arguments.contains(where: { $0.kind == .star || $0.kind == .doubleStar }) else { continue }
            var agent = startedAgent(factory.type, given(call, to: module.functions[factory.function], in: factory.made), index: facts.agents.count)
            agent.span = call.span
            facts.agents.append(agent)
        }
    }

    /// `made` with each of `function`'s parameters its arguments name (alone, or in a list,
    /// tuple, set or dict of them) replaced by what `call` gives that parameter (by keyword or
    /// position), or by its default; not one the function binds again.
    private func given(_ call: PythonCall, to function: PythonFunction, in made: PythonCall) -> PythonCall {
        var values: [String: PythonExpression] = [:]
        for (p, parameter) in function.parameters.prefix(while: { $0.kind == .normal }).enumerated() where !rebinds(parameter.name, in: function.bodySpan) {
            switch argument(NameParameter(name: parameter.name, position: p, defaultName: nil), in: call) {
            case .given(let value): values[parameter.name] = value
            case .absent: values[parameter.name] = parameter.defaultValue
            case .unknown: break
            }
        }
        func substituted(_ expression: PythonExpression) -> PythonExpression {
            switch expression {
            case .name(let n) where n.resolved == nil && !n.isDotted:
                return values[n.text] ?? expression
            case .sequence(var sequence):
                sequence.elements = sequence.elements.map(substituted)
                return .sequence(sequence)
            case .dict(var dict):
                for e in dict.entries.indices {
                    dict.entries[e].key = dict.entries[e].key.map(substituted)
                    dict.entries[e].value = substituted(dict.entries[e].value)
                }
                return .dict(dict)
            default:
                return expression
            }
        }
        var made = made
        for a in made.arguments.indices { made.arguments[a].value = substituted(made.arguments[a].value) }
        return made
    }

    /// Whether `call` is the whole value of a `return` statement.
    private func isReturned(_ call: PythonCall) -> Bool {
        let first = tokenIndex(from: call.span.start)
        guard first > 0, isText(first - 1, Array("return".utf8)) else { return false }
        return endsStatement(at: tokenIndex(from: call.span.end))
    }

    /// The token of the one name a `v = …` statement assigns to, when the value starts at token `first`.
    private func assignmentTarget(before first: Int) -> Int? {
        let target = first - 2
        guard target >= 0, isOp(first - 1, 0x3D), module.tokens[target].kind == .name, startsStatement(target) else { return nil }
        return target
    }

    /// Whether `call` is the whole value of a `v = …` statement of `function`, whose body names
    /// `v` only there and in its one `return`, `return v`: the agent is returned as built.
    private func isReturnedThroughVariable(_ call: PythonCall, by function: PythonFunction) -> Bool {
        let all = module.tokens
        guard let target = assignmentTarget(before: tokenIndex(from: call.span.start)), endsStatement(at: tokenIndex(from: call.span.end)) else { return false }
        let variable = Array(bytes[all[target].span.range])
        var returns = 0
        var returnsVariable = false
        var mentions = 0
        let body = tokens(in: function.bodySpan)
        for k in body.indices where all[k].kind == .name {
            if isText(k, Array("return".utf8)) {
                returns += 1
                returnsVariable = isText(k + 1, variable) && endsStatement(at: k + 2)
            } else if isText(k, variable), !isOp(k - 1, 0x2E) {
                mentions += 1
            }
        }
        return returns == 1 && returnsVariable && mentions == 2
    }

    /// ``Flow/runsWhenLoaded``: `flow.run(…)` (also `state = flow.run(…)`) in an unindented
    /// statement of the module, outside every `with` block.
    mutating func collectRunsWhenLoaded() {
        let all = module.tokens
        for k in module.calls.indices where module.calls[k].context == PythonContext() {
            guard let index = flowOfMethodCall(k, method: "run", in: nil) else { continue }
            let first = tokenIndex(from: module.calls[k].span.start)
            // The statement starts with the call, or with one name it assigns the call's state to.
            let statement = assignmentTarget(before: first) ?? first
            guard statement < all.count, startsStatement(statement), isUnindented(all[statement].span.start) else { continue }
            facts.flows[index].runsWhenLoaded = true
        }
    }

    /// Whether the line of `offset` starts with no blank before it.
    private func isUnindented(_ offset: Int) -> Bool {
        offset == 0 || (offset <= bytes.count && (bytes[offset - 1] == 0x0A || bytes[offset - 1] == 0x0D))
    }

    /// `flow.run_agent()`: Prefect 1.x starts a local agent in the process, made with the
    /// labels of the flow's run config (`LocalAgent(labels=list(run_config.labels or ()))`).
    /// `register` adds its own labels and the storage's to those, so after one the agent has
    /// the labels the flow was registered with; without one, the run config's alone (none: the
    /// config's, as for any agent given no labels). The agent never returns: a `register`
    /// that counts stands before it.
    mutating func collectFlowRunAgents() {
        for k in module.calls.indices {
            guard let index = flowOfMethodCall(k, method: "run_agent", in: module.calls[k].context.function) else { continue }
            let call = module.calls[k]
            let flow = facts.flows[index]
            var labels = WrittenLabels(known: flow.labels, unknown: flow.unknownLabels, unknownMayBeNone: flow.unknownLabelsMayBeNone)
            if registeredFlows.contains(where: { $0.flow == index && $0.start < call.span.start }) {
                let register = flow.registerLabels
                for label in register.known where !labels.known.contains(label) { labels.known.append(label) }
                if !register.unknown.isEmpty {
                    // Unknown labels may all be none only if each list of them may be.
                    labels.unknownMayBeNone = (labels.unknown.isEmpty || labels.unknownMayBeNone) && register.unknownMayBeNone
                    labels.unknown += register.unknown
                }
            }
            var agent = Agent(type: .local, span: call.span)
            agent.labels = labels.known
            agent.unknownLabels = labels.unknown
            agent.unknownLabelsMayBeNone = labels.unknownMayBeNone
            agent.labelsFromFlags = !labels.known.isEmpty || (!labels.unknown.isEmpty && !labels.unknownMayBeNone)
            facts.agents.append(agent)
        }
    }

    /// What `os.environ[…] = …` and `os.environ.setdefault(…)` set before an agent the module
    /// starts: the agent process's env, which a local agent's flow runs inherit (facts §4.3).
    /// Those of the function that starts it count when written before it; those at module
    /// level, when written before it or when a function starts it (a module's top level runs
    /// before the function is called, as a rule). Run after ``collectAssignments()``.
    mutating func collectAgentProcessEnv() {
        guard !facts.agents.isEmpty, facts.envAssignments.contains(where: { $0.context == .pythonEnviron }) else { return }
        // In source order (`setdefault` calls are listed after assignments): a later one wins.
        let environ = facts.envAssignments.filter { $0.context == .pythonEnviron }.sorted { $0.nameSpan.start < $1.nameSpan.start }
            .map { ($0, context(at: $0.nameSpan.start).function) }
        // A program started with an `env=` of its own (not `os.environ`'s) does not inherit them.
        for index in facts.agents.indices where facts.agents[index].environmentClearedBy == nil {
            let start = programStarts[index] ?? facts.agents[index].span.start
            let function = context(at: start).function
            let inherited = environ.compactMap { assignment, own -> EnvAssignment? in
                guard own == function ? assignment.nameSpan.end <= start : own == nil else { return nil }
                var set = presentAtRunTime(assignment)
                set.agentIndex = index
                return set
            }
            // Those a program's own command line sets (`os.system("X=1 prefect agent …")`) come after.
            facts.agents[index].processEnv = inherited + facts.agents[index].processEnv
        }
    }

    private mutating func startedAgent(_ type: AgentType, _ call: PythonCall, index: Int) -> Agent {
        var agent = Agent(type: type, span: call.span)
        if case .string(let literal)? = call.keyword("name")?.value { agent.name = literalValue(literal) }
        // A positional argument or `**kwargs` may be any keyword: what labels the agent has is not known.
        let spread = call.arguments.first { $0.kind != .keyword }
        if let labels = call.keyword("labels")?.value, !isNone(labels) {
            let written = writtenLabels(labels)
            agent.labels = written.known
            agent.unknownLabels = written.unknown
            agent.unknownLabelsMayBeNone = written.unknownMayBeNone
            agent.labelsFromFlags = !written.known.isEmpty || (!written.unknown.isEmpty && !written.unknownMayBeNone)
        } else if let spread {
            agent.unknownLabels = [unknownLabel(spread.span)]
            agent.unknownLabelsMayBeNone = true
        }
        if type == .local, case .other(let span)? = call.keyword("hostname_label")?.value, text(span) == "False" {
            agent.addsHostnameLabel = false
        }
        if let env = call.keyword("env_vars")?.value, !isNone(env) {
            if let read = keyedEntries(env), read.complete {
                metadataDicts.formUnion(read.dictSpans)
                for entry in read.entries {
                    guard var assignment = envAssignment(entry, context: .agentEnvFlag) else { continue }
                    assignment = presentAtRunTime(assignment)
                    // Set whatever the expression gives (an `--env` without a value is another thing: PS208).
                    if assignment.value == nil, let span = assignment.valueSpan { assignment.value = text(span) }
                    // No shell between the dict and the agent, which passes the values on as they are.
                    assignment.reachesPrefectAsWritten = true
                    assignment.agentIndex = index
                    agent.flowRunEnv.append(assignment)
                    record(assignment)
                }
                agent.flowRunEnvFromFlags = !read.entries.isEmpty
            } else {
                agent.flowRunEnvUnread = "its env_vars argument"
                agent.flowRunEnvFromFlags = true
            }
        } else if spread != nil {
            agent.flowRunEnvUnread = "its arguments"
        }
        return agent
    }
}
