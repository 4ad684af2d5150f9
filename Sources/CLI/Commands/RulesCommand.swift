import ArgumentParser
import Report
import Rules

/// `prefect-secrets rules [ID]`: list the catalogue or explain one rule.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "List the rules, or explain one by code or name.")

    @Argument(help: "A rule code (PS101) or name (plaintext-credential) to explain.")
    var rule: String?

    @Option(help: "Output format: text, json or markdown.")
    var format: String = "text"

    @Option(name: .customLong("output-dir"), help: "With --format markdown: write <code>.md per rule and an index into this directory (docs/rules).", completion: .directory)
    var outputDirectory: String?

    func validate() throws {
        guard ["text", "json", "markdown"].contains(format) else {
            throw ValidationError("unknown --format '\(format)'; expected text, json or markdown")
        }
        if outputDirectory != nil, format != "markdown" || rule != nil {
            throw ValidationError("--output-dir writes every rule's page: use it with --format markdown and no rule")
        }
    }

    func run() async throws {
        let catalogue = try Engine.load().catalogue
        var rules = catalogue.all
        if let rule {
            guard let found = catalogue.lookup(rule) else {
                throw UsageError.message("unknown rule '\(rule)' (see `prefect-secrets rules`)")
            }
            rules = [found]
        }
        let console = Console.current
        if let outputDirectory {
            let count = try RuleDocsFiles.write(rules, to: outputDirectory)
            console.err("Wrote \(count) pages to \(outputDirectory)\n")
            return
        }
        switch format {
        case "json": console.out(RuleDocs.json(rules))
        case "markdown": console.out(rules.map(RuleDocs.markdown).joined(separator: "\n"))
        default:
            if rule != nil, let only = rules.first {
                console.out(RuleDocs.explanation(only))
            } else {
                console.out(RuleDocs.table(rules))
            }
        }
    }
}
