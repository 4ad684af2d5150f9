import Spans

/// Fingerprints that survive unrelated edits and line moves (style.md §8): derived from the
/// rule, the path, the secret's name and the normalised matched line, never from a line
/// number. Never from a value either, not even through a hash, because a short value could
/// be found again by hashing every candidate with the rest of the line, which the repository
/// shows: of a finding on a value only the line up to that value counts, with every value the
/// report hides masked, and a name the report hides is left out.
public enum Fingerprint {
    /// The fingerprint of a located finding. `masking` lists the spans of the values the
    /// report hides in `file`; `hiddenTexts` the texts it never prints (credential names).
    public static func compute(finding: Finding, file: SourceFile, masking hidden: [ByteSpan] = [], hiddenTexts: Set<String> = []) -> String {
        compute(finding: finding, file: file, masking: Masks(hidden), hiddenTexts: hiddenTexts)
    }

    /// The spans a file's fingerprints mask, sorted once for all of the file's findings: on a
    /// file with thousands of hidden values, each finding looks up only those on its line.
    public struct Masks: Sendable {
        let spans: [ByteSpan]
        /// The largest end among `spans[...k]`: a backward walk stops where no earlier span
        /// reaches the range.
        let reach: [Int]

        public init(_ spans: [ByteSpan]) {
            self.spans = spans.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
            var reach: [Int] = []
            reach.reserveCapacity(self.spans.count)
            for span in self.spans { reach.append(max(reach.last ?? .min, span.end)) }
            self.reach = reach
        }

        /// The spans that overlap `range`, by start.
        func overlapping(_ range: Range<Int>) -> [ByteSpan] {
            // The first span starting at or after the range's end; only those before it can overlap.
            var low = 0
            var high = spans.count
            while low < high {
                let mid = (low + high) / 2
                if spans[mid].start < range.upperBound { low = mid + 1 } else { high = mid }
            }
            var found: [ByteSpan] = []
            var k = low - 1
            while k >= 0, reach[k] > range.lowerBound {
                if spans[k].end > range.lowerBound { found.append(spans[k]) }
                k -= 1
            }
            return found.reversed()
        }
    }

    /// The fingerprint of a located finding, with the file's masks sorted beforehand.
    public static func compute(finding: Finding, file: SourceFile, masking hidden: Masks, hiddenTexts: Set<String> = []) -> String {
        var hasher = SHA256()
        hasher.update(finding.code)
        hasher.update([0])
        hasher.update(finding.path)
        hasher.update([0])
        if let name = finding.secretName, !hiddenTexts.contains(name) { hasher.update(name) }
        hasher.update([0])
        let lineNumber = file.lines.lineNumber(at: finding.span.start) + 1
        var line = clamp(file.lines.lineContentSpan(line: lineNumber), file)
        // Texts are masked by where values stand, never by searching for them: whether a
        // search hits would depend on the value (`postgres` inside `postgres_api_key`).
        if let secret = finding.secretSpan {
            // What follows the value may repeat it (a comment): it is left out. Lines that
            // differ only in their values share a fingerprint; a baseline counts them.
            line = line.lowerBound..<max(line.lowerBound, min(line.upperBound, secret.start))
            // On a long line (minified JSON) only the text just before the value: each of its
            // thousands of values would otherwise hash the whole line before it.
            line = max(line.lowerBound, line.upperBound - Self.maxHashedPrefix)..<line.upperBound
        } else {
            // The matched code, when the finding points at code rather than at a value.
            hasher.update(masked(clamp(finding.span, file), of: file, hidden))
        }
        hasher.update([0])
        hasher.update(normalizedLine(masked(line, of: file, hidden)[...]))
        return "sha256:" + hasher.finalizeHex()
    }

    /// How much of a line before a value a fingerprint hashes.
    static let maxHashedPrefix = 512

    private static func clamp(_ span: ByteSpan, _ file: SourceFile) -> Range<Int> {
        let lo = min(max(0, span.start), file.bytes.count)
        return lo..<min(max(lo, span.end), file.bytes.count)
    }

    /// The bytes of `range` with each masked run replaced by one NUL byte, which no text
    /// holds: neither a value nor its length reaches the hash.
    static func masked(_ range: Range<Int>, of file: SourceFile, _ masks: Masks) -> [UInt8] {
        let overlapping = masks.overlapping(range)
        guard !overlapping.isEmpty else { return Array(file.bytes[range]) }
        var out: [UInt8] = []
        var offset = range.lowerBound
        var inMask = false
        for mask in overlapping {
            if mask.start > offset {
                out += file.bytes[offset..<min(mask.start, range.upperBound)]
                offset = mask.start
                inMask = false
            }
            guard mask.end > offset else { continue }
            // One NUL for a run of masks, adjacent or overlapping.
            if !inMask { out.append(0) }
            inMask = true
            offset = min(mask.end, range.upperBound)
        }
        if offset < range.upperBound { out += file.bytes[offset..<range.upperBound] }
        return out
    }

    /// The line with runs of white space folded to one space and the ends trimmed, so that
    /// re-indenting a line keeps its fingerprint.
    static func normalizedLine(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var pendingSpace = false
        for byte in bytes {
            if byte == 0x20 || byte == 0x09 || byte == 0x0D {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return out
    }
}
