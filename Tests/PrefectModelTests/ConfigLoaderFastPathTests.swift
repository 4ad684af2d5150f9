import Testing
import TestSupport

@testable import PrefectModel

/// `PrefectConfigLoader.load` starts from Prefect's defaults loaded once when an input only
/// adds `PREFECT__` variables; these tests hold that path equal to loading from scratch.
@Suite struct ConfigLoaderFastPathTests {
    /// Variables whose values and keys reach every step: conversions, `$`/`~` expansion,
    /// `${a.b}` references into the defaults, keys that nest or replace a table, reserved keys.
    static let variables: [(String, [String])] = [
        ("PREFECT__CONTEXT__SECRETS__TOKEN", ["007", "true", "False", "1,2", "[1, 2]", "{'a': 1}", "{\"keys\": 1}", "$HOME/x", "~/x", "~root/y", "${home_dir}/z", "${cloud.api}", "${missing.key}", "$UNSET", "plain", "", "None", "0x1F", "nan"]),
        ("PREFECT__CONTEXT__SECRETS__TOKEN__INNER", ["v", "1"]),
        ("PREFECT__CONTEXT__SECRETS", ["{}", "x", "{'A': 'b'}"]),
        ("PREFECT__CONTEXT__SECRETS__KEYS", ["k"]),
        ("PREFECT__CONTEXT", ["x", "{'secrets': {'S': 1}}"]),
        ("PREFECT__CONTEXT__CONFIG", ["{'cloud': {'use_local_secrets': False}}", "7"]),
        ("PREFECT__BACKEND", ["server", "cloud", "$HOME"]),
        ("PREFECT__CLOUD__USE_LOCAL_SECRETS", ["false", "true", "0"]),
        ("PREFECT__CLOUD__API", ["https://api.example.com", "${server.endpoint}"]),
        ("PREFECT__SERVER__HOST", ["http://db", "${cloud.graphql}"]),
        ("PREFECT__SERVER", ["flat"]),
        ("PREFECT__TASKS__DEFAULTS__MAX_RETRIES", ["3", "x"]),
        ("PREFECT__CONTEXT__SECRETS__ITEMS__X", ["1"]),
        ("UNRELATED", ["1", "$HOME"]),
    ]

    @Test func fastPathEqualsLoadingFromScratch() {
        var generator = SplitMix(seed: 7)
        var fast = 0
        for _ in 0..<600 {
            var pairs: [(String, String)] = [("HOME", PrefectConfigLoader.standardHome)]
            for _ in 0..<Int(generator.next() % 5) {
                let (name, values) = Self.variables[Int(generator.next() % UInt64(Self.variables.count))]
                pairs.append((name, values[Int(generator.next() % UInt64(values.count))]))
            }
            pairs.shuffle(using: &generator)
            let input = PrefectConfigInput(environment: PrefectEnvironment(pairs), userHomes: ["root": "/root"])
            if PrefectConfigLoader.overStandard(input) != nil { fast += 1 }
            let expected = PrefectConfigLoader.fromScratch(input).flatMap { PrefectConfigLoader.finish($0.0, mayHoldReservedKey: $0.1) }
            #expect(Self.summary(PrefectConfigLoader.load(input)) == Self.summary(expected), "\(pairs)")
        }
        // The generated inputs take the fast path (HOME is the standard one, no config file).
        #expect(fast == 600)
    }

    @Test func otherInputsLoadFromScratch() {
        let home = PrefectConfigInput(environment: PrefectEnvironment([("HOME", "/root")]))
        #expect(PrefectConfigLoader.overStandard(home) == nil)
        let noHome = PrefectConfigInput(environment: PrefectEnvironment([("PREFECT__BACKEND", "server")]))
        #expect(PrefectConfigLoader.overStandard(noHome) == nil)
        // `${home_dir}` in the defaults would expand a variable of that name.
        let named = PrefectConfigInput(environment: PrefectEnvironment([("HOME", PrefectConfigLoader.standardHome), ("home_dir", "/x")]))
        #expect(PrefectConfigLoader.overStandard(named) == nil)
        #expect(
            Self.summary(PrefectConfigLoader.load(named))
                == Self.summary(PrefectConfigLoader.fromScratch(named).flatMap { PrefectConfigLoader.finish($0.0, mayHoldReservedKey: $0.1) }))
        var file = PrefectConfigInput(environment: PrefectEnvironment([("HOME", PrefectConfigLoader.standardHome)]))
        file.userConfig = .table([ConfigTableEntry("backend", .string("server"))])
        #expect(PrefectConfigLoader.overStandard(file) == nil)
    }

    static func summary(_ result: Result<LoadedPrefectConfig, PrefectImportCrash>) -> String {
        switch result {
        case .success(let loaded): return "config \(PyValue.dict(loaded.config, boxed: true)) context \(PyValue.dict(loaded.context, boxed: false)) local \(String(describing: loaded.useLocalSecrets))"
        case .failure(let crash): return "crash \(crash)"
        }
    }
}
