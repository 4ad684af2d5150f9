import Foundation
import TestSupport
import Testing

/// Golden outputs for the fixtures in testdata/: one per rule folder (`testdata/rules/<CODE>/`,
/// scanned with only that rule selected) and one text + one JSON report per fixture project.
/// `UPDATE_SNAPSHOTS=1 swift test --filter SnapshotTests` rewrites them.
@Suite(.serialized) struct SnapshotTests {
    static func folders(_ relative: String) -> [String] {
        let dir = TestPaths.testdata.appendingPathComponent(relative)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    static let ruleFolders = folders("rules")
    static let projects = folders("projects")

    /// A rule folder is one project, or holds only `case-*` subfolders, each a project of its
    /// own (project rules such as PS302 need one project per case).
    @Test(arguments: ruleFolders)
    func ruleFixture(_ code: String) async throws {
        let folder = TestPaths.testdata.appendingPathComponent("rules/\(code)")
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let cases = entries.filter { $0.hasPrefix("case-") }
        #expect(cases.isEmpty || cases.count == entries.count, "testdata/rules/\(code): mix of case-* folders and loose files")
        let projects = cases.isEmpty ? [("", folder.path)] : cases.map { ($0, folder.appendingPathComponent($0).path) }
        var output = ""
        for (name, path) in projects {
            let result = await runCLI(["check", "--select", code, "--no-color", "--fail-on", "never", path])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            output += (name.isEmpty ? "" : "== \(name)\n") + result.stdout
        }
        if let mismatch = snapshotMismatch(output, path: "testdata/snapshots/rules/\(code).txt") {
            Issue.record(Comment(rawValue: mismatch))
        }
    }

    @Test(arguments: projects)
    func projectReports(_ name: String) async throws {
        let path = TestPaths.testdata.appendingPathComponent("projects/\(name)").path
        for format in ["text", "json"] {
            let result = await runCLI(["check", "--format", format, "--no-color", "--fail-on", "never", path])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let ext = format == "text" ? "txt" : format
            if let mismatch = snapshotMismatch(result.stdout, path: "testdata/snapshots/projects/\(name).check.\(ext)") {
                Issue.record(Comment(rawValue: mismatch))
            }
            let inventory = await runCLI(["inventory", "--format", format, path])
            #expect(inventory.status == 0, "stderr: \(inventory.stderr)")
            if let mismatch = snapshotMismatch(inventory.stdout, path: "testdata/snapshots/projects/\(name).inventory.\(ext)") {
                Issue.record(Comment(rawValue: mismatch))
            }
        }
    }

    /// No planted value reaches any output format without --show-secrets, nor do 10
    /// characters of one in a row that look random (letters and digits): the values are learned
    /// from a --show-secrets JSON run, then searched for in every other output. Fixture
    /// projects and every rule's examples. Whole values are looked for in the fixture projects'
    /// text and JSON reports: the readable fakes of rule examples (`pa${ss}word`) also occur in
    /// the rule documentation that SARIF carries.
    @Test(arguments: projects.map { "projects/\($0)" } + ruleFolders.flatMap(ruleCases))
    func noSecretValueLeaks(_ relative: String) async throws {
        let path = TestPaths.testdata.appendingPathComponent(relative).path
        let shown = await runCLI(["check", "--format", "json", "--show-secrets", "--fail-on", "never", path])
        let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        let values = ((object?["findings"] as? [[String: Any]]) ?? []).compactMap { $0["value"] as? String }
            .filter { $0.count >= 6 }
        let window = 10
        let pieces = Set(values.flatMap { value -> [String] in
            let characters = Array(value)
            guard characters.count >= window else { return [] }
            return (0...(characters.count - window)).map { String(characters[$0..<$0 + window]) }
                .filter { $0.contains(where: \.isNumber) && $0.contains(where: \.isLetter) }
        })
        var runs: [[String]] = ["text", "json", "sarif", "github", "gitlab", "junit"].map { ["check", "--format", $0, "--fail-on", "never"] }
        runs += [["check", "--statistics", "--fail-on", "never"], ["check", "--quiet", "--fail-on", "never"]]
        runs += [["inventory"], ["inventory", "--format", "json"]]
        for arguments in runs {
            // SARIF carries the rules' documentation, whose readable examples may match.
            let wholeValues = relative.hasPrefix("projects/") && !arguments.contains("sarif") ? values : []
            let result = await runCLI(arguments + [path])
            // Hiding a value must not break the format that carries it.
            if !Set(arguments).isDisjoint(with: ["json", "sarif", "gitlab"]) {
                #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil, "`\(arguments.joined(separator: " "))` for \(relative) is not JSON")
            }
            for piece in pieces.union(wholeValues) where result.stdout.contains(piece) || result.stderr.contains(piece) {
                Issue.record("part of a secret value leaked in `\(arguments.joined(separator: " "))` for \(relative)")
            }
        }
    }

    /// A rule folder's projects: itself, or its `case-*` subfolders.
    static func ruleCases(_ code: String) -> [String] {
        let folder = TestPaths.testdata.appendingPathComponent("rules/\(code)")
        let cases = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix("case-") }.sorted()
        return cases.isEmpty ? ["rules/\(code)"] : cases.map { "rules/\(code)/\($0)" }
    }
}
