import ArgumentParser
import Foundation
import Report
import Rules

/// Options shared by the commands that scan (`check`, and later `fix`, `baseline`, `inventory`).
struct ScanOptions: ParsableArguments {
    @Argument(help: "Files or directories to scan.", completion: .file())
    var paths: [String] = ["."]

    @Option(name: .customLong("select"), help: "Only these rules: codes, code prefixes (PS1) or names; comma-separated.")
    var select: [String] = []

    @Option(name: .customLong("ignore"), help: "Skip these rules: codes, code prefixes or names; comma-separated.")
    var ignore: [String] = []

    @Option(help: "Override the project's backend (cloud or server).")
    var backend: String?

    @Option(name: .customLong("cloud-secrets"), help: "File of secret names known to exist in Prefect Cloud: one a line, or a JSON list.", completion: .file())
    var cloudSecrets: String?

    @Option(help: "Number of files scanned in parallel (default: all cores).")
    var jobs: Int?

    @Option(name: .customLong("max-file-size"), help: "Skip files larger than this many bytes (default 10 MiB).")
    var maxFileSize: Int?

    @Option(help: "Configuration file (default: the nearest .prefect-secrets.toml, or [tool.prefect-secrets] in pyproject.toml).", completion: .file())
    var config: String?

    @Flag(help: ArgumentHelp(
        "Scan the staged files as they are in the git index (what will be committed), for pre-commit hooks.",
        discussion: "Only staged files are read; rules that need the whole project (cross-file rules) are skipped, CI runs them. With no staged files the check exits 0 and says so."))
    var staged = false

    @Option(help: ArgumentHelp(
        "Run pattern rules only on files changed since this git revision, plus untracked files.",
        discussion: "The other rules still read the whole project.", valueName: "rev"))
    var since: String?

    @Option(help: "Hide the findings recorded in this baseline file (written by `prefect-secrets baseline`).", completion: .file())
    var baseline: String?

    static let defaultMaxFileSize = 10 * 1024 * 1024

    func validate() throws {
        if let backend, backend != "cloud", backend != "server" {
            throw ValidationError("--backend must be cloud or server, not '\(backend)'")
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let maxFileSize, maxFileSize < 1 { throw ValidationError("--max-file-size must be positive") }
        if staged, since != nil { throw ValidationError("--staged and --since cannot be combined") }
    }

    /// Entries of comma-separated, repeatable list options.
    static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    }

    var selector: RuleSelector { RuleSelector(select: Self.split(select), ignore: Self.split(ignore)) }

    var jobCount: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }

    /// The directory reported paths are relative to: the single directory argument, else the
    /// current directory.
    var root: String {
        let cwd = FileManager.default.currentDirectoryPath
        if paths.count == 1 {
            var isDirectory: ObjCBool = false
            let absolute = Discovery.absolute(paths[0], base: cwd)
            if FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue {
                return absolute
            }
        }
        return cwd
    }

    /// Reads a cloud secrets inventory: one name a line (blank lines and `#` comments ignored) or a JSON list.
    /// `:line:column` of a JSON parse error, from the character offset Foundation reports
    /// ("Invalid value around character 14."); empty when it reports none.
    static func jsonErrorPosition(_ error: Error, in text: String) -> String {
        guard let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String,
            let range = detail.range(of: "character "), let offset = Int(detail[range.upperBound...].prefix { $0.isNumber })
        else { return "" }
        var line = 1
        var column = 1
        for unit in text.utf16.prefix(offset) {
            if unit == 0x0A { (line, column) = (line + 1, 1) } else { column += 1 }
        }
        return ":\(line):\(column)"
    }

    static func readInventory(_ path: String?) throws -> Set<String>? {
        guard let path else { return nil }
        // Read to the end rather than by size: `<(…)`, `/dev/stdin` and pipes have none.
        guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.readToEnd() ?? Data() else {
            throw UsageError.message("\(path): cannot read the cloud secrets inventory")
        }
        // Editors on Windows save a UTF-8 byte order mark; UTF-16 would read as names with NULs.
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        // UTF-16: a byte order mark, or ASCII names with a NUL beside every letter.
        let isUTF16 =
            bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
            || (bytes.count >= 4 && (0..<4).allSatisfy { (bytes[$0] == 0) == (bytes[0] == 0 ? $0 % 2 == 0 : $0 % 2 == 1) })
        if isUTF16 || bytes.contains(0) {
            throw UsageError.message("\(path): the cloud secrets inventory must be UTF-8 text (\(isUTF16 ? "this looks like UTF-16" : "it holds NUL bytes"))")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw UsageError.message("\(path): the cloud secrets inventory must be UTF-8 text (it holds bytes that are not UTF-8)")
        }
        // A JSON object (an API response saved whole) is refused, not read as one name.
        if let first = text.trimmingCharacters(in: .whitespacesAndNewlines).first, first == "[" || first == "{" {
            let parsed: Any
            do {
                parsed = try JSONSerialization.jsonObject(with: Data(bytes))
            } catch {
                throw UsageError.message("\(path)\(Self.jsonErrorPosition(error, in: text)): the cloud secrets inventory is not valid JSON")
            }
            guard let names = parsed as? [String] else {
                // Which item is not a name (a number, a `{"name": …}` object), by its position.
                let item = (parsed as? [Any])?.firstIndex { !($0 is String) }.map { " (item \($0 + 1) is not a string)" } ?? ""
                throw UsageError.message("\(path): the cloud secrets inventory must be a JSON list of strings or one name a line\(item)")
            }
            return Set(names)
        }
        return Set(text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }
}

/// Options for how results are shown.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: \(Reporters.names.joined(separator: ", ")) (default: text, or from the --output extension).")
    var format: String?

    @Option(help: "Write the report to this file instead of standard output (- for standard output).", completion: .file())
    var output: String?

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding at or above this severity remains: error, warning, info or never.")
    var failOn: String = "error"

    @Flag(name: .customLong("show-secrets"), help: "Show secret values in reports (they are redacted otherwise).")
    var showSecrets = false

    @Flag(name: .customLong("no-color"), help: "Never colour the text output.")
    var noColor = false

    @Flag(name: .shortAndLong, help: "Print only the findings' headlines, no code frames or summary.")
    var quiet = false

    @Flag(help: "Print how many findings each rule has (on standard error with a --format other than text).")
    var statistics = false

    func validate() throws {
        if let format, Reporters.reporter(named: format) == nil {
            throw ValidationError("unknown --format '\(format)'; expected one of: \(Reporters.names.joined(separator: ", "))")
        }
        if failThreshold == nil, failOn != "never" {
            throw ValidationError("--fail-on must be error, warning, info or never, not '\(failOn)'")
        }
    }

    /// nil means never fail.
    var failThreshold: Severity? { Severity(rawValue: failOn) }

    var reporter: any Reporter {
        let name = format ?? output.flatMap(Reporters.format(forOutputPath:)) ?? TextReporter.identifier
        return Reporters.reporter(named: name) ?? TextReporter()
    }

    func reportOptions(console: Console) -> ReportOptions {
        let color = !noColor && output == nil && console.isTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        return ReportOptions(showSecrets: showSecrets, color: color, quiet: quiet, statistics: statistics, toolVersion: toolVersion)
    }
}
