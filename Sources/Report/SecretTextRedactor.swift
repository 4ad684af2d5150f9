import Spans

/// Replaces known credential texts in rendered output by their placeholders, in one pass.
public struct SecretTextRedactor: Sendable {
    private let texts: [[UInt8]]
    private let placeholders: [String]
    private let keywords: KeywordSet?

    /// `secrets`: each credential text with its placeholder.
    public init(_ secrets: [String: String]) {
        // Short texts would hide ordinary words; credentials are longer than this. Each text
        // is looked for also as the formats escape it (JSON and SARIF, JUnit's XML, GitHub's
        // workflow commands): `&`, `"`, `%` or `\` in a value would otherwise hide it.
        var variants = secrets
        for (text, placeholder) in secrets {
            let quoted = JSONWriter.quote(text)
            for escaped in [String(quoted.dropFirst().dropLast()), JUnitReporter.escape(text), GitHubReporter.escapeData(text), GitHubReporter.escapeProperty(text)]
            where escaped != text && variants[escaped] == nil {
                variants[escaped] = placeholder
            }
        }
        let kept = variants.filter { $0.key.utf8.count >= 8 }.sorted { $0.key < $1.key }
        texts = kept.map { Array($0.key.utf8) }
        placeholders = kept.map(\.value)
        keywords = kept.isEmpty ? nil : KeywordSet(kept.map(\.key))
    }

    /// Where the known texts stand in `bytes` (a source file): a code frame hides them there,
    /// also where it shows only part of one (a long line cut at the frame's edge).
    public func spans(in bytes: [UInt8]) -> [ByteSpan] {
        guard let keywords else { return [] }
        var spans: [ByteSpan] = []
        bytes.withUnsafeBufferPointer { buffer in
            keywords.scan(buffer) { id, end in
                let start = end - texts[id].count
                guard start >= 0, buffer[start..<end].elementsEqual(texts[id]) else { return }
                spans.append(ByteSpan(start, end))
            }
        }
        return spans
    }

    /// `output` with each known text replaced by its placeholder.
    public func redact(_ output: String) -> String {
        guard let keywords else { return output }
        let bytes = Array(output.utf8)
        // Hits end in text order; the keyword set folds ASCII case, so each is checked exactly.
        var hits: [(range: Range<Int>, id: Int)] = []
        bytes.withUnsafeBufferPointer { buffer in
            keywords.scan(buffer) { id, end in
                let start = end - texts[id].count
                guard start >= 0, buffer[start..<end].elementsEqual(texts[id]) else { return }
                hits.append((start..<end, id))
            }
        }
        guard !hits.isEmpty else { return output }
        // The longest of overlapping hits wins.
        hits.sort { $0.range.lowerBound != $1.range.lowerBound ? $0.range.lowerBound < $1.range.lowerBound : $0.range.count > $1.range.count }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var position = 0
        for hit in hits where hit.range.lowerBound >= position {
            out += bytes[position..<hit.range.lowerBound]
            out += Array(placeholders[hit.id].utf8)
            position = hit.range.upperBound
        }
        out += bytes[position...]
        return String(decoding: out, as: UTF8.self)
    }
}
