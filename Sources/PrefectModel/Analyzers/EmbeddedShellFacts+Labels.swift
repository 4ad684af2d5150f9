import ShellWords
import Spans

extension YAMLFactsBuilder {
    /// A `--label` word of embedded shell text, when it is literal text, with a `$` only where
    /// `options` keeps such text as written (Compose interpolates `$VAR`, Kubernetes `$(VAR)`).
    static func literalLabel(_ word: ShellWord, options: ShellAgentOptions) -> String? {
        guard let literal = word.literalValue else { return nil }
        return !literal.contains("$") || options.keepsDollarText(literal) ? literal : nil
    }

    /// What a `--label` word of a Kubernetes container's command gives Prefect, when the
    /// container's env settles it: Kubernetes replaces `$(NAME)` with the literal value `env`
    /// gives NAME before the program starts (`$$` stands for `$`), and a `sh -c` script's
    /// `$NAME` and `${NAME}` read that env unless the script assigns NAME itself
    /// (`scriptVariables`). Nil when a part may be anything, or when a value holds more than
    /// ``EnvValueSyntax/isPlainLabelByte(_:)`` allows.
    static func kubernetesLabelValue(_ word: ShellWord, env: [EnvAssignment], scriptVariables: Set<String>) -> String? {
        func known(_ name: String) -> String? {
            guard EnvValueSyntax.mayReadAsLabel(name), let entry = env.last(where: { $0.name == name }), entry.origin == .literal, let value = entry.value, !value.isEmpty,
                value.utf8.allSatisfy(EnvValueSyntax.isPlainLabelByte)
            else { return nil }
            return value
        }
        var value = ""
        for part in word.parts {
            switch part.kind {
            case .literal, .escaped, .commandSubstitution:
                // A `$(NAME)` substitution: Kubernetes has replaced it before the shell reads the script.
                guard let expanded = expandingReferences(part.text, known) else { return nil }
                value += expanded
            case .variable(let name) where (part.text == "$" + name || part.text == "${" + name + "}") && !scriptVariables.contains(name):
                guard let known = known(name) else { return nil }
                value += known
            default:
                return nil
            }
        }
        return value
    }

    /// `text` with each `$(NAME)` replaced by `known(NAME)`, as Kubernetes expands a
    /// container's command and args, and any other `$` kept; nil for a `$(NAME)` it cannot
    /// resolve and for `$$`.
    private static func expandingReferences(_ text: String, _ known: (String) -> String?) -> String? {
        guard text.utf8.contains(0x24) else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var k = 0
        while k < bytes.count {
            guard bytes[k] == 0x24 else {
                out.append(bytes[k])
                k += 1
                continue
            }
            if k + 1 < bytes.count, bytes[k + 1] == 0x24 { return nil }  // `$$(X)`: a `$` in the label
            guard k + 1 < bytes.count, bytes[k + 1] == 0x28 else {
                // `$POOL`: only a shell would expand it, and none reads an exec-form argument.
                out.append(bytes[k])
                k += 1
                continue
            }
            guard let close = bytes[(k + 2)...].firstIndex(of: 0x29),
                let (name, _) = RunEnvironment.kubernetesReference(String(decoding: bytes[k...close], as: UTF8.self)), let value = known(name)
            else { return nil }
            out += Array(value.utf8)
            k = close + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
