import Spans

// ASCII bytes the grammar names.
let LF: UInt8 = 0x0A
let CR: UInt8 = 0x0D
let TAB: UInt8 = 0x09
let SPACE: UInt8 = 0x20
let QUOTE: UInt8 = 0x22
let APOS: UInt8 = 0x27
let HASH: UInt8 = 0x23
let BACKSLASH: UInt8 = 0x5C
let LBRACKET: UInt8 = 0x5B
let RBRACKET: UInt8 = 0x5D
let LBRACE: UInt8 = 0x7B
let RBRACE: UInt8 = 0x7D
let COMMA: UInt8 = 0x2C
let DOT: UInt8 = 0x2E
let EQUALS: UInt8 = 0x3D
let UNDERSCORE: UInt8 = 0x5F
let PLUS: UInt8 = 0x2B
let MINUS: UInt8 = 0x2D
let COLON: UInt8 = 0x3A

@inline(__always) func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
@inline(__always) func isBareKeyByte(_ c: UInt8) -> Bool {
    isDigit(c) || (c | 0x20) &- 0x61 < 26 || c == UNDERSCORE || c == MINUS
}
/// Control characters TOML forbids in comments and strings (tab is allowed).
@inline(__always) func isForbiddenControl(_ c: UInt8) -> Bool {
    (c < 0x20 && c != TAB) || c == 0x7F
}

/// A recursive-descent parser over the document's bytes that resolves the tree as it goes.
struct Parser {
    let p: UnsafeBufferPointer<UInt8>
    let n: Int
    var i = 0
    let root: TableBuilder
    /// Tables that own a section, by section id (0 is the root).
    var sections: [TableBuilder]
    var current: TableBuilder
    var currentSection = 0
    var depth = 0
    /// Reused buffers, so that keys and escaped strings do not allocate per call.
    var keyParts: [(key: String, span: ByteSpan)] = []
    var scratch: [UInt8] = []
    /// Every comment, `#` through the last byte before the line break, in document order.
    var comments: [ByteSpan] = []

    static let maxDepth = 200
    /// How deep headers and dotted keys may nest tables.
    static let maxTableDepth = 500

    func checkTableDepth(_ t: TableBuilder, _ span: ByteSpan) throws(TOMLError) {
        if t.depth >= Parser.maxTableDepth { throw TOMLError("tables are nested too deeply", span: span) }
    }

    init(_ p: UnsafeBufferPointer<UInt8>) {
        self.p = p
        self.n = p.count
        root = TableBuilder(kind: .root, section: 0, span: ByteSpan(0, p.count))
        root.insertionOffset = 0
        root.sectionSpan = ByteSpan(0, 0)
        sections = [root]
        current = root
        keyParts.reserveCapacity(8)
        scratch.reserveCapacity(256)
    }

    // MARK: Errors

    func describe(_ offset: Int) -> String {
        guard offset < n else { return "end of file" }
        let c = p[offset]
        switch c {
        case LF: return "end of line"
        case CR: return offset + 1 < n && p[offset + 1] == LF ? "end of line" : "a carriage return"
        case TAB: return "a tab"
        case SPACE: return "a space"
        case 0..<0x20, 0x7F:
            return "control character U+\(String(c, radix: 16, uppercase: true).leftPadded(4))"
        case 0x80...: return "a non-ASCII character"
        default: return "`\(Character(Unicode.Scalar(c)))`"
        }
    }

    func error(_ message: String, at offset: Int, expected: [String] = [], found: Bool = true) -> TOMLError {
        let end = offset < n ? offset + utf8Length(at: offset) : offset
        return TOMLError(message, span: ByteSpan(offset, end), expected: expected, found: found ? describe(offset) : nil)
    }

    func utf8Length(at offset: Int) -> Int {
        let c = p[offset]
        if c < 0x80 { return 1 }
        if c >= 0xF0 { return min(4, n - offset) }
        if c >= 0xE0 { return min(3, n - offset) }
        return min(2, n - offset)
    }

    // MARK: Document

    mutating func parseDocument() throws(TOMLError) -> TOMLTable {
        if let bad = UTF8Validation.firstInvalid(p) {
            throw TOMLError("invalid UTF-8", span: ByteSpan(bad, bad + 1))
        }
        // A byte-order mark is allowed at the start and is not part of the first line's content.
        if n >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { i = 3 }
        root.insertionOffset = i
        var lineStart = i
        while true {
            skipWhitespace()
            guard i < n else { break }
            let c = p[i]
            if c == HASH {
                try skipComment()
                try expectLineEnd()
                lineStart = i
            } else if c == LF {
                i += 1
                lineStart = i
            } else if c == CR {
                try expectLineEnd()
                lineStart = i
            } else if c == LBRACKET {
                try parseHeader(lineStart: lineStart)
                lineStart = i
            } else {
                let statementStart = i
                _ = try parseKeyValue(into: current, section: currentSection, statementStart: statementStart) {
                    (parser: inout Parser) throws(TOMLError) -> ByteSpan in
                    parser.skipWhitespace()
                    if parser.i < parser.n, parser.p[parser.i] == HASH { try parser.skipComment() }
                    try parser.expectLineEnd()
                    return ByteSpan(lineStart, parser.i)
                }
                let owner = sections[currentSection]
                owner.insertionOffset = i
                owner.sectionSpan = ByteSpan(owner.sectionSpan.start, i)
                owner.indent = ByteSpan(lineStart, statementStart)
                lineStart = i
            }
        }
        root.span = ByteSpan(0, n)
        return root.freeze(sections: sections, source: p)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while i < n {
            let c = p[i]
            if c != SPACE && c != TAB { return }
            i += 1
        }
    }

    /// Skips `# ...` up to (not including) the line break, rejecting control characters.
    mutating func skipComment() throws(TOMLError) {
        let start = i
        i += 1
        while i < n {
            let c = p[i]
            if c == LF || (c == CR && i + 1 < n && p[i + 1] == LF) {
                comments.append(ByteSpan(start, i))
                return
            }
            if isForbiddenControl(c) {
                throw error("control characters are not allowed in comments", at: i)
            }
            i += 1
        }
        comments.append(ByteSpan(start, i))
    }

    /// Consumes one line break (LF or CRLF), or accepts the end of the file.
    mutating func expectLineEnd() throws(TOMLError) {
        guard i < n else { return }
        if p[i] == LF { i += 1; return }
        if p[i] == CR, i + 1 < n, p[i + 1] == LF { i += 2; return }
        if p[i] == CR { throw error("a carriage return must be followed by a line feed", at: i, found: false) }
        throw error("unexpected text after the statement", at: i, expected: ["end of line"])
    }

    /// Skips whitespace, comments and line breaks (inside arrays).
    mutating func skipTrivia() throws(TOMLError) {
        while i < n {
            let c = p[i]
            if c == SPACE || c == TAB || c == LF {
                i += 1
            } else if c == CR {
                guard i + 1 < n, p[i + 1] == LF else {
                    throw error("a carriage return must be followed by a line feed", at: i, found: false)
                }
                i += 2
            } else if c == HASH {
                try skipComment()
            } else {
                return
            }
        }
    }

    // MARK: Headers

    mutating func parseHeader(lineStart: Int) throws(TOMLError) {
        let start = i
        i += 1
        let isArray = i < n && p[i] == LBRACKET
        if isArray { i += 1 }
        skipWhitespace()
        try parseKey()
        skipWhitespace()
        guard i < n, p[i] == RBRACKET else {
            throw error("unterminated table header", at: i, expected: [isArray ? "`]]`" : "`]`", "`.`"])
        }
        i += 1
        if isArray {
            guard i < n, p[i] == RBRACKET else {
                throw error("unterminated array-of-tables header", at: i, expected: ["`]]`"])
            }
            i += 1
        }
        let headerSpan = ByteSpan(start, i)
        skipWhitespace()
        if i < n, p[i] == HASH { try skipComment() }
        try expectLineEnd()
        let table = try defineTable(headerSpan: headerSpan, isArray: isArray)
        table.sectionSpan = ByteSpan(lineStart, i)
        table.insertionOffset = i
        sections.append(table)
        currentSection = sections.count - 1
        table.section = currentSection
        current = table
    }

    /// Walks (creating implicit tables) to the table a header names and defines it.
    mutating func defineTable(headerSpan: ByteSpan, isArray: Bool) throws(TOMLError) -> TableBuilder {
        var t = root
        let parts = keyParts
        for part in parts.dropLast() {
            if let idx = t.find(part.key) {
                switch t.slot(idx) {
                case .table(let sub):
                    t = sub
                case .arrayOfTables(let array):
                    guard let last = array.tables.last else {
                        throw TOMLError("empty array of tables", span: part.span)
                    }
                    t = last
                case .leaf(let node):
                    throw TOMLError(
                        cannotExtend(part.key, node), span: part.span,
                        expected: [], found: nil)
                }
            } else {
                try checkTableDepth(t, part.span)
                let sub = TableBuilder(kind: .implicit, section: -1, span: part.span)
                t.appendChild(key: part.key, keySpan: part.span, .table(sub))
                t = sub
            }
        }
        guard let last = parts.last else { throw TOMLError("empty key", span: headerSpan) }
        if let idx = t.find(last.key) {
            switch t.slot(idx) {
            case .table(let sub):
                if isArray {
                    throw TOMLError("`\(last.key)` is already a table and cannot become an array of tables",
                                    span: last.span)
                }
                switch sub.kind {
                case .implicit:
                    sub.kind = .header
                    sub.span = headerSpan
                    sub.headerSpan = headerSpan
                    t.entries[idx].keySpan = last.span
                    return sub
                case .dotted:
                    throw TOMLError("table `\(last.key)` was already defined by dotted keys", span: last.span)
                default:
                    throw TOMLError("table `\(last.key)` is defined twice", span: last.span)
                }
            case .arrayOfTables(let array):
                if !isArray {
                    throw TOMLError("`\(last.key)` is an array of tables; a `[table]` header cannot redefine it",
                                    span: last.span)
                }
                let sub = TableBuilder(kind: .arrayElement, section: -1, span: headerSpan)
                sub.headerSpan = headerSpan
                sub.depth = t.depth + 1
                array.tables.append(sub)
                return sub
            case .leaf(let node):
                if isArray, case .array = node.value {
                    throw TOMLError("cannot append to the static array `\(last.key)` with `[[...]]`", span: last.span)
                }
                throw TOMLError("key `\(last.key)` is already defined as \(node.typeDescription)", span: last.span)
            }
        }
        try checkTableDepth(t, last.span)
        let sub = TableBuilder(kind: isArray ? .arrayElement : .header, section: -1, span: headerSpan)
        sub.headerSpan = headerSpan
        if isArray {
            let array = ArrayOfTablesBuilder(span: headerSpan)
            array.tables.append(sub)
            t.appendChild(key: last.key, keySpan: last.span, .arrayOfTables(array))
        } else {
            t.appendChild(key: last.key, keySpan: last.span, .table(sub))
        }
        return sub
    }

    func cannotExtend(_ key: String, _ node: TOMLNode) -> String {
        switch node.value {
        case .table: return "cannot add keys to the inline table `\(key)`"
        case .array: return "cannot add tables to the static array `\(key)`"
        default: return "key `\(key)` is \(node.typeDescription), not a table"
        }
    }

    // MARK: Keys

    /// Parses a (dotted) key into `keyParts`.
    mutating func parseKey() throws(TOMLError) {
        keyParts.removeAll(keepingCapacity: true)
        while true {
            let start = i
            guard i < n else { throw error("missing key", at: i, expected: ["a key"]) }
            let c = p[i]
            let key: String
            if isBareKeyByte(c) {
                i += 1
                while i < n, isBareKeyByte(p[i]) { i += 1 }
                key = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
            } else if c == QUOTE {
                if i + 2 < n, p[i + 1] == QUOTE, p[i + 2] == QUOTE {
                    throw error("a multi-line string cannot be a key", at: i)
                }
                key = try parseBasicString()
            } else if c == APOS {
                if i + 2 < n, p[i + 1] == APOS, p[i + 2] == APOS {
                    throw error("a multi-line string cannot be a key", at: i)
                }
                key = try parseLiteralString()
            } else {
                throw error("invalid key", at: i, expected: ["a key"])
            }
            keyParts.append((key, ByteSpan(start, i)))
            skipWhitespace()
            guard i < n, p[i] == DOT else { return }
            i += 1
            skipWhitespace()
        }
    }

    // MARK: Key/value pairs

    /// Parses `key = value` and stores it in `table`. `finish` consumes what follows the value
    /// and returns the span that removing the statement deletes.
    mutating func parseKeyValue(
        into table: TableBuilder, section: Int, statementStart: Int,
        finish: (inout Parser) throws(TOMLError) -> ByteSpan
    ) throws(TOMLError) -> TableBuilder {
        try parseKey()
        skipWhitespace()
        guard i < n, p[i] == EQUALS else {
            throw error("missing `=` after the key", at: i, expected: ["`=`", "`.`"])
        }
        i += 1
        skipWhitespace()
        // Only arrays and inline tables parse keys of their own; copy the key only then.
        let nested = i < n && (p[i] == LBRACKET || p[i] == LBRACE)
        let saved = nested ? keyParts : []
        let node = try parseValue()
        let statementSpan = ByteSpan(statementStart, i)
        let removal = try finish(&self)
        return try insert(nested ? saved : keyParts, node: node, into: table, section: section, statementSpan: statementSpan,
                          removalSpan: removal)
    }

    /// Resolves a dotted key relative to `table` and stores the value, applying TOML's rules
    /// on which tables dotted keys may extend.
    func insert(
        _ parts: [(key: String, span: ByteSpan)], node: TOMLNode, into table: TableBuilder, section: Int,
        statementSpan: ByteSpan, removalSpan: ByteSpan
    ) throws(TOMLError) -> TableBuilder {
        var t = table
        var prefix: [String] = []
        if parts.count > 1 {
            prefix.reserveCapacity(parts.count - 1)
            for part in parts.dropLast() {
                prefix.append(part.key)
                if let idx = t.find(part.key) {
                    switch t.slot(idx) {
                    case .table(let sub):
                        switch sub.kind {
                        case .dotted:
                            if sub.section != section {
                                throw TOMLError(
                                    "table `\(part.key)` was defined by dotted keys in another section and cannot be extended here",
                                    span: part.span)
                            }
                        case .implicit:
                            sub.kind = .dotted
                            sub.section = section
                            sub.dottedPrefix = prefix
                        default:
                            throw TOMLError(
                                "table `\(part.key)` is defined by a header; dotted keys cannot add to it",
                                span: part.span)
                        }
                        t = sub
                    case .arrayOfTables:
                        throw TOMLError("dotted keys cannot add to the array of tables `\(part.key)`", span: part.span)
                    case .leaf(let leaf):
                        throw TOMLError(cannotExtend(part.key, leaf), span: part.span)
                    }
                } else {
                    try checkTableDepth(t, part.span)
                    let sub = TableBuilder(kind: .dotted, section: section, span: part.span)
                    sub.dottedPrefix = prefix
                    t.appendChild(key: part.key, keySpan: part.span, .table(sub))
                    t = sub
                }
            }
        }
        guard let last = parts.last else { throw TOMLError("empty key", span: statementSpan) }
        if t.find(last.key) != nil {
            throw TOMLError("key `\(last.key)` is defined twice", span: last.span)
        }
        t.appendLeaf(key: last.key, keySpan: last.span, node: node, statementSpan: statementSpan, removalSpan: removalSpan)
        return t
    }

    // MARK: Values

    mutating func parseValue() throws(TOMLError) -> TOMLNode {
        guard i < n else { throw error("missing value", at: i, expected: ["a value"]) }
        let start = i
        let c = p[i]
        switch c {
        case QUOTE:
            if i + 2 < n, p[i + 1] == QUOTE, p[i + 2] == QUOTE {
                let s = try parseMultilineBasicString()
                return TOMLNode(value: .string(s), span: ByteSpan(start, i), stringStyle: .multilineBasic)
            }
            let s = try parseBasicString()
            return TOMLNode(value: .string(s), span: ByteSpan(start, i), stringStyle: .basic)
        case APOS:
            if i + 2 < n, p[i + 1] == APOS, p[i + 2] == APOS {
                let s = try parseMultilineLiteralString()
                return TOMLNode(value: .string(s), span: ByteSpan(start, i), stringStyle: .multilineLiteral)
            }
            let s = try parseLiteralString()
            return TOMLNode(value: .string(s), span: ByteSpan(start, i), stringStyle: .literal)
        case 0x74:  // t
            if matches("true") { i += 4; return TOMLNode(value: .boolean(true), span: ByteSpan(start, i)) }
        case 0x66:  // f
            if matches("false") { i += 5; return TOMLNode(value: .boolean(false), span: ByteSpan(start, i)) }
        case LBRACKET:
            return try parseArray()
        case LBRACE:
            return try parseInlineTable()
        case 0x69, 0x6E:  // i, n
            if matches("inf") { i += 3; return TOMLNode(value: .float(.infinity), span: ByteSpan(start, i)) }
            if matches("nan") { i += 3; return TOMLNode(value: .float(.nan), span: ByteSpan(start, i)) }
        case PLUS, MINUS:
            if i + 1 < n, p[i + 1] == 0x69 || p[i + 1] == 0x6E {
                i += 1
                let negative = c == MINUS
                if matches("inf") {
                    i += 3
                    return TOMLNode(value: .float(negative ? -.infinity : .infinity), span: ByteSpan(start, i))
                }
                if matches("nan") {
                    i += 3
                    return TOMLNode(value: .float(negative ? -Double.nan : .nan), span: ByteSpan(start, i))
                }
                throw error("invalid number", at: start)
            }
            return try parseNumber()
        default:
            if isDigit(c) {
                if i + 4 < n, isDigit(p[i + 1]), isDigit(p[i + 2]), isDigit(p[i + 3]), p[i + 4] == MINUS {
                    return try parseDateTime()
                }
                if i + 2 < n, isDigit(p[i + 1]), p[i + 2] == COLON {
                    return try parseDateTime()
                }
                return try parseNumber()
            }
        }
        if c == LF || c == CR || c == HASH {
            throw error("missing value", at: start, expected: ["a value"])
        }
        throw error("invalid value", at: start, expected: ["a value"])
    }

    @inline(__always)
    func matches(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard i + count <= n else { return false }
        let w = word.utf8Start
        for k in 0..<count where p[i + k] != w[k] { return false }
        return true
    }

    // MARK: Arrays and inline tables

    mutating func parseArray() throws(TOMLError) -> TOMLNode {
        let start = i
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maxDepth else { throw error("arrays and tables are nested too deeply", at: i) }
        i += 1
        var elements: [TOMLNode] = []
        elements.reserveCapacity(4)
        while true {
            try skipTrivia()
            guard i < n else { throw TOMLError("unterminated array", span: ByteSpan(start, start + 1), expected: ["`]`"]) }
            if p[i] == RBRACKET { i += 1; break }
            elements.append(try parseValue())
            try skipTrivia()
            guard i < n else { throw TOMLError("unterminated array", span: ByteSpan(start, start + 1), expected: ["`]`"]) }
            if p[i] == COMMA {
                i += 1
            } else if p[i] == RBRACKET {
                i += 1
                break
            } else {
                throw error("missing `,` between array elements", at: i, expected: ["`,`", "`]`"])
            }
        }
        return TOMLNode(value: .array(elements), span: ByteSpan(start, i))
    }

    mutating func parseInlineTable() throws(TOMLError) -> TOMLNode {
        let start = i
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maxDepth else { throw error("arrays and tables are nested too deeply", at: i) }
        i += 1
        let section = sections.count
        let table = TableBuilder(kind: .inline, section: section, span: ByteSpan(start, start))
        table.isInlineContext = true
        sections.append(table)
        // Removing entry k deletes it and the comma that joins it to a neighbour: up to the next
        // key, or for the last entry from the previous value's end. Set once the next is known.
        var previous: (table: TableBuilder, index: Int, span: ByteSpan)?
        var previousEnd: Int?
        skipWhitespace()
        table.insertionOffset = i
        if i < n, p[i] == RBRACE {
            i += 1
        } else {
            while true {
                let keyStart = i
                let target = try parseKeyValue(into: table, section: section, statementStart: keyStart) {
                    (_: inout Parser) throws(TOMLError) -> ByteSpan in .empty(at: 0)
                }
                let statementEnd = i
                if let prev = previous {
                    prev.table.entries[prev.index].removalSpan = ByteSpan(prev.span.start, keyStart)
                    previousEnd = prev.span.end
                }
                previous = (target, target.entries.count - 1, ByteSpan(keyStart, statementEnd))
                table.insertionOffset = statementEnd
                skipWhitespace()
                guard i < n else {
                    throw TOMLError("unterminated inline table", span: ByteSpan(start, start + 1), expected: ["`}`"])
                }
                if p[i] == COMMA {
                    i += 1
                    skipWhitespace()
                    if i < n, p[i] == RBRACE {
                        throw error("trailing comma in an inline table", at: i - 1, expected: ["a key"], found: false)
                    }
                } else if p[i] == RBRACE {
                    i += 1
                    break
                } else {
                    throw error("missing `,` between inline-table entries", at: i, expected: ["`,`", "`}`"])
                }
            }
        }
        if let last = previous {
            last.table.entries[last.index].removalSpan = previousEnd.map { ByteSpan($0, last.span.end) } ?? last.span
        }
        let span = ByteSpan(start, i)
        table.span = span
        table.sectionSpan = span
        return TOMLNode(value: .table(table.freeze(sections: sections, source: p)), span: span)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
