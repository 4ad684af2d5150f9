import Testing

@testable import PrefectModel

/// Facts §1.1, §2.1 and §3: where `Secret.get` looks and which backend applies.
@Suite struct SemanticsResolutionTests {
    static let inventory = CloudInventory(names: ["CLOUD_ONLY"], values: ["CLOUD_ONLY": .str("{\"k\": \"from-cloud\"}")])

    @Test(arguments: [("false", true), ("False", true), ("FALSE", true), ("\"false\"", true), ("0", false), ("no", false), ("true", false)])
    func useLocalSecretsMustBeFalse(_ row: (String, Bool)) {
        let r = SemanticsFixture.resolution(env: [("PREFECT__CLOUD__USE_LOCAL_SECRETS", row.0)], cloud: Self.inventory)
        #expect(SemanticsFixture.get(r, "CLOUD_ONLY") == (row.1 ? "dict {'k': 'from-cloud'}" : "local-not-found"))
        if row.1 {
            #expect(SemanticsFixture.get(r, "MISSING") == "cloud-not-found")
            guard case .cloudNotFound(let m) = r.get("MISSING") else { Issue.record("expected KeyError"); return }
            #expect(m.hasPrefix("The secret MISSING was not found.  Please ensure"))
        }
    }

    @Test func defaultIsLocalOnlyEvenWithCloudBackend() {
        let r = SemanticsFixture.resolution(env: [], cloud: Self.inventory)
        #expect(SemanticsFixture.get(r, "CLOUD_ONLY") == "local-not-found")
        guard case .localNotFound(let m) = r.get("CLOUD_ONLY") else { Issue.record("expected ValueError"); return }
        #expect(m == "Local Secret \"CLOUD_ONLY\" was not found.")
    }

    @Test func cloudLookupWithoutInventoryIsUnknown() {
        let r = SemanticsFixture.resolution(env: [("PREFECT__CLOUD__USE_LOCAL_SECRETS", "false")])
        #expect(r.get("ANY") == .cloudLookupUnknown)
        let names = SemanticsFixture.resolution(env: [("PREFECT__CLOUD__USE_LOCAL_SECRETS", "false")], cloud: CloudInventory(names: ["ANY"]))
        #expect(names.get("ANY") == .cloudValueUnknown)
        #expect(names.get("ANY").resolves)
    }

    @Test func contextWinsOverCloud() {
        let r = SemanticsFixture.resolution(
            env: [("PREFECT__CLOUD__USE_LOCAL_SECRETS", "false"), ("PREFECT__CONTEXT__SECRETS__CLOUD_ONLY", "local")], cloud: Self.inventory)
        #expect(r.get("CLOUD_ONLY") == .value(.str("local"), source: .context))
    }

    @Test(arguments: ["server", "Server", "CLOUD", "local"])
    func nonCloudBackendNeverQueries(_ backend: String) {
        let r = SemanticsFixture.resolution(
            env: [("PREFECT__BACKEND", backend), ("PREFECT__CLOUD__USE_LOCAL_SECRETS", "false")], cloud: Self.inventory)
        #expect(SemanticsFixture.get(r, "CLOUD_ONLY") == "local-not-found")
    }

    @Test func backendPrecedence() {
        let user = ConfigValue.table([ConfigTableEntry("backend", .string("cloud"))])
        let backendToml = ConfigValue.table([
            ConfigTableEntry("backend", .string("server")),
            ConfigTableEntry("context", .table([ConfigTableEntry("secrets", .table([ConfigTableEntry("B", .string("x"))]))])),
        ])
        let r = SemanticsFixture.resolution(env: [], userConfig: user, backendConfig: backendToml)
        guard case .success(let l) = r.loaded else { Issue.record("load failed"); return }
        #expect(l.backend == .str("server"))
        #expect(l.value(at: ["cloud", "api"]) == .str("http://localhost:4200"))
        #expect(l.value(at: ["cloud", "graphql"]) == .str("http://localhost:4200/graphql"))
        #expect(SemanticsFixture.get(r, "B") == "str 'x'")
        let env = SemanticsFixture.resolution(env: [("PREFECT__BACKEND", "cloud")], userConfig: user, backendConfig: backendToml)
        guard case .success(let l2) = env.loaded else { Issue.record("load failed"); return }
        #expect(l2.backend == .str("cloud"))
        #expect(l2.value(at: ["cloud", "api"]) == .str("https://api.prefect.io"))
        let odd = SemanticsFixture.resolution(env: [("PREFECT__BACKEND", "Server")])
        guard case .success(let l3) = odd.loaded else { Issue.record("load failed"); return }
        #expect(l3.value(at: ["cloud", "api"]) == .str(""))
        #expect(l3.value(at: ["cloud", "graphql"]) == .str("/graphql"))
    }

    @Test func backendOverrideActsLikeForcedVariable() {
        let r = SemanticsFixture.resolution(
            env: [("PREFECT__BACKEND", "server"), ("PREFECT__CLOUD__USE_LOCAL_SECRETS", "false")], backendOverride: "cloud", cloud: Self.inventory)
        #expect(SemanticsFixture.get(r, "CLOUD_ONLY") == "dict {'k': 'from-cloud'}")
    }

    @Test func topLevelSecretsTableDoesNothing() {
        let user = ConfigValue.table([ConfigTableEntry("secrets", .table([ConfigTableEntry("WRONG_PLACE", .string("x"))]))])
        let r = SemanticsFixture.resolution(env: [], userConfig: user)
        #expect(SemanticsFixture.get(r, "WRONG_PLACE") == "local-not-found")
    }

    @Test func nonDictSecrets() {
        let r = SemanticsFixture.resolution(env: [("PREFECT__CONTEXT__SECRETS", "MYTOKENVALUE")])
        #expect(SemanticsFixture.get(r, "TOKEN") == "error TypeError: string indices must be integers, not 'str'")
        #expect(r.exists("TOKEN") == true)
        let list = SemanticsFixture.resolution(env: [("PREFECT__CONTEXT__SECRETS", "['a']")])
        #expect(SemanticsFixture.get(list, "TOKEN") == "error TypeError: list indices must be integers or slices, not str")
        let int = SemanticsFixture.resolution(env: [("PREFECT__CONTEXT__SECRETS", "123")])
        #expect(SemanticsFixture.get(int, "TOKEN") == "error TypeError: 'int' object is not subscriptable")
    }

    @Test func contextConfigOverridesTheFlagForSecretGet() {
        let r = SemanticsFixture.resolution(env: [("PREFECT__CONTEXT__CONFIG__CLOUD__USE_LOCAL_SECRETS", "false")], cloud: Self.inventory)
        #expect(SemanticsFixture.get(r, "CLOUD_ONLY") == "dict {'k': 'from-cloud'}")
    }

    @Test func configFilePathsFollowEnvironment() {
        let input = PrefectConfigInput(environment: PrefectEnvironment([
            ("HOME", "/h"), ("CFGDIR", "/etc/p"), ("PREFECT__USER_CONFIG_PATH", "$CFGDIR/my.toml"),
        ]))
        #expect(input.userConfigPath == "/etc/p/my.toml")
        #expect(input.backendConfigPath == "/h/.prefect/backend.toml")
    }
}

/// PS403's question: does the value survive the trip through env or config unchanged?
@Suite struct SemanticsValueChangeTests {
    @Test(arguments: [
        ("fake-token-abc", SecretValueChange.unchanged), ("007", .unchanged), ("123", .retyped(typeName: "int")),
        ("true", .retyped(typeName: "bool")), ("null", .retyped(typeName: "NoneType")), ("pa${ss}word", .rewritten),
        ("$HOME/x", .rewritten), ("\"quoted\"", .rewritten), ("{\"a\": 1}", .retyped(typeName: "Config")),
    ])
    func envValue(_ row: (String, SecretValueChange)) {
        let r = SemanticsFixture.resolution(env: [("PREFECT__CONTEXT__SECRETS__X", row.0)])
        #expect(r.get("X").change(from: row.0) == row.1)
    }

    @Test func failuresAndMissing() {
        let crash = SemanticsFixture.resolution(env: [("PREFECT__CONTEXT__SECRETS__keys", "v")])
        #expect(crash.get("keys").change(from: "v") == .fails)
        let missing = SemanticsFixture.resolution(env: [])
        #expect(missing.get("X").change(from: "v") == nil)
    }
}
