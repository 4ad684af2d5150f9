import Foundation
import Testing

/// `--staged` (the git index, not the work tree) and `--since REV` (pattern rules on changed
/// files only), on temporary git repositories.
@Suite struct GitScanTests {
    static let secretLine = "LABEL = \"acme_q8z3k1m9x2c4\"\n"

    static func repository() throws -> GitRepository {
        let repo = try GitRepository(files: [
            ".prefect-secrets.toml": text(acmeRuleConfig),
            "app/settings.py": text("import os\n"),
            "README.md": text("# demo\n"),
        ])
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "initial")
        return repo
    }

    @Test func partiallyStagedFileIsJudgedByItsStagedContent() async throws {
        let repo = try Self.repository()
        defer { repo.remove() }
        // Staged: the secret on line 3. Work tree: the secret removed again.
        try repo.write("app/settings.py", "import os\n\n" + Self.secretLine)
        try repo.git("add", "app/settings.py")
        try repo.write("app/settings.py", "import os\n\nTOKEN = os.environ[\"TOKEN\"]\n")
        let staged = await runCLI(["check", "--staged", "--format", "json", repo.root])
        #expect(staged.status == 1, "stderr: \(staged.stderr)")
        #expect(try findingPlaces(staged.stdout) == ["app/settings.py:3"])
        let object = try JSONSerialization.jsonObject(with: Data(staged.stdout.utf8)) as? [String: Any]
        #expect((object?["summary"] as? [String: Any])?["files"] as? Int == 1, "only the staged file is read")
        let workTree = await runCLI(["check", repo.root])
        #expect(workTree.status == 0, "the work tree is clean: \(workTree.stdout)")

        // The other way round: a clean stage, the secret only in the work tree.
        try repo.write("app/settings.py", "import os\n")
        try repo.git("add", "app/settings.py")
        try repo.write("app/settings.py", "import os\n" + Self.secretLine)
        try repo.write("notes.txt", "more\n")
        try repo.git("add", "notes.txt")
        let clean = await runCLI(["check", "--staged", repo.root])
        #expect(clean.status == 0, "stdout: \(clean.stdout)")
        #expect(clean.stdout.contains("in 1 file "), "stdout: \(clean.stdout)")
    }

    @Test func stagedRespectsPathArgumentsAndNewFiles() async throws {
        let repo = try Self.repository()
        defer { repo.remove() }
        try repo.write("flows/new.py", Self.secretLine)
        try repo.write("other/new.py", Self.secretLine)
        try repo.git("add", "-A")
        // A sub-directory is the root: only its staged files, reported relative to it.
        let result = await runCLI(["check", "--staged", "--format", "json", repo.root + "/flows"])
        #expect(result.status == 1, "stderr: \(result.stderr)")
        #expect(try findingPlaces(result.stdout) == ["new.py:1"])
    }

    @Test func noStagedFilesExitsZeroWithAMessage() async throws {
        let repo = try Self.repository()
        defer { repo.remove() }
        try repo.write("app/settings.py", "import os\n" + Self.secretLine)  // modified, not staged
        let result = await runCLI(["check", "--staged", repo.root])
        #expect(result.status == 0)
        #expect(result.stderr == "prefect-secrets: no staged files\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func firstCommitAndBinaryOnlyStages() async throws {
        let repo = try GitRepository(files: [".prefect-secrets.toml": text(acmeRuleConfig), "a.py": text(Self.secretLine)])
        defer { repo.remove() }
        try repo.git("add", "-A")  // no commit yet: the index is compared with the empty tree
        let first = await runCLI(["check", "--staged", "--format", "json", repo.root])
        #expect(first.status == 1, "stderr: \(first.stderr)")
        #expect(try findingPlaces(first.stdout) == ["a.py:1"])
        try repo.git("commit", "-q", "-m", "first")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]).write(to: URL(fileURLWithPath: repo.root + "/logo.png"))
        try repo.git("add", "logo.png")
        let binary = await runCLI(["check", "--staged", repo.root])
        #expect(binary.status == 0)
        #expect(binary.stderr == "prefect-secrets: no staged text files to scan (1 skipped)\n")
    }

    @Test func stagedDeletionIsNotScanned() async throws {
        let repo = try Self.repository()
        defer { repo.remove() }
        try repo.git("rm", "-q", "README.md")
        let result = await runCLI(["check", "--staged", repo.root])
        #expect(result.status == 0)
        #expect(result.stderr.contains("no staged files"))
    }

    @Test func stagedOutsideAGitRepositoryIsAUsageError() async throws {
        let root = try makeTree(["a.txt": text("x\n")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = await runCLI(["check", "--staged", root])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--staged needs a git repository"))
    }

    @Test func stagedAndSinceAreExclusive() async {
        let result = await runCLI(["check", "--staged", "--since", "HEAD", "."])
        #expect(result.status == 2)
    }

    @Test func sinceRunsPatternRulesOnChangedAndUntrackedFilesOnly() async throws {
        let repo = try Self.repository()
        defer { repo.remove() }
        try repo.write("old.py", Self.secretLine)
        try repo.git("add", "old.py")
        try repo.git("commit", "-q", "-m", "old secret")
        try repo.git("tag", "base")
        try repo.write("app/settings.py", "import os\n" + Self.secretLine)  // changed, unstaged
        try repo.write("untracked.py", Self.secretLine)
        let since = await runCLI(["check", "--since", "base", "--format", "json", repo.root])
        #expect(since.status == 1, "stderr: \(since.stderr)")
        #expect(try findingPlaces(since.stdout) == ["app/settings.py:2", "untracked.py:1"])
        let object = try JSONSerialization.jsonObject(with: Data(since.stdout.utf8)) as? [String: Any]
        #expect((object?["summary"] as? [String: Any])?["files"] as? Int == 5, "every file is still read")
        let all = await runCLI(["check", "--format", "json", repo.root])
        #expect(try findingPlaces(all.stdout).count == 3)
    }

    @Test func sinceUnknownRevisionIsAUsageError() async throws {
        let repo = try Self.repository()
        defer { repo.remove() }
        let result = await runCLI(["check", "--since", "no-such-rev", repo.root])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--since: 'no-such-rev' is not a commit"))
    }

    /// A path that is a symlink into a git work tree is still read through git: its
    /// `.gitignore` holds.
    @Test func symlinkedPathIntoWorkTreeHonoursGitignore() async throws {
        let repo = try GitRepository(files: [".gitignore": text("ignored.env\n"), "svc/ignored.env": text("A=1\n"), "svc/ok.env": text("B=2\n")])
        let link = repo.root + "-link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: repo.root + "/svc")
        defer {
            try? FileManager.default.removeItem(atPath: link)
            try? FileManager.default.removeItem(atPath: repo.root)
        }
        let result = await runCLI(["check", link])
        #expect(result.status == 0)
        #expect(result.stdout.contains("in 1 file "), "\(result.stdout)")
    }
}
