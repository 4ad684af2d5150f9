import ArgumentParser
import Fix
import Foundation
import Report
import Rules

/// `prefect-secrets check [PATH ...]`: lint and report.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Lint the secrets of a Prefect 1.x project.",
        discussion: """
            Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, configuration or input error.

            Suppress a finding with a comment at the end of its line, or on a line of its own just above it: \
            `# prefect-secrets: ignore` or `# prefect-secrets: ignore[PS101,plaintext-credential]` (`;`, `//` and `<!--` comments work too).

            Configuration: the .prefect-secrets.toml (or [tool.prefect-secrets] in pyproject.toml) nearest to the directory \
            checked (the current one when files or several paths are given), or --config, applies to the whole scan; a sub-project's \
            own file counts when that sub-project is checked. It sets select, ignore, \
            exclude, backend, cloud-secrets and max-file-size, and the tables [per-file-ignores] (path globs to codes), \
            [severity] (code to severity), [allowlist] (paths, regexes, stopwords) and [[rules]] (pattern rules of your own); \
            `prefect-secrets init` writes a commented one.
            """)

    @OptionGroup var scan: ScanOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        let console = Console.current
        let engine = try Engine.load(for: scan)
        let report = try engine.scan(scan)
        ProcessLifetime.keepUntilExit(report, console: console)
        let showSecrets = outputOptions.reportOptions(console: console).showSecrets
        func redacted(_ text: String) -> String { showSecrets ? text : report.redactingSecrets(in: text) }
        for notice in report.notices { console.err(redacted(notice) + "\n") }
        if scan.staged, report.summary.files == 0 {
            // Nothing staged is a normal state for a pre-commit hook, not a misconfiguration.
            let skipped = report.summary.skippedFiles
            console.err(skipped == 0 ? "prefect-secrets: no staged files\n" : "prefect-secrets: no staged text files to scan (\(skipped) skipped)\n")
            return
        }
        guard report.summary.files > 0 else {
            throw UsageError.nothingScanned(report.summary, paths: scan.paths)
        }
        let reporter = outputOptions.reporter
        let rendered = redacted(reporter.render(report, options: outputOptions.reportOptions(console: console)))
        // Machine formats have no place for the table: it goes where people read.
        if outputOptions.statistics, !(reporter is TextReporter) { console.err(redacted(TextReporter.statistics(report))) }
        if let output = outputOptions.output, output != "-" {
            do { try AtomicWrite.write(Array(rendered.utf8), to: output) } catch { throw UsageError.message(error.description) }
            if !outputOptions.quiet { console.err(TextReporter.summaryLine(report) + "\n") }
        } else {
            console.out(rendered)
        }
        if let threshold = outputOptions.failThreshold, report.findings.contains(where: { $0.severity >= threshold }) {
            throw ExitCode(1)
        }
    }
}
