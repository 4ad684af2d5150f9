import Foundation
import TestSupport
import Testing

/// The CI formats end to end: no value leaks without --show-secrets, and --output picks the
/// format from the file extension.
@Suite struct MachineFormatTests {
    static let machineFormats = ["sarif", "github", "gitlab", "junit"]

    static func projectWithFindings() throws -> String {
        try makeTree([
            ".prefect-secrets.toml": text(acmeRuleConfig),
            "app/settings.py": text("LABEL = \"acme_q8z3k1m9x2c4\"\n"),
            "deploy/run.sh": text("export ACME=acme_w7p2n5v8b1x3\n"),
        ])
    }

    @Test func noValueLeaksInAnyFormat() async throws {
        let root = try Self.projectWithFindings()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var roots = [root]
        roots += ((try? FileManager.default.contentsOfDirectory(atPath: TestPaths.testdata.appendingPathComponent("projects").path)) ?? [])
            .map { TestPaths.testdata.appendingPathComponent("projects/\($0)").path }
        for path in roots {
            let shown = await runCLI(["check", "--format", "json", "--show-secrets", "--fail-on", "never", path])
            let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
            let values = ((object?["findings"] as? [[String: Any]]) ?? []).compactMap { $0["value"] as? String }.filter { $0.count >= 6 }
            if path == root { #expect(values.count == 2) }
            for format in Self.machineFormats {
                let result = await runCLI(["check", "--format", format, "--fail-on", "never", path])
                #expect(result.status == 0, "\(format): \(result.stderr)")
                for value in values {
                    #expect(!result.stdout.contains(value) && !result.stderr.contains(value), "a value leaked in \(format)")
                }
            }
        }
    }

    @Test(arguments: [("results.sarif", "\"version\": \"2.1.0\""), ("report.xml", "<testsuites"), ("report.json", "\"findings\": [")])
    func outputExtensionChoosesTheFormat(_ name: String, _ marker: String) async throws {
        let root = try Self.projectWithFindings()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let output = root + "/" + name
        let result = await runCLI(["check", root, "--output", output])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("Found 2 findings"))
        let written = try String(contentsOfFile: output, encoding: .utf8)
        #expect(written.contains(marker), "\(name)")
    }

    @Test func formatBeatsTheExtension() async throws {
        let root = try Self.projectWithFindings()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", root, "--format", "github", "--output", root + "/out.xml"])
        #expect(result.status == 1)
        #expect(try String(contentsOfFile: root + "/out.xml", encoding: .utf8).hasPrefix("::error file=app/settings.py,line=1,col=10,"))
    }
}
