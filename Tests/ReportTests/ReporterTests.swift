import Foundation
@testable import Report
import Rules
import Spans
import TestSupport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The machine formats (SARIF, GitHub, GitLab, JUnit) on a hand-made report: golden files in
/// testdata/snapshots/reports/, escaping, and redaction.
@Suite struct ReporterTests {
    static let fakeValue = "acme_q8z3k1m9x2c4"

    /// Two files: one with a multi-byte character before the secret, a fix and a duplicate
    /// line (same fingerprint twice), one whose name needs escaping everywhere.
    static func sampleReport() -> ScanReport {
        let rules = [
            RuleDescription(
                code: "ACME001", name: "acme-internal-token", severity: .error, summary: "An ACME internal token",
                explanation: "## What it does\nFinds ACME tokens.\n", fixSafety: "Unsafe: the variable must exist.",
                implemented: true, exampleBad: "TOKEN = \"acme_...\"", exampleGood: "TOKEN = os.environ[\"TOKEN\"]"),
            RuleDescription(code: "ACME002", name: "acme-note", severity: .info, summary: "A note", explanation: "", implemented: true),
        ]
        let first = SourceFile(path: "app/é.py", text: "# café\nTOKEN = \"\(fakeValue)\"\nTOKEN = \"\(fakeValue)\"\n")
        let second = SourceFile(path: "odd, name: 100%.sh", text: "echo x\n")
        var findings: [Finding] = []
        for line in [2, 3] {
            let lineStart = first.lines.lineStarts[line - 1]
            let secret = ByteSpan(lineStart + 9, lineStart + 9 + fakeValue.utf8.count)
            var finding = Finding(
                code: "ACME001", name: "acme-internal-token", severity: .error, path: first.path, span: secret,
                message: "ACME internal token in plaintext, line\nbreak", secretName: "TOKEN", secretSpan: secret,
                redactedValue: "acme_…(17 chars)",
                fix: line == 2
                    ? Fix(
                        applicability: .unsafe, description: "read TOKEN from the environment",
                        edits: [
                            FixEdit(
                                path: first.path,
                                edit: TextEdit(span: ByteSpan(lineStart + 8, secret.end + 1), replacement: "os.environ[\"TOKEN\"]"))
                        ])
                    : nil)
            finding.start = first.location(of: secret.start)
            finding.end = first.location(of: secret.end)
            finding.fingerprint = Fingerprint.compute(finding: finding, file: first)
            findings.append(finding)
        }
        var note = Finding(
            code: "ACME002", name: "acme-note", severity: .info, path: second.path, span: ByteSpan(0, 4), message: "a <note> & 'quote'")
        note.start = second.location(of: 0)
        note.end = second.location(of: 4)
        note.fingerprint = Fingerprint.compute(finding: note, file: second)
        findings.append(note)
        var summary = ScanSummary()
        summary.files = 2
        return ScanReport(
            findings: findings, catalogue: RuleCatalogue(rules), summary: summary,
            sources: [first.path: first, second.path: second])
    }

    static let options = ReportOptions(toolVersion: "0.1.0")

    static let formats: [(name: String, file: String)] = [
        ("sarif", "sample.sarif"), ("github", "sample.github.txt"), ("gitlab", "sample.gitlab.json"), ("junit", "sample.junit.xml"),
    ]

    @Test(arguments: formats.map(\.name))
    func goldenOutput(_ format: String) throws {
        let reporter = try #require(Reporters.reporter(named: format))
        let output = reporter.render(Self.sampleReport(), options: Self.options)
        let file = Self.formats.first { $0.name == format }?.file ?? format
        if let mismatch = snapshotMismatch(output, path: "testdata/snapshots/reports/\(file)") {
            Issue.record(Comment(rawValue: mismatch))
        }
    }

    @Test(arguments: Reporters.names)
    func valuesAreRedactedUnlessAsked(_ format: String) throws {
        let reporter = try #require(Reporters.reporter(named: format))
        let hidden = reporter.render(Self.sampleReport(), options: Self.options)
        #expect(!hidden.contains(Self.fakeValue), "\(format) leaked the value")
    }

    @Test func sarifShowsTheValueOnlyWithShowSecrets() {
        let shown = SARIFReporter().render(Self.sampleReport(), options: ReportOptions(showSecrets: true, toolVersion: "0.1.0"))
        #expect(shown.contains(Self.fakeValue))
    }

    @Test func sarifLeavesOutAFixThatWouldInsertTheSecret() {
        var report = Self.sampleReport()
        report.findings[0].fix = Fix(
            applicability: .safe, description: "move it",
            edits: [FixEdit(path: "other.env", edit: TextEdit(span: .empty(at: 0), replacement: "T=\(Self.fakeValue)\n"))])
        let hidden = SARIFReporter().render(report, options: Self.options)
        #expect(!hidden.contains(Self.fakeValue))
        #expect(!hidden.contains("\"fixes\""))
        let shown = SARIFReporter().render(report, options: ReportOptions(showSecrets: true, toolVersion: "0.1.0"))
        #expect(shown.contains("\"fixes\""))
        let json = JSONReporter().render(report, options: Self.options)
        #expect(!json.contains(Self.fakeValue))
    }

    /// A known secret value around the finding's own secret (a JSON env value holding a
    /// token next to a password) is hidden around the token's placeholder.
    @Test func textHidesTheValueAroundTheFindingsSecret() {
        var report = Self.sampleReport()
        let file = SourceFile(path: "a.env", text: "CFG='{\"password\":\"p4ss-neighbour\",\"t\":\"\(Self.fakeValue)\"}'\n")
        let token = ByteSpan(ByteSearch.firstIndex(of: Array(Self.fakeValue.utf8), in: file.bytes) ?? 0, 0)
        let secret = ByteSpan(token.start, token.start + Self.fakeValue.utf8.count)
        var finding = Finding(
            code: "ACME001", name: "acme-internal-token", severity: .error, path: file.path, span: secret,
            message: "token", secretSpan: secret, redactedValue: "acme_…(17 chars)")
        finding.start = file.location(of: secret.start)
        report.findings = [finding]
        report.sources = [file.path: file]
        report.secretValueSpans = [file.path: [ByteSpan(5, file.bytes.count - 2)]]
        let text = TextReporter().render(report, options: Self.options)
        #expect(!text.contains("p4ss") && !text.contains(Self.fakeValue), "\(text)")
        #expect(text.contains("acme_…(17 chars)"))
        #expect(TextReporter.uncovered(ByteSpan(0, 10), by: [ByteSpan(3, 5), ByteSpan(7, 12)]) == [ByteSpan(0, 3), ByteSpan(5, 7)])
    }

    @Test func sarifStructure() throws {
        let output = SARIFReporter().render(Self.sampleReport(), options: Self.options)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(object["version"] as? String == "2.1.0")
        let run = try #require((object["runs"] as? [[String: Any]])?.first)
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == ["ACME001", "ACME002"])
        #expect(rules[0]["helpUri"] as? String == "https://github.com/prefect-secrets/prefect-secrets/blob/main/docs/rules/ACME001.md")
        #expect((rules[1]["defaultConfiguration"] as? [String: Any])?["level"] as? String == "note")
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.map { $0["ruleIndex"] as? Int } == [0, 0, 1])
        let location = try #require((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "app/%C3%A9.py")
        let region = try #require(location["region"] as? [String: Any])
        // Line 2 is `TOKEN = "acme_…"`: the value starts at character 10, after `# café\n` (8 bytes).
        #expect(region["startLine"] as? Int == 2)
        #expect(region["startColumn"] as? Int == 10)
        #expect(region["endColumn"] as? Int == 27)
        #expect(region["byteOffset"] as? Int == 8 + 9)
        #expect(region["byteLength"] as? Int == 17)
        let fix = try #require((results[0]["fixes"] as? [[String: Any]])?.first)
        let change = try #require((fix["artifactChanges"] as? [[String: Any]])?.first)
        let replacement = try #require((change["replacements"] as? [[String: Any]])?.first)
        #expect((replacement["deletedRegion"] as? [String: Any])?["byteOffset"] as? Int == 8 + 8)
        #expect((replacement["deletedRegion"] as? [String: Any])?["byteLength"] as? Int == 19)
        #expect((replacement["insertedContent"] as? [String: Any])?["text"] as? String == "os.environ[\"TOKEN\"]")
        #expect(results[1]["fixes"] == nil)
    }

    @Test func gitHubEscaping() {
        #expect(GitHubReporter.escapeData("100%\r\nnext: a,b") == "100%25%0D%0Anext: a,b")
        #expect(GitHubReporter.escapeProperty("odd, name: 100%.sh") == "odd%2C name%3A 100%25.sh")
        // A control character in a file's name is written as an escape, never sent to the log.
        #expect(GitHubReporter.escapeData("esc\u{1B}[31m.py\u{7F}") == "esc\\x1b[31m.py\\x7f")
        #expect(TextReporter.visible("new\nline\t\u{1B}.py") == "new\\nline\\t\\x1b.py")
        #expect(TextReporter.visible("plain/é.py") == "plain/é.py")
        let output = GitHubReporter().render(Self.sampleReport(), options: Self.options)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 3, "a message's line break must not split a command")
        #expect(lines[0].hasPrefix("::error file=app/é.py,line=2,col=10,endLine=2,endColumn=27,title=ACME001 [acme-internal-token]::"))
        #expect(lines[2].hasPrefix("::notice file=odd%2C name%3A 100%25.sh,line=1,"))
    }

    @Test func gitLabFingerprintsAreUniqueAndStable() throws {
        let report = Self.sampleReport()
        #expect(report.findings[0].fingerprint == report.findings[1].fingerprint, "the sample has a duplicate line")
        let output = GitLabReporter().render(report, options: Self.options)
        let issues = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
        let fingerprints = issues.compactMap { $0["fingerprint"] as? String }
        #expect(Set(fingerprints).count == 3)
        #expect(issues.map { $0["severity"] as? String } == ["critical", "critical", "info"])
        #expect(((issues[0]["location"] as? [String: Any])?["lines"] as? [String: Any])?["begin"] as? Int == 2)
        let again = GitLabReporter().render(report, options: Self.options)
        #expect(again == output)
    }

    @Test func junitIsWellFormedXML() throws {
        let output = JUnitReporter().render(Self.sampleReport(), options: Self.options)
        let document = try XMLDocument(data: Data(output.utf8))
        let suites = try document.nodes(forXPath: "/testsuites/testsuite")
        #expect(suites.count == 2)
        let failures = try document.nodes(forXPath: "//testcase/failure/@type").map { $0.stringValue }
        #expect(failures == ["ACME001", "ACME001", "ACME002"])
        let message = try document.nodes(forXPath: "//testcase/failure/@message").first?.stringValue
        #expect(message == "ACME internal token in plaintext, line\nbreak")
        let empty = JUnitReporter().render(
            ScanReport(findings: [], catalogue: RuleCatalogue([]), summary: ScanSummary()), options: Self.options)
        let cases = try XMLDocument(data: Data(empty.utf8)).nodes(forXPath: "//testcase")
        #expect(cases.count == 1)
    }

    @Test func formatFromOutputExtension() {
        #expect(Reporters.format(forOutputPath: "results.sarif") == "sarif")
        #expect(Reporters.format(forOutputPath: "REPORT.XML") == "junit")
        #expect(Reporters.format(forOutputPath: "report.json") == "json")
        #expect(Reporters.format(forOutputPath: "report.txt") == nil)
    }

    @Test func uriReferenceEncoding() {
        #expect(SARIFReporter.uriReference("a b/c#d%.py") == "a%20b/c%23d%25.py")
        #expect(SARIFReporter.uriReference("flows/etl.py") == "flows/etl.py")
    }

    /// Plain strings take the fast path; every escape class and the line separators JSON
    /// allows but JavaScript does not still come out escaped.
    @Test func jsonQuoting() throws {
        #expect(JSONWriter.quote("flow 'etl' needs DB_PASSWORD") == "\"flow 'etl' needs DB_PASSWORD\"")
        #expect(JSONWriter.quote("caf\u{E9} \u{2713}") == "\"caf\u{E9} \u{2713}\"")
        #expect(JSONWriter.quote("a\"b\\c\nd\re\tf\u{1}g\u{7F}") == "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u007f\"")
        #expect(JSONWriter.quote("x\u{2028}y\u{2029}") == "\"x\\u2028y\\u2029\"")
        for text in ["", "plain", "é→✓", "quote\"", "tab\t", "\u{2028}", "\u{1F600}"] {
            let decoded = try JSONSerialization.jsonObject(with: Data(JSONWriter.quote(text).utf8), options: .fragmentsAllowed)
            #expect(decoded as? String == text)
        }
    }
}
