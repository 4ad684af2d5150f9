import Foundation
import PythonSource
import ShellWords
import Spans

extension PythonFlowFactsBuilder {
    // MARK: Agents started as programs

    /// The calls that run a command line: a shell line (`os.system`, `subprocess.*(…,
    /// shell=True)`) or an argument list (`subprocess.*([…])`, no shell between).
    static let programRunners: Set<String> = [
        "os.system", "os.popen", "subprocess.run", "subprocess.Popen", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
    ]

    /// Agents a launcher script starts as a program (`os.system("prefect agent local start
    /// -l etl")`, `subprocess.Popen(["prefect", "agent", "docker", "start", …])`), read as a
    /// shell script's are: labels, `--env`, `--key`, env set before the command. A line
    /// formatted at run time (`f"… -l {label}"`, `"… --key {}".format(key)`) has unknown words
    /// where Python inserts values, as has an argument list where it holds a variable, except
    /// where the value is a string the module settles (`LABEL = "docker"`) that the call's
    /// function does not bind to something else: then it is that text. A
    /// subprocess's `env=` is the program's whole environment (`{**os.environ, …}` keeps the
    /// module's); any other `env=` may set anything.
    mutating func collectAgentsStartedAsPrograms() {
        for call in module.calls {
            guard let runner = call.resolvedName, Self.programRunners.contains(runner), let command = call.positional(0)?.value else { continue }
            let shell: ShellFileFacts
            let throughShell = runner.hasPrefix("os.") || call.keyword("shell").map({ text($0.value.span) == "True" }) == true
            let written = dereference(command)
            switch written {
            case .string(let literal) where throughShell && !hasPlaceholders(literal):
                guard let line = literalValue(literal), line.contains("prefect") else { continue }
                shell = ShellFileReader.readEmbeddedScript(Array(line.utf8), map: offsetMap(literal, valueCount: line.utf8.count))
            case .string, .call:
                guard throughShell, let line = formattedCommandLine(written, at: call), ByteSearch.contains(Array("prefect".utf8), in: line.text, range: 0..<line.text.count)
                else { continue }
                shell = ShellFileReader.readEmbeddedScript(line.text, map: line.map)
            case .sequence(let list) where !throughShell:
                // A literal is its text; anything else a value the script computes.
                var words: [ShellWord] = []
                var namesPrefect = false
                for element in list.elements {
                    if case .string(let literal) = element, let argument = literalValue(literal) {
                        namesPrefect = namesPrefect || argument.contains("prefect")
                        words.append(ShellWord.argument(argument, map: offsetMap(literal, valueCount: argument.utf8.count)))
                    } else if let value = settledString(element, at: call) {
                        words.append(ShellWord.argument(value, map: Self.wholeSpanMap(element.span, count: value.utf8.count)))
                    } else if let word = computedArgument(element) {
                        words.append(word)
                    }
                }
                guard words.count == list.elements.count, namesPrefect else { continue }
                shell = ShellFileReader.readArguments(words)
            default:
                continue
            }
            python.programCommandSpans.append(written.span)
            var program = YAMLFactsBuilder()
            var scope = ShellScope()
            program.addShellFacts(shell, scope: &scope)
            let first = facts.agents.count
            adopt(program.finish(), environment: runner.hasPrefix("subprocess.") ? call.keyword("env")?.value : nil)
            for index in first..<facts.agents.count { programStarts[index] = call.span.start }
        }
    }

    /// The text of a module constant (``constantString(_:depth:)``: a literal, a settled module
    /// string, an f-string or `+` of such) Python inserts at `call`; nil when a function
    /// around the call binds a name the expression reads (a parameter, a local variable), or
    /// may (the names in an f-string, inside a function).
    private func settledString(_ expression: PythonExpression, at call: PythonCall) -> String? {
        let position = call.span.start
        var names: [String] = []
        var formats = false
        func read(_ expression: PythonExpression) {
            switch expression {
            case .name(let n): names.append(n.text)
            case .sum(let operands, _): operands.forEach(read)
            case .string(let literal): formats = formats || literal.isFString
            default: break
            }
        }
        read(expression)
        guard let value = constantString(expression), !names.contains(where: { isBound($0, at: position) }),
            !(formats && module.functions.contains { $0.bodySpan.contains(position) })
        else { return nil }
        return value
    }

    /// ``settledString(_:at:)`` of the name `name`, read at byte offset `position`.
    func settledConstant(named name: String, at position: Int) -> String? {
        guard let value = moduleConstant(name), !isBound(name, at: position) else { return nil }
        return value
    }

    /// Whether a function whose body holds `position` has a parameter `name` or binds it.
    private func isBound(_ name: String, at position: Int) -> Bool {
        module.functions.contains { function in
            function.bodySpan.contains(position)
                && (function.parameters.contains { $0.name == name } || rebinds(name, in: function.bodySpan))
        }
    }

    /// An argument the script computes (`label`, `os.environ["LABEL"]`): one word whose value is
    /// unknown, a command substitution named after the variable (`"$(label)"`). Not a starred
    /// list (`*args`), whose number of words is unknown.
    private func computedArgument(_ element: PythonExpression) -> ShellWord? {
        if case .other(let span) = element, text(span).hasPrefix("*") { return nil }
        let word = Array("\"\(Self.substitution(for: element))\"".utf8)
        let map = Self.wholeSpanMap(element.span, count: word.count)
        let words = ShellParser.parse(word, map: map, options: ShellParseOptions(wordsOnly: true)).commands.flatMap(\.words)
        return words.count == 1 ? words.first : nil
    }

    /// The command substitution that stands for a value Python computes: named after the
    /// variable that holds it (`$(label)`), else `$(python)`. Only a name: any other expression
    /// may hold a literal, which messages must not show.
    private static func substitution(for expression: PythonExpression?) -> String {
        if case .name(let n)? = expression { return "$(\(n.text))" }
        return "$(python)"
    }

    /// A map that places each of `count` bytes on the whole of `span`.
    private static func wholeSpanMap(_ span: ByteSpan, count: Int) -> ShellOffsetMap {
        .table(Array(repeating: span.start, count: count) + [span.end], ends: Array(repeating: span.end, count: count))
    }

    /// A shell line formatted when the script runs (an f-string, or a literal's `.format(…)`),
    /// with each replacement field made a command substitution named after what fills it
    /// (`--label {label}` reads as `--label $(label)`): the shell's reading gives it an unknown
    /// value, split into words as the inserted text is. A field that is a string the module
    /// settles (``settledString(_:at:)``) is that text, which the shell reads as it would.
    /// Only a one-part literal without backslashes, whose bytes are its value.
    private func formattedCommandLine(_ expression: PythonExpression, at call: PythonCall) -> (text: [UInt8], map: ShellOffsetMap)? {
        let literal: PythonStringLiteral
        var arguments: PythonCall?
        switch expression {
        case .string(let l) where l.isFString:
            literal = l
        case .call(let call):
            guard case .attribute(.string(let l), "format", _) = call.callee, !l.isFString else { return nil }
            literal = l
            arguments = call
        default:
            return nil
        }
        let content = valueSpan(literal)
        guard literal.parts.count == 1, !literal.isBytes, !bytes[content.range].contains(0x5C) else { return nil }
        var out: [UInt8] = []
        var starts: [Int] = []
        var ends: [Int] = []
        var nextPositional = 0
        var k = content.start
        while k < content.end {
            let byte = bytes[k]
            if (byte == 0x7B || byte == 0x7D), k + 1 < content.end, bytes[k + 1] == byte {
                out.append(byte)
                starts.append(k)
                ends.append(k + 2)
                k += 2
                continue
            }
            guard byte == 0x7B else {
                out.append(byte)
                starts.append(k)
                ends.append(k + 1)
                k += 1
                continue
            }
            // The field runs to its `}` (a format spec may hold fields of its own).
            var depth = 1
            var close = k + 1
            var fieldEnd: Int?
            while close < content.end {
                let c = bytes[close]
                if c == 0x7B { depth += 1 } else if c == 0x7D { depth -= 1 }
                if depth == 1, fieldEnd == nil, c == 0x21 || c == 0x3A { fieldEnd = close }
                if depth == 0 { break }
                close += 1
            }
            guard close < content.end else { return nil }
            let field = text(ByteSpan(k + 1, fieldEnd ?? close)).trimmingCharacters(in: .whitespaces)
            var filler = Self.substitution(for: nil)
            // What fills the field, as Python inserts it: a settled string without conversion or spec.
            func filled(_ value: PythonExpression?) -> String {
                guard let value else { return Self.substitution(for: nil) }
                if fieldEnd == nil, let text = settledString(value, at: call) { return text }
                return Self.substitution(for: value)
            }
            if let arguments {
                if field.isEmpty {
                    filler = filled(arguments.positional(nextPositional)?.value)
                    nextPositional += 1
                } else if let index = Int(field) {
                    filler = filled(arguments.positional(index)?.value)
                } else {
                    filler = filled(arguments.keyword(field)?.value)
                }
            } else if fieldEnd == nil, let text = settledConstant(named: field, at: call.span.start) {
                filler = text
            } else if field.utf8.allSatisfy({ ASCIIBytes.isWordByte($0) || $0 == 0x2E }), !field.isEmpty {
                filler = "$(\(field))"
            }
            for b in Array(filler.utf8) {
                out.append(b)
                starts.append(k)
                ends.append(close + 1)
            }
            k = close + 1
        }
        return (out, .table(starts + [content.end], ends: ends))
    }

    /// Where each byte of a literal's value stands: one to one without escapes, else the whole
    /// value for each (an escape makes the two lengths differ).
    private func offsetMap(_ literal: PythonStringLiteral, valueCount: Int) -> ShellOffsetMap {
        let span = valueSpan(literal)
        if literal.parts.count == 1, span.length == valueCount { return .base(span.start) }
        return Self.wholeSpanMap(span, count: valueCount)
    }

    /// Adds a program's facts to the module's, its agents after the module's own; `environment`
    /// is the `env=` the program is started with.
    private mutating func adopt(_ program: FileFacts, environment: PythonExpression?) {
        let offset = facts.agents.count
        func shifted(_ assignment: EnvAssignment) -> EnvAssignment {
            var moved = assignment
            moved.agentIndex = assignment.agentIndex.map { $0 + offset }
            return moved
        }
        var given: [EnvAssignment] = []
        var keepsEnvironment = true
        var unread = false
        if let environment, !isNone(environment) {
            let inherits = copiedEnvironment(dereference(environment)) == "os.environ"
            if let read = keyedEntries(environment), read.complete || inherits {
                given = read.entries.compactMap { envAssignment($0, context: .commandPrefix).map(presentAtRunTime) }
                keepsEnvironment = inherits
            } else {
                unread = !inherits
            }
        }
        for var agent in program.agents {
            agent.flowRunEnv = agent.flowRunEnv.map(shifted)
            let index = facts.agents.count
            let own = given.map { assignment -> EnvAssignment in
                var set = assignment
                set.agentIndex = index
                return set
            }
            agent.processEnv = own + agent.processEnv.map(shifted)
            if !keepsEnvironment { agent.environmentClearedBy = ShellCommands.subprocessEnvironment }
            if unread { agent.environmentInjectedBy.append(ShellCommands.subprocessEnvironment) }
            for assignment in own { record(assignment) }
            facts.agents.append(agent)
        }
        for assignment in program.envAssignments { record(shifted(assignment)) }
        for var flag in program.credentialFlags {
            flag.agentIndex = flag.agentIndex.map { $0 + offset }
            facts.credentialFlags.append(flag)
        }
        for var setting in program.backendSettings {
            setting.agentIndex = setting.agentIndex.map { $0 + offset }
            facts.backendSettings.append(setting)
        }
    }
}
