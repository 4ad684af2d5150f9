import Spans

/// The mutable tree the parser resolves headers and dotted keys into; frozen into ``TOMLTable``
/// values at the end. Classes, because headers reach back into any earlier table by path.
// Exclusivity is unchecked on these properties: the parser never overlaps accesses to one
// builder, and the dynamic checks cost about a tenth of the parse time.
final class TableBuilder {
    enum Slot {
        case leaf(TOMLNode)
        case table(TableBuilder)
        case arrayOfTables(ArrayOfTablesBuilder)
    }

    /// Entries in their final form; a child built by headers or dotted keys has a placeholder
    /// node and its `childIndex` into `children`. Leaf tables thus freeze without a copy.
    @exclusivity(unchecked) var entries: [TOMLEntry] = []
    @exclusivity(unchecked) var children: [Slot] = []
    /// Distance from the root of this builder tree; bounded so freezing and freeing stay shallow.
    @exclusivity(unchecked) var depth = 0
    @exclusivity(unchecked) var index: [String: Int]?
    @exclusivity(unchecked) var kind: TOMLTableKind
    /// The section (header or inline table) whose dotted keys created this table; dotted keys
    /// from any other section may not extend it.
    @exclusivity(unchecked) var section: Int
    @exclusivity(unchecked) var span: ByteSpan
    @exclusivity(unchecked) var headerSpan: ByteSpan?
    @exclusivity(unchecked) var sectionSpan: ByteSpan
    @exclusivity(unchecked) var insertionOffset: Int
    /// The indentation of the last key/value line, as a span of the source.
    @exclusivity(unchecked) var indent = ByteSpan(0, 0)
    @exclusivity(unchecked) var dottedPrefix: [String] = []
    /// For inline tables: new keys go before `}` with a comma.
    @exclusivity(unchecked) var isInlineContext = false

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

    @inline(__always)
    func slot(_ i: Int) -> Slot {
        let child = entries[i].childIndex
        return child >= 0 ? children[Int(child)] : .leaf(entries[i].node)
    }

    func appendLeaf(key: String, keySpan: ByteSpan, node: TOMLNode, statementSpan: ByteSpan, removalSpan: ByteSpan) {
        var entry = TOMLEntry(key: key, keySpan: keySpan, node: node, statementSpan: statementSpan)
        entry.removalSpan = removalSpan
        append(entry)
    }

    func appendChild(key: String, keySpan: ByteSpan, _ child: Slot) {
        switch child {
        case .table(let sub): sub.depth = depth + 1
        case .arrayOfTables(let array): for t in array.tables { t.depth = depth + 1 }
        case .leaf: break
        }
        var entry = TOMLEntry(key: key, keySpan: keySpan, node: TOMLNode(value: .boolean(false), span: keySpan))
        entry.childIndex = Int32(children.count)
        children.append(child)
        append(entry)
    }

    private func append(_ entry: consuming TOMLEntry) {
        // Most tables are small; one allocation up front saves the 1→2→4→8 regrowth copies.
        if entries.isEmpty { entries.reserveCapacity(8) }
        let key = entry.key
        entries.append(entry)
        if index != nil {
            index![key] = entries.count - 1
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
        // Take the entries so the array is uniquely referenced and patched in place.
        var frozen = entries
        entries = []
        if !children.isEmpty {
            for k in frozen.indices where frozen[k].childIndex >= 0 {
                let node: TOMLNode
                switch children[Int(frozen[k].childIndex)] {
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
                frozen[k].node = node
                frozen[k].childIndex = -1
            }
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
            table.ownerIsEmpty = false  // the dotted statement itself is in the owner
        } else {
            table.ownerIsEmpty = frozen.isEmpty
        }
        return table
    }
}

/// An array created by `[[header]]`s; unlike a static array it may grow.
final class ArrayOfTablesBuilder {
    @exclusivity(unchecked) var tables: [TableBuilder] = []
    var span: ByteSpan
    init(span: ByteSpan) { self.span = span }
}
