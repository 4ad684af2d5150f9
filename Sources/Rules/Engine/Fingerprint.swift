import Spans

/// Fingerprints that survive unrelated edits and line moves (style.md §8): derived from the
/// rule, the path, the secret's name or a hash of the matched value, and the normalised
/// matched line — never from a line number.
public enum Fingerprint {
    public static func compute(finding: Finding, file: SourceFile) -> String {
        var hasher = SHA256()
        hasher.update(finding.code)
        hasher.update([0])
        hasher.update(finding.path)
        hasher.update([0])
        if let name = finding.secretName { hasher.update(name) }
        hasher.update([0])
        let matched = finding.secretSpan ?? finding.span
        hasher.update(SHA256.hex(file.bytes[clamp(matched, file)]))
        hasher.update([0])
        let line = file.lines.lineContentSpan(line: file.lines.lineNumber(at: finding.span.start) + 1)
        hasher.update(normalizedLine(file.bytes[clamp(line, file)]))
        return "sha256:" + hasher.finalizeHex()
    }

    private static func clamp(_ span: ByteSpan, _ file: SourceFile) -> Range<Int> {
        let lo = min(max(0, span.start), file.bytes.count)
        return lo..<min(max(lo, span.end), file.bytes.count)
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
