import Spans

/// A wrapper that starts the command it runs with an empty environment: `env -i`, `sudo`
/// without `-E` (its default `env_reset` keeps only a few login variables, none of Prefect's),
/// `exec -c`. What the script exported before does not reach the command; assignments written
/// after the reset (`env -i X=1 cmd`, `sudo X=1 cmd`) do.
public struct EnvironmentReset: Hashable, Sendable {
    /// The wrapper as a user would name it: `env -i`, `sudo`, `exec -c`.
    public var wrapper: String
    /// File offset from which assignments still reach the command.
    public var position: Int
}

extension ShellCommands {
    /// The last environment reset among the wrappers in front of `command`'s program, if any.
    public static func environmentReset(of command: ShellSimpleCommand) -> EnvironmentReset? {
        var words = command.words[...]
        var reset: EnvironmentReset? = nil
        while let first = words.first, let name = commandName(first) {
            let program = words
            words = words.dropFirst()
            switch name {
            case "env":
                // Options, then assignments, then the command (GNU env stops options at the first
                // assignment). `-i`, `-` and `--ignore-environment` empty it before the assignments.
                while let word = words.first, let option = word.literalValue, option.hasPrefix("-") {
                    words = words.dropFirst()
                    if option == "--" { break }
                    if option == "-" || option == "--ignore-environment" || isShortCluster(option, containing: "i") {
                        reset = EnvironmentReset(wrapper: "env -i", position: word.span.end)
                    }
                    if ["-u", "--unset", "-C", "--chdir", "-S", "--split-string"].contains(option) { words = words.dropFirst() }
                }
                words = dropAssignments(words)
            case "sudo":
                guard let wrapped = afterWrapper(name, words) else { return reset }
                words = wrapped.command
                let preserves = wrapped.options.contains {
                    $0 == "--preserve-env" || $0.hasPrefix("--preserve-env=") || isShortCluster($0, containing: "E")
                }
                if !preserves, let next = words.first { reset = EnvironmentReset(wrapper: "sudo", position: next.span.start) }
                words = dropAssignments(words)
            case "exec":
                guard let wrapped = afterWrapper(name, words) else { return reset }
                if wrapped.options.contains(where: { isShortCluster($0, containing: "c") }), let next = wrapped.command.first {
                    reset = EnvironmentReset(wrapper: "exec -c", position: next.span.start)
                }
                words = wrapped.command
            case "docker", "podman":
                // `docker run … image env -i prefect …`: a reset inside the container.
                guard case .dockerRun(let run)? = recognize(words: program, span: command.span),
                    let inner = run.innerCommand
                else { return reset }
                words = inner.words[...]
            default:
                guard let wrapped = afterWrapper(name, words) else { return reset }
                words = wrapped.command
            }
        }
        return reset
    }

    /// `-i`, `-iv`: a group of one-letter options holding `letter`.
    private static func isShortCluster(_ option: String, containing letter: Character) -> Bool {
        option.count > 1 && !option.hasPrefix("--") && option.dropFirst().contains(letter)
    }

    private static func dropAssignments(_ words: ArraySlice<ShellWord>) -> ArraySlice<ShellWord> {
        var words = words
        while let word = words.first, let (name, _) = word.splitAtFirstEquals(), name.isLiteral, isValidName(name.value) {
            words = words.dropFirst()
        }
        return words
    }
}
