import ShellWords
import Spans

extension Registration {
    /// The registration a `prefect register` command makes: its literal paths, modules, names
    /// and labels; a word the tool cannot read leaves the flows it registers unknown.
    /// `labelValue` reads a label word that is not literal (`--label "$ENVIRONMENT"`) from the
    /// env in effect, when it can.
    init(_ command: RegisterCommand, labelValue: (ShellWord) -> String? = { _ in nil }) {
        var labels = WrittenLabels()
        for label in command.labels {
            if let text = label.textMayChange ? labelValue(label) : label.literalValue {
                labels.known.append(text)
            } else {
                labels.unknown.append(label.value)
            }
        }
        // `-p "projects/$proj/flows"` in a loop over projects: a variable inside a path's
        // folders stands for any folder name there (a glob).
        let paths = command.paths.map { $0.literalValue.flatMap { $0.utf8.contains(0x24) ? nil : $0 } ?? Self.glob(of: $0) }
        let targets = command.modules + command.names
        self.init(
            paths: paths.compactMap { $0 }, modules: command.modules.compactMap(\.literalValue),
            names: command.names.compactMap(\.literalValue), labels: labels,
            targetsAreUnknown: command.hasUnreadWords || paths.contains(nil) || targets.contains { $0.textMayChange }, span: command.span)
    }

    /// A path word with variables only after a literal folder (`projects/$proj/flows`,
    /// `flows/${TEAM}_jobs`), as a glob with `*` for each, taken to stand for one folder or
    /// file name; nil for any other word (`$FLOWS_DIR`, `$ROOT/flows` may be any path).
    static func glob(of word: ShellWord) -> String? {
        var glob = ""
        for part in word.parts {
            switch part.kind {
            case .literal, .escaped:
                guard !part.text.contains("*"), !part.text.utf8.contains(0x24) else { return nil }
                glob += part.text
            case .variable, .makeVariable:
                guard !glob.hasSuffix("*") else { return nil }
                glob += "*"
            default:
                return nil
            }
        }
        guard let first = glob.firstIndex(of: "*"), glob[..<first].contains("/"), !glob.hasPrefix("/") else { return nil }
        return glob
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
