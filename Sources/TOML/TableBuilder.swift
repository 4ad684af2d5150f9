import Spans

/// The mutable tree the parser resolves headers and dotted keys into; frozen into ``TOMLTable``
/// values at the end. Classes, because headers reach back into any earlier table by path.
final class TableBuilder {
    enum Slot {
        case leaf(TOMLNode)
        case table(TableBuilder)
        case arrayOfTables(ArrayOfTablesBuilder)
    }

    struct Entry {
        var key: String
        var keySpan: ByteSpan
        var slot: Slot
        var statementSpan: ByteSpan
        var removalSpan: ByteSpan
    }

    var entries: [Entry] = []
    var index: [String: Int]?
    var kind: TOMLTableKind
    /// The section (header or inline table) whose dotted keys created this table; dotted keys
    /// from any other section may not extend it.
    var section: Int
    var span: ByteSpan
    var headerSpan: ByteSpan?
    var sectionSpan: ByteSpan
    var insertionOffset: Int
    /// The indentation of the last key/value line, as a span of the source.
    var indent = ByteSpan(0, 0)
    var dottedPrefix: [String] = []
    /// For inline tables: new keys go before `}` with a comma.
    var isInlineContext = false

    init(kind: TOMLTableKind, section: Int, span: ByteSpan) {
        self.kind = kind
        self.section = section
        self.span = span
        self.sectionSpan = span
        self.insertionOffset = span.end
    }

    static func bytes(_ span: ByteSpan, _ source: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard !span.isEmpty, span.end <= source.count else { return [] }
        return Array(UnsafeBufferPointer(rebasing: source[span.start..<span.end]))
    }

    @inline(__always)
    func find(_ key: String) -> Int? {
        if let index { return index[key] }
        var i = 0
        let count = entries.count
        while i < count {
            if entries[i].key == key { return i }
            i += 1
        }
        return nil
    }

    func append(_ entry: Entry) {
        entries.append(entry)
        if index != nil {
            index![entry.key] = entries.count - 1
        } else if entries.count > TOMLTable.indexThreshold {
            var built: [String: Int] = [:]
            built.reserveCapacity(entries.count * 2)
            for (i, e) in entries.enumerated() { built[e.key] = i }
            index = built
        }
    }

    /// Converts to the public value tree. `sections` maps a section id to the table whose
    /// section it is, so a dotted table knows where its new keys would be written.
    func freeze(sections: [TableBuilder], source: UnsafeBufferPointer<UInt8>) -> TOMLTable {
        var frozen: [TOMLEntry] = []
        frozen.reserveCapacity(entries.count)
        for e in entries {
            let node: TOMLNode
            switch e.slot {
            case .leaf(let leaf):
                node = leaf
            case .table(let sub):
                node = TOMLNode(value: .table(sub.freeze(sections: sections, source: source)), span: sub.span)
            case .arrayOfTables(let array):
                var elements: [TOMLNode] = []
                elements.reserveCapacity(array.tables.count)
                for t in array.tables {
                    elements.append(TOMLNode(value: .table(t.freeze(sections: sections, source: source)), span: t.span))
                }
                node = TOMLNode(value: .array(elements), span: array.span)
            }
            var entry = TOMLEntry(key: e.key, keySpan: e.keySpan, node: node, statementSpan: e.statementSpan)
            entry.removalSpan = e.removalSpan
            frozen.append(entry)
        }
        var table = TOMLTable(span: span, kind: kind, headerSpan: headerSpan)
        table.entries = frozen
        table.index = index
        table.sectionSpan = sectionSpan
        table.indent = TableBuilder.bytes(indent, source)
        table.insertionOffset = insertionOffset
        table.isInlineContext = isInlineContext
        if kind == .dotted, section >= 0, section < sections.count {
            let owner = sections[section]
            table.insertionOffset = owner.insertionOffset
            table.indent = TableBuilder.bytes(owner.indent, source)
            table.dottedPrefix = dottedPrefix
            table.isInlineContext = owner.isInlineContext
            table.ownerIsEmpty = owner.entries.isEmpty
        } else {
            table.ownerIsEmpty = entries.isEmpty
        }
        return table
    }
}

/// An array created by `[[header]]`s; unlike a static array it may grow.
final class ArrayOfTablesBuilder {
    var tables: [TableBuilder] = []
    var span: ByteSpan
    init(span: ByteSpan) { self.span = span }
}
