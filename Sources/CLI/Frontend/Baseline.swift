import Foundation
import Patterns
import Report
import Rules
import Spans

/// A baseline: the fingerprints of findings a team has accepted for now, so that
/// `check --baseline FILE` reports only new ones. Holds fingerprint, rule and path per
/// finding — never a value and no line number, because fingerprints survive line moves.
///
/// A fingerprint hashes no value (``Fingerprint``), so a credential pasted over a baselined
/// one would keep its fingerprint. Version 2 therefore records, for a finding on a value
/// that is long and random-looking (a token, an API key), a hash of that value, and such an
/// entry hides only a finding on the same value. Short or word-like values get no hash: it
/// would give them away to anyone hashing candidates. A version 1 file (no hashes) matches
/// by fingerprint alone.
///
/// Entries form a multiset: a fingerprint listed twice hides two identical findings (the
/// same line pasted twice in one file), and a third copy is reported as new.
struct Baseline: Sendable, Equatable {
    struct Entry: Sendable, Hashable {
        var fingerprint: String
        var rule: String
        var path: String
        /// ``Baseline/valueHash(of:fingerprint:)`` of the finding's value, where it has one.
        var valueHash: String? = nil
    }

    static let version = 2

    /// The version of the file read: 1 has no value hashes.
    var version = Self.version
    var entries: [Entry]

    init(entries: [Entry], version: Int = Self.version) {
        self.version = version
        self.entries = entries.sorted { ($0.path, $0.rule, $0.fingerprint, $0.valueHash ?? "") < ($1.path, $1.rule, $1.fingerprint, $1.valueHash ?? "") }
    }

    /// Today's findings of `report`, with the hashes of their values read from its sources.
    init(report: ScanReport) {
        self.init(entries: report.findings.map { finding in
            Entry(fingerprint: finding.fingerprint, rule: finding.code, path: finding.path, valueHash: Self.valueHash(of: finding, in: report))
        })
    }

    /// Fewest bytes of a value whose hash is recorded: with letters and digits and the
    /// entropy ``hashableEntropy`` asks for, too many candidates to try them all.
    static let hashableLength = 20
    static let hashableEntropy = 3.5

    /// `sha256:` of the finding's fingerprint and value, for a value of ``hashableLength``
    /// bytes or more that looks random; nil for a finding without a value or with one a hash
    /// would give away. The fingerprint is hashed too, so that one token in two places (or
    /// two repositories) has two unrelated hashes.
    static func valueHash(of finding: Finding, in report: ScanReport) -> String? {
        guard let span = finding.secretSpan, let source = report.sources[finding.path], span.start >= 0, span.end <= source.bytes.count
        else { return nil }
        return valueHash(of: source.bytes[span.range], fingerprint: finding.fingerprint)
    }

    static func valueHash(of value: ArraySlice<UInt8>, fingerprint: String) -> String? {
        guard value.count >= hashableLength, Redaction.looksRandom(value), Entropy.shannon(value) >= hashableEntropy else { return nil }
        var hasher = SHA256()
        hasher.update(fingerprint)
        hasher.update([0])
        hasher.update(value)
        return "sha256:" + hasher.finalizeHex()
    }

    /// The file's JSON, with a fixed key order so that a rewritten baseline diffs cleanly.
    func rendered() -> String {
        var json = JSONWriter()
        json.beginObject()
        json.int("version", version)
        json.string("tool", "prefect-secrets")
        json.beginArray("findings")
        for entry in entries {
            json.beginObject()
            json.string("fingerprint", entry.fingerprint)
            json.string("rule", entry.rule)
            json.string("path", entry.path)
            if let hash = entry.valueHash { json.string("value_hash", hash) }
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
            "\(path): not a prefect-secrets baseline (expected {\"version\": \(Self.version), \"findings\": [{\"fingerprint\", \"rule\", \"path\"}, ...]}; write one with `prefect-secrets baseline`)")
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let version = object["version"] as? Int, let findings = object["findings"] as? [Any]
        else { throw malformed }
        guard (1...Self.version).contains(version) else {
            throw UsageError.message("\(path): baseline version \(version) is not supported (expected 1 or \(Self.version))")
        }
        var entries: [Entry] = []
        for (index, item) in findings.enumerated() {
            guard let entry = item as? [String: Any], let fingerprint = entry["fingerprint"] as? String,
                let rule = entry["rule"] as? String, let file = entry["path"] as? String
            else {
                throw UsageError.message("\(path): baseline entry \(index + 1) needs string fingerprint, rule and path")
            }
            let hash = entry["value_hash"]
            guard hash == nil || hash is String else {
                throw UsageError.message("\(path): baseline entry \(index + 1): value_hash must be a string")
            }
            entries.append(Entry(fingerprint: fingerprint, rule: rule, path: file, valueHash: hash as? String))
        }
        return Baseline(entries: entries, version: version)
    }

    /// Removes the findings the baseline lists and counts them in the summary. An entry is
    /// stale when it hid nothing although its file was scanned (or is gone) and its rule ran;
    /// entries for files outside this scan (`--staged`, a sub-path) are not stale.
    ///
    /// In a version 2 baseline an entry hides a finding with its fingerprint and the same
    /// value hash (both without one included): a credential committed over a baselined one
    /// is new, and the entry it replaced is stale.
    func apply(to report: inout ScanReport, scannedPaths: Set<String>, ranRule: (String) -> Bool, fileExists: (String) -> Bool) {
        func key(_ fingerprint: String, _ hash: String?) -> String { version == 1 ? fingerprint : fingerprint + "\u{0}" + (hash ?? "") }
        var available: [String: Int] = [:]
        for entry in entries { available[key(entry.fingerprint, entry.valueHash), default: 0] += 1 }
        let before = report.findings.count
        let hashed = report
        report.findings.removeAll { finding in
            let key = key(finding.fingerprint, version == 1 ? nil : Self.valueHash(of: finding, in: hashed))
            guard let count = available[key], count > 0 else { return false }
            available[key] = count - 1
            return true
        }
        report.summary.baselineHidden += before - report.findings.count
        var stale = 0
        for entry in entries.reversed() {
            let key = key(entry.fingerprint, entry.valueHash)
            guard let count = available[key], count > 0 else { continue }
            available[key] = count - 1
            if ranRule(entry.rule), scannedPaths.contains(entry.path) || !fileExists(entry.path) { stale += 1 }
        }
        report.summary.baselineStale += stale
    }
}
