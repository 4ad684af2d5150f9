/// How a wrapper command reads its own arguments before the command it runs.
struct WrapperSpec: Sendable {
    /// One-letter options that take a value: the rest of their word (`-C/opt`) or the next
    /// word (`-C /opt`).
    var valueLetters: Set<Character> = []
    /// Long options that take a value: after `=` or as the next word.
    var valueLong: Set<String> = []
    /// Arguments of its own after the options (the user of `gosu`, the duration of `timeout`).
    var positionals = 0
    /// The subcommand that makes it a wrapper, before its options (`run` of `poetry run`).
    var subcommand: String? = nil
}

/// The options a wrapper was given.
struct WrapperOptions: Sendable {
    /// One-letter options that take no value (`E` of `-Eu USER`).
    var letters: Set<Character> = []
    /// Long options as written (`--preserve-env=PATH`).
    var long: [String] = []
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
        "su-exec": WrapperSpec(positionals: 1),
        // Environment managers that run a command in a project's environment.
        "poetry": WrapperSpec(valueLetters: ["C", "P"], valueLong: ["--directory", "--project"], subcommand: "run"),
        "pipenv": WrapperSpec(subcommand: "run"),
        "conda": WrapperSpec(valueLetters: ["n", "p"], valueLong: ["--name", "--prefix", "--cwd"], subcommand: "run"),
        "uv": WrapperSpec(
            valueLong: ["--with", "--python", "--project", "--directory", "--env-file", "--package", "--extra", "--group"], subcommand: "run"),
    ]

    /// GNU `env`'s options (``environmentReset(of:)``).
    static let envSpec = WrapperSpec(valueLetters: ["u", "C", "S"], valueLong: ["--unset", "--chdir", "--split-string"])

    /// The words wrapper `name` runs as a command, given its arguments, with the options it
    /// was given; nil when `name` is no wrapper.
    static func afterWrapper(_ name: String, _ args: ArraySlice<ShellWord>) -> (command: ArraySlice<ShellWord>, options: WrapperOptions)? {
        guard let spec = wrappers[name] else { return nil }
        var args = args
        if let subcommand = spec.subcommand {
            guard args.first?.literalValue == subcommand else { return nil }
            args = args.dropFirst()
        }
        var (rest, options) = wrapperOptions(args, spec)
        rest = rest.dropFirst(spec.positionals)
        return (rest, options)
    }

    /// Reads options the way getopt does: groups of one-letter options, a value glued to its
    /// letter or in the next word, `--long`, `--long=value`, `--` to end them.
    static func wrapperOptions(_ args: ArraySlice<ShellWord>, _ spec: WrapperSpec) -> (rest: ArraySlice<ShellWord>, options: WrapperOptions) {
        var rest = args
        var options = WrapperOptions()
        while let option = rest.first?.literalValue, option.hasPrefix("-"), option.count > 1 {
            rest = rest.dropFirst()
            if option == "--" { break }
            if option.hasPrefix("--") {
                options.long.append(option)
                if !option.contains("="), spec.valueLong.contains(option) { rest = rest.dropFirst() }
                continue
            }
            let letters = option.dropFirst()
            for index in letters.indices {
                let letter = letters[index]
                guard spec.valueLetters.contains(letter) else {
                    options.letters.insert(letter)
                    continue
                }
                // Its value is the rest of the word, or the next word.
                if letters.index(after: index) == letters.endIndex { rest = rest.dropFirst() }
                break
            }
        }
        return (rest, options)
    }
}

extension ShellCommands {
    /// util-linux `su` and `runuser` options that take a value.
    static let switchUserSpec = WrapperSpec(
        valueLetters: ["c", "g", "G", "s", "w", "C", "u"],
        valueLong: ["--command", "--group", "--supp-group", "--shell", "--whitelist-environment", "--session-command", "--user"])

    /// What `su`/`runuser` are given (util-linux, read as getopt reads them): the script for
    /// the user's shell (`-c SCRIPT`, `-cSCRIPT`, `--command=SCRIPT`), whether the shell is a
    /// login shell (`-`, `-l`, `--login`: it starts from an empty environment), and the names
    /// `-w`/`--whitelist-environment` keep. Nil for another command.
    static func switchUser(_ name: String, _ args: ArraySlice<ShellWord>) -> (script: ShellWord?, login: Bool, keeps: Set<String>)? {
        guard name == "su" || name == "runuser" else { return nil }
        var rest = args
        var script: ShellWord? = nil
        var login = false
        var keeps: Set<String> = []
        func keep(_ list: String) { keeps.formUnion(list.split(separator: ",").map(String.init)) }
        while let word = rest.first {
            rest = rest.dropFirst()
            // An option's name is literal; a glued value need not be (`-c"… $N"`).
            let option = word.isLiteral ? word.value : word.parts.prefix { $0.kind == .literal }.map(\.text).joined()
            guard option.hasPrefix("-") else { continue }
            if option == "-" || option == "--login" {
                login = true
                continue
            }
            guard option.count > 1, option != "--" else { continue }
            if option.hasPrefix("--") {
                let (long, value) = option.firstIndex(of: "=").map { (String(option[..<$0]), Optional(String(option[option.index(after: $0)...]))) } ?? (option, nil)
                guard switchUserSpec.valueLong.contains(long) else { continue }
                if long == "--command" || long == "--session-command" {
                    script = value == nil ? rest.first : word.firstEqualsOffset.flatMap { word.split(atValueOffset: $0, dropping: 1)?.1 }
                }
                if long == "--whitelist-environment" { keep(value ?? rest.first?.literalValue ?? "") }
                if value == nil { rest = rest.dropFirst() }
                continue
            }
            // The first letter that takes a value ends the group: `-lc SCRIPT`, `-cSCRIPT`.
            let letters = Array(option.utf8.dropFirst())
            guard let index = letters.firstIndex(where: { switchUserSpec.valueLetters.contains(Character(UnicodeScalar($0))) }) else {
                if letters.contains(UInt8(ascii: "l")) { login = true }
                continue
            }
            if letters[..<index].contains(UInt8(ascii: "l")) { login = true }
            let glued = index + 1 < letters.count
            let value: ShellWord? = glued ? word.split(atValueOffset: index + 2)?.1 : rest.first
            switch letters[index] {
            case UInt8(ascii: "c"): script = value
            case UInt8(ascii: "w"): keep(value?.literalValue ?? "")
            default: break
            }
            if !glued { rest = rest.dropFirst() }
        }
        return (script, login, keeps)
    }
}
