import ShellWords
import Spans
import TOML

/// The tasks Python task runners define in pyproject.toml: poethepoet (`[tool.poe.tasks]`),
/// PDM scripts (`[tool.pdm.scripts]`), Hatch environment scripts (`[tool.hatch.envs.<env>.scripts]`),
/// taskipy (`[tool.taskipy.tasks]`) and Rye scripts (`[tool.rye.scripts]`). A task that runs
/// `prefect agent … start` starts that agent with the runner's and the task's env (the task's
/// winning) after their env files, which are relative to the pyproject's folder.
struct PyprojectTasksReader {
    let bytes: [UInt8]
    var builder = YAMLFactsBuilder()

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The facts of the tasks under `root`'s `[tool]` table; nil when no task runs anything the tool reads.
    mutating func read(_ root: TOMLTable) -> FileFacts? {
        guard let tool = root["tool"]?.tableValue else { return nil }
        if let poe = tool["poe"]?.tableValue {
            // Poe's own `env` and `envfile` apply to every task.
            let env = envTable(poe["env"])
            for task in poe["tasks"]?.tableValue?.entries ?? [] {
                addTask(task.node, commandKeys: ["cmd", "shell"], env: env, envFiles: files(poe["envfile"]), envKey: "env", fileKey: "envfile")
            }
        }
        if let scripts = tool.node(atPath: ["pdm", "scripts"])?.tableValue {
            // `_` holds the settings every script shares.
            let shared = scripts["_"]?.tableValue
            let env = envTable(shared?["env"])
            for script in scripts.entries where script.key != "_" {
                addTask(script.node, commandKeys: ["cmd", "shell"], env: env, envFiles: files(shared?["env_file"]), envKey: "env", fileKey: "env_file")
            }
        }
        let hatch = tool.node(atPath: ["hatch", "envs"])?.tableValue
        var hatchEnv: [String: [EnvAssignment]] = [:]
        for environment in hatch?.entries ?? [] { hatchEnv[environment.key] = envTable(environment.node.tableValue?["env-vars"]) }
        for environment in hatch?.entries ?? [] {
            guard let table = environment.node.tableValue else { continue }
            // An environment inherits the `env-vars` of its template (`default` unless it names
            // another, `none` for none), its own winning.
            let template = table["template"]?.stringValue ?? (environment.key == "default" ? "none" : "default")
            let env = (template == environment.key ? [] : hatchEnv[template] ?? []) + (hatchEnv[environment.key] ?? [])
            for script in table["scripts"]?.tableValue?.entries ?? [] {
                // A script is a command or a list of them, run one after another.
                for command in script.node.arrayValue ?? [script.node] { addTask(command, commandKeys: [], env: env, envFiles: []) }
            }
        }
        for task in tool.node(atPath: ["taskipy", "tasks"])?.tableValue?.entries ?? [] {
            addTask(task.node, commandKeys: ["cmd"], env: [], envFiles: [])
        }
        for script in tool.node(atPath: ["rye", "scripts"])?.tableValue?.entries ?? [] {
            addTask(script.node, commandKeys: ["cmd"], env: [], envFiles: [], envKey: "env", fileKey: "env-file")
        }
        let facts = builder.finish()
        return facts.isEmpty ? nil : facts
    }

    /// A task: a command string, or a table with one of `commandKeys` (a string, or a list of
    /// arguments) and its own env and env files.
    private mutating func addTask(
        _ node: TOMLNode, commandKeys: [String], env shared: [EnvAssignment], envFiles sharedFiles: [String], envKey: String? = nil, fileKey: String? = nil
    ) {
        var command = node
        var env = shared
        var envFiles = sharedFiles
        if let table = node.tableValue {
            // Steps run one after another: PDM's `composite` (commands or other scripts' names,
            // which start nothing here), poe's `sequence` (its inline tasks; names are other tasks).
            for key in ["composite", "sequence"] where !commandKeys.isEmpty {
                guard let steps = table[key]?.arrayValue else { continue }
                let stepsEnv = shared + (envKey.map { envTable(table[$0]) } ?? [])
                let stepsFiles = sharedFiles + (fileKey.map { files(table[$0]) } ?? [])
                for step in steps where key == "composite" || step.tableValue != nil {
                    addTask(step, commandKeys: commandKeys, env: stepsEnv, envFiles: stepsFiles, envKey: envKey, fileKey: fileKey)
                }
            }
            guard let key = commandKeys.first(where: { table[$0] != nil }), let written = table[key] else { return }
            command = written
            if let envKey { env += envTable(table[envKey]) }
            if let fileKey { envFiles += files(table[fileKey]) }
        }
        let shell: ShellFileFacts
        if let arguments = command.arrayValue {
            // `cmd = ["prefect", "agent", …]`: arguments as written, no shell.
            let words = arguments.compactMap { argument -> ShellWord? in
                guard let text = text(argument) else { return nil }
                return ShellWord.argument(String(decoding: text.bytes, as: UTF8.self), map: text.map)
            }
            guard words.count == arguments.count, !words.isEmpty else { return }
            shell = ShellFileReader.readArguments(words)
        } else {
            guard let text = text(command) else { return }
            shell = ShellFileReader.readEmbeddedScript(text.bytes, map: text.map)
        }
        var scope = ShellScope(env: env)
        builder.addShellFacts(shell, scope: &scope) { agent in
            agent.envFiles = envFiles + agent.envFiles
            agent.envFilesAreRelativeToFile = true
        }
    }

    /// `env = { NAME = "value" }`: string values, each added to the file's assignments.
    private mutating func envTable(_ node: TOMLNode?) -> [EnvAssignment] {
        (node?.tableValue?.entries ?? []).compactMap { entry in
            guard let value = entry.node.stringValue, let text = text(entry.node) else { return nil }
            let assignment = EnvAssignment(
                name: entry.key, nameSpan: entry.keySpan, value: value, valueSpan: text.valueSpan, origin: EnvValueSyntax.origin(of: value),
                context: .taskRunnerEnv)
            builder.addEnv(assignment)
            return assignment
        }
    }

    /// An env file setting: a path, a list of paths, or PDM's `{override = "path"}`.
    private func files(_ node: TOMLNode?) -> [String] {
        guard let node else { return [] }
        if let path = node.stringValue { return [path] }
        if let list = node.arrayValue { return list.compactMap(\.stringValue) }
        return node.tableValue?["override"]?.stringValue.map { [$0] } ?? []
    }

    /// A string's decoded bytes, each mapped to the file bytes it comes from (an escape's
    /// bytes to the whole escape), and the span of its content; nil for a non-string.
    private func text(_ node: TOMLNode) -> (bytes: [UInt8], map: ShellOffsetMap, valueSpan: ByteSpan)? {
        guard let value = node.stringValue, let style = node.stringStyle else { return nil }
        let decoded = Array(value.utf8)
        let quote = style == .basic || style == .literal ? 1 : 3
        var start = min(node.span.start + quote, node.span.end)
        let end = max(start, node.span.end - quote)
        let multiline = style == .multilineBasic || style == .multilineLiteral
        // A newline right after the opening quotes is not part of a multi-line string.
        if multiline, start < end, bytes[start] == 0x0A { start += 1 } else if multiline, start + 1 < end, bytes[start] == 0x0D, bytes[start + 1] == 0x0A { start += 2 }
        let content = ByteSpan(start, end)
        if style == .literal || style == .multilineLiteral || !bytes[start..<end].contains(0x5C) {
            if bytes[start..<end].elementsEqual(decoded) { return (decoded, .base(start), content) }
        }
        // Escapes: each decoded byte stands for its whole escape; where the decoding cannot be
        // followed byte by byte, every byte stands for the whole content (hidden whole).
        var starts: [Int] = []
        var ends: [Int] = []
        var k = start
        while k < end, starts.count < decoded.count {
            guard bytes[k] == 0x5C, k + 1 < end else {
                starts.append(k)
                ends.append(k + 1)
                k += 1
                continue
            }
            let escape = bytes[k + 1]
            let length = escape == 0x75 ? 6 : escape == 0x55 ? 10 : 2
            if escape == 0x0A || escape == 0x20 || escape == 0x09 || escape == 0x0D {
                // A line-ending backslash: it and the blanks after it are dropped.
                k += 1
                while k < end, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[k]) { k += 1 }
                continue
            }
            let escapeEnd = min(end, k + length)
            let scalarLength = length == 2 ? 1 : Self.utf8Length(hex: bytes[(k + 2)..<escapeEnd]) ?? 1
            for _ in 0..<scalarLength {
                starts.append(k)
                ends.append(escapeEnd)
            }
            k = escapeEnd
        }
        guard starts.count == decoded.count else {
            return (decoded, .table(Array(repeating: start, count: decoded.count + 1), ends: Array(repeating: end, count: decoded.count)), content)
        }
        return (decoded, .table(starts + [end], ends: ends), content)
    }

    /// The UTF-8 length of the scalar a `\u`/`\U` escape's hex digits name.
    private static func utf8Length(hex: ArraySlice<UInt8>) -> Int? {
        guard let value = UInt32(String(decoding: hex, as: UTF8.self), radix: 16), let scalar = Unicode.Scalar(value) else { return nil }
        return String(scalar).utf8.count
    }
}
