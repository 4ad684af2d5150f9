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

    // @inline(never): inlined into its callers, this crashes swift-frontend 6.3.1 in release
    // builds (CopyPropagation: "Found ownership error?!").
    @inline(never)
    private func typed<T>(_ key: String, _ what: String, _ get: (TOMLNode) -> T?) throws(SourceDiagnostic) -> T? {
        guard let node = table[key] else { return nil }
        guard let value = get(node) else {
            throw SourceDiagnostic(span: node.span, message: "\(context): \(key) must be \(what), not \(node.typeDescription)")
        }
        return value
    }

    public func optionalString(_ key: String) throws(SourceDiagnostic) -> String? { try typed(key, "a string") { $0.stringValue } }
    public func optionalBool(_ key: String) throws(SourceDiagnostic) -> Bool? { try typed(key, "a boolean") { $0.boolValue } }
    public func optionalInt(_ key: String) throws(SourceDiagnostic) -> Int? { try typed(key, "an integer") { $0.intValue.map { Int($0) } } }
    public func optionalNumber(_ key: String) throws(SourceDiagnostic) -> Double? {
        try typed(key, "a number") { $0.doubleValue ?? $0.intValue.map { Double($0) } }
    }
    public func optionalTable(_ key: String) throws(SourceDiagnostic) -> TOMLTable? { try typed(key, "a table") { $0.tableValue } }

    public func requiredString(_ key: String) throws(SourceDiagnostic) -> String {
        guard let value = try optionalString(key) else {
            throw SourceDiagnostic(span: table.headerSpan ?? table.span, message: "\(context): missing required key '\(key)'")
        }
        return value
    }

    public func stringArray(_ key: String) throws(SourceDiagnostic) -> [String] {
        guard let nodes = try typed(key, "an array of strings", { $0.arrayValue }) else { return [] }
        var out: [String] = []
        for node in nodes {
            guard let s = node.stringValue else {
                throw SourceDiagnostic(span: node.span, message: "\(context): \(key) must hold only strings")
            }
            out.append(s)
        }
        return out
    }

    public func optionalTableArray(_ key: String) throws(SourceDiagnostic) -> [TOMLNode] {
        try typed(key, "an array of tables") { $0.arrayValue } ?? []
    }
}

