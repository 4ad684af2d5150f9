import Spans

/// A wrapper that starts the command it runs with an empty environment: `env -i`, `sudo`
/// without `-E` (its default `env_reset` keeps only a few login variables, none of Prefect's),
/// a login `su -`, `setpriv --reset-env`, `envconsul -pristine`, `ssh` (the remote host's
/// login environment), bash's `exec -c` (which `sh` refuses: the command does not start at all).
/// What the script exported before does not reach the command; assignments written after the
/// reset (`env -i X=1 cmd`, `sudo X=1 cmd`) do, and so do the variables `sudo
/// --preserve-env=LIST` names.
public struct EnvironmentReset: Hashable, Sendable {
    /// The wrapper as a user would name it: `env -i`, `sudo`, `exec -c`, `su -`.
    public var wrapper: String
    /// File offset from which assignments still reach the command.
    public var position: Int
    /// Variables that pass the reset all the same (`sudo --preserve-env=A,B`), if they were
    /// set from ``keepsFrom`` on (after an earlier reset, such as `env -i … sudo`).
    public var keeps: Set<String> = []
    /// File offset from which ``keeps`` count.
    public var keepsFrom = 0

    /// Whether an assignment of `name` at `position` reaches the command.
    public func passes(_ name: String, at position: Int) -> Bool {
        position >= self.position || (position >= keepsFrom && keeps.contains(name))
    }
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
                // Options, then assignments, then the command. `-i`, `-` and
                // `--ignore-environment` empty it before its assignments.
                let (rest, options) = wrapperOptions(words, envSpec)
                words = rest
                var clears = options.letters.contains("i") || options.long.contains("--ignore-environment")
                if words.first?.literalValue == "-" {
                    clears = true
                    words = words.dropFirst()
                }
                if clears {
                    let end = words.startIndex > program.startIndex ? program[words.startIndex - 1].span.end : first.span.end
                    reset = EnvironmentReset(wrapper: "env -i", position: end)
                }
                words = leadingAssignments(words).rest
            case "sudo":
                guard let wrapped = afterWrapper(name, words) else { return reset }
                words = wrapped.command
                // `-E` and `--preserve-env` keep the whole environment, `--preserve-env=A,B` those names.
                let long = wrapped.options.long
                if !wrapped.options.letters.contains("E"), !long.contains("--preserve-env"), let next = words.first {
                    let kept = long.filter { $0.hasPrefix("--preserve-env=") }.flatMap { $0.dropFirst("--preserve-env=".count).split(separator: ",") }
                    reset = EnvironmentReset(
                        wrapper: "sudo", position: next.span.start, keeps: Set(kept.map(String.init)), keepsFrom: reset?.position ?? 0)
                }
                words = leadingAssignments(words).rest
            case "setpriv":
                // `--reset-env` keeps only TERM and sets a login's HOME, SHELL, USER, LOGNAME and PATH.
                guard let wrapped = afterWrapper(name, words) else { return reset }
                if wrapped.options.long.contains("--reset-env"), let next = wrapped.command.first {
                    reset = EnvironmentReset(wrapper: "setpriv --reset-env", position: next.span.start)
                }
                words = wrapped.command
            case "ssh":
                // The remote host's login environment: nothing the script exports goes along
                // (`SendEnv` aside, which the host's sshd must accept).
                guard let wrapped = afterWrapper(name, words), let next = wrapped.command.first else { return reset }
                reset = EnvironmentReset(wrapper: "ssh", position: next.span.start)
                words = wrapped.command
            case "envconsul":
                // `-pristine`: only what it reads from Consul and Vault, not its own environment.
                guard let wrapped = afterWrapper(name, words) else { return reset }
                let pristine = wrapped.options.long.contains("-pristine")
                    && !wrapped.options.values.contains { $0.option == "-pristine" && $0.value?.literalValue == "false" }
                if pristine, let next = wrapped.command.first {
                    reset = EnvironmentReset(wrapper: "envconsul -pristine", position: next.span.start)
                }
                words = wrapped.command
            case "exec":
                guard let wrapped = afterWrapper(name, words) else { return reset }
                if wrapped.options.letters.contains("c"), let next = wrapped.command.first {
                    reset = EnvironmentReset(wrapper: "exec -c", position: next.span.start)
                }
                words = wrapped.command
            case "su", "runuser":
                // `runuser -u USER -- cmd` runs the command with the environment.
                if let wrapped = afterWrapper(name, words) {
                    words = wrapped.command
                    continue
                }
                // A login shell (`su - prefect -c '…'`) starts from an empty environment; what its
                // script sets reaches the commands in it.
                if let user = switchUser(name, words), user.login, let script = user.script {
                    reset = EnvironmentReset(wrapper: "\(name) -", position: script.span.start, keeps: user.keeps, keepsFrom: reset?.position ?? 0)
                }
                return reset
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
}
