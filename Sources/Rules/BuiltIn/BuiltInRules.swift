/// The code rules, one line each. Pattern rules come from `rules/*.toml` (see ``PatternRule``).
public enum BuiltInRules {
    public static let fileRules: [any FileRule] = [
        CommittedLocalSecretRule(),
        HardcodedSecretArgumentRule(),
        HardcodedSecretNameRule(),
        MalformedAgentEnvRule(),
        MalformedAgentLabelsRule(),
        NestedSecretCollisionRule(),
        InvalidBackendValueRule(),
        LossySecretValueRule(),
        ParseErrorRule(),
        PlaintextPrefectCredentialRule(),
        PlaintextSecretEnvRule(),
        ReservedSecretNameRule(),
        SecretInFlowMetadataRule(),
        SecretLoadedInsideTaskRule(),
        SecretOutsideContextRule(),
        SecretReadAtBuildTimeRule(),
        SecretsTableReplacedRule(),
        UnexpressibleSecretNameRule(),
    ]

    public static let projectRules: [any ProjectRule] = [
        AgentEnvNotForwardedRule(),
        CloudCredentialOnServerRule(),
        CloudSecretAPIOnServerRule(),
        ConflictingBackendsRule(),
        CrossSourceSecretCollisionRule(),
        DefaultSecretMissingRule(),
        EnvFileReaderValueRule(),
        FlowWithoutAgentRule(),
        ImportedHelperReadAtBuildTimeRule(),
        LocalSecretsFlagIneffectiveRule(),
        PlaintextEnvVarSecretRule(),
        SecretMissingForAgentRule(),
        SecretNameMismatchRule(),
        SecretOnlyLocalRule(),
        TemplateFileSecretRule(),
        UnusedSecretRule(),
    ]
}
