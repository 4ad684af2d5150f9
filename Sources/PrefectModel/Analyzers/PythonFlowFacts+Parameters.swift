import PythonSource
import Spans

/// Secret names given to a helper as an argument: `def get_secret(name): return
/// Secret(name).get()` (a task or a plain function), then `get_secret("DB_DSN")` in the flow;
/// or to a `Task` subclass's `run(self, name)`, then `fetch("DB_DSN")` on an instance; or to
/// a method, then `self.password("DB_DSN")`; or to a class's `__init__` that keeps it in an
/// attribute read as `self.secret_name`, then `Query(secret_name="DB_DSN")`.
extension PythonFlowFactsBuilder {
    /// A read whose name is a parameter of the module-level function around it keeps that
    /// parameter (``SecretReference/nameParameter``, for calls in other modules) and reads
    /// the names the module's calls of that function give the parameter
    /// (`get_secret("DB_DSN")`, `get_secret.run(name="DB_DSN")`), each at its call, and the
    /// parameter's default at each call that gives none. A read in a task class's `run` reads
    /// them at the module's calls of the class's instances (``instanceCalls(of:)``), and other
    /// modules at theirs (``NameParameter/namesInstanceRuns``); a read in another method, at
    /// the class's calls of it on `self`; a read of an attribute `__init__` keeps its
    /// parameter in, at the calls making the class's instances. Returns
    /// the spans of the reads that every call names (at least one call, none with a name the
    /// tool cannot read): ``dropNamedParameterReads(_:)`` takes those out once the module's
    /// definitions have them, so that modules importing the function still see the parameter read.
    mutating func nameParameterReads() -> Set<ByteSpan> {
        var named: Set<ByteSpan> = []
        var added: [SecretReference] = []
        let unnamed = facts.secretReferences.indices.filter { facts.secretReferences[$0].name == nil && facts.secretReferences[$0].namePattern == nil }
        guard !unnamed.isEmpty else { return named }
        var lookups = ParameterLookups(module)
        for k in unnamed {
            guard let read = parameterRead(at: facts.secretReferences[k].span, &lookups) else { continue }
            let function = read.function
            // After `*args` (or a bare `*`) a parameter takes keywords only; `self` takes none.
            let before = function.parameters[(read.owner.takesSelf ? 1 : 0)..<read.parameter]
            let parameter = NameParameter(
                name: function.parameters[read.parameter].name, position: before.contains { $0.kind == .varArgs } ? nil : before.count,
                defaultName: function.parameters[read.parameter].defaultValue.flatMap { secretName($0).name },
                namesInstanceRuns: read.owner.isTaskRun)
            var everyCallNamed = true
            let calls: [PythonCall]
            switch read.owner {
            case .function:
                facts.secretReferences[k].nameSource = .parameter(parameter)
                // By its name: `get_secret(…)`, and a task's `get_secret.run(…)`.
                calls = lookups.calls(of: function.name, function.name + ".run", in: module)
            case .taskRun(let taskClass):
                facts.secretReferences[k].nameSource = .parameter(parameter)
                if lookups.instanceRuns[taskClass.span.start] == nil { lookups.instanceRuns[taskClass.span.start] = instanceCalls(of: taskClass) }
                let instances = lookups.instanceRuns[taskClass.span.start] ?? ([], false)
                calls = instances.calls
                everyCallNamed = instances.areAllUses
            case .initAttribute(let type):
                facts.secretReferences[k].nameSource = .parameter(parameter)
                calls = lookups.calls(of: type.name, in: module)
            case .method(let classIndex):
                // Called on `self` in the class's own methods: no other module calls it so.
                calls = lookups.calls(of: "self." + function.name, in: module).filter { $0.context.classIndex == classIndex }
            }
            let reference = facts.secretReferences[k]
            guard !calls.isEmpty else { continue }
            for call in calls {
                let given: (name: String?, span: ByteSpan)
                switch argument(parameter, in: call) {
                case .unknown: given = (nil, call.span)
                case .given(let expression):
                    let written = secretName(expression)
                    given = (written.name, written.span)
                // The default, at the call that leaves it out (whose flow reads it).
                case .absent: given = (parameter.defaultName, call.span)
                }
                guard let name = given.name else {
                    everyCallNamed = false
                    continue
                }
                var read = reference.named(name, at: given.span)
                read.flowIndex = flowIndex(call.context, span: call.span) ?? reference.flowIndex
                added.append(read)
            }
            if everyCallNamed { named.insert(reference.span) }
        }
        facts.secretReferences += added
        return named
    }

    /// Takes out the reads ``nameParameterReads()`` named at every call.
    mutating func dropNamedParameterReads(_ spans: Set<ByteSpan>) {
        guard !spans.isEmpty else { return }
        facts.secretReferences.removeAll { $0.name == nil && spans.contains($0.span) }
    }

    /// What the function around a parameter read is, which says which calls give the parameter.
    private enum ParameterOwner {
        /// A module-level function: its calls by name.
        case function
        /// The `run` of a module-level class with bases (a `Task` subclass: calling an
        /// instance runs it): the calls that run the class's instances.
        case taskRun(PythonClass)
        /// Another method of a module-level class: its calls on `self` in the class.
        case method(classIndex: Int)
        /// A parameter of a module-level class's `__init__` that it keeps in an attribute
        /// (`self.secret_name = secret_name`), read as `self.secret_name`: the calls that
        /// make the class's instances.
        case initAttribute(PythonClass)

        /// Methods take `self` first, which names nothing.
        var takesSelf: Bool {
            if case .function = self { false } else { true }
        }

        var isTaskRun: Bool {
            if case .taskRun = self { true } else { false }
        }
    }

    /// The function whose parameter the name at `span` is, and that parameter's index, when
    /// the function's body does not bind the name again: a module-level function, or a method
    /// (not a static or class method) of a module-level class, whose `self` names nothing.
    private func parameterRead(at span: ByteSpan, _ lookups: inout ParameterLookups) -> ParameterRead? {
        let tokens = tokens(in: span)
        if tokens.count == 3 { return initAttributeRead(tokens, &lookups) }
        guard tokens.count == 1, let token = tokens.first, token.kind == .name, token.span == span else { return nil }
        let name = text(span)
        guard let function = lookups.innermostFunction(around: span, in: module), function.context.function == nil else { return nil }
        var owner = ParameterOwner.function
        if let classIndex = function.context.classIndex {
            guard classIndex < module.classes.count, case let type = module.classes[classIndex],
                type.context.function == nil, type.context.classIndex == nil,
                function.parameters.first?.kind == .normal, function.parameters.first?.name == "self"
            else { return nil }
            if function.name == "run" {
                guard hasBases(type) else { return nil }
                owner = .taskRun(type)
            } else {
                owner = .method(classIndex: classIndex)
            }
        }
        guard let parameter = function.parameters.indices.dropFirst(owner.takesSelf ? 1 : 0).first(where: {
                function.parameters[$0].name == name && function.parameters[$0].kind == .normal
            }),
            !rebinds(name, in: function.bodySpan, &lookups)
        else { return nil }
        return (function, parameter, owner)
    }

    /// `self.secret_name` in a method of a module-level class whose `__init__` assigns that
    /// attribute its parameter (`self.secret_name = secret_name`) and whose methods assign it
    /// nowhere else: that `__init__` and parameter. The assignment is read on the tokens,
    /// which the statement prefilter does not skip.
    private func initAttributeRead(_ read: ArraySlice<PythonToken>, _ lookups: inout ParameterLookups) -> ParameterRead? {
        let (base, dot, attribute) = (read[read.startIndex], read[read.startIndex + 1], read[read.startIndex + 2])
        guard base.kind == .name, bytes[base.span.range].elementsEqual("self".utf8), dot.kind == .op, bytes[dot.span.range].elementsEqual(".".utf8),
            attribute.kind == .name,
            let method = lookups.innermostFunction(around: base.span, in: module), method.context.function == nil,
            let classIndex = method.context.classIndex
        else { return nil }
        let key = AttributeKey(classIndex: classIndex, attribute: text(attribute.span))
        if let known = lookups.initAttributes[key] { return known }
        let found = initAttributeRead(key, attribute: attribute, &lookups)
        lookups.initAttributes[key] = found
        return found
    }

    /// The `__init__` parameter a module-level class keeps in attribute `key.attribute`, read
    /// once for each class and attribute however many methods read it.
    private func initAttributeRead(_ key: AttributeKey, attribute: PythonToken, _ lookups: inout ParameterLookups) -> ParameterRead? {
        let classIndex = key.classIndex
        guard classIndex < module.classes.count, case let type = module.classes[classIndex],
            type.context.function == nil, type.context.classIndex == nil,
            let initializer = lookups.initializers[classIndex].map({ module.functions[$0] }),
            initializer.parameters.first?.kind == .normal, initializer.parameters.first?.name == "self"
        else { return nil }
        // Every assignment of the attribute in the class: `self.<attribute>` before `=`, `+=`, …
        var assigned: [Int] = []
        let all = module.tokens
        let selfWord = Array("self".utf8)
        for i in self.tokens(in: type.bodySpan).indices where i + 3 < all.count && all[i].kind == .name && isText(i, selfWord) {
            guard isOp(i + 1, 0x2E), all[i + 2].kind == .name, bytes[all[i + 2].span.range].elementsEqual(bytes[attribute.span.range]),
                all[i + 3].kind == .op, bytes[all[i + 3].span.range].last == 0x3D, !bytes[all[i + 3].span.range].elementsEqual("==".utf8)
            else { continue }
            assigned.append(i)
        }
        // One plain `self.<attribute> = <parameter>` statement in `__init__`, its parameter not bound again there.
        guard assigned.count == 1, let at = assigned.first, initializer.bodySpan.contains(all[at].span), isOp(at + 3, 0x3D),
            startsStatement(at),
            at + 5 < all.count, all[at + 4].kind == .name, [.newline, .comment].contains(all[at + 5].kind)
        else { return nil }
        let name = text(all[at + 4].span)
        guard let parameter = initializer.parameters.indices.dropFirst().first(where: {
                initializer.parameters[$0].name == name && initializer.parameters[$0].kind == .normal
            }),
            !rebinds(name, in: initializer.bodySpan, &lookups)
        else { return nil }
        return (initializer, parameter, .initAttribute(type))
    }

    /// A read of a parameter: the function, the parameter's index, and what the function is.
    private typealias ParameterRead = (function: PythonFunction, parameter: Int, owner: ParameterOwner)

    /// A class and one of its attributes.
    private struct AttributeKey: Hashable {
        var classIndex: Int
        var attribute: String
    }

    /// What ``nameParameterReads()`` asks of the module for each read, found once: the
    /// function around a span, the calls of a name, whether a body binds a name again, a task
    /// class's instance runs, an attribute's `__init__` parameter. A module of thousands of
    /// functions, classes and reads stays linear.
    private struct ParameterLookups {
        /// How the module's function bodies nest.
        var functionBodies: NestedRanges
        /// The module's calls of a plain name (`get_secret`, `fetch.run`, `self.password`), in order.
        var callsByName: [String: [Int]] = [:]
        /// Each class's first `__init__`, by class index.
        var initializers: [Int: Int] = [:]
        var rebound: [RebindKey: Bool] = [:]
        var instanceRuns: [Int: (calls: [PythonCall], areAllUses: Bool)] = [:]
        var initAttributes: [AttributeKey: ParameterRead?] = [:]

        struct RebindKey: Hashable {
            var name: String
            var body: ByteSpan
        }

        init(_ module: PythonModule) {
            functionBodies = NestedRanges(module.functions.map(\.bodySpan.range))
            for (index, call) in module.calls.enumerated() {
                guard case .name(let callee) = call.callee, callee.resolved == nil else { continue }
                callsByName[callee.text, default: []].append(index)
            }
            for (index, function) in module.functions.enumerated().reversed() where function.name == "__init__" && function.context.function == nil {
                if let classIndex = function.context.classIndex { initializers[classIndex] = index }
            }
        }

        /// The innermost function whose body holds `span`.
        func innermostFunction(around span: ByteSpan, in module: PythonModule) -> PythonFunction? {
            functionBodies.around(span.range).first.map { module.functions[$0] }
        }

        /// The module's calls of any of `names`, in source order.
        func calls(of names: String..., in module: PythonModule) -> [PythonCall] {
            names.flatMap { callsByName[$0] ?? [] }.sorted().map { module.calls[$0] }
        }
    }

    /// ``rebinds(_:in:)``, asked once for each name and body.
    private func rebinds(_ name: String, in body: ByteSpan, _ lookups: inout ParameterLookups) -> Bool {
        let key = ParameterLookups.RebindKey(name: name, body: body)
        if let known = lookups.rebound[key] { return known }
        let found = rebinds(name, in: body)
        lookups.rebound[key] = found
        return found
    }

    /// Whether a class names a base (`class Fetch(Task):`), read on the header's tokens: the
    /// statement prefilter steps over headers that name nothing it looks for, bases and all.
    private func hasBases(_ type: PythonClass) -> Bool {
        let header = tokens(in: ByteSpan(type.nameSpan.end, max(type.nameSpan.end, type.bodySpan.start)))
        return header.count >= 2 && header.first?.kind == .op && bytes[header[header.startIndex].span.range].elementsEqual("(".utf8)
            && header[header.startIndex + 1].kind == .name
    }

    /// The module's calls that run a task class's instances: `FetchSecret()("DB_DSN")`,
    /// `FetchSecret().run(…)`, and on a variable the module binds to an instance (`fetch =
    /// FetchSecret()`, and no other value) `fetch(…)`, `fetch.run(…)`, `fetch.bind(…)`.
    /// `areAllUses` is false when such a variable is also mapped (`fetch.map([…])`), whose
    /// names come from a list.
    private func instanceCalls(of taskClass: PythonClass) -> (calls: [PythonCall], areAllUses: Bool) {
        func makesInstance(_ expression: PythonExpression?) -> Bool {
            guard case .call(let call)? = expression, case .name(let callee) = call.callee else { return false }
            return callee.resolved == nil && callee.text == taskClass.name
        }
        var variables: Set<String> = []
        var otherValues: Set<String> = []
        for assignment in module.assignments where assignment.op == "=" {
            for case .name(let target) in assignment.targets where !target.isDotted {
                if makesInstance(assignment.value) { variables.insert(target.text) } else { otherValues.insert(target.text) }
            }
        }
        variables.subtract(otherValues)
        var calls: [PythonCall] = []
        var areAllUses = true
        for call in module.calls {
            switch call.callee {
            case .call(let inner) where makesInstance(.call(inner)):
                calls.append(call)
            case .attribute(.call(let inner), "run", _) where makesInstance(.call(inner)):
                calls.append(call)
            case .name(let callee) where callee.resolved == nil:
                let parts = callee.text.split(separator: ".", maxSplits: 1)
                guard let variable = parts.first, variables.contains(String(variable)) else { continue }
                if parts.count == 1 || parts[1] == "run" || parts[1] == "bind" {
                    calls.append(call)
                } else if parts[1] == "map" {
                    areAllUses = false
                }
            default: continue
            }
        }
        return (calls, areAllUses)
    }

    /// Whether the tokens of `body` bind `name` (`name = …`, `name += …`, `for name in`, `as
    /// name`, `global name`): then which name a read of it gets is not the argument's alone.
    /// Read on the tokens, which the statement prefilter does not skip.
    func rebinds(_ name: String, in body: ByteSpan) -> Bool {
        let tokens = tokens(in: body)
        let word = Array(name.utf8)
        // Inside brackets `name=` is a keyword argument (`Secret(name=name)`).
        var depth = 0
        for k in tokens.indices {
            if tokens[k].kind == .op, let first = bytes[tokens[k].span.range].first {
                switch first {
                case 0x28, 0x5B, 0x7B: depth += 1  // ( [ {
                case 0x29, 0x5D, 0x7D: depth -= 1
                default: break
                }
            }
            // An attribute of that name (`self.name = …`) is not the variable.
            guard tokens[k].kind == .name, bytes[tokens[k].span.range].elementsEqual(word),
                !(k > tokens.startIndex && tokens[k - 1].kind == .op && bytes[tokens[k - 1].span.range].elementsEqual(".".utf8))
            else { continue }
            if k + 1 < tokens.endIndex, tokens[k + 1].kind == .op, depth == 0 || bytes[tokens[k + 1].span.range].elementsEqual(":=".utf8) {
                // `=`, `+=`, `:=`, … but not `==`, `<=`, `>=`, `!=`.
                if assignmentOperator(at: k + 1) != nil { return true }
                // `name, other = …`: a target list (or a tuple, which the check may take for one).
                if bytes[tokens[k + 1].span.range].elementsEqual(",".utf8) { return true }
            }
            if k > tokens.startIndex, tokens[k - 1].kind == .name {
                let before = String(decoding: bytes[tokens[k - 1].span.range], as: UTF8.self)
                if ["for", "as", "global", "nonlocal", "import"].contains(before) { return true }
            }
        }
        return false
    }

    /// What a call gives a parameter.
    enum Argument {
        case given(PythonExpression)
        case absent
        /// Through `*args`/`**kwargs`, or past them.
        case unknown
    }

    /// (``ImportedCall/argument(_:)`` is the same on the names a call's tokens give.)
    func argument(_ parameter: NameParameter, in call: PythonCall) -> Argument {
        if call.arguments.contains(where: { $0.kind == .star || $0.kind == .doubleStar }) { return .unknown }
        if let keyword = call.keyword(parameter.name) { return .given(keyword.value) }
        if let position = parameter.position, let positional = call.positional(position) { return .given(positional.value) }
        return .absent
    }
}

extension PythonFlowFactsBuilder {
    /// The calls of the names `imported` binds in this module before `end`
    /// (`get_secret("DB_DSN")`, `get_secret.run(name=KEY)`), with the names their arguments
    /// give; and, for a name that may be a task class, the calls that run its instances
    /// (``ImportedCall/runsInstance``): `Fetch()("DB_DSN")`, `Fetch().run(…)`, and on a
    /// variable a statement `fetch = Fetch(…)` binds (and no other statement binds to anything
    /// else) `fetch(…)`, `fetch.run(…)`, `fetch.bind(…)`, and `fetch.map(…)` as a call whose
    /// names come from a list. Read on the tokens, which the statement prefilter does not skip.
    func importedCallArguments(of imported: [(name: ImportedName, boundName: String)], before end: Int) -> [ImportedCall] {
        let tokens = module.tokens
        // Tags are bytes: a module importing more names than that has its first ones read.
        var table = NameTable()
        for (index, binding) in imported.prefix(255).enumerated() { table.insert(Array(binding.boundName.utf8), tag: UInt8(index)) }
        var calls: [ImportedCall] = []
        var instances = NameTable()
        for k in tokens.indices where tokens[k].kind == .name && tokens[k].span.end <= end {
            let tag = bytes.withUnsafeBufferPointer { table.tag(of: UnsafeBufferPointer(rebasing: $0[tokens[k].span.range])) }
            guard let tag, !isOp(k - 1, 0x2E), let found = callAndInstanceRun(of: imported[Int(tag)].name, calleeFrom: k, to: k) else { continue }
            calls += found.calls
            if let variable = found.variable {
                bytes.withUnsafeBufferPointer { instances.insert(Array($0[tokens[variable].span.range]), tag: tag) }
            }
        }
        if !instances.isEmpty {
            calls += instanceRuns(of: instances, classes: imported.map { InstanceClass(name: $0.name, path: [$0.boundName]) }, before: end)
        }
        return Self.namingCalls(calls)
    }

    /// The call of `imported` whose callee runs from token `first` to `last`, then the run of
    /// the instance it makes where one follows (`Fetch()("X")`, `Fetch().run(…)`), and the
    /// variable a statement `v = Fetch(…)` binds it to.
    func callAndInstanceRun(of imported: ImportedName, calleeFrom first: Int, to last: Int) -> (calls: [ImportedCall], variable: Int?)? {
        guard let (call, close) = importedCallEnding(of: imported, calleeFrom: first, to: last) else { return nil }
        var calls = [call]
        if let open = runOpening(after: close), var run = arguments(of: imported, calleeFrom: first, open: open)?.call {
            run.runsInstance = true
            calls.append(run)
        }
        return (calls, instanceVariable(assignedAt: first))
    }

    /// A class imported from another module as its instances are made: its name, and how the
    /// module writes it (`["Fetch"]`, `["lt", "Fetch"]` after `from lib import tasks as lt`).
    struct InstanceClass {
        var name: ImportedName
        var path: [String]
    }

    /// The variable a statement `v = C(…)` assigns, for the callee starting at token `k`.
    private func instanceVariable(assignedAt k: Int) -> Int? {
        guard isOp(k - 1, 0x3D), k >= 2, module.tokens[k - 2].kind == .name, startsStatement(k - 2) else { return nil }
        return k - 2
    }

    /// The calls that run the instances the variables of `instances` hold (tagged with the
    /// index of their class in `classes`); none for a variable a statement binds to something else.
    func instanceRuns(of instances: NameTable, classes: [InstanceClass], before end: Int) -> [ImportedCall] {
        let tokens = module.tokens
        var calls: [(variable: String, call: ImportedCall)] = []
        var reboundVariables: Set<String> = []
        for k in tokens.indices where tokens[k].kind == .name && tokens[k].span.end <= end && !isOp(k - 1, 0x2E) {
            let tag = bytes.withUnsafeBufferPointer { instances.tag(of: UnsafeBufferPointer(rebasing: $0[tokens[k].span.range])) }
            guard let tag else { continue }
            let type = classes[Int(tag)]
            let variable = text(tokens[k].span)
            if isOp(k + 1, 0x3D), startsStatement(k) {
                if !callsPath(type.path, from: k + 2) { reboundVariables.insert(variable) }
                continue
            }
            var open: Int?
            var mapped = false
            if isOp(k + 1, 0x28) {
                open = k + 1
            } else if isOp(k + 1, 0x2E), k + 3 < tokens.count, tokens[k + 2].kind == .name, isOp(k + 3, 0x28) {
                let method = bytes[tokens[k + 2].span.range]
                if method.elementsEqual("run".utf8) || method.elementsEqual("bind".utf8) {
                    open = k + 3
                } else if method.elementsEqual("map".utf8) {
                    open = k + 3
                    mapped = true
                }
            }
            guard let open, var call = arguments(of: type.name, calleeFrom: k, open: open)?.call else { continue }
            call.runsInstance = true
            if mapped { call.spreads = true }
            calls.append((variable, call))
        }
        return calls.filter { !reboundVariables.contains($0.variable) }.map(\.call)
    }

    /// Whether the tokens from `first` are `path`'s names joined by dots, then `(`.
    private func callsPath(_ path: [String], from first: Int) -> Bool {
        let tokens = module.tokens
        var k = first
        for (index, part) in path.enumerated() {
            guard k < tokens.count, tokens[k].kind == .name, bytes[tokens[k].span.range].elementsEqual(part.utf8) else { return false }
            if index < path.count - 1 {
                guard isOp(k + 1, 0x2E) else { return false }
                k += 2
            }
        }
        return isOp(k + 1, 0x28)
    }

    /// Where the arguments of a run of the instance a call makes open: `(` right after the
    /// call's `)` at `close`, or `.run(`.
    private func runOpening(after close: Int) -> Int? {
        if isOp(close + 1, 0x28) { return close + 1 }
        let tokens = module.tokens
        guard isOp(close + 1, 0x2E), close + 3 < tokens.count, tokens[close + 2].kind == .name,
            bytes[tokens[close + 2].span.range].elementsEqual("run".utf8), isOp(close + 3, 0x28)
        else { return nil }
        return close + 3
    }

    /// Whether token `k` starts a statement: nothing but layout and comments before it on its line.
    func startsStatement(_ k: Int) -> Bool {
        let tokens = module.tokens
        guard k > 0 else { return true }
        return [.newline, .indent, .dedent, .nl, .comment].contains(tokens[k - 1].kind)
    }

    /// Whether token `k` ends a statement: a newline, a comment, `;` or the end.
    func endsStatement(at k: Int) -> Bool {
        let tokens = module.tokens
        return k >= tokens.count || [.newline, .comment, .endMarker].contains(tokens[k].kind) || isOp(k, 0x3B)
    }

    /// The calls of the names some call of which may give a secret name (``ImportedCall/mayName``):
    /// the others, most calls of imported libraries (`pd.read_csv(path)`), name nothing.
    static func namingCalls(_ calls: [ImportedCall]) -> [ImportedCall] {
        let naming = Set(calls.filter(\.mayName).map { "\($0.imported.level) \($0.imported.module) \($0.imported.name)" })
        return calls.filter { naming.contains("\($0.imported.level) \($0.imported.module) \($0.imported.name)") }
    }

    /// The call of `imported` whose callee's tokens run from `first` to `last` (`get_secret`,
    /// `secrets.get_secret`), when a `(` (or `.run(`) follows, with the names its arguments
    /// give and the index of its closing `)`; nil for a use that is no call, or a call left
    /// open (the end of a broken file).
    private func importedCallEnding(of imported: ImportedName, calleeFrom first: Int, to last: Int) -> (call: ImportedCall, close: Int)? {
        let tokens = module.tokens
        var open = last + 1
        if isOp(open, 0x2E), open + 1 < tokens.count, tokens[open + 1].kind == .name, bytes[tokens[open + 1].span.range].elementsEqual("run".utf8) {
            open += 2
        }
        guard isOp(open, 0x28) else { return nil }
        return arguments(of: imported, calleeFrom: first, open: open)
    }

    /// The call of `imported` from token `first` whose arguments open at the `(` at `open`,
    /// with the names they give and the index of its closing `)`.
    private func arguments(of imported: ImportedName, calleeFrom first: Int, open: Int) -> (call: ImportedCall, close: Int)? {
        let tokens = module.tokens
        var call = ImportedCall(imported: imported, span: tokens[first].span, positional: [], keywords: [], spreads: false)
        var argument: [PythonToken] = []
        func finish() {
            defer { argument = [] }
            guard let head = argument.first else { return }
            if head.kind == .op, bytes[head.span.range].first == 0x2A {  // * or **
                call.spreads = true
            } else if argument.count >= 2, head.kind == .name, argument[1].kind == .op, bytes[argument[1].span.range].elementsEqual("=".utf8) {
                call.keywords.append(ImportedCall.Keyword(keyword: text(head.span), name: secretNameText(argument.dropFirst(2))))
            } else {
                call.positional.append(secretNameText(argument[...]))
            }
        }
        var depth = 1
        for index in (open + 1)..<tokens.count {
            let token = tokens[index]
            if token.kind == .op, let byte = bytes[token.span.range].first {
                switch byte {
                case 0x28, 0x5B, 0x7B: depth += 1  // ( [ {
                case 0x29, 0x5D, 0x7D: depth -= 1
                default: break
                }
                if depth == 0 {
                    call.span = ByteSpan(tokens[first].span.start, token.span.end)
                    finish()
                    return (call, index)
                }
                if depth == 1, byte == 0x2C, token.span.length == 1 {  // ,
                    finish()
                    continue
                }
            }
            if ![.nl, .comment, .newline, .indent, .dedent].contains(token.kind) { argument.append(token) }
        }
        return nil
    }

    /// The secret name an argument's tokens give: one plain string literal, or a module string
    /// constant; nil for anything else.
    private func secretNameText(_ argument: ArraySlice<PythonToken>) -> String? {
        guard argument.count == 1, let token = argument.first else { return nil }
        switch token.kind {
        case .string:
            guard let decoded = PythonStringDecoder.decode(token, in: bytes), !decoded.isBytes else { return nil }
            return decoded.text
        case .name:
            return moduleConstant(text(token.span))
        default:
            return nil
        }
    }
}
