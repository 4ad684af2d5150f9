import Spans

/// A parsed TOML document: the resolved tree plus the exact source bytes.
///
/// The document is lossless by keeping the source and byte spans into it (toml_edit's
/// `Document`): every comment and blank is where it was, so ``printed()`` returns the input,
/// and edits (see `TOMLDocument+Editing.swift`) replace only the bytes they must.
public struct TOMLDocument: Sendable {
    /// The source, byte for byte.
    public let bytes: [UInt8]
    /// The fully resolved tree (after dotted keys, `[tables]` and `[[arrays]]`).
    public let root: TOMLTable
    /// Every comment (`#` up to the line break), in document order; suppression comments and
    /// trailing notes are found here.
    public let comments: [ByteSpan]

    /// Parses TOML 1.0. Never traps; every problem is a positioned ``TOMLError``.
    public static func parse(_ bytes: [UInt8]) throws(TOMLError) -> TOMLDocument {
        let (root, comments) = try bytes.withUnsafeBufferPointer {
            (buffer) throws(TOMLError) -> (TOMLTable, [ByteSpan]) in
            var parser = Parser(buffer)
            let root = try parser.parseDocument()
            return (root, parser.comments)
        }
        return TOMLDocument(bytes: bytes, root: root, comments: comments)
    }

    /// The comment on the same line after `offset` (e.g. after a value), if any.
    public func trailingComment(after offset: Int) -> ByteSpan? {
        // Binary search for the first comment at or after offset.
        var low = 0
        var high = comments.count
        while low < high {
            let mid = (low + high) / 2
            if comments[mid].start < offset { low = mid + 1 } else { high = mid }
        }
        guard low < comments.count else { return nil }
        let comment = comments[low]
        let between = bytes[max(0, min(offset, bytes.count))..<min(comment.start, bytes.count)]
        return between.contains(0x0A) ? nil : comment
    }

    /// The comment on the same line as an entry's value.
    public func trailingComment(of entry: TOMLEntry) -> ByteSpan? {
        trailingComment(after: entry.node.span.end)
    }

    /// Parses TOML from a string.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLDocument {
        try parse(Array(text.utf8))
    }

    /// The document's text; identical to the input bytes for an unmodified document.
    public func printed() -> [UInt8] { bytes }

    /// The text of `span` (for messages about keys; never use it to echo a secret).
    public func text(_ span: ByteSpan) -> String {
        let lo = min(max(0, span.start), bytes.count)
        let hi = min(max(lo, span.end), bytes.count)
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }

    /// Applies edits and re-parses, so that the result is known to be valid TOML.
    public func applying(_ edits: [TextEdit]) throws(TOMLError) -> TOMLDocument {
        let output: [UInt8]
        do {
            output = try TextEdit.apply(edits, to: bytes)
        } catch {
            throw TOMLError("the edits overlap or fall outside the document", span: .empty(at: 0))
        }
        return try TOMLDocument.parse(output)
    }
}
