/// One credential detector: a keyword prefilter, a regex, and the checks a match must pass.
///
/// A plain value so that the rule loader (which reads `rules/*.toml`) can build it without this
/// module knowing about TOML.
public struct Detector: Sendable, Hashable {
    /// Matches that are not findings for this detector.
    public struct Allowlist: Sendable, Hashable {
        /// PCRE2 regexes matched against the secret; a match anywhere allows it.
        public var regexes: [String]
        /// Lower-case substrings; a secret containing one (case-insensitively) is allowed.
        public var stopwords: [String]
        /// PCRE2 regexes matched against the file path; a match skips the detector for that file.
        public var paths: [String]

        public init(regexes: [String] = [], stopwords: [String] = [], paths: [String] = []) {
            self.regexes = regexes
            self.stopwords = stopwords
            self.paths = paths
        }
    }

    /// Stable kebab-case id, unique within a rule.
    public var id: String
    /// One line for people.
    public var description: String
    /// Lower-case substrings, at least one of which occurs in every match; empty means "always run".
    public var keywords: [String]
    /// PCRE2 source (compiled with multiline on, UTF off).
    public var regex: String
    /// Capture group holding the secret; 0 is the whole match.
    public var secretGroup: Int
    /// Minimum Shannon entropy (bits per byte) of the secret, if any.
    public var minimumEntropy: Double?
    /// Name of a ``Validators`` check, if any.
    public var validator: String?
    /// Matches that are not findings.
    public var allowlist: Allowlist
    /// The shape alone is distinctive (a prefix, a checksum), so context checks (comment lines,
    /// hash words, UUID shape) are skipped.
    public var tokenFormat: Bool
    /// For a regex that spans lines: every match starts on a line holding a keyword and ends
    /// within this many lines after it, so the detector runs on those lines only, not on the
    /// whole file (a manifest's `- name: X_PASSWORD`, then `value: …`).
    public var linesAfter: Int?

    public init(
        id: String, description: String = "", keywords: [String] = [], regex: String,
        secretGroup: Int = 0, minimumEntropy: Double? = nil, validator: String? = nil,
        allowlist: Allowlist = Allowlist(), tokenFormat: Bool = false, linesAfter: Int? = nil
    ) {
        self.linesAfter = linesAfter
        self.id = id
        self.description = description
        self.keywords = keywords
        self.regex = regex
        self.secretGroup = secretGroup
        self.minimumEntropy = minimumEntropy
        self.validator = validator
        self.allowlist = allowlist
        self.tokenFormat = tokenFormat
    }

    /// Whether the regex may span lines: outside a negated character class it names a line
    /// break (`\n`, `\r`, `\R`, `\v`) or `\s`, or it turns on dot-all with `(?s`. Such a detector
    /// sees the whole file; every other detector runs only on the lines where one of its keywords
    /// occurs (ripgrep's line-oriented semantics).
    public var spansLines: Bool { Self.regexSpansLines(regex) }

    static func regexSpansLines(_ source: String) -> Bool {
        let s = Array(source.utf8)
        var i = 0
        var inClass = false
        var negated = false
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: "\\"), i + 1 < s.count {
                let e = s[i + 1]
                let breaking = "nrRvs".utf8.contains(e)
                if breaking && !(inClass && negated) { return true }
                i += 2
                continue
            }
            if inClass {
                if c == UInt8(ascii: "]") { inClass = false }
                i += 1
                continue
            }
            if c == UInt8(ascii: "[") {
                inClass = true
                negated = i + 1 < s.count && s[i + 1] == UInt8(ascii: "^")
                i += negated ? 2 : 1
                // A "]" right after "[" or "[^" is a literal member.
                if i < s.count, s[i] == UInt8(ascii: "]") { i += 1 }
                continue
            }
            if c == UInt8(ascii: "("), s[i...].starts(with: Array("(?s".utf8)) { return true }
            i += 1
        }
        return false
    }
}
