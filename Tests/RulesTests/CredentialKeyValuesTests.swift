import Spans
import Testing

@testable import Rules

/// ``CredentialKeyValues``: the values under credential-named keys that frames hide in any file.
@Suite struct CredentialKeyValuesTests {
    static func values(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return CredentialKeyValues.spans(in: bytes).map { String(decoding: bytes[$0.range], as: UTF8.self) }
    }

    @Test func valuesUnderCredentialKeys() {
        #expect(Self.values(#"db: {user: etl, password: "cobalt-meadow-nectar-raven-kiwi", api_key: Wd3Fg7Hj1Kl5}"#)
            == ["cobalt-meadow-nectar-raven-kiwi", "Wd3Fg7Hj1Kl5"])
        #expect(Self.values(#"AZURE = {"tenant_id": "acme", "client_secret": "lantern-harbor"}"#) == ["lantern-harbor"])
        #expect(Self.values("DB_PASSWORD=hunter2\nAPI_TOKEN = 'x y'\n") == ["hunter2", "x y"])
    }

    /// Code stays readable: comparisons, calls, variables and references are no values.
    @Test func codeIsNoValue() {
        #expect(Self.values(#"if password == other: task(password=PrefectSecret("DB"), api_key=api_key_var)"#).isEmpty)
        #expect(Self.values("password: ${DB_PASSWORD}\ntoken: {{ .Values.token }}\nsecret_name: x9\n").isEmpty)
        #expect(Self.values("token_url: https://x/y\n").isEmpty)
    }
}
