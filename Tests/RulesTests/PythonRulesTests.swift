import PrefectModel
@testable import Rules
import Spans
import Testing

/// The Python rules on small snippets (`RuleExampleTests` runs their rule-file examples).
@Suite struct PythonRulesTests {
    static let catalogue = RuleCatalogue((try? BundledRules.load().map(\.description)) ?? [])
    static let rules: [String: any FileRule] = [
        "PS102": HardcodedSecretArgumentRule(), "PS106": SecretInFlowMetadataRule(), "PS401": SecretReadAtBuildTimeRule(),
        "PS402": SecretLoadedInsideTaskRule(), "PS404": UnexpressibleSecretNameRule(), "PS405": HardcodedSecretNameRule(),
        "PS104": PlaintextSecretEnvRule(),
    ]

    static func run(_ code: String, _ text: String) -> [Finding] {
        let file = SourceFile(path: "flows/example.py", text: text)
        let analysis = PythonAnalyzer().analyze(file, kind: .python)
        var sink = FindingSink(catalogue: catalogue)
        rules[code]?.check(FileContext(file: file, analysis: analysis, settings: RuleSettings()), into: &sink)
        return sink.findings.filter { $0.code == code }
    }

    @Test func buildTimeSeverity() {
        let text = """
            from prefect import Flow
            from prefect.client import Secret
            A = Secret("A").get()
            with Flow("f") as flow:
                b = Secret("B").get()
            """
        let findings = Self.run("PS401", text)
        #expect(findings.map(\.severity) == [.warning, .error])
        #expect(findings.map(\.secretName) == ["A", "B"])
    }

    @Test(arguments: [
        ("", true), ("<your-token>", true), ("WAREHOUSE_PASSWORD", true), ("/etc/keys/a.pem", true),
        ("Enter the password please", true), (":****", true), ("${TOKEN}", true), ("^(?P<a>[^/]+)/(.+)$", true),
        ("token.json", true), ("keys/sa-key.JSON", true), ("key.pem", true), ("foobarbaz", true),
        ("Tr0ub4dor-and-3", false), ("correct-horse-battery-staple", false), ("eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl", false),
        ("hunter2.json5", false), ("foobarbaz1", false),
    ])
    func allowlist(_ value: String, _ allowed: Bool) {
        #expect(HardcodedSecretArgumentRule.isAllowed(value) == allowed)
    }

    @Test func bareTokenNeedsARandomLookingValue() {
        let key = HardcodedSecretLiteral(key: "token", site: .keywordArgument, valueSpan: ByteSpan(0, 1), value: "transpose")
        #expect(!HardcodedSecretArgumentRule.isCandidate(key))
        let random = HardcodedSecretLiteral(key: "token", site: .keywordArgument, valueSpan: ByteSpan(0, 1), value: "a8Fq2ZpLw0")
        #expect(HardcodedSecretArgumentRule.isCandidate(random))
        let password = HardcodedSecretLiteral(key: "password", site: .keywordArgument, valueSpan: ByteSpan(0, 1), value: "transpose")
        #expect(HardcodedSecretArgumentRule.isCandidate(password))
    }

    /// Names that hold something about a secret, not the secret (`secret_version = "latest"`).
    @Test func namesAboutASecretAreNotSecrets() {
        let text = "secret_version = 'latest-one'\nTOKEN_COUNT = 'twenty-two'\npassword_timeout = 'thirty-s'\napi_token = 'Tr0ub4dor-and-3'\n"
        let offset = text.utf8.count - "Tr0ub4dor-and-3'\n".utf8.count
        #expect(Self.run("PS102", text).map(\.span.start) == [offset])
    }

    @Test func secretNameKeywordsAreNotValues() {
        #expect(Self.run("PS102", "from prefect.storage import GitHub\nGitHub(repo='a/b', access_token_secret='GH_TOKEN_NAME_X1')\n").isEmpty)
        #expect(Self.run("PS102", "import psycopg2\npsycopg2.connect(password='Tr0ub4dor-and-3')\n").count == 1)
    }
}
