import PythonSource
import Spans

/// Secret names a loop gives: `for name in ["DB_USER", "DB_PASSWORD"]:` around
/// `Secret(name).get()` (a task loading several secrets into env for a tool, say) reads each.
extension PythonFlowFactsBuilder {
    /// Each read whose name is the variable of a `for` statement around it over a list, tuple
    /// or set of plain string literals, and that the loop's body does not bind again, becomes
    /// one read per element. Read on the tokens, which the statement prefilter does not skip.
    mutating func nameLoopVariableReads() {
        var names: [Int: [String]] = [:]
        for k in facts.secretReferences.indices {
            let reference = facts.secretReferences[k]
            guard reference.name == nil, reference.namePattern == nil, reference.nameSource == nil, let given = loopNames(at: reference.span) else { continue }
            names[k] = given
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

    /// The strings the innermost `for <name> in [...]:` around the name at `span` binds it to.
    private func loopNames(at span: ByteSpan) -> [String]? {
        let read = tokens(in: span)
        guard read.count == 1, let index = read.indices.first, read[index].kind == .name, read[index].span == span else { return nil }
        let word = Array(bytes[span.range])
        let all = module.tokens
        let forWord = Array("for".utf8)
        var i = index - 1
        while i >= 0 {
            defer { i -= 1 }
            guard all[i].kind == .name, isText(i, forWord), i == 0 || [.newline, .indent, .dedent, .nl].contains(all[i - 1].kind),
                let loop = forStatement(at: i), loop.body.contains(index)
            else { continue }
            // The innermost loop around the read that binds its name decides.
            guard bytes[all[i + 1].span.range].elementsEqual(word) else { continue }
            guard let elements = loop.elements, let first = loop.body.first, let last = loop.body.last,
                !rebinds(String(decoding: word, as: UTF8.self), in: ByteSpan(all[first].span.start, all[last].span.end))
            else { return nil }
            return elements
        }
        return nil
    }

    /// The `for` statement whose `for` is token `i`, binding one name: the strings of its
    /// iterable when that is a bracketed display of plain string literals and nothing else,
    /// or a module variable holding one (nil otherwise), and the token indices of its body.
    private func forStatement(at i: Int) -> (elements: [String]?, body: Range<Int>)? {
        let all = module.tokens
        guard i + 3 < all.count, all[i + 1].kind == .name, isText(i + 2, Array("in".utf8)) else { return nil }
        var (elements, k) = stringDisplay(at: i + 3)
        // A module variable holding such a display, which the function around the loop does
        // not bind.
        if elements == nil, all[i + 3].kind == .name, isOp(i + 4, 0x3A), let strings = moduleStrings(text(all[i + 3].span)),
            !(module.functions.last(where: { $0.bodySpan.contains(all[i].span) }).map { rebinds(text(all[i + 3].span), in: $0.bodySpan) } ?? false)
        {
            elements = strings
            k = i + 4
        }
        // Past the rest of the header to its `:` at bracket depth 0.
        var depth = 0
        while k < all.count, !(depth == 0 && isOp(k, 0x3A)) {
            if all[k].kind == .newline || all[k].kind == .endMarker { return nil }
            if isOp(k, 0x28) || isOp(k, 0x5B) || isOp(k, 0x7B) { depth += 1 }
            if isOp(k, 0x29) || isOp(k, 0x5D) || isOp(k, 0x7D) { depth -= 1 }
            // Something after the display (`["A"] + more`): the strings are not all it gives.
            elements = nil
            k += 1
        }
        guard k + 1 < all.count else { return nil }
        k += 1
        guard all[k].kind == .newline || all[k].kind == .comment else {
            // `for x in xs: body` on one line.
            let start = k
            while k < all.count, all[k].kind != .newline, all[k].kind != .endMarker { k += 1 }
            return (elements, start..<k)
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
        return (elements, start..<max(start, k))
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
