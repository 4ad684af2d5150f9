import Spans

/// All documents of one YAML file, plus the comments found in it.
public struct YAMLStream: Sendable {
    /// The default cap on nodes reached through aliases in one file, summed over every alias use.
    /// Real manifests stay far below it; an alias bomb passes it after a few levels.
    public static let defaultAliasLimit = 1_000_000

    /// The default cap on how deeply collections may nest. Real files stay far below it; libyaml's
    /// scanner costs grow with flow nesting per token, so a cap keeps hostile files cheap.
    public static let defaultDepthLimit = 256

    /// The documents in file order.
    public var documents: [YAMLDocument]
    /// Every `#` comment outside scalars, in file order.
    public var comments: [YAMLComment]
    /// True when the file starts with a UTF-8 byte order mark (spans still count its 3 bytes).
    public var hasByteOrderMark: Bool
    /// Keys a mapping holds twice, in file order. YAML requires unique keys; libyaml reads
    /// such a file, as PyYAML does (the last value wins), while Go's YAML readers (kubectl's
    /// strict validation, docker compose) and GitHub Actions refuse it.
    public var duplicateKeys: [YAMLDuplicateKey] = []

    /// A stream of parsed parts; ``parse(_:aliasLimit:depthLimit:)-(([UInt8],_,_))`` builds real ones.
    public init(documents: [YAMLDocument], comments: [YAMLComment], hasByteOrderMark: Bool) {
        self.documents = documents
        self.comments = comments
        self.hasByteOrderMark = hasByteOrderMark
    }

    /// Parses UTF-8 bytes (with or without a BOM; `\n`, `\r\n` or `\r` line breaks).
    ///
    /// - Parameter aliasLimit: the most nodes all aliases together may expand to; past it the parse
    ///   stops with a ``YAMLError/Kind-swift.enum/aliasLimit`` error at the alias that crossed it.
    /// - Parameter depthLimit: the deepest collection nesting accepted (a ``YAMLError/Kind-swift.enum/depthLimit`` error past it).
    public static func parse(
        _ bytes: [UInt8], aliasLimit: Int = defaultAliasLimit, depthLimit: Int = defaultDepthLimit
    ) throws(YAMLError) -> YAMLStream {
        try YAMLEventReader.read(bytes, aliasLimit: aliasLimit, depthLimit: depthLimit)
    }

    /// Parses a source file's bytes.
    public static func parse(
        _ file: SourceFile, aliasLimit: Int = defaultAliasLimit, depthLimit: Int = defaultDepthLimit
    ) throws(YAMLError) -> YAMLStream {
        try parse(file.bytes, aliasLimit: aliasLimit, depthLimit: depthLimit)
    }

    /// The comments that start on 1-based `line` (for suppressions like `# prefect-secrets: ignore[...]`).
    public func comments(onLine line: Int, in file: SourceFile) -> [YAMLComment] {
        comments.filter { file.lines.lineNumber(at: $0.span.start) + 1 == line }
    }
}

/// A mapping key written again in the same mapping.
public struct YAMLDuplicateKey: Sendable, Hashable {
    /// The later key.
    public var span: ByteSpan
    /// The first key with the same value.
    public var first: ByteSpan
}

/// One document of a stream (`---` … `...`).
public struct YAMLDocument: Sendable {
    /// The document's node; an empty document has an empty plain scalar (null) here.
    public var root: YAMLNode
    /// From the `---` (or the first node or directive) to the document end libyaml reports.
    public var span: ByteSpan
    /// True when the document starts with `---`.
    public var hasExplicitStart: Bool
    /// True when the document ends with `...`.
    public var hasExplicitEnd: Bool
    /// The `%YAML` directive's version, e.g. "1.1", when one was written.
    public var versionDirective: String?

    /// A document with these parts.
    public init(root: YAMLNode, span: ByteSpan, hasExplicitStart: Bool, hasExplicitEnd: Bool, versionDirective: String?) {
        self.root = root
        self.span = span
        self.hasExplicitStart = hasExplicitStart
        self.hasExplicitEnd = hasExplicitEnd
        self.versionDirective = versionDirective
    }
}

/// A `#` comment: its bytes from `#` to the end of the line (line break excluded).
public struct YAMLComment: Sendable, Hashable {
    /// From the `#` to the end of the line, line break excluded.
    public var span: ByteSpan
    /// The comment's text including the leading `#`.
    public var text: String
    /// A comment at `span` reading `text`.
    public init(span: ByteSpan, text: String) {
        self.span = span
        self.text = text
    }
}
