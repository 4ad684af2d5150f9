import Rules
import Spans

/// `--format text`: one `path:line:col: CODE [name] message` line per finding and a
/// rustc/ruff-style code frame with the secret redacted, then a summary.
public struct TextReporter: Reporter {
    public static let identifier = "text"
    public init() {}

    public func render(_ report: ScanReport, options: ReportOptions) -> String {
        var out = ""
        for finding in report.findings {
            let code = options.color ? Self.colored(finding.code, severity: finding.severity) : finding.code
            let location = "\(Self.visible(finding.path)):\(finding.start.line):\(finding.start.column)"
            out += "\(options.color ? "\u{1B}[1m\(location)\u{1B}[0m" : location): \(code) [\(finding.name)] \(finding.message)\n"
            if options.quiet { continue }
            if let source = report.sources[finding.path] {
                var redactions: [CodeFrame.Redaction] = []
                if !options.showSecrets {
                    if let secret = finding.secretSpan {
                        redactions.append(.init(span: secret, placeholder: finding.redactedValue ?? Redaction.placeholder(for: source.bytes[secret.range])))
                    }
                    // A value around the finding's secret (a JSON env value holding a token)
                    // is hidden in the parts the secret's own placeholder does not cover.
                    // Only the values in the bytes the frame may show: a file that does not
                    // parse has one per line, a minified one thousands on one line.
                    let shown = CodeFrame.shownBytes(file: source, span: finding.span)
                    let own = redactions.map(\.span)
                    for value in report.secretValueSpans[finding.path] ?? [] where value.overlaps(shown) || value.contains(shown.start) {
                        // Not the quotes and blanks around the secret: they hide nothing.
                        for span in Self.uncovered(value, by: own) where source.bytes[span.range].contains(where: Self.isValueByte) {
                            redactions.append(.init(span: span, placeholder: Redaction.placeholder(for: source.bytes[span.range])))
                        }
                    }
                    let hidden = redactions.map(\.span)
                    // Not a name called as a function or class (`S3Result(bucket=…)`): that is code.
                    for run in Redaction.randomLookingRuns(in: source.bytes, window: shown)
                    where !hidden.contains(where: { $0.overlaps(run) }) && !(run.end < source.bytes.count && source.bytes[run.end] == UInt8(ascii: "(")) {
                        redactions.append(.init(span: run, placeholder: Redaction.placeholder(for: source.bytes[run.range])))
                    }
                }
                out += CodeFrame.render(file: source, span: finding.span, redactions: redactions, color: options.color) + "\n"
            }
            if let fix = finding.fix {
                out += "  = fix (\(fix.applicability.rawValue)): \(fix.description)\n"
            }
            out += "\n"
        }
        if options.statistics {
            out += Self.statistics(report)
        }
        if !options.quiet {
            out += Self.summaryLine(report) + "\n"
        }
        return out
    }

    /// `text` (a file's path) with its control characters written as escapes (`\x1b`, `\n`), so
    /// that a file name cannot move the cursor, colour a terminal or split a report line.
    public static func visible(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0..<0x20, 0x7F: out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A byte that can be part of a value: not a quote, a blank or other ASCII punctuation a
    /// value is written between.
    static func isValueByte(_ byte: UInt8) -> Bool {
        !(byte == 0x20 || byte == 0x09 || byte == 0x22 || byte == 0x27 || byte == 0x60 || byte == 0x2C || byte == 0x3B)
    }

    /// The parts of `span` that none of `taken` covers.
    static func uncovered(_ span: ByteSpan, by taken: [ByteSpan]) -> [ByteSpan] {
        var parts: [ByteSpan] = []
        var start = span.start
        for other in taken.sorted() where other.overlaps(span) {
            if other.start > start { parts.append(ByteSpan(start, other.start)) }
            start = max(start, other.end)
        }
        if start < span.end { parts.append(ByteSpan(start, span.end)) }
        return parts
    }

    static func colored(_ code: String, severity: Severity) -> String {
        let color = switch severity {
        case .error: "31"
        case .warning: "33"
        case .info: "36"
        }
        return "\u{1B}[\(color)m\(code)\u{1B}[0m"
    }

    /// How many findings each rule has, a line per rule (empty without findings).
    public static func statistics(_ report: ScanReport) -> String {
        var counts: [String: Int] = [:]
        for finding in report.findings { counts[finding.code, default: 0] += 1 }
        var out = ""
        for code in counts.keys.sorted() {
            let name = report.catalogue[code]?.name ?? ""
            let count = String(counts[code] ?? 0)
            out += String(repeating: " ", count: max(0, 6 - count.count)) + count + "  \(code)  \(name)\n"
        }
        return out.isEmpty ? "" : out + "\n"
    }

    /// "Found 3 findings (2 errors, 1 warning, 0 infos) in 42 files (1.2 MB); skipped 1 file (4.0 KB: 1 binary)."
    public static func summaryLine(_ report: ScanReport) -> String {
        let s = report.summary
        let total = report.findings.count
        var line = total == 0 ? "No findings" : "Found \(plural(total, "finding"))"
        line += " (\(plural(report.count(.error), "error")), \(plural(report.count(.warning), "warning")), \(plural(report.count(.info), "info")))"
        line += " in \(plural(s.files, "file")) (\(formatBytes(s.bytes)))"
        if s.skippedFiles > 0 {
            let reasons = SkipReason.allCases.compactMap { r in s.skipped[r].map { "\($0) \(r.rawValue)" } }
            line += "; skipped \(plural(s.skippedFiles, "file")) (\(formatBytes(s.skippedBytes)): \(reasons.joined(separator: ", ")))"
        } else {
            line += "; skipped 0 files"
        }
        let inline = s.suppressed - s.ignoredByPath
        if inline > 0 { line += "; \(inline) suppressed inline" }
        if s.ignoredByPath > 0 { line += "; \(s.ignoredByPath) ignored by per-file-ignores" }
        if s.baselineHidden > 0 || s.baselineStale > 0 {
            line += "; \(s.baselineHidden) hidden by the baseline (\(s.baselineStale) stale entries)"
        }
        return line + "."
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    static func formatBytes(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        let units = ["KB", "MB", "GB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
