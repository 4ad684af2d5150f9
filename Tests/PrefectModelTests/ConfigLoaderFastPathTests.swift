import Testing
import TestSupport

@testable import PrefectModel

/// `PrefectConfigLoader.load` starts from Prefect's defaults loaded once when an input only
/// adds `PREFECT__` variables and at most one config file; these tests hold that path equal
/// to loading from scratch.
@Suite struct ConfigLoaderFastPathTests {
    /// Variables whose values and keys reach every step: conversions, `$`/`~` expansion,
    /// `${a.b}` references into the defaults, keys that nest or replace a table, reserved keys.
    static let variables: [(String, [String])] = [
        ("PREFECT__CONTEXT__SECRETS__TOKEN", ["007", "true", "False", "1,2", "[1, 2]", "{'a': 1}", "{\"keys\": 1}", "$HOME/x", "~/x", "~root/y", "${home_dir}/z", "${cloud.api}", "${missing.key}",
            // Read twice, a default that takes five passes to resolve: read before its own
            // resolution, the second copy would not resolve within Prefect's ten passes.
            "${server.database.connection_url} ${server.database.connection_url}", "$UNSET", "plain", "", "None", "0x1F", "nan"]),
        ("PREFECT__CONTEXT__SECRETS__TOKEN__INNER", ["v", "1"]),
        ("PREFECT__CONTEXT__SECRETS", ["{}", "x", "{'A': 'b'}"]),
        ("PREFECT__CONTEXT__SECRETS__KEYS", ["k"]),
        ("PREFECT__CONTEXT", ["x", "{'secrets': {'S': 1}}"]),
        ("PREFECT__CONTEXT__CONFIG", ["{'cloud': {'use_local_secrets': False}}", "7"]),
        ("PREFECT__BACKEND", ["server", "cloud", "$HOME"]),
        ("PREFECT__CLOUD__USE_LOCAL_SECRETS", ["false", "true", "0"]),
        ("PREFECT__CLOUD__API", ["https://api.example.com", "${server.endpoint}"]),
        ("PREFECT__SERVER__HOST", ["http://db", "${cloud.graphql}", "${context.secrets.NESTED.inner}"]),
        ("PREFECT__SERVER", ["flat"]),
        ("PREFECT__TASKS__DEFAULTS__MAX_RETRIES", ["3", "x"]),
        ("PREFECT__CONTEXT__SECRETS__ITEMS__X", ["1"]),
        ("UNRELATED", ["1", "$HOME"]),
        ("REFERENCE", ["${cloud.api}", "plain"]),
    ]

    /// Config file entries: values that convert or expand, keys new to the defaults and
    /// replacing theirs, a table where the defaults have a value and the reverse, empty
    /// tables, a reserved key, references.
    static let fileEntries: [([String], ConfigValue)] = [
        (["backend"], .string("server")),
        (["backend"], .string("$HOME")),
        (["context", "secrets", "TOKEN"], .string("007")),
        (["context", "secrets", "TOKEN"], .string("~/x")),
        (["context", "secrets", "TOKEN"], .string("[1, 2]")),
        (["context", "secrets", "TOKEN"], .integer(7)),
        (["context", "secrets", "TOKEN"], .array([.string("a"), .table([ConfigTableEntry("b", .bool(true))])])),
        (["context", "secrets", "OTHER"], .string("$UNSET plain")),
        (["context", "secrets", "NESTED", "inner"], .string("true")),
        (["context", "secrets", "keys"], .string("k")),
        (["context", "secrets", "EMPTY"], .table([])),
        (["context", "secrets", "EMPTY", "x"], .string("1")),
        (["context", "secrets", "EMPTY"], .string("1")),
        (["context", "secrets", "NESTED"], .string("flat")),
        (["context", "config", "cloud", "use_local_secrets"], .bool(false)),
        (["cloud", "use_local_secrets"], .string("false")),
        (["cloud", "api"], .string("https://api.example.com")),
        (["cloud", "api", "x"], .integer(1)),
        (["cloud", "api"], .table([])),
        (["server"], .string("flat")),
        (["server", "host"], .string("${cloud.api}")),
        // References in default keys, as config files copied from Prefect's defaults hold them.
        (["server", "endpoint"], .string("${server.host}:${server.port}")),
        (["cloud", "graphql"], .string("${cloud.api}/graphql")),
        (["server", "port"], .string("${server.ui.port}")),
        // A new key with a reference, and one whose `$` a variable expands to a reference.
        (["context", "secrets", "URL"], .string("${server.endpoint}/x")),
        (["context", "secrets", "EXPANDED"], .string("$REFERENCE")),
        // A cycle between a new key of an early table and a default key of a later one.
        (["server", "new_key"], .string("${cloud.api}")),
        (["cloud", "api"], .string("${server.new_key}")),
        (["tasks", "defaults", "max_retries"], .integer(3)),
    ]

    /// A config file of `entries`, leaving out those a table already holds (TOML has no duplicate keys).
    static func configFile(_ entries: [([String], ConfigValue)]) -> ConfigValue {
        func adding(_ value: ConfigValue, at path: ArraySlice<String>, to table: [ConfigTableEntry]) -> [ConfigTableEntry]? {
            guard let key = path.first else { return nil }
            guard let index = table.firstIndex(where: { $0.key == key }) else {
                var inner = value
                for name in path.dropFirst().reversed() { inner = .table([ConfigTableEntry(name, inner)]) }
                return table + [ConfigTableEntry(key, inner)]
            }
            guard path.count > 1, case .table(let entries) = table[index].value, let changed = adding(value, at: path.dropFirst(), to: entries) else { return nil }
            var result = table
            result[index].value = .table(changed)
            return result
        }
        var table: [ConfigTableEntry] = []
        for (path, value) in entries { table = adding(value, at: path[...], to: table) ?? table }
        return .table(table)
    }

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
            var input = PrefectConfigInput(environment: PrefectEnvironment(pairs), userHomes: ["root": "/root"])
            // Most of them merge a user config file, a backend one, or both.
            func entries() -> [([String], ConfigValue)] {
                (0..<1 + Int(generator.next() % 4)).map { _ in Self.fileEntries[Int(generator.next() % UInt64(Self.fileEntries.count))] }
            }
            let files = generator.next() % 4
            let userEntries = files & 1 == 1 ? entries() : []
            let backendEntries = files & 2 == 2 ? entries() : []
            if !userEntries.isEmpty { input.userConfig = Self.configFile(userEntries) }
            if !backendEntries.isEmpty { input.backendConfig = Self.configFile(backendEntries) }
            if PrefectConfigLoader.overStandard(input) != nil { fast += 1 }
            let expected = PrefectConfigLoader.fromScratch(input).flatMap { PrefectConfigLoader.finish($0.root, mayHoldReservedKey: $0.mayHoldReservedKey) }
            #expect(Self.summary(PrefectConfigLoader.load(input)) == Self.summary(expected), "\(pairs) \(userEntries) \(backendEntries)")
        }
        // Most generated inputs take the fast path (HOME is the standard one; the files it
        // cannot place are a few of the entries).
        #expect(fast > 300 && fast < 600)
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
                == Self.summary(PrefectConfigLoader.fromScratch(named).flatMap { PrefectConfigLoader.finish($0.root, mayHoldReservedKey: $0.mayHoldReservedKey) }))
        // A table where the defaults have a value, and where a user config file has one.
        var files = PrefectConfigInput(environment: PrefectEnvironment([("HOME", PrefectConfigLoader.standardHome)]))
        files.userConfig = Self.configFile([(["cloud", "api", "x"], .integer(1))])
        #expect(PrefectConfigLoader.overStandard(files) == nil)
        files.userConfig = Self.configFile([(["context", "secrets", "A"], .string("x"))])
        #expect(PrefectConfigLoader.overStandard(files) != nil)
        files.backendConfig = Self.configFile([(["context", "secrets", "A", "inner"], .string("y"))])
        #expect(PrefectConfigLoader.overStandard(files) == nil)
        // A value where a user config file has a table: the table's keys leave the flat config.
        files.userConfig = files.backendConfig
        files.backendConfig = Self.configFile([(["context", "secrets", "A"], .string("x"))])
        #expect(PrefectConfigLoader.overStandard(files) == nil)
        // References in the defaults' keys keep their order; a new key's would not.
        files.backendConfig = nil
        files.userConfig = Self.configFile([(["server", "endpoint"], .string("${server.host}:${server.port}"))])
        #expect(PrefectConfigLoader.overStandard(files) != nil)
        files.userConfig = Self.configFile([(["context", "secrets", "URL"], .string("${server.endpoint}/x"))])
        #expect(PrefectConfigLoader.overStandard(files) == nil)
    }

    static func summary(_ result: Result<LoadedPrefectConfig, PrefectImportCrash>) -> String {
        switch result {
        case .success(let loaded): return "config \(PyValue.dict(loaded.config, boxed: true)) context \(PyValue.dict(loaded.context, boxed: false)) local \(String(describing: loaded.useLocalSecrets))"
        case .failure(let crash): return "crash \(crash)"
        }
    }
}
