import Spans

/// Which rules are on: `--select`/`--ignore` and the config's lists. Entries are codes,
/// code prefixes (`PS1`, `PS20`) or kebab-case names; `ALL` selects everything.
public struct RuleSelector: Sendable, Hashable {
    public var select: [String]
    public var ignore: [String]

    public init(select: [String] = [], ignore: [String] = []) {
        self.select = select
        self.ignore = ignore
    }

    /// True when `rule` is enabled: selected (or no selection given) and not ignored.
    /// The more specific entry wins when both lists match, as in ruff.
    public func isEnabled(_ rule: RuleDescription) -> Bool {
        let selected = select.isEmpty ? 0 : Self.specificity(of: rule, in: select)
        let ignored = Self.specificity(of: rule, in: ignore)
        if !select.isEmpty && selected == 0 { return false }
        return ignored == 0 || selected > ignored
    }

    /// How specifically `entries` name the rule: 0 none, else a length (exact code/name is longest).
    static func specificity(of rule: RuleDescription, in entries: [String]) -> Int {
        var best = 0
        for entry in entries {
            let e = Whitespace.trimmed(entry)
            if e.uppercased() == "ALL" { best = max(best, 1) }
            else if e == rule.name || e.uppercased() == rule.code { best = max(best, 100) }
            else if !e.isEmpty, rule.code.hasPrefix(e.uppercased()) { best = max(best, 1 + e.count) }
        }
        return best
    }

    /// Entries that name no known rule (for a clear usage error).
    public static func unknownEntries(_ entries: [String], known: [RuleDescription]) -> [String] {
        entries.filter { entry in
            let e = Whitespace.trimmed(entry)
            return e.uppercased() != "ALL" && !known.contains { specificity(of: $0, in: [e]) > 0 }
        }
    }
}
