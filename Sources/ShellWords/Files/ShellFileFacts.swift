import Spans

/// The kinds of files that hold shell commands or environment assignments.
public enum ShellFileKind: String, Hashable, Sendable, CaseIterable {
    case shellScript, makefile, dockerfile, systemdUnit, procfile, dotenv, supervisord, markdown
    /// A user's crontab (`crontab -e`, `crontab FILE`): five time fields (or `@reboot`), then the command.
    case crontab
    /// `/etc/crontab` and `/etc/cron.d/*`: a user's name between the time fields and the command.
    case systemCrontab
    /// just's command runner file (``JustfileReader``).
    case justfile

    /// Guesses the kind from the file name (and, for extensionless files, a shell shebang).
    public static func detect(path: String, bytes: [UInt8]) -> ShellFileKind? {
        let name = PathText.lastComponent(of: path).map(String.init) ?? path
        let lower = name.lowercased()
        let ext = lower.lastIndex(of: ".").map { String(lower[lower.index(after: $0)...]) } ?? ""
        if lower == "makefile" || lower == "gnumakefile" || ext == "mk" || ext == "mak" { return .makefile }
        if lower == "justfile" || lower == ".justfile" || ext == "just" { return .justfile }
        if lower == "dockerfile" || lower.hasPrefix("dockerfile.") || ext == "dockerfile" || lower == "containerfile" {
            return .dockerfile
        }
        if lower == "procfile" || lower.hasPrefix("procfile.") { return .procfile }
        if let crontab = crontabKind(path: path, lower: lower, ext: ext) { return crontab }
        if lower == ".env" || lower.hasPrefix(".env.") || ext == "env" { return .dotenv }
        if ["service", "socket", "timer", "target", "path", "mount"].contains(ext) { return .systemdUnit }
        if isSupervisordName(lower, ext: ext) { return .supervisord }
        if ext == "conf" || ext == "ini", contains(bytes, Array("[program:".utf8)) { return .supervisord }
        if ext == "md" || ext == "markdown" || lower.hasPrefix("readme") { return .markdown }
        // direnv's `.envrc` is a bash script that the shells of its folder source.
        if ["sh", "bash", "zsh", "dash", "ksh"].contains(ext) || lower == ".envrc" { return .shellScript }
        if ext.isEmpty, hasShellShebang(bytes) { return .shellScript }
        return nil
    }

    /// A crontab by its path: `crontab`, `*.cron`, `*.crontab`; one under `cron.d/` or
    /// `etc/crontab` names a user on each line.
    public static func crontabKind(path: String, lower: String, ext: String) -> ShellFileKind? {
        let folders = path.split(separator: "/").dropLast().map { $0.lowercased() }
        if folders.last == "cron.d" || (lower == "crontab" && folders.last == "etc") { return .systemCrontab }
        return lower == "crontab" || ext == "cron" || ext == "crontab" ? .crontab : nil
    }

    /// `supervisord.conf` or a `.conf` named after supervisor, from its lower-cased name and
    /// extension: a supervisord file whatever its first bytes (the one `prefect agent local
    /// install` writes has a kilobyte of comments before `[program:`).
    public static func isSupervisordName(_ lower: String, ext: String) -> Bool {
        lower == "supervisord.conf" || (ext == "conf" && lower.contains("supervisor"))
    }

    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, bytes.count >= needle.count else { return false }
        var k = 0
        while k + needle.count <= bytes.count {
            if bytes[k] == first && bytes[k..<(k + needle.count)].elementsEqual(needle) { return true }
            k += 1
        }
        return false
    }

    /// `#!/bin/sh`, `#!/usr/bin/env bash` and the like.
    public static func hasShellShebang(_ bytes: [UInt8]) -> Bool {
        guard bytes.starts(with: [0x23, 0x21]) else { return false }
        let end = bytes.firstIndex(of: 0x0A) ?? bytes.count
        let line = String(decoding: bytes[2..<end], as: UTF8.self)
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        guard var program = parts.first.map(String.init) else { return false }
        if program.hasSuffix("/env"), parts.count > 1 {
            program = String(parts[1])
            if program == "-S", parts.count > 2 { program = String(parts[2]) }
        }
        let base = program.split(separator: "/").last.map(String.init) ?? program
        return ShellCommands.shells.contains(base)
    }
}

/// Where in a file a command was found.
public enum ShellCommandOrigin: String, Hashable, Sendable {
    case script, makeRecipe, dockerfileRun, dockerfileCmd, dockerfileEntrypoint, systemdExec, procfile, crontab
    case supervisordCommand, documentation
    /// The script of an `sh -c '…'` / `bash -c` argument.
    case shellDashC
    /// Shell text or an argument list embedded in another file (YAML, JSON), via
    /// ``ShellFileReader/readEmbeddedScript(_:map:origin:inDocumentation:)``.
    case embedded
}

/// A command with where it was found.
public struct ShellCommandSite: Hashable, Sendable {
    /// The command as parsed.
    public var command: ShellSimpleCommand
    /// The construct it was written in.
    public var origin: ShellCommandOrigin
}

/// A file named by the file being read (`EnvironmentFile=`, `docker run --env-file`).
public struct ShellFileReference: Hashable, Sendable {
    /// The file name as written.
    public var path: ShellWord
    /// `EnvironmentFile=-…`: a missing file is not an error.
    public var isOptional: Bool
}

/// A file a script reads into itself: `source FILE`, `. FILE`, also `eval "$(cat FILE)"`
/// and `export $(cat FILE | xargs)`, which exports every line.
public struct ShellSourcedFile: Hashable, Sendable {
    /// The file name as written.
    public var path: ShellWord
    /// What reads it: the `source`, `export` or `eval` command, or the substitution `env` expands.
    public var span: ByteSpan
    /// `set -a` was on: every variable the file assigns is exported, not only those it exports.
    public var allExport: Bool
    /// When the file's variables reach only the commands within a span: the `env` command
    /// they are given to (`env $(cat .env | xargs) cmd`), the `sh -c '…'` whose shell read
    /// them. Otherwise they reach every later command of the shell.
    public var scope: ByteSpan?
}

/// A `COPY`/`ADD` of build-context files: sources relative to the build context, and where
/// in the image they go.
public struct DockerCopy: Hashable, Sendable {
    public var sources: [String]
    public var destination: String
    /// The sources are build-context files (not `--from` another stage, a URL or a
    /// here-document).
    public var fromContext: Bool = true

    public init(sources: [String], destination: String, fromContext: Bool = true) {
        self.sources = sources
        self.destination = destination
        self.fromContext = fromContext
    }

    /// ``destination`` without a trailing `/`.
    private var target: String { destination.hasSuffix("/") ? String(destination.dropLast()) : destination }

    /// Whether the copy writes the image's file at `path`, whatever it copies.
    public func covers(_ path: String) -> Bool {
        target == path || path.hasPrefix(target + "/")
    }

    /// The build-context paths the image's file at `path` may come from through this copy,
    /// the project deciding which exists: `COPY start.sh /start.sh`, `COPY start.sh /opt/`,
    /// `COPY scripts/ /opt/` for `/opt/start.sh`, `COPY . /app`.
    public func sources(of path: String) -> [String] {
        let destination = target
        var found: [String] = []
        for source in sources.reversed() {
            let name = source.split(separator: "/").last.map(String.init) ?? source
            if destination == path || destination + "/" + name == path { found.append(source) }
            if path.hasPrefix(destination + "/") {
                let folder = source == "." || source == "./" ? "" : (source.hasSuffix("/") ? source : source + "/")
                found.append(folder + path.dropFirst(destination.count + 1))
            }
        }
        return found
    }
}

/// A Dockerfile build stage: where its `FROM` line starts, and the earlier stage it is built
/// from (`FROM base`), whose `ENV`, `ENTRYPOINT` and `CMD` it inherits.
public struct DockerStage: Hashable, Sendable {
    public var start: Int
    /// The stage's `AS` name, lowercased.
    public var name: String?
    /// Index of the base stage in ``ShellFileFacts/dockerStages``; nil for an image.
    public var base: Int?
    /// The programs its image runs, as written, when they are not `prefect` itself: an
    /// `ENTRYPOINT` script, and the `CMD`'s program (`/start_agent.sh`).
    public var programs: [String] = []
    /// The first of ``programs`` is the `ENTRYPOINT`'s, which runs the `CMD` as its arguments.
    public var programsStartWithEntrypoint = false
    /// The stage whose commands, as read, its image runs: itself, or, for a stage with no
    /// `ENTRYPOINT`, `CMD` or `ENV` of its own, that of the stage it is built from.
    public var commandStage: Int?
    /// Its `COPY`/`ADD` of build-context files (not `--from` another stage), as written.
    public var copies: [DockerCopy] = []
}

/// A program a service manager runs, as written (``ShellCommands/program(_:)``): a systemd
/// unit's `ExecStart=`, a supervisord program's `command=`; with the command's span.
public struct ManagedProgram: Hashable, Sendable {
    public var program: String
    public var span: ByteSpan
    /// The supervisord program's name (`[program:agent]`), the Procfile's process type
    /// (`agent:`); nil for a unit, named by its file.
    public var name: String?

    /// What `words` run, unless it is nothing literal or `prefect` itself (an agent the
    /// readers take as such).
    init?(words: [ShellWord], name: String? = nil) {
        guard let first = words.first, let last = words.last, ShellCommands.commandName(first) != "prefect",
            let program = ShellCommands.program(words)
        else { return nil }
        self.program = program
        self.span = first.span.union(last.span)
        self.name = name
    }
}

/// What a reader found in one file, all spans in file coordinates.
public struct ShellFileFacts: Hashable, Sendable {
    /// The kind the file was read as.
    public var kind: ShellFileKind
    /// Every simple command, in source order (nested `sh -c` scripts after their command).
    public var commands: [ShellCommandSite] = []
    /// The recognized commands, wrapped ones included (`env X=1 prefect …` gives both).
    public var recognized: [RecognizedCommand] = []
    /// Every environment assignment (exports, prefixes, `--env`, `ENV`, dotenv lines, …).
    public var assignments: [EnvAssignmentSyntax] = []
    /// The `prefect agent …` commands (also inside `recognized`).
    public var agentCommands: [AgentCommand] = []
    /// Files the file points at (`EnvironmentFile=`, `--env-file`).
    public var referencedFiles: [ShellFileReference] = []
    /// Files the script sources, in source order.
    public var sourcedFiles: [ShellSourcedFile] = []
    /// The files a Makefile's `include`, `-include` and `sinclude` read as part of it: their
    /// assignments are make variables, which reach recipes when exported.
    public var makeIncludes: [ShellSourcedFile] = []
    /// A Makefile's bare `export` line: every variable is exported to recipes.
    public var exportsAllMakeVariables = false
    /// Parts of the file that one shell runs whole, though each of its other lines is a shell
    /// of its own: a justfile recipe that starts with `#!`.
    public var oneShellSpans: [ByteSpan] = []
    /// Syntax problems (unterminated quotes, malformed lines).
    public var diagnostics: [SourceDiagnostic] = []
    /// The whole file is documentation (Markdown).
    public var isDocumentation: Bool = false
    /// A Dockerfile's build stages, in order.
    public var dockerStages: [DockerStage] = []
    /// The programs a systemd unit's `ExecStart=` lines, supervisord's `command=` lines or a
    /// Procfile's lines run,
    /// when they are not `prefect` itself (`/opt/etl/start-agent.sh`, `bash /opt/etl/start.sh`).
    public var managedPrograms: [ManagedProgram] = []

    public init(kind: ShellFileKind) {
        self.kind = kind
    }
}

/// Reads a file of a ``ShellFileKind`` into ``ShellFileFacts``.
public enum ShellFileReader {
    /// Reads `file` as `kind` (detected from its path and content when nil; a shell script as last resort).
    public static func read(_ file: SourceFile, kind: ShellFileKind? = nil) -> ShellFileFacts {
        let k = kind ?? ShellFileKind.detect(path: file.path, bytes: file.bytes) ?? .shellScript
        var builder = FactsBuilder(kind: k, bytes: file.bytes)
        switch k {
        case .shellScript:
            builder.add(ShellParser.parse(file.bytes), origin: .script)
        case .makefile: MakefileReader.read(&builder)
        case .justfile: JustfileReader.read(&builder)
        case .dockerfile: DockerfileReader.read(&builder)
        case .systemdUnit: SystemdReader.read(&builder)
        case .procfile: ProcfileReader.read(&builder)
        case .crontab: CrontabReader.read(&builder, userField: false)
        case .systemCrontab: CrontabReader.read(&builder, userField: true)
        case .dotenv: DotenvReader.read(&builder)
        case .supervisord: SupervisordReader.read(&builder)
        case .markdown: MarkdownReader.read(&builder)
        }
        return builder.facts
    }
}

/// Collects facts; shared by the readers.
struct FactsBuilder {
    var facts: ShellFileFacts
    let bytes: [UInt8]
    var documentation = false
    /// A Makefile's `unexport NAME` names, which a bare `export` leaves out.
    var unexportedMakeVariables: Set<String> = []
    /// `set -a` (`set -o allexport`) is on: plain assignments are exported. Read in source
    /// order, as the script runs when it has no branches.
    var allExport = false
    /// The `sh -c '…'` command whose script is being read: what that shell sources dies with it.
    var childShell: ByteSpan?
    /// A Makefile with `.ONESHELL:`: a recipe's lines share one shell (the reader resets
    /// ``allExport`` at each rule).
    var recipeIsOneShell = false
    /// The Dockerfile stage whose image runs the commands being added (index into
    /// ``ShellFileFacts/dockerStages``), which its agents record.
    var dockerStage: Int?

    init(kind: ShellFileKind, bytes: [UInt8]) {
        self.facts = ShellFileFacts(kind: kind)
        self.bytes = bytes
    }


    mutating func add(_ script: ShellScript, origin: ShellCommandOrigin, depth: Int = 0) {
        facts.diagnostics += script.diagnostics
        // Every script but a whole shell script file runs in a shell of its own (`sh -c`, a
        // recipe line, a `RUN`, a README fence), which starts without `set -a`.
        let isolated = depth > 0 || (facts.kind != .shellScript && !recipeIsOneShell)
        let outer = allExport
        if isolated { allExport = false }
        // An unterminated quote or substitution runs to the end of the input: the shell stops
        // there with a syntax error, and nothing from that command on runs (its words would
        // also swallow the lines after it).
        let broken = script.diagnostics.filter { $0.message.hasPrefix("unterminated") }.map(\.span.start).min() ?? .max
        for c in script.commands where c.span.end <= broken { add(c, origin: origin, depth: depth) }
        if isolated { allExport = outer }
    }

    /// `echo "NAME=value" >> $GITHUB_ENV` (or `"$GITHUB_ENV"`, `${GITHUB_ENV}`): GitHub Actions
    /// puts the variable in the environment of the job's later steps.
    static func githubEnvWrite(_ command: ShellSimpleCommand) -> EnvAssignmentSyntax? {
        guard command.words.count == 2, command.words[0].literalValue == "echo",
            command.redirections.contains(where: { ($0.op == ">>" || $0.op == ">") && $0.target?.referencedVariables == ["GITHUB_ENV"] }),
            let (name, _) = command.words[1].splitAtFirstEquals(), name.isLiteral, ShellCommands.isValidName(name.value)
        else { return nil }
        return EnvAssignmentSyntax.fromWord(command.words[1], context: .githubEnvFile, malformedWithoutEquals: false)
    }

    mutating func add(_ command: ShellSimpleCommand, origin: ShellCommandOrigin, depth: Int = 0) {
        facts.commands.append(ShellCommandSite(command: command, origin: origin))
        let recognized = ShellCommands.recognizeAll(command)
        var assignments = ShellCommands.envAssignments(of: command, recognized: recognized)
        if let written = Self.githubEnvWrite(command) { assignments.append(written) }
        for r in recognized {
            switch r {
            case .agent(var a):
                a.inDocumentation = documentation
                a.dockerStage = dockerStage
                facts.agentCommands.append(a)
                facts.recognized.append(.agent(a))
            case .dockerRun(let d):
                facts.referencedFiles += d.envFiles.map { ShellFileReference(path: $0, isOptional: false) }
                facts.recognized.append(r)
            case .dockerBuild:
                facts.recognized.append(r)
            case .env(let e):
                for part in e.substitutions {
                    for path in Self.filesRead(bySubstitution: part) {
                        facts.sourcedFiles.append(ShellSourcedFile(path: path, span: part.span, allExport: true, scope: e.span))
                    }
                }
                facts.recognized.append(r)
            default:
                facts.recognized.append(r)
            }
        }
        if documentation {
            for k in assignments.indices { assignments[k].inDocumentation = true }
        }
        if allExport {
            for k in assignments.indices where assignments[k].context == .shellVariable { assignments[k].context = .export }
        }
        facts.assignments += assignments
        readShellOptions(command)
        // `sh -c 'script'`: the script is shell text too, also when wrapped (`env … sh -c`,
        // `docker run … image sh -c`).
        guard depth < 4 else { return }
        var candidates: [ArraySlice<ShellWord>] = [command.words[...]]
        for r in recognized {
            switch r {
            case .env(let e): if let inner = e.innerCommand { candidates.append(inner.words[...]) }
            case .dockerRun(let d): if let inner = d.innerCommand { candidates.append(inner.words[...]) }
            default: break
            }
        }
        for candidate in candidates {
            if let script = ShellCommands.multiplexerScript(candidate) {
                addChildScript(script, of: command, depth: depth)
                continue
            }
            // `ssh host 'script'`: the remote user's shell runs it.
            if let script = ShellCommands.remoteScript(candidate) {
                addChildScript(script, of: command, depth: depth)
                continue
            }
            let words = ShellCommands.unwrap(candidate)
            guard let first = words.first, let name = ShellCommands.commandName(first) else { continue }
            // `su - prefect -c 'script'`, `runuser -l prefect -c 'script'`: the user's shell runs it.
            if let script = ShellCommands.switchUser(name, words.dropFirst())?.script {
                addChildScript(script, of: command, depth: depth)
                continue
            }
            guard ShellCommands.shells.contains(name) else { continue }
            var rest = words.dropFirst()
            while let w = rest.first, let v = w.literalValue, v.hasPrefix("-") {
                rest = rest.dropFirst()
                if v.hasSuffix("c") && !v.hasPrefix("--") {
                    if let script = rest.first { addChildScript(script, of: command, depth: depth) }
                    break
                }
            }
        }
    }

    /// The script a command gives a shell of its own (`sh -c`, `su -c`): what it sets stays
    /// in that shell.
    private mutating func addChildScript(_ script: ShellWord, of command: ShellSimpleCommand, depth: Int) {
        let parsed = ShellParser.parse(Array(script.value.utf8), map: script.valueOffsetMap)
        let parent = childShell
        childShell = parent ?? command.span
        add(parsed, origin: .shellDashC, depth: depth + 1)
        childShell = parent
    }

    /// `set -a`/`set +a` (also `-o allexport`, and in flag groups such as `set -ea`), and the
    /// commands that read a file's assignments into the shell: `source FILE`/`. FILE` and
    /// `eval "$(cat FILE)"` with the current `set -a`, `export $(… FILE …)` exporting them all.
    mutating func readShellOptions(_ command: ShellSimpleCommand) {
        let words = ShellCommands.unwrap(command.words[...])
        guard let first = words.first, let name = first.literalValue else { return }
        switch name {
        case "set":
            var rest = words.dropFirst()
            while let word = rest.first, let flags = word.literalValue, flags.count > 1, flags != "--",
                let sign = flags.first, sign == "-" || sign == "+"
            {
                rest = rest.dropFirst()
                // A group with a letter `set` does not take is an error: bash changes nothing.
                guard flags.dropFirst().allSatisfy({ "abefhkmnptuvxBCEHPTo".contains($0) }) else { return }
                for flag in flags.dropFirst() {
                    if flag == "a" { allExport = sign == "-" }
                    // Each `o` in a group takes the next word as an option name (`set -eo allexport`).
                    if flag == "o" {
                        if rest.first?.literalValue == "allexport" { allExport = sign == "-" }
                        rest = rest.dropFirst()
                    }
                }
            }
        case "source", ".":
            guard let path = words.dropFirst().first else { return }
            facts.sourcedFiles.append(ShellSourcedFile(path: path, span: command.span, allExport: allExport, scope: childShell))
        case "export", "eval":
            // `export $(grep -v '^#' .env | xargs)` exports every `KEY=value` line of the file;
            // `eval "$(cat .env)"` runs the lines as a `source` would.
            // Only a word that is the substitution alone (`export K=$(…)` sets K, and a quoted
            // `export "$(…)"` one name); `eval` runs its argument whatever the quotes.
            for word in words.dropFirst() {
                guard word.parts.count == 1, let part = word.parts.first, part.kind == .commandSubstitution,
                    name == "eval" || part.quoting == .none
                else { continue }
                for path in Self.filesRead(bySubstitution: part) {
                    facts.sourcedFiles.append(
                        ShellSourcedFile(path: path, span: command.span, allExport: name == "export" || allExport, scope: childShell))
                }
            }
        default:
            return
        }
    }

    /// The files a command substitution's commands read whole: the file arguments of `cat`,
    /// `grep -v` (which drops comments; a plain `grep` keeps only the lines it matches) and
    /// `sed` (after their pattern), `xargs -a FILE`, and `< FILE` of any of them.
    static func filesRead(bySubstitution part: ShellWordPart) -> [ShellWord] {
        var text = Substring(part.text)
        let opening: Int
        if text.hasPrefix("$(") && text.hasSuffix(")") {
            text = text.dropFirst(2).dropLast()
            opening = 2
        } else if text.hasPrefix("`") && text.hasSuffix("`") && text.count >= 2 {
            text = text.dropFirst().dropLast()
            opening = 1
        } else {
            return []
        }
        var files: [ShellWord] = []
        // The text is re-read on its own; its words keep the substitution's place in the file.
        for command in ShellParser.parse(Array(text.utf8), map: .base(part.span.start + opening)).commands {
            files += command.redirections.filter { $0.op == "<" }.compactMap(\.target)
            let words = ShellCommands.unwrap(command.words[...])
            guard let first = words.first, let name = ShellCommands.commandName(first) else { continue }
            var arguments = Array(words.dropFirst())
            switch name {
            case "cat", "tac":
                files += arguments.filter { !($0.literalValue?.hasPrefix("-") ?? false) }
            case "grep", "egrep", "sed":
                // Options first; then the pattern (unless `-e` gave it), then the files.
                var patternGiven = false
                var inverted = false
                while let option = arguments.first?.literalValue, option.hasPrefix("-"), option != "-" {
                    arguments.removeFirst()
                    if (!option.hasPrefix("--") && option.contains("v")) || option == "--invert-match" { inverted = true }
                    if option == "-e" || option == "-f" {
                        patternGiven = true
                        if !arguments.isEmpty { arguments.removeFirst() }
                    }
                }
                if name != "sed" && !inverted { continue }
                files += patternGiven ? arguments : Array(arguments.dropFirst())
            case "xargs":
                if let index = arguments.firstIndex(where: { $0.literalValue == "-a" || $0.literalValue == "--arg-file" }),
                    index + 1 < arguments.count
                {
                    files.append(arguments[index + 1])
                }
            default:
                continue
            }
        }
        return files
    }

    mutating func addAssignment(_ a: EnvAssignmentSyntax, exported: Bool = false) {
        var a = a
        if documentation { a.inDocumentation = true }
        a.hasExportKeyword = exported
        facts.assignments.append(a)
    }

    mutating func diagnose(_ span: ByteSpan, _ message: String) {
        facts.diagnostics.append(SourceDiagnostic(span: span, message: message))
    }
}

/// Bytes gathered from several places of a file, with each byte's file offsets.
struct MappedBuffer {
    var bytes: [UInt8] = []
    var table: [Int] = []
    var ends: [Int] = []

    /// A byte copied from the file at `offset`.
    mutating func append(_ byte: UInt8, at offset: Int) {
        bytes.append(byte)
        table.append(offset)
        ends.append(offset + 1)
    }

    /// A byte that is not in the file (a joining space or newline); it has no width there.
    mutating func appendSynthetic(_ byte: UInt8, at offset: Int) {
        bytes.append(byte)
        table.append(offset)
        ends.append(offset)
    }

    mutating func append(_ source: [UInt8], _ range: Range<Int>) {
        for k in range { append(source[k], at: k) }
    }

    /// Another buffer's bytes, with their offsets.
    mutating func append(contentsOf other: MappedBuffer) {
        bytes += other.bytes
        table += other.table
        ends += other.ends
    }

    /// The bytes in `range`.
    func slice(_ range: Range<Int>) -> MappedBuffer {
        let r = range.clamped(to: 0..<bytes.count)
        return MappedBuffer(bytes: Array(bytes[r]), table: Array(table[r]), ends: Array(ends[r]))
    }

    /// The bytes from `start` on.
    func suffix(from start: Int) -> MappedBuffer {
        let s = min(max(0, start), bytes.count)
        return MappedBuffer(bytes: Array(bytes[s...]), table: Array(table[s...]), ends: Array(ends[s...]))
    }

    /// The offset map, ending just after the last byte (or at `end` when empty).
    func map(end: Int) -> ShellOffsetMap {
        .table(table + [ends.last ?? end], ends: ends)
    }

    func parse(end: Int, options: ShellParseOptions = ShellParseOptions()) -> ShellScript {
        ShellParser.parse(bytes, map: map(end: end), options: options)
    }
}

/// Physical lines of a byte buffer: `(start, contentEnd, next)` with CR stripped from the end.
func physicalLines(_ b: [UInt8], from: Int = 0) -> [(start: Int, end: Int, next: Int)] {
    var out: [(Int, Int, Int)] = []
    var s = from
    while s < b.count {
        var e = s
        while e < b.count && b[e] != 0x0A { e += 1 }
        let next = e < b.count ? e + 1 : e
        var ce = e
        if ce > s && b[ce - 1] == 0x0D { ce -= 1 }
        out.append((s, ce, next))
        s = next
    }
    return out
}

@inline(__always) func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

func skipBlanks(_ b: [UInt8], _ k: Int, _ end: Int) -> Int {
    var k = k
    while k < end && isBlank(b[k]) { k += 1 }
    return k
}

func trimEnd(_ b: [UInt8], _ s: Int, _ e: Int) -> Int {
    var e = e
    while e > s && (isBlank(b[e - 1]) || b[e - 1] == 0x0D) { e -= 1 }
    return e
}

// MARK: - Embedded shell text (YAML `run:`, `command:`/`args:` lists, JSON arrays)

extension ShellWord {
    /// A word for one program argument that is not shell text (an item of an exec-form list):
    /// its value is `value` exactly, with no references. `map` gives each byte's file offset
    /// (use `.base(start)` for text copied verbatim, a table for decoded escapes).
    public static func argument(_ value: String, map: ShellOffsetMap) -> ShellWord {
        let bytes = Array(value.utf8)
        var w = WordBuilder()
        for (k, byte) in bytes.enumerated() {
            w.raw(byte, at: map.outer(k), end: map.outerEnd(k), quoting: .none)
        }
        if bytes.isEmpty {
            w.add(ShellWordPart(kind: .literal, quoting: .none, span: .empty(at: map.outer(0)), text: ""))
        }
        return w.finish(span: map.span(0, bytes.count))
    }
}

extension ShellSimpleCommand {
    /// A command from an argument list (exec form), spanning its first to last word.
    public init(arguments: [ShellWord]) {
        let start = arguments.first?.span.start ?? 0
        let end = arguments.last?.span.end ?? start
        self.init(assignments: [], words: arguments, redirections: [], span: ByteSpan(start, max(start, end)), terminator: .end)
    }
}

extension ShellFileReader {
    /// Facts for shell text embedded in another file (a YAML `run:` block, a `sh -c` string):
    /// `bytes` is the decoded text and `map` places each byte in the containing file.
    public static func readEmbeddedScript(
        _ bytes: [UInt8], map: ShellOffsetMap, origin: ShellCommandOrigin = .embedded, inDocumentation: Bool = false
    ) -> ShellFileFacts {
        var builder = FactsBuilder(kind: .shellScript, bytes: [])
        builder.documentation = inDocumentation
        builder.add(ShellParser.parse(bytes, map: map), origin: origin)
        return builder.facts
    }

    /// Facts for an exec-form argument list (`command: [...]`, `CMD [...]`), including a
    /// `sh -c '…'` script among the arguments.
    public static func readArguments(
        _ arguments: [ShellWord], origin: ShellCommandOrigin = .embedded, inDocumentation: Bool = false
    ) -> ShellFileFacts {
        var builder = FactsBuilder(kind: .shellScript, bytes: [])
        builder.documentation = inDocumentation
        if !arguments.isEmpty { builder.add(ShellSimpleCommand(arguments: arguments), origin: origin) }
        return builder.facts
    }
}
