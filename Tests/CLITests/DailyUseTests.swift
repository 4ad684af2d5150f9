import Foundation
import Testing

/// How the tool behaves in a team's daily use: its own reports in the checkout, options that
/// do not apply, and mistakes in the config (helper round 35).
@Suite struct DailyUseTests {
    static let token = "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"

    /// A SARIF report written into the checkout quotes PS101's example credential in its rule
    /// help; the next check skips the report instead of reporting it. A JSON file that only
    /// names the tool is scanned.
    @Test func ownReportsAreSkipped() async throws {
        let root = try makeTree(["settings.py": text("X = 1\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let written = await runCLI(["check", "--format", "sarif", "--output", root + "/results.sarif", "--fail-on", "never", root])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(try String(contentsOfFile: root + "/results.sarif", encoding: .utf8).contains(Self.token))
        let again = await runCLI(["check", "--format", "json", "--fail-on", "never", root])
        let object = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any]
        #expect((object?["findings"] as? [Any])?.isEmpty == true, "\(again.stdout)")
        #expect((object?["summary"] as? [String: Any])?["skipped"] as? Int == 1, "\(again.stdout)")
        let summary = await runCLI(["check", "--fail-on", "never", root])
        #expect(summary.stdout.contains("1 own-report"), "\(summary.stdout)")

        let other = try makeTree(["data.json": text("{\"name\": \"prefect-secrets\", \"token\": \"\(Self.token)\"}\n")])
        defer { try? FileManager.default.removeItem(atPath: other) }
        let scanned = await runCLI(["check", "--format", "json", "--fail-on", "never", other])
        #expect(scanned.stdout.contains("\"PS101\""), "\(scanned.stdout)")
    }

    /// `--statistics` with a machine format goes to standard error, where people read.
    @Test func statisticsBesideMachineFormats() async throws {
        let root = try makeTree(["settings.py": text("TOKEN = \"\(Self.token)\"\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let json = await runCLI(["check", "--format", "json", "--statistics", "--fail-on", "never", root])
        #expect(json.stderr.contains("PS101  plaintext-credential"), "\(json.stderr)")
        #expect((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) != nil)
        let plain = await runCLI(["check", "--format", "json", "--fail-on", "never", root])
        #expect(plain.stderr.isEmpty, "\(plain.stderr)")
    }

    /// The inventory is of the whole project: the options that narrow a check are refused.
    @Test func inventoryRefusesCheckOnlyOptions() async throws {
        for option in [["--staged"], ["--since", "HEAD"], ["--baseline", "b.json"]] {
            let result = await runCLI(["inventory"] + option + ["."])
            #expect(result.status == 2 && result.stderr.contains("are for check"), "\(option): \(result.stderr)")
        }
    }

    /// A bad allowlist regex is reported where it is written, not as a detector's.
    @Test func badAllowlistRegexPointsAtItself() async throws {
        let root = try makeTree([".prefect-secrets.toml": text("[allowlist]\nregexes = [\"ok\", \"[bad\"]\n"), "a.py": text("x = 1\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", root])
        #expect(result.status == 2)
        #expect(result.stderr.contains(".prefect-secrets.toml:2:18: config: allowlist: regexes:"), "\(result.stderr)")
        #expect(!result.stderr.contains("detector"), "\(result.stderr)")
    }
}
