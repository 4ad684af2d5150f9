import PythonSource
import Spans

/// Secrets that cross modules: a task library or helper module references them inside its
/// functions and classes, a flow module imports those (`from flow_utilities.db import
/// get_connection_string`). The model joins the two (``ProjectModel``).
extension PythonFlowFactsBuilder {
    /// The module-level functions and classes whose bodies reference secrets, and the tasks
    /// that call imported functions (which the model follows into their modules). A function
    /// that calls one of this module that references secrets itself (`load()` calling
    /// `connection_string()`, above or below it) references them too; one level only: the
    /// prefilter parses the calls of functions with a fact inside, not of the functions that
    /// call those.
    mutating func collectSecretUsingDefinitions() {
        // Functions imported from other project modules, which may read secrets of their own.
        var importedFunctions: [String: ImportedName] = [:]
        for imported in module.imports where imported.context == PythonContext() {
            guard let name = imported.name, name != "*", !imported.boundName.isEmpty, !Self.isPrefectModule(imported.module)
            else { continue }
            importedFunctions[imported.boundName] = ImportedName(module: imported.module, level: imported.level, name: name, span: imported.span)
        }
        // Modules imported from the project, whose functions a body calls by attribute
        // (`creds.get_password()` after `from lib import creds`).
        var importedModules: [String: (module: String, level: Int, path: [String])] = [:]
        for imported in module.imports where imported.context == PythonContext() && !imported.boundName.isEmpty {
            if let denoted = Self.moduleDenoted(by: imported) { importedModules[imported.boundName] = denoted }
        }
        // Only a task's calls are followed (a `@task` function, a class's `run` or `__init__`):
        // what a flow imports and runs; following every function would cost each parsed file.
        // (Built only where a function is imported: without one, no call is followed.)
        let followsImports = !importedFunctions.isEmpty || !importedModules.isEmpty
        let tasks =
            !followsImports
            ? [] : Set(module.functions.filter { $0.context == PythonContext() && $0.decorators.contains { isTaskDecorator($0) } }.map(\.span))
        // A class with a `run` or `__init__` method may be a task class only in a module that imports Prefect.
        let hasTaskClasses = importsPrefect
            && module.functions.contains { $0.context.function == nil && $0.context.classIndex != nil && ($0.name == "run" || $0.name == "__init__") }
        let hasReferences = !facts.secretReferences.isEmpty
        guard hasReferences || (followsImports && (!tasks.isEmpty || hasTaskClasses)) else { return }
        // Module-level definitions, by span: a nested def or a method counts for the outermost.
        var definitions: [(name: String, span: ByteSpan, isFunction: Bool)] = []
        for function in module.functions where function.context.function == nil && function.context.classIndex == nil {
            definitions.append((function.name, function.span, true))
        }
        // A class counts by what runs when it is used: `__init__` when it is made, a `Task`
        // subclass's `run`, a `@resource_manager` class's `setup` and `cleanup` (each a task of
        // the flow that uses it); its other methods may be variants the flow never calls.
        for method in module.functions where method.context.function == nil {
            guard let index = method.context.classIndex, index < module.classes.count,
                module.classes[index].context.function == nil, module.classes[index].context.classIndex == nil,
                method.name == "run" || method.name == "__init__"
                    || ((method.name == "setup" || method.name == "cleanup") && module.classes[index].decorators.contains { isPrefectDecorator($0, "resource_manager") })
            else { continue }
            definitions.append((module.classes[index].name, method.span, false))
        }
        // A secret task made at module level (`slack_webhook = PrefectSecret("SLACK_WEBHOOK")`)
        // is the flow's that imports and uses it.
        for assignment in module.assignments where hasReferences && assignment.context == PythonContext() && assignment.targets.count == 1 {
            guard case .name(let target) = assignment.targets[0], !target.isDotted, let value = assignment.value else { continue }
            definitions.append((target.text, value.span, false))
        }
        guard !definitions.isEmpty else { return }
        // Module-level definitions do not overlap: the one around a span is the last that
        // starts at or before it, found by bisection so that thousands of them stay cheap.
        let order = definitions.indices.sorted { definitions[$0].span.start < definitions[$1].span.start }
        func definition(containing span: ByteSpan) -> Int? {
            var low = 0
            var high = order.count
            while low < high {
                let mid = (low + high) / 2
                if definitions[order[mid]].span.start <= span.start { low = mid + 1 } else { high = mid }
            }
            guard low > 0, definitions[order[low - 1]].span.contains(span) else { return nil }
            return order[low - 1]
        }
        var own: [[SecretReference]] = Array(repeating: [], count: definitions.count)
        for reference in facts.secretReferences where !reference.readAtBuildTime {
            if let index = definition(containing: reference.span) { own[index].append(reference) }
        }
        // Without imported functions only the definitions that read secrets themselves, or
        // call one that does, are listed: none when no reference is inside one.
        if !followsImports, own.allSatisfy(\.isEmpty) { return }
        var references = own
        var functionNamed: [String: Int] = [:]
        for index in definitions.indices.reversed() where definitions[index].isFunction { functionNamed[definitions[index].name] = index }
        // A task class's `run` calls its other methods (`self.save(…)`): their reads are its.
        let referencingMethods = hasReferences
            ? module.functions.filter { method in
                method.context.classIndex != nil && method.name != "run" && facts.secretReferences.contains { !$0.readAtBuildTime && method.span.contains($0.span) }
            } : []
        for method in module.functions where !referencingMethods.isEmpty && method.name == "run" && method.context.function == nil {
            guard let classIndex = method.context.classIndex, let index = definitions.firstIndex(where: { !$0.isFunction && $0.span == method.span }) else { continue }
            var added: Set<String> = []
            for call in module.calls where method.span.contains(call.span) {
                guard case .name(let callee) = call.callee, callee.text.hasPrefix("self."), case let name = callee.lastComponent, callee.text == "self." + name,
                    added.insert(name).inserted,
                    let other = referencingMethods.first(where: { $0.name == name && $0.context.classIndex == classIndex && $0.context.function == nil })
                else { continue }
                references[index] += facts.secretReferences.filter { !$0.readAtBuildTime && other.span.contains($0.span) }
            }
        }
        var called: [Set<Int>] = Array(repeating: [], count: definitions.count)
        for call in module.calls where hasReferences {
            guard case .name(let n) = call.callee, n.resolved == nil, !n.isDotted, let caller = definition(containing: call.span),
                let callee = functionNamed[n.text],
                callee != caller, !own[callee].isEmpty, called[caller].insert(callee).inserted
            else { continue }
            // Less the reads the callee's parameters name: the caller's call names those (or
            // gives a name the tool cannot read), at the call.
            references[caller] += own[callee].filter { $0.nameParameter == nil }
        }
        let calls = importedCalls(
            of: importedFunctions, modules: importedModules, in: definitions.map { $0.isFunction && !tasks.contains($0.span) ? nil : $0.span })
        // With their arguments, for definitions that call imported functions.
        var callArguments: [[ImportedCall]] = Array(repeating: [], count: definitions.count)
        if calls.contains(where: { !$0.isEmpty }) {
            for call in importedCallArguments(of: importedFunctions.map { ($0.value, $0.key) }, before: bytes.count) {
                if let owner = definition(containing: call.span), !calls[owner].isEmpty { callArguments[owner].append(call) }
            }
        }
        for (index, definition) in definitions.enumerated() where !references[index].isEmpty || !calls[index].isEmpty {
            python.secretUsingDefinitions.append(
                SecretUsingDefinition(name: definition.name, references: references[index], calls: calls[index], callArguments: callArguments[index]))
        }
        // A module without flows reads at import what its top level reads, itself or through
        // its functions it calls there (flow-run guards included: a flow run that loads a
        // flow importing the module has them): every flow whose module imports it needs them.
        guard facts.flows.isEmpty, hasReferences else { return }
        let mainBlocks = mainGuardBlocks()
        // Outside function bodies (module-level assignments and class bodies run at import).
        let functionSpans = NestedRanges(module.functions.map(\.span.range))
        func atTopLevel(_ span: ByteSpan) -> Bool {
            !mainBlocks.contains { $0.contains(span.start) } && functionSpans.around(span.range).isEmpty
        }
        var load = facts.secretReferences.filter { reference in
            (reference.kind == .secretGet || reference.kind == .contextRead) && atTopLevel(reference.span)
        }
        var calledHere: Set<Int> = []
        for call in module.calls {
            guard case .name(let n) = call.callee, n.resolved == nil, !n.isDotted, let callee = functionNamed[n.text], !own[callee].isEmpty,
                !calledHere.contains(callee), atTopLevel(call.span)
            else { continue }
            calledHere.insert(callee)
            load += own[callee].filter { ($0.kind == .secretGet || $0.kind == .contextRead) && $0.nameParameter == nil }
        }
        if !load.isEmpty { python.secretUsingDefinitions.append(SecretUsingDefinition(name: Self.moduleLoadDefinition, references: load)) }
    }

    /// The name of the pseudo-definition that holds what a module reads when it is imported
    /// (``collectSecretUsingDefinitions()``): no Python name is empty.
    static let moduleLoadDefinition = ""

    /// For each of `definitions` (spans; nil for one not looked at), the functions of
    /// `imported` its body calls (a bare name before `(`), and those of `modules` it calls by
    /// attribute (`creds.get_password(`), each once, at its first call. Read from the tokens,
    /// the parse stepping over such calls; names are compared as bytes.
    func importedCalls(
        of imported: [String: ImportedName], modules: [String: (module: String, level: Int, path: [String])] = [:], in definitions: [ByteSpan?]
    ) -> [[ImportedName]] {
        var calls: [[ImportedName]] = Array(repeating: [], count: definitions.count)
        guard !imported.isEmpty || !modules.isEmpty, definitions.contains(where: { $0 != nil }) else { return calls }
        var table = NameTable()
        for name in imported.keys { table.insert(Array(name.utf8), tag: 1) }
        for name in modules.keys { table.insert(Array(name.utf8), tag: 1) }
        let tokens = module.tokens
        for (owner, definition) in definitions.enumerated() {
            guard let definition else { continue }
            var seen: Set<String> = []
            bytes.withUnsafeBufferPointer { buffer in
                for i in self.tokens(in: definition).indices where tokens[i].kind == .name && tokens[i].span.end <= buffer.count {
                    let span = tokens[i].span
                    guard table.tag(of: UnsafeBufferPointer(rebasing: buffer[span.range])) != nil, !isOp(i - 1, 0x2E) else { continue }
                    let name = text(span)
                    if isOp(i + 1, 0x28) {
                        guard var call = imported[name], seen.insert(name).inserted else { continue }
                        call.span = span
                        calls[owner].append(call)
                        continue
                    }
                    // `creds.get_password(`, `lib.creds.get_password(`.
                    guard let bound = modules[name], let attribute = attributeToken(after: i, path: bound.path), isOp(attribute + 1, 0x28) else { continue }
                    let function = text(tokens[attribute].span)
                    guard seen.insert(name + "." + function).inserted else { continue }
                    calls[owner].append(ImportedName(module: bound.module, level: bound.level, name: function, span: tokens[attribute].span))
                }
            }
        }
        return calls
    }

    /// In a module with flows, the names it imports from modules other than Prefect's and
    /// uses outside the import, with the flows that use them when there are several
    /// (``flowsRunning(at:)`` of each use), and the calls of those names: the model looks
    /// them up among the project's secret-using definitions.
    mutating func collectImportedNames() {
        guard !facts.flows.isEmpty else { return }
        let severalFlows = facts.flows.count > 1
        var usersOf: [String: [Int]] = [:]
        // A script's `if __name__ == "__main__":` block runs when the file is run, not when a
        // flow run loads it: a name used only there is no need of the flow's runs.
        // (Unless the flow itself is built there.)
        let mainBlock = mainGuardBlocks().first.flatMap { $0.lowerBound > (facts.flows.first?.span.start ?? 0) ? $0.lowerBound : nil } ?? bytes.count
        var bindings: [(name: ImportedName, boundName: String)] = []
        for imported in module.imports {
            guard let name = imported.name, name != "*", !Self.isPrefectModule(imported.module) else { continue }
            // Imports the module makes whenever it runs (at its top level) or its tasks make
            // when they run; not those under `if TYPE_CHECKING:`, `try:`, or in other functions
            // (`def register(): from lib.deploy import push`).
            let start = imported.statementSpan.start
            let atTopLevel = imported.context == PythonContext() && (start == 0 || (start <= bytes.count && bytes[start - 1] == 0x0A))
            let inTask = [.taskFunction, .taskRunMethod].contains(place(imported.context).0)
            guard atTopLevel || inTask else { continue }
            guard Self.isUsed(imported.boundName, outside: imported.statementSpan, before: mainBlock, in: bytes) else { continue }
            var users: [Int]?
            if severalFlows {
                users = flowsUsing(imported.boundName, outside: imported.statementSpan, before: mainBlock, usersOf: &usersOf)
                guard users?.isEmpty == false else { continue }
            }
            // The imported name without its alias (`get_conn as conn`).
            let span = ByteSpan(imported.span.start, min(imported.span.end, imported.span.start + name.utf8.count))
            let importedName = ImportedName(module: imported.module, level: imported.level, name: name, span: span)
            python.importedNames.append(ImportedNameUse(name: importedName, flows: users))
            bindings.append((importedName, imported.boundName))
        }
        if !bindings.isEmpty { python.importedCalls = importedCallArguments(of: bindings, before: mainBlock) }
        collectModuleAttributeUses(before: mainBlock, severalFlows: severalFlows, usersOf: &usersOf)
        python.importedCalls = Self.namingCalls(python.importedCalls)
        if severalFlows {
            for k in python.importedCalls.indices { python.importedCalls[k].flows = flowsRunning(at: python.importedCalls[k].span, usersOf: &usersOf) }
        }
    }

    /// The flows that run the uses of `name` (not as an attribute) outside `statement` and before `end`.
    private func flowsUsing(_ name: String, outside statement: ByteSpan, before end: Int, usersOf: inout [String: [Int]]) -> [Int] {
        let word = Array(name.utf8)
        var users: Set<Int> = []
        for k in module.tokens.indices where module.tokens[k].kind == .name && module.tokens[k].span.end <= end {
            let span = module.tokens[k].span
            guard !statement.contains(span), isText(k, word), !isOp(k - 1, 0x2E) else { continue }
            users.formUnion(flowsRunning(at: span, usersOf: &usersOf))
        }
        return users.sorted()
    }

    /// Names used on an imported module (`ct.load(…)` after `import common.tasks as ct`,
    /// `tasks.load` after `from common import tasks`, `common.tasks.load` after `import
    /// common.tasks`): each is imported from that module, at its first use; its calls are
    /// ``PythonFacts/importedCalls``.
    mutating func collectModuleAttributeUses(before end: Int, severalFlows: Bool, usersOf: inout [String: [Int]]) {
        // Each bound name with the module it denotes and the dotted path written after it
        // (`tasks` for `import common.tasks`, used as `common.tasks.load`).
        var modules: [String: (module: String, level: Int, path: [String])] = [:]
        for imported in module.imports where imported.context == PythonContext() && !imported.boundName.isEmpty {
            if let denoted = Self.moduleDenoted(by: imported) { modules[imported.boundName] = denoted }
        }
        guard !modules.isEmpty else { return }
        // Names are compared as bytes first: most name tokens are none of the bound names.
        var table = NameTable()
        for name in modules.keys { table.insert(Array(name.utf8), tag: 1) }
        let tokens = module.tokens
        // Each name imported so far, by its index in ``PythonFacts/importedNames``.
        var seen: [String: Int] = [:]
        for (index, use) in python.importedNames.enumerated() { seen["\(use.name.level) \(use.name.module) \(use.name.name)"] = index }
        // Variables bound to instances of classes used on a module, tagged with their index.
        var instances = NameTable()
        var instanceClasses: [InstanceClass] = []
        for i in tokens.indices where tokens[i].kind == .name && tokens[i].span.end <= end {
            let isBound = bytes.withUnsafeBufferPointer { table.tag(of: UnsafeBufferPointer(rebasing: $0[tokens[i].span.range])) != nil }
            guard isBound, !isOp(i - 1, 0x2E), let bound = modules[text(tokens[i].span)], let attribute = attributeToken(after: i, path: bound.path) else { continue }
            let name = text(tokens[attribute].span)
            let imported = ImportedName(module: bound.module, level: bound.level, name: name, span: tokens[attribute].span)
            // Each call, with the names it gives (`secrets.get_secret("DB_DSN")`), and for a
            // task class the runs of its instances (`lt.Fetch()("DB_DSN")`, `fetch("DB_DSN")`
            // on `fetch = lt.Fetch()`).
            if let found = callAndInstanceRun(of: imported, calleeFrom: i, to: attribute) {
                python.importedCalls += found.calls
                if let variable = found.variable, instanceClasses.count < 256 {
                    bytes.withUnsafeBufferPointer { instances.insert(Array($0[tokens[variable].span.range]), tag: UInt8(instanceClasses.count)) }
                    instanceClasses.append(InstanceClass(name: imported, path: [text(tokens[i].span)] + bound.path + [name]))
                }
            }
            let users = severalFlows ? flowsRunning(at: tokens[i].span, usersOf: &usersOf) : nil
            let key = "\(bound.level) \(bound.module) \(name)"
            if let index = seen[key] {
                if let users, let known = python.importedNames[index].flows {
                    python.importedNames[index].flows = Array(Set(known).union(users)).sorted()
                }
                continue
            }
            guard users?.isEmpty != true else { continue }
            seen[key] = python.importedNames.count
            python.importedNames.append(ImportedNameUse(name: imported, flows: users))
        }
        if !instances.isEmpty { python.importedCalls += instanceRuns(of: instances, classes: instanceClasses, before: end) }
    }

    /// The project module a bound name denotes when used as one (`ct` after `import common.tasks
    /// as ct`, `tasks` after `from common import tasks`, `common` after `import common.tasks`),
    /// with the dotted path written after the name to reach it (`tasks` in the last case); nil
    /// for Prefect's modules and star imports.
    static func moduleDenoted(by imported: PythonImport) -> (module: String, level: Int, path: [String])? {
        guard !Self.isPrefectModule(imported.module), imported.level > 0 || !imported.module.isEmpty else { return nil }
        if let name = imported.name {
            guard name != "*" else { return nil }
            return (imported.module.isEmpty ? name : imported.module + "." + name, imported.level, [])
        }
        if imported.alias != nil { return (imported.module, 0, []) }
        return (imported.module, 0, imported.module.split(separator: ".").dropFirst().map(String.init))
    }

    /// The token of the name used on a module bound at token `i`: past the module's written
    /// `path` (`lib.creds` of `import lib.creds`), the name after the next `.`.
    func attributeToken(after i: Int, path: [String]) -> Int? {
        let tokens = module.tokens
        var k = i
        for part in path {
            guard isOp(k + 1, 0x2E), k + 2 < tokens.count, text(tokens[k + 2].span) == part else { return nil }
            k += 2
        }
        guard isOp(k + 1, 0x2E), k + 2 < tokens.count, tokens[k + 2].kind == .name else { return nil }
        return k + 2
    }


    /// Whether `name` stands as a whole identifier somewhere before `end` outside `statement`:
    /// not an attribute (`sqlite3.connect` for an imported `connect`), not in a comment, not at
    /// one of the offsets `ignoring`.
    static func isUsed(_ name: String, outside statement: ByteSpan, before end: Int, in bytes: [UInt8], ignoring: Set<Int> = []) -> Bool {
        let needle = Array(name.utf8)
        guard !needle.isEmpty else { return false }
        func isIdentifierByte(_ byte: UInt8) -> Bool { byte == 0x5F || byte >= 0x80 || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39) }
        func isAttributeOrComment(_ offset: Int) -> Bool {
            var k = offset - 1
            while k >= 0, bytes[k] == 0x20 || bytes[k] == 0x09 { k -= 1 }
            if k >= 0, bytes[k] == 0x2E { return true }
            // A `#` before it on its line, outside quotes (`"#x" + name` is code).
            var lineStart = offset
            while lineStart > 0, bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
            var quote: UInt8?
            var i = lineStart
            while i < offset {
                let byte = bytes[i]
                if let open = quote {
                    if byte == 0x5C { i += 1 } else if byte == open { quote = nil }
                } else if byte == 0x22 || byte == 0x27 {
                    quote = byte
                } else if byte == 0x23 {
                    return true
                }
                i += 1
            }
            return false
        }
        var from = 0
        while from < end, let found = ByteSearch.firstIndex(of: needle, in: bytes, range: from..<min(end, bytes.count)) {
            let after = found + needle.count
            let whole = (found == 0 || !isIdentifierByte(bytes[found - 1])) && (after >= bytes.count || !isIdentifierByte(bytes[after]))
            if whole, !statement.contains(ByteSpan(found, after)), !ignoring.contains(found), !isAttributeOrComment(found) { return true }
            from = found + 1
        }
        return false
    }
}

extension PythonFlowFactsBuilder {
    /// The module and name that a secret name written as a (dotted) name at `span` denotes
    /// through the last import before it that binds its first part: `DB_SECRET` after `from
    /// settings import DB_SECRET`, `cfg.DB_SECRET` after `import settings as cfg`, both
    /// `settings`'s `DB_SECRET`. Nil for any other expression, and for a name no import binds.
    func importedName(at span: ByteSpan) -> ImportedName? {
        // Names with dots between them, and nothing else.
        let tokens = tokens(in: span)
        guard tokens.count % 2 == 1 else { return nil }
        var parts: [String] = []
        for (k, token) in tokens.enumerated() {
            guard token.kind == (k.isMultiple(of: 2) ? .name : .op), token.span.end <= span.end else { return nil }
            if k.isMultiple(of: 2) {
                parts.append(text(token.span))
            } else if !bytes[token.span.range].elementsEqual(".".utf8) {
                return nil
            }
        }
        guard let first = parts.first,
            let binding = module.imports.last(where: { $0.boundName == first && $0.statementSpan.end <= span.start }),
            binding.name != "*", binding.name != nil || parts.count > 1
        else { return nil }
        // What the first part denotes (`settings.DB_SECRET`, `..settings` for a relative
        // import), then the rest of the dotted name.
        let target = ([binding.target] + parts.dropFirst()).joined(separator: ".")
        let level = target.utf8.prefix { $0 == 0x2E }.count
        let dotted = target.utf8.dropFirst(level)
        guard let lastDot = dotted.lastIndex(of: 0x2E) else {
            // `from . import DB_SECRET`: the package's own module.
            return level > 0 ? ImportedName(module: "", level: level, name: String(Substring(dotted)), span: binding.span) : nil
        }
        return ImportedName(
            module: String(Substring(dotted[..<lastDot])), level: level, name: String(Substring(dotted[dotted.index(after: lastDot)...])),
            span: binding.span)
    }
}
