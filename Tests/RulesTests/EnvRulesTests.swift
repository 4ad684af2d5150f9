import PrefectModel
@testable import Rules
import Spans
import Testing

/// The env rules on synthetic facts; end-to-end fixtures live in testdata/rules/.
@Suite struct EnvRulesTests {
    static let catalogue = RuleCatalogue((try? BundledRules.load().map(\.description)) ?? [])

    /// A file whose text is `NAME=VALUE` lines, with one env assignment per line.
    static func run(_ rule: any FileRule, _ lines: [(String, String?)], context: EnvContext = .dotenv, agentIndex: Int? = nil) -> [Finding] {
        var text = ""
        var facts = FileFacts()
        for (name, value) in lines {
            let nameStart = text.utf8.count
            text += name
            var valueSpan: ByteSpan?
            if let value {
                text += "="
                valueSpan = ByteSpan(text.utf8.count, text.utf8.count + value.utf8.count)
                text += value
            }
            text += "\n"
            facts.envAssignments.append(
                EnvAssignment(
                    name: name, nameSpan: ByteSpan(nameStart, nameStart + name.utf8.count), value: value, valueSpan: valueSpan,
                    origin: value.map { $0.hasPrefix("$") ? .reference : .literal } ?? .literal, context: context, agentIndex: agentIndex))
        }
        let file = SourceFile(path: "x.env", text: text)
        var sink = FindingSink(catalogue: catalogue)
        rule.check(FileContext(file: file, analysis: FileAnalysis(kind: .dotenv, facts: facts), settings: RuleSettings()), into: &sink)
        return sink.findings
    }

    @Test func plaintextSecretEnv() {
        let findings = Self.run(PlaintextSecretEnvRule(), [
            ("PREFECT__CONTEXT__SECRETS__DB", "Tr0ub4dor-x9qz5"),
            ("PREFECT__CONTEXT__SECRETS__REF", "$DB_PASSWORD"),
            ("PREFECT__CONTEXT__SECRETS__EMPTY", ""),
            ("PREFECT__CONTEXT__SECRETS__PH", "<your-password>"), ("PREFECT__CONTEXT__SECRETS__X", "xxxxxxxx"),
            ("PREFECT__CONTEXT__SECRETS__MY", "my-prefect-tenant-token"), ("PREFECT__CONTEXT__SECRETS__MY2", "my_api_key"),
            ("PREFECT__CONTEXT__SECRETS__STARS", "**prefect-cloud-token**"),
            ("PREFECT__CONTEXT__SECRETS__MY3", "my-s3cr3t-token"), ("OTHER", "value"),
            // Not "my" as a word: a password of words, reported.
            ("PREFECT__CONTEXT__SECRETS__MYSQL", "mysql-admin-password"),
            // Nothing formats an env file's value: braces are part of it; a whole `{name}` is a placeholder.
            ("PREFECT__CONTEXT__SECRETS__BRACES", "s3cr{et}Pass"), ("PREFECT__CONTEXT__SECRETS__FIELD", "{password}"),
        ])
        #expect(findings.map(\.secretName) == ["DB", "MY3", "MYSQL", "BRACES"])
        #expect(findings.first?.message.contains("Tr0ub4dor") == false)
        #expect(findings.first?.redactedValue == "…(15 chars)")
    }

    /// A reference whose default is written out commits that default (helper round 21); one
    /// whose default is a placeholder, a word or a host, or that has none, does not.
    @Test func plaintextSecretEnvInReferenceDefaults() {
        let findings = Self.run(PlaintextSecretEnvRule(), [
            ("PREFECT__CONTEXT__SECRETS__A", "${A:-Xk29fQm7Lp3Zr8Tw}"), ("PREFECT__CONTEXT__SECRETS__B", "${B-Hn4Wq8Zp2Lm6Vr9K}"),
            ("PREFECT__CONTEXT__SECRETS__C", "${C:=x${D}Qp20Zm57Lx}"),
            ("PREFECT__CONTEXT__SECRETS__E", "${E:-changeme}"), ("PREFECT__CONTEXT__SECRETS__F", "${F:-db.internal}"),
            ("PREFECT__CONTEXT__SECRETS__G", "${G}"), ("PREFECT__CONTEXT__SECRETS__H", "${H:2}"), ("PREFECT__CONTEXT__SECRETS__I", "${I:?set I}"),
        ])
        #expect(findings.map(\.secretName) == ["A", "B", "C"])
        #expect(findings.allSatisfy { $0.message.contains("default written out") && !$0.message.contains("Xk29") })
        #expect(PlaintextSecretEnvRule.referenceDefaults(in: "a${X:-one}b${Y+two}${Z}") == ["one", "two"])
    }

    @Test func malformedAgentEnv() {
        let findings = Self.run(MalformedAgentEnvRule(), [("PREFECT__CONTEXT__SECRETS__X", nil), ("PREFECT__CLOUD__AGENT__ENV_VARS", #"{"A": true}"#), ("PREFECT__CLOUD__AGENT__ENV_VARS", #"{"A": "b"}"#)], context: .agentEnvFlag)
        #expect(findings.count == 2)
        #expect(findings.allSatisfy { $0.code == "PS208" })
    }

    @Test func malformedAgentLabels() {
        let findings = Self.run(MalformedAgentLabelsRule(), [
            ("PREFECT__CLOUD__AGENT__LABELS", "dev"), ("PREFECT__CLOUD__AGENT__LABELS", "['dev']"),
            ("PREFECT__CLOUD__AGENT__LABELS", "<a-set-of-prefect-agent-labels>"),
        ])
        #expect(findings.count == 1)
        #expect(findings[0].message.contains("['d', 'e', 'v']"))
        // Unquoted where it stands, so quoted: a shell or YAML would take `['dev']` apart.
        #expect(findings[0].fix?.edits.first?.edit.replacement == Array("\"['dev']\"".utf8))
    }

    @Test func secretOutsideContext() {
        let findings = Self.run(SecretOutsideContextRule(), [
            ("PREFECT__Context__Secrets__A", "1"), ("PREFECT__CONTEXT__secrets__B", "1"), ("prefect__CONTEXT__SECRETS__C", "1"),
            ("PREFECT__CONTEXT__SECRETS__OK", "1"), ("PREFECT__context__secrets__OK2", "1"),
        ])
        #expect(findings.count == 3)
    }

    @Test func reservedNamesAreCaseSensitiveAndCheckedInsideJSON() {
        let findings = Self.run(ReservedSecretNameRule(), [
            ("PREFECT__CONTEXT__SECRETS__keys", "1"), ("PREFECT__CONTEXT__SECRETS__KEYS", "1"),
            ("PREFECT__CONTEXT__SECRETS__X", #"{"items": "1"}"#), ("PREFECT__CONTEXT__SECRETS__Y", #"{"items": true}"#),
        ])
        #expect(findings.map { $0.message.contains("'keys'") || $0.message.contains("'items'") } == [true, true])
    }

    /// In lists Prefect, Docker or Kubernetes copy in order, the order written decides; a
    /// shell passes exported variables on in an order of its own.
    @Test func nestedCollisionDependsOnOrder() {
        let ordered = EnvContext.agentEnvFlag
        let crash = Self.run(NestedSecretCollisionRule(), [("PREFECT__CONTEXT__SECRETS__A", "1"), ("PREFECT__CONTEXT__SECRETS__A__B", "2")], context: ordered)
        #expect(crash.count == 1 && crash[0].message.contains("TypeError"))
        let drop = Self.run(NestedSecretCollisionRule(), [("PREFECT__CONTEXT__SECRETS__A__B", "2"), ("PREFECT__CONTEXT__SECRETS__A", "1")], context: ordered)
        #expect(drop.count == 1 && drop[0].message.contains("silently dropped"))
        let fine = Self.run(NestedSecretCollisionRule(), [("PREFECT__CONTEXT__SECRETS__A__B", "2"), ("PREFECT__CONTEXT__SECRETS__A__C", "1")], context: ordered)
        #expect(fine.isEmpty)
        // Each value once, with the first key nested under it, at any depth.
        let deep = Self.run(NestedSecretCollisionRule(), [
            ("PREFECT__CONTEXT__SECRETS__A__B__C", "3"), ("PREFECT__CONTEXT__SECRETS__A", "1"), ("PREFECT__CONTEXT__SECRETS__A__B", "2"),
        ], context: ordered)
        #expect(deep.map(\.message) == [
            "secret A is set both as a value and as the parent of A__B__C (the value is set after the nested key, so the nested value is silently dropped)",
            "secret A__B is set both as a value and as the parent of A__B__C (the value is set after the nested key, so the nested value is silently dropped)",
        ])
        let exported = Self.run(NestedSecretCollisionRule(), [("PREFECT__CONTEXT__SECRETS__A", "1"), ("PREFECT__CONTEXT__SECRETS__A__B", "2")], context: .shellExport)
        #expect(exported.map(\.message) == [
            "secret A is set both as a value and as the parent of A__B (a shell passes exported variables on in an order of its own: `import prefect` fails with TypeError or the nested value is silently dropped)"
        ])
    }

    @Test func wholeTableReplaced() {
        let findings = Self.run(SecretsTableReplacedRule(), [("PREFECT__CONTEXT__SECRETS", #"{"A": "1"}"#)])
        #expect(findings.map(\.code) == ["PS408"])
    }
}
