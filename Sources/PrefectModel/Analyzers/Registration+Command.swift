import ShellWords

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
}
