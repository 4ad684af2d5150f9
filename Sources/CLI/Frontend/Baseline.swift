import Foundation
import Report
import Rules

/// A baseline: the fingerprints of findings a team has accepted for now, so that
/// `check --baseline FILE` reports only new ones. Holds fingerprint, rule and path per
/// finding — never a value and no line number, because fingerprints survive line moves.
///
/// Entries form a multiset: a fingerprint listed twice hides two identical findings (the
/// same line pasted twice in one file), and a third copy is reported as new.
struct Baseline: Sendable, Equatable {
    struct Entry: Sendable, Hashable {
        var fingerprint: String
        var rule: String
        var path: String
    }

    static let version = 1

    var entries: [Entry]

    init(entries: [Entry]) {
        self.entries = entries.sorted { ($0.path, $0.rule, $0.fingerprint) < ($1.path, $1.rule, $1.fingerprint) }
    }

    init(findings: [Finding]) {
        self.init(entries: findings.map { Entry(fingerprint: $0.fingerprint, rule: $0.code, path: $0.path) })
    }

    /// The file's JSON, with a fixed key order so that a rewritten baseline diffs cleanly.
    func rendered() -> String {
        var json = JSONWriter()
        json.beginObject()
        json.int("version", Self.version)
        json.string("tool", "prefect-secrets")
        json.beginArray("findings")
        for entry in entries {
            json.beginObject()
            json.string("fingerprint", entry.fingerprint)
            json.string("rule", entry.rule)
            json.string("path", entry.path)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.output + "\n"
    }

    /// Reads a baseline file; a missing or malformed one is a one-line usage error.
    static func load(_ path: String) throws -> Baseline {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageError.message("\(path): cannot read the baseline file")
        }
        let malformed = UsageError.message(
            "\(path): not a prefect-secrets baseline (expected {\"version\": 1, \"findings\": [{\"fingerprint\", \"rule\", \"path\"}, ...]}; write one with `prefect-secrets baseline`)")
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let version = object["version"] as? Int, let findings = object["findings"] as? [Any]
        else { throw malformed }
        guard version == Self.version else {
            throw UsageError.message("\(path): baseline version \(version) is not supported (expected \(Self.version))")
        }
        var entries: [Entry] = []
        for (index, item) in findings.enumerated() {
            guard let entry = item as? [String: Any], let fingerprint = entry["fingerprint"] as? String,
                let rule = entry["rule"] as? String, let file = entry["path"] as? String
            else {
                throw UsageError.message("\(path): baseline entry \(index + 1) needs string fingerprint, rule and path")
            }
            entries.append(Entry(fingerprint: fingerprint, rule: rule, path: file))
        }
        return Baseline(entries: entries)
    }

    /// Removes the findings the baseline lists and counts them in the summary. An entry is
    /// stale when it hid nothing although its file was scanned (or is gone) and its rule ran;
    /// entries for files outside this scan (`--staged`, a sub-path) are not stale.
    func apply(to report: inout ScanReport, scannedPaths: Set<String>, ranRule: (String) -> Bool, fileExists: (String) -> Bool) {
        var available: [String: Int] = [:]
        for entry in entries { available[entry.fingerprint, default: 0] += 1 }
        let before = report.findings.count
        report.findings.removeAll { finding in
            guard let count = available[finding.fingerprint], count > 0 else { return false }
            available[finding.fingerprint] = count - 1
            return true
        }
        report.summary.baselineHidden += before - report.findings.count
        var stale = 0
        for entry in entries.reversed() {
            guard let count = available[entry.fingerprint], count > 0 else { continue }
            available[entry.fingerprint] = count - 1
            if ranRule(entry.rule), scannedPaths.contains(entry.path) || !fileExists(entry.path) { stale += 1 }
        }
        report.summary.baselineStale += stale
    }
}
