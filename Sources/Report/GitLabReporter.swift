import Rules
import Spans

/// `--format gitlab`: a GitLab Code Quality report (the Code Climate issue subset GitLab
/// reads), shown in merge request widgets.
///
/// GitLab collapses issues that share a fingerprint, and ours repeat when one file holds the
/// same line twice; each issue's fingerprint is therefore our fingerprint hashed with its
/// occurrence number, which still survives line moves.
public struct GitLabReporter: Reporter {
    public static let identifier = "gitlab"
    public init() {}

    /// GitLab's scale: info, minor, major, critical, blocker.
    public static func severity(_ severity: Severity) -> String {
        switch severity {
        case .error: "critical"
        case .warning: "major"
        case .info: "info"
        }
    }

    public func render(_ report: ScanReport, options: ReportOptions) -> String {
        var json = JSONWriter()
        var seen: [String: Int] = [:]
        json.beginArray()
        for finding in report.findings {
            let occurrence = seen[finding.fingerprint, default: 0]
            seen[finding.fingerprint] = occurrence + 1
            json.beginObject()
            json.string("type", "issue")
            json.string("check_name", finding.code)
            json.string("description", "\(finding.code) [\(finding.name)] \(finding.message)")
            json.beginArray("categories")
            json.string(nil, "Security")
            json.endArray()
            json.string("fingerprint", Self.fingerprint(finding.fingerprint, occurrence: occurrence))
            json.string("severity", Self.severity(finding.severity))
            json.beginObject("location")
            json.string("path", finding.path)
            json.beginObject("lines")
            json.int("begin", finding.start.line)
            json.int("end", finding.end.line)
            json.endObject()
            json.endObject()
            json.endObject()
        }
        json.endArray()
        return json.output + "\n"
    }

    /// A unique, stable fingerprint for the `occurrence`-th (0-based) finding with `fingerprint`.
    public static func fingerprint(_ fingerprint: String, occurrence: Int) -> String {
        SHA256.hex(Array("\(fingerprint)\u{0}\(occurrence)".utf8))
    }
}
