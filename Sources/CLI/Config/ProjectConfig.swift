import Foundation
import Patterns
import Rules
import Spans
import TOML

/// The tool's own configuration: `.prefect-secrets.toml`, or `[tool.prefect-secrets]` in
/// pyproject.toml. Unknown keys and wrong types are errors naming the key and position.
struct ProjectConfig: Sendable {
    var path: String?
    var select: [String] = []
    var ignore: [String] = []
    /// Path glob → rules ignored in matching files.
    var perFileIgnores: [(glob: PathGlob, rules: [String])] = []
    var severityOverrides: [String: Severity] = [:]
    var extraRules: [RuleFile] = []
    /// The file itself and where its `[severity]` keys and `[[rules]]` ids stand: those are
    /// checked against the rule catalogue only once it is built from the rules.
    var source: SourceFile?
    var severityKeySpans: [String: ByteSpan] = [:]
    /// The values of `select`, `ignore` and each `per-file-ignores` entry (`per-file-ignores: GLOB`), for unknown rule selectors.
    var selectorSpans: [String: ByteSpan] = [:]
    var extraRuleIDSpans: [ByteSpan] = []
    /// Files never scanned.
    var exclude: [PathGlob] = []
    /// Pattern findings dropped when the path, the secret or a stopword matches.
    var allowlistPaths: [String] = []
    var allowlistRegexes: [String] = []
    var allowlistStopwords: [String] = []
    var backend: String?
    var cloudSecrets: String?
    var maxFileSize: Int?

    static let knownKeys: Set<String> = [
        "select", "ignore", "per-file-ignores", "severity", "rules", "exclude", "allowlist", "backend", "cloud-secrets",
        "max-file-size",
    ]

    /// Finds the config for `root`: `explicit` if given, else the nearest `.prefect-secrets.toml`
    /// or pyproject.toml with a `[tool.prefect-secrets]` table in `root` or above.
    static func discover(root: String, explicit: String?) throws -> ProjectConfig {
        if let explicit {
            guard let data = FileManager.default.contents(atPath: explicit) else {
                throw UsageError.message("\(explicit): cannot read the configuration file")
            }
            let isPyproject = (explicit as NSString).lastPathComponent == "pyproject.toml"
            return try load(path: explicit, bytes: [UInt8](data), pyproject: isPyproject) ?? ProjectConfig(path: explicit)
        }
        var directory = URL(fileURLWithPath: root).standardizedFileURL
        while true {
            let own = directory.appendingPathComponent(".prefect-secrets.toml").path
            if let data = FileManager.default.contents(atPath: own) {
                return try load(path: own, bytes: [UInt8](data), pyproject: false) ?? ProjectConfig(path: own)
            }
            let pyproject = directory.appendingPathComponent("pyproject.toml").path
            if let data = FileManager.default.contents(atPath: pyproject) {
                // A pyproject.toml that does not parse and says nothing of this tool is another
                // tool's: the scan goes on (and reports it as PS900 when it scans it).
                let bytes = [UInt8](data)
                let ours = ByteSearch.contains(Array("prefect-secrets".utf8), in: bytes)
                let config: ProjectConfig?
                if ours {
                    config = try load(path: pyproject, bytes: bytes, pyproject: true)
                } else {
                    config = (try? load(path: pyproject, bytes: bytes, pyproject: true)) ?? nil
                }
                if let config { return config }
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path || FileManager.default.fileExists(atPath: directory.appendingPathComponent(".git").path) {
                return ProjectConfig()
            }
            directory = parent
        }
    }

    /// Parses a config file; nil for a pyproject.toml without `[tool.prefect-secrets]`.
    static func load(path: String, bytes: [UInt8], pyproject: Bool) throws -> ProjectConfig? {
        let file = SourceFile(path: path, bytes: bytes)
        func fail(_ diagnostic: SourceDiagnostic) -> UsageError {
            UsageError.message(diagnostic.rendered(in: file))
        }
        let document: TOMLDocument
        do { document = try TOMLDocument.parse(bytes) } catch {
            // What it found may be a character of a value (`password = s3cret` in pyproject.toml).
            var diagnostic = error.diagnostic
            diagnostic.found = nil
            throw fail(diagnostic)
        }
        var table = document.root
        if pyproject {
            guard let tool = document.root.node(atPath: ["tool", "prefect-secrets"]) else { return nil }
            guard let t = tool.tableValue else { throw fail(SourceDiagnostic(span: tool.span, message: "[tool.prefect-secrets] must be a table")) }
            table = t
        }
        do {
            var config = try decode(table, path: path)
            config.source = file
            return config
        } catch { throw fail(error) }
    }

    static func decode(_ table: TOMLTable, path: String) throws(SourceDiagnostic) -> ProjectConfig {
        var config = ProjectConfig(path: path)
        let reader = TableReader(table: table, context: "config")
        try reader.rejectUnknown(knownKeys)
        config.select = try reader.stringArray("select")
        config.ignore = try reader.stringArray("ignore")
        for key in ["select", "ignore"] { config.selectorSpans[key] = table.entry(key)?.node.span }
        config.exclude = try reader.stringArray("exclude").map(PathGlob.init)
        config.backend = try reader.optionalString("backend")
        if let backend = config.backend, backend != "cloud", backend != "server" {
            throw reader.error(at: "backend", "must be \"cloud\" or \"server\"")
        }
        config.cloudSecrets = try reader.optionalString("cloud-secrets")
        config.maxFileSize = try reader.optionalInt("max-file-size")
        if let size = config.maxFileSize, size < 1 { throw reader.error(at: "max-file-size", "must be positive") }
        if let ignores = try reader.optionalTable("per-file-ignores") {
            let ignoreReader = TableReader(table: ignores, context: "config: per-file-ignores")
            for entry in ignores.entries {
                config.perFileIgnores.append((PathGlob(entry.key), try ignoreReader.stringArray(entry.key)))
                config.selectorSpans["per-file-ignores: \(entry.key)"] = entry.node.span
            }
        }
        if let severities = try reader.optionalTable("severity") {
            let severityReader = TableReader(table: severities, context: "config: severity")
            for entry in severities.entries {
                let value = try severityReader.requiredString(entry.key)
                guard let severity = Severity(rawValue: value) else {
                    throw severityReader.error(at: entry.key, "severity must be error, warning or info")
                }
                config.severityOverrides[entry.key] = severity
                config.severityKeySpans[entry.key] = entry.keySpan
            }
        }
        if let allow = try reader.optionalTable("allowlist") {
            let allowReader = TableReader(table: allow, context: "config: allowlist")
            try allowReader.rejectUnknown(["paths", "regexes", "stopwords"])
            // Each regex is compiled here, so that a bad one is reported where it is written
            // (the detectors compile them again, once for each).
            for key in ["paths", "regexes"] {
                for (pattern, span) in try allowReader.stringArrayWithSpans(key) {
                    do { _ = try PCRERegex(pattern) } catch { throw SourceDiagnostic(span: span, message: "config: allowlist: \(key): \(error.description)") }
                }
            }
            config.allowlistPaths = try allowReader.stringArray("paths")
            config.allowlistRegexes = try allowReader.stringArray("regexes")
            config.allowlistStopwords = try allowReader.stringArray("stopwords").map { $0.lowercased() }
        }
        for node in try reader.optionalTableArray("rules") {
            guard let ruleTable = node.tableValue else { throw SourceDiagnostic(span: node.span, message: "config: each [[rules]] entry must be a table") }
            let rule = try RuleFile.decode(ruleTable)
            try validateDetectors(of: rule, in: ruleTable)
            config.extraRules.append(rule)
            config.extraRuleIDSpans.append(ruleTable.entry("id")?.node.span ?? node.span)
        }
        return config
    }

    /// Compiles a `[[rules]]` entry's detectors here, where their positions are known: a bad
    /// regex, secret group, validator or allowlist is an error at that key of the detector.
    /// The engine compiles them again with the bundled ones.
    static func validateDetectors(of rule: RuleFile, in ruleTable: TOMLTable) throws(SourceDiagnostic) {
        for entry in rule.detectors {
            do { _ = try DetectorSet([entry.detector]) } catch {
                let detectorNodes = ruleTable.entry("detectors")?.node.arrayValue ?? []
                let node = detectorNodes.first { $0.tableValue?.entry("id")?.node.stringValue == entry.detector.id }
                let key = [("bad regex", "regex"), ("secret group", "secret_group"), ("unknown validator", "validator"), ("bad allowlist", "allowlist")]
                    .first { error.message.hasPrefix($0.0) }?.1
                let keySpan = key.flatMap { node?.tableValue?.entry($0)?.node.span }
                let span = keySpan ?? node?.span ?? ruleTable.entry("id")?.node.span ?? ByteSpan(0, 0)
                throw SourceDiagnostic(span: span, message: "config: rules: \(error.description)")
            }
        }
    }

    /// A usage error at `span` of the config file: `path:line:column: message` when the
    /// span is known.
    func error(at span: ByteSpan?, _ message: String) -> UsageError {
        guard let span, let source else { return .message("\(path ?? "config"): \(message)") }
        return .message(SourceDiagnostic(span: span, message: message).rendered(in: source))
    }

    /// True when `rule` is ignored for the file at `path` by `per-file-ignores`.
    func isIgnored(_ rule: RuleDescription, path: String) -> Bool {
        perFileIgnores.contains { entry in
            entry.glob.matches(path) && RuleSelector(select: [], ignore: entry.rules).isEnabled(rule) == false
        }
    }

    /// The `exclude` globs that apply when `directories` (absolute) are checked: as in ruff, a
    /// folder named on the command line is checked even when a glob excludes it or a folder
    /// above it (`check testdata/demo` with `exclude = ["testdata/"]`); the other globs still
    /// prune what lies below it.
    func exclusions(checking directories: [String]) -> [PathGlob] {
        let base = globBase
        return exclude.filter { glob in !directories.contains { glob.matches(Self.globPath(absolute: $0, base: base) ?? "") } }
    }

    /// The path `exclude` and `per-file-ignores` globs are matched against: relative to the
    /// config file's directory `base` (``globBase``, computed once per scan), whichever
    /// directory is checked (`check sub` with a config at the root still matches
    /// `sub/flows/x.py`). A file outside that directory, or a scan without a config file, keeps
    /// its report path.
    static func globPath(of file: DiscoveredFile, base: String?) -> String {
        globPath(absolute: file.absolutePath, base: base) ?? file.reportPath
    }

    private static func globPath(absolute path: String, base: String?) -> String? {
        guard let base else { return nil }
        let absolute = path.hasPrefix("/") ? path : Discovery.absolute(path, base: FileManager.default.currentDirectoryPath)
        return absolute.hasPrefix(base) ? String(absolute.dropFirst(base.count)) : nil
    }

    /// The config file's directory, absolute, with a final `/`: what path globs are relative to.
    var globBase: String? {
        guard let path else { return nil }
        let directory = (Discovery.absolute(path, base: FileManager.default.currentDirectoryPath) as NSString).deletingLastPathComponent
        return directory.hasSuffix("/") ? directory : directory + "/"
    }
}
