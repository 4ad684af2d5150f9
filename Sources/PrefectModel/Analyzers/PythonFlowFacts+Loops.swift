import PythonSource
import Spans

/// Secret names a loop gives: `for name in ["DB_USER", "DB_PASSWORD"]:` around
/// `Secret(name).get()` (a task loading several secrets into env for a tool, say) reads each.
extension PythonFlowFactsBuilder {
    /// Each read whose name is the variable of a `for` statement around it over a list, tuple
    /// or set of plain string literals, and that the loop's body does not bind again, becomes
    /// one read per element. Read on the tokens, which the statement prefilter does not skip.
    mutating func nameLoopVariableReads() {
        let unnamed = facts.secretReferences.indices.filter {
            let reference = facts.secretReferences[$0]
            return reference.name == nil && reference.namePattern == nil && reference.nameSource == nil
        }
        guard !unnamed.isEmpty else { return }
        let loops = forLoops()
        guard !loops.starts.isEmpty else { return }
        // What each loop gives, found once however many reads it encloses ([] for nothing).
        var given: [Int: [String]] = [:]
        var variables = LoopVariables(functionBodies: NestedRanges(module.functions.map(\.bodySpan.range)))
        var names: [Int: [String]] = [:]
        for k in unnamed {
            guard let loop = innermostLoop(binding: facts.secretReferences[k].span, in: loops) else { continue }
            if given[loop] == nil {
                given[loop] = loopStrings(loops.starts[loop], iterable: loops.iterables[loop], body: loops.bodies[loop], variables: &variables) ?? []
            }
            if let strings = given[loop], !strings.isEmpty { names[k] = strings }
        }
        guard !names.isEmpty else { return }
        var references: [SecretReference] = []
        for (k, reference) in facts.secretReferences.enumerated() {
            guard let given = names[k] else {
                references.append(reference)
                continue
            }
            for name in given {
                var named = reference
                named.name = name
                references.append(named)
            }
        }
        facts.secretReferences = references
    }

    /// The `for` statements of a module in source order (token index of each `for`, of its
    /// iterable and of its body), and how their bodies nest: found once, so that a read looks
    /// only at the loops around it, and a file of many loops and reads stays linear.
    private struct ForLoops {
        var starts: [Int] = []
        var iterables: [Range<Int>] = []
        var bodies: [Range<Int>] = []
        var nesting = NestedRanges([])
    }

    private func forLoops() -> ForLoops {
        var loops = ForLoops()
        let all = module.tokens
        let forWord = Array("for".utf8)
        for i in all.indices where all[i].kind == .name && isText(i, forWord) {
            guard startsStatement(i), let (iterable, body) = forStatement(at: i) else { continue }
            loops.starts.append(i)
            loops.iterables.append(iterable)
            loops.bodies.append(body)
        }
        loops.nesting = NestedRanges(loops.bodies)
        return loops
    }

    /// Whether a `for` statement around the byte offset `position` binds the name `variable`
    /// (alone: `for flow in flows:`).
    func isLoopVariable(_ variable: Substring, at position: Int) -> Bool {
        let loops = forLoops()
        let index = tokenIndex(from: position)
        let all = module.tokens
        return loops.nesting.around(index..<(index + 1)).contains { loop in
            let target = loops.starts[loop] + 1
            return target + 1 < all.count && all[target].kind == .name && bytes[all[target].span.range].elementsEqual(variable.utf8)
                && isText(target + 1, Array("in".utf8))
        }
    }

    /// The innermost loop around the name at `span` that binds it, when the read is that name alone.
    private func innermostLoop(binding span: ByteSpan, in loops: ForLoops) -> Int? {
        let read = tokens(in: span)
        guard read.count == 1, let index = read.indices.first, read[index].kind == .name, read[index].span == span else { return nil }
        let all = module.tokens
        return loops.nesting.around(index..<(index + 1)).first { bytes[all[loops.starts[$0] + 1].span.range].elementsEqual(bytes[span.range]) }
    }

    /// The strings the loop whose `for` is token `i` binds its name to: its iterable is a
    /// bracketed display of plain string literals and nothing else, a variable the function
    /// around the loop binds once, before it, to such a display (`names = ["A", "B"]`), or a
    /// module variable holding one that the function does not bind, with what the list is
    /// given later (``changed(_:_:loop:function:isLocal:_:)``); and the loop's body does not
    /// bind the name again.
    private func loopStrings(_ i: Int, iterable: Range<Int>, body: Range<Int>, variables: inout LoopVariables) -> [String]? {
        let all = module.tokens
        var strings: [String]?
        let (display, end) = stringDisplay(at: iterable.lowerBound)
        if let display, end == iterable.upperBound {
            strings = display
        } else if iterable.count == 1, all[iterable.lowerBound].kind == .name {
            let variable = text(all[iterable.lowerBound].span)
            let function = variables.functionBodies.around(all[i].span.range).first
            switch function.map({ functionBinding(of: variable, in: $0, &variables) }) {
            case .unbound?, nil:
                strings = moduleStrings(variable).flatMap { changed($0, variable, loop: i, function: function, isLocal: false, &variables) }
            case .display(let display, let statement)?:
                strings = statement.end <= all[i].span.start ? changed(display, variable, loop: i, function: function, isLocal: true, &variables) : nil
            case .other?:
                strings = nil
            }
        }
        guard let strings, let first = body.first, let last = body.last,
            !rebinds(text(all[i + 1].span), in: ByteSpan(all[first].span.start, all[last].span.end))
        else { return nil }
        return strings
    }

    /// How the function `function` (an index in the module's functions) binds `variable`, found once.
    private func functionBinding(of variable: String, in function: Int, _ variables: inout LoopVariables) -> FunctionBinding {
        let body = module.functions[function].bodySpan
        let key = VariableInFunction(variable: variable, body: body)
        if let known = variables.bindings[key] { return known }
        let found = binding(of: variable, in: body)
        variables.bindings[key] = found
        return found
    }

    /// `strings`, the display a list `variable` is bound to, with what the list's changes that
    /// reach the loop whose `for` is token `loop` add; nil when one of them may leave anything
    /// in it. `function`: the function around the loop; `isLocal`: the variable is its own.
    /// A function's own list takes its changes in that function. A module list takes the
    /// module's changes (those before the loop, for a loop at module level) and the changes in
    /// the loop's function; one in another function, which may run or not, leaves it unknown,
    /// unless that function binds a list of its own by the name.
    private func changed(_ strings: [String], _ variable: String, loop: Int, function: Int?, isLocal: Bool, _ variables: inout LoopVariables) -> [String]? {
        // The loops of one function see the same changes: found once.
        let key = function.map { ChangedList(variable: variable, function: $0, isLocal: isLocal) }
        if let key, let known = variables.changedLists[key] { return known }
        let sites = changeSites(of: variable, &variables)
        var result: [String]? = strings
        if !isLocal {
            // Another function that changes the module list (not a list of its own) may run or not.
            if sites.unboundChangers.contains(where: { $0 != function }) { return nil }
            // A loop at module level sees the changes before it; one in a function, all of them
            // (the module is loaded before any of its functions runs).
            result = Self.adding(function == nil ? sites.module.prefix { $0.token < loop }.map(\.added) : [sites.moduleResult], to: strings)
        }
        result = result.flatMap { Self.adding((function.flatMap { sites.functions[$0] } ?? []).map(\.added), to: $0) }
        if let key { variables.changedLists[key] = result }
        return result
    }

    /// `strings` with what changes add (``ListChange/added``), each name once; nil when one of
    /// them may leave anything.
    private static func adding(_ changes: [[String]?], to strings: [String]) -> [String]? {
        var result = strings
        var seen = Set(strings)
        for change in changes {
            guard let added = change else { return nil }
            for name in added where seen.insert(name).inserted { result.append(name) }
        }
        return result
    }

    /// Where the module changes a list variable (``listChanges()``): at module level, in each
    /// function, and the functions among those that do not bind a list of their own by the
    /// name (they change the module's); found once for all the loops over it.
    private func changeSites(of variable: String, _ variables: inout LoopVariables) -> ChangeSites {
        if let known = variables.changeSites[variable] { return known }
        if variables.listChanges == nil { variables.listChanges = listChanges() }
        var sites = ChangeSites()
        for change in variables.listChanges?[variable] ?? [] {
            if let around = variables.functionBodies.around(module.tokens[change.token].span.range).first {
                sites.functions[around, default: []].append(change)
            } else {
                sites.module.append(change)
            }
        }
        sites.unboundChangers = sites.functions.keys.filter { functionBinding(of: variable, in: $0, &variables) == .unbound }
        sites.moduleResult = Self.adding(sites.module.map(\.added), to: [])
        variables.changeSites[variable] = sites
        return sites
    }

    /// A list variable's changes by where they stand.
    private struct ChangeSites {
        var module: [ListChange] = []
        var functions: [Int: [ListChange]] = [:]
        var unboundChangers: [Int] = []
        /// What the module-level changes add, or nil when one may leave anything.
        var moduleResult: [String]?
    }

    /// A list variable as the loops of one function see it.
    private struct ChangedList: Hashable {
        var variable: String
        var function: Int
        var isLocal: Bool
    }

    /// What the loops over a variable ask of the module, found once: the function around a
    /// loop, how that function binds the variable, and how the module changes lists.
    private struct LoopVariables {
        var functionBodies: NestedRanges
        var bindings: [VariableInFunction: FunctionBinding] = [:]
        var listChanges: [String: [ListChange]]?
        var changeSites: [String: ChangeSites] = [:]
        var changedLists: [ChangedList: [String]?] = [:]
    }

    /// A change of a list bound by name (`NAMES.append("X")`), at its name's token: the strings
    /// it adds, or nil when it may leave anything in the list.
    private struct ListChange {
        var token: Int
        var added: [String]?
    }

    /// Every change of a list bound by name in the module, by name, in source order: `append`
    /// of a string literal, `extend` or `+=`/`|=` of a display of them, `insert` of one at an
    /// index of one token (what they add); any other method but `sort`, `reverse`, `copy`, `count` and `index`, another
    /// augmented assignment, an item assigned or deleted (nil); and those made through an alias
    /// (``withAliasChanges(_:aliases:)``). Read on the tokens.
    private func listChanges() -> [String: [ListChange]] {
        let all = module.tokens
        var changes: [String: [ListChange]] = [:]
        let del = Array("del".utf8)
        for k in all.indices where all[k].kind == .name && !isOp(k - 1, 0x2E) {
            let added: [String]?
            if isText(k - 1, del) {
                added = nil
            } else if isOp(k + 1, 0x2E), k + 3 < all.count, all[k + 2].kind == .name, isOp(k + 3, 0x28) {
                switch text(all[k + 2].span) {
                case "append": added = singleString(at: k + 4, before: 0x29)
                // `insert(0, "X")`: an index of one token.
                case "insert": added = isOp(k + 5, 0x2C) ? singleString(at: k + 6, before: 0x29) : nil
                case "extend":
                    let (strings, end) = stringDisplay(at: k + 4)
                    added = isOp(end, 0x29) ? strings : nil
                case "sort", "reverse", "copy", "count", "index": continue
                default: added = nil
                }
            } else if let op = assignmentOperator(at: k + 1), op != "=" {
                added = addedDisplay(at: k)?.strings
            } else if isOp(k + 1, 0x5B), let close = closingBracket(of: k + 1, in: all), assignmentOperator(at: close + 1) != nil {
                added = nil
            } else {
                continue
            }
            changes[text(all[k].span), default: []].append(ListChange(token: k, added: added))
        }
        return Self.withAliasChanges(changes, aliases: listAliases())
    }

    /// `changes` with, for each statement `alias = NAMES`, the changes made through `alias`
    /// counted as changes of `NAMES` too, where they stand (Python binds both names to one
    /// list). An alias bound again elsewhere may then name another list: its changes leave
    /// `NAMES` unknown.
    private static func withAliasChanges(_ changes: [String: [ListChange]], aliases: [(alias: String, list: String, bindings: Int)]) -> [String: [ListChange]] {
        var result = changes
        var lengthened: Set<String> = []
        for (alias, list, bindings) in aliases {
            for change in changes[alias] ?? [] {
                result[list, default: []].append(ListChange(token: change.token, added: bindings == 1 ? change.added : nil))
                lengthened.insert(list)
            }
        }
        // In source order, as ``changed(_:_:loop:function:isLocal:_:)`` reads a module's changes.
        for list in lengthened { result[list]?.sort { $0.token < $1.token } }
        return result
    }

    /// The statements `alias = NAMES` of two plain names, with how many statements bind the
    /// alias (any `alias = …` that starts a statement).
    private func listAliases() -> [(alias: String, list: String, bindings: Int)] {
        let all = module.tokens
        var aliases: [(alias: String, list: String)] = []
        var bindings: [String: Int] = [:]
        for k in all.indices where all[k].kind == .name && isOp(k + 1, 0x3D) {
            guard startsStatement(k) else { continue }
            let alias = text(all[k].span)
            bindings[alias, default: 0] += 1
            guard k + 2 < all.count, all[k + 2].kind == .name, !bytes[all[k + 2].span.range].elementsEqual(bytes[all[k].span.range]), endsStatement(at: k + 3)
            else { continue }
            aliases.append((alias, text(all[k + 2].span)))
        }
        return aliases.map { ($0.alias, $0.list, bindings[$0.alias] ?? 1) }
    }

    /// What `name += [...]` (or `|=`) at the name's token `k` adds: the strings of a display
    /// of string literals that ends its statement, and the byte offset where it ends; nil for
    /// any other operator or value.
    private func addedDisplay(at k: Int) -> (strings: [String], statementEnd: Int)? {
        let all = module.tokens
        guard let op = assignmentOperator(at: k + 1), op == "+=" || op == "|=" else { return nil }
        let (strings, end) = stringDisplay(at: k + 2)
        guard let strings, end >= all.count || [.newline, .comment, .endMarker].contains(all[end].kind) else { return nil }
        return (strings, all[end - 1].span.end)
    }

    /// The assignment operator token `k` is (`=`, `+=`, `<<=`, `:=`…), if it is one.
    func assignmentOperator(at k: Int) -> String? {
        let all = module.tokens
        guard k < all.count, all[k].kind == .op, bytes[all[k].span.range].last == 0x3D else { return nil }
        let op = text(all[k].span)
        return ["==", "<=", ">=", "!="].contains(op) ? nil : op
    }

    /// The string a plain string literal at token `k` holds when the token after it is the
    /// operator `close` (`"X")`), else nil.
    private func singleString(at k: Int, before close: UInt8) -> [String]? {
        let all = module.tokens
        guard k < all.count, all[k].kind == .string, isOp(k + 1, close), let decoded = PythonStringDecoder.decode(all[k], in: bytes), !decoded.isBytes else { return nil }
        return [decoded.text]
    }

    /// A variable in a function's body (`body`).
    private struct VariableInFunction: Hashable {
        var variable: String
        var body: ByteSpan
    }

    /// How a function binds a variable its loops go over: not at all, in one statement
    /// `<variable> = <display of string literals>` (its strings and span), or otherwise.
    private enum FunctionBinding: Equatable {
        case unbound
        case display([String], statement: ByteSpan)
        case other
    }

    /// How the function with `body` binds `variable`, found once for all its loops. Read on
    /// the tokens: the statement prefilter steps over such an assignment.
    private func binding(of variable: String, in body: ByteSpan) -> FunctionBinding {
        let all = module.tokens
        let word = Array(variable.utf8)
        var found: (strings: [String], statement: ByteSpan)?
        // `names += ["X"]` statements: after the display they add to the list (``changed``)
        // rather than bind it anew.
        var additions: [ByteSpan] = []
        for k in tokens(in: body).indices where all[k].kind == .name && isText(k, word) {
            guard startsStatement(k) else { continue }
            if let added = addedDisplay(at: k) {
                additions.append(ByteSpan(all[k].span.start, added.statementEnd))
                continue
            }
            guard isOp(k + 1, 0x3D) else { continue }
            let (strings, end) = stringDisplay(at: k + 2)
            guard let strings, end < all.count, [.newline, .comment].contains(all[end].kind), found == nil else { return .other }
            found = (strings, ByteSpan(all[k].span.start, all[end - 1].span.end))
        }
        guard let found else { return rebinds(variable, in: body) ? .other : .unbound }
        if rebinds(variable, in: ByteSpan(body.start, found.statement.start)) { return .other }
        var start = found.statement.end
        for addition in additions where addition.start >= start {
            if rebinds(variable, in: ByteSpan(start, addition.start)) { return .other }
            start = addition.end
        }
        if rebinds(variable, in: ByteSpan(start, body.end)) { return .other }
        return .display(found.strings, statement: found.statement)
    }

    /// The `for` statement whose `for` is token `i`, binding one name: the token indices of
    /// its iterable (up to the header's `:`) and of its body.
    private func forStatement(at i: Int) -> (iterable: Range<Int>, body: Range<Int>)? {
        let all = module.tokens
        guard i + 3 < all.count, all[i + 1].kind == .name, isText(i + 2, Array("in".utf8)) else { return nil }
        // Past the rest of the header to its `:` at bracket depth 0.
        var k = i + 3
        var depth = 0
        while k < all.count, !(depth == 0 && isOp(k, 0x3A)) {
            if all[k].kind == .newline || all[k].kind == .endMarker { return nil }
            if isOp(k, 0x28) || isOp(k, 0x5B) || isOp(k, 0x7B) { depth += 1 }
            if isOp(k, 0x29) || isOp(k, 0x5D) || isOp(k, 0x7D) { depth -= 1 }
            k += 1
        }
        let iterable = (i + 3)..<k
        guard k + 1 < all.count else { return nil }
        k += 1
        guard all[k].kind == .newline || all[k].kind == .comment else {
            // `for x in xs: body` on one line.
            let start = k
            while k < all.count, all[k].kind != .newline, all[k].kind != .endMarker { k += 1 }
            return (iterable, start..<k)
        }
        // A block: from its indent to the dedent that closes it.
        while k < all.count, all[k].kind != .indent { k += 1 }
        guard k < all.count else { return nil }
        let start = k + 1
        var level = 0
        while k < all.count {
            if all[k].kind == .indent { level += 1 }
            if all[k].kind == .dedent {
                level -= 1
                if level == 0 { break }
            }
            k += 1
        }
        return (iterable, start..<max(start, k))
    }

    /// The strings of a list, tuple or set display of plain string literals starting at token
    /// `k`, and the index past its closing bracket; nil and `k` for anything else.
    private func stringDisplay(at k: Int) -> (strings: [String]?, end: Int) {
        let all = module.tokens
        guard isOp(k, 0x5B) || isOp(k, 0x28) || isOp(k, 0x7B) else { return (nil, k) }
        var strings: [String] = []
        var expectsString = true
        var i = k + 1
        while i < all.count, !(isOp(i, 0x5D) || isOp(i, 0x29) || isOp(i, 0x7D)) {
            switch all[i].kind {
            case .nl, .comment: break
            case .string where expectsString:
                guard let decoded = PythonStringDecoder.decode(all[i], in: bytes), !decoded.isBytes else { return (nil, k) }
                strings.append(decoded.text)
                expectsString = false
            case .op where !expectsString && isOp(i, 0x2C):
                expectsString = true
            default:
                return (nil, k)
            }
            i += 1
        }
        guard i < all.count, !strings.isEmpty else { return (nil, k) }
        return (strings, i + 1)
    }
}
