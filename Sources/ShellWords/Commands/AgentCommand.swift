import Spans

/// `prefect agent <type> start|install …` or the deprecated `prefect agent start …`, parsed.
public struct AgentCommand: Hashable, Sendable {
    /// The agent types of Prefect 1.4.1.
    public enum AgentType: String, Hashable, Sendable, CaseIterable {
        case local, docker, kubernetes, ecs, vertex
    }

    /// `start` or `install`.
    public enum Subcommand: String, Hashable, Sendable {
        case start, install
    }

    /// nil for the deprecated `prefect agent start` without a type, or an unknown type word.
    public var agentType: AgentType?
    /// The type word as written (also set when the type is unknown).
    public var typeWord: ShellWord?
    /// `start` or `install`.
    public var subcommand: Subcommand
    /// `prefect agent start` with no type before `start`.
    public var isDeprecatedForm: Bool
    /// False for `install` on types that have none (docker, ecs, vertex): Prefect rejects it.
    public var isSupported: Bool
    /// Every option that the type and subcommand accept, in order.
    public var options: [CommandOption]
    /// Options the type and subcommand do not accept (e.g. `--token`); Prefect refuses them.
    public var unknownOptions: [CommandOption]
    /// Arguments that are not options (Prefect rejects them).
    public var positionals: [ShellWord]
    /// Each `--env/-e` argument, split on its first `=` (malformed ones have `isMalformed`).
    public var env: [EnvAssignmentSyntax]
    /// Each `--label/-l` value.
    public var labels: [ShellWord]
    /// The last `--key/-k`, `--api/-a`, `--backend/-b` (install), `--name/-n`, `--tenant-id` (last wins, as in click).
    public var key: CommandOption?
    /// The last `--api/-a`.
    public var api: CommandOption?
    /// The last `--backend/-b` (kubernetes install only).
    public var backend: CommandOption?
    /// The last `--name/-n` (not kubernetes install, where `-n` is `--namespace`).
    public var name: CommandOption?
    /// The last `--tenant-id`.
    public var tenantID: CommandOption?
    /// True when `key` was found glued to the previous option's value (`-p /x-k KEY`), as
    /// `prefect agent local install` writes it into supervisord files.
    public var keyIsGlued: Bool = false
    /// Why the command starts no agent, at the word that decides it: Prefect 1.4.1's command
    /// line (click) exits with an error (quoted where its words can hold no value), only
    /// prints its usage, or the agent raises at start. Nil when it starts an agent.
    public var refusal: SourceDiagnostic?
    /// The whole command.
    public var span: ByteSpan
    /// Found in documentation (a Markdown fence).
    public var inDocumentation: Bool
    /// The Dockerfile stage whose image runs it (index into ``ShellFileFacts/dockerStages``),
    /// which may be a later stage than the one its words are written in.
    public var dockerStage: Int?

    /// All values of option `long` (e.g. `--import-path`).
    public func values(of long: String) -> [ShellWord] { options.filter { $0.name == long }.compactMap(\.value) }
}

// MARK: - Flag tables (../shared/docs/prefect1-secrets.md §4.1)

enum AgentFlags {
    static func v(_ long: String, _ short: Character? = nil) -> OptionSpec { OptionSpec(long: long, short: short, takesValue: true) }
    static func f(_ long: String, _ short: Character? = nil) -> OptionSpec { OptionSpec(long: long, short: short, takesValue: false) }

    static let commonStart: [OptionSpec] = [
        v("--key", "k"), v("--tenant-id"), v("--api", "a"), v("--agent-config-id"), v("--name", "n"),
        v("--label", "l"), v("--env", "e"), v("--max-polls"), v("--agent-address"), f("--no-cloud-logs"),
        v("--log-level"),
    ]

    /// click's help option, which every command has.
    static let help = f("--help", "h")

    static func specs(type: AgentCommand.AgentType?, subcommand: AgentCommand.Subcommand) -> [OptionSpec] {
        let typeIndex = type.flatMap { AgentCommand.AgentType.allCases.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
        return table[2 * typeIndex + (subcommand == .start ? 0 : 1)]
    }

    /// Every command's options, built once: an agent command is parsed in every script, manifest
    /// and compose file that starts one. Indexed by type (none first) and subcommand.
    private static let table: [[OptionSpec]] = ([nil] + AgentCommand.AgentType.allCases.map(Optional.some)).flatMap { type in
        [AgentCommand.Subcommand.start, .install].map { [help] + typeSpecs(type: type, subcommand: $0) }
    }

    private static func typeSpecs(type: AgentCommand.AgentType?, subcommand: AgentCommand.Subcommand) -> [OptionSpec] {
        switch (type, subcommand) {
        case (.local, .install):
            return [
                v("--key", "k"), v("--tenant-id"), v("--label", "l"), v("--env", "e"), v("--agent-config-id"),
                v("--import-path", "p"), f("--show-flow-logs", "f"),
            ]
        case (.kubernetes, .install):
            return [
                v("--key", "k"), v("--tenant-id"), v("--label", "l"), v("--env", "e"), v("--agent-config-id"),
                v("--api", "a"), v("--namespace", "n"), v("--image-pull-secrets", "i"), f("--rbac"), f("--latest"),
                v("--mem-request"), v("--mem-limit"), v("--cpu-request"), v("--cpu-limit"), v("--image-pull-policy"),
                v("--service-account-name"), v("--backend", "b"),
            ]
        case (_, .install):
            // Prefect has no such command; keep the common flags so `--env`/`--key` are still seen.
            return commonStart
        case (.local, .start), (nil, .start):
            return commonStart + [
                v("--import-path", "p"), f("--show-flow-logs", "f"), f("--hostname-label"), f("--no-hostname-label"),
            ]
        case (.docker, .start):
            return commonStart + [
                v("--base-url", "b"), f("--no-pull"), f("--show-flow-logs", "f"), v("--volume"), v("--network"),
                v("--docker-client-timeout"),
            ]
        case (.kubernetes, .start):
            return commonStart + [
                v("--namespace"), v("--job-template"), v("--service-account-name"), v("--image-pull-secrets"),
                f("--disable-job-deletion"),
            ]
        case (.ecs, .start):
            return commonStart + [
                v("--cluster"), v("--launch-type"), v("--task-role-arn"), v("--execution-role-arn"),
                v("--task-definition"), v("--run-task-kwargs"),
            ]
        case (.vertex, .start):
            return commonStart + [v("--project"), v("--region-name"), v("--service-account")]
        }
    }
}

extension AgentCommand {
    /// Parses the words after `prefect agent` (`args`), for a command spanning `span`.
    static func parse(_ args: ArraySlice<ShellWord>, span: ByteSpan) -> AgentCommand? {
        guard let first = args.first, first.isLiteral else { return nil }
        var rest = args.dropFirst()
        var type: AgentType? = nil
        var typeWord: ShellWord? = nil
        var sub: Subcommand
        var deprecated = false
        var refusal: SourceDiagnostic? = nil
        if let s = Subcommand(rawValue: first.value), s == .start {
            sub = s
            deprecated = true
        } else {
            typeWord = first
            type = AgentType(rawValue: first.value)
            guard let second = rest.first, second.isLiteral, let s = Subcommand(rawValue: second.value) else {
                return nil
            }
            sub = s
            rest = rest.dropFirst()
            if type == nil, !first.textMayChange {
                let name = ["fargate", "nomad"].contains(first.value) ? "No such command '\(first.value)'." : nil
                refusal = SourceDiagnostic(
                    span: first.span, message: name.map(Self.clickError) ?? "Prefect 1.4.1 exits: it has no such agent type (the word is not shown: it may be a value)")
            }
        }
        if deprecated {
            // Prefect 1.x has no `prefect agent start`; 0.x's `start docker` is gone with it.
            refusal = SourceDiagnostic(span: first.span, message: Self.clickError("No such command 'start'."))
        }
        let (parsed, _) = parseOptions(
            rest, specs: AgentFlags.specs(type: type, subcommand: sub), unknownLongTakesValue: true, stopClusterAtUnknown: true)
        var positionals = parsed.positionals
        if deprecated, let p = positionals.first, p.isLiteral, let t = AgentType(rawValue: p.value) {
            // Prefect 0.x style `prefect agent start docker`.
            type = t
            typeWord = p
            positionals.removeFirst()
        }
        let firstUnknownWord = Self.firstWordOfUnknownText(parsed, words: rest, positionals: positionals)
        refusal = refusal ?? Self.optionRefusal(parsed, positionals: positionals, before: firstUnknownWord)
        var command = AgentCommand(
            agentType: type, typeWord: typeWord, subcommand: sub, isDeprecatedForm: deprecated,
            isSupported: sub == .start || type == .local || type == .kubernetes,
            options: parsed.options, unknownOptions: parsed.unknown, positionals: positionals, env: [], labels: [],
            key: nil, api: nil, backend: nil, name: nil, tenantID: nil, refusal: refusal, span: span,
            inDocumentation: false)
        for o in parsed.options {
            switch o.name {
            case "--env":
                if let v = o.value {
                    var a = EnvAssignmentSyntax.fromWord(v, context: .agentEnvFlag, malformedWithoutEquals: true)
                    a.span = v.span
                    command.env.append(a)
                }
            case "--label": if let v = o.value { command.labels.append(v) }
            case "--key": command.key = o
            case "--api": command.api = o
            case "--backend": command.backend = o
            case "--name": command.name = o
            case "--tenant-id": command.tenantID = o
            default: break
            }
        }
        if command.key == nil {
            // `-p /flows-k KEY`: install's missing space; the key is the next positional.
            for o in parsed.options {
                guard let v = o.value, let text = v.literalValue, text.count > 2, text.hasSuffix("-k"),
                    let p = command.positionals.firstIndex(where: { $0.span.start >= v.span.end })
                else { continue }
                let value = command.positionals.remove(at: p)
                let flagSpan = ByteSpan(max(v.span.start, v.span.end - 2), v.span.end)
                command.key = CommandOption(
                    name: "--key", written: "-k", flagSpan: flagSpan, value: value, span: flagSpan.union(value.span))
                command.keyIsGlued = true
                break
            }
        }
        if command.refusal == nil {
            command.refusal = command.startFailure(before: firstUnknownWord)
        }
        return command
    }

    /// What fails once click has accepted the command: `--env` values without `=` (Prefect
    /// splits each on `=` and raises `ValueError`), and the supervisord command that `local
    /// install` writes with import paths and a key, tenant or agent config id: it glues the
    /// last path to the next option (`-p /flows-k KEY`, facts §4.5), and the agent started
    /// from it gets an extra argument.
    private func startFailure(before limit: Int) -> SourceDiagnostic? {
        // Compose and Kubernetes expand `${X}` and `$(X)`: such a value may hold its `=`.
        if let bad = env.first(where: { $0.isMalformed && !$0.name.contains("$") }), bad.span.start < limit {
            return SourceDiagnostic(span: bad.span, message: "Prefect 1.4.1 raises ValueError: an --env value without '='")
        }
        // Prefect writes each of these only when its value is not empty, in this order.
        let written = [("--key", "-k"), ("--tenant-id", "--tenant-id"), ("--agent-config-id", "--agent-config-id")].first { name, _ in
            options.last { $0.name == name }?.value?.literalValue.map { !$0.isEmpty } ?? false
        }
        if agentType == .local, subcommand == .install, limit == .max, let path = options.first(where: { $0.name == "--import-path" }),
            let (_, flag) = written
        {
            return SourceDiagnostic(
                span: path.span,
                message: "the supervisord command it writes glues the last import path to \(flag) (-p PATH\(flag) …), and Prefect 1.4.1 exits with \"Error: Got unexpected extra argument.\"")
        }
        return nil
    }
}

extension AgentCommand {
    /// Where the first word the tool cannot read stands: an argument or unknown option whose
    /// text may change (``ShellWord/textMayChange``), a short-option cluster with a reference
    /// (`-f"$X"` may be `-fl`), or any word the shell may split or drop (an unquoted `$X`,
    /// even as an option's value). It may be an option that takes the next word as its value,
    /// `--help`, or nothing: what click says about words after it is unknown. `Int.max` when
    /// there is none.
    static func firstWordOfUnknownText(_ parsed: ParsedOptions, words: ArraySlice<ShellWord>, positionals: [ShellWord]) -> Int {
        var first = Int.max
        for argument in positionals where argument.textMayChange { first = min(first, argument.span.start) }
        for option in parsed.unknown where !isPlainOptionName(option.written) { first = min(first, option.flagSpan.start) }
        for word in words where word.span.start < first {
            if word.wordCountMayChange {
                first = word.span.start
            } else if word.textMayChange {
                let prefix = word.literalPrefix
                if prefix.hasPrefix("-") && !prefix.hasPrefix("--") { first = word.span.start }
            }
        }
        return first
    }

    /// What click says first about the options and arguments before `limit`
    /// (``firstWordOfUnknownText(_:words:positionals:)``). Errors come while it reads them
    /// left to right: an option missing its value, a flag given one, an option the command
    /// does not have. Then `-h`/`--help` prints the usage and exits; then values of the wrong
    /// type are refused (the last of each option counts); only after that, arguments that are
    /// not options. Messages quote click only where its words hold no value.
    static func optionRefusal(_ parsed: ParsedOptions, positionals: [ShellWord], before limit: Int) -> SourceDiagnostic? {
        let parseErrors = parsed.diagnostics.map { SourceDiagnostic(span: $0.span, message: clickError($0.message)) }
        let unknown = parsed.unknown.filter { isPlainOptionName($0.written) }.map { option in
            let message =
                option.written.utf8.count == 2 || knownOptionNames.contains(option.written)
                ? clickError("No such option '\(option.written)'.")
                : "Prefect 1.4.1 exits: it has no such option (the name is not shown: it may hold a value)"
            return SourceDiagnostic(span: option.flagSpan, message: message)
        }
        if let first = (parseErrors + unknown).min(by: { $0.span.start < $1.span.start }) {
            return first.span.start < limit ? first : nil
        }
        if let help = parsed.options.first(where: { $0.name == "--help" }) {
            return help.flagSpan.start < limit ? SourceDiagnostic(span: help.flagSpan, message: "\(help.written) prints the usage and exits") : nil
        }
        // click converts values in the order the options first appear, each from its last
        // occurrence; a later word the tool cannot read may give the option again.
        if limit == .max {
            let typed = parsed.options.filter { typedOptions[$0.name] != nil }
            var checked: Set<String> = []
            for first in typed where checked.insert(first.name).inserted {
                guard let type = typedOptions[first.name], let last = typed.last(where: { $0.name == first.name }),
                    !type.accepts(last.value)
                else { continue }
                return SourceDiagnostic(span: last.span, message: "Prefect 1.4.1 exits: \(first.name) takes \(type) (the value is not shown)")
            }
        }
        let extra = positionals.filter { !$0.textMayChange }
        guard let first = extra.first, first.span.start < limit else { return nil }
        // click lists the words; they are left out here, as a stray word may be a value.
        return SourceDiagnostic(span: first.span, message: clickError("Got unexpected extra argument\(extra.count == 1 ? "" : "s")."))
    }

    /// The options whose values click converts.
    static let typedOptions: [String: OptionValueType] = [
        "--max-polls": .integer, "--docker-client-timeout": .integer,
        "--log-level": .choice(["DEBUG", "INFO", "WARNING", "ERROR"]), "--launch-type": .choice(["FARGATE", "EC2"]),
    ]

    /// `-x` (any printable character but `$`, such as the `=` of `-f=1`) or
    /// `--name-of-option`: a name, not a word the tool cannot read.
    static func isPlainOptionName(_ written: String) -> Bool {
        let bytes = Array(written.utf8)
        if bytes.count == 2, bytes[0] == 0x2D { return bytes[1] > 0x20 && bytes[1] < 0x7F && bytes[1] != 0x24 }
        guard bytes.count > 2, bytes.starts(with: [0x2D, 0x2D]) else { return false }
        return bytes[2...].allSatisfy { ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F }
    }

    /// Every long option of Prefect 1.4.1's agent commands, and Prefect 0.x's that 1.x dropped.
    static let knownOptionNames: Set<String> = {
        var names: Set<String> = ["--token", "--verbose", "--docker-interface", "--no-docker-interface"]
        for type in AgentType.allCases {
            for subcommand in [Subcommand.start, .install] {
                for spec in AgentFlags.specs(type: type, subcommand: subcommand) { names.insert(spec.long) }
            }
        }
        return names
    }()

    static func clickError(_ message: String) -> String { "Prefect 1.4.1 exits with \"Error: \(message)\"" }
}

/// What click converts an option's value to: an integer (Python's `int`), or one of a few
/// words in any case.
enum OptionValueType: CustomStringConvertible {
    case integer
    case choice([String])

    var description: String {
        switch self {
        case .integer: "an integer"
        case .choice(let words): words.count == 2 ? words.joined(separator: " or ") : "one of " + words.joined(separator: ", ")
        }
    }

    /// Whether click takes `word`; one whose text the tool cannot know may be anything.
    func accepts(_ word: ShellWord?) -> Bool {
        guard let word, !word.textMayChange, let value = word.literalValue else { return true }
        switch self {
        case .integer:
            // Python's int() also takes blanks around, `_` between digits and non-ASCII digits.
            guard value.utf8.allSatisfy({ $0 < 0x80 }) else { return true }
            var digits = Substring(value)
            while digits.first?.isWhitespace == true { digits.removeFirst() }
            while digits.last?.isWhitespace == true { digits.removeLast() }
            if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
            return !digits.isEmpty && digits.first != "_" && digits.last != "_" && !digits.contains("__")
                && digits.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "_") }
        case .choice(let words):
            return words.contains(value.uppercased())
        }
    }
}
