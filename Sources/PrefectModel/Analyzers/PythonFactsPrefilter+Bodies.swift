#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PythonSource
import Spans

extension PythonFactsPrefilter {
    /// Where facts can start in a file that does get the shallow parse, so that the parser can
    /// step over the function bodies and statements in them that hold none
    /// (``PythonModule/parse(tokens:of:needed:)``). In a file that imports Prefect, most of
    /// the code in functions is ordinary: only statements that name a Prefect component, a
    /// secret key with a literal value, `os.environ`, the Cloud secret API, a flow's storage or
    /// run config, call `get`/`run` on a variable such a statement assigned, or import (which
    /// changes what later names resolve to) are parsed.
    ///
    /// Like ``need(_:tokens:)`` this is a superset of what ``PythonFlowFactsBuilder`` reads,
    /// held to it by `PythonAnalyzerFastPathTests` and `bench/prefilter-equivalence.sh`: a
    /// builder change that reads a new name in function bodies must add it here.
    struct FactOffsets {
        /// Sorted byte offsets of the tokens facts can start from.
        let offsets: [Int]

        /// Whether a token a fact can start from lies in `span`.
        func intersects(_ span: ByteSpan) -> Bool {
            var low = 0
            var high = offsets.count
            while low < high {
                let mid = (low + high) / 2
                if offsets[mid] < span.start { low = mid + 1 } else { high = mid }
            }
            return low < offsets.count && offsets[low] < span.end
        }
    }

    /// Names the builder acts on wherever they stand, whatever they resolve to: the Prefect
    /// classes and functions it knows, `os.environ`, the Cloud secret API and `import`; and
    /// as prefixes, the `prefect.tasks` family modules (`aws`, `azureml`): a dotted path
    /// through one can reach a task that reads a secret.
    static let componentNames: NameTable = {
        var names = ["Flow", "Secret", "PrefectSecret", "EnvVarSecret", "Client", "Parameter", "environ", "set_secret", "delete_secret", "import"]
        names += PrefectComponents.storage.keys
        names += PrefectComponents.results.keys
        names += PrefectComponents.runConfigs
        names += PrefectComponents.namedTaskSecrets.keys
        return NameTable(exact: names.map { Array($0.utf8) }, prefixes: PrefectComponents.taskFamilies.map { Array($0.utf8) })
    }()

    /// `flow.storage = …`, `flow.run_config = …`: attributes the builder reads on flow variables.
    static let flowAttributes = NameTable(exact: [Array("storage".utf8), Array("run_config".utf8)])

    static func factOffsets(_ bytes: [UInt8], tokens: [PythonToken]) -> FactOffsets {
        let reader = KeyReader(bytes: bytes, tokens: tokens)
        let aliases = NameTable(exact: importAliases(reader))
        var offsets: [Int] = []
        // `s = Secret("X")` … `s.get()`: the builder joins the two statements.
        var assignedByFacts: Set<[UInt8]> = []
        var statementStart = 0
        bytes.withUnsafeBufferPointer { buffer in
            func found(_ i: Int) {
                offsets.append(tokens[i].span.start)
                if tokens[statementStart].kind == .name, statementStart < i {
                    let after = reader.next(statementStart)
                    if after < tokens.count, reader.isOp(after, "=") || reader.isOp(after, ":") {
                        assignedByFacts.insert(Array(buffer[tokens[statementStart].span.range]))
                    }
                }
            }
            for i in tokens.indices {
                let span = tokens[i].span
                switch tokens[i].kind {
                case .newline, .indent, .dedent:
                    statementStart = i + 1
                    continue
                case .op where span.length == 1 && buffer[span.start] == 0x3B:  // ;
                    statementStart = i + 1
                    continue
                case .comment, .nl:
                    if statementStart == i { statementStart = i + 1 }
                    continue
                default: break
                }
                guard span.end <= buffer.count, !span.isEmpty else { continue }
                let text = UnsafeBufferPointer(rebasing: buffer[span.range])
                switch tokens[i].kind {
                case .name:
                    if componentNames.matches(text) || aliases.matches(text) || isFlowAttributeAssignment(reader, i, text)
                        || (!assignedByFacts.isEmpty && isMethodOnVariable(reader, i, text, assignedByFacts))
                    {
                        found(i)
                        continue
                    }
                    guard span.length >= 3, reader.mayBeKey(i) else { continue }
                case .string:
                    guard reader.mayBeStringKey(i) else { continue }
                case .fstringMiddle:
                    break
                default:
                    continue
                }
                var namesSecret = false
                words.scan(text) { id, _ in
                    if id > 0, id < firstGraphQLWord { namesSecret = true }
                }
                if namesSecret, reader.isKeyWithLiteralValue(at: i) { found(i) }
            }
        }
        return FactOffsets(offsets: offsets)
    }

    static func isFlowAttributeAssignment(_ reader: KeyReader, _ index: Int, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard flowAttributes.matches(text), let before = reader.previous(index), reader.isOp(before, ".") else { return false }
        let after = reader.next(index)
        return after < reader.tokens.count && (reader.isOp(after, "=") || reader.isOp(after, ","))
    }

    /// `v.get` or `v.run` on a variable `v` that a statement with a fact assigned.
    static func isMethodOnVariable(_ reader: KeyReader, _ index: Int, _ text: UnsafeBufferPointer<UInt8>, _ variables: Set<[UInt8]>) -> Bool {
        guard methodNames.matches(text), let dot = reader.previous(index), reader.isOp(dot, "."),
            let variable = reader.previous(dot), reader.tokens[variable].kind == .name
        else { return false }
        if let before = reader.previous(variable), reader.isOp(before, ".") { return false }
        return variables.contains(Array(reader.bytes[reader.tokens[variable].span.range]))
    }

    static let methodNames = NameTable(exact: [Array("get".utf8), Array("run".utf8)])

    /// Names bound by imports to something the builder acts on: `X as Y` for a component or
    /// task-family `X`, and every name imported from a `prefect.tasks` family module.
    static func importAliases(_ reader: KeyReader) -> [[UInt8]] {
        let tokens = reader.tokens
        var aliases: [[UInt8]] = []
        func bytes(_ index: Int) -> [UInt8] { Array(reader.bytes[tokens[index].span.range]) }
        func isRelevant(_ index: Int) -> Bool {
            reader.bytes.withUnsafeBufferPointer { buffer in
                let text = UnsafeBufferPointer(rebasing: buffer[tokens[index].span.range])
                return componentNames.matches(text)
            }
        }
        var i = 0
        while i < tokens.count {
            defer { i += 1 }
            guard tokens[i].kind == .name else { continue }
            if reader.isText(i, "as"), let before = reader.previous(i), tokens[before].kind == .name, isRelevant(before) {
                let after = reader.next(i)
                if after < tokens.count, tokens[after].kind == .name { aliases.append(bytes(after)) }
            } else if reader.isText(i, "from") {
                // `from prefect.tasks.aws[.x] import A, B as C`: A, B and C name family tasks.
                var k = reader.next(i)
                var path: [UInt8] = []
                while k < tokens.count, tokens[k].kind == .name || reader.isOp(k, ".") {
                    if reader.isText(k, "import") { break }
                    path += bytes(k)
                    k = reader.next(k)
                }
                guard k < tokens.count, reader.isText(k, "import"), isFamilyModule(path) else { continue }
                k = reader.next(k)
                while k < tokens.count, tokens[k].kind != .newline, tokens[k].kind != .endMarker {
                    if tokens[k].kind == .name, !reader.isText(k, "as") { aliases.append(bytes(k)) }
                    k = reader.next(k)
                }
                i = k - 1
            }
        }
        return aliases
    }

    /// `prefect.tasks.<family>…` as written after `from`.
    static func isFamilyModule(_ path: [UInt8]) -> Bool {
        let prefix = Array("prefect.tasks.".utf8)
        guard path.count > prefix.count, path.starts(with: prefix) else { return false }
        let rest = path[prefix.count...]
        return PrefectComponents.taskFamilies.contains { rest.starts(with: $0.utf8) }
    }
}

/// A small set of case-sensitive names and name prefixes, asked about every name token of a
/// file: one flat table by first byte, compared with `memcmp`, no hashing or allocation.
struct NameTable: Sendable {
    private struct Entry {
        var start: Int
        var length: Int
        var isPrefix: Bool
    }
    private var storage: [UInt8] = []
    /// Entries sorted by first byte; those starting with byte `b` are `entries[firstEntry[b]..<firstEntry[b + 1]]`.
    private var entries: [Entry] = []
    private var firstEntry = [Int](repeating: 0, count: 257)

    init(exact: [[UInt8]], prefixes: [[UInt8]] = []) {
        let all = (exact.map { ($0, false) } + prefixes.map { ($0, true) }).filter { !$0.0.isEmpty }.sorted { $0.0[0] < $1.0[0] }
        for (name, isPrefix) in all {
            entries.append(Entry(start: storage.count, length: name.count, isPrefix: isPrefix))
            storage += name
        }
        var k = 0
        for byte in 0...256 {
            while k < all.count, Int(all[k].0[0]) < byte { k += 1 }
            firstEntry[byte] = k
        }
    }

    /// Whether `text` is one of the names or starts with one of the prefixes.
    func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = text.first, let textBase = text.baseAddress else { return false }
        let range = firstEntry[Int(first)]..<firstEntry[Int(first) + 1]
        guard !range.isEmpty else { return false }
        return storage.withUnsafeBufferPointer { names in
            guard let base = names.baseAddress else { return false }
            for k in range {
                let entry = entries[k]
                guard entry.isPrefix ? entry.length <= text.count : entry.length == text.count else { continue }
                if memcmp(base + entry.start, textBase, entry.length) == 0 { return true }
            }
            return false
        }
    }
}
