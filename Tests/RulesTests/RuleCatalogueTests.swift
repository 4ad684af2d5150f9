import Foundation
import PrefectModel
import Rules
import Spans
import TestSupport
import Testing

/// Every catalogue id of DESIGN.md is present, loads, and every detector's examples hold.
@Suite struct RuleCatalogueTests {
    static let designCatalogue: [(String, String, Severity)] = [
        ("PS101", "plaintext-credential", .error), ("PS102", "hardcoded-secret-argument", .error),
        ("PS103", "committed-local-secret", .error), ("PS104", "plaintext-secret-env", .error),
        ("PS105", "plaintext-prefect-credential", .error), ("PS106", "secret-in-flow-metadata", .warning),
        ("PS201", "secret-missing-for-agent", .error), ("PS202", "secret-only-local", .warning),
        ("PS203", "flow-without-agent", .warning), ("PS204", "secret-name-mismatch", .warning),
        ("PS205", "unused-secret", .info), ("PS206", "default-secret-missing", .warning),
        ("PS207", "agent-env-not-forwarded", .error), ("PS208", "malformed-agent-env", .error),
        ("PS209", "malformed-agent-labels", .warning), ("PS301", "cloud-secret-api-on-server", .error),
        ("PS302", "local-secrets-flag-ineffective", .warning), ("PS303", "cloud-credential-on-server", .warning),
        ("PS304", "conflicting-backends", .error), ("PS305", "invalid-backend-value", .error),
        ("PS401", "secret-read-at-build-time", .error), ("PS402", "secret-loaded-inside-task", .info),
        ("PS403", "lossy-secret-value", .warning), ("PS404", "unexpressible-secret-name", .warning),
        ("PS405", "hardcoded-secret-name", .info), ("PS406", "reserved-secret-name", .error),
        ("PS407", "secret-outside-context", .error), ("PS408", "secrets-table-replaced", .warning),
        ("PS409", "nested-secret-collision", .error), ("PS900", "parse-error", .error),
    ]

    @Test func everyCatalogueRuleIsBundledWithItsNameAndSeverity() throws {
        let rules = try BundledRules.load()
        let catalogue = RuleCatalogue(rules.map(\.description))
        for (code, name, severity) in Self.designCatalogue {
            let rule = try #require(catalogue[code], "rule \(code) is missing from rules/")
            #expect(rule.name == name, "\(code)")
            #expect(rule.severity == severity, "\(code)")
            #expect(!rule.summary.isEmpty && !rule.explanation.isEmpty, "\(code) needs a summary and an explanation")
        }
    }

    @Test func ruleFileNamesMatchTheirIds() throws {
        for file in try GeneratedFilesTests.ruleFiles() {
            let rule = try RuleFile.load(path: file.path, bytes: Array(file.text.utf8))
            #expect(file.path == "rules/\(rule.description.code)-\(rule.description.name).toml")
        }
    }

    @Test func everyDetectorHasPassingMatchAndCleanExamples() throws {
        let rules = try BundledRules.load()
        let patternRule = try PatternRule(rules: rules)
        var detectorCount = 0
        for rule in rules {
            for entry in rule.detectors {
                detectorCount += 1
                #expect(entry.examples.contains { $0.expectMatch }, "\(entry.detector.id) needs a match example")
                #expect(entry.examples.contains { !$0.expectMatch }, "\(entry.detector.id) needs a clean example")
                for example in entry.examples {
                    let count = patternRule.matchCount(detector: entry.detector.id, text: example.text, path: example.path)
                    if example.expectMatch {
                        #expect(count == 1, "\(entry.detector.id): a match example gave \(count) matches")
                    } else {
                        #expect(count == 0, "\(entry.detector.id): a clean example gave \(count) matches")
                    }
                }
            }
        }
        #expect(detectorCount >= 40, "PS101 needs at least 40 credential formats")
    }

    @Test func loaderErrorsNameKeyAndPosition() {
        let text = "id = \"PS101\"\nname = \"plaintext-credential\"\nseverity = \"fatal\"\nsummary = \"x\"\n"
        #expect(throws: RuleFile.LoadError.self) { try RuleFile.load(path: "rules/x.toml", bytes: Array(text.utf8)) }
        do {
            _ = try RuleFile.load(path: "rules/x.toml", bytes: Array(text.utf8))
        } catch {
            #expect(error.description == "rules/x.toml:3:12: rule: severity: severity must be error, warning or info")
        }
        let unknown = "id = \"PS101\"\nname = \"a\"\nseverity = \"error\"\nsummary = \"x\"\ncolour = 1\n"
        do {
            _ = try RuleFile.load(path: "r.toml", bytes: Array(unknown.utf8))
            Issue.record("unknown key accepted")
        } catch {
            #expect(error.description.hasPrefix("r.toml:5:1: rule: unknown key 'colour'"))
        }
    }

    @Test(arguments: [
        ("PS101", "plaintext-credential", true), ("ACME001", "a", true), ("A1", "a1-b2-c3", true),
        ("ps101", "plaintext-credential", false), ("PS", "plaintext-credential", false), ("1PS", "plaintext-credential", false),
        ("PS10A", "plaintext-credential", false), ("PS-101", "plaintext-credential", false), ("PS101", "Plaintext", false),
        ("PS101", "plain--text", false), ("PS101", "plain-", false), ("PS101", "-plain", false), ("PS101", "1plain", false),
        ("PS101", "plain_text", false), ("PS101", "", false), ("", "plain", false),
    ])
    func ruleIdsAndNamesAreChecked(id: String, name: String, valid: Bool) {
        let text = "id = \"\(id)\"\nname = \"\(name)\"\nseverity = \"error\"\nsummary = \"x\"\n"
        let loaded = try? RuleFile.load(path: "r.toml", bytes: Array(text.utf8))
        #expect((loaded != nil) == valid, "id \(id), name \(name)")
    }
}
