import ShellWords
import Spans

extension Registration {
    /// The registration a `prefect register` command makes: its literal paths, modules, names
    /// and labels; a word the tool cannot read leaves the flows it registers unknown.
    init(_ command: RegisterCommand) {
        let targets = command.paths + command.modules + command.names
        var labels = WrittenLabels()
        for label in command.labels {
            if let text = label.literalValue, !label.textMayChange { labels.known.append(text) } else { labels.unknown.append(label.value) }
        }
        self.init(
            paths: command.paths.compactMap(\.literalValue), modules: command.modules.compactMap(\.literalValue),
            names: command.names.compactMap(\.literalValue), labels: labels,
            targetsAreUnknown: command.hasUnreadWords || targets.contains { $0.textMayChange }, span: command.span)
    }

    /// The folder a command at `position` runs in, by the `cd DIR` commands before it that
    /// `sameShell` keeps in effect, from `start`: nil for the project's root, `.unknown` when
    /// a `cd` is not literal or leaves the project.
    static func workingDirectory(
        before position: Int, in shell: ShellFileFacts, from start: String?, sameShell: (Int, Int) -> Bool = { _, _ in true }
    ) -> WorkingDirectory {
        var parts = (start ?? "").split(separator: "/").map(String.init)
        for site in shell.commands where site.command.span.start < position && sameShell(site.command.span.start, position) {
            let words = site.command.words
            guard words.first?.literalValue == "cd" else { continue }
            guard words.count == 2, let target = words[1].literalValue, !target.hasPrefix("/"), !target.hasPrefix("-"), !target.hasPrefix("~") else {
                return .unknown
            }
            guard let followed = ProjectPaths.follow(target, from: parts) else { return .unknown }
            parts = followed
        }
        return .known(parts.isEmpty ? nil : parts.joined(separator: "/"))
    }

    /// Where a command runs: a folder of the project (nil for its root), or not known.
    enum WorkingDirectory: Equatable {
        case known(String?)
        case unknown
    }

    /// This registration, run in `directory`.
    func running(in directory: WorkingDirectory) -> Registration {
        var registration = self
        switch directory {
        case .known(let folder): registration.workingDirectory = folder
        case .unknown: registration.targetsAreUnknown = true
        }
        return registration
    }
}
