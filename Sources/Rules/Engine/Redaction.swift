import Patterns
import Spans
/// Redacted forms of secret values: kind and length only.
public enum Redaction {
    /// Whether text looks random enough to be a credential: letters and digits mixed, eight or
    /// more, entropy 3 or more, not a path (a word, a region such as `us-east-1`, a path is not).
    @inlinable
    public static func looksRandom<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        bytes.count >= 8 && bytes.contains { $0 >= 0x30 && $0 <= 0x39 } && bytes.contains { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
            && !bytes.contains(0x2F) && Entropy.shannon(bytes) >= 3.0
    }

    /// The runs of letters and digits in `window` of `bytes` that look random (``looksRandom``):
    /// a code frame hides them too, as a credential the detectors do not know may stand beside
    /// one they do (`# rotated from …`, `-u admin:…`).
    public static func randomLookingRuns(in bytes: [UInt8], window: ByteSpan) -> [ByteSpan] {
        var runs: [ByteSpan] = []
        var start = window.start
        func close(_ end: Int) {
            if end - start >= 8, looksRandom(bytes[start..<end]) { runs.append(ByteSpan(start, end)) }
        }
        for k in window.start..<min(window.end, bytes.count) {
            let c = bytes[k]
            let isAlphanumeric = (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A)
            if !isAlphanumeric {
                close(k)
                start = k + 1
            }
        }
        close(min(window.end, bytes.count))
        return runs
    }

    /// Whether `text` holds a random-looking run of letters and digits (``randomLookingRuns``):
    /// `pQ8xL2kT93hsZrW1` does, `etl-prod-2024` does not.
    public static func hasRandomLookingRun(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return !randomLookingRuns(in: bytes, window: ByteSpan(0, bytes.count)).isEmpty
    }

    /// `ghp_…(40 chars)` for values with a public, well-known prefix; `…(12 chars)` otherwise.
    /// `publicPrefix` must be a non-secret prefix declared by a detector (ghp_, xoxb-, …).
    public static func placeholder(for value: some Collection<UInt8>, publicPrefix: String? = nil) -> String {
        let count = String(decoding: Array(value), as: UTF8.self).unicodeScalars.count
        let prefix = publicPrefix.flatMap { p -> String? in
            let bytes = Array(p.utf8)
            return value.starts(with: bytes) && bytes.count < value.count / 2 ? p : nil
        } ?? ""
        return "\(prefix)…(\(count) chars)"
    }

    /// The prefix of a token-format value that is safe to show: the longest of its detector's
    /// keywords (the literal every such token starts with: `ghp_`, `glpat-`, `dckr_pat_`,
    /// `AIza`) that the value starts with, when the rest is long. Never more: the characters
    /// after a format's prefix are random (`glpat-Kq_…` would show three of them).
    public static func publicPrefix(of value: [UInt8], keywords: [String]) -> String? {
        var best = 0
        for keyword in keywords {
            let bytes = Array(keyword.utf8)
            guard bytes.count > best, bytes.count <= 12, value.count > bytes.count,
                zip(value, bytes).allSatisfy({ $0 | 0x20 == $1 | 0x20 })
            else { continue }
            best = bytes.count
        }
        guard best > 0, value.count - best >= 16 else { return nil }
        return String(decoding: value[0..<best], as: UTF8.self)
    }
}
