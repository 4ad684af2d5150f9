import Foundation
import PythonSource
import Spans
import Testing
import TestSupport

@testable import PrefectModel

/// The prefilter skips the shallow parse where it can find nothing; these tests hold the
/// skipping path to the full path's results, on edge cases, on every Python file in testdata/,
/// and on any tree named by `PREFILTER_CORPUS` (bench/prefilter-equivalence.sh runs it on the
/// machine's Python installation).
@Suite struct PythonAnalyzerFastPathTests {
    @Test func prefectInCodeOrStringsMeansParse() {
        for source in ["import prefect\n", "from prefect.client import Secret\n", "x = 'PREFECT__BACKEND'\n", "y = f'{a}prefect'\n"] {
            let bytes = Array(source.utf8)
            #expect(PythonFactsPrefilter.need(bytes, tokens: PythonTokenizer.tokenize(bytes)) == .parse, "\(source)")
        }
        let comment = Array("# runs under prefect\nprefect_like = 1\n".utf8)
        #expect(PythonFactsPrefilter.need(comment, tokens: PythonTokenizer.tokenize(comment)) == .nothing)
    }

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

    /// The UTF-8 check skips ASCII eight bytes at a time: bad bytes at every offset around
    /// a word boundary are still found, and valid multi-byte characters still pass.
    @Test func invalidUTF8IsFoundAtEveryOffset() {
        for offset in 0..<20 {
            var bytes = [UInt8](repeating: 0x61, count: 24)
            bytes[offset] = 0xFF
            #expect(PythonAnalyzer.firstInvalidUTF8(bytes) == offset)
            bytes[offset] = 0xC3  // a lead byte followed by ASCII
            #expect(PythonAnalyzer.firstInvalidUTF8(bytes) == offset)
        }
        #expect(PythonAnalyzer.firstInvalidUTF8(Array("x = 'café ☃ 𝄞' # ok\n".utf8)) == nil)
        #expect(PythonAnalyzer.firstInvalidUTF8([0x61, 0xED, 0xA0, 0x80]) == 1, "a surrogate")
    }

    /// Every shape in which the facts builder records a hard-coded secret or a credential
    /// env var without `prefect` in the file; each must reach the parse.
    static let keySites: [String] = [
        "DB_PASSWORD = \"v\"\n",
        "self.api_token = 'v'\n",
        "password = other = \"v\"\n",
        "password: str = \"v\"\n",
        "password: Optional[str] = (\"v\")\n",
        "token += \"v\"\n",
        "connect(host='h', password='v')\n",
        "def f(a, password='v'):\n    pass\n",
        "def f(a, secret: str = 'v'):\n    pass\n",
        "cfg = {'password': 'v'}\n",
        "cfg = {\n    # comment\n    \"db_password\"\n    :\n    'v',\n}\n",
        "cfg = {f'password': 'v'}\n",
        "cfg['db']['password'] = 'v'\n",
        "import os\nos.environ['DB_PASSWORD'] = 'v'\n",
        "import os\nos.environ['CONNECTION_URL'] = 'v'\n",
        "import os\nos.environ['API_TOKEN'] = 1234\n",
        "from os import environ\nenviron.setdefault('DB_PASSWORD', 'v')\n",
        "token = f'v'\n",
        "q = 'mutation { set_secret(input: $i) { success } }'\n",
        "def f():\n    \"\"\"mutation { delete_secret(input: $i) { success } }\"\"\"\n",
    ]

    @Test(arguments: keySites) func keySitesKeepTheirFacts(source: String) {
        let file = SourceFile(path: "site.py", text: source)
        let fast = PythonAnalyzer().analyze(file, kind: .python)
        #expect(!Self.summary(fast.facts).isEmpty, "no facts from \(source)")
        #expect(Self.summary(fast.facts) == Self.summary(PythonAnalyzer().analyze(file, kind: .python, alwaysParse: true).facts))
    }

    /// Secret words that stand nowhere near a literal value: no parse, no facts.
    static let prose: [String] = [
        "raise ValueError('invalid token')\n",
        "token = next_token()\n",
        "def f(token: Token):\n    return token == 'x'\n",
        "log.info(f'password for {user} changed')\n",
        "tokens = {}\nif password is None: pass\n",
        "secret_name = 'DB'\n",
        "def f():\n    \"\"\"Set password = 'x' in PREFECT__CONTEXT__SECRETS.\"\"\"\n",
    ]

    @Test(arguments: prose) func proseNeedsNoParse(source: String) {
        let bytes = Array(source.utf8)
        #expect(PythonFactsPrefilter.need(bytes, tokens: PythonTokenizer.tokenize(bytes)) == .nothing)
        let file = SourceFile(path: "prose.py", text: source)
        #expect(Self.summary(PythonAnalyzer().analyze(file, kind: .python, alwaysParse: true).facts).isEmpty)
    }

    @Test func testdataPythonFilesAgree() throws {
        let files = try Self.pythonFiles(under: TestPaths.testdata.path)
        #expect(files.count > 20)
        for path in files { try Self.expectAgreement(path) }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["PREFILTER_CORPUS"] != nil))
    func corpusAgrees() throws {
        let root = ProcessInfo.processInfo.environment["PREFILTER_CORPUS"] ?? ""
        let files = try Self.pythonFiles(under: root)
        for path in files { try Self.expectAgreement(path) }
        print("prefilter equivalence: \(files.count) Python files under \(root) agree")
    }

    static func expectAgreement(_ path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let file = SourceFile(path: path, bytes: [UInt8](data))
        let fast = PythonAnalyzer().analyze(file, kind: .python)
        let full = PythonAnalyzer().analyze(file, kind: .python, alwaysParse: true)
        #expect(summary(fast.facts) == summary(full.facts), "facts differ in \(path)")
        #expect(fast.diagnostics.map(\.span) == full.diagnostics.map(\.span), "diagnostics differ in \(path)")
        #expect("\(fast.patternScope)" == "\(full.patternScope)", "pattern scope differs in \(path)")
    }

    static func pythonFiles(under root: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".py") { files.append(root + "/" + relative) }
        }
        return files.sorted()
    }

    /// What the rules and reporters can see of a file's facts. Env assignments of variables
    /// that are neither Prefect's nor credential-named feed no rule and hide nothing, so a
    /// skipped parse may leave them out.
    static func summary(_ facts: FileFacts) -> [String] {
        var lines: [String] = []
        lines += facts.secretReferences.map { "reference \($0)" }
        lines += facts.provisions.map { "provision \($0)" }
        lines += facts.envAssignments.filter { FileFacts.namesSecretValue($0.name) || $0.name.uppercased().hasPrefix("PREFECT") }
            .map { "env \($0)" }
        lines += facts.flows.map { "flow \($0)" }
        lines += facts.cloudAPIUses.map { "cloud \($0)" }
        if let python = facts.python {
            lines += python.hardcodedLiterals.map { "literal \($0)" }
            lines += python.secretReads.map { "read \($0)" }
            lines += python.metadataLiterals.map { "metadata \($0)" }
        }
        lines += facts.secretValueSpans.map { "hidden \($0)" }
        return lines
    }
}
