import Spans

/// systemd units: `Environment=`, `EnvironmentFile=`, `Exec*=`.
enum SystemdReader {
    static let execKeys: Set<String> = [
        "ExecStart", "ExecStartPre", "ExecStartPost", "ExecReload", "ExecStop", "ExecStopPost", "ExecCondition",
    ]

    static func read(_ builder: inout FactsBuilder) {
        let b = builder.bytes
        let lines = physicalLines(b)
        var k = 0
        while k < lines.count {
            let line = lines[k]
            k += 1
            let s = skipBlanks(b, line.start, line.end)
            if s >= line.end || b[s] == 0x23 || b[s] == 0x3B || b[s] == 0x5B { continue }
            // Continuation: a trailing backslash joins the next line with a space.
            var buffer = MappedBuffer()
            var cur = (start: s, end: line.end)
            var lastEnd = line.end
            while true {
                let e = trimEnd(b, cur.start, cur.end)
                if e > cur.start && b[e - 1] == 0x5C && k < lines.count {
                    buffer.append(b, cur.start..<(e - 1))
                    buffer.appendSynthetic(0x20, at: e - 1)
                    let n = lines[k]
                    k += 1
                    cur = (n.start, n.end)
                    lastEnd = n.end
                } else {
                    buffer.append(b, cur.start..<e)
                    lastEnd = e
                    break
                }
            }
            guard let eq = buffer.bytes.firstIndex(of: 0x3D) else { continue }
            let key = String(decoding: buffer.bytes[0..<trimEnd(buffer.bytes, 0, eq)], as: UTF8.self)
            let vs = skipBlanks(buffer.bytes, eq + 1, buffer.bytes.count)
            let value = buffer.suffix(from: vs)
            switch key {
            case "Environment":
                let script = value.parse(end: lastEnd, options: ShellParseOptions(wordsOnly: true, literalDollars: true))
                builder.facts.diagnostics += script.diagnostics
                for w in script.commands.flatMap(\.words) {
                    let a = EnvAssignmentSyntax.fromWord(w, context: .systemdEnvironment, malformedWithoutEquals: false)
                    if a.value == nil {
                        builder.diagnose(w.span, "Environment= entry without `=` (systemd ignores it)")
                    } else {
                        builder.addAssignment(a)
                    }
                }
            case "EnvironmentFile":
                var optional = false
                var v = value
                if v.bytes.first == 0x2D {
                    optional = true
                    v = v.suffix(from: 1)
                }
                let script = v.parse(end: lastEnd, options: ShellParseOptions(wordsOnly: true))
                if let w = script.commands.first?.words.first {
                    builder.facts.referencedFiles.append(ShellFileReference(path: w, isOptional: optional))
                }
            case _ where execKeys.contains(key):
                var v = value
                var at = false
                while let c = v.bytes.first, [0x2D, 0x40, 0x3A, 0x2B, 0x21].contains(c) {
                    if c == 0x40 { at = true }
                    v = v.suffix(from: 1)
                }
                let script = v.parse(end: lastEnd, options: ShellParseOptions(wordsOnly: true))
                builder.facts.diagnostics += script.diagnostics
                for var c in script.commands {
                    // `@`: the second word is argv[0], not an argument.
                    if at && c.words.count >= 2 { c.words.remove(at: 1) }
                    builder.add(c, origin: .systemdExec)
                    // The unit's environment is the script's too: the model joins the two.
                    if key == "ExecStart", let program = ManagedProgram(words: c.words) { builder.facts.managedPrograms.append(program) }
                }
            default:
                continue
            }
        }
    }
}

/// Procfile: `name: command`, one per line.
enum ProcfileReader {
    static func read(_ builder: inout FactsBuilder) {
        let b = builder.bytes
        for line in physicalLines(b) {
            let s = skipBlanks(b, line.start, line.end)
            if s >= line.end || b[s] == 0x23 { continue }
            guard let colon = b[s..<line.end].firstIndex(of: 0x3A) else {
                builder.diagnose(ByteSpan(s, line.end), "Procfile line without `name:`")
                continue
            }
            let script = ShellParser.parse(b[(colon + 1)..<line.end])
            builder.add(script, origin: .procfile)
            // foreman and honcho run the line in a shell, with the `.env` beside the Procfile:
            // the model joins that env with the script the line runs.
            let name = String(decoding: b[s..<trimEnd(b, s, colon)], as: UTF8.self)
            if let command = script.commands.first, let program = ManagedProgram(words: command.words, name: name) {
                builder.facts.managedPrograms.append(program)
            }
        }
    }
}

/// supervisord `.conf`: `command=` and `environment=` of `[program:x]` sections.
enum SupervisordReader {
    static func read(_ builder: inout FactsBuilder) {
        let b = builder.bytes
        let lines = physicalLines(b)
        var k = 0
        var inProgram = false
        var programName: String?
        while k < lines.count {
            let line = lines[k]
            k += 1
            let s = skipBlanks(b, line.start, line.end)
            if s >= line.end || b[s] == 0x23 || b[s] == 0x3B { continue }
            if b[s] == 0x5B {
                let header = String(decoding: b[s..<line.end], as: UTF8.self)
                inProgram = header.hasPrefix("[program:") || header.hasPrefix("[supervisord") || header.hasPrefix("[fcgi-program:")
                programName = header.hasPrefix("[program:") ? header.dropFirst(9).split(separator: "]").first.map(String.init) : nil
                continue
            }
            guard inProgram, s == line.start else { continue }
            guard let eq = b[s..<line.end].firstIndex(where: { $0 == 0x3D || $0 == 0x3A }) else { continue }
            let key = String(decoding: b[s..<trimEnd(b, s, eq)], as: UTF8.self).lowercased()
            // Value: rest of line plus indented continuation lines; ` ;` starts a comment.
            var buffer = MappedBuffer()
            var ranges: [Range<Int>] = [skipBlanks(b, eq + 1, line.end)..<line.end]
            while k < lines.count, lines[k].start < lines[k].end, isBlank(b[lines[k].start]) {
                let l = lines[k]
                let ls = skipBlanks(b, l.start, l.end)
                if ls >= l.end { break }
                ranges.append(ls..<l.end)
                k += 1
            }
            var lastEnd = line.end
            for (n, r) in ranges.enumerated() {
                var e = r.upperBound
                var j = r.lowerBound
                while j < e {
                    if b[j] == 0x3B && j > r.lowerBound && isBlank(b[j - 1]) { e = j; break }
                    j += 1
                }
                e = trimEnd(b, r.lowerBound, e)
                if n > 0 { buffer.appendSynthetic(0x0A, at: r.lowerBound) }
                buffer.append(b, r.lowerBound..<e)
                lastEnd = e
            }
            switch key {
            case "command":
                let script = buffer.parse(end: lastEnd, options: ShellParseOptions(wordsOnly: true))
                builder.facts.diagnostics += script.diagnostics
                // supervisord splits the line like `shlex` and runs no shell: `$X`, `$(…)` and
                // `~` reach the program as written; it fills in only its own `%(ENV_X)s`.
                var words: [ShellWord] = script.commands.flatMap(\.words).map { $0.withoutShellExpansions().withPercentInterpolations() }
                if !words.isEmpty {
                    let span = ByteSpan(words[0].span.start, words[words.count - 1].span.end)
                    words = Array(words)
                    builder.add(
                        ShellSimpleCommand(assignments: [], words: words, redirections: [], span: span, terminator: .end),
                        origin: .supervisordCommand)
                    if let programName, let program = ManagedProgram(words: words, name: programName) { builder.facts.managedPrograms.append(program) }
                }
            case "environment":
                environment(buffer, &builder)
            default:
                continue
            }
        }
    }

    /// `KEY="value",KEY2='v',KEY3=plain`.
    static func environment(_ buf: MappedBuffer, _ builder: inout FactsBuilder) {
        let b = buf.bytes
        let map = buf.map(end: buf.ends.last ?? 0)
        var k = 0
        while k < b.count {
            while k < b.count && (isBlank(b[k]) || b[k] == 0x0A || b[k] == 0x2C) { k += 1 }
            guard k < b.count else { break }
            let ns = k
            while k < b.count && b[k] != 0x3D && b[k] != 0x2C { k += 1 }
            let ne = trimEnd(b, ns, k)
            guard k < b.count, b[k] == 0x3D else {
                builder.diagnose(map.span(ns, k), "environment entry without `=`")
                continue
            }
            k += 1
            let vs = k
            var w = WordBuilder()
            if k < b.count && (b[k] == 0x22 || b[k] == 0x27) {
                let q = b[k]
                k += 1
                var closed = false
                while k < b.count {
                    if b[k] == q { closed = true; k += 1; break }
                    if q == 0x22 && b[k] == 0x5C && k + 1 < b.count {
                        w.add(ShellWordPart(kind: .escaped, quoting: .double, span: map.span(k, k + 2), text: String(UnicodeScalar(b[k + 1]))))
                        k += 2
                        continue
                    }
                    w.raw(b[k], at: map.outer(k), quoting: q == 0x22 ? .double : .single)
                    k += 1
                }
                if !closed { builder.diagnose(map.span(vs, k), "unterminated quoted value in environment=") }
                if w.parts.isEmpty && !w.hasPending {
                    w.add(ShellWordPart(kind: .literal, quoting: q == 0x22 ? .double : .single, span: .empty(at: map.outer(vs + 1)), text: ""))
                }
            } else {
                while k < b.count && b[k] != 0x2C {
                    w.raw(b[k], at: map.outer(k), quoting: .none)
                    k += 1
                }
            }
            let value = w.finish(span: map.span(vs, k)).withPercentInterpolations()
            builder.addAssignment(
                EnvAssignmentSyntax(
                    name: String(decoding: b[ns..<ne], as: UTF8.self), nameSpan: map.span(ns, ne), value: value,
                    span: map.span(ns, k), context: .supervisordEnvironment))
        }
    }
}

/// Markdown code fences whose info string names a shell (or is empty).
enum MarkdownReader {
    static let shellInfos: Set<String> = ["", "sh", "bash", "shell", "console", "zsh", "shell-session", "shellsession", "terminal"]

    static func read(_ builder: inout FactsBuilder) {
        builder.documentation = true
        builder.facts.isDocumentation = true
        let b = builder.bytes
        let lines = physicalLines(b)
        var k = 0
        while k < lines.count {
            let line = lines[k]
            k += 1
            let s = skipBlanks(b, line.start, line.end)
            let indent = s - line.start
            guard indent <= 3, s + 2 < line.end, b[s] == 0x60 || b[s] == 0x7E else { continue }
            let fence = b[s]
            var e = s
            while e < line.end && b[e] == fence { e += 1 }
            let fenceLength = e - s
            guard fenceLength >= 3 else { continue }
            let info = String(decoding: b[skipBlanks(b, e, line.end)..<line.end], as: UTF8.self)
                .split(whereSeparator: { $0 == " " || $0 == "{" || $0 == "," }).first.map { $0.lowercased() } ?? ""
            let console = info == "console" || info == "shell-session" || info == "shellsession" || info == "terminal"
            var buffer = MappedBuffer()
            var closeEnd = line.end
            var continuing = false
            var closed = false
            var quote = PlaceholderQuoting()
            while k < lines.count {
                let l = lines[k]
                k += 1
                let ls = skipBlanks(b, l.start, l.end)
                var ce = ls
                while ce < l.end && b[ce] == fence { ce += 1 }
                if ce - ls >= fenceLength && skipBlanks(b, ce, l.end) == l.end && ls - l.start <= 3 {
                    closeEnd = l.end
                    closed = true
                    break
                }
                guard shellInfos.contains(info) else { continue }
                var cs = min(l.start + indent, ls)
                // Prompts: `$ cmd`; in console blocks other lines are output unless continued.
                if ls + 1 < l.end && b[ls] == 0x24 && b[ls + 1] == 0x20 {
                    cs = ls + 2
                } else if console && !continuing {
                    continue
                }
                quote.append(b, cs..<l.end, to: &buffer)
                buffer.appendSynthetic(0x0A, at: l.end)
                let te = trimEnd(b, cs, l.end)
                continuing = te > cs && b[te - 1] == 0x5C
            }
            if !closed { closeEnd = b.count }
            if shellInfos.contains(info) && !buffer.bytes.isEmpty {
                builder.add(buffer.parse(end: closeEnd), origin: .documentation)
            }
        }
    }
}

/// Copies a documentation code block's lines, quoting the `<name>` placeholders docs write in
/// commands (`-t <token>`, `--key <your api key>`): to a shell they are redirections, which
/// would make the next word the flag's value (`-t <token> --namespace prefect` gives `-t
/// prefect`). Only unquoted ones, after a blank, the line's start or `=`, and ending before a
/// blank, the line's end or an operator; the quoting state carries over the block's lines.
struct PlaceholderQuoting {
    private var quote: UInt8?

    mutating func append(_ b: [UInt8], _ range: Range<Int>, to buffer: inout MappedBuffer) {
        var i = range.lowerBound
        while i < range.upperBound {
            let c = b[i]
            if let q = quote {
                if c == q {
                    quote = nil
                } else if q == 0x22 && c == 0x5C && i + 1 < range.upperBound {
                    buffer.append(b, i..<i + 2)
                    i += 2
                    continue
                }
                buffer.append(c, at: i)
                i += 1
                continue
            }
            switch c {
            case 0x22, 0x27:
                quote = c
            case 0x5C where i + 1 < range.upperBound:
                buffer.append(b, i..<i + 2)
                i += 2
                continue
            case 0x23 where i == range.lowerBound || isBlank(b[i - 1]):
                buffer.append(b, i..<range.upperBound)
                return
            case 0x3C where i == range.lowerBound || isBlank(b[i - 1]) || b[i - 1] == 0x3D:
                if let end = Self.placeholderEnd(b, from: i, before: range.upperBound) {
                    buffer.appendSynthetic(0x22, at: i)
                    buffer.append(b, i..<end)
                    buffer.appendSynthetic(0x22, at: end)
                    i = end
                    continue
                }
            default:
                break
            }
            buffer.append(c, at: i)
            i += 1
        }
    }

    /// The end of a `<name>` placeholder at `start`: a letter, then letters, digits, blanks and
    /// `_-.:/@` up to a `>` that follows no blank and that a blank, the end or a shell operator
    /// follows.
    static func placeholderEnd(_ b: [UInt8], from start: Int, before end: Int) -> Int? {
        guard start + 2 < end, b[start + 1] | 0x20 >= 0x61, b[start + 1] | 0x20 <= 0x7A else { return nil }
        var k = start + 2
        while k < end, b[k] != 0x3E {
            let c = b[k]
            guard ASCIIBytes.isWordByte(c) || isBlank(c) || c == 0x2D || c == 0x2E || c == 0x3A || c == 0x2F || c == 0x40 else { return nil }
            k += 1
        }
        // `<in.txt > out.txt` is two redirections, not a placeholder.
        guard k < end, !isBlank(b[k - 1]) else { return nil }
        let after = k + 1
        guard after == end || isBlank(b[after]) || b[after] == 0x3B || b[after] == 0x7C || b[after] == 0x26 || b[after] == 0x29 else { return nil }
        return after
    }
}

extension ShellWord {
    /// The word as a program started without a shell gets it: references, substitutions and
    /// `~` are their text. (A pattern is not expanded either.)
    func withoutShellExpansions() -> ShellWord {
        guard !isLiteral || hasUnquotedPattern else { return self }
        var word = self
        word.hasUnquotedPattern = false
        word.parts = parts.map { part in
            switch part.kind {
            case .variable, .commandSubstitution, .arithmetic, .tilde: ShellWordPart(kind: .literal, quoting: part.quoting, span: part.span, text: part.text)
            case .literal, .escaped, .makeVariable: part
            }
        }
        return word
    }

    /// The word with Python `%(name)s` interpolations (supervisord's `%(ENV_X)s`, `%(here)s`)
    /// in its literal parts turned into `.variable(name)` references.
    func withPercentInterpolations() -> ShellWord {
        guard parts.contains(where: { $0.kind == .literal && $0.text.contains("%(") }) else { return self }
        var out: [ShellWordPart] = []
        for part in parts {
            guard part.kind == .literal, part.span.length == part.text.utf8.count, part.text.contains("%(") else {
                out.append(part)
                continue
            }
            let b = Array(part.text.utf8)
            var k = 0
            var literalStart = 0
            func flushLiteral(_ end: Int) {
                if end > literalStart {
                    out.append(
                        ShellWordPart(
                            kind: .literal, quoting: part.quoting,
                            span: ByteSpan(part.span.start + literalStart, part.span.start + end),
                            text: String(decoding: b[literalStart..<end], as: UTF8.self)))
                }
            }
            while k + 1 < b.count {
                if b[k] == 0x25 && b[k + 1] == 0x28, let close = b[(k + 2)...].firstIndex(of: 0x29), close + 1 < b.count,
                    isNameStart(b[close + 1]) || b[close + 1] == 0x72 || b[close + 1] == 0x64
                {
                    flushLiteral(k)
                    let end = close + 2
                    out.append(
                        ShellWordPart(
                            kind: .variable(String(decoding: b[(k + 2)..<close], as: UTF8.self)), quoting: part.quoting,
                            span: ByteSpan(part.span.start + k, part.span.start + end),
                            text: String(decoding: b[k..<end], as: UTF8.self)))
                    k = end
                    literalStart = end
                    continue
                }
                k += 1
            }
            flushLiteral(b.count)
        }
        return ShellWord(span: span, parts: out, hasUnquotedPattern: hasUnquotedPattern)
    }
}

/// A crontab: `NAME=value` lines set the environment of every job; a job line has five time
/// fields (or one `@reboot`-style word), the user in a system crontab, then a shell command
/// that cron runs with `/bin/sh -c`.
enum CrontabReader {
    static func read(_ builder: inout FactsBuilder, userField: Bool) {
        let b = builder.bytes
        for line in physicalLines(b) {
            var k = skipBlanks(b, line.start, line.end)
            if k >= line.end || b[k] == 0x23 { continue }
            if isEnvironmentLine(b, from: k, to: line.end) {
                for command in ShellParser.parse(b[k..<line.end]).commands where command.words.isEmpty {
                    for assignment in command.assignments {
                        builder.addAssignment(EnvAssignmentSyntax.fromAssignment(assignment, context: .crontabEnvironment))
                    }
                }
                continue
            }
            let fields = (b[k] == 0x40 ? 1 : 5) + (userField ? 1 : 0)
            for _ in 0..<fields {
                while k < line.end, !isBlank(b[k]) { k += 1 }
                k = skipBlanks(b, k, line.end)
            }
            guard k < line.end else {
                builder.diagnose(ByteSpan(line.start, line.end), "crontab line without a command")
                continue
            }
            // `%` ends the command (the rest is its standard input) unless escaped.
            var end = k
            var escaped = false
            while end < line.end, escaped || b[end] != 0x25 {
                escaped = !escaped && b[end] == 0x5C
                end += 1
            }
            builder.add(ShellParser.parse(b[k..<end]), origin: .crontab)
        }
    }

    /// `NAME=value`: a line that sets a variable for every job.
    static func isEnvironmentLine(_ b: [UInt8], from start: Int, to end: Int) -> Bool {
        var k = start
        while k < end, b[k] == 0x5F || (b[k] | 0x20 >= 0x61 && b[k] | 0x20 <= 0x7A) || (k > start && b[k] >= 0x30 && b[k] <= 0x39) { k += 1 }
        return k > start && k < end && b[k] == 0x3D
    }
}
