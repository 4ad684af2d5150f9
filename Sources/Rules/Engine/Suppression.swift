import Spans

/// Inline suppressions: `# prefect-secrets: ignore` or `# prefect-secrets: ignore[PS101,plaintext-credential]`
/// on the finding's line or the line above.
public struct Suppressions: Sendable {
    /// 1-based line → the rules it silences (empty set = all rules).
    private var byLine: [Int: Set<String>] = [:]

    static let marker = Array("prefect-secrets: ignore".utf8)

    public init(file: SourceFile) {
        let bytes = file.bytes
        guard bytes.count >= Self.marker.count else { return }
        var searchFrom = 0
        while searchFrom <= bytes.count, let found = ByteSearch.firstIndex(of: Self.marker, in: bytes, range: searchFrom..<bytes.count) {
            let line = file.lines.lineNumber(at: found) + 1
            var i = found + Self.marker.count
            var codes = Set<String>()
            if i < bytes.count, bytes[i] == UInt8(ascii: "[") {
                i += 1
                var current: [UInt8] = []
                while i < bytes.count, bytes[i] != UInt8(ascii: "]"), bytes[i] != 0x0A {
                    if bytes[i] == UInt8(ascii: ",") {
                        codes.insert(Self.normalize(current))
                        current = []
                    } else if bytes[i] != 0x20 {
                        current.append(bytes[i])
                    }
                    i += 1
                }
                codes.insert(Self.normalize(current))
                codes.remove("")
            }
            byLine[line, default: []].formUnion(codes)
            if codes.isEmpty { byLine[line] = [] }
            searchFrom = found + Self.marker.count
        }
    }

    private static func normalize(_ bytes: [UInt8]) -> String {
        let s = String(decoding: bytes, as: UTF8.self)
        return s.hasPrefix("PS") || s.hasPrefix("ps") ? s.uppercased() : s
    }

    /// True when a suppression on `line` or the line above covers the rule.
    public func suppresses(code: String, name: String, line: Int) -> Bool {
        for l in [line, line - 1] {
            if let codes = byLine[l], codes.isEmpty || codes.contains(code) || codes.contains(name) {
                return true
            }
        }
        return false
    }
}
