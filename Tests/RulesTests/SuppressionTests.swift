import Rules
import Spans
import Testing

/// Which lines an inline `prefect-secrets: ignore` comment silences.
struct SuppressionTests {
    func suppressed(_ text: String, code: String = "PS201") -> [Int] {
        let suppressions = Suppressions(file: SourceFile(path: "f", bytes: Array(text.utf8)))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        return (1...lines).filter { suppressions.suppresses(code: code, name: "secret-missing-for-agent", line: $0) }
    }

    /// A trailing comment speaks for its own line only; a comment alone on its line, for the
    /// next one; the marker in a string or inside a comment's text silences nothing.
    @Test func markerPlaces() {
        #expect(suppressed("a = 1  # prefect-secrets: ignore[PS201] old VM\nb = 2\n") == [1])
        #expect(suppressed("# prefect-secrets: ignore\nb = 2\nc = 3\n") == [2])
        #expect(suppressed("    # prefect-secrets: ignore[secret-missing-for-agent]\n    b = 2\n") == [2])
        #expect(suppressed("note = \"see prefect-secrets: ignore docs\"\nb = 2\n") == [])
        #expect(suppressed("a = 1  # see the prefect-secrets: ignore docs\nb = 2\n") == [])
        #expect(suppressed("a = 1  # old # prefect-secrets: ignore\nb = 2\n") == [1])
        #expect(suppressed("key=1 ; prefect-secrets: ignore\n// prefect-secrets: ignore\nx\n<!-- prefect-secrets: ignore -->\ny\n") == [1, 3, 5])
        #expect(suppressed("a = 1  # prefect-secrets: ignore[PS101]\n") == [])
    }

    /// The marker inside a string on a line of code is not a comment (helper round 41); an
    /// apostrophe in a word opens no string.
    @Test func markerInAStringOfTheLine() {
        #expect(suppressed("msg = \"says # prefect-secrets: ignore here\"; TOKEN = \"x\"\n") == [])
        #expect(suppressed("msg = f'# prefect-secrets: ignore'\n") == [])
        #expect(suppressed("key: it's fine  # prefect-secrets: ignore\n") == [1])
        #expect(suppressed("x = \"a\\\"b\"  # prefect-secrets: ignore\n") == [1])
    }

    /// A command continued with backslashes is one: a marker above it or after its last line
    /// covers all its lines (helper round 41).
    @Test func continuedCommandsAreCoveredWhole() {
        let command = "prefect agent docker start \\\n  --env A=1 \\\n  --env B=2\nnext\n"
        #expect(suppressed("# prefect-secrets: ignore\n" + command) == [2, 3, 4])
        #expect(suppressed(command.replacingOccurrences(of: "B=2", with: "B=2  # prefect-secrets: ignore")) == [1, 2, 3])
        #expect(suppressed("a = 1\n# prefect-secrets: ignore\nb = 2\nc = 3\n") == [3])
    }
}
