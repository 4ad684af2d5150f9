import ShellWords
import Spans

extension ShellFactsBuilder {
    /// What an agent's `--label` word gives Prefect, when the tool can tell: its literal
    /// text, with `$NAME` and `${NAME}` replaced by what ``shellValue(of:before:)`` knows
    /// (`LABEL=prod` … `--label "$LABEL"`, a unit's `Environment=LABEL=prod` … `--label
    /// ${LABEL}`, a Makefile's `LABEL = prod` … `--label $(LABEL)`). Nil when a part may be
    /// anything.
    func labelValue(_ word: ShellWord, before command: ByteSpan) -> String? {
        if let literal = word.literalValue { return literal }
        var value = ""
        for part in word.parts {
            switch part.kind {
            case .literal, .escaped:
                value += part.text
            case .variable:
                guard let (name, known) = settledValue(of: part, before: command), EnvValueSyntax.mayReadAsLabel(name) else { return nil }
                // Unquoted, the shell splits the value into words and expands patterns in it;
                // systemd splits `$NAME` only, and puts `${NAME}` in one argument.
                let splits = part.quoting == .none && !(syntax.kind == .systemdUnit && part.text.hasPrefix("${"))
                if splits, known.isEmpty || known.utf8.contains(where: { Self.splitsOrExpands($0) }) { return nil }
                value += known
            case .makeVariable:
                // make pastes the value into the recipe line before the shell reads it.
                guard let (name, known) = settledValue(of: part, before: command), EnvValueSyntax.mayReadAsLabel(name), !known.isEmpty,
                    known.utf8.allSatisfy(EnvValueSyntax.isPlainLabelByte)
                else { return nil }
                value += known
            default:
                return nil
            }
        }
        return value
    }

    /// The value the file settles for a part that is one plain reference — `$NAME`, `${NAME}`
    /// (``shellValue(of:before:)``), a Makefile's `$(NAME)` (``makeValue(of:)``) — with the
    /// name; nil for any other part, or a value the file does not settle.
    func settledValue(of part: ShellWordPart, before command: ByteSpan) -> (name: String, value: String)? {
        switch part.kind {
        case .variable(let name) where part.text == "$" + name || part.text == "${" + name + "}":
            shellValue(of: name, before: command).map { (name, $0) }
        case .makeVariable(let name) where part.text == "$(" + name + ")" || part.text == "${" + name + "}":
            makeValue(of: name).map { (name, $0) }
        default:
            nil
        }
    }

    /// The image a `docker build -t` or `docker run` word names, with `$NAME` and `$(NAME)`
    /// replaced as in ``labelValue(_:before:)``; when a part is not known, what comes before it
    /// if that already ends the repository (`$(IMAGE):$(VERSION)`, matched by repository).
    func imageName(_ word: ShellWord, before command: ByteSpan) -> String? {
        if let literal = word.literalValue { return literal }
        var known = ""
        for part in word.parts {
            if part.kind == .literal || part.kind == .escaped {
                known += part.text
            } else if let value = settledValue(of: part, before: command)?.value, !value.isEmpty {
                known += value
            } else {
                return ImageBuild.repository(before: known)
            }
        }
        return known
    }

    /// What ``labelValue(_:before:)`` reads of each `--label` of `command`, and, when
    /// `readsLauncher`, the ``launcherVariable(_:before:)`` of each. Not mutating, and called
    /// once per command: closures over a mutating builder's `self` copy the whole builder.
    /// A word whose value is read is no launcher variable, which is not looked for again.
    func labelReadings(of command: AgentCommand, readsLauncher: Bool) -> (values: [String?], variables: [LabelVariable]) {
        let values = command.labels.map { labelValue($0, before: command.span) }
        guard readsLauncher else { return (values, []) }
        return (values, zip(command.labels, values).compactMap { word, value in value == nil ? launcherVariable(word, before: command.span) : nil })
    }

    /// A `--label` word that is one variable (`"$AGENT_LABEL"`, `${AGENT_LABEL}`) that no shell
    /// of the file sets, in a Dockerfile's `CMD`/`ENTRYPOINT` (shell form, or `sh -c`) or a
    /// script: the shell that runs the command expands it from the environment it starts
    /// with (the image's `ENV`, a compose service's `environment`), which the model joins.
    /// Nil for any other word, and for a name the file sets (``shellValue(of:before:)`` reads
    /// those, or they depend on paths the tool does not follow).
    func launcherVariable(_ word: ShellWord, before command: ByteSpan) -> LabelVariable? {
        guard syntax.kind == .dockerfile || syntax.kind == .shellScript, word.parts.count == 1, let part = word.parts.first,
            case .variable(let name) = part.kind, let reference = EnvValueSyntax.labelReference(part.text), reference.name == name,
            EnvValueSyntax.mayReadAsLabel(name), labelValue(word, before: command) == nil,
            !(entriesByName[name] ?? []).contains(where: { [.export, .shellVariable].contains(entries[$0].syntax.context) })
        else { return nil }
        var variable = LabelVariable(label: EnvValueSyntax.unknownLabel(word.value), variable: name, source: .environment, splits: part.quoting == .none, span: word.span)
        (variable.defaultValue, variable.defaultWhenEmpty) = (reference.defaultValue, reference.whenEmpty)
        return variable
    }

    /// The value a Makefile gives `$(name)` in its recipes, when the file settles it: every
    /// assignment of the name (`NAME = …`, `NAME := …`, `export NAME = …`) gives the same
    /// literal text, none appends (`+=`), sets a default (`?=`) or runs a command (`!=`), and
    /// the file has no other assignment of the name (a target's own, one in a `define`) nor a
    /// conditional, `include` or `override` that may change it. (`make NAME=…` still can, as
    /// it can change anything a Makefile sets.)
    func makeValue(of name: String) -> String? {
        let writes = (entriesByName[name] ?? []).map { entries[$0].syntax }.filter {
            ($0.context == .makeVariable || $0.context == .makeExport) && $0.value != nil
        }
        guard let value = writes.first?.value?.literalValue else { return nil }
        let bytes = file.bytes
        for write in writes {
            guard write.value?.literalValue == value, let valueStart = write.value?.span.start, valueStart >= write.nameSpan.end,
                valueStart <= bytes.count
            else { return nil }
            let op = bytes[write.nameSpan.end..<valueStart]
            if op.contains(0x3F) || op.contains(0x2B) || op.contains(0x21) { return nil }
        }
        return Self.makeAssignments(of: Array(name.utf8), in: bytes) == writes.count ? value : nil
    }

    /// How many lines outside recipes assign `name` (the name, blanks, an assignment operator),
    /// or `Int.max` when a line starts a conditional, an include, an `override` or a `define`.
    private static func makeAssignments(of name: [UInt8], in bytes: [UInt8]) -> Int {
        var count = 0
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            defer { lineStart = lineEnd + 1 }
            let line = bytes[lineStart..<lineEnd]
            guard line.first != 0x09 else { continue }  // a recipe line
            let text = line.drop { $0 == 0x20 }
            if makeDirectives.contains(where: { text.starts(with: $0) }) { return .max }
            var k = text.startIndex
            while let found = text[k...].firstRange(of: name) {
                k = found.upperBound
                let before = found.lowerBound > text.startIndex ? text[text.index(before: found.lowerBound)] : 0x20
                guard !ASCIIBytes.isWordByte(before) else { continue }
                var after = found.upperBound
                while after < text.endIndex, text[after] == 0x20 || text[after] == 0x09 { after += 1 }
                var op = after
                while op < text.endIndex, [0x3A, 0x3F, 0x2B, 0x21].contains(text[op]) { op += 1 }
                if op < text.endIndex, text[op] == 0x3D { count += 1 }
            }
        }
        return count
    }

    /// The value `$name` has for the command at `command`, when the file sets it so that the
    /// tool can tell: the last `name=…` or `export name=…` before it in the same shell has a
    /// literal value and runs on every path (``ShellSimpleCommand/runsConditionally``); the
    /// shell gives the name no other value, nor runs a command between the two that may set
    /// it (`read name`, `unset`, `source FILE`, `eval`, …). Nil otherwise, as for a value
    /// that comes from outside the file.
    func shellValue(of name: String, before command: ByteSpan) -> String? {
        if syntax.kind == .systemdUnit { return unitValue(of: name) }
        let shellStart = scopes.shellStart(command.start)
        var writes: [EnvAssignmentSyntax] = []
        for e in entriesByName[name] ?? [] {
            let write = entries[e].syntax
            guard write.context == .export || write.context == .shellVariable, !write.inDocumentation,
                scopes.shellStart(write.span.start) == shellStart
            else { continue }
            // `export NAME` marks the variable and gives it no value.
            if write.value != nil { writes.append(write) }
        }
        guard
            let last = writes.last(where: {
                $0.span.end <= command.start && scopes.sameShell($0.span.start, command.start) && !staysInChildShell($0.span, without: command)
            }),
            let value = last.value?.literalValue,
            reachesChildShell(name, assignedAt: last.span, command: command),
            // Other values, even after the command: which one holds depends on paths the tool does not follow.
            writes.allSatisfy({ $0.value?.literalValue == value }),
            !sites.enclosing(last.span).contains(where: \.command.runsConditionally)
        else { return nil }
        let between = ByteSpan(last.span.end, command.start)
        let mayWrite = syntax.commands.contains { site in
            // `export NAME=…` is among the writes; `export NAME` keeps the value.
            guard between.contains(site.command.span), let first = site.command.words.first?.literalValue, first != "export" else { return false }
            if Self.runsOtherText.contains(first) { return true }
            return site.command.words.dropFirst().contains { word in
                guard let text = word.literalValue else { return false }
                return text == name || text.hasPrefix(name + "=")
            }
        }
        return mayWrite ? nil : value
    }

    /// In a systemd unit, what `Exec*=` lines see: the last `Environment=` value of the name,
    /// unless an `EnvironmentFile=` (whose values override it) may set it too. A value with a
    /// `%` specifier (`%H`, the host name) is not known.
    private func unitValue(of name: String) -> String? {
        guard syntax.referencedFiles.isEmpty,
            let last = entriesByName[name]?.last(where: { entries[$0].syntax.context == .systemdEnvironment }),
            let value = entries[last].syntax.value?.literalValue, !value.contains("%")
        else { return nil }
        return value
    }

    /// A `sh -c '…'` (or the like) around `command` that does not also hold the assignment
    /// at `span` is another shell: it gets the variable only when it is exported (`export
    /// name=…`, a later `export name`, `set -a`) and no wrapper (`env -i`, `sudo`) drops it.
    private func reachesChildShell(_ name: String, assignedAt span: ByteSpan, command: ByteSpan) -> Bool {
        let around = sites.enclosing(command).filter { !$0.command.span.contains(span) }
        guard around.count > 1 else { return true }
        let exported = (entriesByName[name] ?? []).contains { entries[$0].syntax.span == span && entries[$0].context != nil }
        return exported && around.allSatisfy { ShellCommands.environmentReset(of: $0.command)?.passes(name, at: span.start) ?? true }
    }

    /// Lines that make a Makefile's variables depend on more than its assignments.
    private static let makeDirectives = ["ifeq", "ifneq", "ifdef", "ifndef", "include", "-include", "sinclude", "override", "define"].map { Array($0.utf8) }

    /// Commands that may set any variable: they run text the tool does not read here.
    private static let runsOtherText: Set<String> = ["eval", "source", "."]

    /// Space, tab, newline (the default IFS) and the pattern characters `*`, `?`, `[`.
    static func splitsOrExpands(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x2A || byte == 0x3F || byte == 0x5B
    }
}
