import Spans

extension YAMLStream {
    /// A readable tree of every document, node and comment with spans as `line:col-line:col`
    /// and byte ranges, for golden tests. Long scalars are cut, so a snapshot stays small.
    public func dump(in file: SourceFile) -> String {
        var out = ""
        for document in documents {
            var flags: [String] = []
            if document.hasExplicitStart { flags.append("explicit-start") }
            if document.hasExplicitEnd { flags.append("explicit-end") }
            if let version = document.versionDirective { flags.append("%YAML \(version)") }
            out += (["document"] + flags).joined(separator: " ") + " " + YAMLNode.position(document.span, in: file) + "\n"
            document.root.dump(into: &out, prefix: "", indent: "  ", file: file)
        }
        if !comments.isEmpty {
            out += "comments\n"
            for comment in comments {
                out += "  \(YAMLNode.quoted(comment.text)) \(YAMLNode.position(comment.span, in: file))\n"
            }
        }
        return out
    }
}

extension YAMLNode {
    /// Scalars longer than this many characters are cut in ``dump(in:)``.
    public static let dumpScalarLimit = 60

    /// This node's tree in the format of ``YAMLStream/dump(in:)``.
    public func dump(in file: SourceFile) -> String {
        var out = ""
        dump(into: &out, prefix: "", indent: "", file: file)
        return out
    }

    func dump(into out: inout String, prefix: String, indent: String, file: SourceFile) {
        var line = indent + prefix
        switch content {
        case .scalar(let value):
            line += "scalar \(style)"
            line += describeProperties()
            line += " " + Self.quoted(value)
        case .sequence:
            line += "sequence \(style)" + describeProperties()
        case .mapping:
            line += "mapping \(style)" + describeProperties()
        case .alias(let name, _):
            line += "alias *\(name)"
        }
        out += line + " " + Self.position(span, in: file) + "\n"
        switch content {
        case .sequence(let items):
            for item in items { item.dump(into: &out, prefix: "- ", indent: indent + "  ", file: file) }
        case .mapping(let pairs):
            for pair in pairs {
                pair.key.dump(into: &out, prefix: "? ", indent: indent + "  ", file: file)
                pair.value.dump(into: &out, prefix: ": ", indent: indent + "  ", file: file)
            }
        default:
            break
        }
    }

    private func describeProperties() -> String {
        var text = ""
        if let anchor { text += " &\(anchor)" }
        if let tag { text += " <\(tag)>" }
        return text
    }

    static func position(_ span: ByteSpan, in file: SourceFile) -> String {
        let (start, end) = file.range(of: span)
        return "\(start.line):\(start.column)-\(end.line):\(end.column) [\(span.start)..<\(span.end)]"
    }

    static func quoted(_ value: String) -> String {
        var text = "\""
        var count = 0
        for scalar in value.unicodeScalars {
            if count == dumpScalarLimit {
                text += "…(\(value.unicodeScalars.count) chars)"
                break
            }
            count += 1
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            case "\r": text += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
                    text += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        return text + "\""
    }
}
