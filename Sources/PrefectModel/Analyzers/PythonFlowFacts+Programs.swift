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
    /// shell script's are: labels, `--env`, `--key`, env set before the command. Only literal
    /// command lines: one built at run time (`"… --token {}".format(key)`, a list with a
    /// variable in it) is not read. A subprocess's `env=` is the program's whole environment
    /// (`{**os.environ, …}` keeps the module's); any other `env=` may set anything.
    mutating func collectAgentsStartedAsPrograms() {
        for call in module.calls {
            guard let runner = call.resolvedName, Self.programRunners.contains(runner), let command = call.positional(0)?.value else { continue }
            let shell: ShellFileFacts
            let throughShell = runner.hasPrefix("os.") || call.keyword("shell").map({ text($0.value.span) == "True" }) == true
            let written = dereference(command)
            switch written {
            case .string(let literal) where throughShell:
                guard let line = literalValue(literal), line.contains("prefect") else { continue }
                shell = ShellFileReader.readEmbeddedScript(Array(line.utf8), map: offsetMap(literal, valueCount: line.utf8.count))
            case .sequence(let list) where !throughShell:
                let arguments = list.elements.compactMap { element -> (String, PythonStringLiteral)? in
                    guard case .string(let literal) = element, let argument = literalValue(literal) else { return nil }
                    return (argument, literal)
                }
                guard arguments.count == list.elements.count, arguments.contains(where: { $0.0.contains("prefect") }) else { continue }
                shell = ShellFileReader.readArguments(arguments.map { ShellWord.argument($0, map: offsetMap($1, valueCount: $0.utf8.count)) })
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

    /// Where each byte of a literal's value stands: one to one without escapes, else the whole
    /// value for each (an escape makes the two lengths differ).
    private func offsetMap(_ literal: PythonStringLiteral, valueCount: Int) -> ShellOffsetMap {
        let span = valueSpan(literal)
        if literal.parts.count == 1, span.length == valueCount { return .base(span.start) }
        return .table(Array(repeating: span.start, count: valueCount) + [span.end], ends: Array(repeating: span.end, count: valueCount))
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
            if let read = keyedEntries(environment), read.complete || copiedEnvironment(dereference(environment)) == "os.environ" {
                given = read.entries.compactMap { envAssignment($0, context: .commandPrefix).map(presentAtRunTime) }
                keepsEnvironment = copiedEnvironment(dereference(environment)) == "os.environ"
            } else if copiedEnvironment(dereference(environment)) != "os.environ" {
                unread = true
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
            if !keepsEnvironment { agent.environmentClearedBy = "subprocess env=" }
            if unread { agent.environmentInjectedBy.append("subprocess env=") }
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
