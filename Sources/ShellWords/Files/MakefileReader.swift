import Spans

/// Makefile recipes (tab-indented lines after a rule) and variable assignments.
enum MakefileReader {
    static func read(_ builder: inout FactsBuilder) {
        let b = builder.bytes
        let lines = physicalLines(b)
        var inRule = false
        // `define` blocks nest; their bodies are text, not assignments or recipes.
        var defineDepth = 0
        var bodyLineContinues = false
        // The same test as the analyzer's ShellScopes: `.ONESHELL:` anywhere.
        builder.recipeIsOneShell = lines.contains { line in
            hasPrefix(b, skipBlanks(b, line.start, line.end), line.end, ".ONESHELL")
        }
        // The values of the variables assigned so far, for recipes that are one of them.
        var variables: [String: MappedBuffer] = [:]
        var k = 0
        while k < lines.count {
            let line = lines[k]
            k += 1
            let first = skipBlanks(b, line.start, line.end)
            if defineDepth > 0 {
                // Make counts a bare `define` or `endef` only on a logical line of its own that
                // does not start with the recipe prefix (a tab).
                let continued = bodyLineContinues
                bodyLineContinues = line.end > line.start && b[line.end - 1] == 0x5C && !escapedBackslash(b, line.end - 1, line.start)
                if continued || (line.start < line.end && b[line.start] == 0x09) { continue }
                if isDirective(b, first, line.end, "define", commentEnds: false) {
                    defineDepth += 1
                } else if isDirective(b, first, line.end, "endef", commentEnds: false) {
                    defineDepth -= 1
                }
                continue
            }
            if line.start < line.end && b[line.start] == 0x09 && inRule {
                // A recipe line: continuation lines stay in the shell text (backslash and newline
                // included); make drops one leading tab of each continuation line.
                var buffer = MappedBuffer()
                var s = line.start + 1
                var current = line
                while true {
                    buffer.append(b, s..<current.end)
                    let ends = current.end > s && b[current.end - 1] == 0x5C && !escapedBackslash(b, current.end - 1, s)
                    guard ends, k < lines.count else { break }
                    buffer.appendSynthetic(0x0A, at: current.end)
                    current = lines[k]
                    k += 1
                    s = current.start < current.end && b[current.start] == 0x09 ? current.start + 1 : current.start
                }
                // Leading @, - and + are make's, not the shell's.
                var drop = 0
                while drop < buffer.bytes.count, Self.isRecipePrefix(buffer.bytes[drop]) { drop += 1 }
                let trimmed = Self.expandingWholeCommand(buffer.suffix(from: drop), variables)
                builder.add(trimmed.parse(end: current.end, options: ShellParseOptions(makeRecipe: true)), origin: .makeRecipe)
                continue
            }
            if first >= line.end || b[first] == 0x23 { continue }
            // `define X`, also after `override`, `export` or `private`; not `define = x`, which
            // assigns a variable named define.
            let directive = modifiers(b, first, line.end).end
            if isDirective(b, directive, line.end, "define", commentEnds: true),
                !startsAssignmentOperator(b, skipBlanks(b, directive + 6, line.end), line.end)
            {
                defineDepth = 1
                bodyLineContinues = false
                continue
            }
            // Logical line with continuations (make joins them with one space).
            var end = line.end
            var ranges: [Range<Int>] = [first..<line.end]
            while end > first && b[end - 1] == 0x5C && k < lines.count {
                ranges[ranges.count - 1] = ranges[ranges.count - 1].lowerBound..<(end - 1)
                let next = lines[k]
                k += 1
                ranges.append(skipBlanks(b, next.start, next.end)..<next.end)
                end = next.end
            }
            var buffer = MappedBuffer()
            for (n, r) in ranges.enumerated() {
                if n > 0 { buffer.appendSynthetic(0x20, at: r.lowerBound) }
                buffer.append(b, r)
            }
            if readIncludeOrExportAll(buffer, &builder) {
                inRule = false
                continue
            }
            let defined = assignment(buffer, &builder) { name, value, appends in
                if appends, let earlier = variables[name] {
                    var joined = earlier
                    joined.appendSynthetic(0x20, at: value.table.first ?? 0)
                    joined.append(contentsOf: value)
                    variables[name] = joined
                } else {
                    variables[name] = value
                }
            }
            if let handled = defined {
                if handled { inRule = false }
                continue
            }
            if let colon = topLevelColon(buffer.bytes) {
                inRule = true
                builder.allExport = false
                // `target: export NAME = value`: a target-specific variable, in the environment
                // of that target's recipes. Taken as the file's: the tool does not follow which
                // target's recipe starts which agent.
                var rest = colon + 1
                while rest < buffer.bytes.count, buffer.bytes[rest] == 0x3A { rest += 1 }
                rest = skipBlanks(buffer.bytes, rest, buffer.bytes.count)
                if rest < buffer.bytes.count, assignment(buffer.suffix(from: rest), &builder) != nil { continue }
                // `target: deps ; recipe`
                if let semi = buffer.bytes[colon...].firstIndex(of: 0x3B) {
                    let recipe = buffer.suffix(from: semi + 1)
                    builder.add(recipe.parse(end: end, options: ShellParseOptions(makeRecipe: true)), origin: .makeRecipe)
                }
            }
        }
        // A bare `export` exports every variable, wherever it stands (GNU make), but those
        // `unexport` names.
        if builder.facts.exportsAllMakeVariables {
            for k in builder.facts.assignments.indices
            where builder.facts.assignments[k].context == .makeVariable && !builder.unexportedMakeVariables.contains(builder.facts.assignments[k].name) {
                builder.facts.assignments[k].context = .makeExport
            }
        }
    }

    /// Whether `word` stands at `start`, followed by a blank, the line's end or, with
    /// `commentEnds` (outside a define body, where make drops comments first), a comment.
    private static func isDirective(_ b: [UInt8], _ start: Int, _ end: Int, _ word: StaticString, commentEnds: Bool) -> Bool {
        guard hasPrefix(b, start, end, word) else { return false }
        let next = start + word.utf8CodeUnitCount
        return next == end || isBlank(b[next]) || (commentEnds && b[next] == 0x23)
    }

    /// Whether `b[start..<end]` starts with `=`, `:=`, `::=`, `:::=`, `?=`, `+=` or `!=`.
    private static func startsAssignmentOperator(_ b: [UInt8], _ start: Int, _ end: Int) -> Bool {
        var k = start
        while k < end, k - start < 3, b[k] == 0x3A { k += 1 }  // :
        if k == start, k < end, b[k] == 0x3F || b[k] == 0x2B || b[k] == 0x21 { k += 1 }  // ? + !
        return k < end && b[k] == 0x3D
    }

    /// The words that modify a variable (`override`, `export`, `private`, `unexport`) from
    /// `start`, each followed by more of the line: where the line goes on after them, and
    /// whether `export` is among them.
    private static func modifiers(_ b: [UInt8], _ start: Int, _ end: Int) -> (end: Int, exported: Bool) {
        var k = start
        var exported = false
        while true {
            var e = k
            while e < end && !isBlank(b[e]) { e += 1 }
            guard e < end, isModifier(b, k, e) else { return (k, exported) }
            if e - k == 6 && hasPrefix(b, k, e, "export") { exported = true }
            k = skipBlanks(b, e, end)
        }
    }

    /// Whether `b[start..<end]` is `override`, `export`, `private` or `unexport`.
    private static func isModifier(_ b: [UInt8], _ start: Int, _ end: Int) -> Bool {
        switch end - start {
        case 6: hasPrefix(b, start, end, "export")
        case 7: hasPrefix(b, start, end, "private")
        case 8: hasPrefix(b, start, end, "override") || hasPrefix(b, start, end, "unexport")
        default: false
        }
    }

    /// `@`, `-` and `+` (make's) and blanks before a recipe's shell text.
    private static func isRecipePrefix(_ c: UInt8) -> Bool {
        switch c {
        case 0x40, 0x2D, 0x2B, 0x20, 0x09: true
        default: false
        }
    }

    /// Whether `b[start..<end]` starts with `prefix`.
    private static func hasPrefix(_ b: [UInt8], _ start: Int, _ end: Int, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard end - start >= count else { return false }
        let bytes = prefix.utf8Start
        for k in 0..<count where b[start + k] != bytes[k] { return false }
        return true
    }

    /// A byte that ends a variable name: `=`, `:`, `#`, `?`, `+`, `!`, `$`, `(`.
    private static func endsName(_ c: UInt8) -> Bool {
        switch c {
        case 0x3D, 0x3A, 0x23, 0x3F, 0x2B, 0x21, 0x24, 0x28: true
        default: false
        }
    }

    static func escapedBackslash(_ b: [UInt8], _ k: Int, _ s: Int) -> Bool {
        var count = 0
        var j = k
        while j >= s && b[j] == 0x5C { count += 1; j -= 1 }
        return count % 2 == 0
    }

    /// Index of the first `:` outside `$(…)` that is not part of an assignment operator.
    static func topLevelColon(_ b: [UInt8]) -> Int? {
        var depth = 0
        for (k, c) in b.enumerated() {
            if c == 0x28 || c == 0x7B { depth += 1 }
            if c == 0x29 || c == 0x7D { depth = max(0, depth - 1) }
            if depth == 0 && c == 0x3A { return k }
            if depth == 0 && c == 0x23 { return nil }
        }
        return nil
    }

    /// `include FILE…` (also `-include`, `sinclude`), whose files' assignments become make
    /// variables, and a bare `export`, which exports every variable: whether the line is one.
    static func readIncludeOrExportAll(_ buf: MappedBuffer, _ builder: inout FactsBuilder) -> Bool {
        let b = buf.bytes
        let limit = b.firstIndex(of: 0x23) ?? b.count
        if isDirective(b, 0, limit, "export", commentEnds: true), skipBlanks(b, 6, limit) == limit {
            builder.facts.exportsAllMakeVariables = true
            return true
        }
        // `unexport` alone undoes a bare `export` before it; `unexport NAME…` keeps those names
        // out of a bare `export`'s.
        if isDirective(b, 0, limit, "unexport", commentEnds: true) {
            var k = skipBlanks(b, 8, limit)
            if k == limit { builder.facts.exportsAllMakeVariables = false }
            while k < limit {
                var e = k
                while e < limit, !isBlank(b[e]) { e += 1 }
                builder.unexportedMakeVariables.insert(String(decoding: b[k..<e], as: UTF8.self))
                k = skipBlanks(b, e, limit)
            }
            return true
        }
        let start = b.first == 0x2D ? 1 : 0
        guard isDirective(b, start, limit, "include", commentEnds: true) || (start == 0 && isDirective(b, 0, limit, "sinclude", commentEnds: true))
        else { return false }
        var k = skipBlanks(b, b[start] == 0x73 ? start + 8 : start + 7, limit)
        // `include = x` assigns a variable named include.
        guard !startsAssignmentOperator(b, k, limit) else { return false }
        let map = buf.map(end: 0)
        while k < limit {
            var e = k
            while e < limit, !isBlank(b[e]) { e += 1 }
            let word = makeValue(b, k, e, map: map)
            builder.facts.makeIncludes.append(ShellSourcedFile(path: word, span: map.span(0, limit), allExport: false, scope: nil))
            k = skipBlanks(b, e, limit)
        }
        return true
    }

    /// A recipe line that is one variable (`$(START_AGENT)`, maybe redirected or sent to the
    /// background) is the command that variable holds, with each byte at its place in the
    /// variable's definition; up to four variables deep. Other references stay as they are.
    static func expandingWholeCommand(_ recipe: MappedBuffer, _ variables: [String: MappedBuffer], depth: Int = 0) -> MappedBuffer {
        let b = recipe.bytes
        let start = skipBlanks(b, 0, b.count)
        guard depth < 4, start + 3 < b.count, b[start] == 0x24, b[start + 1] == 0x28 || b[start + 1] == 0x7B else { return recipe }
        let close: UInt8 = b[start + 1] == 0x28 ? 0x29 : 0x7D
        var end = start + 2
        while end < b.count, b[end] != close, isNameByte(b[end]) { end += 1 }
        guard end < b.count, b[end] == close, end > start + 2, let value = variables[String(decoding: b[(start + 2)..<end], as: UTF8.self)] else {
            return recipe
        }
        // Only redirections, `&`, `;` or `|` may follow: `$(PREFECT) agent local start` is a command
        // of its own, whose words stay where the recipe writes them.
        let rest = skipBlanks(b, end + 1, b.count)
        guard rest == b.count || [0x3E, 0x3C, 0x26, 0x3B, 0x7C, 0x32, 0x31, 0x0A].contains(b[rest]) else { return recipe }
        var expanded = value
        expanded.append(contentsOf: recipe.suffix(from: end + 1))
        return expandingWholeCommand(expanded, variables, depth: depth + 1)
    }

    /// A byte of a plain variable name (not a function call or a substitution reference).
    private static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2D || c == 0x2E
    }

    /// Handles `[export|override|private] NAME op value` and `export NAME…`.
    /// Returns true when it was an assignment, false for a bare `export NAME`, nil otherwise.
    /// `defines` is told each variable's value as written (with `appends` for `+=`), but
    /// for `!=`, whose value is a command's output.
    static func assignment(
        _ buf: MappedBuffer, _ builder: inout FactsBuilder, defines: (_ name: String, _ value: MappedBuffer, _ appends: Bool) -> Void = { _, _, _ in }
    ) -> Bool? {
        let b = buf.bytes
        var (k, exported) = modifiers(b, 0, b.count)
        let nameStart = k
        while k < b.count && !isBlank(b[k]) && !endsName(b[k]) { k += 1 }
        let nameEnd = k
        guard nameEnd > nameStart else { return nil }
        k = skipBlanks(b, k, b.count)
        var opEnd = k
        // `NAME != command`: the value is what the shell command prints.
        let runsShell = k < b.count && b[k] == 0x21
        if k < b.count && b[k] == 0x3D {
            opEnd = k + 1
        } else if k + 1 < b.count && (b[k] == 0x3F || b[k] == 0x2B || b[k] == 0x21) && b[k + 1] == 0x3D {
            opEnd = k + 2
        } else if k + 1 < b.count && b[k] == 0x3A && b[k + 1] == 0x3D {
            opEnd = k + 2
        } else if k + 2 < b.count && b[k] == 0x3A && b[k + 1] == 0x3A && b[k + 2] == 0x3D {
            opEnd = k + 3
        } else if k + 3 < b.count && b[k] == 0x3A && b[k + 1] == 0x3A && b[k + 2] == 0x3A && b[k + 3] == 0x3D {
            opEnd = k + 4
        } else {
            if exported {
                // `export NAME OTHER`: names exported to recipes, values set elsewhere.
                let map = buf.map(end: 0)
                var s = nameStart
                let limit = b[nameStart...].firstIndex(of: 0x23) ?? b.count
                while s < limit {
                    s = skipBlanks(b, s, limit)
                    var e = s
                    while e < limit && !isBlank(b[e]) { e += 1 }
                    if e > s {
                        let sp = map.span(s, e)
                        builder.addAssignment(
                            EnvAssignmentSyntax(
                                name: String(decoding: b[s..<e], as: UTF8.self), nameSpan: sp, value: nil, span: sp,
                                context: .makeExport))
                    }
                    s = e
                }
                return false
            }
            return nil
        }
        let map = buf.map(end: 0)
        var vs = skipBlanks(b, opEnd, b.count)
        var ve = b.count
        // A `#` not escaped ends the value.
        var j = vs
        while j < ve {
            if b[j] == 0x5C { j += 2; continue }
            if b[j] == 0x23 { ve = j; break }
            j += 1
        }
        ve = trimEnd(b, vs, ve)
        if vs > ve { vs = ve }
        let value = runsShell ? commandOutput(b, vs, ve, map: map) : makeValue(b, vs, ve, map: map)
        if !runsShell {
            defines(String(decoding: b[nameStart..<nameEnd], as: UTF8.self), buf.slice(vs..<ve), b[k] == 0x2B)
        }
        builder.addAssignment(
            EnvAssignmentSyntax(
                name: String(decoding: b[nameStart..<nameEnd], as: UTF8.self), nameSpan: map.span(nameStart, nameEnd),
                value: value, span: map.span(nameStart, max(ve, opEnd)), context: exported ? .makeExport : .makeVariable))
        return true
    }

    /// The value of `NAME != command`: the command's output, unknown here.
    static func commandOutput(_ b: [UInt8], _ s: Int, _ e: Int, map: ShellOffsetMap) -> ShellWord {
        var w = WordBuilder()
        w.add(ShellWordPart(kind: .commandSubstitution, quoting: .make, span: map.span(s, e), text: String(decoding: b[s..<e], as: UTF8.self)))
        return w.finish(span: map.span(s, e))
    }

    /// A make value as a word: literal text, `$(X)`/`${X}`/`$X` references, `$$` as an escaped `$`.
    static func makeValue(_ b: [UInt8], _ s: Int, _ e: Int, map: ShellOffsetMap) -> ShellWord {
        var w = WordBuilder()
        var k = s
        while k < e {
            let c = b[k]
            if c == 0x24 && k + 1 < e {
                let n = b[k + 1]
                if n == 0x24 {
                    w.add(ShellWordPart(kind: .escaped, quoting: .make, span: map.span(k, k + 2), text: "$"))
                    k += 2
                    continue
                }
                if n == 0x28 || n == 0x7B {
                    let close: UInt8 = n == 0x28 ? 0x29 : 0x7D
                    var depth = 0
                    var j = k + 1
                    while j < e {
                        if b[j] == n { depth += 1 } else if b[j] == close {
                            depth -= 1
                            if depth == 0 { break }
                        }
                        j += 1
                    }
                    let end = min(j + 1, e)
                    var ne = k + 2
                    while ne < end - 1 && !isBlank(b[ne]) && b[ne] != 0x3A && b[ne] != close { ne += 1 }
                    w.add(
                        ShellWordPart(
                            kind: .makeVariable(String(decoding: b[(k + 2)..<ne], as: UTF8.self)), quoting: .make,
                            span: map.span(k, end), text: String(decoding: b[k..<end], as: UTF8.self)))
                    k = end
                    continue
                }
                w.add(
                    ShellWordPart(
                        kind: .makeVariable(String(UnicodeScalar(n))), quoting: .make, span: map.span(k, k + 2),
                        text: String(decoding: b[k..<(k + 2)], as: UTF8.self)))
                k += 2
                continue
            }
            w.raw(c, at: map.outer(k), quoting: .none)
            k += 1
        }
        return w.finish(span: map.span(s, e))
    }
}
