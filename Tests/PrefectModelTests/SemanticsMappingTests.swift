import Testing

@testable import PrefectModel

/// Facts §2.2: env var names → config keys.
@Suite struct SemanticsMappingTests {
    typealias C = EnvConfigMapping.Classification

    static let rows: [(String, C)] = [
        ("PREFECT__CONTEXT__SECRETS__MyKey", .secret(name: "MyKey", nestedPath: [])),
        ("PREFECT__context__secrets__MyKey", .secret(name: "MyKey", nestedPath: [])),
        ("PREFECT__Context__Secrets__MyKey", .unreachableSecretSpelling(["Context", "Secrets", "MyKey"])),
        ("PREFECT__CONTEXT__secrets__MyKey", .unreachableSecretSpelling(["CONTEXT", "secrets", "MyKey"])),
        ("PREFECT__CONTEXT__SECRETSX", .unreachableSecretSpelling(["context", "secretsX"])),
        ("prefect__CONTEXT__SECRETS__X", .ignoredPrefixCase),
        ("Prefect__BACKEND", .ignoredPrefixCase),
        ("HOME", .notPrefect),
        ("PREFECT_BACKEND", .notPrefect),
        ("PREFECT__MYTOP", .configKey(["mytop"])),
        ("PREFECT__CONTEXT__FOO", .configKey(["context", "foo"])),
        ("PREFECT__CLOUD__AGENT__ENV_VARS__MY_VAR", .configKey(["cloud", "agent", "env_vars", "my_var"])),
        ("PREFECT__CONTEXT__SECRETS", .allSecrets),
        ("PREFECT__CONTEXT__SECRETS__AWS_CREDENTIALS__ACCESS_KEY", .secret(name: "AWS_CREDENTIALS", nestedPath: ["ACCESS_KEY"])),
        ("PREFECT__CONTEXT__SECRETS__A___B", .secret(name: "A", nestedPath: ["_B"])),
        ("PREFECT__CONTEXT__SECRETS__X__", .secret(name: "X", nestedPath: [""])),
        ("PREFECT__CONTEXT__SECRETS___X", .secret(name: "_X", nestedPath: [])),
        ("PREFECT__CONTEXT__SECRETS__MY-KEY", .secret(name: "MY-KEY", nestedPath: [])),
        ("PREFECT__CONTEXT__SECRETS__MY KEY", .secret(name: "MY KEY", nestedPath: [])),
        // Python compares code points: `ſ` upper-cases to `S`, a combining accent stays a
        // character of its own (both checked with Prefect 1.4.1: `CONTEXT.ſECRETS.X`, `context.secretś.Y`).
        ("PREFECT__CONTEXT__\u{17F}ECRETS__X", .unreachableSecretSpelling(["CONTEXT", "\u{17F}ECRETS", "X"])),
        ("PREFECT__CONTEXT__SECRETS\u{301}__Y", .unreachableSecretSpelling(["context", "secrets\u{301}", "Y"])),
        ("PREFECT__\u{301}CONTEXT__SECRETS__Z", .configKey(["\u{301}context", "secrets", "z"])),
    ]

    @Test(arguments: rows)
    func classifies(_ row: (String, C)) {
        #expect(EnvConfigMapping.classify(row.0) == row.1)
    }

    /// ASCII names take a byte path; it must agree with Python's string operations, which the
    /// general path follows, on names built from the pieces that matter (prefix spellings,
    /// `CONTEXT__SECRETS` in several cases and places, runs of underscores).
    @Test func asciiPathAgreesWithGeneralPath() {
        let pieces = ["PREFECT", "prefect", "__", "_", "___", "CONTEXT", "context", "Context", "SECRETS", "secrets",
            "CONTEXT__SECRETS", "context__secrets", "X", "my-key", "A B", "ENV_VARS", ""]
        // Every sequence of up to three pieces, bare and after the prefix.
        var tails = [""]
        var names: [String] = []
        for _ in 1...3 {
            tails = tails.flatMap { tail in pieces.map { tail + $0 } }
            names += tails + tails.map { "PREFECT__" + $0 }
        }
        for name in names {
            let general = EnvConfigMapping.classifyGenerally(name)
            #expect(EnvConfigMapping.classify(name) == general, "\(name)")
            let path: [String]? =
                switch general {
                case .notPrefect, .ignoredPrefixCase: nil
                case .configKey(let path), .unreachableSecretSpelling(let path): path
                case .secret(let secret, let nested): ["context", "secrets", secret] + nested
                case .allSecrets: ["context", "secrets"]
                }
            #expect(EnvConfigMapping.configPath(forVariable: name) == path, "\(name)")
            #expect(EnvConfigMapping.isConfigVariable(name) == (path != nil), "\(name)")
            // Non-ASCII names take the general path.
            #expect(EnvConfigMapping.isConfigVariable(name + "é") == (EnvConfigMapping.configPath(forVariable: name + "é") != nil), "\(name)é")
        }
    }

    @Test func pythonSplitSemantics() {
        #expect(EnvConfigMapping.pySplit("A____B", "__") == ["A", "", "B"])
        #expect(EnvConfigMapping.pySplit("", "__") == [""])
        #expect(EnvConfigMapping.pySplit("A___", "__") == ["A", "_"])
        #expect(EnvConfigMapping.pySplit("é__\u{65}\u{301}__x", "__") == ["é", "e\u{301}", "x"])
        #expect(EnvConfigMapping.pySplit("a_\u{301}_b", "__") == ["a_\u{301}_b"])
    }

    @Test func collisionDependsOnOrder() {
        let crash = PrefectEnvironment([("PREFECT__CONTEXT__SECRETS__A", "1"), ("PREFECT__CONTEXT__SECRETS__A__B", "2")])
        #expect(EnvConfigMapping.collisions(in: crash).map(\.effect) == [.importCrash])
        let drop = PrefectEnvironment([("PREFECT__CONTEXT__SECRETS__A__B", "2"), ("PREFECT__CONTEXT__SECRETS__A", "1")])
        #expect(EnvConfigMapping.collisions(in: drop) == [.init(outer: "PREFECT__CONTEXT__SECRETS__A", inner: "PREFECT__CONTEXT__SECRETS__A__B", effect: .silentlyDropped)])

        let r1 = SemanticsFixture.resolution(env: crash.variables.map { ($0.name, $0.value) })
        #expect(SemanticsFixture.get(r1, "A") == "crash TypeError: 'int' object does not support item assignment")
        let r2 = SemanticsFixture.resolution(env: drop.variables.map { ($0.name, $0.value) })
        #expect(SemanticsFixture.get(r2, "A") == "int 1")
        // A dict value first merges instead of crashing.
        let r3 = SemanticsFixture.resolution(env: [("PREFECT__CONTEXT__SECRETS__A", "{'k': 1}"), ("PREFECT__CONTEXT__SECRETS__A__B", "2")])
        #expect(SemanticsFixture.get(r3, "A") == "Config {'k': 1, 'B': 2}")
        // Deeper nesting under a scalar fails in setdefault.
        let r4 = SemanticsFixture.resolution(env: [("PREFECT__CONTEXT__SECRETS__A", "x"), ("PREFECT__CONTEXT__SECRETS__A__B__C", "2")])
        #expect(SemanticsFixture.get(r4, "A") == "crash AttributeError: 'str' object has no attribute 'setdefault'")
    }

    @Test func nestedSecretsBecomeConfigs() {
        let r = SemanticsFixture.resolution(env: [
            ("PREFECT__CONTEXT__SECRETS__AWS_CREDENTIALS__ACCESS_KEY", "a"),
            ("PREFECT__CONTEXT__SECRETS__AWS_CREDENTIALS__SECRET_ACCESS_KEY", "b"),
            ("PREFECT__CONTEXT__SECRETS__A___B", "1"),
            ("PREFECT__CONTEXT__SECRETS__X__", "1"),
        ])
        #expect(SemanticsFixture.get(r, "AWS_CREDENTIALS") == "Config {'ACCESS_KEY': 'a', 'SECRET_ACCESS_KEY': 'b'}")
        #expect(SemanticsFixture.get(r, "A") == "Config {'_B': 1}")
        #expect(SemanticsFixture.get(r, "X") == "Config {'': 1}")
    }

    @Test func wrongSpellingsDoNotReachSecrets() {
        for name in ["PREFECT__Context__Secrets__MyKey", "PREFECT__CONTEXT__secrets__MyKey", "prefect__CONTEXT__SECRETS__MyKey"] {
            let r = SemanticsFixture.resolution(env: [(name, "v")])
            #expect(SemanticsFixture.get(r, "MyKey") == "local-not-found", "\(name)")
        }
        let ok = SemanticsFixture.resolution(env: [("PREFECT__context__secrets__MyKey", "v")])
        #expect(SemanticsFixture.get(ok, "MyKey") == "str 'v'")
    }

    @Test func reservedKeysCrashCaseSensitively() {
        #expect(SemanticsFixture.get(SemanticsFixture.resolution(env: [("PREFECT__CONTEXT__SECRETS__keys", "1")]), "keys")
            == "crash ValueError: Invalid config key: \"keys\"")
        #expect(SemanticsFixture.get(SemanticsFixture.resolution(env: [("PREFECT__CONTEXT__SECRETS__KEYS", "1")]), "KEYS") == "int 1")
        #expect(SemanticsFixture.get(SemanticsFixture.resolution(env: [("PREFECT__CONTEXT__SECRETS__X", "{\"items\": 1}")]), "X")
            == "crash ValueError: Invalid config key: \"items\"")
        #expect(SemanticsFixture.get(SemanticsFixture.resolution(env: [("PREFECT__CONTEXT__SECRETS__X", "{\"items\": true}")]), "X")
            == "dict {'items': True}")
    }
}
