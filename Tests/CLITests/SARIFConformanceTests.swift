import Foundation
import Spans
import TestSupport
import Testing

/// Every SARIF result points at the same bytes as the JSON report: rule, region (lines,
/// code-point columns and byte offsets, recomputed here from the file's bytes) and fix
/// replacements. Runs on every fixture project and on a project with awkward text.
/// (Schema validation is in scripts/ci-gating.sh: it needs Python's jsonschema.)
@Suite struct SARIFConformanceTests {
    static var projects: [String] {
        let dir = TestPaths.testdata.appendingPathComponent("projects")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { dir.appendingPathComponent($0).path }
    }

    @Test(arguments: projects)
    func fixtureProject(_ path: String) async throws {
        try await Self.compare(root: path)
    }

    @Test func awkwardText() async throws {
        let root = try makeTree([
            ".prefect-secrets.toml": text(acmeRuleConfig),
            "naïve dir/ünï code.py": text("# ça coûte 💶 cher\nX = 1  ;  LABEL = \"acme_q8z3k1m9x2c4\"  # 🎉\n"),
            "crlf.env": text("A=1\r\nB=\"acme_w7p2n5v8b1x3\"\r\n"),
            "cr.txt": text("one\rtwo acme_m4k8s2d6f9h3\r"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let count = try await Self.compare(root: root)
        #expect(count == 3)
    }

    /// Returns the number of results compared.
    @discardableResult
    static func compare(root: String) async throws -> Int {
        let json = await runCLI(["check", "--format", "json", "--fail-on", "never", root])
        let sarif = await runCLI(["check", "--format", "sarif", "--fail-on", "never", root])
        #expect(json.status == 0 && sarif.status == 0, "stderr: \(json.stderr)\(sarif.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]])
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == findings.count)
        for (finding, result) in zip(findings, results) {
            let code = try #require(finding["rule"] as? String)
            #expect(result["ruleId"] as? String == code)
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == code)
            #expect((result["partialFingerprints"] as? [String: String])?["prefectSecrets/v2"] == finding["fingerprint"] as? String)

            let location = try #require((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            let uri = try #require((location["artifactLocation"] as? [String: Any])?["uri"] as? String)
            let path = try #require(finding["path"] as? String)
            #expect(uri.removingPercentEncoding == path)
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: root + "/" + path)))
            let region = try #require(location["region"] as? [String: Any])
            let offset = try #require(region["byteOffset"] as? Int)
            let length = try #require(region["byteLength"] as? Int)
            #expect(offset >= 0 && offset + length <= bytes.count)
            // Lines and columns recomputed from the bytes, independently of LineIndex.
            let start = position(of: offset, in: bytes)
            let end = position(of: offset + length, in: bytes)
            #expect(region["startLine"] as? Int == start.line && start.line == finding["line"] as? Int, "\(path)")
            #expect(region["startColumn"] as? Int == start.column && start.column == finding["column"] as? Int, "\(path)")
            #expect(region["endLine"] as? Int == end.line && end.line == finding["end_line"] as? Int, "\(path)")
            #expect(region["endColumn"] as? Int == end.column && end.column == finding["end_column"] as? Int, "\(path)")

            let edits = ((finding["fix"] as? [String: Any])?["edits"] as? [[String: Any]]) ?? []
            let changes = ((result["fixes"] as? [[String: Any]])?.first?["artifactChanges"] as? [[String: Any]]) ?? []
            var replacements: [(String, Int, Int, String)] = []
            for change in changes {
                let uri = ((change["artifactLocation"] as? [String: Any])?["uri"] as? String)?.removingPercentEncoding ?? "?"
                for replacement in (change["replacements"] as? [[String: Any]]) ?? [] {
                    let deleted = replacement["deletedRegion"] as? [String: Any]
                    let start = deleted?["byteOffset"] as? Int ?? -1
                    replacements.append((uri, start, start + (deleted?["byteLength"] as? Int ?? 0),
                        (replacement["insertedContent"] as? [String: Any])?["text"] as? String ?? ""))
                }
            }
            let expected = edits.map { ($0["path"] as? String ?? "", $0["start"] as? Int ?? 0, $0["end"] as? Int ?? 0, $0["replacement"] as? String ?? "") }
            #expect(replacements.count == expected.count)
            for (a, b) in zip(replacements.sorted { ($0.0, $0.1) < ($1.0, $1.1) }, expected.sorted { ($0.0, $0.1) < ($1.0, $1.1) }) {
                #expect(a == b)
                let size = (try? Data(contentsOf: URL(fileURLWithPath: root + "/" + a.0)).count) ?? 0
                #expect(a.1 >= 0 && a.2 <= size, "a replacement points past the end of \(a.0)")
            }
        }
        return results.count
    }

    /// 1-based line and code-point column of a byte offset; line breaks are LF, CRLF and CR.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var i = 0
        while i < offset {
            let byte = bytes[i]
            if byte == 0x0A || (byte == 0x0D && (i + 1 >= bytes.count || bytes[i + 1] != 0x0A)) {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80, byte != 0x0D {
                column += 1
            }
            i += 1
        }
        return (line, column)
    }
}
