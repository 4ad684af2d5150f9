/// Everything the tool knows about a rule besides its check: the single source for `rules`,
/// generated docs, SARIF `rules[]` and example tests. Loaded from `rules/*.toml`.
public struct RuleDescription: Sendable, Hashable {
    /// Stable code, e.g. `PS101`.
    public var code: String
    /// Stable kebab-case name, e.g. `plaintext-credential`.
    public var name: String
    public var severity: Severity
    /// The configuration sets ``severity``: it wins over a rule's own per-finding severities
    /// (PS401's error inside `with Flow`), though not over documentation's `info`.
    public var severityIsConfigured = false
    public var summary: String
    /// Markdown with ruff's sections (`## What it does`, `## Why is this bad?`, ...).
    public var explanation: String
    public var fixSafety: String?
    /// False for catalogue rules whose check is not written yet.
    public var implemented: Bool
    public var exampleBad: String?
    public var exampleGood: String?

    public init(
        code: String, name: String, severity: Severity, summary: String, explanation: String,
        fixSafety: String? = nil, implemented: Bool, exampleBad: String? = nil, exampleGood: String? = nil
    ) {
        self.code = code
        self.name = name
        self.severity = severity
        self.summary = summary
        self.explanation = explanation
        self.fixSafety = fixSafety
        self.implemented = implemented
        self.exampleBad = exampleBad
        self.exampleGood = exampleGood
    }

    /// Where the generated documentation of this rule lives in the repository.
    public var docPath: String { "docs/rules/\(code).md" }
}
