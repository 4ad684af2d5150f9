import Patterns
import Spans
import TOML

/// One `rules/*.toml` file (or a `[[rules]]` entry of the user's config) after validation:
/// the rule's description, and for pattern rules its detectors with their examples.
public struct RuleFile: Sendable {
    /// An example text that must (or must not) trigger a detector; run as a test.
    public struct Example: Sendable, Hashable {
        public var text: String
        public var expectMatch: Bool
        /// Reported path for the example (for path-scoped allowlists); default `example.txt`.
        public var path: String
    }

    /// A detector with its examples.
    public struct DetectorEntry: Sendable {
        public var detector: Detector
        public var examples: [Example]
    }

    public var description: RuleDescription
    public var detectors: [DetectorEntry]

    /// An error in a rule file, positioned at the offending key or value.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var diagnostic: SourceDiagnostic
        public var location: SourceLocation
        public var description: String { "\(path):\(location.line):\(location.column): \(diagnostic.fullMessage)" }
    }

    /// Parses and validates a rule file. Unknown keys and wrong types are errors.
    public static func load(path: String, bytes: [UInt8]) throws(LoadError) -> RuleFile {
        let file = SourceFile(path: path, bytes: bytes)
        let document: TOMLDocument
        do {
            document = try TOMLDocument.parse(bytes)
        } catch {
            let diagnostic = error.diagnostic
            throw LoadError(path: path, diagnostic: diagnostic, location: file.location(of: diagnostic.span.start))
        }
        do {
            return try decode(document.root)
        } catch {
            throw LoadError(path: path, diagnostic: error, location: file.location(of: error.span.start))
        }
    }

    static let topKeys: Set<String> = [
        "id", "name", "severity", "summary", "explanation", "fix_safety", "implemented", "example", "detectors",
    ]
    static let detectorKeys: Set<String> = [
        "id", "description", "keywords", "regex", "secret_group", "entropy", "validator", "token_format",
        "lines_after", "allowlist", "examples",
    ]

    /// Decodes a rule from a TOML table (a whole file, or a `[[rules]]` entry of a config).
    public static func decode(_ table: TOMLTable) throws(SourceDiagnostic) -> RuleFile {
        let reader = TableReader(table: table, context: "rule")
        try reader.rejectUnknown(topKeys)
        let code = try reader.requiredString("id")
        guard isRuleID(code) else {
            throw reader.error(at: "id", "a rule id must be capital letters followed by digits, like PS101 or ACME001")
        }
        let name = try reader.requiredString("name")
        guard isKebabCase(name) else {
            throw reader.error(at: "name", "a rule name must be kebab-case, like plaintext-credential")
        }
        let severityText = try reader.requiredString("severity")
        guard let severity = Severity(rawValue: severityText) else {
            throw reader.error(at: "severity", "severity must be error, warning or info")
        }
        var exampleBad: String?
        var exampleGood: String?
        if let example = try reader.optionalTable("example") {
            let exampleReader = TableReader(table: example, context: "example")
            try exampleReader.rejectUnknown(["bad", "good"])
            exampleBad = try exampleReader.optionalString("bad")
            exampleGood = try exampleReader.optionalString("good")
        }
        let description = RuleDescription(
            code: code, name: name, severity: severity, summary: try reader.requiredString("summary"),
            explanation: try reader.optionalString("explanation") ?? "", fixSafety: try reader.optionalString("fix_safety"),
            implemented: try reader.optionalBool("implemented") ?? true, exampleBad: exampleBad, exampleGood: exampleGood)
        var detectors: [DetectorEntry] = []
        var seen = Set<String>()
        for node in try reader.optionalTableArray("detectors") {
            guard let table = node.tableValue else { throw SourceDiagnostic(span: node.span, message: "each [[detectors]] entry must be a table") }
            let entry = try decodeDetector(table)
            guard seen.insert(entry.detector.id).inserted else {
                throw SourceDiagnostic(span: table.span, message: "duplicate detector id '\(entry.detector.id)'")
            }
            detectors.append(entry)
        }
        return RuleFile(description: description, detectors: detectors)
    }

    static func decodeDetector(_ table: TOMLTable) throws(SourceDiagnostic) -> DetectorEntry {
        var reader = TableReader(table: table, context: "detector")
        try reader.rejectUnknown(detectorKeys)
        let id = try reader.requiredString("id")
        reader.context = "detector '\(id)'"
        var allowlist = Detector.Allowlist()
        if let allow = try reader.optionalTable("allowlist") {
            let allowReader = TableReader(table: allow, context: "detector '\(id)' allowlist")
            try allowReader.rejectUnknown(["regexes", "stopwords", "paths"])
            allowlist = Detector.Allowlist(
                regexes: try allowReader.stringArray("regexes"), stopwords: try allowReader.stringArray("stopwords").map { $0.lowercased() },
                paths: try allowReader.stringArray("paths"))
        }
        let secretGroup = try reader.optionalInt("secret_group") ?? 0
        guard secretGroup >= 0 else { throw reader.error(at: "secret_group", "secret_group must be 0 or a capture group number") }
        let detector = Detector(
            id: id, description: try reader.optionalString("description") ?? id,
            keywords: try reader.stringArray("keywords").map { $0.lowercased() }, regex: try reader.requiredString("regex"),
            secretGroup: secretGroup, minimumEntropy: try reader.optionalNumber("entropy"),
            validator: try reader.optionalString("validator"), allowlist: allowlist,
            tokenFormat: try reader.optionalBool("token_format") ?? false, linesAfter: try reader.optionalInt("lines_after"))
        var examples: [Example] = []
        for node in try reader.optionalTableArray("examples") {
            guard let exampleTable = node.tableValue else { throw SourceDiagnostic(span: node.span, message: "each example must be a table") }
            let exampleReader = TableReader(table: exampleTable, context: "example of detector '\(id)'")
            try exampleReader.rejectUnknown(["text", "expect", "path"])
            let expect = try exampleReader.requiredString("expect")
            guard expect == "match" || expect == "clean" else {
                throw exampleReader.error(at: "expect", "expect must be \"match\" or \"clean\"")
            }
            examples.append(
                Example(
                    text: try exampleReader.requiredString("text"), expectMatch: expect == "match",
                    path: try exampleReader.optionalString("path") ?? "example.txt"))
        }
        return DetectorEntry(detector: detector, examples: examples)
    }
}

// Spelled out rather than as regular expressions: Foundation's would compile ICU patterns at
// every start, a few milliseconds of each pre-commit run.

/// `^[A-Z][A-Z0-9]*[0-9]+$`: PS101, ACME001.
func isRuleID(_ code: String) -> Bool {
    let bytes = Array(code.utf8)
    guard let first = bytes.first, let last = bytes.last, bytes.count >= 2 else { return false }
    func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
    func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    return isUpper(first) && isDigit(last) && bytes.allSatisfy { isUpper($0) || isDigit($0) }
}

/// `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`: plaintext-credential.
func isKebabCase(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard let first = bytes.first, first >= 0x61, first <= 0x7A, bytes.last != 0x2D else { return false }
    var previous: UInt8 = 0
    for b in bytes {
        let allowed = (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || (b == 0x2D && previous != 0x2D)
        guard allowed else { return false }
        previous = b
    }
    return true
}
