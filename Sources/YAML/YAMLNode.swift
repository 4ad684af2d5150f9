import Spans

/// One node of a YAML document: a scalar, a sequence, a mapping or an alias, with its exact byte span.
///
/// Nodes are values: an alias holds (a shared copy of) the node its anchor named, so following an alias
/// costs nothing and never needs the document. Accessors such as ``scalar``, ``sequence``, ``pairs`` and
/// the key subscript look through aliases, so consumers see the aliased value; ``kind``, ``span`` and
/// ``style`` describe the node as written (an alias keeps the span of `*name`, not of its target).
public struct YAMLNode: Sendable {
    /// What a node is, as written.
    public enum Kind: Sendable, Hashable {
        case scalar, sequence, mapping, alias
    }

    /// How a node is written: the five scalar styles, the two collection styles, or an alias.
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
        case block, flow
        case alias
    }

    enum Content: Sendable {
        case scalar(String)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
        case alias(name: String, target: YAMLNode)
    }

    /// A node's fields, shared by its copies: the extractors pass nodes and pairs around by
    /// value, and copying one reference costs a fraction of copying five fields.
    private final class Storage: Sendable {
        let span: ByteSpan
        let tag: String?
        let anchor: String?
        let style: Style
        let content: Content

        init(span: ByteSpan, tag: String?, anchor: String?, style: Style, content: Content) {
            self.span = span
            self.tag = tag
            self.anchor = anchor
            self.style = style
            self.content = content
        }
    }

    private let storage: Storage

    /// Bytes of the node. Scalars: from the first byte of the anchor, tag or value (quotes and block
    /// indicators included) to one past the value (a block scalar ends after its last line break, as
    /// libyaml reports it). Flow collections end after `]`/`}`; block collections end where their
    /// last entry ends, so trailing comments and blank lines are not part of them.
    public var span: ByteSpan { storage.span }
    /// The resolved tag (`!!str` appears as `tag:yaml.org,2002:str`), or nil when none was written.
    public var tag: String? { storage.tag }
    /// The anchor name defined on this node (`&name`), without the `&`.
    public var anchor: String? { storage.anchor }
    /// How the node is written (scalar style, collection style, or `.alias`).
    public var style: Style { storage.style }
    var content: Content { storage.content }

    init(span: ByteSpan, tag: String?, anchor: String?, style: Style, content: Content) {
        storage = Storage(span: span, tag: tag, anchor: anchor, style: style, content: content)
    }

    /// What the node is as written; an alias is `.alias` (see ``resolved`` for its target).
    public var kind: Kind {
        switch content {
        case .scalar: .scalar
        case .sequence: .sequence
        case .mapping: .mapping
        case .alias: .alias
        }
    }

    /// The node itself, or for an alias the node its anchor named.
    public var resolved: YAMLNode {
        if case .alias(_, let target) = content { return target }
        return self
    }

    /// The alias name (without `*`) when this node is an alias.
    public var aliasName: String? {
        if case .alias(let name, _) = content { return name }
        return nil
    }

    /// The scalar's value (escapes decoded, block scalars folded), following an alias.
    public var scalar: String? {
        switch content {
        case .scalar(let value): value
        case .alias(_, let target): target.scalar
        default: nil
        }
    }

    /// The items of a sequence, following an alias.
    public var sequence: [YAMLNode]? {
        switch content {
        case .sequence(let items): items
        case .alias(_, let target): target.sequence
        default: nil
        }
    }

    /// The key/value pairs of a mapping in source order, as written (merge keys `<<` included, not
    /// applied), following an alias. See ``mergedPairs`` for the view with merges applied.
    public var pairs: [YAMLPair]? {
        switch content {
        case .mapping(let pairs): pairs
        case .alias(_, let target): target.pairs
        default: nil
        }
    }

    /// True for a `<<` key: a plain `<<` scalar or one tagged `!!merge`.
    public var isMergeKey: Bool {
        guard case .scalar(let value) = content else { return false }
        if let tag { return tag == "tag:yaml.org,2002:merge" }
        return style == .plain && value == "<<"
    }
}

/// One entry of a mapping.
public struct YAMLPair: Sendable {
    /// The key node (usually a plain scalar; any node is allowed).
    public var key: YAMLNode
    /// The value node (an empty plain scalar for `key:` with nothing after it).
    public var value: YAMLNode
    /// A pair of `key` and `value`.
    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
    /// Bytes from the key's start to the value's end.
    public var span: ByteSpan { key.span.union(value.span) }
}

// MARK: - Lookups with merge keys

extension YAMLNode {
    /// The value for the scalar key `key`, with merge keys applied: the mapping's own keys win, then
    /// the merged mappings in the order written (`<<: [*a, *b]`: `a` before `b`), recursively, as in
    /// PyYAML and go-yaml. Nil when this is not a mapping or the key is absent.
    public subscript(key: String) -> YAMLNode? {
        pair(forKey: key)?.value
    }

    /// The pair for the scalar key `key` (so its key span is at hand), with merge keys applied like
    /// the subscript. A pair found through a merge has the spans of the merged mapping's text. Of
    /// a key written twice, the last counts, as in PyYAML and Python's `json`.
    public func pair(forKey key: String) -> YAMLPair? {
        guard let pairs else { return nil }
        var hasMerge = false
        var found: Int?
        for index in pairs.indices {
            let pairKey = pairs[index].key
            if pairKey.isMergeKey {
                hasMerge = true
            } else if pairKey.scalar == key {
                found = index
            }
        }
        if let found { return pairs[found] }
        guard hasMerge else { return nil }
        for pair in pairs where pair.key.isMergeKey {
            for source in Self.mergeSources(pair.value) {
                if let found = source.pair(forKey: key) { return found }
            }
        }
        return nil
    }

    /// The mapping's pairs with merge keys applied: own pairs in source order (the `<<` entries
    /// removed), then the merged pairs whose keys are not already present, in merge order. Nil when
    /// this is not a mapping. Keys are compared by scalar value; non-scalar keys are kept as they are.
    public var mergedPairs: [YAMLPair]? {
        guard let pairs else { return nil }
        guard pairs.contains(where: { $0.key.isMergeKey }) else { return pairs }
        var result: [YAMLPair] = []
        var seen: Set<String> = []
        for pair in pairs where !pair.key.isMergeKey {
            if let key = pair.key.scalar { seen.insert(key) }
            result.append(pair)
        }
        for pair in pairs where pair.key.isMergeKey {
            for source in Self.mergeSources(pair.value) {
                for merged in source.mergedPairs ?? [] {
                    if let key = merged.key.scalar {
                        if seen.insert(key).inserted { result.append(merged) }
                    } else {
                        result.append(merged)
                    }
                }
            }
        }
        return result
    }

    /// The mappings a `<<` value names: one mapping, or a sequence of mappings (others are ignored,
    /// as they are an error for PyYAML and go-yaml that the model reports, not this layer).
    static func mergeSources(_ value: YAMLNode) -> [YAMLNode] {
        let resolved = value.resolved
        switch resolved.kind {
        case .mapping: return [resolved]
        case .sequence: return (resolved.sequence ?? []).map(\.resolved).filter { $0.kind == .mapping }
        default: return []
        }
    }
}

// MARK: - Rewriting

extension YAMLNode {
    /// A copy rewritten top down (aliases resolved): a node for which `node` returns a
    /// replacement becomes it, whole; in the others every mapping pair becomes `pair` of it
    /// (its value rewritten first). Spans stay those of the text as written. Lets a reader of
    /// one schema read another that spells its keys or values differently.
    public func rewritten(node: (YAMLNode) -> YAMLNode?, pair: (YAMLPair) -> YAMLPair) -> YAMLNode {
        let original = resolved
        if let replacement = node(original) { return replacement }
        switch original.content {
        case .sequence(let items): return original.with(content: .sequence(items.map { $0.rewritten(node: node, pair: pair) }))
        case .mapping(let pairs):
            return original.with(content: .mapping(pairs.map { pair(YAMLPair(key: $0.key, value: $0.value.rewritten(node: node, pair: pair))) }))
        default: return original
        }
    }

    /// A copy of a scalar node with another value (same span, tag and style); nil for others.
    public func withScalar(_ value: String) -> YAMLNode? {
        guard case .scalar = content else { return nil }
        return with(content: .scalar(value))
    }

    /// This node (span, tag, anchor, style) with other content.
    private func with(content: Content) -> YAMLNode {
        YAMLNode(span: span, tag: tag, anchor: anchor, style: style, content: content)
    }

    /// A plain scalar with `value` that spans this node's text (no tag, no anchor).
    public func replaced(byScalar value: String) -> YAMLNode {
        YAMLNode(span: span, tag: nil, anchor: nil, style: .plain, content: .scalar(value))
    }
}

// MARK: - Positions

extension YAMLNode {
    /// 1-based line and character column of the node's first byte and of one past its last byte.
    public func location(in file: SourceFile) -> (start: SourceLocation, end: SourceLocation) {
        file.range(of: span)
    }
}
