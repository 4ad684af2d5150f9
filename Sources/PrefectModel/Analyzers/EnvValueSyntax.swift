import ShellWords
import Spans

/// How env values written in manifests and CI files are read: which parts are references
/// (`$VAR`, `${VAR}`, Kubernetes `$(VAR)`, GitHub `${{ … }}`, Helm/Jinja `{{ … }}`), the JSON
/// object of PREFECT__CLOUD__AGENT__ENV_VARS and the list literal of PREFECT__CLOUD__AGENT__LABELS.
enum EnvValueSyntax {
    /// `.literal` when no reference appears, `.reference` when the value is only references
    /// (and blanks), `.mixed` otherwise. `$$` is an escaped dollar (compose, Kubernetes).
    /// Without `dollarReferences` (text the shell, systemd or Docker passes on as written) only
    /// template syntaxes (`{{ … }}`, `${{ … }}`) and what Prefect's own `expandvars` may fill
    /// count: `$NAME` and `${NAME}` named as variables are (`$DB_PASSWORD`, `$db_password`).
    /// `ab$Hj7Kk2…` and `k9Qz$wx8vr4n…` are text: a `$` inside a random secret.
    static func origin(of text: String, dollarReferences: Bool = true) -> ValueOrigin {
        let b = Array(text.utf8)
        var referenceBytes = 0
        var literalBytes = 0
        var i = 0
        func closing(_ from: Int, _ close: [UInt8]) -> Int? {
            var k = from
            while k + close.count <= b.count {
                if b[k..<(k + close.count)].elementsEqual(close) { return k + close.count }
                k += 1
            }
            return nil
        }
        // Variables are named in capitals (`DB_PASSWORD`, `S3_KEY`) or in small letters with
        // digits at the end only (`db_password`, `token2`); random text mixes them.
        func looksLikeVariable(_ name: ArraySlice<UInt8>) -> Bool {
            guard !dollarReferences else { return true }
            guard !name.isEmpty else { return false }
            if !name.contains(where: { $0 >= 0x61 && $0 <= 0x7A }) { return true }
            if name.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) { return false }
            let letters = name.prefix { !($0 >= 0x30 && $0 <= 0x39) }
            return name.dropFirst(letters.count).allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }
        while i < b.count {
            let c = b[i]
            var end: Int? = nil
            if c == UInt8(ascii: "$"), i + 1 < b.count {
                let n = b[i + 1]
                if n == UInt8(ascii: "$"), dollarReferences {
                    literalBytes += 1
                    i += 2
                    continue
                } else if n == UInt8(ascii: "{"), i + 2 < b.count, b[i + 2] == UInt8(ascii: "{") {
                    end = closing(i + 3, [0x7D, 0x7D])
                } else if n == UInt8(ascii: "{") {
                    if let close = closing(i + 2, [0x7D]), looksLikeVariable(b[(i + 2)..<(close - 1)]) { end = close }
                } else if n == UInt8(ascii: "("), dollarReferences {
                    end = closing(i + 2, [0x29])
                } else if n == UInt8(ascii: "_") || (n | 0x20 >= 0x61 && n | 0x20 <= 0x7A) {
                    var k = i + 2
                    while k < b.count, ASCIIBytes.isWordByte(b[k]) { k += 1 }
                    if looksLikeVariable(b[(i + 1)..<k]) { end = k }
                }
            } else if c == UInt8(ascii: "{"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "{") {
                end = closing(i + 2, [0x7D, 0x7D])
            }
            if let end {
                referenceBytes += end - i
                i = end
            } else {
                if c != 0x20 && c != 0x09 && c != 0x0A { literalBytes += 1 }
                i += 1
            }
        }
        if referenceBytes == 0 { return .literal }
        return literalBytes == 0 ? .reference : .mixed
    }

    /// The origin of a shell word's value: its shell references, and the reference syntaxes of
    /// the text around (a `${{ secrets.X }}` the CI runner substitutes before the shell runs).
    /// `embedded`: the words come from a compose file or a manifest, which expand `$NAME`,
    /// `${NAME}` and `$(NAME)` in the text they pass, quoted or not; in a script, a Dockerfile
    /// or a unit file a quoted or escaped `$` reaches Prefect as written, which fills only
    /// variables (``origin(of:dollarReferences:)``).
    static func origin(of word: ShellWord, embedded: Bool = true) -> ValueOrigin {
        let hasLiteral = word.parts.contains { $0.isLiteral && !$0.text.isEmpty }
        let hasReference = word.parts.contains { !$0.isLiteral }
        let textOrigin = origin(of: word.parts.filter(\.isLiteral).map(\.text).joined(), dollarReferences: embedded)
        switch (hasReference, hasLiteral) {
        case (false, _): return textOrigin
        case (true, false): return .reference
        case (true, true): return textOrigin == .reference ? .reference : .mixed
        }
    }

    // MARK: - PREFECT__CLOUD__AGENT__ENV_VARS

    /// One `"key": value` of a JSON object, with local byte ranges (inside the quotes).
    struct JSONMember {
        var key: String
        var keyRange: Range<Int>
        /// The decoded value when it is a JSON string.
        var value: String?
        var valueRange: Range<Int>
        /// The value starts as a JSON value does (a string, object, array, number, `true`,
        /// `false` or `null`), not as a bare word Prefect cannot read.
        var isJSONValue = true
    }

    /// The members of a JSON object text, or nil when it is not one JSON object.
    static func jsonObjectMembers(_ b: [UInt8]) -> [JSONMember]? {
        var i = 0
        func ws() { while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 } }
        func string() -> (String, Range<Int>)? {
            guard i < b.count, b[i] == 0x22 else { return nil }
            i += 1
            let start = i
            var out: [UInt8] = []
            while i < b.count, b[i] != 0x22 {
                if b[i] == 0x5C {
                    guard i + 1 < b.count else { return nil }
                    let e = b[i + 1]
                    switch e {
                    case 0x22, 0x5C, 0x2F: out.append(e)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        guard i + 6 <= b.count, let v = UInt32(String(decoding: b[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16)
                        else { return nil }
                        out += Array(String(Character(Unicode.Scalar(v) ?? "\u{FFFD}")).utf8)
                        i += 4
                    default: return nil
                    }
                    i += 2
                } else {
                    if b[i] < 0x20 { return nil }
                    out.append(b[i])
                    i += 1
                }
            }
            guard i < b.count else { return nil }
            let range = start..<i
            i += 1
            return (String(decoding: out, as: UTF8.self), range)
        }
        /// Skips any JSON value; returns its range.
        func skipValue() -> Range<Int>? {
            let start = i
            var depth = 0
            var inString = false
            while i < b.count {
                let c = b[i]
                if inString {
                    if c == 0x5C { i += 1 } else if c == 0x22 { inString = false }
                } else if c == 0x22 {
                    inString = true
                } else if c == 0x7B || c == 0x5B {
                    depth += 1
                } else if c == 0x7D || c == 0x5D {
                    if depth == 0 { break }
                    depth -= 1
                } else if c == 0x2C, depth == 0 {
                    break
                }
                i += 1
            }
            var end = i
            while end > start, b[end - 1] == 0x20 || b[end - 1] == 0x0A || b[end - 1] == 0x09 || b[end - 1] == 0x0D { end -= 1 }
            return end > start ? start..<end : nil
        }
        ws()
        guard i < b.count, b[i] == 0x7B else { return nil }
        i += 1
        ws()
        var members: [JSONMember] = []
        if i < b.count, b[i] == 0x7D {
            i += 1
            ws()
            return i == b.count ? [] : nil
        }
        while true {
            ws()
            guard let (key, keyRange) = string() else { return nil }
            ws()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            ws()
            if i < b.count, b[i] == 0x22 {
                guard let (value, range) = string() else { return nil }
                members.append(JSONMember(key: key, keyRange: keyRange, value: value, valueRange: range))
            } else {
                guard let range = skipValue() else { return nil }
                let first = b[range.lowerBound]
                let isJSON = first == 0x7B || first == 0x5B || first == 0x2D || (first >= 0x30 && first <= 0x39)
                    || ["true", "false", "null"].contains { b[range].starts(with: $0.utf8) }
                members.append(JSONMember(key: key, keyRange: keyRange, value: nil, valueRange: range, isJSONValue: isJSON))
            }
            ws()
            guard i < b.count else { return nil }
            if b[i] == 0x2C {
                i += 1
                continue
            }
            guard b[i] == 0x7D else { return nil }
            i += 1
            ws()
            return i == b.count ? members : nil
        }
    }

    // MARK: - PREFECT__CLOUD__AGENT__LABELS

    /// The labels the last PREFECT__CLOUD__AGENT__LABELS in `env` gives: read from a literal
    /// value; from anything else (`$LABELS`) unknown, as many as the value holds (maybe none).
    /// Nil without one.
    static func agentLabelsSetting(in env: [EnvAssignment]) -> (labels: [String], unknown: [String], mayBeNone: Bool)? {
        guard let last = env.last(where: { $0.name == "PREFECT__CLOUD__AGENT__LABELS" && $0.value != nil }), let value = last.value
        else { return nil }
        return last.origin == .literal ? (agentLabels(value) ?? [], [], false) : ([], [unknownLabel(value.isEmpty ? "$" + last.name : value)], true)
    }

    /// A byte of a label value that text pasted into a command line (by make, by Kubernetes'
    /// `$(NAME)`) keeps as it is, whatever the shell then does: letters, digits and
    /// `_-.:/@+,=`. Blanks split, quotes, `$`, `~`, braces and pattern characters expand.
    static func isPlainLabelByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x2D, 0x2E, 0x3A, 0x2F, 0x40, 0x2B, 0x2C, 0x3D: true  // - . : / @ + , =
        default: ASCIIBytes.isWordByte(byte)
        }
    }

    /// A variable whose value may be read as a label: not one whose name says it holds a
    /// secret (`API_TOKEN`, `DB_PASSWORD`), whose value messages would print as the label.
    static func mayReadAsLabel(_ name: String) -> Bool {
        !FileFacts.namesSecretValue(name)
    }

    /// The variable a written reference names, with its default: `$NAME`, `${NAME}`,
    /// `${NAME-default}`, `${NAME:-default}` (a default of label characters only). Nil for
    /// anything else.
    static func labelReference(_ written: String) -> (name: String, defaultValue: String?, whenEmpty: Bool)? {
        var text = Substring(written)
        guard text.hasPrefix("$") else { return nil }
        text = text.dropFirst()
        let braced = text.hasPrefix("{")
        if braced {
            guard text.hasSuffix("}") else { return nil }
            text = text.dropFirst().dropLast()
        }
        let name = text.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard let first = name.first, !first.isNumber else { return nil }
        let rest = text.dropFirst(name.count)
        if rest.isEmpty { return (String(name), nil, false) }
        guard braced else { return nil }
        let whenEmpty = rest.hasPrefix(":-")
        guard whenEmpty || rest.hasPrefix("-") else { return nil }
        let fallback = rest.dropFirst(whenEmpty ? 2 : 1)
        guard !fallback.isEmpty, fallback.utf8.allSatisfy(EnvValueSyntax.isPlainLabelByte) else { return nil }
        return (String(name), String(fallback), whenEmpty)
    }

    /// The names of `--label` words the tool cannot read, one per distinct word as written.
    static func unknownLabels(_ words: [ShellWord]) -> [String] {
        var seen = Set<String>()
        return words.filter { seen.insert($0.value).inserted }.map { unknownLabel($0.value) }
    }

    /// How a label the tool cannot read is named in messages: by the first shell or make
    /// reference in it (`$ENV`, `${ENV…}`, `$(…)`), with `…` for any text around it, never the
    /// text itself (a default such as `${ENV:-…}` or a command may hold anything).
    static func unknownLabel(_ written: String) -> String {
        let bytes = Array(written.utf8)
        guard let dollar = bytes.firstIndex(of: 0x24) else { return templateTagName(bytes) ?? "…" }
        var end = dollar + 1
        var name: String
        if end < bytes.count, bytes[end] == 0x7B {  // ${NAME…}
            end += 1
            let start = end
            while end < bytes.count, ASCIIBytes.isWordByte(bytes[end]) { end += 1 }
            name = "${" + String(decoding: bytes[start..<end], as: UTF8.self)
            if end < bytes.count, bytes[end] == 0x7D {
                name += "}"
                end += 1
            } else {
                name += "…}"
                end = bytes.count
            }
        } else if end < bytes.count, bytes[end] == 0x28 {  // $(…), also Kubernetes' $(NAME)
            let start = end + 1
            var k = start
            while k < bytes.count, ASCIIBytes.isWordByte(bytes[k]) { k += 1 }
            let isName = k > start && k < bytes.count && bytes[k] == 0x29
            name = isName ? "$(" + String(decoding: bytes[start..<k], as: UTF8.self) + ")" : "$(…)"
            end = isName ? k + 1 : bytes.count
        } else if end < bytes.count, bytes[end] == 0x40 || bytes[end] == 0x2A {  // $@, $*
            end += 1
            name = String(decoding: bytes[dollar..<end], as: UTF8.self)
        } else {
            while end < bytes.count, ASCIIBytes.isWordByte(bytes[end]) { end += 1 }
            name = String(decoding: bytes[dollar..<end], as: UTF8.self)
        }
        return (dollar > 0 ? "…" : "") + name + (end < bytes.count ? "…" : "")
    }

    /// A template tag's variable (`{{ agent_label }}`, Ansible's and Helm's `{{ .Values.x }}`),
    /// with `…` for anything else in or around the tag (a filter's default may hold anything).
    /// Blanks in the tag may have become `_` (``TemplateTags/joined(_:)``); `-` trims blanks.
    static func templateTagName(_ bytes: [UInt8]) -> String? {
        guard let open = ByteSearch.firstIndex(of: Array("{{".utf8), in: bytes) else { return nil }
        let isPadding = { (byte: UInt8) in byte == 0x20 || byte == 0x5F || byte == 0x2D }
        var k = open + 2
        while k < bytes.count, isPadding(bytes[k]) { k += 1 }
        let start = k
        while k < bytes.count, ASCIIBytes.isWordByte(bytes[k]) || bytes[k] == 0x2E { k += 1 }
        var nameEnd = k
        while nameEnd > start, bytes[nameEnd - 1] == 0x5F { nameEnd -= 1 }
        guard nameEnd > start else { return nil }
        let name = String(decoding: bytes[start..<nameEnd], as: UTF8.self)
        while k < bytes.count, isPadding(bytes[k]) { k += 1 }
        let closes = k + 1 < bytes.count && bytes[k] == 0x7D && bytes[k + 1] == 0x7D
        let tag = closes ? "{{ \(name) }}" + (k + 2 < bytes.count ? "…" : "") : "{{ \(name) … }}"
        return (open > 0 ? "…" : "") + tag
    }

    /// The labels an agent gets from a PREFECT__CLOUD__AGENT__LABELS value: the agent takes
    /// `list()` of what Prefect's config makes of it (`string_to_type`): a list, tuple or set
    /// gives its items, a dict its keys (`{}`: none), a string its characters (facts §2.5; PS209
    /// reports it). Nil for a value `list()` refuses (a number, `None`): the agent fails to start.
    static func agentLabels(_ text: String) -> [String]? {
        agentLabels(of: PrefectValueConversion.configValue(ofEnvText: text))
    }

    /// ``agentLabels(_:)`` of a value as Prefect's config holds it (a config file's string
    /// goes through `string_to_type` once, an env value twice).
    static func agentLabels(of value: PyValue) -> [String]? {
        switch value {
        case .list(let items, _), .tuple(let items), .set(let items): return items.map(\.pyStr)
        case .dict(let dict, _): return dict.keys.map(\.pyStr)
        case .str(let string): return string.map { String($0) }
        case .bytes(let bytes): return bytes.map { String($0) }
        default: return nil
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

extension Agent {
    /// The `--label` flags' words: those `value` reads are the labels (click deduplicates and
    /// sorts them, facts §4.1), the others are labels the tool cannot read.
    mutating func setLabels(fromFlags words: [ShellWord], reading value: (ShellWord) -> String?) {
        setLabels(fromFlags: words, values: words.map(value))
    }

    /// ``setLabels(fromFlags:reading:)`` with what was read of each word, in order.
    mutating func setLabels(fromFlags words: [ShellWord], values: [String?]) {
        var known: Set<String> = []
        var unknown: [ShellWord] = []
        for (word, value) in zip(words, values) {
            // A template's tag (`{{ agent_label }}` in a unit Ansible renders) is filled in later.
            if let label = value, !ByteSearch.contains("{{", in: label) { known.insert(label) } else { unknown.append(word) }
        }
        labels = known.sorted()
        unknownLabels = EnvValueSyntax.unknownLabels(unknown)
    }

    /// `prefect agent local start $AGENT_ARGS`: arguments the tool cannot read may hold
    /// `--label`s, or none.
    mutating func mayHaveLabels(in arguments: [ShellWord]) {
        guard !arguments.isEmpty else { return }
        unknownLabels += EnvValueSyntax.unknownLabels(arguments)
        unknownLabelsMayBeNone = true
    }
}
