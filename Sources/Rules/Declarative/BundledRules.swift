/// The rules embedded in the binary (placeholder until the rule loader lands).
public enum BundledRules {
    public static func descriptions() -> [RuleDescription] {
        [RuleDescription(code: "PS900", name: "parse-error", severity: .error, summary: "A file cannot be parsed", explanation: "", implemented: true)]
    }
}
