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
        let result = try await checkWithConfig("[allowlist]\nregexes = [\"ok\", \"[bad\"]\n")
        #expect(result.status == 2)
        #expect(result.stderr.contains(".prefect-secrets.toml:2:18: config: allowlist: regexes:"), "\(result.stderr)")
        #expect(!result.stderr.contains("detector"), "\(result.stderr)")
    }

    /// `per-file-ignores` names rules as `select` does: an unknown one is an error where it
    /// is written (helper round 38).
    @Test func perFileIgnoresRejectsUnknownRules() async throws {
        let result = try await checkWithConfig("[per-file-ignores]\n\"tests/**\" = [\"PS102\", \"PS999\"]\n")
        #expect(result.status == 2)
        #expect(result.stderr.contains(".prefect-secrets.toml:2:14: config: per-file-ignores: tests/**: unknown rule selector(s): PS999"), "\(result.stderr)")
        #expect(try await checkWithConfig("[per-file-ignores]\n\"tests/**\" = [\"PS102\", \"PS2\"]\n").status == 0)
    }

    /// A broken `--cloud-secrets` file is reported with where and why, never with its names.
    @Test func cloudSecretsInventoryErrors() async throws {
        let root = try makeTree([
            "a.py": text("x = 1\n"), "bad.json": text("[\"A\",\n \"B\",\n  oops]"), "binary.txt": [0, 1, 10], "latin1.json": [0x5B, 0x22, 0xE9, 0x22, 0x5D],
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let expected = [
            "bad.json": "bad.json:3:3: the cloud secrets inventory is not valid JSON", "binary.txt": "UTF-8 text (it holds NUL bytes)",
            "latin1.json": "UTF-8 text (it holds bytes that are not UTF-8)",
        ]
        for (file, message) in expected {
            let result = await runCLI(["check", "--cloud-secrets", root + "/" + file, root + "/a.py"])
            #expect(result.status == 2 && result.stderr.contains(message), "\(file): \(result.stderr)")
        }
    }

    /// `--since` outside a git repository says so, not that the revision is unknown.
    @Test func sinceOutsideRepository() async throws {
        let root = try makeTree(["a.py": text("x = 1\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--since", "HEAD", root])
        #expect(result.status == 2 && result.stderr.contains("--since needs a git repository"), "\(result.stderr)")
    }

    /// The inventory says which files it could not read, whose secrets it may lack.
    @Test func inventoryNamesUnparsedFiles() async throws {
        let files = [
            ".prefect/config.toml": text("[context.secrets\nWAREHOUSE_PASSWORD = \"x\"\n"),
            "flows/f.py": text("from prefect import Flow\nfrom prefect.tasks.secrets import PrefectSecret\nwith Flow('x') as f:\n    PrefectSecret('WAREHOUSE_PASSWORD')\n"),
        ]
        let root = try makeTree(files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plain = await runCLI(["inventory", root])
        #expect(plain.stdout.contains("Parse errors (read only up to what the tool could parse; `prefect-secrets check --select PS900` shows them)\n  .prefect/config.toml:1:17\n"), "\(plain.stdout)")
        let json = await runCLI(["inventory", "--format", "json", root])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["unparsed_files"] as? [String] == [".prefect/config.toml:1:17"], "\(json.stdout)")
        let fixed = try makeTree(files.merging([".prefect/config.toml": text("[context.secrets]\nWAREHOUSE_PASSWORD = \"x\"\n")]) { $1 })
        defer { try? FileManager.default.removeItem(atPath: fixed) }
        #expect(!(await runCLI(["inventory", fixed])).stdout.contains("Not read"))
    }
}
