import Foundation
import Spans
import Testing

/// `prefect-secrets baseline` and `check --baseline`: adopted findings stay hidden through
/// edits and line moves; only new ones fail the check.
@Suite struct BaselineTests {
    static let files: [String: [UInt8]] = [
        ".prefect-secrets.toml": text(acmeRuleConfig),
        "app/settings.py": text("import os\nLABEL = \"acme_q8z3k1m9x2c4\"\n"),
        "deploy/run.sh": text("#!/bin/sh\nexport ACME=acme_w7p2n5v8b1x3\n"),
    ]

    @Test func baselineHidesOldFindingsThroughLineMovesAndReportsNewOnes() async throws {
        let root = try makeTree(Self.files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let baseline = root + "/.prefect-secrets-baseline.json"

        let before = await runCLI(["check", root])
        #expect(before.status == 1, "the project must have findings: \(before.stdout)\(before.stderr)")

        let written = await runCLI(["baseline", root, "--output", baseline])
        #expect(written.status == 0, "stderr: \(written.stderr)")
        #expect(written.stderr.contains("Wrote 2 findings to"))
        let file = try String(contentsOfFile: baseline, encoding: .utf8)
        #expect(!file.contains("q8z3k1m9x2c4") && !file.contains("w7p2n5v8b1x3"), "a value reached the baseline")
        #expect(!file.contains("line"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(file.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 2)
        let entries = try #require(object["findings"] as? [[String: String]])
        #expect(entries.map { $0["path"] } == ["app/settings.py", "deploy/run.sh"])
        #expect(entries.allSatisfy { $0["value_hash"] == nil }, "short values get no hash")
        #expect(entries.allSatisfy { $0["rule"] == "ACME001" && ($0["fingerprint"] ?? "").hasPrefix("sha256:") })

        let hidden = await runCLI(["check", "--baseline", baseline, root])
        #expect(hidden.status == 0, "stdout: \(hidden.stdout) stderr: \(hidden.stderr)")
        #expect(hidden.stdout.contains("No findings"))
        #expect(hidden.stdout.contains("2 hidden by the baseline (0 stale entries)"))

        // 50 lines above every finding: nothing new.
        let padding = String(repeating: "# unrelated line\n", count: 50)
        try Data((padding + "import os\nLABEL = \"acme_q8z3k1m9x2c4\"\n").utf8).write(to: URL(fileURLWithPath: root + "/app/settings.py"))
        try Data(("#!/bin/sh\n" + padding + "  export ACME=acme_w7p2n5v8b1x3\n").utf8).write(to: URL(fileURLWithPath: root + "/deploy/run.sh"))
        let moved = await runCLI(["check", "--baseline", baseline, root])
        #expect(moved.status == 0, "stdout: \(moved.stdout)")
        #expect(moved.stdout.contains("2 hidden by the baseline"))

        // One new secret: only it is reported.
        try Data((padding + "import os\nLABEL = \"acme_q8z3k1m9x2c4\"\nLABEL2 = \"acme_m4k8s2d6f9h3\"\n").utf8)
            .write(to: URL(fileURLWithPath: root + "/app/settings.py"))
        let added = await runCLI(["check", "--format", "json", "--baseline", baseline, root])
        #expect(added.status == 1)
        #expect(try findingPlaces(added.stdout) == ["app/settings.py:53"])
        let object2 = try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any]
        #expect((object2?["summary"] as? [String: Any])?["baseline_hidden"] as? Int == 2)
    }

    /// A fingerprint hashes no value, not even its hash: a short value (a PIN) could be found
    /// again by hashing every candidate with the rule, path, name and line, which are public.
    /// Also not through what the value changes elsewhere on its line.
    @Test(arguments: [
        (".env", "PREFECT__CONTEXT__SECRETS__PIN=VALUE\nPREFECT__CONTEXT__SECRETS__PORT=VALUE # VALUE\n", ["0123", "0456"]),
        (".env", "PREFECT__CONTEXT__SECRETS__token=VALUE\n", ["ok", "xy"]),
        ("flow.py", "import prefect\nprefect.context.secrets[\"postgres_password\"] = \"VALUE\"\n", ["postgres", "hunter22"]),
    ])
    func fingerprintsDoNotDependOnTheValue(file: String, template: String, values: [String]) async throws {
        var fingerprints: [[String]] = []
        for value in values {
            let root = try makeTree([file: text(template.replacingOccurrences(of: "VALUE", with: value))])
            defer { try? FileManager.default.removeItem(atPath: root) }
            fingerprints.append(try await Self.fingerprints(root))
            #expect(!fingerprints[fingerprints.count - 1].isEmpty, "no finding for \(template)")
        }
        #expect(fingerprints[0] == fingerprints[1], "\(template)")
    }

    /// Two values on one line are two findings with two fingerprints.
    @Test func valuesOnOneLineKeepTheirOwnFingerprints() async throws {
        let flow = "from prefect import Flow\nfrom prefect.storage import Docker\nwith Flow('f', storage=Docker(env_vars={\"DB_PASSWORD\": \"Zq8vLw3nRt\", \"API_TOKEN\": \"Hk2pXy7mNb\"})) as flow:\n    pass\n"
        let root = try makeTree(["flow.py": text(flow)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fingerprints = try await Self.fingerprints(root)
        #expect(fingerprints.count >= 2 && Set(fingerprints).count == fingerprints.count, "\(fingerprints)")
    }

    static func fingerprints(_ root: String) async throws -> [String] {
        let run = await runCLI(["check", "--format", "json", root])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        return findings.compactMap { $0["fingerprint"] as? String }
    }

    /// A token committed over a baselined one keeps the line's fingerprint (no value is
    /// hashed into it) but is new: the baseline records a hash of such a value. The old entry
    /// is stale. A short value gets no hash, and a version 1 baseline matches fingerprints only.
    @Test func aCredentialCommittedOverABaselinedOneIsNew() async throws {
        let old = "xoxb-123456789012-123456789012-" + "Q7rT2mX9pL4vB8nK3sW6yH1c"
        let rotated = "xoxb-123456789012-123456789012-" + "L3kP8wN1qV6rT9mB2xC7zH4j"
        let python = { (token: String, pin: String) in text("import os\nSLACK = \"\(token)\"\nPIN = \"\(pin)\"\n") }
        let config = acmeRuleConfig.replacingOccurrences(of: "select = [\"ACME\"]", with: "select = [\"ACME\", \"PS101\"]")
        let root = try makeTree([".prefect-secrets.toml": text(config), "app/settings.py": python(old, "acme_q8z3k1m9x2c4")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let baseline = root + "/baseline.json"
        #expect(await runCLI(["baseline", root, "-o", baseline]).status == 0)
        let file = try String(contentsOfFile: baseline, encoding: .utf8)
        #expect(!file.contains("Q7rT2mX9pL4vB8nK3sW6yH1c") && !file.contains("q8z3k1m9x2c4"), "a value reached the baseline")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(file.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 2)
        let entries = try #require(object["findings"] as? [[String: String]])
        // The token's entry has a hash, the short value's none; neither is the value's own hash.
        let hashes = entries.compactMap { $0["value_hash"] }
        #expect(entries.count == 2 && hashes.count == 1, "\(entries)")
        var plain = SHA256()
        plain.update(old)
        #expect(hashes.allSatisfy { $0.hasPrefix("sha256:") && $0 != "sha256:" + plain.finalizeHex() })

        let same = await runCLI(["check", "--baseline", baseline, root])
        #expect(same.status == 0 && same.stdout.contains("2 hidden by the baseline (0 stale entries)"), "\(same.stdout)")

        // The token rotated in place (and the short value too): only the token is new.
        try Data(python(rotated, "acme_z1x2c3v4b5n6")).write(to: URL(fileURLWithPath: root + "/app/settings.py"))
        let changed = await runCLI(["check", "--format", "json", "--baseline", baseline, root])
        #expect(changed.status == 1)
        #expect(try findingPlaces(changed.stdout) == ["app/settings.py:2"])
        #expect(!changed.stdout.contains("L3kP8wN1qV6rT9mB2xC7zH4j"))
        let summary = try #require((try JSONSerialization.jsonObject(with: Data(changed.stdout.utf8)) as? [String: Any])?["summary"] as? [String: Any])
        #expect(summary["baseline_hidden"] as? Int == 1)

        // A version 1 baseline (written before value hashes) still hides by fingerprint alone.
        let legacy = file.replacingOccurrences(of: "\"version\": 2", with: "\"version\": 1")
        try Data(legacy.utf8).write(to: URL(fileURLWithPath: baseline))
        let old1 = await runCLI(["check", "--baseline", baseline, root])
        #expect(old1.status == 0 && old1.stdout.contains("2 hidden by the baseline"), "\(old1.stdout)")
    }

    @Test func staleEntriesAreCounted() async throws {
        let root = try makeTree(Self.files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let baseline = root + "/baseline.json"
        #expect(await runCLI(["baseline", root, "-o", baseline]).status == 0)
        try Data("import os\nTOKEN = os.environ[\"TOKEN\"]\n".utf8).write(to: URL(fileURLWithPath: root + "/app/settings.py"))
        let result = await runCLI(["check", "--baseline", baseline, root])
        #expect(result.status == 0)
        #expect(result.stdout.contains("1 hidden by the baseline (1 stale entries)"))
    }

    @Test func aDuplicatedLineIsNewBeyondTheBaselinedCount() async throws {
        let root = try makeTree(Self.files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let baseline = root + "/baseline.json"
        #expect(await runCLI(["baseline", root, "-o", baseline]).status == 0)
        try Data("import os\nLABEL = \"acme_q8z3k1m9x2c4\"\nLABEL = \"acme_q8z3k1m9x2c4\"\n".utf8)
            .write(to: URL(fileURLWithPath: root + "/app/settings.py"))
        let result = await runCLI(["check", "--format", "json", "--baseline", baseline, root])
        #expect(result.status == 1)
        #expect(try findingPlaces(result.stdout).count == 1)
    }

    @Test(arguments: ["{\"version\": 1}", "[]", "not json", "{\"version\": 1, \"findings\": [{\"rule\": \"PS101\"}]}", "{\"version\": 9, \"findings\": []}",
        "{\"version\": 2, \"findings\": [{\"fingerprint\": \"f\", \"rule\": \"PS101\", \"path\": \"a.txt\", \"value_hash\": 1}]}"])
    func malformedBaselineIsAOneLineUsageError(_ contents: String) async throws {
        let root = try makeTree(["a.txt": text("x\n"), "b.json": text(contents)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--baseline", root + "/b.json", root])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("prefect-secrets: error: \(root)/b.json: "))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func baselineRejectsPartialScans() async {
        for flag in [["--staged"], ["--since", "HEAD"], ["--baseline", "b.json"]] {
            let result = await runCLI(["baseline"] + flag + ["."])
            #expect(result.status == 2, "\(flag)")
        }
    }

    @Test func missingBaselineIsAUsageError() async throws {
        let root = try makeTree(["a.txt": text("x\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--baseline", root + "/nope.json", root])
        #expect(result.status == 2)
        #expect(result.stderr == "prefect-secrets: error: \(root)/nope.json: cannot read the baseline file\n")
    }
}
