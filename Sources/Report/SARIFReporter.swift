import Foundation
import Rules
import Spans

/// `--format sarif`: SARIF 2.1.0, the format GitHub code scanning and most CI dashboards read.
///
/// One run; `tool.driver.rules` lists every rule of the catalogue (so a result's `ruleIndex`
/// is stable and each rule links its generated docs), results point at their bytes with
/// both line/column (columns in code points, hence `columnKind`) and byte offsets, and fixes
/// become `artifactChanges`. Values never appear unless `--show-secrets` is given: a fix whose
/// inserted text would contain the finding's secret is left out.
public struct SARIFReporter: Reporter {
    public static let identifier = "sarif"
    public init() {}

    /// The project's home, SARIF `informationUri`.
    public static let informationURI = "https://github.com/prefect-secrets/prefect-secrets"
    /// Where the generated rule docs are browsed: `helpUri` is this plus `RuleDescription.docPath`.
    public static let repositoryBlobURL = "https://github.com/prefect-secrets/prefect-secrets/blob/main/"
    /// The `partialFingerprints` key: bumped if the fingerprint recipe ever changes.
    public static let fingerprintKey = "prefectSecrets/v2"
    /// The base id every artifact URI is relative to (the scanned root).
    public static let rootBaseID = "%SRCROOT%"

    public static func helpURI(_ rule: RuleDescription) -> String { repositoryBlobURL + rule.docPath }

    public static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    public func render(_ report: ScanReport, options: ReportOptions) -> String {
        let rules = report.catalogue.all
        var ruleIndex: [String: Int] = [:]
        for (i, rule) in rules.enumerated() { ruleIndex[rule.code] = i }

        var json = JSONWriter()
        json.beginObject()
        json.string("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
        json.string("version", "2.1.0")
        json.beginArray("runs")
        json.beginObject()
        json.beginObject("tool")
        json.beginObject("driver")
        json.string("name", "prefect-secrets")
        json.string("version", options.toolVersion)
        json.string("semanticVersion", options.toolVersion)
        json.string("informationUri", Self.informationURI)
        json.beginArray("rules")
        for rule in rules { Self.writeRule(rule, into: &json) }
        json.endArray()
        json.endObject()
        json.endObject()
        json.string("columnKind", "unicodeCodePoints")
        json.beginArray("results")
        for finding in report.findings {
            Self.writeResult(finding, ruleIndex: ruleIndex[finding.code], report: report, options: options, into: &json)
        }
        json.endArray()
        json.endObject()
        json.endArray()
        json.endObject()
        return json.output + "\n"
    }

    private static func writeRule(_ rule: RuleDescription, into json: inout JSONWriter) {
        json.beginObject()
        json.string("id", rule.code)
        json.string("name", rule.name)
        json.beginObject("shortDescription")
        json.string("text", rule.summary)
        json.endObject()
        json.beginObject("fullDescription")
        let full = rule.explanation.trimmingCharacters(in: .whitespacesAndNewlines)
        json.string("text", full.isEmpty ? rule.summary : full)
        if !full.isEmpty { json.string("markdown", full) }
        json.endObject()
        json.beginObject("help")
        json.string("text", RuleDocs.explanation(rule))
        json.string("markdown", RuleDocs.markdown(rule))
        json.endObject()
        json.string("helpUri", helpURI(rule))
        json.beginObject("defaultConfiguration")
        json.string("level", level(rule.severity))
        json.endObject()
        json.beginObject("properties")
        json.beginArray("tags")
        json.string(nil, "security")
        json.string(nil, rule.name)
        json.endArray()
        json.endObject()
        json.endObject()
    }

    private static func writeResult(
        _ finding: Finding, ruleIndex: Int?, report: ScanReport, options: ReportOptions, into json: inout JSONWriter
    ) {
        json.beginObject()
        json.string("ruleId", finding.code)
        if let ruleIndex { json.int("ruleIndex", ruleIndex) }
        json.string("level", level(finding.severity))
        json.beginObject("message")
        json.string("text", finding.message)
        json.endObject()
        json.beginArray("locations")
        json.beginObject()
        json.beginObject("physicalLocation")
        writeArtifact(finding.path, into: &json)
        json.beginObject("region")
        json.int("startLine", max(1, finding.start.line))
        json.int("startColumn", max(1, finding.start.column))
        json.int("endLine", max(1, finding.end.line))
        json.int("endColumn", max(1, finding.end.column))
        json.int("byteOffset", max(0, finding.span.start))
        json.int("byteLength", finding.span.length)
        json.endObject()
        json.endObject()
        json.endObject()
        json.endArray()
        json.beginObject("partialFingerprints")
        json.string(fingerprintKey, finding.fingerprint)
        json.endObject()
        if let fix = report.shownFix(of: finding, showSecrets: options.showSecrets) {
            json.beginArray("fixes")
            json.beginObject()
            json.beginObject("description")
            json.string("text", fix.description)
            json.endObject()
            json.beginArray("artifactChanges")
            var paths: [String] = []
            for edit in fix.edits where !paths.contains(edit.path) { paths.append(edit.path) }
            for path in paths {
                json.beginObject()
                writeArtifact(path, into: &json)
                json.beginArray("replacements")
                for edit in fix.edits where edit.path == path {
                    json.beginObject()
                    json.beginObject("deletedRegion")
                    json.int("byteOffset", max(0, edit.edit.span.start))
                    json.int("byteLength", edit.edit.span.length)
                    json.endObject()
                    json.beginObject("insertedContent")
                    json.string("text", String(decoding: edit.edit.replacement, as: UTF8.self))
                    json.endObject()
                    json.endObject()
                }
                json.endArray()
                json.endObject()
            }
            json.endArray()
            json.beginObject("properties")
            json.string("applicability", fix.applicability.rawValue)
            json.endObject()
            json.endObject()
            json.endArray()
        }
        json.beginObject("properties")
        json.string("name", finding.name)
        if let secret = finding.secretName { json.string("secret", secret) }
        if options.showSecrets, let span = finding.secretSpan, let source = report.sources[finding.path] {
            json.string("value", source.text(span))
        }
        json.endObject()
        json.endObject()
    }

    private static func writeArtifact(_ path: String, into json: inout JSONWriter) {
        json.beginObject("artifactLocation")
        json.string("uri", uriReference(path))
        json.string("uriBaseId", rootBaseID)
        json.endObject()
    }

    /// A relative path as a URI reference: unreserved characters and `/` kept, every other
    /// byte of its UTF-8 percent-encoded (spaces, `#`, `%`, non-ASCII names).
    public static func uriReference(_ path: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
