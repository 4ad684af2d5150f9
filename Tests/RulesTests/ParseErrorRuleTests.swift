import PrefectModel
import Spans
import Testing

@testable import Rules

/// What a PS900 code frame may show of the line with the error: keys and table headers,
/// never a value, also when the line is in the middle of a multi-line string.
@Suite struct ParseErrorRuleTests {
    /// The text `valuePart` leaves visible on the one-line file `line`.
    static func shown(_ line: String) -> String {
        let file = SourceFile(path: "x", text: line + "\n")
        guard let hidden = ParseErrorRule.valuePart(of: 0, in: file) else { return line }
        return String(decoding: file.bytes[0..<hidden.start], as: UTF8.self)
    }

    @Test(arguments: [
        ("KEY = \"Sup3rSecretValue", "KEY = "),
        ("  password: Sup3rSecretValue", "  password: "),
        ("export API_TOKEN=Sup3rSecretValue", "export API_TOKEN="),
        ("  - name: Sup3rSecretValue", "  - name: "),
        ("[context.secrets]", "[context.secrets]"),
        ("[[rules]]", "[[rules]]"),
        // Lines in the middle of a multi-line value are hidden whole.
        ("Sup3rSecret\\qValue", ""),
        ("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt==", ""),
        ("dGhpcyBpcyBub3QgYSByZWFsIGtleQ=", ""),
        ("[context.secrets", ""),
        ("Sup3r:Secret/Value", ""),
        ("KEY=", ""),
    ])
    func framesShowKeysOnly(line: String, visible: String) {
        #expect(Self.shown(line) == visible)
    }

    /// The parser names the character it found; inside the hidden value that character is
    /// part of the secret, so the message leaves it out.
    @Test func foundCharacterOfAValueIsLeftOut() {
        let file = SourceFile(path: "config.toml", text: "[context.secrets]\nPASSWORD = hunter2x\n")
        let analysis = FileAnalyzers.analyze(file, kind: .toml, patternsOnly: false)
        var sink = FindingSink(catalogue: RuleCatalogue((try? BundledRules.load().map(\.description)) ?? []))
        ParseErrorRule().check(FileContext(file: file, analysis: analysis, settings: RuleSettings()), into: &sink)
        let message = sink.findings.first?.message ?? ""
        #expect(message.hasPrefix("cannot parse TOML file: invalid value"))
        #expect(!message.contains("found"), "\(message)")
    }
}
