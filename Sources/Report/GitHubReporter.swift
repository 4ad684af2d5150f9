import Rules

/// `--format github`: GitHub Actions workflow commands, one line per finding, which the
/// runner turns into annotations on the pull request's diff:
/// `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
///
/// Paths are relative to the scanned root, so run the check from the repository root for
/// the annotations to land on the right files.
public struct GitHubReporter: Reporter {
    public static let identifier = "github"
    public init() {}

    public static func command(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "notice"
        }
    }

    public func render(_ report: ScanReport, options: ReportOptions) -> String {
        var out = ""
        for finding in report.findings {
            let properties: [(String, String)] = [
                ("file", finding.path),
                ("line", String(finding.start.line)),
                ("col", String(finding.start.column)),
                ("endLine", String(finding.end.line)),
                ("endColumn", String(finding.end.column)),
                ("title", "\(finding.code) [\(finding.name)]"),
            ]
            out += "::\(Self.command(finding.severity)) "
            out += properties.map { "\($0.0)=\(Self.escapeProperty($0.1))" }.joined(separator: ",")
            out += "::" + Self.escapeData("\(finding.path):\(finding.start.line):\(finding.start.column): \(finding.code) \(finding.message)")
            out += "\n"
        }
        return out
    }

    /// The runner's escaping of a command's message: `%`, CR and LF.
    public static func escapeData(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            // Other control characters (in a file's name) would reach the log as they are.
            case "\u{0}"..."\u{1F}", "\u{7F}": out += TextReporter.visible(String(scalar))
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The escaping of a property value: the message's, plus `:` and `,` that delimit properties.
    public static func escapeProperty(_ value: String) -> String {
        var out = ""
        for scalar in escapeData(value).unicodeScalars {
            switch scalar {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
