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
            guard i == 0 || [.newline, .indent, .dedent, .nl].contains(all[i - 1].kind), let (iterable, body) = forStatement(at: i) else { continue }
            loops.starts.append(i)
            loops.iterables.append(iterable)
            loops.bodies.append(body)
        }
        loops.nesting = NestedRanges(loops.bodies)
        return loops
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
    /// module variable holding one that the function does not bind; and the loop's body does
    /// not bind the name again.
    private func loopStrings(_ i: Int, iterable: Range<Int>, body: Range<Int>, variables: inout LoopVariables) -> [String]? {
        let all = module.tokens
        var strings: [String]?
        let (display, end) = stringDisplay(at: iterable.lowerBound)
        if let display, end == iterable.upperBound {
            strings = display
        } else if iterable.count == 1, all[iterable.lowerBound].kind == .name {
            let variable = text(all[iterable.lowerBound].span)
            if let function = variables.functionBodies.around(all[i].span.range).first.map({ module.functions[$0] }) {
                let key = VariableInFunction(variable: variable, body: function.bodySpan)
                let binding = variables.bindings[key] ?? binding(of: variable, in: function.bodySpan)
                variables.bindings[key] = binding
                switch binding {
                case .unbound: strings = moduleStrings(variable)
                case .display(let display, let statement): strings = statement.end <= all[i].span.start ? display : nil
                case .other: strings = nil
                }
            } else {
                strings = moduleStrings(variable)
            }
        }
        guard let strings, let first = body.first, let last = body.last,
            !rebinds(text(all[i + 1].span), in: ByteSpan(all[first].span.start, all[last].span.end))
        else { return nil }
        return strings
    }

    /// What the loops over a variable ask of the module, found once: the function around a
    /// loop, and how that function binds the variable.
    private struct LoopVariables {
        var functionBodies: NestedRanges
        var bindings: [VariableInFunction: FunctionBinding] = [:]
    }

    /// A variable in a function's body (`body`).
    private struct VariableInFunction: Hashable {
        var variable: String
        var body: ByteSpan
    }

    /// How a function binds a variable its loops go over: not at all, in one statement
    /// `<variable> = <display of string literals>` (its strings and span), or otherwise.
    private enum FunctionBinding {
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
        for k in tokens(in: body).indices where all[k].kind == .name && isText(k, word) {
            guard k > 0, [.newline, .indent, .dedent, .nl].contains(all[k - 1].kind), isOp(k + 1, 0x3D) else { continue }
            let (strings, end) = stringDisplay(at: k + 2)
            guard let strings, end < all.count, [.newline, .comment].contains(all[end].kind), found == nil else { return .other }
            found = (strings, ByteSpan(all[k].span.start, all[end - 1].span.end))
        }
        guard let found else { return rebinds(variable, in: body) ? .other : .unbound }
        if rebinds(variable, in: ByteSpan(body.start, found.statement.start)) || rebinds(variable, in: ByteSpan(found.statement.end, body.end)) { return .other }
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
