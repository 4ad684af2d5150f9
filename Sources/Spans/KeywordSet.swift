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

/// The test a ``KeywordSet`` makes before its automaton: a text that holds a keyword holds
/// every byte of it. One pass of independent loads (a bit per byte class, or-ed) settles most
/// short texts, such as names and small strings, several times faster than the automaton's
/// chain of dependent loads.
public struct KeywordPrefilter: Sendable {
    /// Byte → the bit of its class; none for bytes in no keyword.
    @usableFromInline let classBit: [UInt64]
    /// Each keyword's class bits, keeping only the sets that hold no other one.
    @usableFromInline let keywordSets: [UInt64]

    /// A filter that rules nothing out.
    public static let anything = KeywordPrefilter(classBit: [UInt64](repeating: 0, count: 256), keywordSets: [0])

    private init(classBit: [UInt64], keywordSets: [UInt64]) {
        self.classBit = classBit
        self.keywordSets = keywordSets
    }

    /// For lower-cased, non-empty `keywords` whose bytes have classes 1...64 in `classOf`.
    init(keywords: [[UInt8]], classOf: [UInt8]) {
        classBit = classOf.map { $0 == 0 ? 0 : 1 << UInt64($0 - 1) }
        // Smallest first: a set's subsets come before it, so it is kept only when no kept set
        // is inside it.
        let sets = Set(keywords.map { word in word.reduce(UInt64(0)) { $0 | 1 << UInt64(classOf[Int($1)] - 1) } })
            .sorted { ($0.nonzeroBitCount, $0) < ($1.nonzeroBitCount, $1) }
        var minimal: [UInt64] = []
        for set in sets where !minimal.contains(where: { $0 & set == $0 }) {
            minimal.append(set)
            // Past this many (thousands of secret values to hide) the test costs more than it
            // saves, and finding them all would cost the square of their number: none is made.
            if minimal.count > Self.maxSets {
                minimal = [0]
                break
            }
        }
        keywordSets = minimal.sorted()
    }

    /// The most keyword sets a filter tests.
    static let maxSets = 256

    /// False when no keyword can occur in `text`.
    @inlinable
    public func mayOccur(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        var present: UInt64 = 0
        classBit.withUnsafeBufferPointer { bits in
            for byte in text { present |= bits[Int(byte)] }
        }
        for set in keywordSets where present & set == set { return true }
        return false
    }
}

/// Aho–Corasick automaton over ASCII-case-folded bytes, built once and shared between threads.
///
/// The automaton is a dense DFA over byte classes: bytes that occur in no keyword share class 0
/// and an upper-case letter shares its lower-case letter's class, so the text is never lowercased
/// and a table row is a few dozen entries instead of 256 (the hot rows stay in L1). Every entry
/// holds the target row's offset shifted left by one with a "has output" flag in bit 0, so the
/// inner loop is two loads, a shift and a test per byte, with no allocation.
public struct KeywordSet: Sendable {
    /// The keywords, ASCII-lowercased, in id order.
    public let keywords: [String]
    /// Byte → class.
    private let classOf: [UInt8]
    private let classCount: Int
    /// transitions[state * classCount + class] = (target * classCount) << 1 | hasOutput
    private let transitions: [Int32]
    /// outputs[outputStart[s] ..< outputStart[s + 1]] are the keyword ids ending at state s.
    private let outputStart: [Int32]
    private let outputs: [Int32]
    private let maxKeywordLength: Int
    /// The cheap test before the automaton (``mayOccur(in:)``).
    public let prefilter: KeywordPrefilter

    /// Number of keywords (ids are 0..<count).
    public var count: Int { keywords.count }

    /// Builds the automaton; empty keywords are kept as ids but never reported.
    public init(_ keywords: [String]) {
        let lowered = keywords.map { Self.lower(Array($0.utf8)) }
        self.keywords = lowered.map { String(decoding: $0, as: UTF8.self) }
        // Byte classes.
        var classOf = [UInt8](repeating: 0, count: 256)
        var classCount = 1
        for word in lowered {
            for b in word where classOf[Int(b)] == 0 && classCount < 255 {
                classOf[Int(b)] = UInt8(classCount)
                classCount += 1
            }
        }
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { classOf[Int(b)] = classOf[Int(b | 0x20)] }
        let c = classCount
        // Trie with dense children; -1 = no child.
        var next: [Int32] = [Int32](repeating: -1, count: c)
        var out: [[Int32]] = [[]]
        for (id, word) in lowered.enumerated() where !word.isEmpty {
            var s = 0
            for b in word {
                let slot = s * c + Int(classOf[Int(b)])
                if next[slot] < 0 {
                    next[slot] = Int32(out.count)
                    out.append([])
                    next.append(contentsOf: repeatElement(-1, count: c))
                }
                s = Int(next[slot])
            }
            out[s].append(Int32(id))
        }
        let stateCount = out.count
        // BFS: fill missing transitions from the failure state (the classic DFA construction).
        // Class 0 never starts or continues a keyword, so it always returns to the root.
        var fail = [Int](repeating: 0, count: stateCount)
        var queue: [Int] = []
        for k in 0..<c {
            let t = next[k]
            if t < 0 { next[k] = 0 } else { fail[Int(t)] = 0; queue.append(Int(t)) }
        }
        var head = 0
        while head < queue.count {
            let s = queue[head]; head += 1
            out[s].append(contentsOf: out[fail[s]])
            for k in 0..<c {
                let slot = s * c + k
                let t = next[slot]
                if t < 0 {
                    next[slot] = next[fail[s] * c + k]
                } else {
                    fail[Int(t)] = Int(next[fail[s] * c + k])
                    queue.append(Int(t))
                }
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
            return Int32(target * c) << 1 | flag
        }
        self.classOf = classOf
        self.classCount = c
        outputStart = starts
        outputs = flat
        maxKeywordLength = max(1, lowered.map(\.count).max() ?? 1)
        prefilter = c <= 65 ? KeywordPrefilter(keywords: lowered.filter { !$0.isEmpty }, classOf: classOf) : .anything
    }

    /// False when no keyword can occur in `text` (``KeywordPrefilter``); true does not mean
    /// that one does: ``scan(_:onHit:)`` decides.
    @inlinable
    public func mayOccur(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        prefilter.mayOccur(in: text)
    }

    /// Whether any keyword occurs in `text`.
    public func occurs(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard mayOccur(in: text) else { return false }
        var found = false
        scan(text) { _, _ in found = true }
        return found
    }

    /// `bytes` with ASCII upper-case letters lower-cased, as the automaton matches them.
    public static func lower(_ bytes: [UInt8]) -> [UInt8] {
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
        let c = classCount
        transitions.withUnsafeBufferPointer { table in
            classOf.withUnsafeBufferPointer { classes in
                guard let t = table.baseAddress, let cls = classes.baseAddress else { return }
                // The loop is bound by the latency of one dependent load per byte, so large
                // texts run two automata at once over two halves: the second starts `overlap`
                // bytes early (so it is in the right state at the midpoint) and only reports
                // hits ending after the midpoint; its hits are buffered to keep text order.
                let overlap = maxKeywordLength - 1
                guard n >= 4096, overlap < n / 4 else {
                    run(t, cls, base, 0..<n, reportAfter: 0, onHit)
                    return
                }
                let mid = n / 2
                var a = 0, b = 0
                var i = 0
                var j = mid - overlap
                var later: [(Int32, Int)] = []
                while i < mid {
                    let va = t[a &+ Int(cls[Int(base[i])])]
                    let vb = t[b &+ Int(cls[Int(base[j])])]
                    i &+= 1
                    j &+= 1
                    a = Int(va >> 1)
                    b = Int(vb >> 1)
                    if (va | vb) & 1 != 0 {
                        if va & 1 != 0 {
                            let s = a / c
                            for k in Int(outputStart[s])..<Int(outputStart[s + 1]) { onHit(Int(outputs[k]), i) }
                        }
                        if vb & 1 != 0, j > mid {
                            let s = b / c
                            for k in Int(outputStart[s])..<Int(outputStart[s + 1]) { later.append((outputs[k], j)) }
                        }
                    }
                }
                for (id, end) in later { onHit(Int(id), end) }
                // The second automaton stopped at mid + (mid - overlap); finish the tail.
                run(t, cls, base, j..<n, startOffset: b, reportAfter: 0, onHit)
            }
        }
    }

    @inline(__always)
    private func run(
        _ t: UnsafePointer<Int32>, _ cls: UnsafePointer<UInt8>, _ base: UnsafePointer<UInt8>,
        _ range: Range<Int>, startOffset: Int = 0, reportAfter: Int, _ onHit: (Int, Int) -> Void
    ) {
        let c = classCount
        var offset = startOffset
        var i = range.lowerBound
        let n = range.upperBound
        while i < n {
            let v = t[offset &+ Int(cls[Int(base[i])])]
            i &+= 1
            offset = Int(v >> 1)
            if v & 1 != 0, i > reportAfter {
                let s = offset / c
                for k in Int(outputStart[s])..<Int(outputStart[s + 1]) { onHit(Int(outputs[k]), i) }
            }
        }
    }
}
