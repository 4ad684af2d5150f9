import Spans

/// Format-preserving edits. Each function returns `TextEdit`s against ``TOMLDocument/bytes``
/// that touch only the bytes the change needs; ``TOMLDocument/applying(_:)`` applies them and
/// re-parses. Errors are ``TOMLError``s (the span points at the relevant key when there is one).
extension TOMLDocument {
    /// Replaces the value at `keyPath` with `rawTOML` (a TOML value as written, e.g. `"x"`,
    /// `'${SECRET}'`, `[1, 2]`). The value's bytes are replaced; its key, comment and
    /// surrounding whitespace are kept.
    public func replacing(valueAt keyPath: [String], with rawTOML: String) throws(TOMLError) -> TextEdit {
        let entry = try requireEntry(keyPath)
        if let table = entry.node.tableValue, table.kind != .inline {
            throw TOMLError("`\(keyPath.joined(separator: "."))` is a table, not a single value", span: entry.keySpan)
        }
        if entry.statementSpan.isEmpty {
            throw TOMLError("`\(keyPath.joined(separator: "."))` is not a single value", span: entry.keySpan)
        }
        try Self.validateValue(rawTOML)
        return TextEdit(span: entry.node.span, replacement: Array(rawTOML.utf8))
    }

    /// Replaces any value node of this document (an array element, say) with `rawTOML`.
    public func replacing(node: TOMLNode, with rawTOML: String) throws(TOMLError) -> TextEdit {
        if let table = node.tableValue, table.kind != .inline {
            throw TOMLError("a table defined by a header is not a single value", span: node.span)
        }
        if case .array(let elements) = node.value, elements.first?.tableValue?.kind == .arrayElement {
            throw TOMLError("an array of tables is not a single value", span: node.span)
        }
        try Self.validateValue(rawTOML)
        return TextEdit(span: node.span, replacement: Array(rawTOML.utf8))
    }

    /// Removes the key at `keyPath`: its whole line (with indentation and trailing comment) for a
    /// `key = value` line, its slot and one comma inside an inline table, and for a table defined
    /// by headers or dotted keys every section and line that defines it.
    public func removing(keyPath: [String]) throws(TOMLError) -> [TextEdit] {
        try removing(entry: requireEntry(keyPath))
    }

    /// Removes an entry of this document that is at hand (see ``removing(keyPath:)``).
    public func removing(entry: TOMLEntry) throws(TOMLError) -> [TextEdit] {
        var spans: [ByteSpan] = []
        Self.collectRemovals(entry, into: &spans)
        spans.sort()
        var merged: [ByteSpan] = []
        for span in spans where !span.isEmpty {
            if let last = merged.last, span.start <= last.end {
                merged[merged.count - 1] = ByteSpan(last.start, max(last.end, span.end))
            } else {
                merged.append(span)
            }
        }
        if merged.isEmpty {
            throw TOMLError("`\(entry.key)` has no text of its own to remove", span: entry.keySpan)
        }
        return merged.map { TextEdit(span: $0, replacement: []) }
    }

    /// Inserts `key = rawValue` into the table at `tablePath` (`[]` is the root), after the
    /// table's last key and with its indentation. A table made by dotted keys gets a dotted
    /// key in the section that made it; an inline table gets `, key = value` before `}`; a
    /// table that exists only as a header prefix gets a new `[header]` at the end.
    public func inserting(key: String, rawValue: String, into tablePath: [String]) throws(TOMLError) -> TextEdit {
        let table: TOMLTable
        if tablePath.isEmpty {
            table = root
        } else {
            let entry = try requireEntry(tablePath)
            guard let t = entry.node.tableValue else {
                throw TOMLError("`\(tablePath.joined(separator: "."))` is not a table", span: entry.keySpan)
            }
            table = t
        }
        if table.kind == .implicit {
            if let existing = table.entry(key) {
                throw TOMLError("key `\(key)` already exists", span: existing.keySpan)
            }
            try Self.validateValue(rawValue)
            let newline = lineBreak
            let header = tablePath.map(Self.renderKey).joined(separator: ".")
            var text = bytes.isEmpty || bytes.last == 0x0A ? "" : newline
            text += "\(newline)[\(header)]\(newline)\(Self.renderKey(key)) = \(rawValue)\(newline)"
            return TextEdit(span: .empty(at: bytes.count), replacement: text)
        }
        return try inserting(key: key, rawValue: rawValue, into: table)
    }

    /// Inserts `key = rawValue` into a table of this document that is at hand (for example an
    /// element of an array of tables). A table that exists only as a header prefix cannot be
    /// addressed this way; use the key-path form.
    public func inserting(key: String, rawValue: String, into table: TOMLTable) throws(TOMLError) -> TextEdit {
        if let existing = table.entry(key) {
            throw TOMLError("key `\(key)` already exists", span: existing.keySpan)
        }
        try Self.validateValue(rawValue)
        let keyText = Self.renderKey(key)
        switch table.kind {
        case .inline:
            let text = (table.entries.isEmpty ? "" : ", ") + "\(keyText) = \(rawValue)"
            return TextEdit(span: .empty(at: table.insertionOffset), replacement: text)
        case .dotted:
            let dotted = (table.dottedPrefix.map(Self.renderKey) + [keyText]).joined(separator: ".")
            if table.isInlineContext {
                let text = (table.ownerIsEmpty ? "" : ", ") + "\(dotted) = \(rawValue)"
                return TextEdit(span: .empty(at: table.insertionOffset), replacement: text)
            }
            return lineInsertion("\(dotted) = \(rawValue)", at: table.insertionOffset, indent: table.indent)
        case .implicit:
            throw TOMLError("the table has no section of its own; insert by key path", span: table.span)
        case .root, .header, .arrayElement:
            return lineInsertion("\(keyText) = \(rawValue)", at: table.insertionOffset, indent: table.indent)
        }
    }

    // MARK: Helpers

    private func lineInsertion(_ line: String, at offset: Int, indent: [UInt8]) -> TextEdit {
        var text: [UInt8] = []
        // A last line without a line break needs one before the new line.
        if offset > 0, offset <= bytes.count, bytes[offset - 1] != 0x0A { text += Array(lineBreak.utf8) }
        text += indent
        text += Array(line.utf8)
        text += Array(lineBreak.utf8)
        return TextEdit(span: .empty(at: offset), replacement: text)
    }

    /// The document's line break style (CRLF when its first line break is CRLF).
    var lineBreak: String {
        guard let lf = bytes.firstIndex(of: 0x0A) else { return "\n" }
        return lf > 0 && bytes[lf - 1] == 0x0D ? "\r\n" : "\n"
    }

    private func requireEntry(_ keyPath: [String]) throws(TOMLError) -> TOMLEntry {
        guard !keyPath.isEmpty else { throw TOMLError("empty key path", span: .empty(at: 0)) }
        guard let entry = root.entry(atPath: keyPath) else {
            throw TOMLError("no key `\(keyPath.joined(separator: "."))` in the document", span: .empty(at: 0))
        }
        return entry
    }

    private static func collectRemovals(_ entry: TOMLEntry, into spans: inout [ByteSpan]) {
        if !entry.removalSpan.isEmpty {
            spans.append(entry.removalSpan)
            return
        }
        switch entry.node.value {
        case .table(let table):
            collectRemovals(table, into: &spans)
        case .array(let elements):
            for element in elements {
                if let table = element.tableValue { collectRemovals(table, into: &spans) }
            }
        default:
            break
        }
    }

    private static func collectRemovals(_ table: TOMLTable, into spans: inout [ByteSpan]) {
        if table.kind == .header || table.kind == .arrayElement { spans.append(table.sectionSpan) }
        for entry in table.entries { collectRemovals(entry, into: &spans) }
    }

    /// Checks that `raw` is exactly one TOML value.
    static func validateValue(_ raw: String) throws(TOMLError) {
        let probe = "v = " + raw + "\n"
        let parsed: TOMLDocument
        do {
            parsed = try TOMLDocument.parse(probe)
        } catch {
            throw TOMLError("the new value is not valid TOML: \(error.message)", span: .empty(at: 0))
        }
        guard parsed.root.entries.count == 1, let only = parsed.root.entries.first, only.key == "v",
              only.node.span.end == 4 + raw.utf8.count
        else {
            throw TOMLError("the new value must be a single TOML value", span: .empty(at: 0))
        }
    }

    /// A key as TOML text: bare when possible, else a basic string.
    public static func renderKey(_ key: String) -> String {
        let bare = !key.isEmpty && key.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x5F || $0 == 0x2D
        }
        return bare ? key : renderBasicString(key)
    }

    /// `text` as a TOML basic string, escaping what must be escaped.
    public static func renderBasicString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
