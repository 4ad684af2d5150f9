import ArgumentParser
import Foundation
import Report
import Rules
import Spans

/// The version printed by `prefect-secrets version` and in reports.
public let toolVersion = "0.1.0"

/// The root command: `prefect-secrets <subcommand>`.
public struct PrefectSecretsCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "prefect-secrets",
        abstract: "Lint the secrets of Prefect 1.x projects and migrate them.",
        discussion: """
            Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; \
            2 usage, configuration or input error.
            """,
        version: toolVersion,
        subcommands: [
            CheckCommand.self, BaselineCommand.self, InventoryCommand.self, InitCommand.self, RulesCommand.self, VersionCommand.self,
            DebugCommand.self,
        ],
        defaultSubcommand: CheckCommand.self)

    public init() {}

    /// Runs the tool with `arguments` (without the program name) and returns the exit code.
    /// Usage errors exit 2, as DESIGN.md says (ArgumentParser's own default is 64).
    public static func run(arguments: [String]) async -> Int32 {
        let console = Console.current
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch let usage as UsageError {
            console.err("prefect-secrets: error: \(Self.hidingCredentials(usage.description))\n")
            return 2
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { console.out(message + "\n") }
                return 0
            }
            // One line, as every other error: ArgumentParser's first line plus where to look.
            var line = message.split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            if line.hasPrefix("Error: ") { line.removeFirst("Error: ".count) }
            console.err("prefect-secrets: error: \(Self.hidingQuotedValues(Self.hidingCredentials(line))) (see 'prefect-secrets --help')\n")
            return 2
        }
    }

    /// An error message quotes what the user wrote (a key, a selector, a path): a credential
    /// written there is replaced by its placeholder, as in every other output.
    static func hidingCredentials(_ message: String) -> String {
        guard let rules = try? BundledRules.load(), let patterns = try? PatternRule(rules: rules) else { return message }
        let file = SourceFile(path: "error", bytes: Array(message.utf8))
        var found: [String: String] = [:]
        for (span, placeholder) in patterns.credentials(in: file, scope: .everywhere) {
            found[String(decoding: file.bytes[span.range], as: UTF8.self)] = placeholder
        }
        return SecretTextRedactor(found).redact(message)
    }

    /// ArgumentParser quotes the value it refuses (`'glpat-…'` given to `--jobs`): one that
    /// looks random is replaced by its length, as values are everywhere else.
    static func hidingQuotedValues(_ message: String) -> String {
        let pieces = message.split(separator: "'", omittingEmptySubsequences: false)
        guard pieces.count >= 3 else { return message }
        return pieces.enumerated().map { index, piece in
            index % 2 == 1 && index < pieces.count - 1 && Redaction.looksRandom(piece.utf8) ? "…(\(piece.count) chars)" : String(piece)
        }.joined(separator: "'")
    }

    /// Entry point of the executable.
    public static func mainEntry() async -> Never {
        CrashGuard.install()
        let code = await run(arguments: Array(CommandLine.arguments.dropFirst()))
        Foundation.exit(code)
    }
}

/// `prefect-secrets version`.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")
    func run() throws { Console.current.out("prefect-secrets \(toolVersion)\n") }
}
