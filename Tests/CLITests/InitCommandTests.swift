@testable import CLI
import Foundation
import Testing

/// `prefect-secrets init`: the written config loads, detection, overwrite protection, snippets.
@Suite struct InitCommandTests {
    static let project: [String: [UInt8]] = [
        "agents/start.sh": text("#!/bin/sh\nprefect backend server\nprefect agent docker start --label prod\n"),
        "deploy/agent.yaml": text("env:\n  - name: PREFECT__BACKEND\n    value: server\nargs: [\"prefect agent kubernetes start --label k8s\"]\n"),
        "flows/etl.py": text("from prefect import Flow\n"),
    ]

    @Test func writesALoadableConfigWithWhatItSaw() async throws {
        let root = try makeTree(Self.project)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["init", root])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.hasPrefix("Wrote \(root)/.prefect-secrets.toml (backend: server; agents: docker, kubernetes)."))
        #expect(result.stdout.contains("- id: prefect-secrets"))
        #expect(result.stdout.contains("--format sarif --output results.sarif"))
        #expect(result.stdout.contains("github/codeql-action/upload-sarif"))
        let path = root + "/.prefect-secrets.toml"
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("\nbackend = \"server\"\n"))
        #expect(written.contains("# Seen: server at agents/start.sh:2"))
        #expect(written.contains("# Seen: server at deploy/agent.yaml:3"))
        #expect(written.contains("#   kubernetes agent at deploy/agent.yaml:4"))
        let config = try #require(try ProjectConfig.load(path: path, bytes: Array(written.utf8), pyproject: false))
        #expect(config.backend == "server")
        // The check itself accepts it.
        let check = await runCLI(["check", root])
        #expect(check.status == 0, "stderr: \(check.stderr)")
    }

    @Test func everyCommentedExampleIsValidOnceUncommented() throws {
        let text = InitCommand.configText(ProjectDetection())
        let uncommented = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.hasPrefix("#") && !line.hasPrefix("# ") && !line.hasPrefix("#!") && line.count > 1 ? line.dropFirst() : line
        }.joined(separator: "\n")
        #expect(uncommented.contains("\n[[rules]]\n"))
        let config = try #require(try ProjectConfig.load(path: "init.toml", bytes: Array(uncommented.utf8), pyproject: false))
        #expect(config.select == ["PS1", "PS2", "PS3", "PS4", "PS9"])
        #expect(config.extraRules.count == 1)
        #expect(config.perFileIgnores.count == 1)
        #expect(config.maxFileSize == 10_485_760)
        _ = try Engine.load(config: config)  // the example rule compiles
    }

    @Test func conflictingBackendsAreLeftToTheUser() async throws {
        let root = try makeTree([
            "a.sh": text("prefect backend cloud\n"),
            "b.sh": text("export PREFECT__BACKEND=server\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(await runCLI(["init", root]).status == 0)
        let written = try String(contentsOfFile: root + "/.prefect-secrets.toml", encoding: .utf8)
        #expect(written.contains("# Both backends are mentioned: choose one.\n#backend = \"server\"\n"))
        #expect(!written.contains("\nbackend ="))
    }

    @Test func refusesToOverwriteWithoutForce() async throws {
        let root = try makeTree([".prefect-secrets.toml": text("select = [\"PS1\"]\n"), "a.txt": text("x\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let refused = await runCLI(["init", root])
        #expect(refused.status == 2)
        #expect(refused.stderr == "prefect-secrets: error: \(root)/.prefect-secrets.toml already exists; use --force to overwrite it\n")
        #expect(try String(contentsOfFile: root + "/.prefect-secrets.toml", encoding: .utf8) == "select = [\"PS1\"]\n")
        let forced = await runCLI(["init", "--force", root])
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: root + "/.prefect-secrets.toml", encoding: .utf8).hasPrefix("# prefect-secrets configuration"))
    }

    @Test func missingDirectoryIsAUsageError() async {
        let result = await runCLI(["init", "/nonexistent/prefect-secrets-init"])
        #expect(result.status == 2)
    }

    /// A value a check hides stays hidden in the config `init` writes and in what it prints:
    /// here a directory named after the secret value its script sets.
    @Test func hidesWhatACheckHides() async throws {
        let value = "Gt5Fr4De3Sw2Aq"
        let root = try makeTree([
            "agents/\(value)/start.sh": text("prefect agent local start --label etl --env PREFECT__CONTEXT__SECRETS__TENANT_KEY=\(value)\n")
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["init", root])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let written = try String(contentsOfFile: root + "/.prefect-secrets.toml", encoding: .utf8)
        #expect(written.contains("#   local agent at agents/…(14 chars)/start.sh:1"), "\(written)")
        #expect(!written.contains(value) && !result.stdout.contains(value) && !result.stderr.contains(value))
    }

    /// A `[tool.prefect-secrets]` table in pyproject.toml is a config: a new
    /// .prefect-secrets.toml would silently replace it (helper round 41).
    @Test func refusesToShadowAPyprojectConfig() async throws {
        let pyproject = "[tool.prefect-secrets]\nignore = [\"PS1\"]\n"
        let root = try makeTree(["pyproject.toml": text(pyproject), "a.txt": text("x\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let refused = await runCLI(["init", root])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("pyproject.toml already configures prefect-secrets"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root + "/.prefect-secrets.toml"))
        #expect(await runCLI(["init", "--force", root]).status == 0)
    }

    /// A project below the repository's top gets snippets that check it, so that its config
    /// applies from where hooks and CI jobs run (helper round 41).
    @Test func snippetsNameAProjectBelowTheRepositoryTop() async throws {
        let repository = try GitRepository(files: ["services/etl job/flows/a.py": text("x = 1\n")])
        defer { try? FileManager.default.removeItem(atPath: repository.root) }
        let result = await runCLI(["init", repository.root + "/services/etl job"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("        - id: prefect-secrets\n          args: [\"services/etl job\"]\n"), "\(result.stdout)")
        #expect(result.stdout.contains("run: prefect-secrets check \"services/etl job\" --format sarif"), "\(result.stdout)")
        let top = await runCLI(["init", "--force", repository.root])
        #expect(!top.stdout.contains("args:") && top.stdout.contains("run: prefect-secrets check . --format sarif"), "\(top.stdout)")
    }
}
