@testable import CLI
import Foundation
import Report
import Rules
import Testing
import TestSupport

/// Where the scanner gets file contents: project findings located in kept sources or in
/// files read again agree, and the reader never blocks on a special file.
@Suite struct ScannerSourcesTests {
    private func scan(_ root: String, factsSourceBudget: Int) throws -> ScanReport {
        let engine = try Engine.load()
        var discovery = Discovery(root: root)
        let files = try discovery.discover([root])
        var scanner = Scanner(
            catalogue: engine.catalogue, fileRules: engine.fileRules, projectRules: engine.projectRules,
            selector: RuleSelector(), settings: RuleSettings(), sizeLimit: ScanOptions.defaultMaxFileSize, jobs: 2)
        scanner.factsSourceBudget = factsSourceBudget
        return scanner.scan(files)
    }

    /// Kept or read again, a project finding gets the same location and fingerprint, and the
    /// same suppressions apply.
    @Test(arguments: ["demo", "mixed-backends", "overlapping-labels", "run-templates", "server-docker"])
    func keptSourcesLocateLikeRereadFiles(_ project: String) throws {
        try expectSameLocations(TestPaths.testdata.appendingPathComponent("projects/\(project)").path)
    }

    /// A suppression comment in a file with facts hides its project finding either way.
    @Test func keptSourcesKeepSuppressions() throws {
        let root = try makeTree([
            "flows/etl.py": text(
                """
                from prefect import Flow
                from prefect.tasks.secrets import PrefectSecret

                with Flow("etl") as flow:  # prefect-secrets: ignore[PS203]
                    PrefectSecret("DB_PASSWORD")
                with Flow("report") as other:
                    PrefectSecret("DB_PASSWORD")

                """),
            "deploy/agent.sh": text("prefect agent docker start --label prod\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let report = try expectSameLocations(root)
        #expect(report.findings.filter { $0.code == "PS203" }.count == 1)
        #expect(report.summary.suppressed == 1)
    }

    @discardableResult
    private func expectSameLocations(_ root: String) throws -> ScanReport {
        let kept = try scan(root, factsSourceBudget: 64 << 20)
        let reread = try scan(root, factsSourceBudget: 0)
        let projectCodes = Set(BuiltInRules.projectRules.flatMap(\.codes))
        #expect(kept.findings.contains { projectCodes.contains($0.code) }, "the project has project findings")
        func key(_ finding: Finding) -> String {
            "\(finding.code) \(finding.path):\(finding.start.line):\(finding.start.column)-\(finding.end.line):\(finding.end.column) \(finding.fingerprint)"
        }
        #expect(kept.findings.map(key) == reread.findings.map(key))
        #expect(kept.summary == reread.summary)
        return kept
    }

    /// A file replaced by a FIFO after discovery is skipped as a special file, not waited on.
    @Test func readerSkipsFIFOWithoutBlocking() throws {
        let root = try makeTree(["a.txt": text("x\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(mkfifo(root + "/pipe", 0o600) == 0)
        guard case .skipped(let reason, _, _) = FileReader.read(root + "/pipe", sizeLimit: 1 << 20) else {
            Issue.record("a FIFO was read")
            return
        }
        #expect(reason == .specialFile)
        guard case .content(let bytes) = FileReader.read(root + "/a.txt", sizeLimit: 1 << 20) else {
            Issue.record("a.txt was not read")
            return
        }
        #expect(bytes == Array("x\n".utf8))
        guard case .skipped(.vanished, _, _) = FileReader.read(root + "/gone.txt", sizeLimit: 1 << 20) else {
            Issue.record("a missing file was not reported as vanished")
            return
        }
    }
}
