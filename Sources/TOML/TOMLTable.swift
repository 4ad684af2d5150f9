import Spans

/// An ordered table.
public struct TOMLTable: Sendable {
    /// The keys and values in document order. Read-only outside the module so the key index
    /// cannot go stale.
    public internal(set) var entries: [TOMLEntry]
    /// Kept only for large tables; small ones are searched linearly, which is cheaper to build.
    var index: [String: Int]?
    /// The header or inline-table span, the whole document for the root, the key part that
    /// created an implicit or dotted table.
    public internal(set) var span: ByteSpan
    /// How the table was defined; rules about where keys may be written depend on it.
    public internal(set) var kind: TOMLTableKind
    /// The `[header]` / `[[header]]` span when the table was defined by one.
    public internal(set) var headerSpan: ByteSpan?
    /// Edit support: the table's own section (header line through its last key/value line).
    var sectionSpan: ByteSpan
    /// Edit support: where a new `key = value` line goes for this table.
    var insertionOffset: Int
    /// Edit support: indentation of the table's last key/value line.
    var indent: [UInt8]
    /// Edit support: for a dotted table, the keys (relative to the section that owns it) to
    /// prefix a new key with, and the owning section's insertion point is `insertionOffset`.
    var dottedPrefix: [String]
    /// Edit support: new keys go inside `{ }` with commas rather than on their own line.
    var isInlineContext = false
    /// Edit support: the section that receives new keys has none yet.
    var ownerIsEmpty = true

    /// A table built by hand (tests, generated documents); the parser builds its own.
    public init(entries: [TOMLEntry] = [], span: ByteSpan, kind: TOMLTableKind, headerSpan: ByteSpan? = nil) {
        self.entries = entries
        self.span = span
        self.kind = kind
        self.headerSpan = headerSpan
        self.sectionSpan = span
        self.insertionOffset = span.end
        self.indent = []
        self.dottedPrefix = []
        if entries.count > TOMLTable.indexThreshold {
            var index: [String: Int] = [:]
            for (i, e) in entries.enumerated() { index[e.key] = i }
            self.index = index
        }
    }

    static let indexThreshold = 12

    /// The node at `key`, if any.
    public subscript(key: String) -> TOMLNode? {
        if let index { return index[key].flatMap { $0 < entries.count ? entries[$0].node : nil } }
        for entry in entries where entry.key == key { return entry.node }
        return nil
    }

    /// The entry at `key`, if any.
    public func entry(_ key: String) -> TOMLEntry? {
        if let index { return index[key].flatMap { $0 < entries.count ? entries[$0] : nil } }
        for entry in entries where entry.key == key { return entry }
        return nil
    }

    /// The keys in document order.
    public var keys: [String] { entries.map(\.key) }

    /// The node at a key path; descends through tables only (not arrays).
    public func node(atPath path: [String]) -> TOMLNode? {
        guard let first = path.first else { return nil }
        guard let node = self[first] else { return nil }
        if path.count == 1 { return node }
        guard let table = node.tableValue else { return nil }
        return table.node(atPath: Array(path.dropFirst()))
    }

    /// The entry at a key path; descends through tables only.
    public func entry(atPath path: [String]) -> TOMLEntry? {
        guard let first = path.first, let entry = entry(first) else { return nil }
        if path.count == 1 { return entry }
        guard let table = entry.node.tableValue else { return nil }
        return table.entry(atPath: Array(path.dropFirst()))
    }
}

/// One key of a table, in document order.
public struct TOMLEntry: Sendable {
    /// The key, unquoted and unescaped.
    public var key: String
    /// The key as written; for a dotted key, its last part (`X` in `a.b.X = 1`); for a table
    /// defined by a header, the last part of the header.
    public var keySpan: ByteSpan
    /// The key's value.
    public var node: TOMLNode
    /// For a key/value statement: from the first key part to the end of the value (`a.b.X = 1`).
    /// Empty for tables that have no single statement (header-defined, implicit, dotted).
    public var statementSpan: ByteSpan
    /// What to delete to remove this statement (its line with indentation and comment, or
    /// its inline-table slot with a comma). Empty when there is no single statement.
    public internal(set) var removalSpan: ByteSpan
    /// While parsing: index of the child table builder this entry stands for, or -1.
    var childIndex: Int32 = -1

    /// An entry; parsed entries also know what removing them deletes.
    public init(key: String, keySpan: ByteSpan, node: TOMLNode, statementSpan: ByteSpan = .empty(at: 0)) {
        self.key = key
        self.keySpan = keySpan
        self.node = node
        self.statementSpan = statementSpan
        self.removalSpan = .empty(at: 0)
    }
}

/// How a table came into existence; rules and edits need to know where its keys may be written.
public enum TOMLTableKind: UInt8, Sendable, Hashable {
    /// The document itself.
    case root
    /// Defined by a `[header]`.
    case header
    /// One element of an array of tables, defined by a `[[header]]`.
    case arrayElement
    /// Created as a prefix of a header (`a` in `[a.b]`) and never defined itself.
    case implicit
    /// Created by dotted keys (`a` in `a.b = 1`).
    case dotted
    /// Written as an inline table `{ ... }`.
    case inline
}
