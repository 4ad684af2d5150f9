/// File path text, read without building its parts.
public enum PathText {
    /// What `path.split(separator: "/").last` gives (the last non-empty component, nil for a
    /// path of slashes only), found from the end: analyzers ask this of every file and
    /// manifest, and splitting the whole path builds an array to read one element.
    public static func lastComponent(of path: String) -> Substring? {
        let utf8 = path.utf8
        // A combining mark after `/` makes one character that `split` does not split at.
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return path.split(separator: "/").last }
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == 0x2F { end = utf8.index(before: end) }
        guard end > utf8.startIndex else { return nil }
        var start = end
        while start > utf8.startIndex, utf8[utf8.index(before: start)] != 0x2F { start = utf8.index(before: start) }
        return path[start..<end]
    }
}
