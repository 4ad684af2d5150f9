import Spans

/// How a string value was written; rules care whether a secret sits in a literal or a basic string.
public enum TOMLStringStyle: UInt8, Sendable, Hashable {
    case basic, literal, multilineBasic, multilineLiteral
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

/// One of TOML's four date-time kinds, with its raw text and parsed fields.
public struct TOMLDateTime: Sendable, Hashable {
    /// The four kinds the TOML spec distinguishes.
    public enum Kind: UInt8, Sendable, Hashable {
        case offsetDateTime, localDateTime, localDate, localTime
    }
    /// Which of the four kinds this is.
    public var kind: Kind
    /// The text exactly as written in the document.
    public var raw: String
    /// Date fields (zero for a local time).
    public var year: Int = 0, month: Int = 0, day: Int = 0
    /// Time fields (zero for a local date).
    public var hour: Int = 0, minute: Int = 0, second: Int = 0
    /// Fractional seconds, truncated to nanoseconds.
    public var nanosecond: Int = 0
    /// Minutes east of UTC for an offset date-time (`Z` is 0); nil for local kinds.
    public var offsetMinutes: Int?

    /// A date-time of `kind` written as `raw`; the parser fills the fields.
    public init(kind: Kind, raw: String) {
        self.kind = kind
        self.raw = raw
    }
}

/// A resolved TOML value. Only the large payloads are boxed (`indirect`) so that a node stays
/// small and scalars need no allocation.
public enum TOMLValue: Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    indirect case datetime(TOMLDateTime)
    case array([TOMLNode])
    indirect case table(TOMLTable)
}

/// A value and the bytes it was written as.
public struct TOMLNode: Sendable {
    /// The resolved value.
    public var value: TOMLValue
    /// The value's raw bytes. For a table defined by `[header]` it is the header; for an array of
    /// tables it is the first `[[header]]`.
    public var span: ByteSpan
    /// For a string node, how it was quoted; nil for other values.
    public var stringStyle: TOMLStringStyle?

    /// A node for `value` written at `span`.
    public init(value: TOMLValue, span: ByteSpan, stringStyle: TOMLStringStyle? = nil) {
        self.value = value
        self.span = span
        self.stringStyle = stringStyle
    }

    /// The string, if this is one (the accessors below likewise return nil for other kinds).
    public var stringValue: String? { if case .string(let s) = value { return s } else { return nil } }
    public var intValue: Int64? { if case .integer(let v) = value { return v } else { return nil } }
    public var doubleValue: Double? { if case .float(let v) = value { return v } else { return nil } }
    public var boolValue: Bool? { if case .boolean(let v) = value { return v } else { return nil } }
    public var dateTimeValue: TOMLDateTime? { if case .datetime(let v) = value { return v } else { return nil } }
    public var arrayValue: [TOMLNode]? { if case .array(let v) = value { return v } else { return nil } }
    public var tableValue: TOMLTable? { if case .table(let v) = value { return v } else { return nil } }

    /// A short name of the value's type, for messages ("a string", "an integer").
    public var typeDescription: String {
        switch value {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .boolean: return "a boolean"
        case .datetime: return "a date-time"
        case .array: return "an array"
        case .table: return "a table"
        }
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
    var removalSpan: ByteSpan
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

/// An ordered table.
public struct TOMLTable: Sendable {
    /// The keys and values in document order.
    public var entries: [TOMLEntry]
    /// Kept only for large tables; small ones are searched linearly, which is cheaper to build.
    var index: [String: Int]?
    /// The header or inline-table span, the whole document for the root, the key part that
    /// created an implicit or dotted table.
    public var span: ByteSpan
    /// How the table was defined; rules about where keys may be written depend on it.
    public var kind: TOMLTableKind
    /// The `[header]` / `[[header]]` span when the table was defined by one.
    public var headerSpan: ByteSpan?
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
        if let index { return index[key].map { entries[$0].node } }
        for entry in entries where entry.key == key { return entry.node }
        return nil
    }

    /// The entry at `key`, if any.
    public func entry(_ key: String) -> TOMLEntry? {
        if let index { return index[key].map { entries[$0] } }
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
