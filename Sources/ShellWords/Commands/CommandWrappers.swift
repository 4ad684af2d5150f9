/// How a wrapper command reads its own arguments before the command it runs.
struct WrapperSpec: Sendable {
    /// One-letter options that take a value: the rest of their word (`-C/opt`) or the next
    /// word (`-C /opt`).
    var valueLetters: Set<Character> = []
    /// Long options that take a value: after `=` or as the next word.
    var valueLong: Set<String> = []
    /// Arguments of its own after the options (the user of `gosu`, the duration of `timeout`).
    var positionals = 0
    /// The subcommands that make it a wrapper, before its options (`run` of `poetry run`);
    /// empty when it is one without.
    var subcommands: Set<String> = []
    /// Options with which it runs no command (`setpriv --dump`), by letter or long name.
    var runsNothingWith: Set<String> = []
    /// Its own arguments run to a `--` (`chamber exec SERVICE… -- cmd`).
    var argumentsEndAtDoubleDash = false
    /// Options may follow its positional arguments too (`ssh host -p 2222 cmd`).
    var optionsAfterPositionals = false
    /// It sets variables from a secrets manager before it runs the command (`doppler run`):
    /// what it calls that, for messages.
    var injectsEnvironment: String?
    /// Go's flag syntax (`envconsul -prefix etl -once prefect …`): every `-name` and `--name`
    /// is one flag, with its value after `=` or in the next word unless it is one of these,
    /// which take none. Nil for getopt's syntax.
    var goBooleanFlags: Set<String>?
}

/// The options a wrapper was given.
struct WrapperOptions: Sendable {
    /// One-letter options that take no value (`E` of `-Eu USER`).
    var letters: Set<Character> = []
    /// Long options as written (`--preserve-env=PATH`).
    var long: [String] = []
    /// The values of the options that take one, in order, by the option's letter (`c`) or
    /// long name (`--command`); nil when the value is missing.
    var values: [(option: String, value: ShellWord?)] = []
    /// With GNU argument permutation, the words that are not options, in order.
    var operands: [ShellWord] = []
    /// The index of the first of ``operands`` among the arguments read.
    var firstOperand: Int?

    /// The last value given to any of `options`.
    func lastValue(_ options: String...) -> ShellWord? {
        values.last { options.contains($0.option) }?.value
    }
}

extension ShellCommands {
    /// Commands that run the rest of their words as a command and pass the environment on
    /// (but `sudo`, see ``environmentReset(of:)``). `env` is not among them:
    /// its assignments make it a command of its own (``EnvCommand``).
    static let wrappers: [String: WrapperSpec] = [
        "exec": WrapperSpec(valueLetters: ["a"]),
        "nohup": WrapperSpec(),
        "command": WrapperSpec(),
        "time": WrapperSpec(valueLetters: ["f", "o"], valueLong: ["--format", "--output"]),
        "nice": WrapperSpec(valueLetters: ["n"], valueLong: ["--adjustment"]),
        "sudo": WrapperSpec(
            valueLetters: ["C", "D", "g", "h", "p", "R", "r", "T", "t", "U", "u"],
            valueLong: [
                "--close-from", "--chdir", "--group", "--host", "--prompt", "--chroot", "--role", "--command-timeout", "--type",
                "--other-user", "--user",
            ]),
        "timeout": WrapperSpec(valueLetters: ["k", "s"], valueLong: ["--kill-after", "--signal"], positionals: 1),
        "tini": WrapperSpec(valueLetters: ["e", "p"]),
        "dumb-init": WrapperSpec(valueLetters: ["r"], valueLong: ["--rewrite"]),
        "setsid": WrapperSpec(),
        "stdbuf": WrapperSpec(valueLetters: ["i", "o", "e"], valueLong: ["--input", "--output", "--error"]),
        "gosu": WrapperSpec(positionals: 1),
        // util-linux `setpriv`: only long options take values (`--reuid=1000`, `--groups 1,2`).
        "setpriv": WrapperSpec(
            valueLong: [
                "--reuid", "--regid", "--ruid", "--euid", "--rgid", "--egid", "--groups", "--inh-caps", "--ambient-caps",
                "--bounding-set", "--securebits", "--pdeathsig", "--selinux-label", "--apparmor-profile", "--landlock-access",
                "--landlock-rule", "--seccomp-filter",
            ], runsNothingWith: ["d", "--dump"]),
        "su-exec": WrapperSpec(positionals: 1),
        // Terminal multiplexers that keep an agent running after the script ends, in a new
        // session that inherits the environment (`screen -dmS agent prefect agent …`). tmux
        // given one word runs it as a shell command (``ShellCommands/multiplexerScript(_:)``).
        "screen": WrapperSpec(valueLetters: ["S", "c", "e", "h", "p", "s", "t", "T"], runsNothingWith: ["r", "R", "x", "X", "Q"]),
        "tmux": WrapperSpec(valueLetters: ["c", "e", "F", "f", "n", "s", "t", "x", "y"], subcommands: ["new-session", "new"]),
        // Environment managers that run a command in a project's environment.
        "poetry": WrapperSpec(valueLetters: ["C", "P"], valueLong: ["--directory", "--project"], subcommands: ["run"]),
        "pipenv": WrapperSpec(subcommands: ["run"]),
        "conda": WrapperSpec(valueLetters: ["n", "p"], valueLong: ["--name", "--prefix", "--cwd"], subcommands: ["run"]),
        "uv": WrapperSpec(
            valueLong: ["--with", "--python", "--project", "--directory", "--env-file", "--package", "--extra", "--group"], subcommands: ["run"]),
        "pdm": WrapperSpec(valueLetters: ["p"], valueLong: ["--project", "--venv", "--skip"], subcommands: ["run"]),
        "rye": WrapperSpec(valueLong: ["--pyproject"], subcommands: ["run"]),
        "hatch": WrapperSpec(subcommands: ["run"]),
        "pixi": WrapperSpec(valueLetters: ["e"], valueLong: ["--manifest-path", "--environment"], subcommands: ["run"]),
        "mamba": WrapperSpec(valueLetters: ["n", "p"], valueLong: ["--name", "--prefix", "--cwd"], subcommands: ["run"]),
        "micromamba": WrapperSpec(valueLetters: ["n", "p", "r", "a"], valueLong: ["--name", "--prefix", "--cwd", "--root-prefix", "--attach"], subcommands: ["run"]),
        // Secrets managers that run a command with the secrets they hold in its environment.
        "doppler": WrapperSpec(
            valueLetters: ["p", "c", "t"], valueLong: ["--project", "--config", "--token", "--scope", "--mount", "--mount-format", "--mount-template"],
            subcommands: ["run"], runsNothingWith: ["--command"], injectsEnvironment: "doppler run"),
        "op": WrapperSpec(valueLong: ["--env-file", "--account", "--session", "--config", "--encoding"], subcommands: ["run"], injectsEnvironment: "op run"),
        "infisical": WrapperSpec(
            valueLong: ["--env", "--projectId", "--path", "--token", "--domain", "--tags", "--command"], subcommands: ["run"],
            runsNothingWith: ["--command"], injectsEnvironment: "infisical run"),
        "chamber": WrapperSpec(valueLetters: ["b", "r"], valueLong: ["--backend", "--region", "--pristine"], subcommands: ["exec"],
            argumentsEndAtDoubleDash: true, injectsEnvironment: "chamber exec"),
        "aws-vault": WrapperSpec(
            valueLetters: ["d", "t", "r", "j"], valueLong: ["--duration", "--mfa-token", "--region", "--json", "--prompt", "--backend"],
            positionals: 1, subcommands: ["exec"], injectsEnvironment: "aws-vault exec"),
        "berglas": WrapperSpec(valueLong: ["--local", "--project"], subcommands: ["exec"], injectsEnvironment: "berglas exec"),
        "teller": WrapperSpec(valueLetters: ["c"], valueLong: ["--config"], subcommands: ["run"], injectsEnvironment: "teller run"),
        "envconsul": WrapperSpec(
            runsNothingWith: ["-v", "-version", "-h", "-help"], injectsEnvironment: "envconsul",
            goBooleanFlags: [
                "-once", "-pristine", "-sanitize", "-upcase", "-no-prefix", "-v", "-version", "-h", "-help", "-vault-renew-token",
                "-consul-ssl", "-consul-ssl-verify", "-vault-ssl", "-vault-ssl-verify", "-consul-retry", "-vault-retry",
            ]),
        "summon": WrapperSpec(
            valueLetters: ["p", "f", "D", "e", "i"], valueLong: ["--provider", "--yaml", "--environment", "--ignore", "--fetch"],
            runsNothingWith: ["--help", "--version", "h", "v"], injectsEnvironment: "summon"),
        // dotenvx: the project's env files (`.env` without `-f`), decrypted when encrypted.
        "dotenvx": WrapperSpec(
            valueLetters: ["f", "e", "l"], valueLong: ["--env-file", "--env", "--convention", "--ignore", "--log-level", "--env-keys-file", "--env-vault-file"],
            subcommands: ["run"]),
        // s6-overlay's: runs the command with the container's environment, which s6's
        // services do not otherwise get.
        "with-contenv": WrapperSpec(),
        // Runs the command on another host, in its login environment (``environmentReset(of:)``);
        // one word is a script for the remote shell (``remoteScript(_:)``).
        "ssh": WrapperSpec(
            valueLetters: ["B", "b", "c", "D", "E", "e", "F", "I", "i", "J", "L", "l", "m", "O", "o", "P", "p", "Q", "R", "S", "W", "w"],
            positionals: 1, runsNothingWith: ["N", "V", "G", "O", "Q", "W"], optionsAfterPositionals: true, injectsEnvironment: "ssh"),
    ]

    /// GNU `env`'s options (``environmentReset(of:)``).
    static let envSpec = WrapperSpec(valueLetters: ["u", "C", "S"], valueLong: ["--unset", "--chdir", "--split-string"])

    /// The words wrapper `name` runs as a command, given its arguments, with the options it
    /// was given; nil when `name` is no wrapper.
    static func afterWrapper(_ name: String, _ args: ArraySlice<ShellWord>) -> (command: ArraySlice<ShellWord>, options: WrapperOptions)? {
        if name == "runuser" { return runuserCommand(args) }
        if name == "dotenv" { return dotenvCommand(args) }
        guard let spec = wrappers[name] else {
            // A script given the agent's command (`/opt/etl/with-secrets.sh prefect agent …`,
            // also through another such script or a wrapper) runs it, most often with
            // `exec "$@"` after it sets the environment up.
            guard isScriptName(name), leadsToPrefect(args) else { return nil }
            return (args, WrapperOptions())
        }
        var args = args
        if !spec.subcommands.isEmpty {
            guard let subcommand = args.first?.literalValue, spec.subcommands.contains(subcommand) else { return nil }
            args = args.dropFirst()
        }
        var (rest, options) = wrapperOptions(args, spec)
        if !spec.runsNothingWith.isEmpty,
            options.letters.contains(where: { spec.runsNothingWith.contains(String($0)) }) || options.long.contains(where: spec.runsNothingWith.contains)
        {
            return nil
        }
        rest = rest.dropFirst(spec.positionals)
        if spec.optionsAfterPositionals {
            let (after, more) = wrapperOptions(rest, spec)
            if more.letters.contains(where: { spec.runsNothingWith.contains(String($0)) }) { return nil }
            rest = after
            options.letters.formUnion(more.letters)
            options.long += more.long
            options.values += more.values
        }
        if spec.argumentsEndAtDoubleDash {
            guard let dashes = rest.firstIndex(where: { $0.literalValue == "--" }) else { return nil }
            rest = rest[(dashes + 1)...]
        } else if rest.first?.literalValue == "--" {
            // `aws-vault exec PROFILE -- cmd`
            rest = rest.dropFirst()
        }
        // `hatch run prod:prefect agent …`: the environment, then the command.
        if name == "hatch", let first = rest.first, let colon = first.literalPrefix.utf8.firstIndex(of: 0x3A),
            case let offset = first.literalPrefix.utf8.distance(from: first.literalPrefix.utf8.startIndex, to: colon), offset > 0,
            let command = first.split(atValueOffset: offset, dropping: 1)?.tail
        {
            return (ArraySlice([command] + rest.dropFirst()), options)
        }
        return (rest, options)
    }

    /// Whether `words` run `prefect`, maybe through scripts and wrappers in front of it.
    private static func leadsToPrefect(_ words: ArraySlice<ShellWord>, depth: Int = 0) -> Bool {
        guard depth < 4, let first = words.first, let name = commandName(first) else { return false }
        if name == "prefect" { return true }
        if isScriptName(name) { return leadsToPrefect(words.dropFirst(), depth: depth + 1) }
        guard wrappers[name] != nil, let wrapped = afterWrapper(name, words.dropFirst()) else { return false }
        return leadsToPrefect(wrapped.command, depth: depth + 1)
    }

    /// How messages name a Python `subprocess` call's `env=` mapping, which replaces the started
    /// program's environment (or, when the tool cannot read it, may set anything in it).
    public static let subprocessEnvironment = "subprocess env="

    /// What a reset of ``environmentReset(of:)`` does to the command's environment, for
    /// messages (`started by X, which …`, `(X …)`).
    public static func resetEffect(_ wrapper: String) -> String {
        switch wrapper {
        case "ssh": "runs it on another host, in that host's login environment"
        case subprocessEnvironment: "gives it only that mapping's variables"
        default: "empties its environment"
        }
    }

    /// What an injector of ``environmentInjectors(_:)`` sets the environment from, for messages.
    public static func injectedEnvironmentKind(_ injector: String) -> String {
        switch injector {
        case "ssh": "the remote host's login environment"
        case subprocessEnvironment: "a mapping the Python script builds"
        default: "a secrets manager"
        }
    }

    /// The script `ssh [options] destination 'script'` gives the remote host's shell (also
    /// behind wrappers: `timeout 60 ssh …`): its one word after the destination (more words
    /// are the command itself, as a wrapper runs one).
    static func remoteScript(_ words: ArraySlice<ShellWord>) -> ShellWord? {
        var w = words
        while let first = w.first, let name = commandName(first), let wrapped = afterWrapper(name, w.dropFirst()) {
            if name == "ssh" { return wrapped.command.count == 1 ? wrapped.command.first : nil }
            w = name == "sudo" ? leadingAssignments(wrapped.command).rest : wrapped.command
        }
        return nil
    }

    /// The secrets managers in front of a command (`doppler run -- prefect agent …`), as
    /// messages name them: they may set any variable the project does not show. So may the
    /// login environment of the host `ssh` runs it on.
    public static func environmentInjectors(_ words: [ShellWord]) -> [String] {
        wrapperWords(words).compactMap { wrappers[$0.name]?.injectsEnvironment }
    }

    /// The scripts in front of a command that are given it to run (`/opt/etl/with-secrets.sh
    /// prefect agent …`, `"$(dirname "$0")/with-secrets.sh" prefect …` as `with-secrets.sh`),
    /// as written.
    public static func argumentRunningScripts(_ words: [ShellWord]) -> [String] {
        wrapperWords(words).filter { wrappers[$0.name] == nil && isScriptName($0.name) }.compactMap { $0.word.literalValue ?? pathTail($0.word) }
    }

    /// The wrappers in front of a command, outermost first, with the word that names each.
    private static func wrapperWords(_ words: [ShellWord]) -> [(name: String, word: ShellWord)] {
        var found: [(name: String, word: ShellWord)] = []
        var w = words[...]
        while let first = w.first, let name = commandName(first), let wrapped = afterWrapper(name, w.dropFirst()) {
            found.append((name, first))
            w = name == "sudo" ? leadingAssignments(wrapped.command).rest : wrapped.command
        }
        return found
    }

    /// A shell script's name (`with-secrets.sh`).
    static func isScriptName(_ name: String) -> Bool {
        name.hasSuffix(".sh") && name.count > 3
    }

    /// Reads options the way getopt does: groups of one-letter options, a value glued to its
    /// letter or in the next word, `--long`, `--long=value`, `--` to end them. An option's
    /// name is literal, its value need not be (`-c"… $N"`). Options end at the first other
    /// word, or with `permuting` (GNU getopt, as `su` reads them) the other words are
    /// collected as ``WrapperOptions/operands`` and reading goes on.
    static func wrapperOptions(_ args: ArraySlice<ShellWord>, _ spec: WrapperSpec, permuting: Bool = false) -> (rest: ArraySlice<ShellWord>, options: WrapperOptions) {
        if let booleans = spec.goBooleanFlags { return goFlags(args, booleans: booleans) }
        var rest = args
        var options = WrapperOptions()
        while let word = rest.first {
            let option = word.isLiteral ? word.value : word.literalPrefix
            guard option.hasPrefix("-"), option.count > 1 else {
                guard permuting else { break }
                if options.operands.isEmpty { options.firstOperand = rest.startIndex }
                options.operands.append(word)
                rest = rest.dropFirst()
                continue
            }
            rest = rest.dropFirst()
            if option == "--" { break }
            if option.hasPrefix("--") {
                options.long.append(option)
                let name = option.split(separator: "=", maxSplits: 1).first.map(String.init) ?? option
                guard spec.valueLong.contains(name) else { continue }
                if name.count < option.count {
                    options.values.append((name, word.firstEqualsOffset.flatMap { word.split(atValueOffset: $0, dropping: 1)?.1 }))
                } else {
                    options.values.append((name, rest.first))
                    rest = rest.dropFirst()
                }
                continue
            }
            let letters = Array(option.utf8.dropFirst())
            for (index, byte) in letters.enumerated() {
                let letter = Character(UnicodeScalar(byte))
                guard spec.valueLetters.contains(letter) else {
                    options.letters.insert(letter)
                    continue
                }
                // Its value is the rest of the word, or the next word.
                if index + 1 < letters.count {
                    options.values.append((String(letter), word.split(atValueOffset: index + 2)?.1))
                } else {
                    options.values.append((String(letter), rest.first))
                    rest = rest.dropFirst()
                }
                break
            }
        }
        if permuting, !rest.isEmpty {
            if options.operands.isEmpty { options.firstOperand = rest.startIndex }
            options.operands += rest
        }
        return (rest, options)
    }
}

extension ShellCommands {
    /// Reads flags as Go's flag package does, to the first word that is none (or `--`):
    /// `-name=value`, `-name value` (unless `booleans` has it), `--name` as `-name`. Each is in
    /// ``WrapperOptions/long`` as `-name`, with its value in ``WrapperOptions/values``.
    static func goFlags(_ args: ArraySlice<ShellWord>, booleans: Set<String>) -> (rest: ArraySlice<ShellWord>, options: WrapperOptions) {
        var rest = args
        var options = WrapperOptions()
        while let word = rest.first {
            let written = word.isLiteral ? word.value : word.literalPrefix
            guard written.hasPrefix("-"), written.count > 1 else { break }
            rest = rest.dropFirst()
            if written == "--" { break }
            let flag = written.hasPrefix("--") ? String(written.dropFirst()) : written
            let name = flag.split(separator: "=", maxSplits: 1).first.map(String.init) ?? flag
            options.long.append(name)
            if name.count < flag.count {
                options.values.append((name, word.firstEqualsOffset.flatMap { word.split(atValueOffset: $0, dropping: 1)?.1 }))
            } else if !booleans.contains(name) {
                options.values.append((name, rest.first))
                rest = rest.dropFirst()
            }
        }
        return (rest, options)
    }

    /// util-linux `su` and `runuser` options that take a value.
    static let switchUserSpec = WrapperSpec(
        valueLetters: ["c", "g", "G", "s", "w", "C", "u"],
        valueLong: ["--command", "--group", "--supp-group", "--shell", "--whitelist-environment", "--session-command", "--user"])

    /// `runuser -u USER [--] COMMAND…` runs the command itself, with the environment but
    /// `HOME`, `SHELL`, `USER` and `LOGNAME`; nil for `runuser` without `-u`, which runs a
    /// shell like `su` (``switchUser(_:_:)``), and for what runuser refuses to run: `-u` with
    /// `-c`, `-l`, `-`, `-s` or `-f`, and, without `--`, a command with options (its getopt
    /// permutes arguments, so it reads them as its own). The command's words must follow
    /// each other to the end, as they do after `--`.
    static func runuserCommand(_ args: ArraySlice<ShellWord>) -> (command: ArraySlice<ShellWord>, options: WrapperOptions)? {
        let options = wrapperOptions(args, switchUserSpec, permuting: true).options
        guard options.lastValue("u", "--user") != nil,
            options.lastValue("c", "--command", "--session-command", "s", "--shell") == nil,
            options.letters.isDisjoint(with: ["l", "f"]), !options.long.contains(where: { $0 == "--login" || $0 == "--fast" }),
            let start = options.firstOperand, options.operands.first?.literalValue != "-",
            args.endIndex - start == options.operands.count
        else { return nil }
        return (args[start...], options)
    }

    /// python-dotenv's `dotenv [-f FILE] run [--override] COMMAND…`: it runs the command with
    /// the file's variables added (`.env` when no `-f` is given); options come before `run`.
    static func dotenvCommand(_ args: ArraySlice<ShellWord>) -> (command: ArraySlice<ShellWord>, options: WrapperOptions)? {
        let spec = WrapperSpec(valueLetters: ["f", "q", "e"], valueLong: ["--file", "--quote", "--export"], runsNothingWith: ["--help", "--version"])
        var (rest, options) = wrapperOptions(args, spec)
        guard options.long.allSatisfy({ !spec.runsNothingWith.contains($0) }), rest.first?.literalValue == "run" else { return nil }
        rest = rest.dropFirst()
        while let option = rest.first?.literalValue, option == "--override" || option == "--no-override" { rest = rest.dropFirst() }
        return rest.isEmpty ? nil : (rest, options)
    }

    /// The env files python-dotenv's `dotenv … run` (`.env` by default) and `uv run
    /// --env-file FILE` in front of a command add to its environment, as written.
    public static func dotenvFiles(_ words: [ShellWord]) -> [String] {
        var files: [String] = []
        var w = words[...]
        while let first = w.first, let name = commandName(first), let wrapped = afterWrapper(name, w.dropFirst()) {
            if name == "dotenv" {
                // `-f "$ENV_FILE"` names a file the tool cannot place.
                let named = wrapped.options.values.contains { $0.option == "f" || $0.option == "--file" }
                if let file = named ? wrapped.options.lastValue("f", "--file")?.literalValue : ".env" { files.append(file) }
            } else if name == "uv" {
                // Each `--env-file` is read, later ones winning; one the tool cannot place is left out.
                files += wrapped.options.values.filter { $0.option == "--env-file" }.compactMap { $0.value?.literalValue }
            } else if name == "dotenvx" {
                let named = wrapped.options.values.filter { $0.option == "f" || $0.option == "--env-file" }
                files += named.isEmpty ? [".env"] : named.compactMap { $0.value?.literalValue }
            }
            w = name == "sudo" ? leadingAssignments(wrapped.command).rest : wrapped.command
        }
        return files
    }

    /// What `su`/`runuser` are given (util-linux, read as GNU getopt reads them): the script
    /// for the user's shell (`-c SCRIPT`, `-cSCRIPT`, `--command=SCRIPT`), whether the shell is
    /// a login shell (`-`, `-l`, `--login`: it starts from an empty environment), and the names
    /// `-w`/`--whitelist-environment` keep. Nil for another command.
    static func switchUser(_ name: String, _ args: ArraySlice<ShellWord>) -> (script: ShellWord?, login: Bool, keeps: Set<String>)? {
        guard name == "su" || name == "runuser" else { return nil }
        let options = wrapperOptions(args, switchUserSpec, permuting: true).options
        let login = options.letters.contains("l") || options.long.contains("--login") || options.operands.contains { $0.literalValue == "-" }
        let lists = options.values.filter { $0.option == "w" || $0.option == "--whitelist-environment" }.compactMap { $0.value?.literalValue }
        let keeps = Set(lists.flatMap { $0.split(separator: ",").map(String.init) })
        return (options.lastValue("c", "--command", "--session-command"), login, keeps)
    }
}
