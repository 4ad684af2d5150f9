import PrefectModel
import Spans
import Testing

/// Files that name neither Prefect nor a secret word take the token-only path; it must keep
/// the pattern scope and PS900 diagnostics of the full path.
@Suite struct PythonAnalyzerFastPathTests {
    @Test func unrelatedFileKeepsScopeAndErrors() {
        let file = SourceFile(path: "util.py", text: "x = 'unterminated\ny = \"ok\"  # note\n")
        let analysis = PythonAnalyzer().analyze(file, kind: .python)
        #expect(analysis.facts.isEmpty)
        #expect(analysis.diagnostics.count == 1)
        guard case .regions(let literals, let comments) = analysis.patternScope else {
            Issue.record("expected regions")
            return
        }
        #expect(literals.map { file.text($0) } == ["\"ok\""])
        #expect(comments.count == 1)
    }

    @Test func secretWordsStillGetTheFullAnalysis() {
        let file = SourceFile(path: "settings.py", text: "DB_PASSWORD = \"Tr0ub4dor-x9qz5\"\n")
        let analysis = PythonAnalyzer().analyze(file, kind: .python)
        #expect(!analysis.facts.isEmpty, "a secret-named assignment must reach PS102")
    }
}
