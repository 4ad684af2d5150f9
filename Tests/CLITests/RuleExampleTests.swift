import CLI
import Foundation
import Rules
import Testing

/// Every rule's documented example, run through `check` as a project: the bad example must
/// be reported under the rule's code and the good one must not. An example names its files
/// with `# file: PATH` lines (a comment in every language the tool reads).
@Suite struct RuleExampleTests {
    static let rules = (try? BundledRules.load().map(\.description)) ?? []

    /// The files of an example: each `# file: PATH` line starts one.
    static func files(of example: String) -> [String: [UInt8]] {
        var files: [String: String] = [:]
        var current: String?
        for line in example.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# file: ") {
                current = String(line.dropFirst("# file: ".count)).trimmingCharacters(in: .whitespaces)
                files[current ?? ""] = ""
            } else if let path = current {
                files[path, default: ""] += line + "\n"
            }
        }
        return files.mapValues { Array($0.utf8) }
    }

    static func findings(of code: String, in example: String) async throws -> Int {
        let files = Self.files(of: example)
        try #require(!files.isEmpty, "\(code): the example names no file (`# file: PATH`)")
        let root = try makeTree(files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--select", code, "--format", "json", "--fail-on", "never", root])
        #expect(result.status == 0, "\(code): \(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let findings = json?["findings"] as? [[String: Any]] ?? []
        return findings.filter { $0["rule"] as? String == code }.count
    }

    static var rulesWithExamples: [String] {
        rules.filter { $0.implemented && ($0.exampleBad != nil || $0.exampleGood != nil) }.map(\.code)
    }

    @Test func everyImplementedRuleHasBothExamples() {
        let missing = Self.rules.filter { $0.implemented && ($0.exampleBad == nil || $0.exampleGood == nil) }.map(\.code)
        #expect(missing.isEmpty, "rules without a bad and a good example: \(missing)")
    }

    @Test(arguments: rulesWithExamples)
    func badExampleIsReportedGoodIsNot(_ code: String) async throws {
        let rule = try #require(Self.rules.first { $0.code == code })
        if let bad = rule.exampleBad {
            #expect(try await Self.findings(of: code, in: bad) > 0, "\(code): the bad example is not reported")
        }
        if let good = rule.exampleGood {
            #expect(try await Self.findings(of: code, in: good) == 0, "\(code): the good example is reported")
        }
    }
}
