#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PythonSource
import Spans

extension PythonFactsPrefilter {
    /// Where facts can start in a file that does get the shallow parse, so that the parser can
    /// step over the statements, headers, decorators and function bodies that hold none
    /// (``PythonModule/parse(tokens:of:needed:)``). In a file that imports Prefect, most code
    /// is ordinary: only what names a Prefect component or an alias of one, a secret key with
    /// a literal value, `os.environ`, the Cloud secret API, a flow's storage or run config,
    /// `x.register(…)`, `x.add_task(…)` and the like, `get`/`run` on a variable such a statement assigned, `task` in a decorator, a
    /// module-level helper or task class that reads a secret, or imports (which change what later names
    /// resolve to) is parsed; with nothing outside imports, nothing is.
    ///
    /// Like ``need(_:tokens:)`` this is a superset of what ``PythonFlowFactsBuilder`` reads,
    /// held to it by `PythonAnalyzerFastPathTests` and `bench/prefilter-equivalence.sh`: a
    /// builder change that reads a new name in function bodies must add it here.
    struct FactOffsets {
        /// Sorted byte offsets of the tokens facts can start from.
        let offsets: [Int]
        /// Whether one of them stands outside an import statement. An import gives no fact by
        /// itself, only meaning to later names: without such a token the parse finds nothing.
        let outsideImports: Bool
        /// For a file whose blocks the tokens do not settle (tokenizer errors, an indented
        /// block after a line not ending in `:`): everything is needed, the parse is whole.
        var everything = false

        /// Whether a token a fact can start from lies in `span`.
        func intersects(_ span: ByteSpan) -> Bool {
            if everything { return true }
            var low = 0
            var high = offsets.count
            while low < high {
                let mid = (low + high) / 2
                if offsets[mid] < span.start { low = mid + 1 } else { high = mid }
            }
            return low < offsets.count && offsets[low] < span.end
        }
    }

    /// What a name token is to the builder, when it is something.
    enum NameRole: UInt8 {
        /// Acted on wherever it stands, whatever it resolves to: a Prefect class or function
        /// the builder knows, `os.environ`, the Cloud secret API, `import`; or, as a prefix, a
        /// `prefect.tasks` family module (`aws`, `azureml`), through which a dotted path can
        /// reach a task that reads a secret.
        case component = 1
        /// `storage`, `run_config`: read on flow variables (`flow.storage = …`).
        case flowAttribute
        /// `get`, `run`: `s.get()` on a variable that `s = Secret("X")` assigned; `start`:
        /// `agent.start()` on one that `agent = LocalAgent(…)` assigned.
        case method
        /// `task` in a decorator: a function's reads happen when its flow runs.
        case decorator
        /// `register` called as a method: `flow.register(labels=…)` adds labels to a flow;
        /// `run_agent`: `flow.run_agent()` starts an agent with the flow's labels;
        /// `add_task`, `set_dependencies`, `add_edge`: a task given to them is the flow's.
        case flowMethod
        /// `secrets` of a storage: `s.secrets = […]` on a variable a statement with a fact
        /// assigned, or `flow.storage.secrets`; of the context: `prefect.context.secrets[…]`.
        case storageSecrets
        /// `name` assigned on a variable a statement with a fact assigned: `flow.name = …`
        /// renames a flow.
        case flowName
    }

    static let nameRoles: NameTable = {
        var names = ["Flow", "Secret", "PrefectSecret", "EnvVarSecret", "Client", "Parameter", "environ", "getenv", "set_secret", "delete_secret", "import",
            "extract_flow_from_file", "extract_flow_from_module", "dotenv_values", "create_flow_run", "StartFlowRun"]
        names += PrefectComponents.storage.keys
        names += PrefectComponents.results.keys
        names += PrefectComponents.runConfigs
        names += PrefectComponents.agentClasses.keys
        // Programs started from Python (`os.system`, `subprocess.Popen`, `from subprocess import Popen`).
        names += ["subprocess", "system", "popen", "Popen", "check_call", "check_output"]
        names += PrefectComponents.namedTaskSecrets.keys
        var table = NameTable()
        for name in names { table.insert(Array(name.utf8), tag: NameRole.component.rawValue) }
        for family in PrefectComponents.families { table.insert(Array(family.name.utf8), tag: NameRole.component.rawValue, isPrefix: true) }
        for name in ["storage", "run_config"] { table.insert(Array(name.utf8), tag: NameRole.flowAttribute.rawValue) }
        for name in ["get", "run", "exists", "start"] { table.insert(Array(name.utf8), tag: NameRole.method.rawValue) }
        table.insert(Array("task".utf8), tag: NameRole.decorator.rawValue)
        for name in ["register", "run_agent"] + PythonFlowFactsBuilder.taskAddingFlowMethods { table.insert(Array(name.utf8), tag: NameRole.flowMethod.rawValue) }
        table.insert(Array("secrets".utf8), tag: NameRole.storageSecrets.rawValue)
        table.insert(Array("name".utf8), tag: NameRole.flowName.rawValue)
        return table
    }()

    /// `isASCII` says whether every byte of the file is ASCII, when the caller knows.
    static func factOffsets(_ bytes: [UInt8], tokens: [PythonToken], isASCII: Bool? = nil) -> FactOffsets {
        let ascii = isASCII ?? (UTF8Validation.check(bytes) == .ascii)
        var scan = FactOffsetScan(reader: KeyReader(bytes: bytes, tokens: tokens), mayHaveNonASCIINames: !ascii)
        bytes.withUnsafeBufferPointer { scan.run($0) }
        return scan.result()
    }

    /// The state of ``factOffsets(_:tokens:isASCII:)``'s one pass, kept in a struct so that the hot
    /// loop works on plain stored properties.
    struct FactOffsetScan {
        let reader: KeyReader
        let roles = PythonFactsPrefilter.nameRoles
        let keyWords = PythonFactsPrefilter.keyWords
        /// Names bound by imports seen so far: the parser resolves a name through the imports
        /// before it, so one pass in source order finds every alias a fact can use.
        var aliases = NameTable()
        var offsets: [Int] = []
        /// `s = Secret("X")` … `s.get()`: the builder joins the two statements.
        var assignedByFacts = NameTable()
        var statementStart = 0
        var isImportStatement = false
        var isDecorator = false
        /// A token of the current statement is a fact.
        var statementHasFact = false
        var outsideImports = false
        /// Module-level functions and classes (in no def or class, though maybe in an `if` or
        /// `with`) with a fact inside, whose uses are facts too (the builder's helper reads, a
        /// task's secrets go to the flows that use it). `blocks`
        /// says for each open indented block whether a def or class opened it.
        var blocks: [Bool] = []
        var scopes = 0
        var statementOpensScope = false
        /// The def or class statement being read is a class; the module-level scope open now
        /// (if any) is a class's.
        var statementIsClass = false
        var outerScopeIsClass = false
        /// Names bound by module-level imports of modules other than Prefect's (with the other
        /// parts of a dotted name, which can only add statements to parse): a call of one in a
        /// task class's `run` or `__init__` links the class to what the imported function
        /// reads (the builder's `SecretUsingDefinition`); a call at module level runs when the
        /// module is loaded (``PythonFacts/buildTimeImportedCalls``).
        var importedNames = NameTable()
        /// Where module-level uses of ``importedNames`` stand (`get_password(…)`, `hello.flow`):
        /// parsed only in a module that names `Flow` (one without builds no flow) or
        /// `run_config` (it may configure an imported flow through a name bound to it).
        var moduleLevelImportedCalls: [Int] = []
        var sawFlowName = false
        /// The statement being read is `def run` or `def __init__` in a module-level class.
        var statementIsTaskMethod = false
        /// The depth of ``blocks`` at which the body of such a method is open, while it is.
        var taskMethodDepth: Int?
        var openFunction: (name: ByteSpan, firstOffset: Int, depth: Int, isClass: Bool)?
        /// The count of offsets before the decorators of the definition that follows them.
        var decoratorsStart: Int?
        var helpers: [[UInt8]] = []
        /// The classes among ``helpers``: the calls of their instances run them.
        var helperClasses: [[UInt8]] = []
        /// Where the names of the open module-level class's methods stand, and those names: the
        /// builder reads their parameters, and their calls on `self`, when the class turns out to
        /// be a helper.
        var classMethods: [(offset: Int, name: [UInt8])] = []
        /// The names of the helper classes' methods.
        var helperMethods: [[UInt8]] = []
        var irregular = false
        /// The parser compares names as Swift strings, by canonical equivalence (`café` with
        /// a precomposed or a combining accent, `K` and the Kelvin sign), the tables here
        /// compare bytes: a file with a non-ASCII name is parsed whole. Only files with a
        /// non-ASCII byte anywhere have their names looked at for it.
        let mayHaveNonASCIINames: Bool

        mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) {
            reader.tokens.withUnsafeBufferPointer { run(buffer, $0) }
        }

        /// The loop visits every token of files that import Prefect, so the common cases (a
        /// layout token, a name no table holds that no assignment follows) are settled by a
        /// byte or two before anything is called.
        private mutating func run(_ buffer: UnsafeBufferPointer<UInt8>, _ tokens: UnsafeBufferPointer<PythonToken>) {
            for i in tokens.indices {
                let span = tokens[i].span
                switch tokens[i].kind {
                case .error:
                    irregular = true
                    continue
                case .newline:
                    statementStart = i + 1
                    continue
                case .indent:
                    openBlock(at: i)
                    statementStart = i + 1
                    continue
                case .dedent:
                    if let opened = blocks.popLast(), opened { scopes -= 1 }
                    if let depth = taskMethodDepth, blocks.count < depth { taskMethodDepth = nil }
                    statementStart = i + 1
                    continue
                case .comment, .nl:
                    if statementStart == i { statementStart = i + 1 }
                    continue
                case .op where span.length == 1 && span.start < buffer.count && buffer[span.start] == 0x3B:  // ;
                    statementStart = i + 1
                    continue
                default: break
                }
                guard span.end <= buffer.count, !span.isEmpty else { continue }
                if statementStart == i { startStatement(at: i) }
                let text = UnsafeBufferPointer(rebasing: buffer[span.range])
                switch tokens[i].kind {
                case .name:
                    if mayHaveNonASCIINames, text.contains(where: { $0 >= 0x80 }) { irregular = true }
                    if (span.length == 2 && text[0] == 0x61) || (span.length == 4 && text[0] == 0x66) {  // as, from
                        for alias in importAliases(at: i, reader, roles: roles, aliases: aliases) {
                            aliases.insert(alias, tag: NameRole.component.rawValue)
                        }
                        // `with Flow(…) as flow:`: the name is bound by a statement with a fact.
                        if statementHasFact, !isImportStatement, span.length == 2, text[1] == 0x73, case let after = reader.next(i), after < tokens.count, tokens[after].kind == .name {
                            let name = UnsafeBufferPointer(rebasing: buffer[tokens[after].span.range])
                            if assignedByFacts.tag(of: name) == nil { assignedByFacts.insert(Array(name), tag: 1) }
                        }
                    }
                    // `helper(…)` of an imported function in a task class's `run` or `__init__`.
                    if taskMethodDepth != nil, i + 1 < tokens.count, tokens[i + 1].kind == .op, tokens[i + 1].span.length == 1,
                        buffer[tokens[i + 1].span.start] == 0x28, importedNames.tag(of: text) != nil,
                        !(reader.previous(i).map { reader.isOp($0, byte: 0x2E) } ?? false)
                    {
                        found(i, buffer)
                        continue
                    }
                    // `Flow`, or `run_config` (`f = hello.flow`, then `f.run_config = …`).
                    if (span.length == 4 && text[0] == 0x46 && text[1] == 0x6C && text[2] == 0x6F && text[3] == 0x77)
                        || (span.length == 10 && text[0] == 0x72 && text[3] == 0x5F && text[9] == 0x67 && text.elementsEqual("run_config".utf8))
                    {
                        sawFlowName = true
                    }
                    // `get_password(…)` or `creds.get_password(…)` of an imported name outside any
                    // def or class: it runs whenever the module is loaded (the builder's
                    // build-time imported calls), which matters in a module that builds a flow.
                    if scopes == 0, i + 1 < tokens.count, tokens[i + 1].kind == .op, tokens[i + 1].span.length == 1,
                        buffer[tokens[i + 1].span.start] == 0x28 || buffer[tokens[i + 1].span.start] == 0x2E, importedNames.tag(of: text) != nil,
                        !(reader.previous(i).map { reader.isOp($0, byte: 0x2E) } ?? false)
                    {
                        moduleLevelImportedCalls.append(span.start)
                    }
                    if let tag = roles.tag(of: text) ?? aliases.tag(of: text), isFact(tag, at: i, buffer) {
                        found(i, buffer)
                        continue
                    }
                    // A variable a fact assigned called (`notify(webhook_secret=name)` on
                    // `notify = SlackTask()`): its keywords are the component's.
                    if !assignedByFacts.isEmpty, i + 1 < tokens.count, tokens[i + 1].kind == .op, tokens[i + 1].span.length == 1,
                        buffer[tokens[i + 1].span.start] == 0x28, assignedByFacts.tag(of: text) != nil
                    {
                        found(i, buffer)
                        continue
                    }
                    // A variable a fact assigned (a flow) given to a function outside any def or
                    // class: `configure(flow)`, `configure(f=flow)` may set the flow's run config.
                    if scopes == 0, !assignedByFacts.isEmpty, let before = reader.previous(i),
                        reader.isOp(before, byte: 0x28) || reader.isOp(before, byte: 0x2C) || reader.isOp(before, byte: 0x3D),
                        assignedByFacts.tag(of: text) != nil
                    {
                        found(i, buffer)
                        continue
                    }
                    // Past here a name matters only as a target or key: followed, maybe past
                    // closing brackets, by `=`, `:` or an augmented assignment.
                    guard reader.mayBeKey(i) else { continue }
                    // Assigned again after a fact assigned it: the builder binds `v.get()` to
                    // the last assignment before it.
                    if assignedByFacts.tag(of: text) != nil {
                        found(i, buffer)
                        continue
                    }
                    guard span.length >= 3 else { continue }
                case .string:
                    if span.length == 9, PythonFactsPrefilter.isContextSecretsKey(reader, i, text) {
                        found(i, buffer)
                        continue
                    }
                    guard reader.mayBeStringKey(i) else { continue }
                case .fstringMiddle:
                    break
                default:
                    continue
                }
                if keyWords.occurs(in: text), reader.isKeyWithLiteralValue(at: i) { found(i, buffer) }
            }
        }

        /// Whether a name with a ``NameRole`` is a fact where it stands.
        private func isFact(_ tag: UInt8, at i: Int, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
            switch NameRole(rawValue: tag) {
            case .component: true
            case .flowAttribute: isFlowAttributeAssignment(reader, i)
            case .method: !assignedByFacts.isEmpty && isMethodOnVariable(reader, i, assignedByFacts, buffer)
            case .decorator: isDecorator
            case .flowMethod: reader.previous(i).map { reader.isOp($0, byte: 0x2E) } ?? false
            case .storageSecrets:
                isStorageAttribute(reader, i) || isContextAttribute(reader, i) || (!assignedByFacts.isEmpty && isMethodOnVariable(reader, i, assignedByFacts, buffer))
            case .flowName:
                !assignedByFacts.isEmpty && isFlowAttributeAssignment(reader, i) && isMethodOnVariable(reader, i, assignedByFacts, buffer)
            case nil: false
            }
        }

        /// An indented block: whether a def or class opened it. A block opens after a
        /// header's `:` only; the parser reads anything else its own way.
        mutating func openBlock(at i: Int) {
            let colon = reader.previous(i).flatMap { reader.tokens[$0].kind == .newline ? reader.previous($0) : nil }
            if !(colon.map { reader.isOp($0, byte: 0x3A) } ?? false) { irregular = true }
            blocks.append(statementOpensScope)
            if statementOpensScope {
                if scopes == 0 { outerScopeIsClass = statementIsClass }
                if statementIsTaskMethod, taskMethodDepth == nil { taskMethodDepth = blocks.count }
                scopes += 1
            }
        }

        mutating func startStatement(at i: Int) {
            let tokens = reader.tokens
            statementHasFact = false
            @inline(__always) func isWord(_ k: Int, _ word: StaticString) -> Bool {
                k < tokens.count && tokens[k].kind == .name && tokens[k].hasText(word, in: reader.bytes)
            }
            guard tokens[i].kind == .name || reader.isOp(i, byte: 0x40) else {
                isImportStatement = false
                isDecorator = false
                decoratorsStart = nil
                statementOpensScope = false
                closeFunction()
                return
            }
            isImportStatement = isWord(i, "import") || isWord(i, "from")
            statementIsTaskMethod = false
            if scopes == 0, isImportStatement, case let module = reader.next(i), module < tokens.count, !tokens[module].hasText("prefect", in: reader.bytes) {
                for name in Self.boundNames(fromImportAt: i, reader) where name.withUnsafeBufferPointer({ importedNames.tag(of: $0) == nil }) {
                    importedNames.insert(name, tag: 1)
                }
            }
            isDecorator = reader.isOp(i, byte: 0x40)  // @
            closeFunction()
            // A definition's facts start at its first decorator (`@task(state_handlers=[…])`).
            let decorated = decoratorsStart
            if isDecorator {
                if decoratorsStart == nil { decoratorsStart = offsets.count }
            } else {
                decoratorsStart = nil
            }
            var k = i
            if isWord(k, "async") { k = reader.next(k) }
            let isDef = isWord(k, "def")
            statementIsClass = isWord(i, "class")
            statementOpensScope = isDef || statementIsClass
            guard statementOpensScope else { return }
            let name = reader.next(isDef ? k : i)
            statementIsTaskMethod = isDef && !importedNames.isEmpty && scopes == 1 && outerScopeIsClass && (isWord(name, "run") || isWord(name, "__init__"))
            if isDef, scopes == 1, outerScopeIsClass, name < tokens.count, tokens[name].kind == .name {
                classMethods.append((tokens[name].span.start, Array(reader.bytes[tokens[name].span.range])))
            }
            // `def (x):`, `class :`: the parser reads the block after it at the outer level.
            if !(name < tokens.count && tokens[name].kind == .name) { irregular = true }
            if scopes == 0, openFunction == nil, name < tokens.count {
                openFunction = (tokens[name].span, decorated ?? offsets.count, blocks.count, statementIsClass)
                classMethods = []
            }
        }

        /// A module-level function ends at the first statement outside its body.
        private mutating func closeFunction() {
            if let function = openFunction, blocks.count <= function.depth {
                if offsets.count > function.firstOffset { addHelper(function) }
                openFunction = nil
            }
        }

        private mutating func addHelper(_ definition: (name: ByteSpan, firstOffset: Int, depth: Int, isClass: Bool)) {
            let name = Array(reader.bytes[definition.name.range])
            helpers.append(name)
            guard definition.isClass else { return }
            helperClasses.append(name)
            offsets += classMethods.map(\.offset)
            helperMethods += classMethods.map(\.name)
        }

        mutating func found(_ i: Int, _ buffer: UnsafeBufferPointer<UInt8>) {
            let tokens = reader.tokens
            offsets.append(tokens[i].span.start)
            statementHasFact = true
            if !isImportStatement { outsideImports = true }
            // The variables the statement assigns before the fact, parenthesized or not, also
            // after a one-line `if x:` (`s = …`, `(s) = …`, `s: T = …`; a few more names than
            // that, such as the `x` of `if x:`, do no harm).
            var k = statementStart
            var depth = 0
            while k < i {
                if reader.isOp(k, byte: 0x28) || reader.isOp(k, byte: 0x5B) || reader.isOp(k, byte: 0x7B) { depth += 1 }
                if reader.isOp(k, byte: 0x29) || reader.isOp(k, byte: 0x5D) || reader.isOp(k, byte: 0x7D) { depth -= 1 }
                // A target stands outside brackets, or closes all of them before its `=` (`(s) = …`),
                // unlike a keyword argument (`f(s=…)`).
                if tokens[k].kind == .name {
                    var after = reader.next(k)
                    var closed = 0
                    while after < tokens.count, reader.isOp(after, byte: 0x29) || reader.isOp(after, byte: 0x5D) {
                        closed += 1
                        after = reader.next(after)
                    }
                    if closed == depth, after < tokens.count, reader.isOp(after, byte: 0x3D) || reader.isOp(after, byte: 0x3A) {
                        let name = UnsafeBufferPointer(rebasing: buffer[tokens[k].span.range])
                        if assignedByFacts.tag(of: name) == nil { assignedByFacts.insert(Array(name), tag: 1) }
                    }
                }
                k = reader.next(k)
            }
        }

        /// The names a `from m import a, b as c` statement starting at `index` binds (`a`, `c`).
        static func boundNames(fromImportAt index: Int, _ reader: KeyReader) -> [[UInt8]] {
            let tokens = reader.tokens
            var k = index
            while k < tokens.count, tokens[k].kind != .newline, tokens[k].kind != .endMarker, !reader.isText(k, "import") { k = reader.next(k) }
            var names: [[UInt8]] = []
            k = reader.next(k)
            while k < tokens.count, tokens[k].kind != .newline, tokens[k].kind != .endMarker {
                let after = reader.next(k)
                if tokens[k].kind == .name, !reader.isText(k, "as"), !(after < tokens.count && reader.isText(after, "as")) {
                    names.append(Array(reader.bytes[tokens[k].span.range]))
                }
                k = after
            }
            return names
        }

        mutating func result() -> FactOffsets {
            if let function = openFunction, offsets.count > function.firstOffset { addHelper(function) }
            if sawFlowName, !moduleLevelImportedCalls.isEmpty {
                offsets = (offsets + moduleLevelImportedCalls).sorted()
                outsideImports = true
            }
            if !helpers.isEmpty {
                // An agent a helper function makes is started where its result is: `agent =
                // make_agent(…)`, then `agent.start()`.
                let helperFunctions = helpers.filter { !helperClasses.contains($0) }
                offsets = (offsets + helperCalls(helpers, reader) + instanceUses(of: helperClasses, startsOf: helperFunctions, reader)
                    + selfCalls(helperMethods, reader)).sorted()
            }
            return FactOffsets(offsets: offsets, outsideImports: outsideImports || irregular, everything: irregular)
        }
    }

    /// Where the module-level functions `helpers` are named, not as attributes: their calls
    /// at module level or in a flow block read the secrets the functions read.
    static func helperCalls(_ helpers: [[UInt8]], _ reader: KeyReader) -> [Int] {
        var table = NameTable()
        for helper in helpers { table.insert(helper, tag: 1) }
        var calls: [Int] = []
        reader.bytes.withUnsafeBufferPointer { buffer in
            reader.tokens.withUnsafeBufferPointer { tokens in
                for i in tokens.indices where tokens[i].kind == .name {
                    let span = tokens[i].span
                    guard span.end <= buffer.count, table.tag(of: UnsafeBufferPointer(rebasing: buffer[span.range])) != nil,
                        !(reader.previous(i).map { reader.isOp($0, byte: 0x2E) } ?? false)
                    else { continue }
                    calls.append(span.start)
                }
            }
        }
        return calls
    }

    /// Where the variables that a plain `v = C` assigns for one of the module-level classes
    /// `classes` are named, not as attributes: `fetch = FetchSecret()`, then `fetch(…)` or
    /// `fetch.run(…)` runs the task class, whose `run` may read the secret its argument names.
    /// For the variables a plain `v = f(…)` assigns for one of `functions`, only where they
    /// are started (`v.start(`): an agent such a function makes.
    static func instanceUses(of classes: [[UInt8]], startsOf functions: [[UInt8]], _ reader: KeyReader) -> [Int] {
        guard !classes.isEmpty || !functions.isEmpty else { return [] }
        let (ofClass, ofFunction): (UInt8, UInt8) = (1, 2)
        var makers = NameTable()
        for name in classes { makers.insert(name, tag: ofClass) }
        for name in functions { makers.insert(name, tag: ofFunction) }
        var uses: [Int] = []
        reader.bytes.withUnsafeBufferPointer { buffer in
            reader.tokens.withUnsafeBufferPointer { tokens in
                func plainNameTag(_ i: Int, in table: NameTable) -> UInt8? {
                    let span = tokens[i].span
                    guard tokens[i].kind == .name, span.end <= buffer.count, let tag = table.tag(of: UnsafeBufferPointer(rebasing: buffer[span.range])),
                        !(reader.previous(i).map { reader.isOp($0, byte: 0x2E) } ?? false)
                    else { return nil }
                    return tag
                }
                var assigned: [[UInt8]: UInt8] = [:]
                for i in tokens.indices {
                    guard let tag = plainNameTag(i, in: makers), let equals = reader.previous(i), reader.isOp(equals, "="),
                        let target = reader.previous(equals), tokens[target].kind == .name,
                        !(reader.previous(target).map { reader.isOp($0, byte: 0x2E) } ?? false)
                    else { continue }
                    let name = Array(buffer[tokens[target].span.range])
                    // A name both kinds assign is used as a class's instance is.
                    if tag == ofClass || assigned[name] == nil { assigned[name] = tag }
                }
                guard !assigned.isEmpty else { return }
                var variables = NameTable()
                for (name, tag) in assigned { variables.insert(name, tag: tag) }
                for i in tokens.indices {
                    guard let tag = plainNameTag(i, in: variables) else { continue }
                    if tag == ofFunction {
                        let dot = reader.next(i)
                        let method = reader.next(dot)
                        guard method < tokens.count, reader.isOp(dot, byte: 0x2E), tokens[method].kind == .name, reader.isText(method, "start") else { continue }
                    }
                    uses.append(tokens[i].span.start)
                }
            }
        }
        return uses
    }

    /// Where `self.method(` calls one of the helper classes' `methods`: a method may read the
    /// secret its argument names.
    static func selfCalls(_ methods: [[UInt8]], _ reader: KeyReader) -> [Int] {
        guard !methods.isEmpty else { return [] }
        var table = NameTable()
        for name in methods { table.insert(name, tag: 1) }
        var calls: [Int] = []
        reader.bytes.withUnsafeBufferPointer { buffer in
            reader.tokens.withUnsafeBufferPointer { tokens in
                for i in tokens.indices where tokens[i].kind == .name && reader.isText(i, "self") {
                    let dot = reader.next(i)
                    let method = reader.next(dot)
                    guard method < tokens.count, reader.isOp(dot, byte: 0x2E), tokens[method].kind == .name, tokens[method].span.end <= buffer.count,
                        table.tag(of: UnsafeBufferPointer(rebasing: buffer[tokens[method].span.range])) != nil
                    else { continue }
                    calls.append(tokens[i].span.start)
                }
            }
        }
        return calls
    }

    /// An attribute assigned: `flow.storage = …`, `(flow.storage) = …`, `flow.run_config: T = …`,
    /// `flow.storage += …`, `flow.storage, x = …`.
    static func isFlowAttributeAssignment(_ reader: KeyReader, _ index: Int) -> Bool {
        guard let before = reader.previous(index), reader.isOp(before, ".") else { return false }
        let after = reader.next(index)
        return reader.mayBeKey(index) || (after < reader.tokens.count && reader.isOp(after, byte: 0x2C))
    }

    /// `….storage.secrets`: the token at `index` follows `.storage.`.
    static func isStorageAttribute(_ reader: KeyReader, _ index: Int) -> Bool {
        guard let dot = reader.previous(index), reader.isOp(dot, "."), let owner = reader.previous(dot), reader.isText(owner, "storage"),
            let before = reader.previous(owner)
        else { return false }
        return reader.isOp(before, ".")
    }

    /// `"secrets"` (string token `index`, written `text`) taken from the run's context by key:
    /// `context["secrets"]`, `context.get("secrets", …)`.
    static func isContextSecretsKey(_ reader: KeyReader, _ index: Int, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count == 9, text[0] == text[8], text[0] == 0x22 || text[0] == 0x27, text[1..<8].elementsEqual("secrets".utf8),
            let open = reader.previous(index)
        else { return false }
        if reader.isOp(open, byte: 0x5B) { return reader.previous(open).map { reader.isText($0, "context") } ?? false }
        guard reader.isOp(open, byte: 0x28), let get = reader.previous(open), reader.isText(get, "get"), let dot = reader.previous(get), reader.isOp(dot, "."),
            let owner = reader.previous(dot)
        else { return false }
        return reader.isText(owner, "context")
    }

    /// `context.secrets`: `prefect.context.secrets[…]` reads the run's context.
    static func isContextAttribute(_ reader: KeyReader, _ index: Int) -> Bool {
        guard let dot = reader.previous(index), reader.isOp(dot, "."), let owner = reader.previous(dot) else { return false }
        return reader.isText(owner, "context")
    }

    /// `v.get`, `v.run` or `v.start` on a variable `v` that a statement with a fact assigned.
    static func isMethodOnVariable(
        _ reader: KeyReader, _ index: Int, _ variables: NameTable, _ buffer: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        guard let dot = reader.previous(index), reader.isOp(dot, "."), var variable = reader.previous(dot) else { return false }
        // `(s).get()` is the name `s.get` to the parser.
        while reader.isOp(variable, byte: 0x29), let inner = reader.previous(variable) { variable = inner }
        guard reader.tokens[variable].kind == .name else { return false }
        var before = reader.previous(variable)
        while let open = before, reader.isOp(open, byte: 0x28) { before = reader.previous(open) }
        if let before, reader.isOp(before, ".") { return false }
        return variables.tag(of: UnsafeBufferPointer(rebasing: buffer[reader.tokens[variable].span.range])) != nil
    }

    /// The names an import binds, at `index`, to something the builder acts on: `Y` of
    /// `X as Y` for a relevant `X`, and every name of `from prefect.tasks.<family>… import …`.
    static func importAliases(at index: Int, _ reader: KeyReader, roles: NameTable, aliases: NameTable) -> [[UInt8]] {
        let tokens = reader.tokens
        func bytes(_ k: Int) -> [UInt8] { Array(reader.bytes[tokens[k].span.range]) }
        if reader.isText(index, "as") {
            guard let before = reader.previous(index), tokens[before].kind == .name else { return [] }
            var relevant = reader.bytes.withUnsafeBufferPointer { buffer in
                let text = UnsafeBufferPointer(rebasing: buffer[tokens[before].span.range])
                let role = roles.tag(of: text)
                return role == NameRole.component.rawValue || role == NameRole.decorator.rawValue || aliases.tag(of: text) != nil
            }
            if !relevant {
                // `import prefect.tasks.aws.s3 as m`: the dotted path before `as`.
                var path = bytes(before)
                var k = before
                while let dot = reader.previous(k), reader.isOp(dot, byte: 0x2E), let name = reader.previous(dot), tokens[name].kind == .name {
                    path = bytes(name) + [0x2E] + path
                    k = name
                }
                relevant = isFamilyModule(path)
            }
            let after = reader.next(index)
            guard relevant, after < tokens.count, tokens[after].kind == .name else { return [] }
            return [bytes(after)]
        }
        guard reader.isText(index, "from"), reader.next(index) < tokens.count, reader.isText(reader.next(index), "prefect") else { return [] }
        var k = reader.next(index)
        var path: [UInt8] = []
        while k < tokens.count, tokens[k].kind == .name || reader.isOp(k, ".") {
            if reader.isText(k, "import") { break }
            path += bytes(k)
            k = reader.next(k)
        }
        guard k < tokens.count, reader.isText(k, "import"), isFamilyModule(path) else { return [] }
        var names: [[UInt8]] = []
        k = reader.next(k)
        while k < tokens.count, tokens[k].kind != .newline, tokens[k].kind != .endMarker {
            if tokens[k].kind == .name, !reader.isText(k, "as") { names.append(bytes(k)) }
            k = reader.next(k)
        }
        return names
    }

    /// `prefect.tasks.<family>…` as written after `from`.
    static func isFamilyModule(_ path: [UInt8]) -> Bool {
        guard path.count > familyPathPrefix.count, path.starts(with: familyPathPrefix) else { return false }
        return familyModules.contains { path.starts(with: $0) }
    }

    private static let familyPathPrefix = Array("prefect.tasks.".utf8)
    private static let familyModules = PrefectComponents.families.map { Array($0.module.utf8) }
}

/// A small set of case-sensitive names and name prefixes, each with a tag, asked about
/// every name token of a file: one flat table by first byte, compared with `memcmp`, no
/// hashing or allocation. Bit masks by first and last byte turn most names away before any
/// compare (3-letter names such as `get` share first bytes and lengths with many others).
/// The tables of a file's own names (its import aliases, the variables facts assign) mostly
/// hold a few: up to ``linearLimit`` names are compared in order, without the 10 KB of tables
/// by byte that each file would otherwise allocate and clear. Past ``bucketLimit`` names
/// (generated code binding thousands of flows) the names are hashed, so that neither adding
/// nor finding one walks the others.
struct NameTable: Sendable {
    private struct Entry {
        var start: Int
        var length: Int
        var isPrefix: Bool
        var tag: UInt8
    }
    private var storage: [UInt8] = []
    /// In insertion order while there are at most ``linearLimit``; then sorted by first byte:
    /// those starting with byte `b` are `entries[firstEntry[b]..<firstEntry[b + 1]]`.
    private var entries: [Entry] = []
    private var firstEntry: [Int] = []
    /// Four masks per byte value `b`, at `masks[4 * b ...]`: bit `min(n, 63)` of the first
    /// two is set when a name of length `n` starts (ends) with `b`; the third does so for a
    /// prefix's every length from its own, the fourth has bit `c & 63` for a prefix whose
    /// second byte is `c`.
    private var masks: [UInt64] = []
    /// Before the tables by byte exist: bit `b & 63` for every first byte `b`.
    private var linearFirstBytes: UInt64 = 0
    private static let linearLimit = 8
    /// Once hashed, ``entries`` are in the order names were added (those of the tables by
    /// byte first, each first byte's in its order, which is all a lookup compares), and:
    private var isHashed = false
    /// The entries of the whole names, by ``hash(_:)``, in that order.
    private var entriesByHash: [Int: [Int]] = [:]
    /// The entries of the prefixes, in that order.
    private var prefixEntries: [Int] = []
    private static let bucketLimit = 256

    init() {}

    var isEmpty: Bool { entries.isEmpty }

    /// Adds `name` (or, with `isPrefix`, every name starting with it; a prefix has two bytes
    /// at least).
    mutating func insert(_ name: [UInt8], tag: UInt8, isPrefix: Bool = false) {
        precondition(!isPrefix || name.count >= 2, "a name prefix needs two bytes")
        guard let first = name.first else { return }
        if isHashed {
            insertHashed(name, tag: tag, isPrefix: isPrefix)
            return
        }
        if entries.count >= Self.bucketLimit {
            let (names, listed) = (storage, entries)
            storage = []
            entries = []
            isHashed = true
            for entry in listed {
                insertHashed(Array(names[entry.start..<entry.start + entry.length]), tag: entry.tag, isPrefix: entry.isPrefix)
            }
            insertHashed(name, tag: tag, isPrefix: isPrefix)
            return
        }
        if firstEntry.isEmpty {
            if entries.count < Self.linearLimit {
                entries.append(Entry(start: storage.count, length: name.count, isPrefix: isPrefix, tag: tag))
                storage += name
                linearFirstBytes |= UInt64(1) << UInt64(first & 63)
                return
            }
            // Indexed from here on, with the names so far in their order.
            let (names, listed) = (storage, entries)
            storage = []
            entries = []
            firstEntry = Array(repeating: 0, count: 257)
            masks = Array(repeating: 0, count: 4 * 256)
            for entry in listed {
                insertIndexed(Array(names[entry.start..<entry.start + entry.length]), tag: entry.tag, isPrefix: entry.isPrefix)
            }
        }
        insertIndexed(name, tag: tag, isPrefix: isPrefix)
    }

    private mutating func insertIndexed(_ name: [UInt8], tag: UInt8, isPrefix: Bool) {
        guard let first = name.first else { return }
        setMasks(name, isPrefix: isPrefix)
        let position = firstEntry[Int(first) + 1]
        entries.insert(Entry(start: storage.count, length: name.count, isPrefix: isPrefix, tag: tag), at: position)
        storage += name
        for byte in (Int(first) + 1)...256 { firstEntry[byte] += 1 }
    }

    private mutating func setMasks(_ name: [UInt8], isPrefix: Bool) {
        guard let first = name.first, let last = name.last else { return }
        let bit = UInt64(1) << UInt64(min(name.count, 63))
        if isPrefix {
            masks[4 * Int(first) + 2] |= ~(bit - 1)
            masks[4 * Int(first) + 3] |= UInt64(1) << UInt64(name[1] & 63)
        } else {
            masks[4 * Int(first)] |= bit
            masks[4 * Int(last) + 1] |= bit
        }
    }

    private mutating func insertHashed(_ name: [UInt8], tag: UInt8, isPrefix: Bool) {
        guard !name.isEmpty else { return }
        setMasks(name, isPrefix: isPrefix)
        let index = entries.count
        entries.append(Entry(start: storage.count, length: name.count, isPrefix: isPrefix, tag: tag))
        storage += name
        if isPrefix {
            prefixEntries.append(index)
        } else {
            entriesByHash[Self.hash(name), default: []].append(index)
        }
    }

    /// FNV-1a: the same for a name's array and a token's buffer, without building either.
    private static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: hash)
    }

    /// The tag of the first name that `text` is, or of a prefix it starts with.
    @inline(__always)
    func tag(of text: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard !entries.isEmpty, let first = text.first, let last = text.last else { return nil }
        guard !firstEntry.isEmpty else {
            guard linearFirstBytes & (UInt64(1) << UInt64(first & 63)) != 0 else { return nil }
            return firstTag(of: text, among: entries.indices)
        }
        let bit = UInt64(1) << UInt64(min(text.count, 63))
        let f = 4 * Int(first)
        let exact = masks[f] & masks[4 * Int(last) + 1] & bit != 0
        let mayHavePrefix = text.count >= 2 && masks[f + 2] & bit != 0 && masks[f + 3] & (UInt64(1) << UInt64(text[1] & 63)) != 0
        guard exact || mayHavePrefix else { return nil }
        if isHashed { return hashedTag(of: text, exact: exact, mayHavePrefix: mayHavePrefix) }
        let range = firstEntry[Int(first)]..<firstEntry[Int(first) + 1]
        guard !range.isEmpty else { return nil }
        return firstTag(of: text, among: range)
    }

    /// ``tag(of:)`` once hashed: the first added of the whole name equal to `text` and the
    /// prefixes it starts with.
    private func hashedTag(of text: UnsafeBufferPointer<UInt8>, exact: Bool, mayHavePrefix: Bool) -> UInt8? {
        guard let textBase = text.baseAddress else { return nil }
        return storage.withUnsafeBufferPointer { names -> UInt8? in
            guard let base = names.baseAddress else { return nil }
            var found: Int?
            if exact, let candidates = entriesByHash[Self.hash(text)] {
                found = candidates.first { entries[$0].length == text.count && memcmp(base + entries[$0].start, textBase, text.count) == 0 }
            }
            if mayHavePrefix {
                for k in prefixEntries where k < (found ?? .max) && entries[k].length <= text.count {
                    if memcmp(base + entries[k].start, textBase, entries[k].length) == 0 {
                        found = k
                        break
                    }
                }
            }
            return found.map { entries[$0].tag }
        }
    }

    private func firstTag(of text: UnsafeBufferPointer<UInt8>, among range: Range<Int>) -> UInt8? {
        guard let textBase = text.baseAddress else { return nil }
        return storage.withUnsafeBufferPointer { names in
            guard let base = names.baseAddress else { return nil }
            for k in range {
                let entry = entries[k]
                guard entry.isPrefix ? entry.length <= text.count : entry.length == text.count else { continue }
                if memcmp(base + entry.start, textBase, entry.length) == 0 { return entry.tag }
            }
            return nil
        }
    }
}
