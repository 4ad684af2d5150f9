import Spans

/// `kubectl create secret generic NAME` or `kubectl create configmap NAME` (also `oc`), with
/// the sources of its keys: the Secret or ConfigMap a container's `envFrom` may name.
public struct KubectlCreateCommand: Hashable, Sendable {
    /// `Secret` or `ConfigMap`.
    public var kind: String
    public var name: ShellWord
    /// `--from-env-file` paths, relative to where kubectl runs.
    public var envFiles: [ShellWord]
    /// `--from-literal KEY=value`, in order.
    public var literals: [EnvAssignmentSyntax]
    /// `--from-file [KEY=]PATH`: the key is the file's name or the text before `=`.
    public var files: [ShellWord]
    /// `--append-hash`: kubectl adds a hash of the content to the name.
    public var appendsHash: Bool
    public var span: ByteSpan
}

extension ShellCommands {
    /// kubectl's options that take a value, global or of `create secret|configmap`.
    static let kubectlValueOptions: [OptionSpec] = [
        OptionSpec(long: "--from-env-file", short: nil, takesValue: true), OptionSpec(long: "--from-literal", short: nil, takesValue: true),
        OptionSpec(long: "--from-file", short: nil, takesValue: true), OptionSpec(long: "--namespace", short: "n", takesValue: true),
        OptionSpec(long: "--output", short: "o", takesValue: true), OptionSpec(long: "--type", short: nil, takesValue: true),
        OptionSpec(long: "--context", short: nil, takesValue: true), OptionSpec(long: "--kubeconfig", short: nil, takesValue: true),
        OptionSpec(long: "--cluster", short: nil, takesValue: true), OptionSpec(long: "--user", short: nil, takesValue: true),
        OptionSpec(long: "--field-manager", short: nil, takesValue: true), OptionSpec(long: "--template", short: nil, takesValue: true),
        OptionSpec(long: "--server", short: "s", takesValue: true), OptionSpec(long: "--token", short: nil, takesValue: true),
    ]

    /// `kubectl [global options] create secret generic NAME …` / `create configmap NAME …`.
    static func recognizeKubectl(_ args: ArraySlice<ShellWord>, span: ByteSpan) -> RecognizedCommand? {
        // Cheap test first: most kubectl commands create nothing.
        guard args.contains(where: { $0.literalValue == "create" }) else { return nil }
        var specs = kubectlValueOptions
        var known = Set(specs.map(\.long))
        // Every other long option is a flag (`--save-config`, `--append-hash`, `--dry-run=client`).
        for word in args {
            guard let v = word.literalValue, v.hasPrefix("--"), v != "--" else { continue }
            let name = v.split(separator: "=", maxSplits: 1).first.map(String.init) ?? v
            if known.insert(name).inserted { specs.append(OptionSpec(long: name, short: nil, takesValue: false)) }
        }
        let (parsed, _) = parseOptions(args, specs: specs)
        let words = parsed.positionals.map(\.literalValue)
        let kind: String
        let nameWord: ShellWord
        if words.count >= 4, words[0] == "create", words[1] == "secret", words[2] == "generic" {
            (kind, nameWord) = ("Secret", parsed.positionals[3])
        } else if words.count >= 3, words[0] == "create", words[1] == "configmap" || words[1] == "cm" {
            (kind, nameWord) = ("ConfigMap", parsed.positionals[2])
        } else {
            return nil
        }
        let appendsHash = args.contains { $0.literalValue == "--append-hash" || $0.literalValue == "--append-hash=true" }
        var create = KubectlCreateCommand(kind: kind, name: nameWord, envFiles: [], literals: [], files: [], appendsHash: appendsHash, span: span)
        for option in parsed.options {
            switch (option.name, option.value) {
            case ("--from-env-file", let value?): create.envFiles.append(value)
            case ("--from-literal", let value?):
                var literal = EnvAssignmentSyntax.fromWord(value, context: .envCommand, malformedWithoutEquals: false)
                literal.span = value.span
                create.literals.append(literal)
            case ("--from-file", let value?): create.files.append(value)
            default: break
            }
        }
        return .kubectlCreate(create)
    }
}
