import ArgumentParser
import Report

/// `prefect-secrets inventory [PATH]`: the secret matrix of a project.
struct InventoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Show each secret: who needs it, who provides it, and whether it resolves under each agent.")

    @OptionGroup var scan: ScanOptions

    @Option(help: "Output format: text or json.")
    var format: String = "text"

    func validate() throws {
        if scan.staged || scan.since != nil || scan.baseline != nil {
            throw ValidationError("the inventory shows the whole project: --staged, --since and --baseline are for check")
        }
        guard format == "text" || format == "json" else {
            throw ValidationError("unknown --format '\(format)'; expected text or json")
        }
    }

    func run() async throws {
        var engine = try Engine.load(for: scan)
        engine.modelOnly = true
        let report = try engine.scan(scan)
        ProcessLifetime.keepUntilExit(report, console: Console.current)
        guard report.summary.files > 0, let model = report.model else {
            throw UsageError.message("nothing was scanned under \(scan.paths.joined(separator: " "))")
        }
        // A file that does not parse gives the model nothing (or part of what it says): said
        // beside the matrix, which may lack its secrets and agents.
        let unparsed = report.findings.filter { $0.code == "PS900" }.map { "\($0.path):\($0.start.line):\($0.start.column)" }
        // Names only, never values; a credential written where a name belongs is hidden too.
        let rendered =
            format == "json"
            ? InventoryRenderer.json(model, toolVersion: toolVersion, unparsedFiles: unparsed) : InventoryRenderer.text(model, unparsedFiles: unparsed)
        Console.current.out(report.redactingSecrets(in: rendered))
    }
}
