import Testing

@testable import Rules

/// The backend rules' readings of Prefect settings, against what Prefect 1.4.1 loads.
@Suite struct BackendRulesTests {
    /// PS302: `cloud.use_local_secrets` as Prefect 1.4.1 loads it (`prefect.config.cloud.use_local_secrets`
    /// printed for each text): env values go through `string_to_type` twice, config file strings
    /// once, and no blank is trimmed.
    @Test func localSecretsFlagIsBooleanAsPrefectLoadsIt() {
        for text in ["false", "FALSE", "True", "'false'", " 'false'", "\t'false'", "'false' ", "\"false\""] {
            #expect(LocalSecretsFlagIneffectiveRule.isBoolean(text, fromEnv: true), "\(text)")
        }
        for text in [" false", "false ", "' false'", "\"'false'\"", "0", "no", "1"] {
            #expect(!LocalSecretsFlagIneffectiveRule.isBoolean(text, fromEnv: true), "\(text)")
        }
        #expect(LocalSecretsFlagIneffectiveRule.isBoolean("FALSE", fromEnv: false))
        #expect(!LocalSecretsFlagIneffectiveRule.isBoolean("'false'", fromEnv: false))
        #expect(!LocalSecretsFlagIneffectiveRule.isBoolean(" 'false'", fromEnv: false))
        // Expanded from the loading process's environment: not known, not reported.
        #expect(LocalSecretsFlagIneffectiveRule.isBoolean("$USE_LOCAL", fromEnv: true))
        #expect(LocalSecretsFlagIneffectiveRule.isBoolean("${USE_LOCAL}", fromEnv: false))
    }
}
