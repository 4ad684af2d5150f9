/// A set of keyword ids found in a text, as a bitset.
public struct KeywordBitset: Sendable, Hashable {
    var words: [UInt64]

    /// An empty set with room for `count` ids.
    public init(count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }

    /// Whether keyword `id` is present.
    public func contains(_ id: Int) -> Bool {
        id >= 0 && id / 64 < words.count && words[id / 64] & (1 << UInt64(id % 64)) != 0
    }

    /// Marks keyword `id` present.
    public mutating func insert(_ id: Int) {
        guard id >= 0, id / 64 < words.count else { return }
        words[id / 64] |= 1 << UInt64(id % 64)
    }

    /// Whether no keyword is present.
    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// The present ids, ascending.
    public var ids: [Int] {
        var result: [Int] = []
        for (w, word) in words.enumerated() where word != 0 {
            for b in 0..<64 where word & (1 << UInt64(b)) != 0 { result.append(w * 64 + b) }
        }
        return result
    }
}

/// Aho–Corasick automaton over ASCII-case-folded bytes, built once and shared between threads.
///
/// The transition table is dense (256 entries per state) and every entry already holds the
/// target's table offset with a "has output" flag in bit 0, so the inner loop is one load, one
/// mask and one test per byte, with no allocation. Upper-case ASCII bytes share the transitions
/// of their lower-case letter, so the text is never lowercased.
public struct KeywordSet: Sendable {
    /// The keywords, ASCII-lowercased, in id order.
    public let keywords: [String]
    /// transitions[state << 8 | byte] = target << 8 | hasOutput
    private let transitions: [Int32]
    /// outputs[outputStart[s] ..< outputStart[s + 1]] are the keyword ids ending at state s.
    private let outputStart: [Int32]
    private let outputs: [Int32]

    /// Number of keywords (ids are 0..<count).
    public var count: Int { keywords.count }

    /// Builds the automaton; empty keywords are kept as ids but never reported.
    public init(_ keywords: [String]) {
        let lowered = keywords.map { Self.lower(Array($0.utf8)) }
        self.keywords = lowered.map { String(decoding: $0, as: UTF8.self) }
        // Trie with dense children; -1 = no child.
        var next: [Int32] = [Int32](repeating: -1, count: 256)
        var out: [[Int32]] = [[]]
        for (id, word) in lowered.enumerated() where !word.isEmpty {
            var s = 0
            for b in word {
                let slot = s << 8 | Int(b)
                if next[slot] < 0 {
                    next[slot] = Int32(out.count)
                    out.append([])
                    next.append(contentsOf: repeatElement(-1, count: 256))
                }
                s = Int(next[slot])
            }
            out[s].append(Int32(id))
        }
        let stateCount = out.count
        // BFS: fill missing transitions from the failure state (the classic DFA construction).
        var fail = [Int](repeating: 0, count: stateCount)
        var queue: [Int] = []
        for b in 0..<256 {
            let t = next[b]
            if t < 0 { next[b] = 0 } else { fail[Int(t)] = 0; queue.append(Int(t)) }
        }
        var head = 0
        while head < queue.count {
            let s = queue[head]; head += 1
            out[s].append(contentsOf: out[fail[s]])
            for b in 0..<256 {
                let slot = s << 8 | b
                let t = next[slot]
                if t < 0 {
                    next[slot] = next[fail[s] << 8 | b]
                } else {
                    fail[Int(t)] = Int(next[fail[s] << 8 | b])
                    queue.append(Int(t))
                }
            }
        }
        // Fold case: an upper-case byte goes where its lower-case letter goes.
        for s in 0..<stateCount {
            for b in UInt8(ascii: "A")...UInt8(ascii: "Z") {
                next[s << 8 | Int(b)] = next[s << 8 | Int(b | 0x20)]
            }
        }
        var starts: [Int32] = [0]
        var flat: [Int32] = []
        for s in 0..<stateCount {
            flat.append(contentsOf: Set(out[s]).sorted())
            starts.append(Int32(flat.count))
        }
        transitions = next.map { t in
            let target = Int(t)
            let flag: Int32 = starts[target + 1] > starts[target] ? 1 : 0
            return Int32(target << 8) | flag
        }
        outputStart = starts
        outputs = flat
    }

    static func lower(_ bytes: [UInt8]) -> [UInt8] {
        bytes.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
    }

    /// The ids of the keywords that occur in `bytes`.
    public func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> KeywordBitset {
        var found = KeywordBitset(count: count)
        scan(bytes) { id, _ in found.insert(id) }
        return found
    }

    /// The ids of the keywords that occur in `bytes`.
    public func scan(_ bytes: [UInt8]) -> KeywordBitset {
        bytes.withUnsafeBufferPointer { scan($0) }
    }

    /// Calls `onHit(keywordId, endOffset)` for every occurrence (end offset exclusive), in text order.
    public func scan(_ bytes: UnsafeBufferPointer<UInt8>, onHit: (Int, Int) -> Void) {
        guard !outputs.isEmpty, let base = bytes.baseAddress else { return }
        let n = bytes.count
        transitions.withUnsafeBufferPointer { table in
            guard let t = table.baseAddress else { return }
            var v: Int32 = 0
            var i = 0
            while i < n {
                v = t[Int(v & ~0xFF) | Int(base[i])]
                i &+= 1
                if v & 1 != 0 {
                    let s = Int(v >> 8)
                    for k in Int(outputStart[s])..<Int(outputStart[s + 1]) { onHit(Int(outputs[k]), i) }
                }
            }
        }
    }
}
