import Rules
import Spans

/// `--format json`: the version 1 report of DESIGN.md.
public struct JSONReporter: Reporter {
    public static let identifier = "json"
    public init() {}

    public func render(_ report: ScanReport, options: ReportOptions) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.int("version", 1)
        json.beginObject("tool")
        json.string("name", "prefect-secrets")
        json.string("version", options.toolVersion)
        json.endObject()
        json.beginArray("findings")
        for finding in report.findings {
            json.beginObject()
            json.string("rule", finding.code)
            json.string("name", finding.name)
            json.string("severity", finding.severity.rawValue)
            json.string("path", finding.path)
            json.int("line", finding.start.line)
            json.int("column", finding.start.column)
            json.int("end_line", finding.end.line)
            json.int("end_column", finding.end.column)
            json.string("message", finding.message)
            json.string("secret", finding.secretName)
            if options.showSecrets, let span = finding.secretSpan, let source = report.sources[finding.path] {
                json.string("value", source.text(span))
            }
            json.string("fingerprint", finding.fingerprint)
            if let fix = report.shownFix(of: finding, showSecrets: options.showSecrets) {
                json.beginObject("fix")
                json.string("applicability", fix.applicability.rawValue)
                json.string("description", fix.description)
                json.beginArray("edits")
                for edit in fix.edits {
                    json.beginObject()
                    json.string("path", edit.path)
                    json.int("start", edit.edit.span.start)
                    json.int("end", edit.edit.span.end)
                    json.string("replacement", String(decoding: edit.edit.replacement, as: UTF8.self))
                    json.endObject()
                }
                json.endArray()
                json.endObject()
            } else {
                json.null("fix")
            }
            json.endObject()
        }
        json.endArray()
        let s = report.summary
        json.beginObject("summary")
        json.int("files", s.files)
        json.int("skipped", s.skippedFiles)
        json.int("errors", report.count(.error))
        json.int("warnings", report.count(.warning))
        json.int("infos", report.count(.info))
        json.int("bytes", s.bytes)
        json.int("skipped_bytes", s.skippedBytes)
        json.int("suppressed", s.suppressed)
        json.int("baseline_hidden", s.baselineHidden)
        json.endObject()
        json.endObject()
        return json.output + "\n"
    }
}
