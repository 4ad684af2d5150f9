import Spans

/// One command-line option as written (`--env X=1`, `-eX=1`, `--key=abc`, `--no-pull`).
public struct CommandOption: Hashable, Sendable {
    /// Canonical long name, e.g. `--env` (the written form when the option is unknown).
    public var name: String
    /// The flag as written, e.g. `-e`.
    public var written: String
    /// Where the flag itself is (inside the word for `-kVALUE`).
    public var flagSpan: ByteSpan
    /// The option's value, for options that take one.
    public var value: ShellWord?
    /// Flag and value together.
    public var span: ByteSpan

    public init(name: String, written: String, flagSpan: ByteSpan, value: ShellWord?, span: ByteSpan) {
        self.name = name
        self.written = written
        self.flagSpan = flagSpan
        self.value = value
        self.span = span
    }
}

/// One option a command accepts.
struct OptionSpec: Sendable {
    var long: String
    var short: Character?
    var takesValue: Bool
}

/// Result of click-style option parsing.
struct ParsedOptions: Sendable {
    var options: [CommandOption] = []
    var unknown: [CommandOption] = []
    var positionals: [ShellWord] = []
    var diagnostics: [SourceDiagnostic] = []
}

/// Parses options the way click does: `--long value`, `--long=value`, `-s value`, `-svalue`,
/// clustered short booleans (`-fk KEY`), and `--` ending options.
///
/// With `stopAtFirstPositional`, parsing ends at the first non-option (docker's image name).
func parseOptions(
    _ words: ArraySlice<ShellWord>, specs: [OptionSpec], stopAtFirstPositional: Bool = false,
    unknownLongTakesValue: Bool = false, stopClusterAtUnknown: Bool = false
) -> (ParsedOptions, rest: ArraySlice<ShellWord>) {
    // A command has a few flags and a spec list a few dozen: searching it (the last spec of a
    // name wins) costs less than building dictionaries for every command.
    var result = ParsedOptions()
    var k = words.startIndex
    var onlyPositionals = false
    func takeNext(_ flag: ShellWord, _ name: String, _ written: String) -> CommandOption {
        if k < words.endIndex {
            let v = words[k]
            k += 1
            return CommandOption(name: name, written: written, flagSpan: flag.span, value: v, span: flag.span.union(v.span))
        }
        result.diagnostics.append(
            SourceDiagnostic(span: flag.span, message: "Option '\(written)' requires an argument.", expected: ["a value"]))
        return CommandOption(name: name, written: written, flagSpan: flag.span, value: nil, span: flag.span)
    }
    while k < words.endIndex {
        let w = words[k]
        k += 1
        let v = w.value
        // An option's name is literal; its value need not be (`--label="$ENV"`, `-l"$ENV"`).
        let leading = w.isLiteral ? v : w.literalPrefix
        let isOption = leading.utf8.count >= 2 && leading.hasPrefix("-")
        if onlyPositionals || !isOption {
            result.positionals.append(w)
            if stopAtFirstPositional { return (result, words[k...]) }
            continue
        }
        if v == "--" {
            onlyPositionals = true
            continue
        }
        if v.hasPrefix("--") {
            var flagWord = w
            var attached: ShellWord? = nil
            if let eq = w.firstEqualsOffset, let (h, t) = w.split(atValueOffset: eq, dropping: 1) {
                flagWord = h
                attached = t
            }
            let name = flagWord.value
            guard let spec = specs.last(where: { $0.long == name }) else {
                var value = attached
                var span = w.span
                // Commands without positionals (agent start): an unknown `--token X` most likely
                // takes the next word as its value.
                if value == nil, unknownLongTakesValue, k < words.endIndex, !words[k].value.hasPrefix("-") {
                    value = words[k]
                    span = w.span.union(words[k].span)
                    k += 1
                }
                result.unknown.append(CommandOption(name: name, written: name, flagSpan: flagWord.span, value: value, span: span))
                continue
            }
            if !spec.takesValue {
                if attached != nil {
                    result.diagnostics.append(
                        SourceDiagnostic(span: flagWord.span, message: "Option '\(name)' does not take a value.", expected: ["no value"]))
                }
                result.options.append(CommandOption(name: spec.long, written: name, flagSpan: w.span, value: nil, span: w.span))
            } else if let attached {
                result.options.append(CommandOption(name: spec.long, written: name, flagSpan: flagWord.span, value: attached, span: w.span))
            } else {
                result.options.append(takeNext(w, spec.long, name))
            }
            continue
        }
        // Short cluster: -abc, -kVALUE; letters only from its literal start (`-f"$path"` is
        // `-f` and a value, whatever the reference's text).
        let chars = Array(v.utf8)
        let letterEnd = min(chars.count, leading.utf8.count)
        var idx = 1
        while idx < letterEnd {
            let c = Character(UnicodeScalar(chars[idx]))
            let written = "-" + String(c)
            let flagSpan: ByteSpan
            if let (h, _) = w.split(atValueOffset: idx + 1) {
                flagSpan = ByteSpan(max(w.span.start, h.span.end - 2), h.span.end)
            } else {
                flagSpan = w.span
            }
            guard let spec = specs.last(where: { $0.short == c }) else {
                result.unknown.append(CommandOption(name: written, written: written, flagSpan: flagSpan, value: nil, span: w.span))
                // click stops at an unknown letter; the rest of the word is not read.
                if stopClusterAtUnknown { break }
                idx += 1
                continue
            }
            if !spec.takesValue {
                result.options.append(CommandOption(name: spec.long, written: written, flagSpan: flagSpan, value: nil, span: flagSpan))
                idx += 1
                continue
            }
            if idx + 1 < chars.count, let (_, t) = w.split(atValueOffset: idx + 1) {
                result.options.append(CommandOption(name: spec.long, written: written, flagSpan: flagSpan, value: t, span: w.span))
            } else {
                var o = takeNext(w, spec.long, written)
                o.flagSpan = flagSpan
                result.options.append(o)
            }
            break
        }
    }
    return (result, words[words.endIndex...])
}
