import Foundation
import Testing

/// The tool's own configuration: discovery, validation and its effect on a scan.
@Suite struct ConfigTests {
    static let extraRule = """
        [[rules]]
        id = "ACME001"
        name = "acme-internal-token"
        severity = "warning"
        summary = "An ACME internal token"
        [[rules.detectors]]
        id = "acme-token"
        description = "ACME internal token"
        keywords = ["acme_"]
        regex = '''(acme_[a-z0-9]{12})'''
        secret_group = 1

        """

    @Test func extraPatternRuleFromConfigReportsRedacted() async throws {
        let root = try makeTree([
            ".prefect-secrets.toml": text(Self.extraRule),
            "app/settings.py": text("TOKEN = \"acme_q8z3k1m9x2c4\"\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--fail-on", "warning", root])
        #expect(result.status == 1, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("app/settings.py:1:10: ACME001 [acme-internal-token] ACME internal token in plaintext"))
        #expect(!result.stdout.contains("q8z3k1m9x2c4"), "the value leaked")
        #expect(result.stdout.contains("acme_…(17 chars)") || result.stdout.contains("…(17 chars)"))
        let shown = await runCLI(["check", "--show-secrets", "--fail-on", "never", root])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("acme_q8z3k1m9x2c4"))
    }

    /// A severity the configuration sets wins over the rule's own per-finding ones (PS203 is
    /// an error when every agent fails the flow's runs; PS401 inside `with Flow`).
    @Test func configuredSeverityWinsOverARulesOwn() async throws {
        let flow = """
            from prefect import Flow
            from prefect.client import Secret
            from prefect.run_configs import DockerRun
            from prefect.storage import Module
            with Flow("etl", run_config=DockerRun(), storage=Module("flows.etl")) as flow:
                Secret("A").get()

            """
        let files = ["flows/etl.py": text(flow), "agent.sh": text("prefect agent kubernetes start\n")]
        for (config, expected) in [("", ["error", "error"]), ("[severity]\nps203 = \"info\"\nsecret-read-at-build-time = \"warning\"\n", ["info", "warning"])] {
            let root = try makeTree(files.merging([".prefect-secrets.toml": text(config)]) { $1 })
            defer { try? FileManager.default.removeItem(atPath: root) }
            let result = await runCLI(["check", "--format", "json", "--fail-on", "never", "--select", "PS203,PS401", root])
            let findings = (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]] ?? []
            #expect(findings.map { "\($0["rule"] ?? "") \($0["severity"] ?? "")" } == ["PS203 \(expected[0])", "PS401 \(expected[1])"], "\(result.stdout)")
        }
    }

    /// A `[severity]` key that names no rule is an error, as an unknown `--select` is.
    @Test func severityOfAnUnknownRuleIsAnError() async throws {
        let result = try await checkWithConfig("[severity]\nflow-without-agnet = \"info\"\n")
        #expect(result.status == 2)
        #expect(result.stderr.contains(".prefect-secrets.toml:2:1: config: severity: unknown rule 'flow-without-agnet'"), "\(result.stderr)")
    }

    /// An unknown selector in the config names the file and position, as an unknown key does.
    @Test func unknownSelectorInConfigIsPositioned() async throws {
        let result = try await checkWithConfig("backend = \"server\"\nignore = [\"PS2\", \"PS999\"]\n")
        #expect(result.status == 2)
        #expect(result.stderr.contains(".prefect-secrets.toml:2:10: config: ignore: unknown rule selector(s): PS999"), "\(result.stderr)")
    }

    /// An extra rule may not take a built-in rule's id; the error points at the id.
    @Test func extraRuleReusingABuiltInIDIsAnError() async throws {
        let config = Self.extraRule.replacingOccurrences(of: "\"ACME001\"", with: "\"PS101\"")
        let result = try await checkWithConfig("select = []\n" + config)
        #expect(result.status == 2)
        #expect(result.stderr.contains(".prefect-secrets.toml:3:6: config: rules: PS101 reuses a built-in rule id"), "\(result.stderr)")
    }

    /// A detector of the user's that does not compile is an error at the key at fault (the
    /// regex, the secret group, the validator), on one line.
    @Test(arguments: [
        ("regex = '''(acme_[a-z0-9]{12})'''", "regex = '''(acme_[a-z'''", "10:9: config: rules: detector acme-token: bad regex: regex error at offset"),
        ("secret_group = 1", "secret_group = 2", "11:16: config: rules: detector acme-token: secret group 2 does not exist (the regex has 1 groups)"),
        ("secret_group = 1", "secret_group = 1\nvalidator = \"luhn\"", "12:13: config: rules: detector acme-token: unknown validator \"luhn\""),
    ])
    func extraRuleDetectorErrorsArePositioned(written: String, replacement: String, expected: String) async throws {
        let result = try await checkWithConfig(Self.extraRule.replacingOccurrences(of: written, with: replacement))
        #expect(result.status == 2)
        #expect(result.stderr.contains(".prefect-secrets.toml:\(expected)"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    /// A value check names the key once: `backend: must be …`, not `backend: backend must be …`.
    @Test func valueErrorsNameTheKeyOnce() async throws {
        for (config, expected) in [("backend = \"Cloud\"\n", "1:11: config: backend: must be \"cloud\" or \"server\""), ("max-file-size = 0\n", "1:17: config: max-file-size: must be positive")] {
            let result = try await checkWithConfig(config)
            #expect(result.status == 2)
            #expect(result.stderr.contains(".prefect-secrets.toml:\(expected)"), "\(result.stderr)")
        }
    }

    @Test func pyprojectToolTableIsRead() async throws {
        let config = "[project]\nname = \"x\"\n\n[tool.prefect-secrets]\nselect = [\"ACME\"]\n"
            + Self.extraRule.replacingOccurrences(of: "[[rules]]", with: "[[tool.prefect-secrets.rules]]")
                .replacingOccurrences(of: "[[rules.detectors]]", with: "[[tool.prefect-secrets.rules.detectors]]")
        let root = try makeTree(["pyproject.toml": text(config), "a.txt": text("acme_q8z3k1m9x2c4\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--format", "json", "--fail-on", "never", root])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("\"rule\": \"ACME001\""))
    }

    @Test func unknownKeyIsAPositionedUsageError() async throws {
        let root = try makeTree([".prefect-secrets.toml": text("select = [\"PS1\"]\ncolour = true\n"), "a.txt": text("x\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", root])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("prefect-secrets: error: \(root)/.prefect-secrets.toml:2:1: config: unknown key 'colour'"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func wrongTypeNamesTheKey() async throws {
        let root = try makeTree([".prefect-secrets.toml": text("select = \"PS1\"\n"), "a.txt": text("x\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", root])
        #expect(result.status == 2)
        #expect(result.stderr.contains(".prefect-secrets.toml:1:10: config: select must be an array of strings, not a string"))
    }

    @Test func invalidTOMLInConfigIsAPositionedUsageError() async throws {
        let root = try makeTree([".prefect-secrets.toml": text("select = [\n"), "a.txt": text("x\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", root])
        #expect(result.status == 2)
        #expect(result.stderr.contains(".prefect-secrets.toml:1:10: unterminated array"))
    }

    @Test func excludeAndPerFileIgnoresAndSeverity() async throws {
        // Top-level keys come before the tables of the extra rule.
        let ordered = "exclude = [\"vendor/\"]\n[per-file-ignores]\n\"tests/**\" = [\"acme-internal-token\"]\n[severity]\nACME001 = \"error\"\n" + Self.extraRule
        let root = try makeTree([
            ".prefect-secrets.toml": text(ordered),
            "vendor/lib.py": text("LABEL = \"acme_q8z3k1m9x2c4\"\n"),
            "tests/test_x.py": text("LABEL = \"acme_q8z3k1m9x2c4\"\n"),
            "src/x.py": text("LABEL = \"acme_q8z3k1m9x2c4\"\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--format", "json", root])
        #expect(result.status == 1, "stderr: \(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let findings = object?["findings"] as? [[String: Any]] ?? []
        #expect(findings.map { $0["path"] as? String } == ["src/x.py"])
        #expect(findings.first?["severity"] as? String == "error")
        #expect((object?["summary"] as? [String: Any])?["files"] as? Int == 3)
        // The summary tells the two ways of leaving findings out apart.
        let textRun = await runCLI(["check", "--no-color", root])
        let output = textRun.stdout + textRun.stderr
        #expect(output.contains("1 ignored by per-file-ignores") && !output.contains("suppressed inline"), "\(output)")
    }

    @Test func explicitConfigThatDoesNotExistIsAUsageError() async throws {
        let root = try makeTree(["a.txt": text("x\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--config", root + "/nope.toml", root])
        #expect(result.status == 2)
        #expect(result.stderr.contains("nope.toml: cannot read the configuration file"))
    }

    /// `exclude` and `per-file-ignores` globs are relative to the config file, also when a
    /// folder below it is checked (helper round 41: `check sub` matched `flows/x.py` against
    /// `sub/flows/x.py` and skipped it).
    @Test func pathGlobsAreRelativeToTheConfigFile() async throws {
        let token = "GITHUB_TOKEN = \"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\"\n"
        let root = try makeTree([
            ".prefect-secrets.toml": text("exclude = [\"flows/vendored.py\", \"legacy/\"]\n[per-file-ignores]\n\"flows/tests/*\" = [\"PS1\"]\n"),
            "sub/flows/vendored.py": text(token), "flows/vendored.py": text(token), "legacy/app/x.py": text(token),
            "flows/tests/t.py": text(token), "sub/flows/tests/t.py": text(token),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        func paths(_ arguments: [String]) async throws -> [String] {
            let result = await runCLI(["check", "--format", "json", "--fail-on", "never"] + arguments)
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            return Set((object?["findings"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }).sorted()
        }
        #expect(try await paths([root]) == ["sub/flows/tests/t.py", "sub/flows/vendored.py"])
        #expect(try await paths([root + "/sub"]) == ["flows/tests/t.py", "flows/vendored.py"])
        #expect(try await paths([root + "/flows"]) == [])
        // A folder named on the command line is checked although a glob excludes it (as in ruff).
        #expect(try await paths([root + "/legacy/app"]) == ["x.py"])
    }
}
