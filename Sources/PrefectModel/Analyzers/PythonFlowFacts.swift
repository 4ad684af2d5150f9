import PythonSource
import Spans

/// Turns the shallow syntax of one Python module into Prefect facts.
///
/// Files that do not name Prefect reach it only when ``PythonFactsPrefilter`` finds a
/// secret-named key with a literal value: a new kind of fact that needs neither must be
/// taught to the prefilter too (its tests compare both paths).
struct PythonFlowFactsBuilder {
    let module: PythonModule
    let bytes: [UInt8]
    /// The string tokens that may name a GraphQL secret operation (``graphQLOperations(in:strings:of:)``).
    let strings: [Int]
    var facts = FileFacts()
    var python = PythonFacts()

    /// Where the module starts each agent it runs as a command line (by index), when that is
    /// not where the command line is written (`os.system(START)`).
    var programStarts: [Int: Int] = [:]

    /// Module-level `NAME = "literal"` constants, for names given as variables.
    private var constants: [String: String] = [:]
    /// The assignments of each variable that some assignment binds to a flow parameter whose
    /// name and default the module settles (``flowParameterDefault(_:)``): where each stands,
    /// in which function, and that parameter when it is one.
    private var flowParameterBindings: [String: [(start: Int, function: Int?, bound: (parameter: String, name: String)?)]] = [:]
    /// Module-level `name = <expression>` (last wins), to follow `run_config=rc`.
    private var moduleValues: [String: PythonExpression] = [:]
    /// Module variables assigned more than once or under a condition: which value a flow
    /// gets from one is not certain.
    private var uncertainModuleValues: Set<String> = []
    /// The file's lines, for ``isConditional(_:)``.
    private var lines: LineIndex?
    /// The file's `if __name__ == "__main__":` blocks, once asked for.
    private var mainBlocks: [Range<Int>]?
    /// `with` blocks that build a flow.
    private var flowWithBlocks: [Int: Int] = [:]
    /// Spans that belong to a flow: its `Flow(...)` call, `flow.storage = ...` values,
    /// module-level run configs and storages it uses.
    private var flowOwnedSpans: [(ByteSpan, Int)] = []
    /// The function each flow is built in (nil at module level), by flow index.
    private var flowFunctions: [Int?] = []
    /// The variables flows are bound to: where, in which function, and which flow.
    private var flowBindings: [String: [(start: Int, function: Int?, flow: Int)]] = [:]
    /// The `flow.register(…)` calls of the module's flows: which flow, and where the call starts.
    var registeredFlows: [(flow: Int, start: Int, atModuleLevel: Bool)] = []
    /// The method call made on each call's result (`Secret("X")` → `Secret("X").get()`).
    var methodOnCall: [ByteSpan: PythonCall] = [:]
    /// The env assignments ``record(_:)`` listed, by name span, context and name.
    private var recordedEnvNames: Set<RecordedEnv> = []
    private struct RecordedEnv: Hashable {
        var nameSpan: ByteSpan
        var context: EnvContext
        /// Entries of an inline template written with escapes share its literal's span.
        var name: String
    }
    /// Dicts already read as metadata (run config env, client_options...): not PS102 candidates.
    var metadataDicts: Set<ByteSpan> = []
    /// The name spans of secret tasks given where a component takes a secret's name.
    private var tasksGivenAsNames: Set<ByteSpan> = []
    /// Calls of a module variable that holds a component (`notify = SlackTask()`, then
    /// `notify(webhook_secret="SLACK")` in the flow), by the component call's span: their
    /// keywords override the constructor's.
    private var callsOfComponents: [ByteSpan: [PythonCall]] = [:]
    /// The call made on each call's result (`StartFlowRun(…)` → `StartFlowRun(…)(parameters=…)`).
    private var calledDirectly: [ByteSpan: PythonCall] = [:]
    private let starFromPrefect: Bool
    /// The module imports Prefect (anywhere in it; the prefilter parses no other module
    /// unless it holds a secret key's literal).
    let importsPrefect: Bool

    init(module: PythonModule, bytes: [UInt8], strings: [Int]) {
        self.module = module
        self.bytes = bytes
        self.strings = strings
        starFromPrefect = module.imports.contains { $0.name == "*" && Self.isPrefectModule($0.module) }
        importsPrefect = module.imports.contains { $0.level == 0 && Self.isPrefectModule($0.module) }
    }

    /// `prefect` or one of its modules (`prefect.run_configs`), as an import or a resolved name writes it.
    static func isPrefectModule(_ dotted: String) -> Bool {
        dotted == "prefect" || dotted.hasPrefix("prefect.")
    }

    mutating func build() {
        collectModuleValues()
        collectFlowParameters()
        for call in module.calls {
            if case .attribute(.call(let inner), _, _) = call.callee { methodOnCall[inner.span] = call }
            if case .call(let inner) = call.callee { calledDirectly[inner.span] = call }
        }
        bindMethodsOnVariables()
        collectFlowSubclasses()
        collectFlows()
        collectModuleComponents()
        collectDetachedRunConfigs()
        collectAgents()
        collectAgentsStartedAsPrograms()
        collectFlowRunAgents()
        collectRunsWhenLoaded()
        collectFactoryAgents()
        var components: [String: PythonCall] = [:]
        for (name, value) in moduleValues {
            if case .call(let call) = value, prefectName(call) != nil { components[name] = call }
        }
        for call in module.calls where !components.isEmpty {
            // Only calls after the assignment: the prefilter reads a call of a variable that a
            // statement with a fact assigned before it.
            guard case .name(let n) = call.callee, !n.isDotted, let component = components[n.text], component.span.end <= call.span.start
            else { continue }
            callsOfComponents[component.span, default: []].append(call)
        }
        collectCalls()
        markReferencesOfUnusedModuleComponents()
        if !tasksGivenAsNames.isEmpty {
            facts.secretReferences.removeAll { ($0.kind == .prefectSecretTask || $0.kind == .envVarSecret) && tasksGivenAsNames.contains($0.span) }
        }
        collectHelperReads()
        collectBuildTimeImportedCalls()
        exemptModuleReadsOnlyInFlowRuns()
        exemptReadsInLambdas()
        collectNotifierReferences()
        collectAssignments()
        collectAgentProcessEnv()
        collectDicts()
        markContextSecretLiterals()
        collectParameterDefaults()
        collectGraphQLStrings()
        let namedParameterReads = nameParameterReads()
        nameLoopVariableReads()
        markFlowParameterNames()
        collectSecretUsingDefinitions()
        dropNamedParameterReads(namedParameterReads)
        collectImportedNames()
        collectContextSecretReads()
        attributeTaskSecretsToUsingFlows()
        // `Client(api_server="https://api.prefect.io", api_key=…)`: a migration script talks to
        // the server it names (Cloud, or one written elsewhere), whatever the backend says.
        if !facts.cloudAPIUses.isEmpty, module.calls.contains(where: { clientNamesItsServer($0) }) {
            for index in facts.cloudAPIUses.indices { facts.cloudAPIUses[index].serverChosenByClient = true }
        }
        addNamePatterns()
        python.buildsFlow = !facts.flows.isEmpty
        // Files with nothing to say keep FileFacts empty, so the scanner does not retain them.
        facts.python = python.isEmpty ? nil : python
    }

    /// The names a computed secret name can take (``SecretReference/namePattern``), or the
    /// import of a name given as another module's (``SecretReference/nameImport``), on the
    /// references of the file and those of its definitions other modules import.
    mutating func addNamePatterns() {
        func withPatterns(_ references: [SecretReference]) -> [SecretReference] {
            references.map { reference in
                var reference = reference
                if reference.name == nil, reference.span.end <= bytes.count {
                    reference.namePattern = Self.namePattern(ofFString: bytes[reference.span.range]) ?? namePattern(ofExpressionAt: reference.span)
                    if reference.namePattern == nil, reference.nameSource == nil { reference.nameSource = importedName(at: reference.span).map { .imported($0) } }
                }
                return reference
            }
        }
        facts.secretReferences = withPatterns(facts.secretReferences)
        for k in python.secretUsingDefinitions.indices {
            python.secretUsingDefinitions[k].references = withPatterns(python.secretUsingDefinitions[k].references)
        }
    }

    /// `f"DB_PASSWORD_{user.upper()}"` as written: the name text before its first placeholder
    /// and after its last, when that is all letters, digits, `_` and `-` and not empty. Nil
    /// for anything else (a literal brace, a string joined to it, no text around).
    static func namePattern(ofFString text: ArraySlice<UInt8>) -> SecretNamePattern? {
        var k = text.startIndex
        var isFString = false
        while k < text.endIndex, text[k] != 0x22, text[k] != 0x27 {
            switch text[k] | 0x20 {
            case 0x66: isFString = true  // f
            case 0x72: break  // r
            default: return nil
            }
            k += 1
        }
        guard isFString, k < text.endIndex else { return nil }
        let quote = text[k]
        let quoteLength = text[k...].starts(with: [quote, quote, quote]) && text.endIndex - k >= 6 ? 3 : 1
        guard k + quoteLength < text.endIndex - quoteLength else { return nil }
        let content = (k + quoteLength)..<(text.endIndex - quoteLength)
        guard text[content.upperBound...].allSatisfy({ $0 == quote }), !text[content].contains(quote),
            let open = text[content].firstIndex(of: 0x7B), open + 1 < content.upperBound, text[open + 1] != 0x7B,
            let close = text[content].lastIndex(of: 0x7D), open < close
        else { return nil }
        let prefix = text[content.lowerBound..<open]
        let suffix = text[(close + 1)..<content.upperBound]
        guard !(prefix.isEmpty && suffix.isEmpty), prefix.allSatisfy(isNameByte), suffix.allSatisfy(isNameByte) else { return nil }
        return SecretNamePattern(prefix: String(decoding: prefix, as: UTF8.self), suffix: String(decoding: suffix, as: UTF8.self))
    }

    /// A name put together around a literal text: `"DB_" + stage`, `stage + "_PASSWORD"`,
    /// `"DB_{}".format(stage)`, `"DB_%s" % stage`. Nil for any other operator or keyword
    /// outside brackets (`"DB_" + a if b else "X"` can be any name), and for text that is not
    /// all letters, digits, `_` and `-`.
    func namePattern(ofExpressionAt span: ByteSpan) -> SecretNamePattern? {
        let tokens = tokens(in: span).filter { $0.kind != .nl && $0.kind != .comment }
        // The operands outside brackets and the one operator between them.
        var operands: [ArraySlice<PythonToken>] = []
        var operatorText: String?
        var depth = 0
        var start = tokens.startIndex
        for k in tokens.indices {
            let token = tokens[k]
            let text = bytes[token.span.range]
            if token.kind == .op {
                switch text.first {
                case 0x28, 0x5B, 0x7B: depth += 1  // ( [ {
                case 0x29, 0x5D, 0x7D: depth -= 1
                default:
                    guard depth == 0, text.elementsEqual(".".utf8) == false else { continue }
                    let op = String(decoding: text, as: UTF8.self)
                    guard op == "+" || op == "%", operatorText == nil || operatorText == op, k > start else { return nil }
                    operatorText = op
                    operands.append(tokens[start..<k])
                    start = k + 1
                }
            } else if depth == 0, token.kind == .name, Self.expressionKeywords.contains(String(decoding: text, as: UTF8.self)) {
                return nil
            }
        }
        guard start < tokens.endIndex else { return nil }
        operands.append(tokens[start...])
        /// The text of an operand that is one plain string literal, when it can be part of a name.
        func literalText(_ operand: ArraySlice<PythonToken>?) -> [UInt8]? {
            guard let operand, operand.count == 1, let token = operand.first, token.kind == .string,
                let value = PythonStringDecoder.decode(token, in: bytes), !value.isBytes, value.isExact
            else { return nil }
            return value.bytes
        }
        let pattern: SecretNamePattern?
        switch operatorText {
        case "+":
            pattern = SecretNamePattern(
                prefix: literalText(operands.first).map { String(decoding: $0, as: UTF8.self) } ?? "",
                suffix: literalText(operands.last).map { String(decoding: $0, as: UTF8.self) } ?? "")
        case "%":
            guard operands.count == 2, let format = literalText(operands.first) else { return nil }
            pattern = Self.percentFormatPattern(format)
        default:
            // `"DB_{}".format(stage)`: a literal, `.format`, then one call's brackets, closed
            // at the end (`.format(stage).lower()` changes the text).
            let parts = Array(tokens)
            guard parts.count >= 5, let format = literalText(parts[0..<1]), bytes[parts[1].span.range].elementsEqual(".".utf8),
                bytes[parts[2].span.range].elementsEqual("format".utf8), bytes[parts[3].span.range].elementsEqual("(".utf8),
                closingBracket(of: 3, in: parts) == parts.count - 1
            else { return nil }
            pattern = Self.bracePattern(format)
        }
        guard let pattern, !(pattern.prefix.isEmpty && pattern.suffix.isEmpty),
            pattern.prefix.utf8.allSatisfy(Self.isNameByte), pattern.suffix.utf8.allSatisfy(Self.isNameByte)
        else { return nil }
        return pattern
    }

    /// The index of the token that closes the bracket `tokens[open]` opens.
    func closingBracket(of open: Int, in tokens: [PythonToken]) -> Int? {
        var depth = 0
        for k in open..<tokens.count where tokens[k].kind == .op {
            switch bytes[tokens[k].span.start] {
            case 0x28, 0x5B, 0x7B: depth += 1
            case 0x29, 0x5D, 0x7D:
                depth -= 1
                if depth == 0 { return k }
            default: break
            }
        }
        return nil
    }

    /// Words that make an expression more than operands joined by one operator.
    static let expressionKeywords: Set<String> = ["if", "else", "or", "and", "not", "lambda", "for", "in", "is", "await"]

    static func isNameByte(_ b: UInt8) -> Bool { b == 0x5F || b == 0x2D || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || (b >= 0x30 && b <= 0x39) }

    /// `DB_{}_PASSWORD` (`str.format`): the text before the first field and after the last;
    /// nil with a literal brace (`{{`).
    static func bracePattern(_ format: [UInt8]) -> SecretNamePattern? {
        guard let open = format.firstIndex(of: 0x7B), let close = format.lastIndex(of: 0x7D), open < close,
            !format[open...].starts(with: [0x7B, 0x7B]), !format[(close + 1)...].contains(0x7B), !format[..<open].contains(0x7D)
        else { return nil }
        return SecretNamePattern(prefix: String(decoding: format[..<open], as: UTF8.self), suffix: String(decoding: format[(close + 1)...], as: UTF8.self))
    }

    /// `DB_%s_PASSWORD` (`%` formatting): the text before the first conversion and after the
    /// last; nil with a literal `%` (`%%`).
    static func percentFormatPattern(_ format: [UInt8]) -> SecretNamePattern? {
        guard let first = format.firstIndex(of: 0x25), !format[first...].starts(with: [0x25, 0x25]) else { return nil }
        // The last conversion: `%`, an optional `(key)`, flags, width and precision, a letter.
        var k = first
        var end = first
        while let percent = format[k...].firstIndex(of: 0x25) {
            var j = percent + 1
            if j < format.count, format[j] == 0x28, let close = format[j...].firstIndex(of: 0x29) { j = close + 1 }
            while j < format.count, " -+#0123456789.*".utf8.contains(format[j]) { j += 1 }
            guard j < format.count, "sdirafeEgGxXouc".utf8.contains(format[j]) else { return nil }
            end = j + 1
            k = end
        }
        return SecretNamePattern(prefix: String(decoding: format[..<first], as: UTF8.self), suffix: String(decoding: format[end...], as: UTF8.self))
    }

    /// `s = Secret("X")` then `s.get()` in the same scope: the method call on the variable
    /// counts as a method call on the call's result.
    mutating func bindMethodsOnVariables() {
        struct Binding: Hashable {
            var function: Int?
            var variable: String
        }
        // `v.get()`, `v.run()` and `v.start()` calls on a plain variable, then single-name assignments to
        // those variables by scope and name, in source order: one pass, not one per call.
        var candidates: [(call: PythonCall, binding: Binding)] = []
        for call in module.calls {
            guard case .name(let n) = call.callee, n.resolved == nil,
                n.text.utf8.reversed().starts(with: "teg.".utf8) || n.text.utf8.reversed().starts(with: "nur.".utf8)
                    || n.text.utf8.reversed().starts(with: "trats.".utf8)
            else { continue }
            let parts = n.text.split(separator: ".")
            guard parts.count == 2 else { continue }
            candidates.append((call, Binding(function: call.context.function, variable: String(parts[0]))))
        }
        guard !candidates.isEmpty else { return }
        let variables = Set(candidates.map(\.binding.variable))
        var assignments: [Binding: [PythonAssignment]] = [:]
        for assignment in module.assignments where assignment.targets.count == 1 {
            let names = assignment.targetNames
            guard names.count == 1, let name = names.first, variables.contains(name.text) else { continue }
            assignments[Binding(function: assignment.context.function, variable: name.text), default: []].append(assignment)
        }
        for (call, key) in candidates {
            // A function's own assignment, before the call; else the module's last one above
            // the function (the prefilter reads the file in order).
            let binding = assignments[key]?.last { $0.span.end <= call.span.start }
                ?? (key.function == nil ? nil : assignments[Binding(function: nil, variable: key.variable)]?.last { $0.span.end <= call.span.start })
            guard case .call(let inner)? = binding?.value, methodOnCall[inner.span] == nil else { continue }
            methodOnCall[inner.span] = call
        }
    }

    /// A module-level helper function that reads a secret, called inside `with Flow(...)` or at
    /// module level, reads it at build time too (one level deep; facts §1.2: the check is on
    /// `prefect.context.flow`, which is set while the helper runs).
    mutating func collectHelperReads() {
        // Most files read no secret in a plain function; the test below would copy the builder.
        guard python.secretReads.contains(where: { $0.place == .otherFunction }) else { return }
        var helperReads: [String: [PythonSecretRead]] = [:]
        let readsByFunction = Dictionary(
            grouping: python.secretReads.filter { $0.place == .otherFunction && ["Secret.get", "PrefectSecret.run", "VaultSecret.run"].contains($0.api) },
            by: \.functionName)
        let openers = BlockOpeners(bytes)
        for function in module.functions where function.context.function == nil && function.context.classIndex == nil {
            guard let candidates = readsByFunction[function.name], !function.decorators.contains(where: { isTaskDecorator($0) }) else { continue }
            let reads = candidates.filter { function.bodySpan.contains($0.span) && !onlyInFlowRuns($0.span, openers: openers) }
            if !reads.isEmpty { helperReads[function.name] = reads }
        }
        guard !helperReads.isEmpty else { return }
        python.helperSecretReads = helperReads.values.flatMap { $0 }.sorted { $0.span.start < $1.span.start }
        for call in module.calls {
            guard case .name(let n) = call.callee, n.resolved == nil, let reads = helperReads[n.text] else { continue }
            let (where_, _) = place(call.context)
            guard where_ == .flowBlock || where_ == .moduleLevel else { continue }
            for read in reads {
                python.secretReads.append(
                    PythonSecretRead(api: read.api, name: read.name, nameIsLiteral: read.nameIsLiteral, span: call.span, place: where_, functionName: n.text))
            }
        }
    }

    /// Calls of functions the module imports from another module (`from lib.creds import
    /// get_password`) inside `with Flow(...)` or at module level, outside any function: they
    /// run while the flow is built, or whenever the module is loaded (at registration too),
    /// and the model finds those that read a secret (PS401). The `__main__` block does not run
    /// at registration.
    mutating func collectBuildTimeImportedCalls() {
        guard !facts.flows.isEmpty, !module.imports.isEmpty else { return }
        for call in module.calls {
            let place = place(call.context).0
            guard place == .flowBlock || (place == .moduleLevel && !isInMainBlock(call.span.start)),
                // `get_password(…)`, or `creds.get_password(…)` on an imported module.
                let imported = importedBinding(call.callee)
            else { continue }
            python.buildTimeImportedCalls.append(BuildTimeImportedCall(imported: imported, span: call.span, place: place))
        }
    }

    /// A module-level read under `if prefect.context.get("flow_run_id"):` runs only when a flow
    /// run loads the module (script-based storage), not at registration or other imports: no
    /// build-time read.
    mutating func exemptModuleReadsOnlyInFlowRuns() {
        guard python.secretReads.contains(where: { $0.place == .moduleLevel }) else { return }
        let openers = BlockOpeners(bytes)
        let guarded = python.secretReads.filter { $0.place == .moduleLevel && onlyInFlowRuns($0.span, openers: openers) }.map(\.span)
        guard !guarded.isEmpty else { return }
        let guardedSet = Set(guarded)
        python.secretReads.removeAll { $0.place == .moduleLevel && guardedSet.contains($0.span) }
        // Calls nest or lie apart: the reads around a reference are found by bisection.
        let reads = NestedRanges(guarded.map(\.range))
        for k in facts.secretReferences.indices where facts.secretReferences[k].readAtBuildTime {
            if !reads.around(facts.secretReferences[k].span.range).isEmpty { facts.secretReferences[k].readAtBuildTime = false }
        }
    }

    /// A read written in a lambda (`task(lambda: Secret("X").get())`, a state handler) runs
    /// when the lambda is called, in a flow run, not where the lambda is written: no
    /// build-time read, as in a nested `def`.
    /// A lambda a module variable holds that the module calls where the flow is built
    /// (`get = lambda: Secret("X").get()`, then `get()` in `with Flow`) reads then: such reads
    /// keep the place of the first such call.
    mutating func exemptReadsInLambdas() {
        guard !module.lambdaBodies.isEmpty else { return }
        let bodies = NestedRanges(module.lambdaBodies.map(\.range))
        func inLambda(_ span: ByteSpan) -> Bool { !bodies.around(span.range).isEmpty }
        // Most lambdas read nothing: then nothing is to be exempted.
        guard python.secretReads.contains(where: { ($0.place == .moduleLevel || $0.place == .flowBlock) && inLambda($0.span) })
            || facts.secretReferences.contains(where: { $0.readAtBuildTime && inLambda($0.span) }) || python.buildTimeImportedCalls.contains(where: { inLambda($0.span) })
        else { return }
        // The bodies of lambdas called where the flow is built, with the place of the call.
        var calledAtBuildTime: [(body: ByteSpan, place: PythonReadPlace)] = []
        for assignment in module.assignments where assignment.context.function == nil && assignment.op == "=" {
            guard assignment.targets.count == 1, case .name(let target)? = assignment.targets.first, !target.isDotted, let value = assignment.value,
                let body = module.lambdaBodies.first(where: { value.span.contains($0) && bytes[value.span.range].starts(with: Array("lambda".utf8)) })
            else { continue }
            let calls = module.calls.filter { call in
                guard case .name(let callee) = call.callee, callee.text == target.text, !inLambda(call.span) else { return false }
                let place = place(call.context).0
                return place == .moduleLevel || place == .flowBlock
            }
            if let call = calls.first(where: { place($0.context).0 == .flowBlock }) ?? calls.first {
                calledAtBuildTime.append((body, place(call.context).0))
            }
        }
        func buildTimePlace(_ span: ByteSpan) -> PythonReadPlace? { calledAtBuildTime.first { $0.body.contains(span) }?.place }
        for k in python.secretReads.indices where python.secretReads[k].place == .moduleLevel || python.secretReads[k].place == .flowBlock {
            guard inLambda(python.secretReads[k].span) else { continue }
            python.secretReads[k].place = buildTimePlace(python.secretReads[k].span) ?? .otherFunction
        }
        for k in facts.secretReferences.indices where facts.secretReferences[k].readAtBuildTime {
            if inLambda(facts.secretReferences[k].span), buildTimePlace(facts.secretReferences[k].span) == nil { facts.secretReferences[k].readAtBuildTime = false }
        }
        python.buildTimeImportedCalls.removeAll { inLambda($0.span) && buildTimePlace($0.span) == nil }
    }

    /// Whether the code at `span` runs only in a flow run: the block it stands in is that of an
    /// `if` (or `elif`) that asks for the run's id (`if prefect.context.get("flow_run_id"):`),
    /// which registration and other imports of the module do not have.
    func onlyInFlowRuns(_ span: ByteSpan, openers: BlockOpeners) -> Bool {
        guard span.start < bytes.count else { return false }
        let lines = SourceLines(bytes: bytes)
        guard let opener = openers.opener(ofLineAt: lines.start(span.start)) else { return false }
        let first = opener + lines.indent(ofLineAt: opener)
        let header = text(ByteSpan(first, lines.end(first)))
        guard header.hasPrefix("if ") || header.hasPrefix("elif ") else { return false }
        let negated = header.hasPrefix("if not ") || header.hasPrefix("elif not ") || header.contains(" not in ")
            || header.contains(" is None") || header.contains("== None")
        return header.contains("flow_run_id") && !negated
    }

    /// The flow methods that add a task to the flow they are called on.
    static let taskAddingFlowMethods: Set<String> = ["add_task", "set_dependencies", "add_edge"]

    /// In a module with several flows, a secret read in a task's body or decorator (a `@task`
    /// function, a `Task` subclass, a module-level function) or by a secret task or state
    /// handler bound to a module variable belongs to the flows that use it (``flowsUsing(_:)``).
    /// A task several flows use gives each the reference. (With one flow the model gives that
    /// flow every reference of the module.)
    mutating func attributeTaskSecretsToUsingFlows() {
        guard facts.flows.count > 1, facts.secretReferences.contains(where: { $0.flowIndex == nil }) else { return }
        var usersByName: [String: [Int]] = [:]
        var copies: [SecretReference] = []
        for k in facts.secretReferences.indices where facts.secretReferences[k].flowIndex == nil {
            guard let name = taskName(around: facts.secretReferences[k].span) else { continue }
            let users = usersByName[name] ?? flowsUsing(name)
            usersByName[name] = users
            guard let first = users.first else { continue }
            facts.secretReferences[k].flowIndex = first
            for flow in users.dropFirst() {
                var copy = facts.secretReferences[k]
                copy.flowIndex = flow
                copies.append(copy)
            }
        }
        facts.secretReferences += copies
    }

    /// The module-level function or class whose span (with its decorators: `@task(state_handlers=
    /// [slack_notifier(…)])` reads when the task runs) holds `span`.
    func definitionName(around span: ByteSpan) -> String? {
        let isModuleLevel = { (context: PythonContext) in context.function == nil && context.classIndex == nil }
        if let function = module.functions.first(where: { isModuleLevel($0.context) && $0.span.contains(span) }) { return function.name }
        return module.classes.first(where: { isModuleLevel($0.context) && $0.span.contains(span) })?.name
    }

    /// The name a flow uses the code at `span` by: the module-level function or class whose
    /// body holds it, or the module variable a module-level assignment of it binds.
    func taskName(around span: ByteSpan) -> String? {
        if let name = definitionName(around: span) { return name }
        let isModuleLevel = { (context: PythonContext) in context.function == nil && context.classIndex == nil }
        guard let assignment = module.assignments.first(where: { isModuleLevel($0.context) && $0.value?.span.contains(span) == true }),
            assignment.targets.count == 1, case .name(let target) = assignment.targets[0], !target.isDotted
        else { return nil }
        return target.text
    }

    /// The flows that use `name` (not as an attribute): in their constructor, run config or
    /// storage (`state_handlers=[handler]`), anywhere in their `with` block or in the one
    /// function that builds them, or in a task-adding method called on them; in order. Read
    /// from the tokens inside what the parse always keeps (those blocks, the flows' own calls,
    /// the flow methods), so that skipping ordinary statements changes nothing.
    func flowsUsing(_ name: String) -> [Int] {
        let word = Array(name.utf8)
        var users = Set(flowOwnedSpans.filter { mentions(word, in: $0.0) }.map(\.1))
        for (block, flow) in flowWithBlocks where block < module.withBlocks.count && mentions(word, in: module.withBlocks[block].bodySpan) {
            users.insert(flow)
        }
        for flow in flowFunctions.indices {
            guard let function = flowFunctions[flow], function < module.functions.count, flowFunctions.count(where: { $0 == function }) == 1,
                mentions(word, in: module.functions[function].bodySpan)
            else { continue }
            users.insert(flow)
        }
        for call in module.calls {
            guard case .name(let callee) = call.callee, let dot = callee.text.utf8.lastIndex(of: 0x2E),
                Self.taskAddingFlowMethods.contains(callee.lastComponent), mentions(word, in: call.argumentsSpan),
                let flow = boundFlow(callee.text[..<dot], at: call.span.start, in: call.context.function)
            else { continue }
            users.insert(flow)
        }
        return users.sorted()
    }

    /// In a module with several flows, the flows that run the code at `span`: the one whose
    /// constructor, run config, storage or `with` block holds it (the innermost block), those
    /// the function around it builds, those that use the module-level function or class
    /// around it, or the variable a module-level assignment of it binds (``flowsUsing(_:)``),
    /// and every flow for other module-level code (or a value no flow uses, made for what
    /// making it does), which runs whenever a flow run loads the module. `usersOf` keeps
    /// ``flowsUsing(_:)`` by name between calls.
    func flowsRunning(at span: ByteSpan, usersOf: inout [String: [Int]]) -> [Int] {
        if let owned = flowOwnedSpans.first(where: { $0.0.contains(span) }) { return [owned.1] }
        let blocks = flowWithBlocks.filter { $0.key < module.withBlocks.count && module.withBlocks[$0.key].bodySpan.contains(span) }
        if let innermost = blocks.max(by: { module.withBlocks[$0.key].bodySpan.start < module.withBlocks[$1.key].bodySpan.start }) { return [innermost.value] }
        let built = flowFunctions.indices.filter { flow in
            flowFunctions[flow].map { $0 < module.functions.count && module.functions[$0].bodySpan.contains(span) } ?? false
        }
        if !built.isEmpty { return built }
        let definition = definitionName(around: span)
        if let name = definition ?? taskName(around: span) {
            let users = usersOf[name] ?? flowsUsing(name)
            usersOf[name] = users
            if !users.isEmpty || definition != nil { return users }
        }
        return Array(facts.flows.indices)
    }

    /// The flow a variable holds where it is used: the last binding before it in the same
    /// function (or at module level); a function that binds none (`def configure(flow):
    /// flow.run_config = …`) is taken to act on the module's last flow of that name, when it
    /// is called.
    func boundFlow(_ variable: Substring, at position: Int, in function: Int?) -> Int? {
        let candidates = flowBindings[String(variable)] ?? []
        return (candidates.last { $0.function == function && $0.start < position }
            ?? (function == nil ? nil : candidates.last { $0.function == nil }))?.flow
    }

    /// Whether a name token `word` stands in `span`, not after a `.`.
    func mentions(_ word: [UInt8], in span: ByteSpan) -> Bool {
        let inside = tokens(in: span)
        return inside.indices.contains { i in
            inside[i].kind == .name && isText(i, word) && !(i > 0 && isOp(i - 1, 0x2E))
        }
    }

    /// Whether token `i` of the module is the one-byte operator `byte`.
    func isOp(_ i: Int, _ byte: UInt8) -> Bool {
        let tokens = module.tokens
        return i >= 0 && i < tokens.count && tokens[i].kind == .op && tokens[i].span.length == 1 && tokens[i].span.start < bytes.count
            && bytes[tokens[i].span.start] == byte
    }

    /// Whether token `i` of the module is written `word`.
    func isText(_ i: Int, _ word: [UInt8]) -> Bool {
        let tokens = module.tokens
        return i >= 0 && i < tokens.count && tokens[i].span.length == word.count && tokens[i].span.end <= bytes.count
            && bytes[tokens[i].span.range].elementsEqual(word)
    }

    /// `prefect.context.secrets["X"]`, `prefect.context.secrets.get("X")` and
    /// `prefect.context.secrets.X`, also on `context`
    /// imported from prefect or on `prefect.config.context`, and with the secrets taken by key
    /// (`prefect.context["secrets"]`, `prefect.context.get("secrets", {})`): a read of the
    /// run's context alone, which never asks Prefect Cloud (facts §7, "ctx only"). The flow
    /// that needs it is the one the code belongs to.
    mutating func collectContextSecretReads() {
        // As written in practice (`context . secrets` is legal Python nobody writes): most
        // Prefect modules name `context` and `secrets` apart, and get no token pass.
        guard Self.contextSecretsTexts.contains(where: { ByteSearch.contains($0, in: bytes) }) else { return }
        let tokens = module.tokens
        let contextIsPrefects = module.resolve("context") == "prefect.context"
        let configIsPrefects = module.resolve("config") == "prefect.config"
        /// `prefect` itself, ending at token `p`.
        func isPrefect(_ p: Int) -> Bool { isText(p, Self.prefectWord) && !isOp(p - 1, 0x2E) && module.resolve("prefect") == "prefect" }
        /// `prefect.context` or `context` from `from prefect import context`, ending at token
        /// `c`; also the config's context the run's starts from (`prefect.config.context`,
        /// `config.context` from `from prefect import config`), read from the same sources.
        func isPrefectContext(_ c: Int) -> Bool {
            guard isText(c, Self.contextWord) else { return false }
            guard isOp(c - 1, 0x2E) else { return contextIsPrefects }
            if isPrefect(c - 2) { return true }
            guard isText(c - 2, Self.configWord) else { return false }
            return isOp(c - 3, 0x2E) ? isPrefect(c - 4) : configIsPrefects
        }
        for i in tokens.indices {
            // The last token of the secrets themselves: `.secrets`, `["secrets"]`, `.get("secrets", …)`.
            let secretsEnd: Int
            if tokens[i].kind == .name, isText(i, Self.secretsWord), isOp(i - 1, 0x2E), isPrefectContext(i - 2) {
                secretsEnd = i
            } else if tokens[i].kind == .string, isSecretsKey(i), isOp(i - 1, 0x5B), isOp(i + 1, 0x5D), isPrefectContext(i - 2) {
                secretsEnd = i + 1
            } else if tokens[i].kind == .string, isSecretsKey(i), isOp(i - 1, 0x28), isText(i - 2, Self.getWord), isOp(i - 3, 0x2E), isPrefectContext(i - 4),
                let close = closingParenthesis(after: i - 1)
            {
                secretsEnd = close
            } else {
                continue
            }
            let key: Int
            let k = secretsEnd
            if isOp(k + 1, 0x5B), k + 2 < tokens.count, tokens[k + 2].kind == .string, isOp(k + 3, 0x5D) {
                // `prefect.context.secrets["X"] = …` sets the secret; it reads nothing.
                if isOp(k + 4, 0x3D) { continue }
                key = k + 2
            } else if isOp(k + 1, 0x2E), isText(k + 2, Self.getWord), isOp(k + 3, 0x28), k + 4 < tokens.count, tokens[k + 4].kind == .string,
                isOp(k + 5, 0x29) || isOp(k + 5, 0x2C)
            {
                key = k + 4
            } else if isOp(k + 1, 0x2E), k + 2 < tokens.count, tokens[k + 2].kind == .name, !isOp(k + 3, 0x28), !isOp(k + 3, 0x3D),
                !PrefectConfigLoader.reservedKeys.contains(text(tokens[k + 2].span))
            {
                // `prefect.context.secrets.X`: the context is a Box, whose attributes are its
                // keys (a method called, `.get(…)`, one of the Box's own names such as `keys`
                // or `__dict__`, or an attribute set reads no secret).
                let span = tokens[k + 2].span
                let context = context(at: tokens[i].span.start)
                facts.secretReferences.append(SecretReference(name: text(span), span: span, kind: .contextRead, flowIndex: flowIndex(context, span: span)))
                continue
            } else {
                continue
            }
            guard let value = PythonStringDecoder.decode(tokens[key], in: bytes), !value.isBytes, let span = tokens[key].stringContentSpan else { continue }
            let name = value.text
            let context = context(at: tokens[i].span.start)
            facts.secretReferences.append(SecretReference(name: name, span: span, kind: .contextRead, flowIndex: flowIndex(context, span: span)))
        }
    }

    /// Whether string token `i` is the literal `"secrets"` (or `'secrets'`).
    func isSecretsKey(_ i: Int) -> Bool {
        guard module.tokens[i].span.length == Self.secretsWord.count + 2, let value = PythonStringDecoder.decode(module.tokens[i], in: bytes) else { return false }
        return !value.isBytes && value.text == "secrets"
    }

    /// The `)` that closes the `(` at token `open`, if the line of tokens has one.
    func closingParenthesis(after open: Int) -> Int? {
        let tokens = module.tokens
        var depth = 0
        var k = open
        while k < tokens.count {
            if isOp(k, 0x28) || isOp(k, 0x5B) || isOp(k, 0x7B) { depth += 1 }
            if isOp(k, 0x29) || isOp(k, 0x5D) || isOp(k, 0x7D) {
                depth -= 1
                if depth == 0 { return isOp(k, 0x29) ? k : nil }
            }
            if tokens[k].kind == .newline || tokens[k].kind == .endMarker { return nil }
            k += 1
        }
        return nil
    }

    static let contextSecretsTexts = ["context.secrets", "context[\"secrets\"]", "context['secrets']", "context.get(\"secrets\"", "context.get('secrets'"]
        .map { Array($0.utf8) }
    static let secretsWord = Array("secrets".utf8)
    static let contextWord = Array("context".utf8)
    static let configWord = Array("config".utf8)
    static let prefectWord = Array("prefect".utf8)
    static let getWord = Array("get".utf8)

    /// The innermost function, class and `with` body around `offset`, as the parser gives a
    /// node there.
    func context(at offset: Int) -> PythonContext {
        func innermost(_ spans: [ByteSpan]) -> Int? {
            spans.indices.filter { spans[$0].contains(offset) }.max { spans[$0].start < spans[$1].start }
        }
        return PythonContext(
            function: innermost(module.functions.map(\.bodySpan)), classIndex: innermost(module.classes.map(\.bodySpan)),
            withBlock: innermost(module.withBlocks.map(\.bodySpan)))
    }

    /// Notifiers passed uncalled as state handlers (`state_handlers=[slack_notifier]`) read
    /// their default secrets when they fire (facts §7.3).
    mutating func collectNotifierReferences() {
        func names(in expression: PythonExpression) -> [PythonName] {
            switch expression {
            case .name(let n): return [n]
            case .sequence(let sequence): return sequence.elements.flatMap(names)
            default: return []
            }
        }
        // A name resolves under the notifications module only through an import whose target
        // is that module, inside it or a package above it.
        let notifications = "prefect.utilities.notifications"
        guard module.imports.contains(where: { $0.target.hasPrefix(notifications) || notifications.hasPrefix($0.target + ".") }) else { return }
        for call in module.calls {
            // `partial(slack_notifier, webhook_secret="OPS_HOOK")`: the handler reads what the
            // keywords the partial binds say, as a direct call would.
            let isPartial = call.resolvedName == "functools.partial"
            for (index, argument) in call.arguments.enumerated() {
                for name in names(in: argument.value) {
                    guard let resolved = name.resolved, resolved.hasPrefix("prefect.utilities.notifications"),
                        let components = PrefectComponents.taskSecrets(resolved: resolved, name: PythonName.lastComponent(of: resolved))
                    else { continue }
                    let flow = flowIndex(call.context, span: call.span)
                    let bound = isPartial && index == 0 && argument.kind == .positional
                    for component in components {
                        if bound, let keyword = component.keyword, let given = call.keyword(keyword) {
                            if isNone(given.value) { continue }
                            let (secret, span, _) = secretName(given.value)
                            facts.secretReferences.append(SecretReference(name: secret, span: span, kind: .componentKeyword, flowIndex: flow))
                            continue
                        }
                        guard let secret = component.defaultName, !(bound && component.skippedWhen.contains { call.keyword($0) != nil }) else { continue }
                        facts.secretReferences.append(SecretReference(name: secret, span: name.span, kind: .componentKeyword, flowIndex: flow))
                    }
                }
            }
        }
    }

    // MARK: Names

    /// The Prefect name a call or name denotes (its last component) when it comes from `prefect`.
    func prefectName(resolved: String?, written: String?) -> String? {
        if let resolved, Self.isPrefectModule(resolved) {
            return PythonName.lastComponent(of: resolved)
        }
        if resolved == nil, starFromPrefect, let written, !written.utf8.contains(0x2E) { return written }
        return nil
    }

    func prefectName(_ call: PythonCall) -> String? { prefectName(resolved: call.resolvedName, written: call.calleeName) }

    /// Prefect's `Flow(…)`, or a class `Flow` that subclasses it: one this module defines, or
    /// one it imports from another module (``importedFlowClass(_:)``; the model keeps such a
    /// flow only where the project's module defines that subclass). Only the name `Flow`: the
    /// prefilter parses statements that hold it, and a team's own class keeps Prefect's name.
    func isFlowCall(_ call: PythonCall) -> Bool {
        if prefectName(call) == "Flow" { return true }
        guard call.calleeName == "Flow" else { return false }
        return call.resolvedName == nil ? python.flowSubclasses.contains("Flow") : importedFlowClass(call) != nil
    }

    /// For `Flow(…)` of a class imported from a module other than Prefect's (`from
    /// pipelines.utils import Flow`, `from pipelines.utils import CustomFlow as Flow`), that import.
    func importedFlowClass(_ call: PythonCall) -> ImportedName? {
        guard call.calleeName == "Flow", let resolved = call.resolvedName else { return nil }
        return nonPrefectImport(resolvedAs: resolved)
    }

    /// The `from … import` of a module other than Prefect's that binds what `resolved` names.
    func nonPrefectImport(resolvedAs resolved: String) -> ImportedName? {
        guard prefectName(resolved: resolved, written: nil) == nil,
            let imported = module.imports.last(where: { $0.target == resolved }), let name = imported.name
        else { return nil }
        return ImportedName(module: imported.module, level: imported.level, name: name, span: imported.span)
    }

    /// Module-level classes whose bases are Prefect's `Flow` or such a class defined before
    /// them; and what the module binds `Flow` to (`Flow = CustomFlow`): such a class of its
    /// own, or one imported from another module (``PythonFacts/flowAlias``).
    mutating func collectFlowSubclasses() {
        let isModuleLevel = { (context: PythonContext) in context.function == nil && context.classIndex == nil }
        for definition in module.classes where isModuleLevel(definition.context) {
            let subclasses = definition.bases.contains { base in
                guard base.kind == .positional, case .name(let n) = base.value else { return false }
                return prefectName(resolved: n.resolved, written: n.text) == "Flow" || (n.resolved == nil && python.flowSubclasses.contains(n.text))
            }
            if subclasses { python.flowSubclasses.append(definition.name) }
        }
        for assignment in module.assignments where isModuleLevel(assignment.context) && assignment.targetNames.map(\.text) == ["Flow"] {
            guard case .name(let n)? = assignment.value else { continue }
            if n.resolved == nil, python.flowSubclasses.contains(n.text) {
                python.flowSubclasses.append("Flow")
            } else if let resolved = n.resolved, let imported = nonPrefectImport(resolvedAs: resolved) {
                python.flowAlias = imported
            }
        }
    }

    func isSecretClass(_ call: PythonCall) -> Bool {
        guard prefectName(call) == "Secret" else { return false }
        guard let resolved = call.resolvedName else { return true }
        return resolved.hasPrefix("prefect.client")
    }

    func text(_ span: ByteSpan) -> String {
        guard span.start >= 0, span.end <= bytes.count, span.start <= span.end else { return "" }
        return String(decoding: bytes[span.range], as: UTF8.self)
    }

    func isNone(_ expression: PythonExpression) -> Bool {
        if case .other(let span) = expression { return text(span) == "None" }
        return false
    }

    /// `""` (or `''`).
    func isEmptyString(_ expression: PythonExpression) -> Bool {
        if case .string(let literal) = expression, !literal.isFString { return literalValue(literal) == "" }
        return false
    }

    // MARK: Strings

    /// The span of a literal's text without prefix and quotes, for a single literal; the
    /// whole span for concatenations.
    func valueSpan(_ literal: PythonStringLiteral) -> ByteSpan {
        guard literal.parts.count == 1, let part = literal.parts.first else { return literal.span }
        var i = part.start
        while i < part.end, [0x72, 0x52, 0x62, 0x42, 0x75, 0x55, 0x66, 0x46].contains(bytes[i]) { i += 1 }
        guard i < part.end else { return part }
        let quote = bytes[i]
        var quotes = 1
        if part.end - i >= 6, bytes[i + 1] == quote, bytes[i + 2] == quote { quotes = 3 }
        let start = i + quotes
        return ByteSpan(start, max(start, part.end - quotes))
    }

    /// Tokens whose start lies in `span`.
    func tokens(in span: ByteSpan) -> ArraySlice<PythonToken> {
        let all = module.tokens
        let low = tokenIndex(from: span.start)
        var end = low
        while end < all.count, all[end].span.start < span.end { end += 1 }
        return all[low..<end]
    }

    /// The index of the first token that starts at `offset` or after (the token count when none does).
    func tokenIndex(from offset: Int) -> Int {
        let all = module.tokens
        var low = 0
        var high = all.count
        while low < high {
            let mid = (low + high) / 2
            if all[mid].span.start < offset { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The flow that the module's call `k`, `flow.<method>(…)`, is made on: `flow` a variable
    /// bound to one of the module's flows where the call stands (in `function`, or at module level).
    func flowOfMethodCall(_ k: Int, method: String, in function: Int?) -> Int? {
        guard module.calls[k].calleeName?.hasSuffix("." + method) == true, case .name(let n) = module.calls[k].callee, n.resolved == nil else { return nil }
        let parts = n.text.split(separator: ".")
        guard parts.count == 2 else { return nil }
        return boundFlow(parts[0], at: module.calls[k].span.start, in: function)
    }

    /// True when an f-string literal has replacement fields (`f"{x}"`).
    func hasPlaceholders(_ literal: PythonStringLiteral) -> Bool {
        guard literal.isFString else { return false }
        return tokens(in: literal.span).contains {
            switch $0.kind {
            case .string, .fstringStart, .fstringMiddle, .fstringEnd, .nl, .comment: false
            default: true
            }
        }
    }

    /// How a label expression the tool cannot read is named: its leading dotted name, with
    /// `(…)` or `[…]` for the call or subscript after it (`get_labels(…)`), else `…`. Only the
    /// name: the rest may hold string literals, which messages do not show.
    func unknownLabel(_ span: ByteSpan) -> String {
        var end = max(0, span.start)
        let limit = min(span.end, bytes.count)
        while end < limit, bytes[end] == 0x2E || bytes[end] == 0x5F || bytes[end] >= 0x80 || (bytes[end] | 0x20 >= 0x61 && bytes[end] | 0x20 <= 0x7A)
            || (end > span.start && bytes[end] >= 0x30 && bytes[end] <= 0x39)
        {
            end += 1
        }
        guard end > span.start, end >= limit || (bytes[end] != 0x22 && bytes[end] != 0x27) else { return "…" }  // f"…", b'…'
        var name = String(decoding: bytes[span.start..<end], as: UTF8.self)
        if end < limit, bytes[end] == 0x28 { name += "(…)" } else if end < limit, bytes[end] == 0x5B { name += "[…]" } else if end < limit { name += "…" }
        return name.count > 40 ? String(name.prefix(39)) + "…" : name
    }

    /// How messages show a flow name the tool cannot read: its form (`f"etl-{env}"` is
    /// `etl-{…}`), else the expression's leading name; nil when neither says anything.
    func computedName(_ span: ByteSpan) -> ComputedFlowName? {
        guard span.start >= 0, span.end <= bytes.count else { return nil }
        if let pattern = Self.namePattern(ofFString: bytes[span.range]) ?? namePattern(ofExpressionAt: span) { return .form(pattern.description) }
        let leading = unknownLabel(span)
        return leading == "…" ? nil : .expression(leading)
    }

    /// A flow name given as an f-string (one literal, any text: names are shown as written):
    /// its value when the module settles every field (each a module constant no function
    /// around `position` binds, the f-string outside any function), else its form with `{…}`
    /// for the fields it does not settle, when it has text or settled fields of its own. Nil
    /// for other expressions, and for a field that is not a plain name (`{N!r}`, `{N:>4}`).
    func flowNameFString(_ expression: PythonExpression, at position: Int) -> (name: String?, form: String?)? {
        guard case .string(let literal) = expression, literal.isFString, literal.parts.count == 1 else { return nil }
        let inFunction = module.functions.contains { $0.bodySpan.contains(position) }
        var value = ""
        var form = ""
        var settled = true
        // Whether the form shows more than `{…}`: text, or a settled field.
        var showsText = false
        var field: [PythonToken] = []
        var depth = 0
        for token in tokens(in: literal.span) {
            if token.kind == .op, token.span.length == 1, bytes[token.span.start] == 0x7B || bytes[token.span.start] == 0x7D {
                depth += bytes[token.span.start] == 0x7B ? 1 : -1
                guard depth == 0 else { continue }
                guard field.count == 1, field[0].kind == .name else { return nil }
                if !inFunction, let constant = settledConstant(named: text(field[0].span), at: position) {
                    value += constant
                    form += constant
                    showsText = showsText || !constant.isEmpty
                } else {
                    settled = false
                    form += "{…}"
                }
                field = []
            } else if depth > 0 {
                field.append(token)
            } else if token.kind == .fstringMiddle {
                let part = text(token.span).replacingOccurrences(of: "{{", with: "{").replacingOccurrences(of: "}}", with: "}")
                value += part
                form += part
                showsText = showsText || !part.isEmpty
            }
        }
        if settled { return (value, nil) }
        return (nil, showsText ? form : nil)
    }

    /// The name a flow is given at `position` by `argument`, and how messages show it when the
    /// tool cannot read it: a literal or a module constant, an f-string
    /// (``flowNameFString(_:at:)``), else ``computedName(_:)``.
    func flowName(_ argument: PythonExpression, at position: Int) -> (String?, ComputedFlowName?) {
        if !isUncertainModuleValue(argument), case .string(let literal) = dereference(argument), let name = literalValue(literal) { return (name, nil) }
        let formatted = flowNameFString(argument, at: position)
        if let name = formatted?.name { return (name, nil) }
        return (nil, formatted?.form.map(ComputedFlowName.form) ?? computedName(argument.span))
    }

    /// The value of a literal with no replacement fields (f-string text with `{{`/`}}` undoubled).

    func literalValue(_ literal: PythonStringLiteral) -> String? {
        if let value = literal.value { return literal.isBytes ? nil : value.text }
        guard literal.isFString, !hasPlaceholders(literal) else { return nil }
        var out = ""
        for token in tokens(in: literal.span) {
            switch token.kind {
            case .fstringMiddle:
                out += text(token.span).replacingOccurrences(of: "{{", with: "{").replacingOccurrences(of: "}}", with: "}")
            case .string:
                if let value = PythonStringDecoder.decode(token, in: bytes) { out += value.text }
            default: break
            }
        }
        return out
    }

    func origin(_ expression: PythonExpression) -> ValueOrigin {
        switch expression {
        case .string(let literal):
            if !literal.isFString { return .literal }
            if !hasPlaceholders(literal) { return .literal }
            let hasText = tokens(in: literal.span).contains { $0.kind == .fstringMiddle || $0.kind == .string }
            return hasText ? .mixed : .reference
        case .number: return .literal
        case .name, .call, .attribute, .subscript: return .reference
        default: return .unknown
        }
    }

    /// A secret name given as a literal or as a module constant.
    func secretName(_ expression: PythonExpression) -> (name: String?, span: ByteSpan, literal: Bool) {
        switch expression {
        case .string(let literal):
            if let value = literalValue(literal) { return (value, valueSpan(literal), true) }
            return (constantFString(literal), literal.span, false)
        case .name(let name):
            if !name.isDotted, let value = constants[name.text] { return (value, name.span, false) }
            if !name.isDotted, let bound = flowParameter(boundTo: name.text, at: name.span.start) { return (bound.name, name.span, false) }
            return (nil, name.span, false)
        case .call(let call):
            return (flowParameterDefault(expression)?.name, call.span, false)
        case .subscript(.name(let base), let span):
            return (constantDictValue(base, subscript: span), span, false)
        case .sum(_, let span):
            return (constantString(expression), span, false)
        default:
            return (nil, expression.span, false)
        }
    }

    /// `Parameter("secret_name", default="DB_PASSWORD")` (the default also second by
    /// position): the parameter's name and its default, when the module settles both as
    /// strings. A run given no other value (a scheduled run, a quick run) gets the default.
    func flowParameterDefault(_ expression: PythonExpression) -> (parameter: String, name: String)? {
        guard case .call(let call) = expression, prefectName(call) == "Parameter",
            let nameArgument = (call.positional(0) ?? call.keyword("name"))?.value, let parameter = constantString(nameArgument),
            let defaultArgument = (call.keyword("default") ?? call.positional(1))?.value, let name = constantString(defaultArgument)
        else { return nil }
        return (parameter, name)
    }

    /// ``flowParameterBindings``: every single-name assignment of the variables some such
    /// assignment binds to a flow parameter. (Tuple targets are not followed: the statement
    /// prefilter keeps only a plain `v = …` after a fact assigned `v`.)
    mutating func collectFlowParameters() {
        var parameters: [ByteSpan: (parameter: String, name: String)] = [:]
        for assignment in module.assignments where assignment.op == "=" || assignment.op == ":" {
            guard case .name? = assignment.targets.first, let value = assignment.value, let bound = flowParameterDefault(value) else { continue }
            parameters[assignment.span] = bound
        }
        guard !parameters.isEmpty else { return }
        var names: Set<String> = []
        for assignment in module.assignments where parameters[assignment.span] != nil {
            for case .name(let target) in assignment.targets where !target.isDotted { names.insert(target.text) }
        }
        for assignment in module.assignments {
            for case .name(let target) in assignment.targets where !target.isDotted && names.contains(target.text) {
                flowParameterBindings[target.text, default: []].append((assignment.span.start, assignment.context.function, parameters[assignment.span]))
            }
        }
    }

    /// The flow parameter the variable `name` holds at `position`: the last assignment of it
    /// before there in the same function (or, in a function that assigns none, at module
    /// level) binds it to one.
    func flowParameter(boundTo name: String, at position: Int) -> (parameter: String, name: String)? {
        guard let bindings = flowParameterBindings[name] else { return nil }
        let function = module.functions.lastIndex { $0.bodySpan.contains(position) }
        let binding = bindings.last { $0.function == function && $0.start < position }
            ?? (function == nil ? nil : bindings.last { $0.function == nil && $0.start < position })
        return binding?.bound
    }

    /// Marks the references whose name is a flow parameter's default (``SecretReference/flowParameter``):
    /// those at a variable bound to a flow parameter or at a `Parameter(…)` call.
    mutating func markFlowParameterNames() {
        // Only calls a named reference stands at: most modules' calls are no `Parameter(…)`.
        let namedSpans = Set(facts.secretReferences.lazy.filter { $0.name != nil }.map(\.span))
        var parameterCalls: [ByteSpan: (parameter: String, name: String)] = [:]
        for call in module.calls where namedSpans.contains(call.span) {
            if let bound = flowParameterDefault(.call(call)) { parameterCalls[call.span] = bound }
        }
        guard !flowParameterBindings.isEmpty || !parameterCalls.isEmpty else { return }
        for k in facts.secretReferences.indices {
            guard let name = facts.secretReferences[k].name else { continue }
            let span = facts.secretReferences[k].span
            let bound = parameterCalls[span] ?? (span.end <= bytes.count ? flowParameter(boundTo: text(span), at: span.start) : nil)
            if let bound, bound.name == name { facts.secretReferences[k].flowParameter = bound.parameter }
        }
    }

    /// `SECRETS["db"]` on a module-level dict literal assigned once, unconditionally
    /// (`SECRETS = {"db": "PG_PASS"}`): the string it maps that string key to.
    func constantDictValue(_ base: PythonName, subscript span: ByteSpan) -> String? {
        guard !base.isDotted, !uncertainModuleValues.contains(base.text), case .dict(let dict)? = moduleValues[base.text] else { return nil }
        let inside = tokens(in: ByteSpan(base.span.end, span.end))
        guard inside.count == 3, let key = inside.first(where: { $0.kind == .string }), let keyText = PythonStringDecoder.decode(key, in: bytes),
            !keyText.isBytes
        else { return nil }
        let matches = dict.entries.filter { entry in
            guard case .string(let literal)? = entry.key else { return false }
            return literalValue(literal) == keyText.text
        }
        guard matches.count == 1, case .string(let value) = matches[0].value, !value.isFString else { return nil }
        return literalValue(value)
    }

    /// The text of a string the module settles: a literal, a module string constant, an
    /// f-string of constants (``constantFString(_:)``), or a `+` of such (`STAGE + "_PASSWORD"`).
    func constantString(_ expression: PythonExpression, depth: Int = 0) -> String? {
        switch expression {
        case .string(let literal):
            return literalValue(literal) ?? constantFString(literal)
        case .name(let name):
            guard !name.isDotted, !uncertainModuleValues.contains(name.text) else { return nil }
            return constants[name.text]
        case .sum(let operands, _):
            guard depth < Self.maxFollowDepth else { return nil }
            var text = ""
            for operand in operands {
                guard let part = constantString(operand, depth: depth + 1) else { return nil }
                text += part
            }
            return text
        default:
            return nil
        }
    }

    /// The elements of a list, tuple or set the module settles: a display, a module variable
    /// assigned one, or lists (or tuples) joined by `+` (`BASE + ["gpu"]`; a list and a tuple
    /// do not join, sets have no `+`). Nil for anything else.
    func settledElements(_ expression: PythonExpression) -> [PythonExpression]? {
        settledSequence(expression, depth: 0)?.elements
    }

    private func settledSequence(_ expression: PythonExpression, depth: Int) -> (kind: PythonSequence.Kind, elements: [PythonExpression])? {
        guard !isUncertainModuleValue(expression) else { return nil }
        switch dereference(expression) {
        case .sequence(let sequence):
            return (sequence.kind, sequence.elements)
        case .sum(let operands, _):
            guard depth < Self.maxFollowDepth else { return nil }
            var joined: (kind: PythonSequence.Kind, elements: [PythonExpression])?
            for operand in operands {
                guard let part = settledSequence(operand, depth: depth + 1), part.kind != .set else { return nil }
                if let earlier = joined, earlier.kind != part.kind { return nil }
                joined = (part.kind, (joined?.elements ?? []) + part.elements)
            }
            return joined
        default:
            return nil
        }
    }

    /// How deep ``constantString(_:depth:)``, ``settledElements(_:)`` and
    /// ``keyedEntries(_:depth:)`` follow module variables built from module variables (sums,
    /// `**spread` dicts).
    static let maxFollowDepth = 8

    /// `f"DWH_{STAGE}"` whose placeholders are all module string constants (`STAGE = "PROD"`),
    /// without conversions or format specs, and whose text is letters, digits, `_` and `-`.
    func constantFString(_ literal: PythonStringLiteral) -> String? {
        guard literal.isFString, literal.parts.count == 1 else { return nil }
        let content = valueSpan(literal)
        var out = ""
        var k = content.start
        while k < content.end {
            let byte = bytes[k]
            if byte == 0x7B {  // {
                var end = k + 1
                while end < content.end, bytes[end] != 0x7D { end += 1 }
                let name = text(ByteSpan(k + 1, end))
                guard end < content.end, !uncertainModuleValues.contains(name), let value = constants[name] else { return nil }
                out += value
                k = end + 1
            } else if byte == 0x5F || byte == 0x2D || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
                k += 1
            } else {
                return nil
            }
        }
        return out.isEmpty ? nil : out
    }

    func nameArgument(_ call: PythonCall, keyword: String = "name") -> PythonExpression? {
        (call.positional(0) ?? call.keyword(keyword))?.value
    }

    /// ``secretName(_:)`` of a call's name argument; without one, no name, at the call. A
    /// method rather than `nameArgument(call).map { secretName($0) }`: in a mutating method
    /// that closure captures, and so copies, the whole builder.
    func secretNameArgument(_ call: PythonCall) -> (name: String?, span: ByteSpan, literal: Bool) {
        guard let argument = nameArgument(call) else { return (nil, call.span, false) }
        return secretName(argument)
    }

    /// Follows a module-level variable to the expression it holds.
    /// The callee a call expression names as written (`Docker` for `Docker(…)`), else nil.
    static func callee(of expression: PythonExpression) -> String? {
        if case .call(let call) = expression { return call.calleeName }
        return nil
    }

    /// A module variable whose value ``dereference(_:)`` takes may be another one.
    func isUncertainModuleValue(_ expression: PythonExpression) -> Bool {
        if case .name(let name) = expression, !name.isDotted { return uncertainModuleValues.contains(name.text) }
        return false
    }

    /// What `make_storage(…)` returns when the module defines `make_storage` once, outside
    /// any function or class, with a body of one `return Call(…)`: that call, whose keywords
    /// may name the function's parameters (values the tool does not read). Nil otherwise.
    /// Callers take it only when it is a storage or run config: another call says nothing.
    func returnedByHelper(_ expression: PythonExpression) -> PythonExpression? {
        guard case .call(let call) = expression, case .name(let name) = call.callee, !name.isDotted, name.resolved == nil else { return nil }
        var found: Int?
        for (index, function) in module.functions.enumerated()
        where function.name == name.text && function.context.isModuleLevel && function.context.classIndex == nil {
            guard found == nil else { return nil }
            found = index
        }
        guard let index = found else { return nil }
        let body = module.functions[index].bodySpan
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C }
        var start = max(0, body.start)
        var end = min(body.end, bytes.count)
        while start < end, isBlank(bytes[start]) { start += 1 }
        while end > start, isBlank(bytes[end - 1]) { end -= 1 }
        let keyword = Array("return".utf8)
        guard end - start > keyword.count, bytes[start..<(start + keyword.count)].elementsEqual(keyword) else { return nil }
        var value = start + keyword.count
        guard value < end, bytes[value] == 0x20 || bytes[value] == 0x09 else { return nil }
        while value < end, isBlank(bytes[value]) { value += 1 }
        guard let returned = module.calls.first(where: { $0.context.function == index && $0.span.start == value && $0.span.end == end }) else { return nil }
        return .call(returned)
    }

    /// Marks the references of module-level `handler = slack_notifier(…)` or `task =
    /// EmailTask(…)` that nothing else in the module names: attached to no flow, it never runs
    /// there (a curried notifier reads its secret when called as a handler; a task outside
    /// `flow.tasks` never runs), so its secrets are no flow's of this module. Another module
    /// that imports the name and uses it takes them (``PythonFacts/secretUsingDefinitions``).
    mutating func markReferencesOfUnusedModuleComponents() {
        guard !facts.secretReferences.isEmpty else { return }
        // A component only formatted into a string (`f"{token}"` gives "<Task: TOKEN>") is
        // not given to a flow.
        var formatted: Set<Int>?
        for assignment in module.assignments where assignment.context == PythonContext() && assignment.op == "=" && assignment.targets.count == 1 {
            guard case .name(let target) = assignment.targets[0], !target.isDotted, case .call(let call)? = assignment.value,
                prefectName(call) != nil, facts.secretReferences.contains(where: { call.span.contains($0.span) }),
                // A flow, or what a flow owns (its storage made in its call), is a flow's.
                !flowOwnedSpans.contains(where: { $0.0.contains(call.span) || call.span.contains($0.0) })
            else { continue }
            if formatted == nil { formatted = formattedNameOffsets() }
            guard !Self.isUsed(target.text, outside: assignment.span, before: bytes.count, in: bytes, ignoring: formatted ?? []) else { continue }
            for k in facts.secretReferences.indices where call.span.contains(facts.secretReferences[k].span) {
                facts.secretReferences[k].flowIndex = nil
                facts.secretReferences[k].isOfNoFlow = true
            }
        }
    }

    /// The offsets of names that code only formats into a string, whole: an f-string field
    /// (`f"{token}"`, `f"{token!r:>10}"`), `str(token)`, an argument of `"…".format(…)`, the
    /// operand of `"…" % token` or an item of `"…" % (a, token)`.
    func formattedNameOffsets() -> Set<Int> {
        var offsets: Set<Int> = []
        let tokens = module.tokens
        func isOp(_ k: Int, _ op: StaticString) -> Bool { k >= 0 && k < tokens.count && tokens[k].kind == .op && tokens[k].hasText(op, in: bytes) }
        func isName(_ k: Int, _ name: StaticString) -> Bool { k >= 0 && k < tokens.count && tokens[k].kind == .name && tokens[k].hasText(name, in: bytes) }
        /// The names standing whole as the items of the bracketed list opened at `open`.
        func items(after open: Int) {
            var k = open + 1
            var depth = 0
            while k < tokens.count, tokens[k].kind != .newline {
                if isOp(k, "(") || isOp(k, "[") || isOp(k, "{") { depth += 1 }
                if isOp(k, ")") || isOp(k, "]") || isOp(k, "}") {
                    if depth == 0 { return }
                    depth -= 1
                }
                if depth == 0, tokens[k].kind == .name, isOp(k - 1, "(") || isOp(k - 1, ",") || isOp(k - 1, "="), isOp(k + 1, ",") || isOp(k + 1, ")") {
                    offsets.insert(tokens[k].span.start)
                }
                k += 1
            }
        }
        var depth = 0
        for k in tokens.indices {
            switch tokens[k].kind {
            case .fstringStart: depth += 1
            case .fstringEnd: depth -= 1
            case .name where depth > 0:
                if isOp(k - 1, "{"), isOp(k + 1, "}") || isOp(k + 1, "!") || isOp(k + 1, ":") { offsets.insert(tokens[k].span.start) }
            case .name where isName(k - 2, "str") && isOp(k - 1, "(") && isOp(k + 1, ")") && !isOp(k - 3, "."):
                offsets.insert(tokens[k].span.start)
            case .name where isName(k, "format") && isOp(k - 1, ".") && isOp(k + 1, "("):
                items(after: k + 1)
            case .op where isOp(k, "%") && k > 0 && (tokens[k - 1].kind == .string || tokens[k - 1].kind == .fstringEnd):
                if k + 1 < tokens.count, tokens[k + 1].kind == .name, !isOp(k + 2, "."), !isOp(k + 2, "("), !isOp(k + 2, "[") {
                    offsets.insert(tokens[k + 1].span.start)
                } else if isOp(k + 1, "(") {
                    items(after: k + 1)
                }
            default: break
            }
        }
        return offsets
    }

    func dereference(_ expression: PythonExpression) -> PythonExpression {
        if case .name(let name) = expression, !name.isDotted, let value = moduleValues[name.text] { return value }
        return expression
    }

    // MARK: Module values

    /// The module-level string constants whose value is certain (``collectModuleValues()``
    /// done): what another module that imports one of them gets.
    var settledConstants: [String: String] { constants.filter { !uncertainModuleValues.contains($0.key) } }

    /// The module's lists of string literals whose value is certain (``moduleStrings(_:)``).
    var settledStringLists: [String: [String]] {
        var lists: [String: [String]] = [:]
        for name in moduleValues.keys { if let strings = moduleStrings(name) { lists[name] = strings } }
        return lists
    }

    /// The module string constant `name`, when its value is certain.
    func moduleConstant(_ name: String) -> String? {
        uncertainModuleValues.contains(name) ? nil : constants[name]
    }

    /// The strings of the module variable `name` when it is certainly a list, tuple or set
    /// display of string literals (`SECRET_NAMES = ["DB_USER", "DB_PASSWORD"]`).
    func moduleStrings(_ name: String) -> [String]? {
        guard !uncertainModuleValues.contains(name), case .sequence(let sequence)? = moduleValues[name], !sequence.elements.isEmpty else { return nil }
        var strings: [String] = []
        for element in sequence.elements {
            guard case .string(let literal) = element, !literal.isFString, let value = literalValue(literal) else { return nil }
            strings.append(value)
        }
        return strings
    }

    mutating func collectModuleValues() {
        for assignment in module.assignments where assignment.context.isModuleLevel && assignment.context.classIndex == nil {
            guard assignment.op == "=" || assignment.op == ":", let value = assignment.value else { continue }
            for target in assignment.targets {
                guard case .name(let name) = target, !name.isDotted else { continue }
                // A Prefect component assigned again with another callee, or a value assigned
                // under a condition: maybe either. (Only a component's reassignment: the
                // prefilter parses those, not every earlier assignment.)
                if let earlier = moduleValues[name.text], case .call(let call) = earlier, prefectName(call) != nil,
                    Self.callee(of: earlier) != Self.callee(of: value)
                {
                    uncertainModuleValues.insert(name.text)
                } else if isConditional(assignment) {
                    uncertainModuleValues.insert(name.text)
                }
                moduleValues[name.text] = value
                if case .string(let literal) = value, let text = literal.isFString ? constantFString(literal) : literal.value?.text, !literal.isBytes {
                    constants[name.text] = text
                } else if case .sum = value, let text = constantString(value) {
                    constants[name.text] = text
                } else {
                    constants[name.text] = nil
                }
            }
        }
    }

    // MARK: Flows

    mutating func collectFlows() {
        var found: [(call: PythonCall, variables: [String], withIndex: Int?, function: Int?)] = []
        for (index, block) in module.withBlocks.enumerated() {
            for item in block.items {
                guard case .call(let call) = item.context, isFlowCall(call) else { continue }
                var names: [String] = []
                if case .name(let n)? = item.target { names.append(n.text) }
                found.append((call, names, index, block.context.function))
            }
        }
        for assignment in module.assignments {
            guard case .call(let call)? = assignment.value, isFlowCall(call) else { continue }
            found.append((call, assignment.targetNames.map(\.text), nil, assignment.context.function))
        }
        found.sort { $0.call.span.start < $1.call.span.start }
        // Each variable's flows in source order, with the function that binds them:
        // `flow.run_config = …` applies to the flow the variable holds at that point in the
        // same scope (one module often reuses `flow` for several flows).
        for entry in found {
            let index = facts.flows.count
            // A module constant is read (`FLOW_NAME = "etl"`, `Flow(FLOW_NAME)`), and an
            // f-string of such (`Flow(f"etl: {STAGE}")`).
            var flow = Flow(name: nil, span: entry.call.span)
            if let argument = nameArgument(entry.call) { (flow.name, flow.computedName) = flowName(argument, at: entry.call.span.start) }
            flow.madeByImportedClass = importedFlowClass(entry.call)
            facts.flows.append(flow)
            flowFunctions.append(entry.function)
            if let withIndex = entry.withIndex { flowWithBlocks[withIndex] = index }
            for variable in entry.variables { flowBindings[variable, default: []].append((entry.call.span.start, entry.function, index)) }
            flowOwnedSpans.append((entry.call.span, index))
            if let runConfig = entry.call.keyword("run_config")?.value { applyRunConfig(functionLocalValue(runConfig, usedAt: entry.call.span, in: entry.call.context), flow: index) }
            if let storage = entry.call.keyword("storage")?.value { applyStorage(functionLocalValue(storage, usedAt: entry.call.span, in: entry.call.context), flow: index) }
        }
        // `flow.register(labels=[…])`, mostly under `if __name__ == "__main__":`: registration
        // adds the labels. Registrations with different labels leave them unknown.
        // A module that imports Prefect may configure flows in functions or register imported ones.
        var registered: Set<Int> = []
        // By index, the name first: copying every call costs more than the rest of the pass.
        for k in module.calls.indices where module.calls[k].calleeName?.hasSuffix(".register") ?? false {
            let call = module.calls[k]
            guard case .name(let n) = call.callee else { continue }
            let parts = n.text.split(separator: ".")
            guard parts.count == 2 else { continue }
            guard n.resolved == nil, let flow = boundFlow(parts[0], at: call.span.start, in: call.context.function) else {
                // `from flows.etl import flow` then `flow.register(labels=…)`: another module's flow.
                if importsPrefect, flowBindings[String(parts[0])] == nil, call.keyword("labels") != nil,
                    let imported = module.imports.last(where: { $0.boundName == parts[0] && $0.name != nil && $0.span.start < call.span.start })
                {
                    python.configuredImports.append(ImportedFlowConfiguration(module: imported.module, level: imported.level, span: call.span))
                }
                continue
            }
            let labels = call.keyword("labels").map { writtenLabels($0.value) } ?? WrittenLabels()
            facts.flows[flow].isRegisteredInCode = true
            registeredFlows.append((flow, call.span.start, call.context.function == nil && call.context.classIndex == nil))
            // A flow without storage gets Local storage built from register's other keywords.
            if facts.flows[flow].storageType == nil, facts.flows[flow].storageIsUnknown == nil,
                let adds = call.keyword("add_default_labels")?.value
            {
                facts.flows[flow].storageAddsDefaultLabel = addsDefaultLabel(adds)
            }
            if registered.insert(flow).inserted {
                facts.flows[flow].registerLabels = labels
            } else if labels != facts.flows[flow].registerLabels {
                facts.flows[flow].registerLabels = WrittenLabels(unknown: [unknownLabel(call.span)], unknownMayBeNone: true)
            }
        }
        // `prepare_for_cloud(flow)`, a function imported from another module: it may set the
        // flow's run config and storage (the model checks that the module is the project's and
        // that the function sets them). Only a call outside any def or class, given a flow
        // bound before it as a plain argument: the prefilter reads the statement from that
        // name after `(`, `,` or `=`.
        for k in module.calls.indices where !flowBindings.isEmpty && module.calls[k].context.function == nil && module.calls[k].context.classIndex == nil {
            let call = module.calls[k]
            guard case .name(let n) = call.callee, let resolved = n.resolved, !Self.isPrefectModule(resolved),
                call.arguments.contains(where: { if case .name(let v) = $0.value { flowBindings[v.text] != nil } else { false } }),
                let (importedModule, level, function) = importedFunction(n, before: call.span.start)
            else { continue }
            for argument in call.arguments where argument.kind == .positional || argument.kind == .keyword {
                guard case .name(let variable) = argument.value, !variable.isDotted,
                    let flow = boundFlow(variable.text[...], at: call.span.start, in: call.context.function),
                    facts.flows[flow].span.start < call.span.start
                else { continue }
                python.configuredImports.append(
                    ImportedFlowConfiguration(module: importedModule, level: level, span: call.span, passedFlow: (facts.flows[flow].span, function)))
            }
        }
        // `flow.run_config = KubernetesRun(...)`, `flow.storage = GitHub(...)` after the flow exists.
        for assignment in module.assignments {
            // `def prepare(flow): flow.run_config = …`: a module-level function that configures
            // the flow it is given (in another module, ``importedFunction(_:before:)``).
            if importsPrefect, let index = assignment.context.function, index < module.functions.count, module.functions[index].context.function == nil,
                module.functions[index].context.classIndex == nil,
                assignment.targetNames.contains(where: { target in
                    guard target.text.hasSuffix(".run_config") || target.text.hasSuffix(".storage") else { return false }
                    return target.text.split(separator: ".").count == 2
                }),
                !python.flowConfiguringFunctions.contains(module.functions[index].name)
            {
                python.flowConfiguringFunctions.append(module.functions[index].name)
            }
            guard let written = assignment.value else { continue }
            let targets = assignment.targetNames
            // `flow.name = "dask-memory"`: the name registration gives the flow from then on
            // (under a condition, maybe not).
            for target in targets where !flowBindings.isEmpty && target.text.hasSuffix(".name") && !isConditional(assignment) {
                let parts = target.text.split(separator: ".")
                guard parts.count == 2, let flow = boundFlow(parts[0], at: assignment.span.start, in: assignment.context.function) else { continue }
                (facts.flows[flow].name, facts.flows[flow].computedName) = flowName(written, at: assignment.span.start)
            }
            for target in targets where target.text.hasSuffix(".run_config") || target.text.hasSuffix(".storage") {
                let parts = target.text.split(separator: ".")
                // `etl.flow.run_config = …` with `from pkg.flows import etl` (or `import pkg.flows.etl`,
                // `pkg.flows.etl.flow.run_config = …`): the flows of that module.
                if importsPrefect, parts.count >= 3, parts[parts.count - 1] == "run_config" || parts[parts.count - 1] == "storage",
                    flowBindings[String(parts[0])] == nil,
                    let (configured, level, _) = importedMember(parts.dropLast().map(String.init), before: assignment.span.start)
                {
                    python.configuredImports.append(ImportedFlowConfiguration(module: configured, level: level, span: target.span))
                    continue
                }
                guard parts.count == 2, parts[1] == "run_config" || parts[1] == "storage" else { continue }
                guard let flow = boundFlow(parts[0], at: assignment.span.start, in: assignment.context.function) else {
                    // `flow = extract_flow_from_file(path)` then `flow.run_config = …`: a register script.
                    if flowBindings[String(parts[0])] == nil, loadsFlow(into: parts[0], before: assignment.span.start) {
                        python.configuresLoadedFlows = true
                        continue
                    }
                    // `f = hello.flow` then `f.run_config = …`: the flows of the module imported as `hello`.
                    if flowBindings[String(parts[0])] == nil, case .name(let aliased)? = moduleValues[String(parts[0])], aliased.isDotted,
                        let (configured, level, _) = importedMember(aliased.text.split(separator: ".").map(String.init), before: assignment.span.start)
                    {
                        python.configuredImports.append(ImportedFlowConfiguration(module: configured, level: level, span: target.span))
                        continue
                    }
                    // `for flow in flows_to_register: flow.run_config = …` (monitorfish registers
                    // its flows so): the flows of any module imported before it may be given.
                    if flowBindings[String(parts[0])] == nil, isLoopVariable(parts[0], at: assignment.span.start) {
                        for imported in module.imports where imported.span.start < assignment.span.start && imported.name != "*"
                            && !(imported.level == 0 && Self.isPrefectModule(imported.module))
                        {
                            let path = imported.name.map { imported.module.isEmpty ? $0 : imported.module + "." + $0 } ?? imported.module
                            python.configuredImports.append(ImportedFlowConfiguration(module: path, level: imported.level, span: target.span))
                        }
                        continue
                    }
                    // `from flows.etl import flow` then `flow.run_config = …`: another module's flow.
                    if flowBindings[String(parts[0])] == nil,
                        let imported = module.imports.last(where: { $0.boundName == parts[0] && $0.name != nil && $0.span.start < assignment.span.start })
                    {
                        python.configuredImports.append(ImportedFlowConfiguration(module: imported.module, level: imported.level, span: target.span))
                    }
                    continue
                }
                // `if __name__ == "__main__": flow.run_config = LocalRun()` does not run at
                // registration: the flow keeps what it was given, its type uncertain when this
                // one's differs; with nothing before, it may keep nothing at all.
                let conditional = isConditional(assignment)
                let value = functionLocalValue(written, usedAt: assignment.span, in: assignment.context)
                let onlyInMainBlock = conditional && isInMainBlock(assignment.span.start)
                // `flow.register()` before this at module level registered the flow without it.
                let afterRegister = assignment.context.function == nil && registeredFlows.contains { $0.flow == flow }
                    && registeredFlows.allSatisfy { $0.flow != flow || ($0.atModuleLevel && $0.start < assignment.span.start) }
                if parts[1] == "run_config" {
                    if conditional, let current = facts.flows[flow].runConfigType {
                        if runConfigType(of: value) != current { facts.flows[flow].runConfigIsAmbiguous = true }
                    } else {
                        let given = facts.flows[flow].runConfigType != nil || facts.flows[flow].runConfigIsUnknown != nil
                        applyRunConfig(value, flow: flow)
                        if conditional || (afterRegister && given) { facts.flows[flow].runConfigIsAmbiguous = true }
                        facts.flows[flow].runConfigOnlyInMainBlock = onlyInMainBlock
                        facts.flows[flow].runConfigSetAfterRegister = afterRegister && !given
                    }
                } else if conditional, let current = facts.flows[flow].storageType {
                    if storageType(of: value) != current { facts.flows[flow].storageIsAmbiguous = true }
                } else {
                    let given = facts.flows[flow].storageType != nil || facts.flows[flow].storageIsUnknown != nil
                    applyStorage(value, flow: flow)
                    if conditional || (afterRegister && given) { facts.flows[flow].storageIsAmbiguous = true }
                    facts.flows[flow].storageOnlyInMainBlock = onlyInMainBlock
                    facts.flows[flow].storageSetAfterRegister = afterRegister && !given
                }
            }
        }
        // `storage.secrets = […]` or `flow.storage.secrets = […]` (`+=`, `.append(…)`, `.extend(…)`)
        // after the storage is built: serialized with it, loaded like `secrets=[…]`.
        func storageFlow(_ owner: ArraySlice<Substring>, at position: Int, in function: Int?) -> Int? {
            if owner.count == 2, owner.last == "storage", let variable = owner.first { return boundFlow(variable, at: position, in: function) }
            guard owner.count == 1, let variable = owner.first, case .call(let call)? = moduleValues[String(variable)], storageType(of: .call(call)) != nil
            else { return nil }
            return flowIndex(call.context, span: call.span)
        }
        for assignment in module.assignments where assignment.op == "=" || assignment.op == "+=" {
            guard let value = assignment.value else { continue }
            // The last component first: splitting every target costs more than the rest of the pass.
            for target in assignment.targetNames where PythonName.lastComponent(of: target.text) == "secrets" {
                let parts = target.text.split(separator: ".")
                guard parts.count >= 2,
                    let flow = storageFlow(parts.dropLast(), at: assignment.span.start, in: assignment.context.function)
                else { continue }
                addStorageSecrets(value, flow: flow)
            }
        }
        for k in module.calls.indices {
            // The method first, on the name alone: copying and splitting every call costs more
            // than the rest of the pass.
            guard let name = module.calls[k].calleeName, case let method = PythonName.lastComponent(of: name), method == "append" || method == "extend"
            else { continue }
            let call = module.calls[k]
            let parts = name.split(separator: ".")
            guard parts.count >= 3, parts[parts.count - 2] == "secrets",
                let argument = call.arguments.first(where: { $0.kind == .positional })?.value,
                let flow = storageFlow(parts.dropLast(2), at: call.span.start, in: call.context.function)
            else { continue }
            if method == "append" { addStorageSecret(argument, flow: flow) } else { addStorageSecrets(argument, flow: flow) }
        }
    }

    /// Whether `variable` is assigned a flow loaded from a file or module before `offset`
    /// (`prefect.utilities.storage.extract_flow_from_file(…)`).
    func loadsFlow(into variable: Substring, before offset: Int) -> Bool {
        module.assignments.contains { assignment in
            guard assignment.span.start < offset, case .call(let call)? = assignment.value,
                let name = call.resolvedName ?? call.calleeName,
                name.hasSuffix("extract_flow_from_file") || name.hasSuffix("extract_flow_from_module")
            else { return false }
            return assignment.targetNames.contains { $0.text == variable }
        }
    }

    /// The module, import level and function name of a call's callee that an import binds:
    /// `from m import f` then `f(…)`; `from pkg import m` or `import pkg.m as m` then `m.f(…)`;
    /// `import pkg.m` then `pkg.m.f(…)`.
    func importedFunction(_ callee: PythonName, before offset: Int) -> (module: String, level: Int, function: String)? {
        importedMember(callee.text.split(separator: ".").map(String.init), before: offset)
    }

    /// ``importedFunction(_:before:)`` for a dotted name's components: the module the last
    /// component is a member of, when an import binds the first.
    func importedMember(_ components: [String], before offset: Int) -> (module: String, level: Int, function: String)? {
        guard let first = components.first, let function = components.last,
            let imported = module.imports.last(where: { $0.boundName == first && $0.span.start < offset })
        else { return nil }
        let middle = components.dropFirst().dropLast()
        var path: [String]
        if components.count == 1 {
            path = [imported.module]
        } else if let name = imported.name {
            path = [imported.module, name] + middle
        } else if imported.alias != nil {
            path = [imported.module] + middle
        } else {
            path = Array(components.dropLast())
        }
        return (path.filter { !$0.isEmpty }.joined(separator: "."), imported.level, function)
    }

    /// The script's `if __name__ == "__main__":` blocks (``PythonMainGuard``), found once.
    mutating func mainGuardBlocks() -> [Range<Int>] {
        if let mainBlocks { return mainBlocks }
        let found = PythonMainGuard.blocks(in: bytes)
        mainBlocks = found
        return found
    }

    /// Whether `position` lies in the script's `if __name__ == "__main__":` block.
    mutating func isInMainBlock(_ position: Int) -> Bool {
        mainGuardBlocks().contains { $0.contains(position) }
    }

    /// Whether a module-level statement is nested in a compound statement other than a `with`
    /// (an `if`, `for`, `try`: it may not run when the flow is registered). The shallow parse
    /// keeps no `if`s, so a statement on a line indented more than the statements of its
    /// block counts (the module's at column 0, a `with` body's as its first line), and so does
    /// one after a compound header on its own line (`if P: flow.storage = …`); inside a
    /// `with` body, the `with` itself is judged the same way, up to the module.
    mutating func isConditional(_ assignment: PythonAssignment) -> Bool {
        guard assignment.context.isModuleLevel else { return false }
        var position = min(max(0, assignment.span.start), bytes.count)
        // Most module statements start a line at column 0: no line index needed for them.
        if assignment.context.withBlock == nil, position == 0 || bytes[position - 1] == 0x0A || bytes[position - 1] == 0x0D {
            return false
        }
        var context = assignment.context
        for _ in 0..<64 {
            guard let index = context.withBlock, index < module.withBlocks.count else {
                return indent(ofLineAt: position) > 0 || followsCompoundHeader(position)
            }
            let block = module.withBlocks[index]
            // `with … as flow: flow.storage = …` on one line: the statement is the body.
            if lineStart(of: block.bodySpan.start) != lineStart(of: block.span.start) {
                if indent(ofLineAt: position) > indent(ofLineAt: block.bodySpan.start) || followsCompoundHeader(position) { return true }
            }
            position = min(max(0, block.span.start), bytes.count)
            context = block.context
        }
        return false
    }

    /// Whether a compound header (`if …:`, `else:`, `for …:`, `try:`…) stands before `position`
    /// on its line, where `x = 1;` would leave the statement unconditional.
    mutating func followsCompoundHeader(_ position: Int) -> Bool {
        let lineStart = lineStart(of: position)
        var k = lineStart
        while k < position, bytes[k] == 0x20 || bytes[k] == 0x09 || bytes[k] == 0x0C { k += 1 }
        func keyword(_ word: String, at start: Int) -> Int? {
            let letters = Array(word.utf8)
            guard start + letters.count <= position, Array(bytes[start..<(start + letters.count)]) == letters else { return nil }
            let next = start + letters.count
            // A keyword, not the start of a longer name (`if_x = 1;`).
            guard next < position, !ASCIIBytes.isWordByte(bytes[next]), bytes[next] < 0x80 else { return nil }
            return next
        }
        if let end = keyword("async", at: k) {
            var m = end
            while m < position, bytes[m] == 0x20 || bytes[m] == 0x09 { m += 1 }
            return keyword("for", at: m) != nil
        }
        return ["if", "elif", "else", "for", "while", "try", "except", "finally"].contains { keyword($0, at: k) != nil }
    }

    /// The offset of the first byte of the line holding `offset` (lines as Python's: `\n`,
    /// `\r\n`, `\r`). The line index is built on first use; most files never ask.
    mutating func lineStart(of offset: Int) -> Int {
        let lines = self.lines ?? LineIndex(bytes)
        self.lines = lines
        let starts = lines.lineStarts
        let line = lines.lineNumber(at: min(max(0, offset), bytes.count))
        return starts.indices.contains(line) ? starts[line] : 0
    }

    /// The value of a name that the function a flow is built or configured in assigns once, on
    /// a line indented as the use and before it (`storage = GitHub(…)` then `with Flow("etl",
    /// storage=storage)` in `def create_flow():`); the expression itself otherwise. A function's
    /// name shadows the module's, so ``dereference(_:)`` does not see through it.
    mutating func functionLocalValue(_ expression: PythonExpression, usedAt use: ByteSpan, in context: PythonContext) -> PythonExpression {
        guard case .name(let name) = expression, !name.isDotted, let function = context.function else { return expression }
        var found: PythonAssignment?
        for assignment in module.assignments where assignment.context.function == function && assignment.targetNames.contains(where: { $0.text == name.text }) {
            // Assigned twice (or augmented): which value the flow gets is not known here.
            guard found == nil else { return expression }
            found = assignment
        }
        guard let only = found, only.op == "=", only.targets.count == 1, case .name = only.targets[0], let value = only.value,
            only.span.end <= use.start, indent(ofLineAt: only.span.start) == indent(ofLineAt: use.start)
        else { return expression }
        return value
    }

    /// How many blanks begin the line holding `offset`.
    mutating func indent(ofLineAt offset: Int) -> Int {
        let start = lineStart(of: offset)
        var k = start
        while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x09 || bytes[k] == 0x0C { k += 1 }
        return k - start
    }

    /// The name of another module that `expression` is, through a module-level import: `RUN_CONFIG`
    /// after `from flow_config import RUN_CONFIG`; `config.RUN_CONFIG` after `import config`,
    /// `from flows import config` or `import flows.config as config`; `flows.config.RUN_CONFIG`
    /// after `import flows.config`.
    func importedBinding(_ expression: PythonExpression) -> ImportedName? {
        guard case .name(let name) = expression else { return nil }
        let parts = name.text.split(separator: ".")
        guard let first = parts.first, let last = parts.last,
            let imported = module.imports.last(where: { $0.boundName == first && $0.context == PythonContext() })
        else { return nil }
        if parts.count == 1 {
            guard let importedName = imported.name, importedName != "*", !Self.isPrefectModule(imported.module)
            else { return nil }
            return ImportedName(module: imported.module, level: imported.level, name: importedName, span: expression.span)
        }
        guard let denoted = Self.moduleDenoted(by: imported), parts.count == denoted.path.count + 2,
            parts.dropFirst().dropLast().elementsEqual(denoted.path, by: { $0 == $1 })
        else { return nil }
        return ImportedName(module: denoted.module, level: denoted.level, name: String(last), span: expression.span)
    }

    /// Run configs and storages bound to a module-level name, once and not under a condition
    /// (``PythonFacts/moduleComponents``): each applied to a flow of its own, on a copy of this
    /// builder. In a module that builds no flow, what the application records (a run config
    /// env's assignments and provisions, metadata reads and literals) is the module's, as a
    /// flow's run config's is; elsewhere the flows that take a component recorded it already.
    mutating func collectModuleComponents() {
        var bound: [(name: String, call: PythonCall, isRunConfig: Bool)] = []
        for (name, value) in moduleValues where !uncertainModuleValues.contains(name) {
            guard case .call(let call) = value, let type = prefectName(call) else { continue }
            let isRunConfig = PrefectComponents.runConfigs.contains(type)
            if isRunConfig || PrefectComponents.storage[type] != nil { bound.append((name, call, isRunConfig)) }
        }
        let flows = facts.flows
        // In the file's order: what a flowless module adopts is recorded as its statements run.
        for (name, call, isRunConfig) in bound.sorted(by: { $0.call.span.start < $1.call.span.start }) {
            let value = PythonExpression.call(call)
            var scratch = self
            scratch.facts.flows = [Flow(name: nil, span: call.span)]
            if isRunConfig { scratch.applyRunConfig(value, flow: 0) } else { scratch.applyStorage(value, flow: 0) }
            python.moduleComponents.append(ModuleComponent(name: name, isRunConfig: isRunConfig, span: call.span, settings: scratch.facts.flows[0]))
            if flows.isEmpty {
                scratch.facts.flows = flows
                scratch.python.moduleComponents = python.moduleComponents
                scratch.flowOwnedSpans = flowOwnedSpans
                self = scratch
            }
        }
    }

    /// The run config class an expression builds (`KubernetesRun(…)`), if the tool can read it.
    func runConfigType(of expression: PythonExpression) -> String? {
        guard case .call(let call) = dereference(expression), let type = prefectName(call), PrefectComponents.runConfigs.contains(type) else {
            return nil
        }
        return type
    }

    mutating func applyRunConfig(_ given: PythonExpression, flow: Int) {
        let expression = returnedByHelper(given).flatMap { runConfigType(of: $0) == nil ? nil : $0 } ?? given
        guard let type = runConfigType(of: expression), case .call(let call) = dereference(expression) else {
            // `None`, a helper's result: which run config the flow ends up with is not known.
            if facts.flows[flow].runConfigType != nil { facts.flows[flow].runConfigIsAmbiguous = true }
            if !isNone(expression) {
                // A helper's run config (`make_run_config()`) has labels the tool cannot read.
                facts.flows[flow].runConfigIsUnknown = unknownLabel(expression.span)
                facts.flows[flow].importedRunConfig = importedBinding(expression)
                facts.flows[flow].labels = []
                facts.flows[flow].unknownLabels = [unknownLabel(expression.span)]
                facts.flows[flow].unknownLabelsMayBeNone = true
            }
            return
        }
        flowOwnedSpans.append((call.span, flow))
        if let earlier = facts.flows[flow].runConfigType, earlier != type { facts.flows[flow].runConfigIsAmbiguous = true }
        if isUncertainModuleValue(expression) { facts.flows[flow].runConfigIsAmbiguous = true }
        facts.flows[flow].runConfigType = type
        facts.flows[flow].runConfigIsUnknown = nil
        facts.flows[flow].importedRunConfig = nil
        // A later run config replaces everything an earlier one gave.
        facts.flows[flow].labels = []
        facts.flows[flow].runConfigEnv = []
        facts.flows[flow].runConfigEnvIsUnknown = false
        facts.flows[flow].templatePath = nil
        facts.flows[flow].templateIsUnknown = false
        facts.flows[flow].inlineTemplate = nil
        facts.flows[flow].hasTaskDefinitionARN = false
        facts.flows[flow].taskDefinitionIsText = false
        facts.flows[flow].runConfigImage = nil
        facts.flows[flow].runConfigImageIsComputed = false
        if let image = call.keyword("image")?.value {
            if case .string(let literal) = dereference(image), let name = literalValue(literal) {
                facts.flows[flow].runConfigImage = name.isEmpty ? nil : name
            } else {
                facts.flows[flow].runConfigImageIsComputed = !isNone(image)
            }
        }
        let labels = call.keyword("labels").map { writtenLabels($0.value) } ?? WrittenLabels()
        facts.flows[flow].labels = labels.known
        facts.flows[flow].unknownLabels = labels.unknown
        facts.flows[flow].unknownLabelsMayBeNone = labels.unknownMayBeNone
        // A list another module binds (`labels=AGENT_LABELS`, `labels=config.AGENT_LABELS`).
        facts.flows[flow].labelsImport = call.keyword("labels").flatMap { labels.known.isEmpty && labels.unknown.count == 1 ? importedBinding($0.value) : nil }
        if let env = noteRunConfigEnv(call) {
            facts.flows[flow].runConfigEnvIsUnknown = !env.complete
            facts.flows[flow].runConfigEnv += env.assignments.map(presentAtRunTime)
        }
        // Which arguments name a template, and which of them Prefect also ignores when empty
        // (`if run_config.job_template:`; a path or an ARN is used unless it is None).
        let templateKeywords: (path: String, byNone: [String], byEmpty: [String])? =
            switch type {
            case "KubernetesRun": ("job_template_path", [], ["job_template"])
            case "ECSRun": ("task_definition_path", ["task_definition_arn"], ["task_definition"])
            default: nil
            }
        if let templateKeywords {
            func given(_ keyword: String, ignoringEmpty: Bool) -> PythonExpression? {
                guard let value = call.keyword(keyword).map({ dereference($0.value) }), !isNone(value) else { return nil }
                return ignoringEmpty && isEmpty(value) ? nil : value
            }
            if let path = given(templateKeywords.path, ignoringEmpty: false) {
                if case .string(let literal) = path, let value = literalValue(literal) {
                    facts.flows[flow].templatePath = value
                } else {
                    facts.flows[flow].templateIsUnknown = true
                }
            }
            // Only a literal is certain: `os.getenv("ARN")` may be None, which Prefect takes as not given.
            if type == "ECSRun", case .string? = given("task_definition_arn", ignoringEmpty: false) { facts.flows[flow].hasTaskDefinitionARN = true }
            if templateKeywords.byNone.contains(where: { given($0, ignoringEmpty: false) != nil }) {
                facts.flows[flow].templateIsUnknown = true
            } else if let inline = templateKeywords.byEmpty.compactMap({ keyword in given(keyword, ignoringEmpty: true).flatMap { _ in call.keyword(keyword)?.value } }).first {
                if type == "ECSRun", constantString(dereference(inline)) != nil { facts.flows[flow].taskDefinitionIsText = true }
                if let read = inlineRunTemplate(inline, agentType: type == "ECSRun" ? .ecs : .kubernetes) {
                    facts.flows[flow].inlineTemplate = read.template
                    for assignment in read.template.env { record(assignment) }
                    facts.unnamedValueSpans += read.hiddenValues
                } else {
                    facts.flows[flow].templateIsUnknown = true
                }
            }
        }
        if type == "ECSRun", let kwargs = call.keyword("run_task_kwargs")?.value, !isNone(kwargs) {
            let (env, complete) = ecsFlowContainerEnv(kwargs)
            for assignment in env {
                facts.flows[flow].runTaskOverrideEnv.append(presentAtRunTime(assignment))
                record(assignment)
            }
            facts.flows[flow].runTaskKwargsIsUnknown = !complete
        }
        for keyword in ["job_template_path", "task_definition_path"] {
            if case .string(let literal)? = call.keyword(keyword)?.value, let value = literalValue(literal),
                !value.contains("://") || value.hasPrefix("file://")
            {
                python.metadataLiterals.append(FlowMetadataLiteral(place: .templateFile, key: keyword, valueSpan: valueSpan(literal), value: value))
            }
        }
    }

    /// A `labels=` argument: a list, tuple or set of literals (module constants read, and
    /// f-strings and `+` of them: `f"{ENV}-etl"`, `ENV + "-etl"`; lists joined by `+`:
    /// `BASE + ["gpu"]`), the rest unknown.
    func writtenLabels(_ labels: PythonExpression) -> WrittenLabels {
        var written = WrittenLabels()
        // Distinct unknown elements, by their text: two different ones may be two labels.
        var unknownTexts = Set<String>()
        if let elements = settledElements(labels) {
            for element in elements {
                // A module constant is read (`LABEL = "etl"`, `labels=[LABEL]`).
                if case .other(let span) = element, span.start < bytes.count, bytes[span.start] == 0x2A {
                    // `*EXTRA` stands for any number of labels, none too.
                    written.unknownMayBeNone = true
                }
                if !isUncertainModuleValue(element), let label = constantString(dereference(element)) {
                    written.known.append(label)
                } else if unknownTexts.insert(text(element.span)).inserted {
                    written.unknown.append(unknownLabel(element.span))
                }
            }
        } else if !isNone(labels) {
            written.unknown.append(unknownLabel(labels.span))
            written.unknownMayBeNone = true
        }
        return written
    }

    /// `''`, `{}` or `[]`.
    func isEmpty(_ expression: PythonExpression) -> Bool {
        switch expression {
        case .string(let literal): literal.value?.text.isEmpty ?? false
        case .dict(let dict): dict.entries.isEmpty
        case .sequence(let sequence): sequence.elements.isEmpty
        default: false
        }
    }

    func envAssignment(_ entry: PythonDictEntry, context: EnvContext) -> EnvAssignment? {
        guard case .string(let key)? = entry.key, let name = literalValue(key) else { return nil }
        return envAssignment(KeyedEntry(key: name, keySpan: valueSpan(key), value: entry.value), context: context)
    }

    /// ``envAssignment(_:context:)`` for an entry of a dict literal or of `dict(k=v)`.
    func envAssignment(_ entry: KeyedEntry, context: EnvContext) -> EnvAssignment? {
        let name = entry.key
        var value: String?
        var span = entry.value.span
        switch entry.value {
        case .string(let literal):
            value = literalValue(literal)
            span = valueSpan(literal)
        case .number(let s):
            value = text(s)
        default: break
        }
        var assignment = EnvAssignment(name: name, nameSpan: entry.keySpan, value: value, valueSpan: span, origin: origin(entry.value), context: context)
        switch entry.value {
        case .number: assignment.valueIsNotString = true
        case .other(let span):
            // `-5`: a signed number.
            let written = text(span).filter { $0 != " " }
            if let sign = written.first, sign == "-" || sign == "+", written.count > 1, written.dropFirst().allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_" || $0 == ".") }) {
                assignment.valueIsNotString = true
            }
        default: break
        }
        return assignment
    }

    /// The `environment` of the `flow` container in ECS `run_task_kwargs` overrides (the last
    /// such entry's, as the agent keeps one), and whether the tool read the kwargs whole.
    func ecsFlowContainerEnv(_ kwargs: PythonExpression) -> (env: [EnvAssignment], complete: Bool) {
        var complete = true
        func entries(_ expression: PythonExpression) -> [KeyedEntry] {
            guard let read = keyedEntries(expression) else {
                complete = false
                return []
            }
            if !read.complete { complete = false }
            return read.entries
        }
        func value(_ key: String, in expression: PythonExpression) -> PythonExpression? { entries(expression).first { $0.key == key }?.value }
        guard let overrides = value("overrides", in: kwargs) else { return ([], complete) }
        guard let containers = value("containerOverrides", in: overrides) else { return ([], complete) }
        guard case .sequence(let list) = dereference(containers) else { return ([], false) }
        var flowEnvironment: PythonExpression?
        for container in list.elements {
            guard let name = value("name", in: container) else { continue }
            guard case .string(let nameLiteral) = dereference(name), let text = literalValue(nameLiteral) else {
                complete = false
                continue
            }
            if text == "flow", let environment = value("environment", in: container) { flowEnvironment = environment }
        }
        guard let flowEnvironment else { return ([], complete) }
        guard case .sequence(let variables) = dereference(flowEnvironment) else { return ([], false) }
        var env: [EnvAssignment] = []
        for variable in variables.elements {
            let fields = entries(variable)
            guard let nameField = fields.first(where: { $0.key == "name" }), case .string(let name) = nameField.value,
                let nameText = literalValue(name), let valueField = fields.first(where: { $0.key == "value" })
            else {
                complete = false
                continue
            }
            var text: String?
            var span = valueField.value.span
            if case .string(let literal) = valueField.value {
                text = literalValue(literal)
                span = valueSpan(literal)
            }
            env.append(
                EnvAssignment(name: nameText, nameSpan: valueSpan(name), value: text, valueSpan: span, origin: origin(valueField.value), context: .runConfigEnv))
        }
        return (env, complete)
    }

    /// One `"key": value` of a dict literal, or `key=value` of a `dict(…)` call.
    struct KeyedEntry {
        var key: String
        var keySpan: ByteSpan
        var value: PythonExpression
    }

    /// The entries of `{"k": v}` or `dict(k=v)` (module variables followed) whose keys the
    /// module settles (literals, module string constants, f-strings and `+` of them), with the
    /// entries of module dicts spread into them (`{**BASE, "k": v}`, `dict(BASE, k=v)`) where
    /// they stand (a later key wins); whether those are all of them (no other `**spread`, no
    /// computed key); and the spans of the dict literals read. Nil for any other expression.
    func keyedEntries(_ expression: PythonExpression, depth: Int = 0) -> (entries: [KeyedEntry], complete: Bool, dictSpans: [ByteSpan])? {
        var entries: [KeyedEntry] = []
        var complete = true
        var dictSpans: [ByteSpan] = []
        /// `**spread` (or `dict`'s positional mapping): a module dict's entries, when the tool reads it.
        func spread(_ value: PythonExpression) {
            guard depth < Self.maxFollowDepth, !isUncertainModuleValue(value), let inner = keyedEntries(value, depth: depth + 1) else {
                complete = false
                return
            }
            entries += inner.entries
            complete = complete && inner.complete
            dictSpans += inner.dictSpans
        }
        switch dereference(expression) {
        case .dict(let dict):
            dictSpans.append(dict.span)
            for entry in dict.entries {
                guard let key = entry.key else {
                    spread(entry.value)
                    continue
                }
                guard let text = constantString(key) else {
                    complete = false
                    continue
                }
                let keySpan = if case .string(let literal) = key { valueSpan(literal) } else { key.span }
                entries.append(KeyedEntry(key: text, keySpan: keySpan, value: entry.value))
            }
        case .call(let call) where call.calleeName == "dict":
            for (index, argument) in call.arguments.enumerated() {
                if let keyword = argument.keyword {
                    entries.append(KeyedEntry(key: keyword, keySpan: argument.keywordSpan ?? argument.value.span, value: argument.value))
                } else if argument.kind == .doubleStar || (argument.kind == .positional && index == 0) {
                    spread(argument.value)
                } else {
                    complete = false
                }
            }
        default:
            return nil
        }
        return (entries, complete, dictSpans)
    }

    /// Notes a credential that flow metadata takes from the registering machine's environment:
    /// `value` reads a variable (``environmentVariable(readBy:depth:)``), and the key or the
    /// variable names a credential or a context secret.
    mutating func noteEnvironmentRead(_ value: PythonExpression, place: FlowMetadataPlace, key: String) {
        if let secret = secretValueRead(value) {
            var read = FlowMetadataEnvRead(place: place, key: key, variable: secret, span: value.span)
            read.isSecretValue = true
            python.metadataEnvReads.append(read)
            return
        }
        guard let variable = environmentVariable(readBy: value) else { return }
        var read = FlowMetadataEnvRead(place: place, key: key, variable: variable, span: value.span)
        read.namedAsSecret = ContextSecretEnvName.secretPath(key) != nil || PrefectComponents.takesSecretValue(key) || PrefectComponents.takesSecretValue(variable)
        python.metadataEnvReads.append(read)
    }

    /// The name of the secret whose value `expression` reads where it stands: `Secret("X").get()`,
    /// also through a module variable (empty for a computed name); nil for anything else.
    func secretValueRead(_ expression: PythonExpression) -> String? {
        guard case .call(let read) = dereference(expression), case .attribute(.call(let secret), "get", _) = read.callee, isSecretClass(secret),
            // Inside `with Flow(...)` Prefect raises there (PS401): the value goes nowhere.
            place(read.context).0 != .flowBlock
        else { return nil }
        return secretNameArgument(secret).name ?? ""
    }

    /// Records the env a run config's call gives (`env={…}`, `env=dict(NAME=…)`, a copied
    /// environment) as flow metadata: its assignments and what they read from the registering
    /// machine's environment. Nil when the call gives no env the tool can read.
    mutating func noteRunConfigEnv(_ call: PythonCall) -> (assignments: [EnvAssignment], complete: Bool)? {
        guard let env = call.keyword("env")?.value else { return nil }
        if let copied = copiedEnvironment(dereference(env)) {
            python.metadataEnvReads.append(FlowMetadataEnvRead(place: .runConfigEnv, key: "", variable: copied, span: env.span))
        }
        guard let read = keyedEntries(env) else { return nil }
        metadataDicts.formUnion(read.dictSpans)
        var assignments: [EnvAssignment] = []
        for entry in read.entries {
            guard let assignment = envAssignment(entry, context: .runConfigEnv) else { continue }
            assignments.append(assignment)
            record(assignment)
            noteEnvironmentRead(entry.value, place: .runConfigEnv, key: assignment.name)
        }
        return (assignments, read.complete)
    }

    /// A run config no flow of this file takes (`flow.run_config = DockerRun(…)` on a flow a
    /// factory or a loop over imported flows gives, a helper's, a module constant no flow here
    /// uses): registration stores its env all the same, so its credentials are flow metadata
    /// (PS106) wherever the config ends up.
    mutating func collectDetachedRunConfigs() {
        for k in module.calls.indices
        where prefectName(resolved: module.calls[k].resolvedName, written: module.calls[k].calleeName).map(PrefectComponents.runConfigs.contains) == true {
            let call = module.calls[k]
            guard !flowOwnedSpans.contains(where: { $0.0 == call.span }), let env = call.keyword("env")?.value,
                // A module component's, noted when a flowless module adopted it (its
                // assignments are recorded once whatever happens here).
                !python.metadataEnvReads.contains(where: { $0.place == .runConfigEnv && env.span.contains($0.span) })
            else { continue }
            _ = noteRunConfigEnv(call)
        }
    }

    /// What a whole environment an expression copies: `os.environ` (`os.environ`,
    /// `dict(os.environ)`, `os.environ.copy()`, `{**os.environ, …}`) or a dotenv file's values
    /// (`dotenv_values(…)`); nil for anything else.
    func copiedEnvironment(_ expression: PythonExpression) -> String? {
        switch expression {
        case .name(let n) where n.resolved == "os.environ":
            return "os.environ"
        case .call(let call):
            let callee = call.resolvedName ?? call.calleeName ?? ""
            if callee == "os.environ.copy" { return "os.environ" }
            if callee == "dotenv.dotenv_values" || callee == "dotenv_values" { return "the values of a dotenv file (dotenv_values)" }
            if callee == "dict", let first = call.positional(0)?.value { return copiedEnvironment(first) }
            return nil
        case .dict(let dict):
            return dict.entries.lazy.compactMap { $0.key == nil ? self.copiedEnvironment($0.value) : nil }.first
        default:
            return nil
        }
    }

    /// The environment variable an expression reads when the module runs: `os.environ["X"]`,
    /// `os.environ.get("X")`, `os.getenv("X")`, or a module constant or an f-string placeholder
    /// that holds one. Only one name is followed: the prefilter parses the statement that
    /// reads the environment, not a later `B = A`.
    func environmentVariable(readBy expression: PythonExpression, depth: Int = 1) -> String? {
        switch expression {
        case .call(let call) where call.resolvedName == "os.environ.get" || call.resolvedName == "os.getenv":
            guard case .string(let literal)? = call.positional(0)?.value ?? call.keyword("key")?.value else { return nil }
            return literalValue(literal)
        case .subscript(.name(let base), let span) where base.resolved == "os.environ":
            guard let key = tokens(in: ByteSpan(base.span.end, span.end)).first(where: { $0.kind == .string }) else { return nil }
            return PythonStringDecoder.decode(key, in: bytes)?.text
        case .name(let name) where depth > 0 && !name.isDotted:
            return moduleValues[name.text].flatMap { environmentVariable(readBy: $0, depth: depth - 1) }
        case .string(let literal) where depth > 0 && hasPlaceholders(literal):
            let inside = tokens(in: literal.span)
            for k in inside.indices where inside[k].kind == .name {
                let name = text(inside[k].span)
                if let value = moduleValues[name], let variable = environmentVariable(readBy: value, depth: depth - 1) { return variable }
                // `f"…{os.environ['PW']}…"`, `f"…{os.getenv('PW')}…"`: the key is the next string.
                if name == "environ" || name == "getenv", let key = inside[(k + 1)...].prefix(4).first(where: { $0.kind == .string }) {
                    return PythonStringDecoder.decode(key, in: bytes)?.text
                }
            }
            return nil
        default:
            return nil
        }
    }

    /// A run config's or Docker storage's env entry whose value the code computes
    /// (`os.environ["X"]`, `f"{KEY}"`): registration stores what it was then, so the flow's
    /// runs have the variable, of unknown content; its value is the code that computes it.
    func presentAtRunTime(_ assignment: EnvAssignment) -> EnvAssignment {
        guard assignment.value == nil, assignment.origin == .reference || assignment.origin == .mixed, let span = assignment.valueSpan else {
            return assignment
        }
        var present = assignment
        present.value = text(span)
        return present
    }

    /// Lists an env assignment once, and as a provision when it names a context secret. A
    /// module dict given to several run configs (`env=BASE`, `{**BASE, …}`) is listed once.
    mutating func record(_ assignment: EnvAssignment) {
        guard recordedEnvNames.insert(RecordedEnv(nameSpan: assignment.nameSpan, context: assignment.context, name: assignment.name)).inserted else { return }
        facts.envAssignments.append(assignment)
        if let provision = SecretProvision(contextSecretEnv: assignment) { facts.provisions.append(provision) }
    }

    /// The storage class an expression builds (`GitHub(…)`), if the tool can read it.
    func storageType(of expression: PythonExpression) -> String? {
        guard case .call(let call) = dereference(expression) else { return nil }
        return prefectName(call)
    }

    mutating func applyStorage(_ given: PythonExpression, flow: Int) {
        let expression = returnedByHelper(given).flatMap { storageType(of: $0) == nil ? nil : $0 } ?? given
        guard let type = storageType(of: expression), case .call(let call) = dereference(expression) else {
            // `None`, a helper's result: which storage the flow ends up with is not known.
            if facts.flows[flow].storageType != nil { facts.flows[flow].storageIsAmbiguous = true }
            if !isNone(expression) {
                facts.flows[flow].storageIsUnknown = unknownLabel(expression.span)
                facts.flows[flow].importedStorage = importedBinding(expression)
            }
            return
        }
        if isUncertainModuleValue(expression) { facts.flows[flow].storageIsAmbiguous = true }
        flowOwnedSpans.append((call.span, flow))
        if let earlier = facts.flows[flow].storageType, earlier != type { facts.flows[flow].storageIsAmbiguous = true }
        facts.flows[flow].storageType = type
        facts.flows[flow].storageIsUnknown = nil
        facts.flows[flow].importedStorage = nil
        facts.flows[flow].storageImageEnv = type == "Docker" ? (dockerEnvVars(call)?.entries.map { presentAtRunTime($0.assignment) } ?? []) : []
        facts.flows[flow].storageBaseImage = nil
        facts.flows[flow].storageDockerfile = nil
        facts.flows[flow].storageImageIsComputed = false
        (facts.flows[flow].storageImageConfigPath, facts.flows[flow].storageUserConfigFile) = type == "Docker" ? imageUserConfig(call) : (nil, nil)
        if type == "Docker" {
            for (keyword, isDockerfile) in [("base_image", false), ("dockerfile", true)] {
                guard let value = call.keyword(keyword)?.value else { continue }
                guard case .string(let literal) = dereference(value), let written = literalValue(literal) else {
                    facts.flows[flow].storageImageIsComputed = facts.flows[flow].storageImageIsComputed || !isNone(value)
                    continue
                }
                if written.isEmpty { continue }
                if isDockerfile { facts.flows[flow].storageDockerfile = written } else { facts.flows[flow].storageBaseImage = written }
            }
        }
        // Registration adds the storage's labels, and Local's hostname label unless
        // `add_default_labels=False`.
        facts.flows[flow].storageLabels = call.keyword("labels").map { writtenLabels($0.value) } ?? WrittenLabels()
        facts.flows[flow].storageAddsDefaultLabel = call.keyword("add_default_labels").map { addsDefaultLabel($0.value) } ?? true
    }

    /// The path Docker storage's image gives PREFECT__USER_CONFIG_PATH (storage/docker.py:
    /// `env_vars.setdefault("PREFECT__USER_CONFIG_PATH", f"{prefect_directory}/config.toml")`),
    /// and the file `files={…}` copies there, as its key writes it: a key the storage takes
    /// (an absolute path: `os.path.abspath(…)`, `os.path.join(os.path.dirname(__file__), …)`),
    /// copied to that path or into its folder (`COPY` into a directory keeps the file's name).
    func imageUserConfig(_ call: PythonCall) -> (path: String?, file: String?) {
        var directory = "/opt/prefect"
        if let written = call.keyword("prefect_directory")?.value {
            guard let value = constantString(dereference(written)) else { return (nil, nil) }
            directory = value
        }
        var target = directory + "/config.toml"
        if let set = dockerEnvVars(call)?.entries.last(where: { $0.assignment.name == "PREFECT__USER_CONFIG_PATH" })?.assignment {
            guard set.origin == .literal, let value = set.value else { return (nil, nil) }
            target = value
        }
        guard let files = call.keyword("files")?.value, case .dict(let dict) = dereference(files) else { return (target, nil) }
        for entry in dict.entries.reversed() {
            guard let key = entry.key, let source = absoluteWrittenPath(key), let destination = constantString(dereference(entry.value)) else { continue }
            // The image makes `prefect_directory` before it copies: a copy to it lands inside.
            let trimmed = destination.hasSuffix("/") ? String(destination.dropLast()) : destination
            let name = source.split(separator: "/").last.map(String.init) ?? source
            let copied = destination.hasSuffix("/") || trimmed == directory ? trimmed + "/" + name : destination
            if copied == target { return (target, source) }
        }
        return (target, nil)
    }

    /// A path code writes as an absolute one, as written from the project's point of view: an
    /// absolute literal, or what `os.path.abspath(…)`, `realpath`, `normpath` or `expanduser` of a
    /// settled string is, or `os.path.join(os.path.dirname(__file__), "..", "deploy", "config.toml")`
    /// (the settled parts joined, relative to the module's folder). Nil for a relative literal,
    /// which Docker storage refuses.
    func absoluteWrittenPath(_ expression: PythonExpression, depth: Int = 0) -> String? {
        let value = dereference(expression)
        if let text = constantString(value) { return depth > 0 || text.hasPrefix("/") ? text : nil }
        guard depth < 4, case .call(let call) = value, let function = call.calleeName.map(PythonName.lastComponent) else { return nil }
        let positional = call.arguments.filter { $0.kind == .positional }.map(\.value)
        switch function {
        case "abspath", "realpath", "normpath", "expanduser":
            return positional.first.flatMap { absoluteWrittenPath($0, depth: depth + 1) }
        case "join":
            // The parts after a leading folder the code computes (`os.path.dirname(__file__)`).
            let computed = positional.prefix { constantString(dereference($0)) == nil }.count
            var parts: [String] = []
            for part in positional.dropFirst(computed) {
                guard let text = constantString(dereference(part)) else { return nil }
                parts.append(text)
            }
            let joined = parts.joined(separator: "/")
            return !parts.isEmpty && (computed > 0 || depth > 0 || joined.hasPrefix("/")) ? joined : nil
        default:
            return nil
        }
    }

    /// An `add_default_labels=` value: nil when the tool cannot read it.
    func addsDefaultLabel(_ value: PythonExpression) -> Bool? {
        switch text(value.span) {
        case "True", "None": true
        case "False": false
        default: nil
        }
    }

    // MARK: Places

    func enclosingFlow(_ context: PythonContext) -> Int? {
        var block = context.withBlock
        var guardCount = 0
        while let index = block, index < module.withBlocks.count, guardCount < 256 {
            if let flow = flowWithBlocks[index] { return flow }
            block = module.withBlocks[index].context.withBlock
            guardCount += 1
        }
        return nil
    }

    /// Whether a storage made at module level is none of the module's flows' storage: each of
    /// them has another or the default, as far as the tool can tell (`storage = S3(…)` left
    /// over beside `Flow("etl")`). A storage of a module without flows may be imported by one.
    func isStorageOfNoFlow(_ call: PythonCall) -> Bool {
        guard !facts.flows.isEmpty, call.context.function == nil, enclosingFlow(call.context) == nil,
            !flowOwnedSpans.contains(where: { $0.0.contains(call.span) })
        else { return false }
        return facts.flows.allSatisfy { $0.storageIsUnknown == nil && !$0.storageIsAmbiguous }
    }

    func flowIndex(_ context: PythonContext, span: ByteSpan) -> Int? {
        if let flow = enclosingFlow(context) { return flow }
        if let owned = flowOwnedSpans.first(where: { $0.0.contains(span) }) { return owned.1 }
        // A factory function that builds one flow: what it makes is that flow's.
        if let function = context.function {
            let built = flowFunctions.indices.filter { flowFunctions[$0] == function }
            if built.count == 1, let only = built.first { return only }
        }
        return facts.flows.count == 1 ? 0 : nil
    }

    func isTaskDecorator(_ expression: PythonExpression) -> Bool { isPrefectDecorator(expression, "task") }

    /// Whether a decorator is Prefect's `name` (`@task`, `@task(…)`, `@resource_manager`).
    func isPrefectDecorator(_ expression: PythonExpression, _ name: String) -> Bool {
        switch expression {
        case .name(let n): return prefectName(resolved: n.resolved, written: n.text) == name
        case .call(let c): return prefectName(c) == name
        default: return false
        }
    }

    func place(_ context: PythonContext) -> (PythonReadPlace, String?) {
        if let index = context.function, index < module.functions.count {
            let function = module.functions[index]
            if function.decorators.contains(where: { isTaskDecorator($0) }) { return (.taskFunction, function.name) }
            if function.name == "run", let classIndex = function.context.classIndex, classIndex < module.classes.count {
                let bases = module.classes[classIndex].bases.compactMap { base -> String? in
                    guard case .name(let n) = base.value else { return nil }
                    return prefectName(resolved: n.resolved, written: n.text)
                }
                if bases.contains(where: { ["SecretBase", "PrefectSecret", "EnvVarSecret", "VaultSecret"].contains($0) }) {
                    return (.secretTaskRunMethod, "\(module.classes[classIndex].name).run")
                }
                if bases.contains("Task") { return (.taskRunMethod, "\(module.classes[classIndex].name).run") }
            }
            return (.otherFunction, function.name)
        }
        return (enclosingFlow(context) != nil ? .flowBlock : .moduleLevel, nil)
    }

    // MARK: Calls

    /// The reads an `exists()` check guards, by secret name: `if Secret("X").exists():` (or
    /// `elif`, maybe with `and` after it) guards its block; `if not Secret("X").exists():`
    /// with a block that only returns, raises, continues or breaks guards the rest of the
    /// block around it; `… if Secret("X").exists() else …` guards what stands before `if` on
    /// its line. `s = Secret("X")` then `s.exists()` counts as well.
    func existsGuards() -> [(name: String, body: Range<Int>)] {
        var guards: [(name: String, body: Range<Int>)] = []
        let lines = SourceLines(bytes: bytes)
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        /// The end of the lines after `offset`'s that are indented deeper than `indent` (blank
        /// lines and comments included).
        func blockEnd(after offset: Int, deeperThan indent: Int) -> Int {
            var end = lines.end(offset)
            while end < bytes.count {
                let next = end + 1
                var e = next
                while e < bytes.count, isBlank(bytes[e]) { e += 1 }
                guard e < bytes.count else { return bytes.count }
                if !(bytes[e] == 0x0A || bytes[e] == 0x0D || bytes[e] == 0x23) && e - next <= indent { break }
                end = lines.end(next)
            }
            return end
        }
        for k in module.calls.indices where module.calls[k].methodName == "exists" {
            let call = module.calls[k]
            guard let name = existsSecretName(call) else { continue }
            let start = lines.start(call.span.start)
            var k = start
            while k < call.span.start, isBlank(bytes[k]) { k += 1 }
            let indent = k - start
            let before = bytes[k..<call.span.start].filter { !isBlank($0) && $0 != 0x28 }
            let end = lines.end(call.span.end)
            var a = call.span.end
            while a < end, isBlank(bytes[a]) || bytes[a] == 0x29 { a += 1 }
            let colon = a < end && bytes[a] == 0x3A
            switch String(decoding: before, as: UTF8.self) {
            case "if", "elif":
                guard colon || text(ByteSpan(a, min(a + 4, end))) == "and " else { continue }
                guards.append((name, call.span.end..<blockEnd(after: call.span.end, deeperThan: indent)))
            case "ifnot", "elifnot":
                // The block must leave: its one statement returns, raises, continues or breaks.
                guard colon else { continue }
                let blockLast = blockEnd(after: call.span.end, deeperThan: indent)
                let statements = text(ByteSpan(a + 1, blockLast)).split(whereSeparator: { $0 == "\n" })
                    .map { $0.trimmingPrefix { $0 == " " || $0 == "\t" } }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
                guard statements.count == 1, let exit = statements.first,
                    ["return", "raise", "continue", "break"].contains(where: { exit == $0 || exit.hasPrefix($0 + " ") || exit.hasPrefix($0 + "(") })
                else { continue }
                // The enclosing block: the lines after it indented at least as deep as the `if`.
                guards.append((name, blockLast..<blockEnd(after: blockLast, deeperThan: indent - 1)))
            default:
                // A conditional expression: what stands before its `if` runs only when true.
                var b = call.span.start
                while b > start, isBlank(bytes[b - 1]) || bytes[b - 1] == 0x28 { b -= 1 }
                guard b - 2 >= start, bytes[b - 2] == 0x69, bytes[b - 1] == 0x66, b - 3 < start || isBlank(bytes[b - 3]) || bytes[b - 3] == 0x29 else { continue }
                guards.append((name, start..<(b - 2)))
            }
        }
        return guards
    }

    /// The secret an `exists()` call asks about: `Secret("X").exists()`, or `s.exists()` after
    /// `s = Secret("X")` in the same function (or at module level).
    func existsSecretName(_ call: PythonCall) -> String? {
        let secret: PythonCall
        switch call.callee {
        case .attribute(.call(let inner), _, _):
            secret = inner
        case .name(let n) where n.resolved == nil:
            let parts = n.text.split(separator: ".")
            guard parts.count == 2 else { return nil }
            let variable = String(parts[0])
            func assigned(in function: Int?) -> PythonAssignment? {
                module.assignments.last { $0.context.function == function && $0.span.end <= call.span.start && $0.targetNames.map(\.text) == [variable] }
            }
            guard case .call(let inner)? = (assigned(in: call.context.function) ?? assigned(in: nil))?.value else { return nil }
            secret = inner
        default:
            return nil
        }
        guard isSecretClass(secret) else { return nil }
        return secretNameArgument(secret).name
    }

    mutating func collectCalls() {
        let guards = existsGuards()
        for call in module.calls {
            if call.resolvedName == "os.getenv" || call.resolvedName == "os.environ.get" { addEnvironmentDefault(call) }
            let method = methodOnCall[call.span]
            guard let name = prefectName(call) else {
                collectClientMethod(call)
                continue
            }
            switch name {
            case "PrefectSecret", "EnvVarSecret":
                addSecretTask(call, kind: name == "PrefectSecret" ? .prefectSecretTask : .envVarSecret, api: name, method: method)
            case "Secret" where isSecretClass(call):
                guard method?.methodName == "get", let method else { continue }
                let (secret, span, literal) = secretNameArgument(call)
                // Where `.get()` runs, which may be a task body that reads a module variable.
                let (where_, function) = place(method.context)
                let buildTime = where_ == .flowBlock || where_ == .moduleLevel
                var reference = SecretReference(
                    name: secret, span: span, kind: .secretGet, flowIndex: flowIndex(method.context, span: method.span), readAtBuildTime: buildTime)
                reference.isGuardedByExists = secret.map { name in guards.contains { $0.name == name && $0.body.contains(method.span.start) } } ?? false
                facts.secretReferences.append(reference)
                python.secretReads.append(PythonSecretRead(api: "Secret.get", name: secret, nameIsLiteral: literal, span: method.span, place: where_, functionName: function))
            case "Client":
                if let method, let operation = method.methodName { addClientCall(method, operation: operation) }
            case "Parameter":
                addParameter(call)
            case "create_flow_run":
                addFlowRunParameters(call)
                addFlowRunContext(call, keyword: "context")
            case "StartFlowRun":
                // Its constructor refuses `parameters`; the task takes them when it is called
                // in the flow (`start(parameters=…)`, `StartFlowRun(…)(parameters=…)`). Its run
                // context it takes either way.
                addFlowRunContext(call, keyword: "new_flow_context")
                for later in callsOfComponents[call.span] ?? [] {
                    addFlowRunParameters(later)
                    addFlowRunContext(later, keyword: "new_flow_context")
                }
                if let calledAt = calledDirectly[call.span] {
                    addFlowRunParameters(calledAt)
                    addFlowRunContext(calledAt, keyword: "new_flow_context")
                }
            default:
                addComponent(call, name: name, method: method)
            }
        }
    }

    /// `os.getenv("DB_PASSWORD", "…")`: a literal fallback of a secret's variable is a secret
    /// written out (PS102); of another variable whose name says it holds a secret, hidden.
    mutating func addEnvironmentDefault(_ call: PythonCall) {
        guard case .string(let keyLiteral)? = (call.positional(0) ?? call.keyword("key"))?.value, let key = literalValue(keyLiteral),
            case .string(let literal)? = (call.positional(1) ?? call.keyword("default"))?.value, let text = literalValue(literal)
        else { return }
        if PrefectComponents.takesSecretValue(key) || ContextSecretEnvName.secretPath(key) != nil {
            python.hardcodedLiterals.append(
                HardcodedSecretLiteral(key: key, site: .environmentDefault, valueSpan: valueSpan(literal), value: text, isFString: literal.isFString))
        } else if FileFacts.namesSecretValue(key) {
            facts.unnamedValueSpans.append(valueSpan(literal))
        }
    }

    mutating func addSecretTask(_ call: PythonCall, kind: SecretReferenceKind, api: String, method: PythonCall?) {
        let (secret, span, literal) = secretNameArgument(call)
        // `EnvVarSecret("X")` returns None where X is unset, unless told to raise.
        let returnsNone = kind == .envVarSecret && call.keyword("raise_if_missing").map { addsDefaultLabel($0.value) != true } ?? true
        let first = facts.secretReferences.count
        defer { for k in first..<facts.secretReferences.count { facts.secretReferences[k].returnsNoneWhenMissing = returnsNone } }
        // A read happens where `.run()` or `.get()` is called; a bare task is used where it is made.
        let (where_, function) = place(method?.context ?? call.context)
        let reads = method?.methodName == "run"
        let buildTime = reads && (where_ == .flowBlock || where_ == .moduleLevel) && kind == .prefectSecretTask
        // The name may be given when the task is called (`PrefectSecret()(name="DB")`,
        // `get = PrefectSecret()` then `get(name="DB")`, `.run("DB")`): that call reads it,
        // whatever the constructor named (`run(self, name=None)`, defaults from the task).
        let invocations = (callsOfComponents[call.span] ?? []) + (calledDirectly[call.span].map { [$0] } ?? []) + (reads ? method.map { [$0] } ?? [] : [])
        var namedAtCall = 0
        for invocation in invocations {
            guard let argument = nameArgument(invocation), !isNone(argument) else { continue }
            namedAtCall += 1
            let (name, nameSpan, _) = secretName(argument)
            facts.secretReferences.append(
                SecretReference(
                    name: name, span: nameSpan, kind: kind, flowIndex: flowIndex(invocation.context, span: invocation.span),
                    readAtBuildTime: buildTime && invocation.span == method?.span))
        }
        // The constructor's name is read by the calls that give none, or where the task is used bare.
        guard invocations.isEmpty || namedAtCall < invocations.count else { return }
        facts.secretReferences.append(
            SecretReference(name: secret, span: span, kind: kind, flowIndex: flowIndex(call.context, span: call.span), readAtBuildTime: buildTime))
        if reads, let method {
            python.secretReads.append(PythonSecretRead(api: "\(api).run", name: secret, nameIsLiteral: literal, span: method.span, place: where_, functionName: function))
        } else if let method, method.methodName == "get" {
            // A secret task has no `get` (that is `Secret`'s): Prefect raises AttributeError.
            python.secretReads.append(PythonSecretRead(api: "\(api).get", name: secret, nameIsLiteral: literal, span: method.span, place: where_, functionName: function))
        } else if where_ != .flowBlock && where_ != .moduleLevel {
            // A secret task created inside a function body is still a fixed name read by that function (PS405).
            python.secretReads.append(PythonSecretRead(api: api, name: secret, nameIsLiteral: literal, span: call.span, place: where_, functionName: function))
        }
    }

    mutating func collectClientMethod(_ call: PythonCall) {
        guard let operation = call.methodName, Self.clientOperations.contains(operation) else { return }
        if case .name(let n) = call.callee {
            let parts = n.text.split(separator: ".")
            let isClient = parts.count == 2 && clientVariablesContains(String(parts[0]), before: call.span.start)
            let isQualified = n.resolved.map { $0.hasPrefix("prefect.") } ?? false
            if isClient || isQualified { addClientCall(call, operation: operation) }
        }
    }

    /// The API client's methods the facts record: Cloud secret calls, and the parameters of
    /// the flow runs it creates.
    static let clientOperations: Set<String> = ["set_secret", "delete_secret", "create_flow_run", "register"]

    /// A call of the API client's method `operation` (``clientOperations``; others are ignored).
    mutating func addClientCall(_ call: PythonCall, operation: String) {
        if place(call.context).0 == .moduleLevel { python.callsClientAtModuleLevel = true }
        switch operation {
        case "set_secret", "delete_secret": addCloudCall(call, operation: operation)
        case "create_flow_run":
            addFlowRunParameters(call)
            addFlowRunContext(call, keyword: "context")
        case "register":
            // `Client().register(flow, …)` registers the flow as it is serialized: unlike
            // `Flow.register` and `prefect register`, it adds no storage labels (client/client.py).
            guard let argument = (call.keyword("flow") ?? call.positional(0))?.value, case .name(let n) = argument, !n.isDotted,
                let flow = boundFlow(n.text[...], at: call.span.start, in: call.context.function)
            else { break }
            facts.flows[flow].isRegisteredByClient = true
        default: break
        }
    }

    /// A flow-run context given by `keyword` (`context={"secrets": {…}}`) whose dict has a
    /// `secrets` key: the run starts with its context updated by it (engine/cloud/flow_runner.py
    /// `initialize_run`), every other secret gone.
    mutating func addFlowRunContext(_ call: PythonCall, keyword: String) {
        guard let context = call.keyword(keyword)?.value, let entries = keyedEntries(context)?.entries else { return }
        for entry in entries where entry.key == "secrets" {
            facts.runContextSecrets.append(entry.keySpan)
            facts.runContextSecretValues += writtenStrings(in: entry.value, depth: 0)
        }
    }

    /// The spans of the string literals a value holds, in dicts, lists and tuples: the secret
    /// values a run context writes out.
    func writtenStrings(in expression: PythonExpression, depth: Int) -> [ByteSpan] {
        guard depth < Self.maxFollowDepth else { return [] }
        switch dereference(expression) {
        case .string(let literal): return [valueSpan(literal)]
        case .sequence(let sequence): return sequence.elements.flatMap { writtenStrings(in: $0, depth: depth + 1) }
        default: return (keyedEntries(expression)?.entries ?? []).flatMap { writtenStrings(in: $0.value, depth: depth + 1) }
        }
    }

    /// A `Client(api_server=…)` whose server is Prefect Cloud's or not written out.
    func clientNamesItsServer(_ call: PythonCall) -> Bool {
        guard prefectName(call) == "Client", let server = call.keyword("api_server")?.value else { return false }
        guard case .string(let literal) = dereference(server), let text = literalValue(literal) else { return true }
        return text.contains("prefect.io")
    }

    func clientVariablesContains(_ variable: String, before offset: Int) -> Bool {
        module.assignments.contains { assignment in
            guard assignment.span.start < offset, case .call(let call)? = assignment.value, prefectName(call) == "Client" else {
                return false
            }
            return assignment.targetNames.contains { $0.text == variable }
        }
    }

    mutating func addCloudCall(_ call: PythonCall, operation: String) {
        facts.cloudAPIUses.append(CloudSecretAPIUse(operation: operation, span: call.span))
        guard operation == "set_secret", let nameExpression = (call.keyword("name") ?? call.positional(0))?.value else { return }
        guard let name = secretName(nameExpression).name else {
            facts.cloudAPIUses[facts.cloudAPIUses.count - 1].nameIsUnread = true
            return
        }
        let value = (call.keyword("value") ?? call.positional(1))?.value
        var provision = SecretProvision(
            name: name, span: secretName(nameExpression).span, source: .cloudSetSecret, origin: value.map { origin($0) } ?? .unknown)
        if case .string(let literal)? = value {
            provision.valueSpan = valueSpan(literal)
            if let text = literalValue(literal) {
                python.hardcodedLiterals.append(
                    HardcodedSecretLiteral(key: name, site: .setSecretValue, valueSpan: valueSpan(literal), value: text, isFString: literal.isFString))
            }
        } else {
            provision.valueSpan = value?.span
        }
        facts.provisions.append(provision)
    }

    /// `create_flow_run(parameters={"password": PrefectSecret("DB")})`: the secret's value
    /// becomes a parameter of the flow run it creates (tasks/prefect/flow_run.py).
    mutating func addFlowRunParameters(_ call: PythonCall) {
        guard let parameters = call.keyword("parameters")?.value else { return }
        addFlowRunParameters(in: parameters, depth: 0)
    }

    /// The entries of a parameters dict (`{…}` or `dict(…)`, nested ones too) that are secret tasks.
    private mutating func addFlowRunParameters(in expression: PythonExpression, depth: Int) {
        guard depth < 8, let entries = keyedEntries(expression)?.entries else { return }
        for entry in entries {
            guard case .call(let call) = dereference(entry.value) else {
                addFlowRunParameters(in: entry.value, depth: depth + 1)
                continue
            }
            // A secret task, or a value read with `Secret("X").get()` (also through a module variable).
            let secretCall: PythonCall
            if let taskName = prefectName(call), taskName == "PrefectSecret" || taskName == "EnvVarSecret" {
                secretCall = call
            } else if case .attribute(.call(let inner), "get", _) = call.callee, isSecretClass(inner) {
                secretCall = inner
            } else {
                addFlowRunParameters(in: entry.value, depth: depth + 1)
                continue
            }
            let secret = secretNameArgument(secretCall).name ?? "a secret"
            python.metadataEnvReads.append(FlowMetadataEnvRead(place: .flowRunParameters, key: entry.key, variable: secret, span: entry.value.span))
        }
    }

    mutating func addParameter(_ call: PythonCall) {
        guard case .string(let nameLiteral)? = nameArgument(call), let name = literalValue(nameLiteral) else { return }
        let given = call.keyword("default")?.value
        // `Parameter("password")`: each run's value is given when the run is created.
        if PrefectComponents.takesSecretValue(name), given.map({ isNone($0) || isEmptyString($0) }) ?? true {
            python.metadataEnvReads.append(FlowMetadataEnvRead(place: .secretParameter, key: name, variable: name, span: nameLiteral.span))
        }
        guard let value = given else { return }
        noteEnvironmentRead(value, place: .parameterDefault, key: name)
        guard PrefectComponents.takesSecretValue(name), case .string(let literal) = value, let value = literalValue(literal) else { return }
        python.metadataLiterals.append(FlowMetadataLiteral(place: .parameterDefault, key: name, valueSpan: valueSpan(literal), value: value))
    }

    mutating func addComponent(_ call: PythonCall, name: String, method: PythonCall?) {
        if let read = PrefectComponents.constructorEnvReads[name] { addConstructorEnvRead(call, name: name, read: read) }
        let resolved = call.resolvedName ?? ""
        var table: [ComponentSecret]?
        var isTask = false
        // The table lookups first: most calls are neither, and the text tests are slower.
        if let storage = PrefectComponents.storage[name], ByteSearch.contains(".storage", in: resolved) || (resolved.isEmpty && starFromPrefect) {
            addStorageExtras(call, type: name)
            // A storage reads its secrets only as a flow's storage.
            if isStorageOfNoFlow(call) { return }
            table = storage
        } else if let result = PrefectComponents.results[name], ByteSearch.contains(".results", in: resolved) || (resolved.isEmpty && starFromPrefect) {
            table = result
        } else if resolved.hasPrefix("prefect.tasks") || resolved.hasPrefix("prefect.utilities") || (resolved.isEmpty && starFromPrefect) {
            table = PrefectComponents.taskSecrets(resolved: resolved, name: name)
            isTask = true
            if let keyword = PrefectComponents.valueParameters[name] { addNameGivenAsValue(call, keyword: keyword, method: method) }
        }
        guard let table else { return }
        let (where_, function) = place(call.context)
        // A task made inside a running task's body reads its secrets only when its `run` is
        // called there: `SlackTask(message=m)` alone stores a secret's name (slack_task.py).
        if isTask, where_ == .taskFunction || where_ == .taskRunMethod, method?.methodName != "run" { return }
        let flow = flowIndex(call.context, span: call.span)
        let reads = name == "VaultSecret" && method?.methodName == "run"
        if reads, let method {
            python.secretReads.append(PythonSecretRead(api: "VaultSecret.run", name: nil, nameIsLiteral: false, span: method.span, place: where_, functionName: function))
        }
        let buildTime = reads && (where_ == .flowBlock || where_ == .moduleLevel)
        let calls = componentCalls(call, method: method)
        func given(_ keyword: String) -> (argument: PythonArgument, flow: Int?)? {
            for later in calls.reversed() {
                if let argument = later.keyword(keyword) { return (argument, flowIndex(later.context, span: later.span) ?? flow) }
            }
            return call.keyword(keyword).map { ($0, flow) }
        }
        for component in table {
            if let keyword = component.keyword, let (argument, flow) = given(keyword) {
                if isNone(argument.value) { continue }
                if case .string(let literal) = argument.value, literalValue(literal) == "" { continue }
                // `access_token_secret=PrefectSecret("X")`: the task itself, not its value, is the name.
                if case .call(let task) = dereference(argument.value), let taskName = prefectName(task), taskName == "PrefectSecret" || taskName == "EnvVarSecret" {
                    let (secret, nameSpan, _) = secretNameArgument(task)
                    // The task is no task of the flow: its own reference is dropped (``build()``).
                    tasksGivenAsNames.insert(nameSpan)
                    facts.secretReferences.append(
                        SecretReference(name: secret, span: argument.value.span, kind: .taskGivenAsName, flowIndex: flow, readAtBuildTime: buildTime))
                    continue
                }
                // `access_token_secret=Secret("X").get()` (or a module variable assigned it): the
                // secret's value, read where the flow is built, where its name belongs.
                if case .call(let read) = dereference(argument.value), case .attribute(.call(let secretCall), let method, _) = read.callee,
                    (method == "get" && isSecretClass(secretCall)) || (method == "run" && prefectName(secretCall) == "PrefectSecret")
                {
                    facts.secretReferences.append(
                        SecretReference(
                            name: secretNameArgument(secretCall).name, span: argument.value.span, kind: .valueGivenAsName, flowIndex: flow,
                            readAtBuildTime: buildTime))
                    // A storage keeps it with the flow's metadata (unless Prefect raised at the read).
                    if PrefectComponents.storage[name] != nil, place(read.context).0 != .flowBlock {
                        var read = FlowMetadataEnvRead(place: .storageSecretName, key: keyword, variable: secretNameArgument(secretCall).name ?? "", span: argument.value.span)
                        read.isSecretValue = true
                        python.metadataEnvReads.append(read)
                    }
                    continue
                }
                // `access_token_secret=os.environ["GITHUB_ACCESS_TOKEN"]`: the token itself
                // where the storage takes a secret's name, stored with the flow.
                if PrefectComponents.storage[name] != nil, let variable = environmentVariable(readBy: argument.value),
                    PrefectComponents.takesSecretValue(variable)
                {
                    python.metadataEnvReads.append(FlowMetadataEnvRead(place: .storageSecretName, key: keyword, variable: variable, span: argument.value.span))
                }
                let (secret, span, _) = secretName(argument.value)
                facts.secretReferences.append(
                    SecretReference(name: secret, span: span, kind: .componentKeyword, flowIndex: flow, readAtBuildTime: buildTime))
                continue
            }
            guard let defaultName = component.defaultName else { continue }
            // `credentials=None` is as good as not given: the default is read.
            if component.skippedWhen.contains(where: { given($0).map { !isNone($0.argument.value) } ?? false }) { continue }
            if name == "EmailTask", case .string(let literal)? = given("smtp_type")?.argument.value, literalValue(literal) == "INSECURE" {
                continue
            }
            facts.secretReferences.append(
                SecretReference(
                    name: defaultName, span: call.callee.span, kind: component.viaSecretGet ? .componentKeyword : .componentDefault,
                    flowIndex: flow, readAtBuildTime: buildTime))
        }
    }

    /// The calls that give a component made by `call` its run's keywords: those of the task in
    /// the flow, which win over the constructor's (`notify = SlackTask()` then
    /// `notify(webhook_url=…)`, or `SlackTask()(webhook_url=…)`), `SlackTask(…).bind(…)`, and
    /// `S3Upload(…).run(credentials=…)` in a task body, in source order.
    func componentCalls(_ call: PythonCall, method: PythonCall?) -> [PythonCall] {
        var calls = (callsOfComponents[call.span] ?? []) + (calledDirectly[call.span].map { [$0] } ?? [])
        if let method, method.methodName == "bind" || method.methodName == "run" { calls.append(method) }
        return calls
    }

    /// A component made where the flow is built whose constructor reads a credential from the
    /// environment (``PrefectComponents/constructorEnvReads``): an `EnvVarSecret`-like read at
    /// build time (PS401), which pickle-based storage keeps in the stored flow.
    mutating func addConstructorEnvRead(
        _ call: PythonCall, name: String, read: (given: String, position: Int, variableKeyword: String?, variable: String, advice: String)
    ) {
        let (where_, function) = place(call.context)
        guard where_ == .flowBlock || where_ == .moduleLevel,
            call.keyword(read.given).map({ isNone($0.value) }) ?? true,
            // Given when the task runs (`run_job(token=PrefectSecret("DBT_CLOUD_TOKEN"))`).
            !componentCalls(call, method: nil).contains(where: { $0.keyword(read.given) != nil }),
            call.arguments.filter({ $0.kind == .positional }).count <= read.position,
            !call.arguments.contains(where: { $0.kind == .star || $0.kind == .doubleStar })
        else { return }
        var variable = read.variable
        if let keyword = read.variableKeyword, let given = call.keyword(keyword) {
            guard let written = constantString(dereference(given.value)) else { return }
            variable = written
        }
        python.secretReads.append(PythonSecretRead(api: name, name: variable, nameIsLiteral: true, span: call.span, place: where_, functionName: function))
    }

    /// A secret's name given where the task takes the secret's value
    /// (``PrefectComponents/valueParameters``): the run fails whatever provides the secret.
    mutating func addNameGivenAsValue(_ call: PythonCall, keyword: String, method: PythonCall?) {
        // The last call that gives it wins over the constructor.
        let user = componentCalls(call, method: method).last { $0.keyword(keyword) != nil } ?? call
        guard let given = user.keyword(keyword), let name = constantString(dereference(given.value)), !name.isEmpty else { return }
        facts.secretReferences.append(
            SecretReference(name: name, span: given.value.span, kind: .nameGivenAsValue, flowIndex: flowIndex(user.context, span: user.span), readAtBuildTime: false))
    }

    /// `Docker(env_vars={…})`: the dict and each entry with the assignment it makes.
    func dockerEnvVars(_ call: PythonCall) -> (dict: PythonDict, entries: [(entry: PythonDictEntry, assignment: EnvAssignment)])? {
        guard let env = call.keyword("env_vars")?.value, case .dict(let dict) = dereference(env) else { return nil }
        return (dict, dict.entries.compactMap { entry in envAssignment(entry, context: .dockerfile).map { (entry, $0) } })
    }

    mutating func addStorageExtras(_ call: PythonCall, type: String) {
        let flow = flowIndex(call.context, span: call.span)
        if let secrets = call.keyword("secrets")?.value { addStorageSecrets(secrets, flow: flow) }
        switch type {
        case "S3", "CodeCommit":
            // `client_options={"aws_secret_access_key": …}` or `dict(aws_secret_access_key=…)`.
            let options = call.keyword("client_options").flatMap { keyedEntries($0.value) }
            metadataDicts.formUnion(options?.dictSpans ?? [])
            for entry in options?.entries ?? [] {
                noteEnvironmentRead(entry.value, place: .s3ClientOptions, key: entry.key)
                guard case .string(let literal) = entry.value, let text = literalValue(literal) else { continue }
                let lower = entry.key.lowercased()
                guard lower.contains("secret") || lower.contains("session_token") || lower.contains("password") else { continue }
                python.metadataLiterals.append(FlowMetadataLiteral(place: .s3ClientOptions, key: entry.key, valueSpan: valueSpan(literal), value: text))
            }
        case "Webhook":
            // `build()` renders the build kwargs' templates when the flow is registered; a
            // flow run renders only the get-flow kwargs' (storage/webhook.py): only those are
            // secrets the run needs.
            for keyword in ["build_request_kwargs", "get_flow_request_kwargs"] {
                guard let kwargs = call.keyword(keyword)?.value else { continue }
                collectWebhookLiterals(dereference(kwargs), key: keyword, flow: flow, readByRuns: keyword == "get_flow_request_kwargs")
            }
        case "Docker":
            if let env = dockerEnvVars(call) {
                metadataDicts.insert(env.dict.span)
                for (entry, assignment) in env.entries {
                    record(assignment)
                    noteEnvironmentRead(entry.value, place: .dockerEnvVars, key: assignment.name)
                    if ContextSecretEnvName.secretPath(assignment.name) == nil, assignment.origin == .literal,
                        let value = assignment.value, let span = assignment.valueSpan, PrefectComponents.takesSecretValue(assignment.name)
                    {
                        python.metadataLiterals.append(FlowMetadataLiteral(place: .dockerEnvVars, key: assignment.name, valueSpan: span, value: value))
                    }
                }
            }
        default: break
        }
    }

    /// The names of a storage's `secrets` list, which its runs load before the flow (facts §7.1).
    mutating func addStorageSecrets(_ list: PythonExpression, flow: Int?) {
        guard case .sequence(let list) = dereference(list) else { return }
        for element in list.elements { addStorageSecret(element, flow: flow) }
    }

    mutating func addStorageSecret(_ element: PythonExpression, flow: Int?) {
        let (secret, span, _) = secretName(element)
        facts.secretReferences.append(SecretReference(name: secret, span: span, kind: .storageSecrets, flowIndex: flow))
    }

    /// Webhook kwargs: `${NAME}`/`$NAME` templates are secret references (env, then
    /// `Secret.get`) when `readByRuns`; literal values under credential-like keys are metadata
    /// literals.
    mutating func collectWebhookLiterals(_ expression: PythonExpression, key: String, flow: Int?, readByRuns: Bool) {
        switch expression {
        case .dict(let dict):
            metadataDicts.insert(dict.span)
            for entry in dict.entries {
                var entryKey = key
                if case .string(let k)? = entry.key, let text = literalValue(k) { entryKey = text }
                collectWebhookLiterals(entry.value, key: entryKey, flow: flow, readByRuns: readByRuns)
            }
        case .string(let literal):
            guard let value = literalValue(literal) else { return }
            let span = valueSpan(literal)
            let names = Self.templateNames(value)
            if !names.isEmpty {
                for name in names where readByRuns {
                    facts.secretReferences.append(SecretReference(name: name, span: span, kind: .templateVariable, flowIndex: flow))
                }
                return
            }
            let lower = entryKeyIsCredential(key)
            if lower {
                python.metadataLiterals.append(FlowMetadataLiteral(place: .webhookRequestKwargs, key: key, valueSpan: span, value: value))
            }
        default: break
        }
    }

    func entryKeyIsCredential(_ key: String) -> Bool {
        let lower = key.lowercased()
        return lower == "authorization" || lower.hasPrefix("x-api-key") || lower == "x-auth-token" || PrefectComponents.takesSecretValue(lower)
    }

    /// `string.Template` identifiers in a value: `$NAME` and `${NAME}`.
    static func templateNames(_ value: String) -> [String] {
        var names: [String] = []
        let chars = Array(value.utf8)
        var i = 0
        func isIdent(_ c: UInt8, first: Bool) -> Bool {
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || (!first && c >= 0x30 && c <= 0x39)
        }
        while i < chars.count {
            guard chars[i] == 0x24, i + 1 < chars.count else { i += 1; continue }
            if chars[i + 1] == 0x24 { i += 2; continue }
            var j = i + 1
            let braced = chars[j] == 0x7B
            if braced { j += 1 }
            let start = j
            while j < chars.count, isIdent(chars[j], first: j == start) { j += 1 }
            if j > start, !braced || (j < chars.count && chars[j] == 0x7D) {
                names.append(String(decoding: chars[start..<j], as: UTF8.self))
            }
            i = max(j, i + 1)
        }
        return names
    }

    // MARK: Assignments, dicts, defaults (PS102 candidates and os.environ)

    mutating func collectAssignments() {
        for assignment in module.assignments {
            guard let value = assignment.value else { continue }
            for target in assignment.targets {
                switch target {
                case .name(let name):
                    let last = name.lastComponent
                    if case .string(let literal) = value, PrefectComponents.takesSecretValue(last), let text = literalValue(literal) {
                        python.hardcodedLiterals.append(
                            HardcodedSecretLiteral(
                                key: name.text, site: name.isDotted ? .attribute : .variable, valueSpan: valueSpan(literal),
                                value: text, isFString: literal.isFString))
                    }
                case .subscript(.name(let base), let span) where base.resolved == "os.environ":
                    guard let key = tokens(in: ByteSpan(base.span.end, span.end)).first(where: { $0.kind == .string }),
                        let keyValue = PythonStringDecoder.decode(key, in: bytes)
                    else { continue }
                    var valueText: String?
                    var valueSpan = value.span
                    if case .string(let literal) = value {
                        valueText = literalValue(literal)
                        valueSpan = self.valueSpan(literal)
                    }
                    record(
                        EnvAssignment(
                            name: keyValue.text, nameSpan: key.stringContentSpan ?? key.span, value: valueText, valueSpan: valueSpan,
                            origin: origin(value), context: .pythonEnviron))
                case .subscript(_, let span):
                    // `config["password"] = "..."`: a secret-named key.
                    guard case .string(let literal) = value, let text = literalValue(literal),
                        let key = tokens(in: span).last(where: { $0.kind == .string }),
                        let keyValue = PythonStringDecoder.decode(key, in: bytes), PrefectComponents.takesSecretValue(keyValue.text)
                    else { continue }
                    python.hardcodedLiterals.append(
                        HardcodedSecretLiteral(key: keyValue.text, site: .dictKey, valueSpan: valueSpan(literal), value: text, isFString: literal.isFString))
                default: break
                }
            }
        }
        // os.environ.setdefault("K", "v")
        for k in module.calls.indices where module.calls[k].resolvedName == "os.environ.setdefault" {
            let call = module.calls[k]
            guard case .string(let key)? = call.positional(0)?.value, let name = literalValue(key), let value = call.positional(1)?.value else {
                continue
            }
            var text: String?
            var span = value.span
            if case .string(let literal) = value {
                text = literalValue(literal)
                span = valueSpan(literal)
            }
            record(EnvAssignment(name: name, nameSpan: valueSpan(key), value: text, valueSpan: span, origin: origin(value), context: .pythonEnviron))
        }
        // Keyword arguments that take a secret value (a call without keywords is not copied).
        for k in module.calls.indices where module.calls[k].arguments.contains(where: { $0.kind == .keyword }) {
            let call = module.calls[k]
            let component = prefectName(call)
            if component == "Parameter" { continue }
            for argument in call.arguments where argument.kind == .keyword {
                guard let keyword = argument.keyword, PrefectComponents.takesSecretValue(keyword),
                    !Self.namesASecret(component: component, keyword: keyword),
                    case .string(let literal) = argument.value, let text = literalValue(literal), !passesUserName(text, in: call)
                else { continue }
                let isClientKey = component == "Client" && (keyword == "api_key" || keyword == "api_token")
                python.hardcodedLiterals.append(
                    HardcodedSecretLiteral(
                        key: keyword, site: isClientKey ? .prefectClientKey : .keywordArgument, valueSpan: valueSpan(literal), value: text,
                        isFString: literal.isFString))
            }
        }
    }

    /// Keywords that give a user name beside a password.
    static let userKeywords: Set<String> = ["user", "username", "user_name", "login"]

    /// Whether `call` passes `value` as a user name too (`PostgresExecute(user="postgres",
    /// password="postgres")`): a password that is the user name is a development default, as
    /// PS101 takes `postgres://dev:dev@db`.
    func passesUserName(_ value: String, in call: PythonCall) -> Bool {
        call.arguments.contains { argument in
            guard let keyword = argument.keyword, Self.userKeywords.contains(keyword), case .string(let literal) = argument.value else { return false }
            return literalValue(literal) == value
        }
    }

    /// Prefect's secret tasks whose arguments name where a secret is kept, not its value:
    /// `AWSSecretsManager(secret="prod/api")`, `KubernetesSecret(secret_key="db-pass")`.
    static func namesASecret(component: String?, keyword: String) -> Bool {
        switch (component, keyword) {
        case ("AWSSecretsManager", "secret"), ("KubernetesSecret", "secret_key"): return true
        default: return false
        }
    }

    /// Literals set as the run's context secrets (`prefect.context(secrets={"DB": "…"})`,
    /// `prefect.context.secrets["DB"] = "…"`): local secrets of runs in this process.
    mutating func markContextSecretLiterals() {
        guard !python.hardcodedLiterals.isEmpty, ByteSearch.contains(Self.secretsWord, in: bytes) else { return }
        var values: [ByteSpan] = []
        for k in module.calls.indices where module.calls[k].resolvedName == "prefect.context" {
            if let value = module.calls[k].keyword("secrets")?.value { values.append(value.span) }
        }
        for assignment in module.assignments {
            guard let value = assignment.value else { continue }
            for target in assignment.targets {
                if case .subscript(.name(let base), _) = target, base.resolved == "prefect.context.secrets" { values.append(value.span) }
            }
        }
        guard !values.isEmpty else { return }
        for k in python.hardcodedLiterals.indices where values.contains(where: { $0.contains(python.hardcodedLiterals[k].valueSpan) }) {
            python.hardcodedLiterals[k].site = .contextSecret
        }
    }

    mutating func collectDicts() {
        for dict in module.dicts where !metadataDicts.contains(dict.span) {
            for entry in dict.entries {
                guard case .string(let key)? = entry.key, let keyText = literalValue(key), PrefectComponents.takesSecretValue(keyText),
                    case .string(let literal) = entry.value, let text = literalValue(literal)
                else { continue }
                python.hardcodedLiterals.append(
                    HardcodedSecretLiteral(key: keyText, site: .dictKey, valueSpan: valueSpan(literal), value: text, isFString: literal.isFString))
            }
        }
    }

    mutating func collectParameterDefaults() {
        for function in module.functions {
            for parameter in function.parameters where PrefectComponents.takesSecretValue(parameter.name) {
                guard case .string(let literal)? = parameter.defaultValue, let text = literalValue(literal) else { continue }
                python.hardcodedLiterals.append(
                    HardcodedSecretLiteral(key: parameter.name, site: .parameterDefault, valueSpan: valueSpan(literal), value: text, isFString: literal.isFString))
            }
        }
    }

    // MARK: GraphQL in strings

    static let graphQLOperations = ["set_secret", "delete_secret", "secret_value", "secret_names"].map { Array($0.utf8) }
    static let secretWord = Array("secret".utf8)
    static let query = Array("query".utf8)
    static let mutation = Array("mutation".utf8)

    mutating func collectGraphQLStrings() {
        facts.cloudAPIUses += Self.graphQLOperations(in: module.tokens, strings: strings, of: bytes)
    }

    /// The Cloud secret operations named as words in string literals (GraphQL sent by hand),
    /// among `strings`: indices of the string tokens that may hold one, ascending (the
    /// tokenizer's ``PythonTokenMarks/strings`` when it held ``PythonFactsPrefilter/words``).
    /// Only those are searched, not the file: `secret` is a common word of code.
    static func graphQLOperations(in tokens: [PythonToken], strings: [Int], of bytes: [UInt8]) -> [CloudSecretAPIUse] {
        var uses: [CloudSecretAPIUse] = []
        for index in strings where index < tokens.count {
            let span = tokens[index].span
            guard tokens[index].kind == .string || tokens[index].kind == .fstringMiddle, span.length >= 10, span.end <= bytes.count,
                ByteSearch.contains(Self.secretWord, in: bytes, range: span.range),
                bytes[span.range].contains(0x7B) || ByteSearch.contains(Self.query, in: bytes, range: span.range)
                    || ByteSearch.contains(Self.mutation, in: bytes, range: span.range)
            else { continue }
            for word in Self.graphQLOperations {
                var searchStart = span.start
                while searchStart < span.end, let start = ByteSearch.firstIndex(of: word, in: bytes, range: searchStart..<span.end) {
                    let end = start + word.count
                    let before = start > span.start ? bytes[start - 1] : 0x20
                    let after = end < span.end ? bytes[end] : 0x20
                    if !ASCIIBytes.isWordByte(before), !ASCIIBytes.isWordByte(after) {
                        uses.append(CloudSecretAPIUse(operation: String(decoding: word, as: UTF8.self), span: ByteSpan(start, end)))
                        break
                    }
                    searchStart = end
                }
            }
        }
        return uses
    }

    /// The `value: "…"` arguments written in GraphQL strings that call `set_secret`: the secret
    /// values such a script uploads (`mutation { set_secret(input: {name: "DB", value: "…"}) }`),
    /// which reports hide.
    /// `strings` as for ``graphQLOperations(in:strings:of:)``.
    static func graphQLSecretValues(in tokens: [PythonToken], strings: [Int], of bytes: [UInt8]) -> [ByteSpan] {
        let operation = Array("set_secret".utf8)
        let key = Array("value".utf8)
        var spans: [ByteSpan] = []
        for index in strings where index < tokens.count && (tokens[index].kind == .string || tokens[index].kind == .fstringMiddle) {
            let range = tokens[index].span.range
            guard range.upperBound <= bytes.count, ByteSearch.contains(operation, in: bytes, range: range) else { continue }
            var from = range.lowerBound
            while let found = ByteSearch.firstIndex(of: key, in: bytes, range: from..<range.upperBound) {
                from = found + key.count
                guard found == range.lowerBound || !ASCIIBytes.isWordByte(bytes[found - 1]) else { continue }
                var k = from
                while k < range.upperBound, bytes[k] == 0x20 || bytes[k] == 0x09 || bytes[k] == 0x0A { k += 1 }
                guard k < range.upperBound, bytes[k] == 0x3A else { continue }
                k += 1
                while k < range.upperBound, bytes[k] == 0x20 || bytes[k] == 0x09 || bytes[k] == 0x0A || bytes[k] == 0x5C { k += 1 }
                guard k < range.upperBound, bytes[k] == 0x22 else { continue }
                let start = k + 1
                var end = start
                while end < range.upperBound, bytes[end] != 0x22 { end += 1 }
                // `\"` closes an escaped quote inside a Python string.
                let valueEnd = end > start && bytes[end - 1] == 0x5C ? end - 1 : end
                if valueEnd > start { spans.append(ByteSpan(start, valueEnd)) }
                from = end
            }
        }
        return spans
    }
}

/// Lines of Python source by their `\n` ends, for the block tests that read indentation
/// (what an `if` guards).
/// For each line of code (not blank, not a comment), the start of the line that opens the
/// block it stands in: the nearest line above it with less indentation. Found for the whole
/// file in one pass, with the lines still open on a stack, so that asking for every read of a
/// long block does not read the block again for each.
struct BlockOpeners {
    private var starts: [Int] = []
    private var openers: [Int?] = []

    init(_ bytes: [UInt8]) {
        let lines = SourceLines(bytes: bytes)
        var open: [(indent: Int, start: Int)] = []
        var start = 0
        while start < bytes.count {
            let indent = lines.indent(ofLineAt: start)
            let first = start + indent
            if first < bytes.count, bytes[first] != 0x0A, bytes[first] != 0x0D, bytes[first] != 0x23 {
                while let last = open.last, last.indent >= indent { open.removeLast() }
                starts.append(start)
                openers.append(open.last?.start)
                open.append((indent, start))
            }
            start = lines.end(start) + 1
        }
    }

    /// The start of the line opening the block of the line of code starting at `lineStart`;
    /// nil for unindented code, and for a line that holds none.
    func opener(ofLineAt lineStart: Int) -> Int? {
        var low = 0
        var high = starts.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] < lineStart { low = mid + 1 } else { high = mid }
        }
        return low < starts.count && starts[low] == lineStart ? openers[low] : nil
    }
}

struct SourceLines {
    let bytes: [UInt8]

    /// The first byte of the line holding `offset`.
    func start(_ offset: Int) -> Int {
        var k = min(offset, bytes.count)
        while k > 0, bytes[k - 1] != 0x0A { k -= 1 }
        return k
    }

    /// The end of the line holding `offset` (its `\n`, or the end of the text).
    func end(_ offset: Int) -> Int {
        var k = offset
        while k < bytes.count, bytes[k] != 0x0A { k += 1 }
        return k
    }

    /// The blanks the line starting at `start` begins with.
    func indent(ofLineAt start: Int) -> Int {
        var k = start
        while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
        return k - start
    }
}
