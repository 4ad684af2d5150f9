import CLibYAML
import Spans

/// Drives `yaml_parser_parse` and builds the node tree.
struct YAMLEventReader {
    /// A collection being built: its items (or pairs and a pending key) and what its start event said.
    private struct Frame {
        var isMapping: Bool
        var start: Int
        var startEventEnd: Int
        var tag: String?
        var anchor: String?
        var style: YAMLNode.Style
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLNode?
        /// This collection plus everything under it, aliases counted as what they stand for.
        var expandedCount = 1
    }

    private struct Anchored {
        var node: YAMLNode
        var expandedCount: Int
    }

    private var converter: MarkConverter
    private let aliasLimit: Int
    private let depthLimit: Int
    private var stack: [Frame] = []
    private var anchors: [String: Anchored] = [:]
    /// Anchors on collections still open: an alias to one would make the tree recursive.
    private var openAnchors: [String: Int] = [:]
    private var aliasExpanded = 0
    private var documents: [YAMLDocument] = []
    private var root: (node: YAMLNode, expanded: Int)?
    private var documentStart = 0
    private var documentExplicitStart = false
    private var documentVersion: String?
    /// Spans where a `#` is scalar content, not a comment (quoted scalars, block scalar bodies).
    private var scalarTextSpans: [ByteSpan] = []
    /// Keys written again in the same mapping (libyaml does not check), in the order the
    /// mappings close.
    private var duplicateKeys: [YAMLDuplicateKey] = []

    private init(converter: MarkConverter, aliasLimit: Int, depthLimit: Int) {
        self.converter = converter
        self.aliasLimit = aliasLimit
        self.depthLimit = depthLimit
    }

    static func read(_ bytes: [UInt8], aliasLimit: Int, depthLimit: Int) throws(YAMLError) -> YAMLStream {
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        let result: Result<YAMLStream, YAMLError> = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count > bom else {
                return .success(YAMLStream(documents: [], comments: [], hasByteOrderMark: bom > 0))
            }
            let input = base + bom
            var reader = YAMLEventReader(
                converter: MarkConverter(base: input, count: buffer.count - bom, origin: bom),
                aliasLimit: aliasLimit, depthLimit: depthLimit)
            do throws(YAMLError) {
                try reader.run(input: input, count: buffer.count - bom)
            } catch {
                return .failure(error)
            }
            let comments = scanComments(buffer, from: bom, skipping: reader.scalarTextSpans)
            var stream = YAMLStream(documents: reader.documents, comments: comments, hasByteOrderMark: bom > 0)
            stream.duplicateKeys = reader.duplicateKeys.sorted { $0.span.start < $1.span.start }
            return .success(stream)
        }
        return try result.get()
    }

    private mutating func run(input: UnsafePointer<UInt8>, count: Int) throws(YAMLError) {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw YAMLError(kind: .resource, span: .empty(at: converter.origin), problem: "could not start the YAML parser")
        }
        defer { yaml_parser_delete(parser) }
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, input, count)
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer { event.deallocate() }
        while true {
            guard yaml_parser_parse(parser, event) == 1 else {
                throw parserError(parser.pointee)
            }
            defer { yaml_event_delete(event) }
            if event.pointee.type == YAML_STREAM_END_EVENT { return }
            try handle(event.pointee)
        }
    }

    // MARK: Events

    private mutating func handle(_ event: yaml_event_t) throws(YAMLError) {
        switch event.type {
        case YAML_SCALAR_EVENT:
            let start = converter.offset(event.start_mark)
            let end = converter.offset(event.end_mark)
            let data = event.data.scalar
            let value: String
            if let pointer = data.value, data.length > 0 {
                value = String(decoding: UnsafeBufferPointer(start: pointer, count: Int(clamping: data.length)), as: UTF8.self)
            } else {
                value = ""
            }
            let style: YAMLNode.Style
            switch data.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            if style != .plain { recordScalarText(start: start, end: end, block: style == .literal || style == .folded) }
            let anchor = Self.string(data.anchor)
            let node = YAMLNode(
                span: ByteSpan(start, end), tag: Self.string(data.tag), anchor: anchor, style: style,
                content: .scalar(value))
            if let anchor { anchors[anchor] = Anchored(node: node, expandedCount: 1) }
            attach(node, expanded: 1)

        case YAML_ALIAS_EVENT:
            let start = converter.offset(event.start_mark)
            let end = converter.offset(event.end_mark)
            let name = Self.string(event.data.alias.anchor) ?? ""
            let span = ByteSpan(start, end)
            guard let target = anchors[name] else {
                if openAnchors[name, default: 0] > 0 {
                    throw YAMLError(
                        kind: .recursiveAlias, span: span,
                        problem: "found recursive alias *\(name) (it is inside the node &\(name) names)")
                }
                // The name is not shown: a value written unquoted after `*` (`*Summer2023`) is one.
                throw YAMLError(kind: .undefinedAlias, span: span, problem: "found an alias whose anchor is not defined (quote a value that starts with *)")
            }
            let (total, overflow) = aliasExpanded.addingReportingOverflow(target.expandedCount)
            guard !overflow, total <= aliasLimit else {
                throw YAMLError(
                    kind: .aliasLimit, span: span,
                    problem: "alias *\(name) expands the aliases past the limit of \(aliasLimit) nodes (an alias bomb, \"billion laughs\"?)")
            }
            aliasExpanded = total
            let node = YAMLNode(
                span: span, tag: nil, anchor: nil, style: .alias,
                content: .alias(name: name, target: target.node))
            attach(node, expanded: target.expandedCount)

        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            try pushFrame(
                event, isMapping: false, tag: Self.string(data.tag), anchor: Self.string(data.anchor),
                style: data.style == YAML_FLOW_SEQUENCE_STYLE ? .flow : .block)

        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            try pushFrame(
                event, isMapping: true, tag: Self.string(data.tag), anchor: Self.string(data.anchor),
                style: data.style == YAML_FLOW_MAPPING_STYLE ? .flow : .block)

        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let eventEnd = converter.offset(event.end_mark)
            guard let frame = stack.popLast() else { return }
            let end: Int
            if frame.style == .flow {
                end = eventEnd
            } else {
                let lastEnd = frame.isMapping ? frame.pairs.last?.value.span.end : frame.items.last?.span.end
                end = lastEnd ?? frame.startEventEnd
            }
            var pairs = frame.pairs
            if pairs.count > 1 { findDuplicateKeys(pairs) }
            if frame.isMapping, let key = frame.pendingKey {
                // libyaml always sends a value after a key; an empty (null) value keeps odd streams safe.
                let empty = YAMLNode(
                    span: .empty(at: key.span.end), tag: nil, anchor: nil, style: .plain, content: .scalar(""))
                pairs.append(YAMLPair(key: key, value: empty))
            }
            let node = YAMLNode(
                span: ByteSpan(frame.start, max(end, frame.start)), tag: frame.tag, anchor: frame.anchor,
                style: frame.style, content: frame.isMapping ? .mapping(pairs) : .sequence(frame.items))
            if let anchor = frame.anchor {
                openAnchors[anchor, default: 1] -= 1
                anchors[anchor] = Anchored(node: node, expandedCount: frame.expandedCount)
            }
            attach(node, expanded: frame.expandedCount)

        case YAML_DOCUMENT_START_EVENT:
            documentStart = converter.offset(event.start_mark)
            documentExplicitStart = event.data.document_start.implicit == 0
            if let version = event.data.document_start.version_directive {
                documentVersion = "\(version.pointee.major).\(version.pointee.minor)"
            } else {
                documentVersion = nil
            }
            anchors.removeAll(keepingCapacity: true)
            openAnchors.removeAll(keepingCapacity: true)
            root = nil

        case YAML_DOCUMENT_END_EVENT:
            let end = converter.offset(event.end_mark)
            let node = root?.node ?? YAMLNode(
                span: .empty(at: end), tag: nil, anchor: nil, style: .plain, content: .scalar(""))
            documents.append(
                YAMLDocument(
                    root: node, span: ByteSpan(documentStart, max(end, node.span.end)),
                    hasExplicitStart: documentExplicitStart,
                    hasExplicitEnd: event.data.document_end.implicit == 0, versionDirective: documentVersion))
            root = nil

        default:
            break
        }
    }

    private mutating func pushFrame(
        _ event: yaml_event_t, isMapping: Bool, tag: String?, anchor: String?, style: YAMLNode.Style
    ) throws(YAMLError) {
        let start = converter.offset(event.start_mark)
        guard stack.count < depthLimit else {
            // libyaml's scanner does work proportional to the flow depth for every token, and deep
            // trees make recursive consumers overflow their stacks: stop early instead.
            throw YAMLError(
                kind: .depthLimit, span: .empty(at: start),
                problem: "collections nest deeper than the limit of \(depthLimit) levels")
        }
        let startEventEnd = converter.offset(event.end_mark)
        if let anchor {
            // A redefined anchor hides the old node from here on; aliases inside this node are recursive.
            anchors[anchor] = nil
            openAnchors[anchor, default: 0] += 1
        }
        stack.append(
            Frame(isMapping: isMapping, start: start, startEventEnd: startEventEnd, tag: tag, anchor: anchor, style: style))
    }

    private mutating func attach(_ node: YAMLNode, expanded: Int) {
        guard !stack.isEmpty else {
            root = (node, expanded)
            return
        }
        let top = stack.count - 1
        stack[top].expandedCount &+= expanded
        if stack[top].isMapping {
            if let key = stack[top].pendingKey {
                stack[top].pairs.append(YAMLPair(key: key, value: node))
                stack[top].pendingKey = nil
            } else {
                stack[top].pendingKey = node
            }
        } else {
            stack[top].items.append(node)
        }
    }

    /// Scalar keys equal in text, tag and style class (plain, or quoted and block, so that
    /// `1` and `"1"`, a number and a string, stay apart; merge keys `<<` may repeat). Most
    /// mappings are small: their keys are compared pairwise, without building anything.
    private mutating func findDuplicateKeys(_ pairs: [YAMLPair]) {
        func sameKey(_ a: YAMLNode, _ b: YAMLNode) -> Bool {
            guard case .scalar(let x) = a.content, case .scalar(let y) = b.content else { return false }
            return (a.style == .plain) == (b.style == .plain) && x == y && a.tag == b.tag && !a.isMergeKey
        }
        guard pairs.count > 16 else {
            for i in 1..<pairs.count {
                if let earlier = pairs[..<i].first(where: { sameKey($0.key, pairs[i].key) }) {
                    duplicateKeys.append(YAMLDuplicateKey(span: pairs[i].key.span, first: earlier.key.span))
                }
            }
            return
        }
        var firstByText: [String: [Int]] = [:]
        for (i, pair) in pairs.enumerated() {
            guard case .scalar(let text) = pair.key.content else { continue }
            if let earlier = firstByText[text]?.first(where: { sameKey(pairs[$0].key, pair.key) }) {
                duplicateKeys.append(YAMLDuplicateKey(span: pair.key.span, first: pairs[earlier].key.span))
            } else {
                firstByText[text, default: []].append(i)
            }
        }
    }

    private mutating func recordScalarText(start: Int, end: Int, block: Bool) {
        guard block else {
            scalarTextSpans.append(ByteSpan(start, end))
            return
        }
        // A block scalar's header line (`| # note`) may carry a comment; its body cannot.
        var bodyStart = start - converter.origin
        while bodyStart < converter.count, converter.base[bodyStart] != 0x0A, converter.base[bodyStart] != 0x0D {
            bodyStart += 1
        }
        scalarTextSpans.append(ByteSpan(converter.origin + bodyStart, end))
    }

    // MARK: Errors

    private mutating func parserError(_ parser: yaml_parser_t) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = parser.context.map { String(cString: $0) }
        switch parser.error {
        case YAML_READER_ERROR:
            let offset = converter.origin + min(Int(clamping: parser.problem_offset), converter.count)
            return YAMLError(kind: .reader, span: .empty(at: offset), problem: problem)
        case YAML_SCANNER_ERROR, YAML_PARSER_ERROR:
            let kind: YAMLError.Kind = parser.error == YAML_SCANNER_ERROR ? .scanner : .parser
            var contextSpan: ByteSpan?
            if context != nil { contextSpan = .empty(at: converter.offset(parser.context_mark)) }
            let at = converter.offset(parser.problem_mark)
            return YAMLError(kind: kind, span: .empty(at: at), problem: problem, context: context, contextSpan: contextSpan)
        default:
            return YAMLError(
                kind: .resource, span: .empty(at: converter.origin), problem: "the YAML parser ran out of memory")
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
