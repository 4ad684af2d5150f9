import Spans

/// justfiles (`justfile`, `.justfile`, `*.just`): each line of a recipe runs in a shell of its
/// own (a recipe that starts with `#!` is one script), `{{…}}` are just's expressions. `export
/// NAME := value` (every assignment with `set export`) puts a variable in the recipes'
/// environment, as a Makefile's `export` does; `set dotenv-load` loads `.env` (or the
/// `dotenv-filename`/`dotenv-path` setting) into it, as a unit's `EnvironmentFile=` does.
enum JustfileReader {
    static func read(_ builder: inout FactsBuilder) {
        let b = builder.bytes
        let lines = physicalLines(b)
        let exportsAll = lines.contains { line in setting(b, line) == "export" }
        var dotenvLoad = false
        var dotenvFile: (name: String, span: ByteSpan)?
        var inRecipe = false
        var k = 0
        while k < lines.count {
            let line = lines[k]
            k += 1
            let first = skipBlanks(b, line.start, line.end)
            guard first < line.end else { continue }
            if first > line.start, inRecipe {
                // The recipe's body: its indented lines (blank ones between them too).
                var body = [line]
                while k < lines.count, skipBlanks(b, lines[k].start, lines[k].end) > lines[k].start || lines[k].start == lines[k].end {
                    body.append(lines[k])
                    k += 1
                }
                readRecipe(body, &builder)
                continue
            }
            inRecipe = false
            if b[first] == 0x23 || b[first] == 0x5B { continue }  // a comment, an `[attribute]`
            if let name = setting(b, line) {
                let value = settingValue(b, line)
                switch name {
                case "dotenv-load": dotenvLoad = value.map { $0.text == "true" } ?? true
                case "dotenv-filename", "dotenv-path":
                    if let value { dotenvFile = (value.text, value.span) }
                    dotenvLoad = true
                default: break
                }
                continue
            }
            if assignment(b, first, line.end, exportsAll: exportsAll, &builder) { continue }
            // A recipe's header: `name params: dependencies` (`@name` runs it quietly).
            if let colon = b[first..<line.end].firstIndex(of: 0x3A), colon + 1 >= line.end || b[colon + 1] != 0x3D {
                inRecipe = true
            }
        }
        if dotenvLoad {
            let (name, span) = dotenvFile ?? (".env", ByteSpan(0, 0))
            builder.facts.referencedFiles.append(ShellFileReference(path: ShellWord.argument(name, map: .base(span.start)), isOptional: true))
        }
    }

    /// A recipe's body: one script after a `#!` line, else one shell per line (a line ending
    /// in `\` goes on), without the `@` and `-` just reads.
    private static func readRecipe(_ body: [(start: Int, end: Int, next: Int)], _ builder: inout FactsBuilder) {
        let b = builder.bytes
        guard let firstLine = body.first else { return }
        if b[skipBlanks(b, firstLine.start, firstLine.end)...].starts(with: [0x23, 0x21]) {
            var script = MappedBuffer()
            for line in body.dropFirst() {
                script.append(b, skipBlanks(b, line.start, line.end)..<line.end)
                script.appendSynthetic(0x0A, at: line.end)
            }
            let end = body.last?.end ?? firstLine.end
            builder.add(script.parse(end: end), origin: .script)
            builder.facts.oneShellSpans.append(ByteSpan(firstLine.next, end))
            return
        }
        var k = 0
        while k < body.count {
            var command = MappedBuffer()
            var start = skipBlanks(b, body[k].start, body[k].end)
            while start < body[k].end, b[start] == 0x40 || b[start] == 0x2D { start += 1 }
            var line = body[k]
            k += 1
            command.append(b, start..<line.end)
            while line.end > start, b[line.end - 1] == 0x5C, k < body.count {
                command.appendSynthetic(0x0A, at: line.end)
                line = body[k]
                k += 1
                command.append(b, skipBlanks(b, line.start, line.end)..<line.end)
            }
            guard !command.bytes.isEmpty, command.bytes.first != 0x23 else { continue }
            builder.add(command.parse(end: line.end), origin: .makeRecipe)
        }
    }

    /// `set NAME` or `set NAME := value`: the setting's name.
    private static func setting(_ b: [UInt8], _ line: (start: Int, end: Int, next: Int)) -> String? {
        let first = skipBlanks(b, line.start, line.end)
        guard first == line.start, line.end - first > 4, b[first..<(first + 4)].elementsEqual("set ".utf8) else { return nil }
        let start = skipBlanks(b, first + 4, line.end)
        var end = start
        while end < line.end, !isBlank(b[end]), b[end] != 0x3A { end += 1 }
        return end > start ? String(decoding: b[start..<end], as: UTF8.self) : nil
    }

    /// The value of `set NAME := value`: a string's text, or `true`/`false`.
    private static func settingValue(_ b: [UInt8], _ line: (start: Int, end: Int, next: Int)) -> (text: String, span: ByteSpan)? {
        guard let operatorEnd = b[line.start..<line.end].firstRange(of: Array(":=".utf8))?.upperBound else { return nil }
        let start = skipBlanks(b, operatorEnd, line.end)
        let end = trimEnd(b, start, line.end)
        guard end > start else { return nil }
        if (b[start] == 0x22 || b[start] == 0x27), end - start >= 2, b[end - 1] == b[start] {
            return (String(decoding: b[(start + 1)..<(end - 1)], as: UTF8.self), ByteSpan(start + 1, end - 1))
        }
        return (String(decoding: b[start..<end], as: UTF8.self), ByteSpan(start, end))
    }

    /// `[export] NAME := value`: an assignment, exported to the recipes' environment with
    /// `export` or `set export`. Whether the line is one.
    private static func assignment(_ b: [UInt8], _ first: Int, _ end: Int, exportsAll: Bool, _ builder: inout FactsBuilder) -> Bool {
        var start = first
        var exported = exportsAll
        if end - first > 7, b[first..<(first + 7)].elementsEqual("export ".utf8) {
            exported = true
            start = skipBlanks(b, first + 7, end)
        }
        var nameEnd = start
        while nameEnd < end, b[nameEnd] == 0x5F || b[nameEnd] == 0x2D || (b[nameEnd] | 0x20 >= 0x61 && b[nameEnd] | 0x20 <= 0x7A) || (b[nameEnd] >= 0x30 && b[nameEnd] <= 0x39) {
            nameEnd += 1
        }
        let op = skipBlanks(b, nameEnd, end)
        guard nameEnd > start, op + 1 < end, b[op] == 0x3A, b[op + 1] == 0x3D else { return false }
        let valueStart = skipBlanks(b, op + 2, end)
        let valueEnd = trimEnd(b, valueStart, end)
        let name = String(decoding: b[start..<nameEnd], as: UTF8.self)
        builder.addAssignment(
            EnvAssignmentSyntax(
                name: name, nameSpan: ByteSpan(start, nameEnd), value: value(b, valueStart, valueEnd), span: ByteSpan(start, max(valueEnd, op + 2)),
                context: exported ? .makeExport : .makeVariable))
        return true
    }

    /// A just expression as a word: a string literal's text (a `"…"` one's escapes kept as
    /// written, so that the value is reported and hidden where it stands), `env_var("NAME")`/
    /// `env("NAME")` as a reference to NAME, anything else (a backtick command, a
    /// concatenation, another variable) as a value known only when just runs.
    private static func value(_ b: [UInt8], _ start: Int, _ end: Int) -> ShellWord {
        let map = ShellOffsetMap.base(0)
        guard end > start else { return ShellWord.argument("", map: .base(start)) }
        let quote = b[start]
        if quote == 0x27 || quote == 0x22, end - start >= 2, b[end - 1] == quote, b[end - 2] != 0x5C || quote == 0x27,
            !b[(start + 1)..<(end - 1)].contains(quote) || quote == 0x22
        {
            return ShellWord.argument(String(decoding: b[(start + 1)..<(end - 1)], as: UTF8.self), map: .base(start + 1))
        }
        for function in ["env_var(", "env_var_or_default(", "env("] where b[start..<end].starts(with: function.utf8) {
            let open = start + function.utf8.count
            let close = b[open..<end].firstIndex { $0 == 0x2C || $0 == 0x29 } ?? end
            let argument = trimEnd(b, skipBlanks(b, open, close), close)
            let inner = skipBlanks(b, open, close)
            guard argument - inner >= 2, b[inner] == 0x22 || b[inner] == 0x27 else { break }
            let name = String(decoding: b[(inner + 1)..<(argument - 1)], as: UTF8.self)
            var w = WordBuilder()
            w.add(ShellWordPart(kind: .variable(name), quoting: .none, span: ByteSpan(start, end), text: "${" + name + "}"))
            return w.finish(span: ByteSpan(start, end))
        }
        return MakefileReader.commandOutput(b, start, end, map: map)
    }
}
