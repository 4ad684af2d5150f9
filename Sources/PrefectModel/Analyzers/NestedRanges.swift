/// Ranges that nest or lie apart, such as the bodies of a module's loops or functions, each
/// with the innermost range around it: the ranges around a position are found by bisection
/// and a walk outwards, so that asking for every read of a large module stays linear.
struct NestedRanges {
    private let ranges: [Range<Int>]
    /// Indices into `ranges`, by where each starts.
    private let order: [Int]
    /// For each position in `order`, the position of the innermost range around it.
    private let parents: [Int?]

    init(_ ranges: [Range<Int>]) {
        self.ranges = ranges
        let order = ranges.indices.sorted { ranges[$0].lowerBound < ranges[$1].lowerBound }
        var parents: [Int?] = []
        var open: [Int] = []
        for position in order.indices {
            let range = ranges[order[position]]
            while let last = open.last, !Self.range(ranges[order[last]], holds: range) { open.removeLast() }
            parents.append(open.last)
            open.append(position)
        }
        self.order = order
        self.parents = parents
    }

    /// The indices of the ranges that hold `range`, innermost first.
    func around(_ range: Range<Int>) -> [Int] {
        // The last range starting at or before `range`: those around it are it or enclose it.
        var low = 0
        var high = order.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[order[mid]].lowerBound <= range.lowerBound { low = mid + 1 } else { high = mid }
        }
        var found: [Int] = []
        var candidate = low > 0 ? low - 1 : nil
        while let position = candidate {
            if Self.range(ranges[order[position]], holds: range) { found.append(order[position]) }
            candidate = parents[position]
        }
        return found
    }

    private static func range(_ outer: Range<Int>, holds inner: Range<Int>) -> Bool {
        outer.lowerBound <= inner.lowerBound && inner.upperBound <= outer.upperBound
    }
}
