import ArgumentParser
import Fix
import Foundation
import Report

/// `prefect-secrets baseline [PATH ...]`: records today's findings so that
/// `check --baseline FILE` reports only new ones (adopting the tool on an old repository).
struct BaselineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Write today's findings to a baseline file; `check --baseline FILE` then reports only new ones.",
        discussion: """
            The file lists each finding's fingerprint, rule and path: no values and no line numbers, \
            so it survives edits and line moves. A finding on a long, random-looking value (a token) \
            also records a hash of it, so that a credential committed over it is reported. Paths are relative to the scanned root: run check \
            from the same directory. Exit codes: 0 written; 2 usage, configuration or input error.
            """)

    @OptionGroup var scan: ScanOptions

    @Option(name: .shortAndLong, help: "The baseline file to write (- for standard output).", completion: .file())
    var output: String = ".prefect-secrets-baseline.json"

    func validate() throws {
        if scan.baseline != nil { throw ValidationError("baseline writes a baseline; --baseline is for check") }
        if scan.staged || scan.since != nil {
            throw ValidationError("a baseline records the whole project: --staged and --since are for check")
        }
    }

    func run() async throws {
        let console = Console.current
        let engine = try Engine.load(for: scan)
        let target = Discovery.absolute(output, base: FileManager.default.currentDirectoryPath)
        let report = try engine.scan(scan, excluding: [target])
        ProcessLifetime.keepUntilExit(report, console: console)
        for notice in report.notices { console.err(report.redactingSecrets(in: notice) + "\n") }
        guard report.summary.files > 0 else {
            throw UsageError.nothingScanned(report.summary, paths: scan.paths)
        }
        let baseline = Baseline(report: report)
        let count = baseline.entries.count
        if output == "-" {
            console.out(baseline.rendered())
            return
        }
        do { try AtomicWrite.write(Array(baseline.rendered().utf8), to: output) } catch { throw UsageError.message(error.description) }
        console.err("Wrote \(count) finding\(count == 1 ? "" : "s") to \(output) (\(report.summary.files) files scanned).\n")
    }
}
