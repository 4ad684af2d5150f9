import Testing

import TOML

@testable import PrefectModel

/// Every row of facts §2.3's tables (env values and TOML values), through the whole loader.
@Suite struct SemanticsConversionTests {
    /// (env value, `config.context.secrets.X` as "type repr", `Secret("X").get()` as "type repr").
    static let envRows: [(String, String, String)] = [
        ("true", "bool True", "bool True"),
        ("TRUE", "bool True", "bool True"),
        ("False", "bool False", "bool False"),
        ("123", "int 123", "int 123"),
        ("007", "str '007'", "str '007'"),
        ("0123", "str '0123'", "str '0123'"),
        ("1.5", "float 1.5", "float 1.5"),
        ("[1,2]", "BoxList [1, 2]", "BoxList [1, 2]"),
        ("{\"a\":1}", "Config {'a': 1}", "Config {'a': 1}"),
        ("{'k': 'v'}", "Config {'k': 'v'}", "Config {'k': 'v'}"),
        ("{\"a\": true}", "str '{\"a\": true}'", "dict {'a': True}"),
        ("[true, null]", "str '[true, null]'", "list [True, None]"),
        ("none", "str 'none'", "str 'none'"),
        ("None", "NoneType None", "NoneType None"),
        ("null", "str 'null'", "NoneType None"),
        ("$HOME", "str '/home/fake-user'", "str '/home/fake-user'"),
        ("${HOME}", "str '/home/fake-user'", "str '/home/fake-user'"),
        ("~/x", "str '/home/fake-user/x'", "str '/home/fake-user/x'"),
        ("~root", "str '/root'", "str '/root'"),
        ("a=b", "str 'a=b'", "str 'a=b'"),
        ("\"123\"", "int 123", "int 123"),
        ("'123'", "int 123", "int 123"),
        ("\"true\"", "bool True", "bool True"),
        ("1,2", "tuple (1, 2)", "tuple (1, 2)"),
        ("(1,2)", "tuple (1, 2)", "tuple (1, 2)"),
        ("{1,2}", "set {1, 2}", "set {1, 2}"),
        ("b\"x\"", "bytes b'x'", "bytes b'x'"),
        (" 42", "int 42", "int 42"),
        ("  true", "str '  true'", "bool True"),
        ("1_000", "int 1000", "int 1000"),
        ("0x10", "int 16", "int 16"),
        ("1e3", "float 1000.0", "float 1000.0"),
        ("1.", "float 1.0", "float 1.0"),
        (".5", "float 0.5", "float 0.5"),
        ("+5", "int 5", "int 5"),
        ("-0.0", "float -0.0", "float -0.0"),
        ("1e400", "float inf", "float inf"),
        ("12345678901234567890", "int 12345678901234567890", "int 12345678901234567890"),
        ("nan", "str 'nan'", "str 'nan'"),
        ("inf", "str 'inf'", "str 'inf'"),
        ("yes", "str 'yes'", "str 'yes'"),
        ("()", "tuple ()", "tuple ()"),
        ("[]", "BoxList []", "BoxList []"),
        ("{}", "Config {}", "Config {}"),
        ("pa${ss}word", "str 'paword'", "str 'paword'"),
        ("${server.port}", "int 4200", "int 4200"),
        ("pa$USERx", "str 'pa$USERx'", "str 'pa$USERx'"),
        ("$UNDEFINED_VAR_X", "str '$UNDEFINED_VAR_X'", "str '$UNDEFINED_VAR_X'"),
        ("$$", "str '$$'", "str '$$'"),
        ("%HOME%", "str '%HOME%'", "str '%HOME%'"),
        ("sk_live_abc$def", "str 'sk_live_abc$def'", "str 'sk_live_abc$def'"),
        ("lambda: 1", "str 'lambda: 1'", "str 'lambda: 1'"),
        ("__import__('os')", "str \"__import__('os')\"", "str \"__import__('os')\""),
        ("", "str ''", "str ''"),
        // Getting the *string* "123" out of Secret.get needs triple encoding.
        ("\"'\\\"123\\\"'\"", "str '\"123\"'", "str '123'"),
    ]

    @Test(arguments: envRows)
    func envValueRow(_ row: (String, String, String)) {
        let r = SemanticsFixture.resolution(env: [("PREFECT__CONTEXT__SECRETS__X", row.0)])
        #expect(SemanticsFixture.configSecret(r, "X") == row.1, "config for env value #\(row.0.count) chars")
        #expect(SemanticsFixture.get(r, "X") == row.2)
    }

    @Test func envValueExpandsWhenTheVariableIsSet() {
        let r = SemanticsFixture.resolution(env: [("def", "DEF"), ("PREFECT__CONTEXT__SECRETS__X", "sk_live_abc$def")])
        #expect(SemanticsFixture.get(r, "X") == "str 'sk_live_abcDEF'")
    }

    /// (TOML value in `[context.secrets]`, config "type repr", get "type repr").
    static let tomlRows: [(ConfigValue, String, String)] = [
        (.string("123"), "int 123", "int 123"),
        (.string("\"123\""), "str '123'", "int 123"),
        (.string("true"), "bool True", "bool True"),
        (.string("$HOME/x"), "str '/home/fake-user/x'", "str '/home/fake-user/x'"),
        (.string("~/y"), "str '/home/fake-user/y'", "str '/home/fake-user/y'"),
        (.string("[1, 2]"), "BoxList [1, 2]", "BoxList [1, 2]"),
        (.integer(123), "int 123", "int 123"),
        (.string("{\"a\": \"1\"}"), "Config {'a': '1'}", "Config {'a': '1'}"),
        (.string("pa${ss}word"), "str 'paword'", "str 'paword'"),
        (.string("None"), "NoneType None", "NoneType None"),
        (.string("007"), "str '007'", "str '007'"),
        (.string("${cloud.api}"), "str 'https://api.prefect.io'", "str 'https://api.prefect.io'"),
        (.string("'\"123\"'"), "str '\"123\"'", "str '123'"),
        (.string("'007'"), "str '007'", "str '007'"),
        (.string("\"abc\""), "str 'abc'", "str 'abc'"),
        (.string("0123"), "str '0123'", "str '0123'"),
        (.table([ConfigTableEntry("ACCESS_KEY", .string("AK")), ConfigTableEntry("SECRET_ACCESS_KEY", .string("123"))]),
         "Config {'ACCESS_KEY': 'AK', 'SECRET_ACCESS_KEY': 123}", "Config {'ACCESS_KEY': 'AK', 'SECRET_ACCESS_KEY': 123}"),
    ]

    @Test(arguments: tomlRows)
    func tomlValueRow(_ row: (ConfigValue, String, String)) {
        let r = SemanticsFixture.resolution(env: [], userConfig: SemanticsFixture.secretsTable([ConfigTableEntry("X", row.0)]))
        #expect(SemanticsFixture.configSecret(r, "X") == row.1)
        #expect(SemanticsFixture.get(r, "X") == row.2)
    }

    @Test func tomlLowercaseAndDottedKeys() {
        let r = SemanticsFixture.resolution(env: [], userConfig: SemanticsFixture.secretsTable([
            ConfigTableEntry("lower", .string("x")),
            ConfigTableEntry("JIRASECRETS", .table([ConfigTableEntry("JIRATOKEN", .string("tok"))])),
        ]))
        #expect(SemanticsFixture.get(r, "lower") == "str 'x'")
        #expect(SemanticsFixture.get(r, "JIRASECRETS") == "Config {'JIRATOKEN': 'tok'}")
    }

    @Test func wholeDictEnvKeepsNestedStringsAndExpandsButDoesNotInterpolate() {
        let r = SemanticsFixture.resolution(
            env: [("PREFECT__CONTEXT__SECRETS", "{\"A\": \"1\", \"b\": 2, \"H\": \"$HOME\", \"R\": \"${server.port}\"}")],
            userConfig: SemanticsFixture.secretsTable([ConfigTableEntry("OLD", .string("x"))]))
        #expect(SemanticsFixture.get(r, "A") == "int 1")  // json.loads("1") in get; config keeps '1'
        #expect(SemanticsFixture.configSecret(r, "A") == "str '1'")
        #expect(SemanticsFixture.configSecret(r, "H") == "str '/home/fake-user'")
        #expect(SemanticsFixture.configSecret(r, "R") == "str '${server.port}'")
        #expect(SemanticsFixture.get(r, "OLD") == "local-not-found")  // replaced, not merged
    }

    @Test func partialReferenceInsertsText() {
        let r = SemanticsFixture.resolution(env: [
            ("PREFECT__CONTEXT__SECRETS__USER", "alice"),
            ("PREFECT__CONTEXT__SECRETS__DB_URL", "postgres://${context.secrets.USER}:pw@host/db"),
        ])
        #expect(SemanticsFixture.get(r, "DB_URL") == "str 'postgres://alice:pw@host/db'")
    }

    @Test func interpolateEnvVarsGivesNoneAfterTenRounds() {
        let ctx = PathExpansionContext(environment: ["HOME": "~/x"])
        #expect(PrefectValueConversion.interpolateEnvVars(.str("~"), in: ctx) == PyValue.none)
    }

    @Test func interpolateEnvVarsRetypesAfterTwoRounds() {
        let ctx = PathExpansionContext(environment: ["A": "$B", "B": "5"])
        #expect(PrefectValueConversion.interpolateEnvVars(.str("$A"), in: ctx) == .int(5))
        #expect(PrefectValueConversion.interpolateEnvVars(.str("$B"), in: ctx) == .str("5"))
    }

    @Test func envChainToNonStringCrashesImport() {
        let r = SemanticsFixture.resolution(env: [("A", "$B"), ("B", "5"), ("PREFECT__CONTEXT__SECRETS__X", "$A")])
        #expect(SemanticsFixture.get(r, "X") == "crash AttributeError: 'int' object has no attribute 'upper'")
    }

    @Test func stringToTypeUsesFullUnicodeUppercase() {
        // 'ſ' (long s) uppercases to 'S', so Python's string_to_type reads this as False.
        #expect(PrefectValueConversion.stringToType("falſe") == .bool(false))
    }

    @Test func literalEvalEdgeCases() {
        let cases: [(String, String?)] = [
            ("\n1", "1"), ("\n 1", nil), ("1\n  ", nil), ("1\n  \n", "1"), ("1 # c", "1"), ("\u{0C}1", "1"),
            ("b'\\777'", "b'\\xff'"), ("'\\777'", "'ǿ'"), ("1 \\\n + 2j", "(1+2j)"), ("1if 1 else 2", nil),
            ("00", "0"), ("0777", nil), ("09.5", "9.5"), ("1.e5", "100000.0"), ("1__0", nil), ("set()", "set()"),
            ("{1:2,1.0:3}", "{1: 3}"), ("--1", nil), ("-(1)", "-1"), ("+(-1)", nil), ("-1-2j", "(-1-2j)"),
            ("1j+1j", nil), ("1,", "(1,)"), ("...", "Ellipsis"), ("f'x'", nil), ("'a' b'b'", nil), ("'a' 'b'", "'ab'"),
            ("-0j", "(-0-0j)"), ("(-0-0j)", "0j"), ("1e16", "1e+16"), ("0.0001", "0.0001"), ("0.00001", "1e-05"),
            ("123456789.123456789", "123456789.12345679"), ("'\\N{bullet}'", "'•'"), ("{[1]: 2}", nil), ("{True, 1}", "{True}"),
            ("'\\x4'", nil), ("'''a\r\nb'''", "'a\\nb'"), ("1\u{0}", nil), ("\u{0B}1", nil),
        ]
        for (text, expected) in cases {
            #expect(PythonLiteral.literalEval(text)?.pyRepr == expected, "literal_eval of \(text.debugDescription)")
        }
    }

    @Test func jsonLoadsFollowsPython() throws {
        #expect(try PythonJSON.loads(.str(" [NaN, -Infinity, 1e400, -0, 1.0] ")).get().pyRepr == "[nan, -inf, inf, 0, 1.0]")
        #expect(try PythonJSON.loads(.str("{\"a\": 1, \"a\": 2}")).get().pyRepr == "{'a': 2}")
        #expect(PythonJSON.loads(.str("01")) == .failure(.decodeError))
        #expect(PythonJSON.loads(.str("\"\u{1}\"")) == .failure(.decodeError))
        #expect(PythonJSON.loads(.int(1)) == .failure(.typeError))
        #expect(try PythonJSON.loads(.bytes(Array("123".utf8))).get() == .int(123))
        guard case .failure(.otherError(let type, _)) = PythonJSON.loads(.str(String(repeating: "1", count: 4301))) else {
            Issue.record("a 4301-digit int must raise ValueError"); return
        }
        #expect(type == "ValueError")
    }

    @Test func expandVarsAndUser() {
        let ctx = PathExpansionContext(environment: ["HOME": "/h/", "X": "1", "a b": "2"], userHomes: ["root": "/root"])
        #expect(PathExpansion.expandVars("$X${X}$Y${a b}$", in: ctx) == "11$Y2$")
        #expect(PathExpansion.expandVars("${X", in: ctx) == "${X")
        #expect(PathExpansion.expandUser("~", in: ctx) == "/h")
        #expect(PathExpansion.expandUser("~/a", in: ctx) == "/h/a")
        #expect(PathExpansion.expandUser("~root/a", in: ctx) == "/root/a")
        #expect(PathExpansion.expandUser("~nobody-here", in: ctx) == "~nobody-here")
        #expect(PathExpansion.expandUser("~", in: PathExpansionContext(environment: ["HOME": "/"])) == "/")
    }
}

/// The bridge from the TOML module: a parsed config file drives the loader the same way.
@Suite struct SemanticsTOMLBridgeTests {
    @Test func tomlDocumentFeedsTheLoader() throws {
        let doc = try TOMLDocument.parse("""
            backend = "server"
            [context.secrets]
            A = "123"
            B = '"123"'
            JIRASECRETS.JIRATOKEN = "tok"
            C = { ACCESS_KEY = "AK", SECRET_ACCESS_KEY = "123" }
            D = [1, "x"]
            """)
        let user = ConfigValue.table(doc.root.entries.map { ConfigTableEntry($0.key, ConfigValue($0.node)) })
        let r = SemanticsFixture.resolution(env: [], userConfig: user)
        #expect(SemanticsFixture.get(r, "A") == "int 123")
        #expect(SemanticsFixture.configSecret(r, "B") == "str '123'")
        #expect(SemanticsFixture.get(r, "JIRASECRETS") == "Config {'JIRATOKEN': 'tok'}")
        #expect(SemanticsFixture.get(r, "C") == "Config {'ACCESS_KEY': 'AK', 'SECRET_ACCESS_KEY': 123}")
        #expect(SemanticsFixture.get(r, "D") == "BoxList [1, 'x']")
        guard case .success(let l) = r.loaded else { Issue.record("load failed"); return }
        #expect(l.backend == .str("server"))
    }
}

/// Inputs that would make a recursive emulation overflow its stack give Python's answer instead.
@Suite struct SemanticsDeepInputTests {
    @Test func deepNesting() {
        #expect(PythonLiteral.literalEval(String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)) == .int(1))
        #expect(PythonLiteral.literalEval(String(repeating: "(", count: 201) + "1" + String(repeating: ")", count: 201)) == nil)
        #expect(PythonLiteral.literalEval(String(repeating: "-", count: 100_000) + "1") == nil)
        #expect(PrefectValueConversion.stringToType(String(repeating: "[", count: 100_000)) == .str(String(repeating: "[", count: 100_000)))
        guard case .failure(.otherError(let t, _)) = PythonJSON.loads(.str(String(repeating: "[", count: 100_000))) else {
            Issue.record("deep JSON must raise RecursionError"); return
        }
        #expect(t == "RecursionError")
        #expect((try? PythonJSON.loads(.str(String(repeating: "[", count: 900) + String(repeating: "]", count: 900))).get()) != nil)
    }
}
