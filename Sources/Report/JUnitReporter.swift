import Rules

/// `--format junit`: JUnit XML for CI systems that show test reports (GitLab, Jenkins,
/// Azure). Each file with findings is a `testsuite`, each finding a failed `testcase` whose
/// failure `type` is the rule code. A clean scan is one passing test case, because several
/// consumers treat an empty report as an error.
public struct JUnitReporter: Reporter {
    public static let identifier = "junit"
    public init() {}

    public func render(_ report: ScanReport, options: ReportOptions) -> String {
        var byFile: [(path: String, findings: [Finding])] = []
        for finding in report.findings {
            if byFile.last?.path == finding.path {
                byFile[byFile.count - 1].findings.append(finding)
            } else if let i = byFile.firstIndex(where: { $0.path == finding.path }) {
                byFile[i].findings.append(finding)
            } else {
                byFile.append((finding.path, [finding]))
            }
        }
        let total = report.findings.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"prefect-secrets\" tests=\"\(max(total, 1))\" failures=\"\(total)\">\n"
        if byFile.isEmpty {
            out += "  <testsuite name=\"prefect-secrets\" tests=\"1\" failures=\"0\">\n"
            out += "    <testcase name=\"No findings\" classname=\"prefect-secrets\"/>\n"
            out += "  </testsuite>\n"
        }
        for (path, findings) in byFile {
            let file = Self.escape(path)
            out += "  <testsuite name=\"\(file)\" tests=\"\(findings.count)\" failures=\"\(findings.count)\">\n"
            for finding in findings {
                let name = Self.escape("\(finding.code) [\(finding.name)] at \(finding.start.line):\(finding.start.column)")
                out += "    <testcase name=\"\(name)\" classname=\"\(file)\" file=\"\(file)\" line=\"\(finding.start.line)\">\n"
                out += "      <failure message=\"\(Self.escape(finding.message))\" type=\"\(Self.escape(finding.code))\">"
                out += Self.escape("\(finding.path):\(finding.start.line):\(finding.start.column): \(finding.severity.rawValue): \(finding.message)")
                out += "</failure>\n"
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// Escapes text for XML 1.0 content and attributes; characters XML cannot carry at all
    /// (most C0 controls) become U+FFFD.
    public static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
