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

    /// A token pasted where a secret's name belongs, and one in a comment on the line of another
    /// rule's finding: neither shows in any format or view, whichever rules are selected.
    @Test func credentialsNextToOrAsSecretNamesNeverShow() async throws {
        let token = "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"
        let flow = """
            from prefect import Flow
            from prefect.storage import GitHub
            from prefect.run_configs import KubernetesRun
            a = Flow("a", storage=GitHub(repo="o/r", path="a.py", access_token_secret="\(token)"), run_config=KubernetesRun(labels=["k8s"]))
            b = Flow("b", storage=GitHub(repo="o/r", path="b.py", access_token_secret="GH_TOKEN"), run_config=KubernetesRun(labels=["k8s"]))  # was \(token)

            """
        // Credentials where a flow name, a label and an agent name belong.
        let named = """
            from prefect import Flow
            from prefect.run_configs import DockerRun
            c = Flow("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", run_config=DockerRun(labels=["AKIAL4SBGJMB35BNLW3L"]))
            # A flow name an f-string fills with module constants: a secret one stays hidden.
            DB_PASSWORD = "hunter2x"
            d = Flow(f"load-{DB_PASSWORD}", run_config=DockerRun(labels=["k8s"]))
            d.name = f"etl {DB_PASSWORD}"

            """
        let root = try makeTree([
            "flows/flow.py": text(flow), "flows/named.py": text(named),
            "start.sh": text("prefect agent kubernetes start --label k8s\nprefect agent docker start --name xoxb-293328798580-4439964366390-aLOS5OAvP7dxamzpvLJ0Zx6m\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        var runs: [[String]] = []
        for format in ["text", "json"] + Self.machineFormats {
            for selection in [[], ["--select", "PS2"]] {
                runs.append(["check", "--backend", "server", "--no-color", "--format", format, "--fail-on", "never"] + selection + [root])
            }
        }
        runs += [["inventory", root], ["inventory", "--format", "json", root]]
        for arguments in runs {
            let result = await runCLI(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            for value in ["Ky9Pf34q", "NaNKNYd7pMCa", "AKIAL4SBGJMB35BNLW3L", "aLOS5OAvP7dx", "hunter2x"] {
                #expect(!result.stdout.contains(value) && !result.stderr.contains(value), "leaked \(value): \(arguments)\n\(result.stdout)")
            }
            if arguments.contains("text") { #expect(result.stdout.contains("needs secret ghp_…(40 chars)"), "\(result.stdout)") }
        }
    }

    /// An error message that quotes what the user wrote hides a credential in it.
    @Test func errorsHideCredentials() async throws {
        let result = try await checkWithConfig("select = [\"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\"]\n")
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown rule selector(s): ghp_…(40 chars)") && !result.stderr.contains("bBRsk29"), "\(result.stderr)")
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

    /// `--output` writes through a symbolic link (the link stays, its target gets the report),
    /// `-` is standard output, for `check` and `baseline` alike.
    @Test func outputThroughLinksAndToStandardOutput() async throws {
        let root = try Self.projectWithFindings()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let reports = root + "/reports"
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        try "old".write(toFile: reports + "/target.json", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: reports + "/report.json", withDestinationPath: "target.json")
        let linked = await runCLI(["check", root, "--output", reports + "/report.json"])
        #expect(linked.status == 1)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: reports + "/report.json") == "target.json")
        #expect(try String(contentsOfFile: reports + "/target.json", encoding: .utf8).contains("\"findings\": ["))
        let dash = await runCLI(["check", root, "--format", "json", "--output", "-"])
        #expect(dash.status == 1 && dash.stdout.contains("\"findings\": ["), "\(dash.stderr)")
        let baseline = await runCLI(["baseline", root, "-o", "-"])
        #expect(baseline.status == 0 && baseline.stdout.contains("\"fingerprint\""), "\(baseline.stderr)")
    }

    @Test func formatBeatsTheExtension() async throws {
        let root = try Self.projectWithFindings()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", root, "--format", "github", "--output", root + "/out.xml"])
        #expect(result.status == 1)
        #expect(try String(contentsOfFile: root + "/out.xml", encoding: .utf8).hasPrefix("::error file=app/settings.py,line=1,col=10,"))
    }
}
