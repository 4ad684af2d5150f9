import ArgumentParser
import Fix
import Foundation
import Spans

/// `prefect-secrets init [DIR]`: writes a commented starter `.prefect-secrets.toml` (with the
/// backend and agents it sees in the project) and prints the pre-commit and GitHub Actions
/// snippets that run the check.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter .prefect-secrets.toml and print the pre-commit and CI snippets.",
        discussion: "Exit codes: 0 written; 2 usage or input error (for example an existing config without --force).")

    @Argument(help: "The project directory.", completion: .directory)
    var directory: String = "."

    @Flag(help: "Overwrite an existing .prefect-secrets.toml.")
    var force = false

    func run() async throws {
        let console = Console.current
        let root = Discovery.absolute(directory, base: FileManager.default.currentDirectoryPath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UsageError.message("\(directory): no such directory")
        }
        let target = root + "/.prefect-secrets.toml"
        if FileManager.default.fileExists(atPath: target), !force {
            throw UsageError.message("\(target) already exists; use --force to overwrite it")
        }
        // A new .prefect-secrets.toml would silently take the place of the pyproject table.
        let pyproject = root + "/pyproject.toml"
        if !force, let data = FileManager.default.contents(atPath: pyproject), Self.hasToolTable([UInt8](data), path: pyproject) {
            throw UsageError.message("\(pyproject) already configures prefect-secrets ([tool.prefect-secrets]); use --force to write a .prefect-secrets.toml, which takes its place")
        }
        var discovery = Discovery(root: root)
        let detection = ProjectDetection.scan(try discovery.discover([root]).filter { $0.absolutePath != target })
        // What a check hides stays hidden here: a path or a place quoted may hold a value.
        let report = try? Engine.load().scan(ScanOptions.parse([root]), excluding: [target])
        func redacted(_ text: String) -> String { report?.redactingSecrets(in: text) ?? text }
        let text = redacted(Self.configText(detection))
        do { try AtomicWrite.write(Array(text.utf8), to: target) } catch { throw UsageError.message(error.description) }
        var seen: [String] = []
        if let backend = detection.backend { seen.append("backend: \(backend)") }
        if !detection.agents.isEmpty { seen.append("agents: " + detection.agents.map(\.type).joined(separator: ", ")) }
        console.out(redacted("Wrote \(target)\(seen.isEmpty ? "" : " (" + seen.joined(separator: "; ") + ")").\n\n"))
        console.out(Self.snippets(checking: Self.pathInRepository(root)))
    }

    /// Whether a pyproject.toml has a `[tool.prefect-secrets]` table (one that does not parse
    /// counts when it names the table).
    static func hasToolTable(_ bytes: [UInt8], path: String) -> Bool {
        do { return try ProjectConfig.load(path: path, bytes: bytes, pyproject: true) != nil } catch {
            return ByteSearch.contains(Array("tool.prefect-secrets".utf8), in: bytes)
        }
    }

    /// The project directory relative to its git repository's top, when it is below it: hooks
    /// and CI jobs run from the top, and must name the directory for its config to apply.
    static func pathInRepository(_ root: String) -> String? {
        guard let output = Git.run(["-C", root, "rev-parse", "--show-toplevel"]) else { return nil }
        let top = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !top.isEmpty else { return nil }
        guard Discovery.absolute(root, base: "/") != Discovery.absolute(top, base: "/") else { return nil }
        let relative = Discovery.relative(root, to: top)
        return relative.hasPrefix("/") ? nil : relative
    }

    /// The commented starter configuration. Examples are commented out as `#key = value`
    /// (no space after `#`) so that uncommenting one gives valid TOML.
    static func configText(_ detection: ProjectDetection) -> String {
        var out = """
            # prefect-secrets configuration, written by `prefect-secrets init`.
            # Every key is optional; rules are named by code (PS101), prefix (PS1) or name
            # (plaintext-credential). See `prefect-secrets rules` for the catalogue.

            # The Prefect backend the flows run against: "cloud" or "server". Without it the
            # tool infers it from `prefect backend` commands and PREFECT__BACKEND settings.

            """
        let backends = detection.backendEvidence
        if backends.isEmpty {
            out += "# No backend setting was found.\n#backend = \"server\"\n"
        } else {
            for evidence in backends { out += "# Seen: \(evidence.value) at \(evidence.place)\n" }
            if let backend = detection.backend {
                out += "backend = \"\(backend)\"\n"
            } else {
                out += "# Both backends are mentioned: choose one.\n#backend = \"server\"\n"
            }
        }
        out += "\n"
        if detection.agents.isEmpty {
            out += "# No agents were found (`prefect agent <type> start`).\n"
        } else {
            out += "# Agents seen (found again on every run; listed here for reference):\n"
            for agent in detection.agents { out += "#   \(agent.type) agent at \(agent.place)\n" }
        }
        out += """

            # Rules to run (empty: all) and rules to skip.
            #select = ["PS1", "PS2", "PS3", "PS4", "PS9"]
            #ignore = ["PS405"]

            # Files never scanned (globs relative to this file; a trailing / means a folder).
            #exclude = ["tests/fixtures/", "docs/"]

            # File of the secret names that exist in Prefect Cloud: one a line, or a JSON list.
            #cloud-secrets = "cloud-secrets.txt"

            # Skip files larger than this many bytes (default 10 MiB).
            #max-file-size = 10485760

            # Rules ignored in matching files.
            #[per-file-ignores]
            #"tests/**" = ["PS101", "PS104"]

            # Severity overrides: "error", "warning" or "info".
            #[severity]
            #PS205 = "info"

            # Pattern findings dropped when the path, the value (regex) or a stopword matches.
            #[allowlist]
            #paths = ["examples/"]
            #regexes = ['''^example-''']
            #stopwords = ["dummy", "changeme"]

            # Your own pattern rules, in the same format as the tool's rules/ folder.
            #[[rules]]
            #id = "ACME001"
            #name = "acme-internal-token"
            #severity = "error"
            #summary = "An ACME internal token"
            #[[rules.detectors]]
            #id = "acme-token"
            #description = "ACME internal token"
            #keywords = ["acme_"]
            #regex = '''(acme_[a-z0-9]{32})'''
            #secret_group = 1

            """
        return out
    }

    /// `directory`: the project's path in its repository, when it is not the top.
    static func snippets(checking directory: String? = nil) -> String {
        // Double-quoted for YAML and for the shell alike (`"services/etl job"`).
        let quoted = directory.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        let hookArguments = quoted.map { "\n          args: [\($0)]" } ?? ""
        return """
        Pre-commit (.pre-commit-config.yaml): checks what is staged, before each commit.

          repos:
            - repo: https://github.com/prefect-secrets/prefect-secrets
              rev: v\(toolVersion)
              hooks:
                - id: prefect-secrets\(hookArguments)

        GitHub Actions (.github/workflows/prefect-secrets.yml): findings shown in pull requests.

          name: prefect-secrets
          on: [push, pull_request]
          jobs:
            prefect-secrets:
              runs-on: ubuntu-latest
              permissions:
                contents: read
                security-events: write
              steps:
                - uses: actions/checkout@v4
                - name: Build prefect-secrets
                  run: |
                    sudo apt-get update && sudo apt-get install -y libpcre2-dev libyaml-dev
                    git clone --depth 1 --branch v\(toolVersion) https://github.com/prefect-secrets/prefect-secrets "$RUNNER_TEMP/prefect-secrets"
                    swift build -c release --package-path "$RUNNER_TEMP/prefect-secrets"
                    echo "$RUNNER_TEMP/prefect-secrets/.build/release" >> "$GITHUB_PATH"
                - name: Check
                  run: prefect-secrets check \(quoted ?? ".") --format sarif --output results.sarif
                - name: Upload SARIF
                  if: success() || failure()
                  uses: github/codeql-action/upload-sarif@v3
                  with:
                    sarif_file: results.sarif
                    category: prefect-secrets

        """
    }
}

/// What `init` notices in a project by plain text search: backend settings and agents.
struct ProjectDetection: Sendable {
    struct Evidence: Sendable, Hashable {
        var value: String
        /// `path:line`.
        var place: String
    }

    var backendEvidence: [Evidence] = []
    /// One entry per agent type, at its first mention.
    var agents: [(type: String, place: String)] = []

    /// The backend when every mention agrees.
    var backend: String? {
        let values = Set(backendEvidence.map(\.value))
        return values.count == 1 ? values.first : nil
    }

    static let backendPatterns = [
        #"PREFECT__BACKEND["']?\s*[:=]\s*["']?(cloud|server)\b"#,
        #"PREFECT__BACKEND["']?\s*\n\s*value:\s*["']?(cloud|server)\b"#,
        #"\bprefect\s+backend\s+(cloud|server)\b"#,
        #"^\s*backend\s*=\s*["'](cloud|server)["']"#,
    ].compactMap { try? NSRegularExpression(pattern: $0, options: [.anchorsMatchLines]) }
    static let agentPattern = try? NSRegularExpression(
        pattern: #"\bprefect\s+agent\s+(local|docker|kubernetes|ecs|vertex|fargate)\s+(start|install)\b"#)

    static let maxBytes = 1 << 20

    /// Scans text files up to 1 MiB; the `backend = ...` form counts only in Prefect's own
    /// config files (config.toml, backend.toml).
    static func scan(_ files: [DiscoveredFile]) -> ProjectDetection {
        var detection = ProjectDetection()
        for file in files {
            guard case .content(let bytes) = FileReader.read(file.absolutePath, sizeLimit: maxBytes) else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            guard text.range(of: "prefect", options: .caseInsensitive) != nil || file.reportPath.hasSuffix("backend.toml") else { continue }
            let whole = NSRange(text.startIndex..., in: text)
            let name = (file.reportPath as NSString).lastPathComponent
            let isPrefectConfig = name == "backend.toml" || (name == "config.toml" && file.reportPath.contains(".prefect"))
            for (i, pattern) in backendPatterns.enumerated() where i < 3 || isPrefectConfig {
                for match in pattern.matches(in: text, range: whole) {
                    guard let range = Range(match.range(at: 1), in: text) else { continue }
                    let evidence = Evidence(value: String(text[range]), place: place(file, text, range.lowerBound))
                    if !detection.backendEvidence.contains(where: { $0.place == evidence.place }) {
                        detection.backendEvidence.append(evidence)
                    }
                }
            }
            for match in agentPattern?.matches(in: text, range: whole) ?? [] {
                guard let range = Range(match.range(at: 1), in: text) else { continue }
                let type = String(text[range])
                if !detection.agents.contains(where: { $0.type == type }) {
                    detection.agents.append((type, place(file, text, range.lowerBound)))
                }
            }
        }
        return detection
    }

    private static func place(_ file: DiscoveredFile, _ text: String, _ index: String.Index) -> String {
        let line = text.unicodeScalars[..<index].reduce(1) { $0 + ($1 == "\n" ? 1 : 0) }
        return "\(file.reportPath):\(line)"
    }
}
