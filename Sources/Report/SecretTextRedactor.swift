import Rules
import Spans

/// Replaces known credential texts in rendered output by their placeholders, in one pass.
public struct SecretTextRedactor: Sendable {
    private let texts: [[UInt8]]
    private let placeholders: [String]
    /// The ids of the texts, by their first eight bytes (each has eight at least).
    private let idsByPrefix: [UInt64: [Int]]
    /// Bit ``windowHash(_:)`` is set for the first four bytes of every text: most places in
    /// an output are passed over with one load and one bit test.
    private let firstWindows: [UInt64]

    /// Texts shorter than this are never looked for: they would hide ordinary words, and
    /// credentials are longer.
    static let minimumLength = 8
    private static let windowBits = 20

    /// `secrets`: each credential text with its placeholder.
    public init(_ secrets: [String: String]) {
        // A text is looked for without the quotes and blanks around it (`"AWS CREDENTIALS"`,
        // a TOML key's span): quoted, it would also match the quotes of a JSON string that
        // holds it and take them away with it, which leaves the report unreadable.
        var cores: [String: String] = [:]
        for (text, placeholder) in secrets {
            let core = Self.trimmingValueEdges(text)
            if core == text {
                cores[core] = placeholder
            } else if secrets[core] == nil, cores[core] == nil {
                let prefix = placeholder.split(separator: "…", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
                cores[core] = Redaction.placeholder(for: Array(core.utf8), publicPrefix: prefix?.isEmpty == false ? prefix : nil)
            }
        }
        // Each text is looked for also as the formats escape it (JSON and SARIF, JUnit's XML,
        // GitHub's workflow commands): `&`, `"`, `%` or `\` in a value would otherwise hide it.
        var variants = cores
        for (text, placeholder) in cores {
            let quoted = JSONWriter.quote(text)
            for escaped in [String(quoted.dropFirst().dropLast()), JUnitReporter.escape(text), GitHubReporter.escapeData(text), GitHubReporter.escapeProperty(text)]
            where escaped != text && variants[escaped] == nil {
                variants[escaped] = placeholder
            }
        }
        // An automaton over thousands of long random texts (a file of generated tokens) took
        // longer to build than the whole scan; an index by first bytes is built in one pass.
        let kept = variants.filter { $0.key.utf8.count >= Self.minimumLength }.sorted { $0.key < $1.key }
        texts = kept.map { Array($0.key.utf8) }
        placeholders = kept.map(\.value)
        var idsByPrefix: [UInt64: [Int]] = [:]
        var firstWindows = [UInt64](repeating: 0, count: texts.isEmpty ? 0 : (1 << Self.windowBits) / 64)
        for (id, text) in texts.enumerated() {
            text.withUnsafeBytes { raw in
                idsByPrefix[raw.loadUnaligned(as: UInt64.self), default: []].append(id)
                let bit = Self.windowHash(raw.loadUnaligned(as: UInt32.self))
                firstWindows[bit >> 6] |= 1 << UInt64(bit & 63)
            }
        }
        self.idsByPrefix = idsByPrefix
        self.firstWindows = firstWindows
    }

    /// `text` without what surrounds a value's text where it is written (quotes, blanks, a
    /// line end) and not where it is reused. Those are ASCII, so the text is cut on its UTF-8
    /// bytes (Foundation's `trimmingCharacters` took a tenth of a scan of many values).
    public static func trimmingValueEdges(_ text: String) -> String {
        func isEdge(_ byte: UInt8) -> Bool { byte == 0x22 || byte == 0x27 || byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { !isEdge($0) }), let last = utf8.lastIndex(where: { !isEdge($0) }) else { return "" }
        return String(decoding: utf8[first...last], as: UTF8.self)
    }

    private static func windowHash(_ window: UInt32) -> Int {
        Int((window &* 0x9E37_79B1) >> UInt32(32 - windowBits))
    }

    /// Calls `found` with the range and id of every occurrence of a text in `bytes`,
    /// overlapping ones included, by start.
    private func forEachOccurrence(in bytes: UnsafeBufferPointer<UInt8>, _ found: (Range<Int>, Int) -> Void) {
        guard !texts.isEmpty, bytes.count >= Self.minimumLength else { return }
        let raw = UnsafeRawBufferPointer(bytes)
        firstWindows.withUnsafeBufferPointer { windows in
            for start in 0...(bytes.count - Self.minimumLength) {
                let bit = Self.windowHash(raw.loadUnaligned(fromByteOffset: start, as: UInt32.self))
                guard windows[bit >> 6] & (1 << UInt64(bit & 63)) != 0,
                    let ids = idsByPrefix[raw.loadUnaligned(fromByteOffset: start, as: UInt64.self)]
                else { continue }
                for id in ids where start + texts[id].count <= bytes.count && bytes[start..<start + texts[id].count].elementsEqual(texts[id]) {
                    found(start..<start + texts[id].count, id)
                }
            }
        }
    }

    /// Where the known texts stand in `bytes` (a source file): a code frame hides them there,
    /// also where it shows only part of one (a long line cut at the frame's edge).
    public func spans(in bytes: [UInt8]) -> [ByteSpan] {
        var spans: [ByteSpan] = []
        bytes.withUnsafeBufferPointer { buffer in
            forEachOccurrence(in: buffer) { range, _ in spans.append(ByteSpan(range.lowerBound, range.upperBound)) }
        }
        return spans
    }

    /// `output` with each known text replaced by its placeholder.
    public func redact(_ output: String) -> String {
        guard !texts.isEmpty else { return output }
        let bytes = Array(output.utf8)
        var hits: [(range: Range<Int>, id: Int)] = []
        bytes.withUnsafeBufferPointer { buffer in
            forEachOccurrence(in: buffer) { range, id in hits.append((range, id)) }
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
