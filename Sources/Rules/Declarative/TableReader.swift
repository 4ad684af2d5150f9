import Spans
import TOML

/// Typed access to a TOML table that names the key and position in every error.
public struct TableReader {
    public let table: TOMLTable
    public var context: String

    public init(table: TOMLTable, context: String) {
        self.table = table
        self.context = context
    }

    public func error(at key: String, _ message: String) -> SourceDiagnostic {
        let span = table.entry(key)?.node.span ?? table.span
        return SourceDiagnostic(span: span, message: "\(context): \(key): \(message)")
    }

    public func rejectUnknown(_ known: Set<String>) throws(SourceDiagnostic) {
        for entry in table.entries where !known.contains(entry.key) {
            throw SourceDiagnostic(
                span: entry.keySpan,
                message: "\(context): unknown key '\(entry.key)' (expected one of: \(known.sorted().joined(separator: ", ")))")
        }
    }

    /// The node at `key`, or nil when absent.
    private func node(_ key: String) -> TOMLNode? { table[key] }

    private func mismatch(_ key: String, _ node: TOMLNode, _ what: String) -> SourceDiagnostic {
        SourceDiagnostic(span: node.span, message: "\(context): \(key) must be \(what), not \(node.typeDescription)")
    }

    // Each accessor is spelled out: a generic closure-taking helper with typed throws crashes
    // the Swift 6.3.1 optimizer (CopyPropagation) in release builds.
    public func optionalString(_ key: String) throws(SourceDiagnostic) -> String? {
        guard let node = node(key) else { return nil }
        guard let value = node.stringValue else { throw mismatch(key, node, "a string") }
        return value
    }

    public func optionalBool(_ key: String) throws(SourceDiagnostic) -> Bool? {
        guard let node = node(key) else { return nil }
        guard let value = node.boolValue else { throw mismatch(key, node, "a boolean") }
        return value
    }

    public func optionalInt(_ key: String) throws(SourceDiagnostic) -> Int? {
        guard let node = node(key) else { return nil }
        guard let value = node.intValue else { throw mismatch(key, node, "an integer") }
        return Int(value)
    }

    public func optionalNumber(_ key: String) throws(SourceDiagnostic) -> Double? {
        guard let node = node(key) else { return nil }
        if let value = node.doubleValue { return value }
        guard let value = node.intValue else { throw mismatch(key, node, "a number") }
        return Double(value)
    }

    public func optionalTable(_ key: String) throws(SourceDiagnostic) -> TOMLTable? {
        guard let node = node(key) else { return nil }
        guard let value = node.tableValue else { throw mismatch(key, node, "a table") }
        return value
    }

    private func optionalArray(_ key: String, _ what: String) throws(SourceDiagnostic) -> [TOMLNode]? {
        guard let node = node(key) else { return nil }
        guard let value = node.arrayValue else { throw mismatch(key, node, what) }
        return value
    }

    public func requiredString(_ key: String) throws(SourceDiagnostic) -> String {
        guard let value = try optionalString(key) else {
            throw SourceDiagnostic(span: table.headerSpan ?? table.span, message: "\(context): missing required key '\(key)'")
        }
        return value
    }

    public func stringArray(_ key: String) throws(SourceDiagnostic) -> [String] {
        try stringArrayWithSpans(key).map(\.value)
    }

    /// ``stringArray(_:)`` with where each string is written, for errors about one of them.
    public func stringArrayWithSpans(_ key: String) throws(SourceDiagnostic) -> [(value: String, span: ByteSpan)] {
        guard let nodes = try optionalArray(key, "an array of strings") else { return [] }
        var out: [(value: String, span: ByteSpan)] = []
        for node in nodes {
            guard let s = node.stringValue else {
                throw SourceDiagnostic(span: node.span, message: "\(context): \(key) must hold only strings")
            }
            out.append((s, node.span))
        }
        return out
    }

    public func optionalTableArray(_ key: String) throws(SourceDiagnostic) -> [TOMLNode] {
        try optionalArray(key, "an array of tables") ?? []
    }
}

