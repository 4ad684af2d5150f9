import Patterns
import PrefectModel
import Spans

/// Runs every pattern detector (PS101's and the user's extra pattern rules) in one pass:
/// one keyword automaton for all of them, then PCRE2 only where a keyword occurs.
public struct PatternRule: FileRule {
    public let codes: [String]
    private let detectors: DetectorSet
    /// The rule code of each detector, by detector index.
    private let detectorCodes: [String]

    /// `globalAllowlist` (from the user's config) applies to every detector.
    public init(rules: [RuleFile], globalAllowlist: Detector.Allowlist = Detector.Allowlist()) throws(DetectorSetError) {
        var detectors: [Detector] = []
        var codes: [String] = []
        for rule in rules {
            for entry in rule.detectors {
                var detector = entry.detector
                detector.allowlist.regexes += globalAllowlist.regexes
                detector.allowlist.stopwords += globalAllowlist.stopwords
                detector.allowlist.paths += globalAllowlist.paths
                detectors.append(detector)
                codes.append(rule.description.code)
            }
        }
        self.detectors = try DetectorSet(detectors)
        self.detectorCodes = codes
        self.codes = Array(Set(codes)).sorted()
    }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        let file = context.file
        for match in detectors.scan(bytes: file.bytes, path: file.path) {
            let detector = detectors.detectors[match.detectorIndex]
            guard Self.inScope(match.secret, scope: context.analysis.patternScope, tokenFormat: detector.tokenFormat) else { continue }
            sink.report(
                detectorCodes[match.detectorIndex], path: file.path, span: match.secret,
                message: "\(detector.description) in plaintext",
                secretSpan: match.secret, redactedValue: placeholder(file.bytes[match.secret.range], detector: detector))
        }
    }

    private func placeholder(_ secret: ArraySlice<UInt8>, detector: Detector) -> String {
        Redaction.placeholder(for: secret, publicPrefix: detector.tokenFormat ? Redaction.publicPrefix(of: Array(secret), keywords: detector.keywords) : nil)
    }

    /// The credentials the detectors find in `file` where the rule would report them, with
    /// the placeholder it would give each: what outputs must hide when the rule itself does
    /// not run on the file.
    public func credentials(in file: SourceFile, scope: PatternScope) -> [(span: ByteSpan, placeholder: String)] {
        detectors.scan(bytes: file.bytes, path: file.path).compactMap { match in
            let detector = detectors.detectors[match.detectorIndex]
            guard Self.inScope(match.secret, scope: scope, tokenFormat: detector.tokenFormat) else { return nil }
            return (match.secret, placeholder(file.bytes[match.secret.range], detector: detector))
        }
    }

    /// The placeholder of `name` when a detector finds a credential in it (a token pasted
    /// where a secret's name belongs), else nil.
    public func credentialPlaceholder(forName name: String, path: String) -> String? {
        // Most names are upper-case words (`SNOWFLAKE_PASSWORD_2`): a credential format has
        // lower-case letters unless it is long (`AKIA…`). Those need no scan.
        let count = name.utf8.count
        guard count >= 8, count >= 20 || name.utf8.contains(where: { $0 >= 0x61 && $0 <= 0x7A }) else { return nil }
        let bytes = Array(name.utf8)
        guard let match = detectors.scan(bytes: bytes, path: path).first else { return nil }
        return bytes.count == match.secret.length
            ? placeholder(bytes[...], detector: detectors.detectors[match.detectorIndex])
            : Redaction.placeholder(for: bytes[...], publicPrefix: nil)
    }

    /// Whether a match counts where it is: Python strings always, comments only for token formats.
    static func inScope(_ span: ByteSpan, scope: PatternScope, tokenFormat: Bool) -> Bool {
        switch scope {
        case .everywhere:
            return true
        case .regions(let literals, let comments):
            if contains(literals, span) { return true }
            return tokenFormat && contains(comments, span)
        }
    }

    /// Binary search in spans sorted by start.
    private static func contains(_ spans: [ByteSpan], _ span: ByteSpan) -> Bool {
        var low = 0
        var high = spans.count
        while low < high {
            let mid = (low + high) / 2
            if spans[mid].start <= span.start { low = mid + 1 } else { high = mid }
        }
        return low > 0 && spans[low - 1].contains(span)
    }


    /// Runs only the detector `id` over `text` and counts its matches (for rule examples).
    public func matchCount(detector id: String, text: String, path: String) -> Int {
        let bytes = Array(text.utf8)
        return detectors.scan(bytes: bytes, path: path).filter { detectors.detectors[$0.detectorIndex].id == id }.count
    }
}
