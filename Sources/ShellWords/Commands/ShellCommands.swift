import Spans

/// `prefect backend <value>`.
public struct BackendCommand: Hashable, Sendable {
    /// The argument; nil when missing.
    public var value: ShellWord?
    /// `server` or `cloud` exactly (Prefect compares case-sensitively); nil for anything else.
    public var backend: String?
    /// The whole command.
    public var span: ByteSpan
}

/// `prefect auth login --key/-k KEY`.
public struct AuthLoginCommand: Hashable, Sendable {
    /// The last `--key/-k`.
    public var key: CommandOption?
    /// All options given.
    public var options: [CommandOption]
    /// The whole command.
    public var span: ByteSpan
}

/// `prefect register …` (recognized only; its arguments are kept as words).
public struct RegisterCommand: Hashable, Sendable {
    /// The words after `register`.
    public var arguments: [ShellWord]
    /// `--path/-p` values (`--file/-f` of the deprecated `register flow`): files, folders
    /// (their `.py` files) or globs, relative to where the command runs.
    public var paths: [ShellWord] = []
    /// `--module/-m` values: modules, or import paths of flows.
    public var modules: [ShellWord] = []
    /// `--name/-n` values: only flows of these names are registered.
    public var names: [ShellWord] = []
    /// `--label/-l` values: labels added to every flow registered.
    public var labels: [ShellWord] = []
    /// A word the tool cannot read, not an option's value, may be options (`$REGISTER_ARGS`).
    public var hasUnreadWords = false
    /// The whole command.
    public var span: ByteSpan
}

/// `export NAME=value …` (and `declare -x`/`typeset -x`).
public struct ExportCommand: Hashable, Sendable {
    /// The assignments, in order.
    public var assignments: [EnvAssignmentSyntax]
    /// The whole command.
    public var span: ByteSpan
}

/// `env [-i] [-u NAME] NAME=value … [command …]`.
public struct EnvCommand: Hashable, Sendable {
    /// The assignments, in order.
    public var assignments: [EnvAssignmentSyntax]
    /// Unquoted command substitutions among them, which expand to assignments
    /// (`env $(cat .env | xargs) cmd`).
    public var substitutions: [ShellWordPart] = []
    /// The command `env` runs, if any.
    public var innerCommand: ShellSimpleCommand?
    /// The whole command.
    public var span: ByteSpan
}

/// `python -c '…'`: the snippet, for a Python analyzer.
public struct PythonSnippet: Hashable, Sendable {
    /// The `-c` argument as a word.
    public var word: ShellWord
    /// The snippet text after shell unquoting (references kept as written).
    public var text: String { word.value }
    /// The snippet inside its quotes.
    public var span: ByteSpan { word.contentSpan }
    /// Maps byte offsets of `text` to file offsets (exact for literal text, escape-aware).
    public var offsetMap: ShellOffsetMap { word.valueOffsetMap }
    /// True when the shell passes the snippet unchanged.
    public var isLiteral: Bool { word.isLiteral }
    /// The whole `python -c …` command.
    public var commandSpan: ByteSpan
}

/// `docker run …` (also `docker container run`, `docker create`, `podman run`).
public struct DockerRunCommand: Hashable, Sendable {
    /// `-e/--env NAME=value`, and `-e NAME` (passed through from the caller, no value).
    public var env: [EnvAssignmentSyntax]
    /// `--name`, as written.
    public var name: ShellWord?
    /// `--env-file` paths.
    public var envFiles: [ShellWord]
    /// The image argument, if found.
    public var image: ShellWord?
    /// The command run in the container, if given after the image.
    public var innerCommand: ShellSimpleCommand?
    /// The whole command.
    public var span: ByteSpan
}

/// `docker build -t NAME [-f FILE] [--target STAGE] CONTEXT` (also `docker image build`,
/// `docker buildx build`, `podman build`): which Dockerfile an image name is built from.
public struct DockerBuildCommand: Hashable, Sendable {
    /// `-t/--tag` values.
    public var tags: [ShellWord]
    /// `-f/--file`: relative to where docker runs, not to the context; nil for the context's `Dockerfile`.
    public var file: ShellWord?
    public var target: ShellWord?
    /// The build context (a folder; `-` or a URL is none in the project).
    public var context: ShellWord?
    public var span: ByteSpan
}

/// A command the tool knows, recognized from its words.
public enum RecognizedCommand: Hashable, Sendable {
    case agent(AgentCommand)
    case backend(BackendCommand)
    case authLogin(AuthLoginCommand)
    case register(RegisterCommand)
    case export(ExportCommand)
    case env(EnvCommand)
    case pythonSnippet(PythonSnippet)
    case dockerRun(DockerRunCommand)
    case dockerBuild(DockerBuildCommand)
    case kubectlCreate(KubectlCreateCommand)
}

extension ShellWord {
    /// Maps each byte of `value` to a file offset: literal bytes to their own offset,
    /// escapes and references to the start of their span.
    public var valueOffsetMap: ShellOffsetMap {
        var starts: [Int] = []
        var ends: [Int] = []
        for part in parts {
            let count = part.text.utf8.count
            if part.kind == .literal && part.span.length == count {
                for k in 0..<count {
                    starts.append(part.span.start + k)
                    ends.append(part.span.start + k + 1)
                }
            } else {
                for _ in 0..<count {
                    starts.append(part.span.start)
                    ends.append(part.span.end)
                }
            }
        }
        starts.append(parts.last?.span.end ?? span.end)
        return .table(starts, ends: ends)
    }
}

/// Recognition of known commands in parsed shell text.
public enum ShellCommands {
    /// Shells that run a script given as an argument (`bash start.sh`) or with `-c`.
    public static let shells: Set<String> = ["sh", "bash", "zsh", "dash", "ksh", "ash"]

    /// Whether a command runs `envsubst`, which fills the caller's `$NAME` and `${NAME}` into
    /// the text it copies (`envsubst < deploy/agent.yaml | kubectl apply -f -`).
    public static func runsEnvsubst(_ command: ShellSimpleCommand) -> Bool {
        command.words.first.flatMap(commandName) == "envsubst"
    }

    /// The program a container's or a unit's command runs, as written: its first word, past an
    /// init (`tini --`, `dumb-init --`), or the script a shell or Python runs (`bash
    /// /agent/start.sh`, `python -u /agent/agent.py`, `python -m etl.agent` as `etl/agent.py`;
    /// not `bash -c '…'`, `python -c '…'`); nil when it is not literal.
    public static func program(_ words: [ShellWord]) -> String? {
        program(words, text: \.literalValue)
    }

    /// ``program(_:)``, with `text` giving a word's text (nil when it is not known).
    static func program(_ words: [ShellWord], text: (ShellWord) -> String?) -> String? {
        var rest = words[...]
        while let first = rest.first.flatMap(text) {
            let name = ASCIIBytes.suffix(afterLast: UInt8(ascii: "/"), in: first) ?? first
            if name == "tini" || name == "dumb-init" {
                rest = rest.dropFirst()
                while let flag = rest.first?.literalValue, flag.hasPrefix("-") { rest = rest.dropFirst() }
                continue
            }
            if isPython(name) {
                // Options that take no value (`-u`, `-OO`, `-uB`) may come first.
                var arguments = rest.dropFirst()
                while let flag = arguments.first?.literalValue, flag.count > 1, flag.hasPrefix("-"),
                    flag.dropFirst().allSatisfy({ "bBdEiIOqsSuvx".contains($0) })
                {
                    arguments = arguments.dropFirst()
                }
                // `-m etl.agent` runs the module's file, `etl/agent.py` (Prefect's own CLI is `prefect`).
                if arguments.first?.literalValue == "-m" {
                    guard let module = arguments.dropFirst().first?.literalValue, module != "prefect", !module.hasPrefix("prefect."),
                        !module.isEmpty, module.allSatisfy({ $0 == "." || $0 == "_" || $0.isLetter || $0.isNumber })
                    else { return nil }
                    return module.split(separator: ".").joined(separator: "/") + ".py"
                }
                guard let script = arguments.first.flatMap(text), !script.hasPrefix("-") else { return nil }
                return script
            }
            guard shells.contains(name) else { return first }
            guard let script = rest.dropFirst().first.flatMap(text), !script.hasPrefix("-") else { return nil }
            return script
        }
        return nil
    }
    /// The script a script's command runs (`./start-agent.sh`, `exec /opt/etl/start.sh`,
    /// `nohup bash deploy/start.sh`, `python -u agent.py`), past wrappers: a program written
    /// with a folder or a script's suffix; nil for programs on the PATH (`echo`, `docker`) and
    /// for `prefect`.
    public static func scriptProgram(_ words: [ShellWord]) -> String? {
        let command = unwrap(words[...])
        guard let first = command.first, commandName(first) != "prefect", let program = program(Array(command), text: { $0.literalValue ?? pathTail($0) })
        else { return nil }
        let isScript = program.utf8.contains(UInt8(ascii: "/")) || [".sh", ".bash", ".py"].contains { program.hasSuffix($0) }
        return isScript ? program : nil
    }

    /// The path a word names after a reference to a folder (`"$(dirname "$0")/start-agent.sh"`,
    /// `"$DIR"/deploy/start.sh`, `~/start.sh`, `/opt/$APP/start.sh`), from the last reference on,
    /// without its leading `/`: the reference is most often the script's own folder, where a
    /// file of that name is looked for first.
    public static func pathTail(_ word: ShellWord) -> String? {
        guard word.parts.count > 1, let last = word.parts.last, last.kind == .literal, last.text.hasPrefix("/"), last.text.count > 1 else { return nil }
        return String(last.text.dropFirst())
    }

    /// Whether a script's command runs the script's own arguments (`exec "$@"`, `"$@"`, `exec
    /// $*`): an image's `ENTRYPOINT` script that does runs the image's `CMD` so.
    public static func runsArguments(_ words: [ShellWord]) -> Bool {
        guard let first = unwrap(words[...]).first, first.parts.count == 1, case .variable(let name) = first.parts[0].kind else { return false }
        return name == "@" || name == "*"
    }

    /// Command name without its directory (`/usr/local/bin/prefect` → `prefect`), if literal;
    /// a directory that is a reference counts too (`$(VENV)/prefect`, `"$HOME/bin/prefect"`),
    /// as the name after the last `/` is written out.
    public static func commandName(_ w: ShellWord) -> String? {
        guard let v = w.literalValue else {
            // `$(PREFECT) agent …`, `"$PREFECT_BIN" agent …`: a variable named for the program.
            if w.parts.count == 1 {
                switch w.parts[0].kind {
                case .variable(let name), .makeVariable(let name):
                    if prefectProgramVariables.contains(name.uppercased()) { return "prefect" }
                default: break
                }
            }
            guard let last = w.parts.last, last.isLiteral, let name = ASCIIBytes.suffix(afterLast: UInt8(ascii: "/"), in: last.text) else { return nil }
            return name.isEmpty ? nil : name
        }
        return ASCIIBytes.suffix(afterLast: UInt8(ascii: "/"), in: v) ?? v
    }

    /// Variables that name the `prefect` program in Makefiles and scripts.
    static let prefectProgramVariables: Set<String> = ["PREFECT", "PREFECT_BIN", "PREFECT_CMD", "PREFECT_CLI", "PREFECT_EXE"]

    /// Drops wrappers that run the next words as a command (`sudo`, `exec`, `nohup`, `nice`,
    /// `timeout`, container init processes such as `tini` and `gosu`, …).
    static func unwrap(_ words: ArraySlice<ShellWord>) -> ArraySlice<ShellWord> {
        unwrapping(words).command
    }

    /// ``unwrap(_:)``, with the innermost wrapper dropped (nil when there is none).
    static func unwrapping(_ words: ArraySlice<ShellWord>) -> (command: ArraySlice<ShellWord>, innermostWrapper: String?) {
        var w = words
        var innermost: String?
        while let first = w.first, let name = commandName(first), let wrapped = afterWrapper(name, w.dropFirst()) {
            // `sudo NAME=value cmd` sets NAME for the command (``wrapperAssignments(_:)``).
            w = name == "sudo" ? leadingAssignments(wrapped.command).rest : wrapped.command
            innermost = name
        }
        return (w, innermost)
    }

    /// The shell command a `tmux new-session` given it as one word runs (`tmux new -d -s
    /// agent "prefect agent local start"`), also wrapped (`nohup tmux …`).
    static func multiplexerScript(_ words: ArraySlice<ShellWord>) -> ShellWord? {
        let (command, wrapper) = unwrapping(words)
        guard wrapper == "tmux", command.count == 1 else { return nil }
        return command.first
    }

    /// The `NAME=value` words that start `words`, and the words after them.
    static func leadingAssignments(_ words: ArraySlice<ShellWord>) -> (assignments: ArraySlice<ShellWord>, rest: ArraySlice<ShellWord>) {
        var rest = words
        while let word = rest.first, let (name, _) = word.splitAtFirstEquals(), name.isLiteral, isValidName(name.value) {
            rest = rest.dropFirst()
        }
        return (words[words.startIndex..<rest.startIndex], rest)
    }

    /// The assignments `sudo` passes to the command it runs (`sudo -u prefect NAME=value cmd`),
    /// as `env` assignments: they reach only that command.
    static func wrapperAssignments(_ words: ArraySlice<ShellWord>) -> [EnvAssignmentSyntax] {
        var w = words
        var out: [EnvAssignmentSyntax] = []
        while let first = w.first, let name = commandName(first), let wrapped = afterWrapper(name, w.dropFirst()) {
            w = wrapped.command
            guard name == "sudo" else { continue }
            let (assignments, rest) = leadingAssignments(w)
            out += assignments.map { EnvAssignmentSyntax.fromWord($0, context: .envCommand, malformedWithoutEquals: false) }
            w = rest
        }
        return out
    }

    /// The command `words` stand for, or nil when it is not one the tool knows.
    public static func recognize(_ command: ShellSimpleCommand) -> RecognizedCommand? {
        recognize(words: unwrap(command.words[...]), span: command.span)
    }

    /// `recognize` plus the commands wrapped inside (`env … cmd`, `docker run … image cmd`).
    public static func recognizeAll(_ command: ShellSimpleCommand) -> [RecognizedCommand] {
        var out: [RecognizedCommand] = []
        var next: ShellSimpleCommand? = command
        var depth = 0
        while let c = next, depth < 8, let r = recognize(c) {
            out.append(r)
            depth += 1
            switch r {
            case .env(let e): next = e.innerCommand
            case .dockerRun(let d): next = d.innerCommand
            default: next = nil
            }
        }
        return out
    }

    static func subcommand(_ words: ArraySlice<ShellWord>, span: ByteSpan) -> ShellSimpleCommand? {
        guard let first = words.first, let last = words.last else { return nil }
        return ShellSimpleCommand(
            assignments: [], words: Array(words), redirections: [],
            span: ByteSpan(first.span.start, max(first.span.start, min(span.end, last.span.end))), terminator: .end)
    }

    static func recognize(words: ArraySlice<ShellWord>, span: ByteSpan) -> RecognizedCommand? {
        guard let first = words.first, let name = commandName(first) else { return nil }
        let args = words.dropFirst()
        switch name {
        case "prefect":
            return recognizePrefect(args, span: span)
        case "export", "declare", "typeset":
            return recognizeExport(name: name, args, span: span)
        case "env":
            return recognizeEnv(args, span: span)
        case "docker", "podman":
            return recognizeDocker(args, span: span)
        case "kubectl", "oc":
            return recognizeKubectl(args, span: span)
        default:
            if isPython(name) { return recognizePython(args, span: span) }
            return nil
        }
    }

    /// A Python interpreter's name: `python`, `python3`, `python3.11`.
    static func isPython(_ name: String) -> Bool {
        guard name.hasPrefix("python") else { return false }
        let rest = name.dropFirst(6)
        return rest.allSatisfy { $0.isNumber || $0 == "." }
    }

    static func recognizePrefect(_ args: ArraySlice<ShellWord>, span: ByteSpan) -> RecognizedCommand? {
        guard let sub = args.first?.literalValue else { return nil }
        let rest = args.dropFirst()
        switch sub {
        case "agent":
            return AgentCommand.parse(rest, span: span).map(RecognizedCommand.agent)
        case "backend":
            let value = rest.first
            let b = value?.literalValue.flatMap { $0 == "server" || $0 == "cloud" ? $0 : nil }
            return .backend(BackendCommand(value: value, backend: b, span: span))
        case "auth":
            guard rest.first?.literalValue == "login" else { return nil }
            let (parsed, _) = parseOptions(
                rest.dropFirst(),
                specs: [
                    OptionSpec(long: "--key", short: "k", takesValue: true),
                    OptionSpec(long: "--token", short: "t", takesValue: true),
                ])
            return .authLogin(
                AuthLoginCommand(key: parsed.options.last { $0.name == "--key" }, options: parsed.options, span: span))
        case "register", "build":
            // `prefect register flow --file F` is 1.x's deprecated form of `--path`. `prefect
            // build` writes the flows, with its `--label` values, to a file that `register
            // --json` then registers as they are.
            let isBuild = sub == "build"
            let deprecated = !isBuild && rest.first?.literalValue == "flow"
            var specs = [
                OptionSpec(long: "--path", short: "p", takesValue: true), OptionSpec(long: "--file", short: deprecated ? "f" : nil, takesValue: true),
                OptionSpec(long: "--module", short: "m", takesValue: true), OptionSpec(long: "--json", short: "j", takesValue: true),
                OptionSpec(long: "--name", short: "n", takesValue: true), OptionSpec(long: "--label", short: "l", takesValue: true),
                OptionSpec(long: "--project", short: nil, takesValue: true),
                OptionSpec(long: "--force", short: deprecated || isBuild ? nil : "f", takesValue: false),
            ]
            if isBuild { specs += [OptionSpec(long: "--output", short: "o", takesValue: true), OptionSpec(long: "--update", short: "u", takesValue: false)] }
            let (parsed, _) = parseOptions(deprecated ? rest.dropFirst() : rest, specs: specs)
            func values(_ names: String...) -> [ShellWord] { parsed.options.filter { names.contains($0.name) }.compactMap(\.value) }
            var command = RegisterCommand(arguments: Array(rest), span: span)
            command.paths = values("--path", "--file")
            command.modules = values("--module")
            command.names = values("--name")
            command.labels = values("--label")
            // `--project "$PROJECT"` is read; a `$ARGS` standing for options is not.
            let optionValues = Set(parsed.options.compactMap { $0.value?.span })
            command.hasUnreadWords = rest.contains { $0.textMayChange && !optionValues.contains($0.span) }
            return .register(command)
        default:
            return nil
        }
    }

    static func recognizeExport(name: String, _ args: ArraySlice<ShellWord>, span: ByteSpan) -> RecognizedCommand? {
        var exported = name == "export"
        var assignments: [EnvAssignmentSyntax] = []
        for w in args {
            if let v = w.literalValue, v.hasPrefix("-") {
                if v.dropFirst().contains("x") { exported = true }
                continue
            }
            let a = EnvAssignmentSyntax.fromWord(w, context: .export, malformedWithoutEquals: false)
            if a.nameIsLiteral && isValidName(a.name) { assignments.append(a) }
        }
        guard exported else { return nil }
        return .export(ExportCommand(assignments: assignments, span: span))
    }

    static func recognizeEnv(_ args: ArraySlice<ShellWord>, span: ByteSpan) -> RecognizedCommand? {
        var rest = args
        var assignments: [EnvAssignmentSyntax] = []
        var substitutions: [ShellWordPart] = []
        while let w = rest.first {
            if w.parts.count == 1, let part = w.parts.first, part.kind == .commandSubstitution, part.quoting == .none {
                substitutions.append(part)
                rest = rest.dropFirst()
                continue
            }
            if let v = w.literalValue, v.hasPrefix("-") {
                rest = rest.dropFirst()
                if v == "-u" || v == "--unset" || v == "-C" || v == "-S" { rest = rest.dropFirst() }
                if v == "--" { break }
                continue
            }
            guard let (n, _) = w.splitAtFirstEquals(), n.isLiteral, isValidName(n.value) || !n.value.isEmpty else { break }
            assignments.append(EnvAssignmentSyntax.fromWord(w, context: .envCommand, malformedWithoutEquals: false))
            rest = rest.dropFirst()
        }
        return .env(EnvCommand(assignments: assignments, substitutions: substitutions, innerCommand: subcommand(rest, span: span), span: span))
    }

    static let dockerBooleanLong: Set<String> = [
        "--rm", "--init", "--privileged", "--read-only", "--detach", "--interactive", "--tty", "--no-healthcheck",
        "--oom-kill-disable", "--publish-all", "--quiet", "--sig-proxy",
    ]
    static let dockerBooleanShort: Set<Character> = ["d", "i", "t", "P", "q"]
    static let dockerValueShort: Set<Character> = ["e", "v", "p", "w", "u", "l", "h", "m", "c", "a"]

    static func recognizeDocker(_ args: ArraySlice<ShellWord>, span: ByteSpan) -> RecognizedCommand? {
        var rest = args
        guard let sub = rest.first?.literalValue else { return nil }
        rest = rest.dropFirst()
        if sub == "build" || ((sub == "image" || sub == "buildx") && rest.first?.literalValue == "build") {
            return recognizeDockerBuild(sub == "build" ? rest : rest.dropFirst(), span: span)
        }
        if sub == "container" {
            guard rest.first?.literalValue == "run" || rest.first?.literalValue == "create" else { return nil }
            rest = rest.dropFirst()
        } else if sub != "run" && sub != "create" {
            return nil
        }
        var specs: [OptionSpec] = [
            OptionSpec(long: "--env", short: "e", takesValue: true),
            OptionSpec(long: "--env-file", short: nil, takesValue: true),
        ]
        // Every other option: collect the words first so the value-taking ones are known.
        var longSeen: Set<String> = []
        for w in rest {
            guard let v = w.literalValue, v.hasPrefix("--") else { continue }
            let name = v.split(separator: "=", maxSplits: 1).first.map(String.init) ?? v
            if name != "--env" && name != "--env-file" && !longSeen.contains(name) && name != "--" {
                longSeen.insert(name)
                specs.append(OptionSpec(long: name, short: nil, takesValue: !dockerBooleanLong.contains(name)))
            }
        }
        for c in dockerBooleanShort { specs.append(OptionSpec(long: "-" + String(c), short: c, takesValue: false)) }
        for c in dockerValueShort where c != "e" { specs.append(OptionSpec(long: "-" + String(c), short: c, takesValue: true)) }
        let (parsed, after) = parseOptions(rest, specs: specs, stopAtFirstPositional: true)
        var env: [EnvAssignmentSyntax] = []
        var files: [ShellWord] = []
        var name: ShellWord?
        for o in parsed.options {
            if o.name == "--name", let v = o.value { name = v }
            if o.name == "--env", let v = o.value {
                var a = EnvAssignmentSyntax.fromWord(v, context: .dockerRunEnv, malformedWithoutEquals: false)
                a.span = v.span
                env.append(a)
            } else if o.name == "--env-file", let v = o.value {
                files.append(v)
            }
        }
        return .dockerRun(
            DockerRunCommand(
                env: env, name: name, envFiles: files, image: parsed.positionals.first, innerCommand: subcommand(after, span: span),
                span: span))
    }

    /// `docker build`'s options without a value; every other long option takes one.
    static let dockerBuildBooleanLong: Set<String> = [
        "--no-cache", "--pull", "--quiet", "--rm", "--force-rm", "--load", "--push", "--squash", "--compress", "--disable-content-trust",
    ]

    static func recognizeDockerBuild(_ args: ArraySlice<ShellWord>, span: ByteSpan) -> RecognizedCommand? {
        var specs: [OptionSpec] = [
            OptionSpec(long: "--tag", short: "t", takesValue: true), OptionSpec(long: "--file", short: "f", takesValue: true),
            OptionSpec(long: "--target", short: nil, takesValue: true), OptionSpec(long: "--output", short: "o", takesValue: true),
            OptionSpec(long: "--memory", short: "m", takesValue: true), OptionSpec(long: "--quiet", short: "q", takesValue: false),
        ]
        for name in dockerBuildBooleanLong where name != "--quiet" { specs.append(OptionSpec(long: name, short: nil, takesValue: false)) }
        var known = Set(specs.map(\.long))
        for word in args {
            guard let v = word.literalValue, v.hasPrefix("--"), v != "--" else { continue }
            let name = v.split(separator: "=", maxSplits: 1).first.map(String.init) ?? v
            if known.insert(name).inserted { specs.append(OptionSpec(long: name, short: nil, takesValue: true)) }
        }
        let (parsed, _) = parseOptions(args, specs: specs)
        var build = DockerBuildCommand(tags: [], file: nil, target: nil, context: parsed.positionals.first, span: span)
        for option in parsed.options {
            guard let value = option.value else { continue }
            switch option.name {
            case "--tag": build.tags.append(value)
            case "--file": build.file = value
            case "--target": build.target = value
            default: break
            }
        }
        return .dockerBuild(build)
    }

    static func recognizePython(_ args: ArraySlice<ShellWord>, span: ByteSpan) -> RecognizedCommand? {
        var rest = args
        while let w = rest.first, let v = w.literalValue, v.hasPrefix("-") {
            rest = rest.dropFirst()
            if v == "-c" {
                guard let snippet = rest.first else { return nil }
                return .pythonSnippet(PythonSnippet(word: snippet, commandSpan: span))
            }
            if v.hasPrefix("-c"), let (_, t) = w.split(atValueOffset: 2) {
                return .pythonSnippet(PythonSnippet(word: t, commandSpan: span))
            }
            if v == "-m" {
                guard let module = rest.first?.literalValue, module == "prefect" else { return nil }
                return recognizePrefect(rest.dropFirst(), span: span)
            }
            if v == "-W" || v == "-X" { rest = rest.dropFirst() }
        }
        return nil
    }

    /// A POSIX environment name: `[A-Za-z_][A-Za-z0-9_]*`.
    public static func isValidName(_ s: String) -> Bool {
        guard let f = s.utf8.first, isNameStart(f) else { return false }
        return s.utf8.allSatisfy(isNameChar)
    }

    /// Every environment assignment a command makes: prefixes, `export`, `env`, agent `--env`,
    /// `docker run -e`, including commands wrapped by `env`/`docker run`.
    public static func envAssignments(of command: ShellSimpleCommand) -> [EnvAssignmentSyntax] {
        envAssignments(of: command, recognized: recognizeAll(command))
    }

    /// ``envAssignments(of:)`` for a caller that has recognized the command already.
    public static func envAssignments(of command: ShellSimpleCommand, recognized: [RecognizedCommand]) -> [EnvAssignmentSyntax] {
        var out: [EnvAssignmentSyntax] = command.assignments.map {
            EnvAssignmentSyntax.fromAssignment($0, context: command.words.isEmpty ? .shellVariable : .commandPrefix)
        }
        out += wrapperAssignments(command.words[...])
        for r in recognized {
            switch r {
            case .export(let e): out += e.assignments
            case .env(let e): out += e.assignments + (e.innerCommand.map { wrapperAssignments($0.words[...]) } ?? [])
            case .agent(let a): out += a.env
            case .dockerRun(let d): out += d.env + (d.innerCommand.map { wrapperAssignments($0.words[...]) } ?? [])
            default: break
            }
        }
        return out
    }

    /// Every environment assignment in a script, in source order.
    public static func envAssignments(in script: ShellScript) -> [EnvAssignmentSyntax] {
        script.commands.flatMap(envAssignments(of:))
    }
}

extension ShellCommands {
    /// The `--context KEY=VALUE` values of `prefect run` whose key is `secrets` (`--context
    /// secrets='{…}'`, `--context=secrets=…`): each as its key and its value, split at the `=`.
    /// Prefect loads the value as JSON into the run's context under the key (cli/run.py
    /// `load_json_key_values`).
    public static func runContextSecrets(_ command: ShellSimpleCommand) -> [(key: ShellWord, value: ShellWord)] {
        // Asked of every command of every script: most have no `--context`, which is cheaper to see than to unwrap.
        guard command.words.contains(where: { $0.value.hasPrefix("--context") }) else { return [] }
        let words = unwrap(command.words[...])
        guard let first = words.first, commandName(first) == "prefect", words.dropFirst().first?.literalValue == "run" else { return [] }
        var out: [(key: ShellWord, value: ShellWord)] = []
        var rest = words.dropFirst(2)
        while let word = rest.first {
            rest = rest.dropFirst()
            var given: ShellWord?
            if word.literalValue == "--context" {
                given = rest.first
                rest = rest.dropFirst()
            } else if word.value.hasPrefix("--context="), let (_, tail) = word.split(atValueOffset: "--context".utf8.count, dropping: 1) {
                given = tail
            }
            guard let given, given.value.hasPrefix("secrets="), let (key, value) = given.split(atValueOffset: "secrets".utf8.count, dropping: 1) else { continue }
            out.append((key, value))
        }
        return out
    }
}
