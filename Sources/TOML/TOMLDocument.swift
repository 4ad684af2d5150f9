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

    /// Parses TOML 1.0. Never traps; every problem is a positioned ``TOMLError``.
    public static func parse(_ bytes: [UInt8]) throws(TOMLError) -> TOMLDocument {
        let root: TOMLTable = try bytes.withUnsafeBufferPointer { (buffer) throws(TOMLError) -> TOMLTable in
            var parser = Parser(buffer)
            return try parser.parseDocument()
        }
        return TOMLDocument(bytes: bytes, root: root)
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
