/// Every rule's description, by code, in catalogue order. Built from the bundled `rules/`
/// files plus the user's extra rules.
public struct RuleCatalogue: Sendable {
    public let all: [RuleDescription]
    private let byCode: [String: Int]
    private let byName: [String: Int]

    public init(_ descriptions: [RuleDescription]) {
        let sorted = descriptions.sorted { $0.code < $1.code }
        self.all = sorted
        var byCode: [String: Int] = [:]
        var byName: [String: Int] = [:]
        for (i, rule) in sorted.enumerated() {
            byCode[rule.code] = i
            byName[rule.name] = i
        }
        self.byCode = byCode
        self.byName = byName
    }

    public subscript(code: String) -> RuleDescription? { byCode[code].map { all[$0] } }

    /// A rule by code (any case) or kebab-case name.
    public func lookup(_ codeOrName: String) -> RuleDescription? {
        if let i = byCode[codeOrName.uppercased()] { return all[i] }
        return byName[codeOrName].map { all[$0] }
    }

    /// The same catalogue with severities replaced (config `severity` overrides, keyed by a
    /// code in any case or a name, as ``lookup(_:)`` finds rules).
    public func overridingSeverities(_ overrides: [String: Severity]) -> RuleCatalogue {
        var byCode: [String: Severity] = [:]
        for (key, severity) in overrides { if let rule = lookup(key) { byCode[rule.code] = severity } }
        return RuleCatalogue(all.map { rule in
            var rule = rule
            if let s = byCode[rule.code] {
                rule.severity = s
                rule.severityIsConfigured = true
            }
            return rule
        })
    }
}
