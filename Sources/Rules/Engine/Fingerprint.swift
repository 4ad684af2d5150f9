import Spans

/// Fingerprints that survive unrelated edits and line moves (style.md §8): derived from the
/// rule, the path, the secret's name and the normalised matched line, never from a line
/// number. Never from a value either, not even through a hash: the secret's span and every
/// value the report hides are masked first, because a short value could be found again by
/// hashing every candidate with the rest of the line, which the repository shows.
public enum Fingerprint {
    /// The fingerprint of a located finding; `masking` lists the spans of the values the
    /// report hides in `file` (the finding's own secret span is always masked).
    public static func compute(finding: Finding, file: SourceFile, masking hidden: [ByteSpan] = []) -> String {
        let masks = hidden + (finding.secretSpan.map { [$0] } ?? [])
        var hasher = SHA256()
        hasher.update(finding.code)
        hasher.update([0])
        hasher.update(finding.path)
        hasher.update([0])
        if let name = finding.secretName { hasher.update(name) }
        hasher.update([0])
        // The matched code, when the finding points at code rather than at a value.
        if finding.secretSpan == nil { hasher.update(masked(clamp(finding.span, file), of: file, masks)) }
        hasher.update([0])
        let line = file.lines.lineContentSpan(line: file.lines.lineNumber(at: finding.span.start) + 1)
        hasher.update(normalizedLine(masked(clamp(line, file), of: file, masks)[...]))
        return "sha256:" + hasher.finalizeHex()
    }

    private static func clamp(_ span: ByteSpan, _ file: SourceFile) -> Range<Int> {
        let lo = min(max(0, span.start), file.bytes.count)
        return lo..<min(max(lo, span.end), file.bytes.count)
    }

    /// The bytes of `range` with each masked run replaced by one NUL byte, which no text
    /// holds: neither a value nor its length reaches the hash. A masked value written again
    /// elsewhere in the range (a comment repeating it) is masked there too.
    static func masked(_ range: Range<Int>, of file: SourceFile, _ masks: [ByteSpan]) -> [UInt8] {
        let bytes = file.bytes
        let values = Set(masks.lazy.filter { $0.start < $0.end && $0.end <= bytes.count }.map { Array(bytes[$0.range]) })
        guard !values.isEmpty, !range.isEmpty else { return Array(bytes[range]) }
        var hidden = [Bool](repeating: false, count: range.count)
        for mask in masks {
            for offset in max(mask.start, range.lowerBound)..<max(max(mask.start, range.lowerBound), min(mask.end, range.upperBound)) {
                hidden[offset - range.lowerBound] = true
            }
        }
        for value in values where value.count <= range.count {
            for start in range.lowerBound...(range.upperBound - value.count) where bytes[start..<(start + value.count)].elementsEqual(value) {
                for offset in start..<(start + value.count) { hidden[offset - range.lowerBound] = true }
            }
        }
        var out: [UInt8] = []
        for (index, offset) in range.enumerated() {
            if !hidden[index] {
                out.append(bytes[offset])
            } else if index == 0 || !hidden[index - 1] {
                out.append(0)
            }
        }
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
