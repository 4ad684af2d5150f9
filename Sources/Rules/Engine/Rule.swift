import PrefectModel
import Spans

/// Collects findings for one rule run, filling name and severity from the catalogue.
public struct FindingSink: Sendable {
    public let catalogue: RuleCatalogue
    public private(set) var findings: [Finding] = []

    public init(catalogue: RuleCatalogue) { self.catalogue = catalogue }

    /// Reports a finding of rule `code` at `span` of `path`. `severity` overrides the default
    /// (e.g. PS401 is an error inside `with Flow` and a warning at module level), unless the
    /// configuration sets the rule's severity; `.info` (documentation) always applies.
    public mutating func report(
        _ code: String, path: String, span: ByteSpan, message: String, severity: Severity? = nil,
        secretName: String? = nil, secretSpan: ByteSpan? = nil, redactedValue: String? = nil, fix: Fix? = nil
    ) {
        guard let rule = catalogue[code] else { return }
        findings.append(
            Finding(
                code: rule.code, name: rule.name, severity: rule.severityIsConfigured && severity != .info ? rule.severity : severity ?? rule.severity,
                path: path, span: span,
                message: message, secretName: secretName, secretSpan: secretSpan, redactedValue: redactedValue,
                fix: fix))
    }
}

/// What a file rule sees: the file, what its analyzer found, and the run's settings.
public struct FileContext: Sendable {
    public let file: SourceFile
    public let analysis: FileAnalysis
    public let settings: RuleSettings

    public init(file: SourceFile, analysis: FileAnalysis, settings: RuleSettings) {
        self.file = file
        self.analysis = analysis
        self.settings = settings
    }
}

/// Settings every rule may read (from the CLI and the config file).
public struct RuleSettings: Sendable {
    /// `--backend` (or the tool's configuration), overriding what the project says.
    public var backendOverride: String?
    /// Where ``backendOverride`` comes from, as messages name it.
    public var backendOverrideSource: String
    /// Names known to exist in Prefect Cloud (`--cloud-secrets`), nil when unknown.
    public var cloudInventory: Set<String>?

    public init(backendOverride: String? = nil, backendOverrideSource: String = "--backend", cloudInventory: Set<String>? = nil) {
        self.backendOverride = backendOverride
        self.backendOverrideSource = backendOverrideSource
        self.cloudInventory = cloudInventory
    }
}

/// A rule that looks at one file at a time (runs in parallel over files).
public protocol FileRule: Sendable {
    /// The codes this rule can report (it may own several closely related codes).
    var codes: [String] { get }
    func check(_ context: FileContext, into sink: inout FindingSink)
}

/// A rule over the whole project model (runs once, after every file is read).
public protocol ProjectRule: Sendable {
    var codes: [String] { get }
    func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink)
}
