@testable import Report
import Spans
import Testing

/// The redactor finds every known text, exactly, wherever it stands in an output or a file.
@Suite struct SecretTextRedactorTests {
    @Test func replacesEveryTextAmongThousands() {
        var secrets: [String: String] = [:]
        for i in 0..<3000 { secrets["tok\(i)_" + String(repeating: "q", count: i % 7) + "Zx9"] = "<T\(i)>" }
        let redactor = SecretTextRedactor(secrets)
        let output = secrets.keys.sorted().joined(separator: " | ")
        let expected = secrets.keys.sorted().map { secrets[$0] ?? "" }.joined(separator: " | ")
        #expect(redactor.redact(output) == expected)
    }

    @Test func longestOfOverlappingTextsWinsAndShortTextsStay() {
        // Two texts with the same first eight bytes, one inside the other, and one too short.
        let redactor = SecretTextRedactor(["abcdefgh12": "<A>", "abcdefgh12345": "<B>", "short1": "<S>", "fgh12345xyz": "<C>"])
        #expect(redactor.redact("x abcdefgh12345xyz abcdefgh12 short1") == "x <B>xyz <A> short1")
        #expect(redactor.spans(in: Array("abcdefgh12345xyz".utf8)).sorted { ($0.start, $0.end) < ($1.start, $1.end) }
            == [ByteSpan(0, 10), ByteSpan(0, 13), ByteSpan(5, 16)])
    }

    @Test func findsTextsAsTheFormatsEscapeThem() {
        let redactor = SecretTextRedactor(["p\"w&d%x\\1": "<P>"])
        #expect(redactor.redact(#"{"v": "p\"w&d%x\\1"}"#) == #"{"v": "<P>"}"#)
        #expect(redactor.redact("p&quot;w&amp;d%x\\1") == "<P>")
        #expect(redactor.redact("nothing here, and no crash on a short output") == "nothing here, and no crash on a short output")
        #expect(redactor.redact("p\"w") == "p\"w")
    }

    /// A text written with its quotes (a TOML key's span) would also match a JSON string's own
    /// quotes: it is looked for without them, so that the JSON stays JSON.
    @Test func quotedTextsKeepTheFormatsQuotes() {
        let redactor = SecretTextRedactor(["\"AWS CREDENTIALS\"": "…(17 chars)", " 'ghp_abcdefgh1234' ": "ghp_…(20 chars)", "\"\"": "…(2 chars)"])
        #expect(redactor.redact(#"{"secret": "AWS CREDENTIALS", "v": "ghp_abcdefgh1234"}"#) == #"{"secret": "…(15 chars)", "v": "ghp_…(16 chars)"}"#)
        #expect(redactor.spans(in: Array("x = \"AWS CREDENTIALS\"".utf8)) == [ByteSpan(5, 20)])
    }

    @Test func withoutTextsChangesNothing() {
        let redactor = SecretTextRedactor([:])
        #expect(redactor.redact("abcdefgh") == "abcdefgh")
        #expect(redactor.spans(in: Array("abcdefgh".utf8)).isEmpty)
    }
}
