import PrefectModel
import Rules
import Spans

/// Why a file was not scanned.
public enum SkipReason: String, Sendable, CaseIterable, Codable {
    case binary, tooLarge = "too-large", unreadable, vanished, symlinkOutsideRoot = "symlink-outside-root"
    /// A symlink whose target does not exist (or that loops): nothing to read.
    case brokenSymlink = "broken-symlink"
    /// A FIFO, socket or device: reading one could block or never end.
    case specialFile = "special-file"
    /// A SARIF report prefect-secrets wrote (`--output results.sarif` in the checkout): its
    /// rule help quotes PS101's example credential.
    case ownReport = "own-report"
}

/// Counts every report states: what was read, what was skipped, what was hidden.
public struct ScanSummary: Sendable, Hashable {
    public var files = 0
    public var bytes = 0
    public var skipped: [SkipReason: Int] = [:]
    public var skippedBytes = 0
    /// Findings left out by suppression comments and by the config's `per-file-ignores`.
    public var suppressed = 0
    /// How many of ``suppressed`` the config's `per-file-ignores` left out.
    public var ignoredByPath = 0
    public var baselineHidden = 0
    public var baselineStale = 0

    public init() {}

    public var skippedFiles: Int { skipped.values.reduce(0, +) }
}

/// Everything a reporter needs: findings in report order, the rules, the counts, and the
/// sources of the files that have findings (for code frames).
public struct ScanReport: Sendable {
    public var findings: [Finding]
    public var catalogue: RuleCatalogue
    public var summary: ScanSummary
    public var sources: [String: SourceFile]
    /// Problems that were not findings (unreadable files...), one line each, already positioned.
    public var notices: [String]
    /// The joined project model the project rules saw (for `inventory`).
    public var model: ProjectModel?
    /// Secret-bearing value spans of the files in ``sources`` (``FileFacts/secretValueSpans``),
    /// hidden in every code frame unless secrets are shown.
    public var secretValueSpans: [String: [ByteSpan]] = [:]
    /// Every credential text the scan found (a token format or a generic secret, also one
    /// written where a name, label or path belongs), with the placeholder that stands for it.
    public var secretTexts: [String: String] = [:] {
        didSet { redactor = SecretTextRedactor(secretTexts) }
    }
    /// Built once for ``secretTexts``: every rendering looks for all of them.
    public private(set) var redactor = SecretTextRedactor([:])

    public init(
        findings: [Finding], catalogue: RuleCatalogue, summary: ScanSummary, sources: [String: SourceFile] = [:],
        notices: [String] = []
    ) {
        self.findings = findings
        self.catalogue = catalogue
        self.summary = summary
        self.sources = sources
        self.notices = notices
    }

    public func count(_ severity: Severity) -> Int { findings.filter { $0.severity == severity }.count }

    /// `output` with every credential text the scan found replaced by its placeholder: the
    /// last guard of "no value without --show-secrets", whatever field carried a credential
    /// into a message, a view or a notice (a flow name, a label, a secret name, a path).
    public func redactingSecrets(in output: String) -> String {
        redactor.redact(output)
    }
}


/// How a report is written.
public struct ReportOptions: Sendable {
    public var showSecrets: Bool
    public var color: Bool
    public var quiet: Bool
    public var statistics: Bool
    public var toolVersion: String

    public init(showSecrets: Bool = false, color: Bool = false, quiet: Bool = false, statistics: Bool = false, toolVersion: String) {
        self.showSecrets = showSecrets
        self.color = color
        self.quiet = quiet
        self.statistics = statistics
        self.toolVersion = toolVersion
    }
}

/// One output format. Reporters are stateless; each lives in its own file.
public protocol Reporter: Sendable {
    /// The `--format` name.
    static var identifier: String { get }
    func render(_ report: ScanReport, options: ReportOptions) -> String
}

/// Every reporter, by `--format` name and by output file extension.
public enum Reporters {
    public static let all: [any Reporter.Type] = [
        TextReporter.self, JSONReporter.self, SARIFReporter.self, GitHubReporter.self, GitLabReporter.self, JUnitReporter.self,
    ]

    public static func reporter(named name: String) -> (any Reporter)? {
        switch name {
        case TextReporter.identifier: TextReporter()
        case JSONReporter.identifier: JSONReporter()
        case SARIFReporter.identifier: SARIFReporter()
        case GitHubReporter.identifier: GitHubReporter()
        case GitLabReporter.identifier: GitLabReporter()
        case JUnitReporter.identifier: JUnitReporter()
        default: nil
        }
    }

    /// The format implied by an output file's extension, if any.
    public static func format(forOutputPath path: String) -> String? {
        let lower = path.lowercased()
        if lower.hasSuffix(".json") { return JSONReporter.identifier }
        if lower.hasSuffix(".sarif") { return SARIFReporter.identifier }
        if lower.hasSuffix(".xml") { return JUnitReporter.identifier }
        return nil
    }

    public static var names: [String] { all.map { $0.identifier } }
}

extension ScanReport {
    /// The finding's fix as a report may show it: without `--show-secrets`, never one whose
    /// replacement text carries the finding's secret value.
    public func shownFix(of finding: Finding, showSecrets: Bool) -> Fix? {
        guard let fix = finding.fix, !showSecrets, let span = finding.secretSpan, span.length > 0,
            let source = sources[finding.path], span.start >= 0, span.end <= source.bytes.count
        else { return finding.fix }
        let secret = Array(source.bytes[span.range])
        return fix.edits.contains { ByteSearch.contains(secret, in: $0.edit.replacement) } ? nil : fix
    }
}
