import Foundation
import Rules
import TestSupport
import Testing

/// The rule bundle compiled into the binary must match `rules/*.toml`.
@Suite struct GeneratedFilesTests {
    static let generatedPath = "Sources/Rules/Declarative/BundledRules+Generated.swift"

    static func ruleFiles() throws -> [(path: String, text: String)] {
        let dir = TestPaths.repositoryRoot.appendingPathComponent("rules")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".toml") }.sorted()
        return try names.map { name in
            ("rules/" + name, try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8))
        }
    }

    @Test func bundledRulesAreFresh() throws {
        let expected = BundledRules.generatedSource(for: try Self.ruleFiles())
        let url = TestPaths.repositoryRoot.appendingPathComponent(Self.generatedPath)
        if ProcessInfo.processInfo.environment["UPDATE_GENERATED"] == "1" {
            try Data(expected.utf8).write(to: url)
            return
        }
        let actual = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "\(Self.generatedPath) is out of date: run `UPDATE_GENERATED=1 swift test --filter GeneratedFilesTests`")
    }
}
