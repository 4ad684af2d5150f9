/// Glob patterns for paths relative to the scanned root: `*` and `?` within one path
/// segment, `**` across segments, a trailing `/` for a whole directory, and a pattern with
/// no `/` matching the file name at any depth (as in .gitignore).
struct PathGlob: Sendable, Hashable {
    let pattern: String
    private let segments: [Substring]
    private let anyDepth: Bool

    init(_ pattern: String) {
        var p = pattern
        if p.hasPrefix("./") { p.removeFirst(2) }
        if p.hasSuffix("/") { p += "**" }
        self.pattern = pattern
        self.anyDepth = !p.contains("/")
        self.segments = p.split(separator: "/", omittingEmptySubsequences: true)
    }

    func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if anyDepth {
            // A bare name matches that name at any depth, and everything below a directory of that name.
            return parts.contains { Self.matchSegment(Array(segments.first ?? ""), Array($0)) }
        }
        return Self.match(segments[...], parts[...])
    }

    private static func match(_ pattern: ArraySlice<Substring>, _ path: ArraySlice<Substring>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            if rest.isEmpty { return true }
            var tail = path
            while true {
                if match(rest, tail) { return true }
                guard !tail.isEmpty else { return false }
                tail = tail.dropFirst()
            }
        }
        guard let segment = path.first, matchSegment(Array(first), Array(segment)) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    /// `*` and `?` inside one segment (iterative, with backtracking to the last `*`).
    private static func matchSegment(_ pattern: [Character], _ text: [Character]) -> Bool {
        var p = 0
        var t = 0
        var star = -1
        var mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                mark = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
