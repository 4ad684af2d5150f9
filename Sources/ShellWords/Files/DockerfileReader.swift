import Spans

/// Dockerfile `ENV`, `ARG`, `RUN`, `CMD`, `ENTRYPOINT` (exec and shell forms).
enum DockerfileReader {
    static func read(_ builder: inout FactsBuilder) {
        let b = builder.bytes
        let lines = physicalLines(b)
        var escape: UInt8 = 0x5C
        // Parser directives: only in leading comment lines.
        for line in lines {
            let s = skipBlanks(b, line.start, line.end)
            guard s < line.end, b[s] == 0x23 else { break }
            let text = String(String(decoding: b[(s + 1)..<line.end], as: UTF8.self).filter { $0 != " " && $0 != "\t" })
                .lowercased()
            if text == "escape=`" { escape = 0x60 } else if text == "escape=\\" { escape = 0x5C } else if !text.contains("=") { break }
        }
        var stage = StageCommand()
        var stages = StageTable()
        var k = 0
        while k < lines.count {
            let line = lines[k]
            k += 1
            let s = skipBlanks(b, line.start, line.end)
            if s >= line.end || b[s] == 0x23 { continue }
            // Logical line: drop escape+newline; skip comment and empty lines inside.
            var buffer = MappedBuffer()
            var cur = (start: s, end: line.end)
            var lastEnd = line.end
            while true {
                let e = trimEnd(b, cur.start, cur.end)
                if e > cur.start && b[e - 1] == escape {
                    buffer.append(b, cur.start..<(e - 1))
                    var next: (start: Int, end: Int, next: Int)? = nil
                    while k < lines.count {
                        let l = lines[k]
                        k += 1
                        let ls = skipBlanks(b, l.start, l.end)
                        if ls >= l.end || b[ls] == 0x23 { continue }
                        next = l
                        break
                    }
                    guard let n = next else { lastEnd = e; break }
                    cur = (n.start, n.end)
                    lastEnd = n.end
                } else {
                    buffer.append(b, cur.start..<cur.end)
                    lastEnd = cur.end
                    break
                }
            }
            instruction(buffer, end: lastEnd, escape: escape, &builder, lines: lines, k: &k, stage: &stage, stages: &stages)
        }
        stage.flush(&builder)
    }

    /// What a stage runs: Docker runs its last `ENTRYPOINT` with its last `CMD` as arguments,
    /// or the last `CMD` alone. The commands and entrypoints are read when the stage ends:
    /// what runs as what runs, tagged with the stage (whose `ENV` its process gets), the rest
    /// (overridden, or only arguments of a prefect entrypoint) as text, like a README's
    /// commands, whose credentials still count.
    ///
    /// - An exec-form entrypoint that runs `prefect` (`["prefect", "agent", "local", "start"]`)
    ///   takes the `CMD`'s words as its arguments (a shell-form `CMD` as `/bin/sh -c TEXT`).
    /// - Another exec-form entrypoint (`/entrypoint.sh`, most of which end in `exec "$@"`)
    ///   runs, and so does the `CMD`.
    /// - A shell-form entrypoint runs as `/bin/sh -c TEXT`, which ignores the `CMD`.
    ///
    /// A stage built `FROM` an earlier one inherits its entrypoint and command. Its own
    /// `ENTRYPOINT` resets the inherited `CMD`; its own `CMD` gives the inherited entrypoint
    /// new arguments; with only `ENV` of its own it runs the inherited ones again, in its env;
    /// with nothing of its own it runs what the earlier stage runs, which was read there.
    struct StageCommand {
        enum Command {
            case exec(ShellSimpleCommand)
            case shell(ShellScript, span: ByteSpan)

            var span: ByteSpan {
                switch self {
                case .exec(let command): command.span
                case .shell(_, let span): span
                }
            }

            /// The program it runs, when it is literal.
            var program: String? {
                switch self {
                case .exec(let command): ShellCommands.program(command.words)
                case .shell(let script, _): script.commands.first.flatMap { ShellCommands.program($0.words) }
                }
            }
        }
        enum Entrypoint {
            /// Exec form running `prefect`: the command gives its arguments.
            case prefect(ShellSimpleCommand)
            /// Exec form running another program; the command runs after it.
            case program(ShellSimpleCommand)
            /// Shell form: `/bin/sh -c TEXT`, which ignores the command.
            case shell(ShellScript)

            /// The program it runs, when it is not `prefect` and it is literal.
            var program: String? {
                switch self {
                case .prefect: nil
                case .program(let command): ShellCommands.program(command.words)
                case .shell(let script): script.commands.first.flatMap { ShellCommands.program($0.words) }
                }
            }
        }
        /// What a later stage built `FROM` this one starts with.
        struct Inheritance {
            var entrypoint: Entrypoint?
            var command: Command?
        }
        /// The stage's `AS` name, lowercased as Docker compares it.
        var name: String?
        /// What the stage's `FROM` takes from an earlier stage.
        var base: Inheritance?
        /// This stage's own entrypoint (nil with ``setsEntrypoint``: `ENTRYPOINT []`).
        var entrypoint: Entrypoint?
        var setsEntrypoint = false
        /// The stage has an `ENV` of its own: its image's env differs from its base's.
        var setsEnv = false
        /// The stage's `FROM` instruction.
        var from = ByteSpan.empty(at: 0)
        var commands: [Command] = []
        /// Entrypoints a later `ENTRYPOINT` replaced.
        var replaced: [Entrypoint] = []

        mutating func setEntrypoint(_ new: Entrypoint?) {
            if let entrypoint { replaced.append(entrypoint) }
            entrypoint = new
            setsEntrypoint = true
        }

        /// Reads what the stage runs; returns the stage's name and what a later stage built
        /// `FROM` it inherits.
        @discardableResult
        mutating func flush(_ builder: inout FactsBuilder) -> (name: String, inheritance: Inheritance)? {
            defer { self = StageCommand() }
            let entrypoint = setsEntrypoint ? self.entrypoint : base?.entrypoint
            let command = commands.last ?? (setsEntrypoint ? nil : base?.command)
            let result = name.map { ($0, Inheritance(entrypoint: entrypoint, command: command)) }
            let stage = builder.facts.dockerStages.indices.last
            var commandRuns = true
            switch entrypoint {
            case .prefect?, .shell?: commandRuns = false
            // `["sh", "-c", "TEXT"]` gives the command's words to TEXT as `$0`, `$1`, …
            case .program(let program)?: commandRuns = !Self.isShellDashC(program)
            case nil: break
            }
            if let stage {
                builder.facts.dockerStages[stage].programs = [entrypoint?.program, commandRuns ? command?.program : nil].compactMap { $0 }
                builder.facts.dockerStages[stage].programsStartWithEntrypoint = entrypoint?.program != nil
            }
            // Nothing of its own: it runs its base stage's command, in its base stage's env,
            // which was read there.
            if base != nil, !setsEntrypoint, commands.isEmpty, !setsEnv {
                if let stage, let base = builder.facts.dockerStages[stage].base {
                    builder.facts.dockerStages[stage].commandStage = builder.facts.dockerStages[base].commandStage
                }
                return result
            }
            if let stage { builder.facts.dockerStages[stage].commandStage = stage }
            let outer = (builder.documentation, builder.dockerStage)
            builder.documentation = true
            for replaced in replaced { Self.add(replaced, &builder) }
            for command in commands.dropLast(commandRuns ? 1 : 0) { Self.add(command, &builder) }
            builder.documentation = outer.0
            builder.dockerStage = stage
            defer { (builder.documentation, builder.dockerStage) = outer }
            switch entrypoint {
            case .prefect(let prefect)?:
                var words = prefect.words
                switch command {
                case .exec(let command)?:
                    words += command.words
                case .shell(_, let span)?:
                    // Docker appends `/bin/sh -c TEXT` to what the entrypoint gets (TEXT left out here).
                    for text in ["/bin/sh", "-c"] {
                        words.append(ShellWord(span: span, parts: [ShellWordPart(kind: .literal, quoting: .none, span: span, text: text)]))
                    }
                case nil: break
                }
                // The agent stands at the stage's own instruction: its `ENTRYPOINT`, the `CMD`
                // that gives an inherited one its arguments, or its `FROM` line.
                let site = setsEntrypoint ? prefect.span : commands.last?.span ?? from
                builder.add(ShellSimpleCommand(assignments: [], words: words, redirections: [], span: site, terminator: .end), origin: .dockerfileEntrypoint)
            case let other?:
                Self.add(other, &builder)
                if commandRuns, let command { add(command, &builder) }
            case nil:
                if let command { add(command, &builder) }
            }
            return result
        }

        /// Adds the command that runs; an inherited exec-form one stands at the `FROM` line.
        private func add(_ command: Command, _ builder: inout FactsBuilder) {
            if commands.isEmpty, case .exec(let inherited) = command {
                Self.add(.exec(ShellSimpleCommand(assignments: [], words: inherited.words, redirections: [], span: from, terminator: .end)), &builder)
            } else {
                Self.add(command, &builder)
            }
        }

        private static func add(_ command: Command, _ builder: inout FactsBuilder) {
            switch command {
            case .exec(let command): if !command.words.isEmpty { builder.add(command, origin: .dockerfileCmd) }
            case .shell(let script, _): builder.add(script, origin: .dockerfileCmd)
            }
        }

        private static func add(_ entrypoint: Entrypoint, _ builder: inout FactsBuilder) {
            switch entrypoint {
            case .prefect(let command), .program(let command): if !command.words.isEmpty { builder.add(command, origin: .dockerfileEntrypoint) }
            case .shell(let script): builder.add(script, origin: .dockerfileEntrypoint)
            }
        }

        /// A shell given a script with `-c` (`["/bin/sh", "-c", "…"]`, `["bash", "-lc", "…"]`).
        static func isShellDashC(_ command: ShellSimpleCommand) -> Bool {
            guard command.words.count > 2, let shell = command.words[0].literalValue, let flags = command.words[1].literalValue else { return false }
            let name = shell.split(separator: "/").last.map(String.init) ?? shell
            return ShellCommands.shells.contains(name) && flags.hasPrefix("-") && !flags.hasPrefix("--") && flags.contains("c")
        }

        /// `prefect` or a path to it: the entrypoint starts Prefect's command line itself.
        static func runsPrefect(_ command: ShellSimpleCommand) -> Bool {
            command.words.contains { word in
                guard let text = word.literalValue else { return false }
                return text == "prefect" || text.hasSuffix("/prefect")
            }
        }
    }

    static func instruction(
        _ buf: MappedBuffer, end: Int, escape: UInt8, _ builder: inout FactsBuilder,
        lines: [(start: Int, end: Int, next: Int)], k: inout Int, stage: inout StageCommand,
        stages: inout StageTable
    ) {
        let b = buf.bytes
        var e = 0
        while e < b.count && !isBlank(b[e]) { e += 1 }
        let keyword = String(decoding: b[0..<e], as: UTF8.self).uppercased()
        var argStart = skipBlanks(b, e, b.count)
        let map = buf.map(end: end)
        let options = ShellParseOptions(wordsOnly: false)
        switch keyword {
        case "FROM":
            if let (name, inheritance) = stage.flush(&builder) { stages.named[name] = (builder.facts.dockerStages.count - 1, inheritance) }
            let (image, name) = fromImageAndName(Array(b[argStart...]))
            let base = image.flatMap { stages.named[stages.expanded($0)] }
            stage.name = name
            stage.base = base?.inheritance
            stage.from = map.span(0, b.count)
            builder.facts.dockerStages.append(DockerStage(start: map.outer(0), name: name, base: base?.index))
        case "ENV":
            stage.setsEnv = true
            let script = ShellParser.parse(Array(b[argStart...]), map: shifted(map, argStart), options: ShellParseOptions(wordsOnly: true))
            builder.facts.diagnostics += script.diagnostics
            let words = script.commands.flatMap(\.words)
            guard let first = words.first else { return }
            if first.firstEqualsOffset != nil {
                for w in words {
                    let a = EnvAssignmentSyntax.fromWord(w, context: .dockerfileEnv, malformedWithoutEquals: false)
                    if a.value == nil {
                        builder.diagnose(w.span, "ENV entry without `=`")
                    } else {
                        builder.addAssignment(a)
                    }
                }
            } else {
                // Legacy `ENV NAME value with spaces`: the value is the rest of the line.
                var parts: [ShellWordPart] = []
                for (n, w) in words.dropFirst().enumerated() {
                    if n > 0, let prev = parts.last {
                        parts.append(ShellWordPart(kind: .escaped, quoting: .none, span: ByteSpan(prev.span.end, max(prev.span.end, w.span.start)), text: " "))
                    }
                    parts += w.parts
                }
                let valueSpan = words.count > 1 ? ByteSpan(words[1].span.start, words[words.count - 1].span.end) : ByteSpan.empty(at: first.span.end)
                let value = ShellWord(span: valueSpan, parts: parts)
                builder.addAssignment(
                    EnvAssignmentSyntax(
                        name: first.value, nameSpan: first.span, value: value, span: first.span.union(valueSpan),
                        context: .dockerfileEnv, nameIsLiteral: first.isLiteral))
            }
        case "ARG":
            let script = ShellParser.parse(Array(b[argStart...]), map: shifted(map, argStart), options: ShellParseOptions(wordsOnly: true))
            for w in script.commands.flatMap(\.words) {
                let assignment = EnvAssignmentSyntax.fromWord(w, context: .dockerfileArg, malformedWithoutEquals: false)
                builder.addAssignment(assignment)
                // Before the first `FROM`: a default that `FROM ${NAME}` may use.
                if builder.facts.dockerStages.isEmpty, assignment.nameIsLiteral, let value = assignment.value?.literalValue {
                    stages.globalArgs[assignment.name.lowercased()] = value.lowercased()
                }
            }
        case "COPY", "ADD":
            // Build-context files the image holds: a program it runs may be one of them.
            let words: [ShellWord]
            if argStart < b.count, b[argStart] == 0x5B, let array = JSONStringArray.parse(b, from: argStart, map: map) {
                words = array
            } else {
                words = ShellParser.parse(Array(b[argStart...]), map: shifted(map, argStart), options: ShellParseOptions(wordsOnly: true)).commands.flatMap(\.words)
            }
            let operands = words.filter { !($0.literalValue ?? "").hasPrefix("--") }
            guard let stage = builder.facts.dockerStages.indices.last, let destination = operands.last?.literalValue else { return }
            let sources = operands.dropLast().compactMap(\.literalValue)
            // Another stage's or image's files, a URL, a here-document: not the build context's.
            let fromContext = !words.contains { ($0.literalValue ?? "").hasPrefix("--from") } && sources.count == operands.count - 1
                && !sources.contains { $0.contains("://") || $0.hasPrefix("<<") }
            builder.facts.dockerStages[stage].copies.append(DockerCopy(sources: sources, destination: destination, fromContext: fromContext))
        case "RUN", "CMD", "ENTRYPOINT":
            let origin: ShellCommandOrigin = keyword == "RUN" ? .dockerfileRun : keyword == "CMD" ? .dockerfileCmd : .dockerfileEntrypoint
            if keyword == "RUN" {
                // Skip `--mount=…`, `--network=…`, `--security=…`.
                while argStart + 1 < b.count && b[argStart] == 0x2D && b[argStart + 1] == 0x2D {
                    var j = argStart
                    while j < b.count && !isBlank(b[j]) { j += 1 }
                    argStart = skipBlanks(b, j, b.count)
                }
            }
            if argStart < b.count && b[argStart] == 0x5B, let words = JSONStringArray.parse(b, from: argStart, map: map) {
                let cmd = ShellSimpleCommand(
                    assignments: [], words: words, redirections: [], span: map.span(argStart, b.count), terminator: .end)
                switch keyword {
                case "ENTRYPOINT":
                    // A later entrypoint replaces the earlier one (`ENTRYPOINT []` clears it).
                    stage.setEntrypoint(words.isEmpty ? nil : StageCommand.runsPrefect(cmd) ? .prefect(cmd) : .program(cmd))
                case "CMD":
                    stage.commands.append(.exec(cmd))
                default:
                    if !words.isEmpty { builder.add(cmd, origin: origin) }
                }
                return
            }
            var sub = buf.suffix(from: argStart)
            // BuildKit here-documents (`RUN <<EOF`): take the following lines into the shell text.
            if keyword == "RUN", let delimiter = heredocDelimiter(sub.bytes) {
                let src = builder.bytes
                while k < lines.count {
                    let l = lines[k]
                    k += 1
                    sub.appendSynthetic(0x0A, at: l.start)
                    sub.append(src, l.start..<l.end)
                    var t = l.start
                    while t < l.end && src[t] == 0x09 { t += 1 }
                    if src[t..<l.end].elementsEqual(delimiter) { break }
                }
            }
            let script = sub.parse(end: end, options: options)
            switch keyword {
            case "ENTRYPOINT": stage.setEntrypoint(.shell(script))
            case "CMD": stage.commands.append(.shell(script, span: map.span(argStart, b.count)))
            default: builder.add(script, origin: origin)
            }
        default:
            return
        }
    }

    /// The stages named so far, and the `ARG` defaults declared before the first `FROM`.
    struct StageTable {
        var named: [String: (index: Int, inheritance: StageCommand.Inheritance)] = [:]
        var globalArgs: [String: String] = [:]

        /// A `FROM` image written as `$NAME` or `${NAME}` of a global `ARG` with a default
        /// (what a build without `--build-arg` uses), else as written. Both are lowercased,
        /// as `FROM` lines are read.
        func expanded(_ image: String) -> String {
            guard image.hasPrefix("$") else { return image }
            var name = image.dropFirst()
            if name.hasPrefix("{"), name.hasSuffix("}") { name = name.dropFirst().dropLast() }
            return globalArgs[String(name)] ?? image
        }
    }

    /// The image of `FROM [--platform=…] IMAGE [AS NAME]` and the stage's name, lowercased
    /// (Docker compares stage names without case).
    static func fromImageAndName(_ bytes: [UInt8]) -> (image: String?, name: String?) {
        let words = bytes.split(whereSeparator: isBlank).map { String(decoding: $0, as: UTF8.self) }.filter { !$0.hasPrefix("--") }
        let image = words.first?.lowercased()
        let name = words.count == 3 && words[1].lowercased() == "as" ? words[2].lowercased() : nil
        return (image, name)
    }

    static func shifted(_ map: ShellOffsetMap, _ by: Int) -> ShellOffsetMap {
        guard let t = map.table else { return .base(map.base + by) }
        let ends = map.endTable.map { Array($0[min(by, $0.count)...]) }
        return .table(Array(t[min(by, t.count)...]), ends: ends)
    }

    /// The delimiter of a `<<EOF`/`<<-EOF`/`<<'EOF'` in `bytes`, if any.
    static func heredocDelimiter(_ bytes: [UInt8]) -> [UInt8]? {
        var k = 0
        while k + 1 < bytes.count {
            if bytes[k] == 0x3C && bytes[k + 1] == 0x3C && (k + 2 >= bytes.count || bytes[k + 2] != 0x3C) {
                var j = k + 2
                if j < bytes.count && bytes[j] == 0x2D { j += 1 }
                let script = ShellParser.parse(Array(bytes[j...]), options: ShellParseOptions(wordsOnly: true))
                if let w = script.commands.first?.words.first { return Array(w.value.utf8) }
                return nil
            }
            k += 1
        }
        return nil
    }
}

/// A JSON array of strings with exact spans (Dockerfile exec form).
enum JSONStringArray {
    /// Parses `[ "a", "b" ]` starting at `from`; nil if it is not exactly such an array
    /// (Docker then runs the text in shell form).
    static func parse(_ b: [UInt8], from: Int, map: ShellOffsetMap) -> [ShellWord]? {
        var k = from
        guard k < b.count, b[k] == 0x5B else { return nil }
        k += 1
        var words: [ShellWord] = []
        func ws() { while k < b.count && (isBlank(b[k]) || b[k] == 0x0A || b[k] == 0x0D) { k += 1 } }
        ws()
        if k < b.count && b[k] == 0x5D {
            k += 1
            ws()
            return k == b.count ? [] : nil
        }
        while true {
            ws()
            guard k < b.count, b[k] == 0x22 else { return nil }
            let start = k
            k += 1
            var w = WordBuilder()
            var closed = false
            while k < b.count {
                let c = b[k]
                if c == 0x22 { closed = true; k += 1; break }
                if c < 0x20 { return nil }
                if c == 0x5C {
                    guard k + 1 < b.count else { return nil }
                    let e = b[k + 1]
                    var text = ""
                    var len = 2
                    switch e {
                    case 0x22: text = "\""
                    case 0x5C: text = "\\"
                    case 0x2F: text = "/"
                    case 0x62: text = "\u{08}"
                    case 0x66: text = "\u{0C}"
                    case 0x6E: text = "\n"
                    case 0x72: text = "\r"
                    case 0x74: text = "\t"
                    case 0x75:
                        guard let u = hex4(b, k + 2) else { return nil }
                        len = 6
                        var scalar = u
                        if (0xD800..<0xDC00).contains(u), k + 11 < b.count, b[k + 6] == 0x5C, b[k + 7] == 0x75,
                            let low = hex4(b, k + 8), (0xDC00..<0xE000).contains(low)
                        {
                            scalar = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
                            len = 12
                        }
                        text = UnicodeScalar(scalar).map { String($0) } ?? "\u{FFFD}"
                    default: return nil
                    }
                    w.add(ShellWordPart(kind: .escaped, quoting: .json, span: map.span(k, k + len), text: text))
                    k += len
                    continue
                }
                w.raw(c, at: map.outer(k), quoting: .json)
                k += 1
            }
            guard closed else { return nil }
            if w.parts.isEmpty && !w.hasPending {
                w.add(ShellWordPart(kind: .literal, quoting: .json, span: .empty(at: map.outer(start + 1)), text: ""))
            }
            words.append(w.finish(span: map.span(start, k)))
            ws()
            guard k < b.count else { return nil }
            if b[k] == 0x2C { k += 1; continue }
            if b[k] == 0x5D {
                k += 1
                ws()
                return k == b.count ? words : nil
            }
            return nil
        }
    }

    static func hex4(_ b: [UInt8], _ k: Int) -> UInt32? {
        guard k + 4 <= b.count else { return nil }
        var v: UInt32 = 0
        for j in k..<(k + 4) {
            let c = b[j]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: return nil
            }
            v = v * 16 + d
        }
        return v
    }
}
