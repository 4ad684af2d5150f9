import Spans
/// The secret names Prefect 1.4.1 components read, from their keyword arguments or by default
/// (facts §7). `viaSecretGet` says whether the default is read with `Secret.get` (Cloud
/// applies: reported as ``SecretReferenceKind/componentKeyword``) or from context only
/// (``SecretReferenceKind/componentDefault``).
struct ComponentSecret: Sendable {
    /// The keyword naming the secret (`access_token_secret`), nil when the name is fixed.
    var keyword: String?
    /// The name read when the keyword is absent; nil when there is none.
    var defaultName: String?
    var viaSecretGet: Bool
    /// Keywords whose presence disables the default (`webhook_url` for SlackTask).
    var skippedWhen: [String] = []
}

/// Tables of what Prefect components read (facts §6, §7).
public enum PrefectComponents {
    /// Storage classes (facts §7.1), by class name.
    static let storage: [String: [ComponentSecret]] = [
        "GitHub": [ComponentSecret(keyword: "access_token_secret", defaultName: "GITHUB_ACCESS_TOKEN", viaSecretGet: false)],
        "GitLab": [ComponentSecret(keyword: "access_token_secret", defaultName: "GITLAB_ACCESS_TOKEN", viaSecretGet: false)],
        "Bitbucket": [
            ComponentSecret(keyword: "access_token_secret", defaultName: "BITBUCKET_ACCESS_TOKEN", viaSecretGet: false, skippedWhen: ["workspace"]),
            ComponentSecret(keyword: "cloud_username_secret", defaultName: nil, viaSecretGet: true),
            ComponentSecret(keyword: "cloud_app_password_secret", defaultName: nil, viaSecretGet: true),
        ],
        "Azure": [ComponentSecret(keyword: "connection_string_secret", defaultName: "AZURE_STORAGE_CONNECTION_STRING", viaSecretGet: false)],
        "Git": [
            ComponentSecret(keyword: "git_token_secret_name", defaultName: nil, viaSecretGet: true),
            ComponentSecret(keyword: "git_clone_url_secret_name", defaultName: nil, viaSecretGet: true),
        ],
        "S3": [ComponentSecret(keyword: nil, defaultName: "AWS_CREDENTIALS", viaSecretGet: false)],
        "CodeCommit": [ComponentSecret(keyword: nil, defaultName: "AWS_CREDENTIALS", viaSecretGet: false)],
        "GCS": [ComponentSecret(keyword: nil, defaultName: "GCP_CREDENTIALS", viaSecretGet: false)],
        "Webhook": [], "Docker": [], "Local": [], "Module": [],
    ]

    /// The keyword a storage class takes for the secret it reads by `name` when given none
    /// (`access_token_secret` for GITHUB_ACCESS_TOKEN); nil for a name no keyword replaces.
    public static func storageKeyword(replacingDefault name: String) -> String? {
        for secrets in storage.values {
            if let secret = secrets.first(where: { $0.defaultName == name && $0.keyword != nil }) { return secret.keyword }
        }
        return nil
    }

    /// Result classes (facts §7.2).
    static let results: [String: [ComponentSecret]] = [
        "AzureResult": [ComponentSecret(keyword: "connection_string_secret", defaultName: nil, viaSecretGet: true)],
        "S3Result": [ComponentSecret(keyword: nil, defaultName: "AWS_CREDENTIALS", viaSecretGet: false)],
        "GCSResult": [ComponentSecret(keyword: nil, defaultName: "GCP_CREDENTIALS", viaSecretGet: false)],
    ]

    /// Task-library classes and utility functions known by name (facts §7.3, §7.4).
    static let namedTaskSecrets: [String: [ComponentSecret]] = [
        "VaultSecret": [ComponentSecret(keyword: "vault_credentials_secret", defaultName: "VAULT_CREDENTIALS", viaSecretGet: true)],
        "EmailTask": [
            ComponentSecret(keyword: nil, defaultName: "EMAIL_USERNAME", viaSecretGet: true),
            ComponentSecret(keyword: nil, defaultName: "EMAIL_PASSWORD", viaSecretGet: true),
        ],
        "SlackTask": slackSecrets, "slack_notifier": slackSecrets,
        "PushbulletTask": [ComponentSecret(keyword: nil, defaultName: "PUSHBULLET_TOKEN", viaSecretGet: true, skippedWhen: ["access_token"])],
        "gmail_notifier": [
            ComponentSecret(keyword: nil, defaultName: "EMAIL_USERNAME", viaSecretGet: true),
            ComponentSecret(keyword: nil, defaultName: "EMAIL_PASSWORD", viaSecretGet: true),
        ],
        "snowflake_logger": [
            ComponentSecret(keyword: "snowflake_secret", defaultName: "SNOWFLAKE_CREDS", viaSecretGet: true),
            ComponentSecret(keyword: "snowflake_log_table_name", defaultName: "LOG_TABLE_NAME_FULL", viaSecretGet: true),
        ],
        "jira_notifier": [ComponentSecret(keyword: nil, defaultName: "JIRASECRETS", viaSecretGet: true)],
        "get_kubernetes_client": [ComponentSecret(keyword: "kubernetes_api_key_secret", defaultName: "KUBERNETES_API_KEY", viaSecretGet: true)],
        "get_boto_client": [ComponentSecret(keyword: nil, defaultName: "AWS_CREDENTIALS", viaSecretGet: false, skippedWhen: ["credentials"])],
        "get_google_client": gcpClientSecrets, "get_storage_client": gcpClientSecrets, "get_bigquery_client": gcpClientSecrets,
        "DatastoreRegisterBlobContainer": [ComponentSecret(keyword: "azure_credentials_secret", defaultName: "AZ_CREDENTIALS", viaSecretGet: true)],
        "GCPSecret": [],
    ]
    private static let slackSecrets = [
        ComponentSecret(keyword: "webhook_secret", defaultName: "SLACK_WEBHOOK_URL", viaSecretGet: true, skippedWhen: ["webhook_url"])
    ]
    private static let gcpClientSecrets = [
        ComponentSecret(keyword: nil, defaultName: "GCP_CREDENTIALS", viaSecretGet: false, skippedWhen: ["credentials"])
    ]

    /// A `prefect.tasks` module all of whose tasks read a secret, and what they read given the
    /// task's name (nil: not this family after all).
    struct TaskFamily: Sendable {
        let module: String
        let secrets: @Sendable (_ resolved: String, _ name: String) -> [ComponentSecret]?
        var name: String { String(module.dropFirst("prefect.tasks.".count)) }
    }

    /// The task families (facts §7.3): ``taskSecrets(resolved:name:)`` reads them, and the
    /// Python prefilter treats every name starting with one as a component.
    static let families: [TaskFamily] = [
        TaskFamily(module: "prefect.tasks.kubernetes") { _, _ in
            [ComponentSecret(keyword: "kubernetes_api_key_secret", defaultName: "KUBERNETES_API_KEY", viaSecretGet: true)]
        },
        TaskFamily(module: "prefect.tasks.aws") { _, _ in
            [ComponentSecret(keyword: nil, defaultName: "AWS_CREDENTIALS", viaSecretGet: false, skippedWhen: ["credentials"])]
        },
        TaskFamily(module: "prefect.tasks.gcp") { _, _ in
            [ComponentSecret(keyword: nil, defaultName: "GCP_CREDENTIALS", viaSecretGet: false, skippedWhen: ["credentials"])]
        },
        // `prefect.tasks.azure.…`, and the blob tasks of `prefect.tasks.azureml` too.
        TaskFamily(module: "prefect.tasks.azure") { resolved, name in
            let blob = name.hasPrefix("BlobStorage")
            guard resolved.hasPrefix("prefect.tasks.azure.") || blob else { return nil }
            return [ComponentSecret(keyword: "azure_credentials_secret", defaultName: blob ? "AZ_CONNECTION_STRING" : "AZ_CREDENTIALS", viaSecretGet: true)]
        },
        TaskFamily(module: "prefect.tasks.redis") { _, _ in
            [ComponentSecret(keyword: "password_secret", defaultName: "REDIS_PASSWORD", viaSecretGet: true)]
        },
        TaskFamily(module: "prefect.tasks.jira") { _, _ in
            [ComponentSecret(keyword: nil, defaultName: "JIRASECRETS", viaSecretGet: true)]
        },
        TaskFamily(module: "prefect.tasks.exasol") { _, _ in
            ["dsn_secret", "user_secret", "password_secret"].map { ComponentSecret(keyword: $0, defaultName: nil, viaSecretGet: true) }
        },
        TaskFamily(module: "prefect.tasks.toloka") { _, _ in
            [ComponentSecret(keyword: "secret_name", defaultName: "TOLOKA_TOKEN", viaSecretGet: true, skippedWhen: ["token"])]
        },
    ]

    /// Storages that keep a flow's script, not a pickle of it: each flow run loads the module
    /// again (facts §7.1).
    public static let scriptStorages: Set<String> = ["GitHub", "GitLab", "Bitbucket", "CodeCommit", "Git", "Module"]

    /// Components whose constructor reads a credential from the environment where it is made
    /// (facts §7.2, §7.4, §10 item 16): unless the parameter `given` (at its `position` among
    /// the positional arguments) is, it reads the variable that `variableKeyword` names, else
    /// `variable`; a flow that pickles the component keeps the value. With what to do instead.
    public static let constructorEnvReads: [String: (given: String, position: Int, variableKeyword: String?, variable: String, advice: String)] = [
        "DbtCloudRunJob": (
            "token", 3, "token_env_var_name", "DBT_CLOUD_TOKEN",
            "give the token when the task runs instead (DbtCloudRunJob()(token=PrefectSecret(\"DBT_CLOUD_TOKEN\")))"
        ),
        "AzureResult": (
            "connection_string", 1, nil, "AZURE_STORAGE_CONNECTION_STRING",
            "give it no connection string where flows are registered, and name a secret (connection_string_secret=\"NAME\"), which it reads when it stores a result; a connection string it took at registration wins over the secret"
        ),
        "CubePreAggregationsBuildTask": (
            "api_secret", 2, "api_secret_env_var", "CUBEJS_API_SECRET",
            "give the secret when the task runs instead (api_secret=PrefectSecret(\"NAME\")); it also raises where the variable is unset"
        ),
    ]

    /// Task-library parameters that take a secret's value though named like one of Prefect's
    /// `*_secret` parameters, which take a name (facts §7.4): the task runs with
    /// `PrefectSecret("NAME")` given, never with the name. By class; the Databricks tasks' alone.
    static let valueParameters: [String: String] = [
        "DatabricksSubmitRun": "databricks_conn_secret", "DatabricksRunNow": "databricks_conn_secret",
        "DatabricksSubmitMultitaskRun": "databricks_conn_secret", "DatabricksGetJobID": "databricks_conn_secret",
    ]

    /// What a task given a secret's name in one of ``valueParameters`` does.
    public static let nameGivenAsValueFailure =
        "a Databricks task's databricks_conn_secret takes the connection dict itself, not a secret's name, and Prefect raises ValueError(\"`databricks_conn_secret` must be supplied as a valid dictionary.\")"

    /// Task-library classes and utility functions (facts §7.3, §7.4), by exact last component
    /// or by resolved-name family (`prefect.tasks.kubernetes`).
    static func taskSecrets(resolved: String, name: String) -> [ComponentSecret]? {
        if let named = namedTaskSecrets[name] { return named }
        for family in families where resolved.hasPrefix(family.module) {
            if let secrets = family.secrets(resolved, name) { return secrets }
        }
        return nil
    }

    /// Run config classes (facts §6).
    static let runConfigs: Set<String> = ["LocalRun", "DockerRun", "KubernetesRun", "ECSRun", "VertexRun", "UniversalRun"]

    /// Agent classes a module can start itself (`LocalAgent(labels=[…]).start()`), by name.
    static let agentClasses: [String: AgentType] = [
        "LocalAgent": .local, "DockerAgent": .docker, "KubernetesAgent": .kubernetes, "ECSAgent": .ecs, "VertexAgent": .vertex,
    ]

    /// Keyword arguments that take a secret *value* (PS102), matched on the lowercased keyword.
    static let secretWords: [[UInt8]] = [
        "password", "passwd", "pwd", "secret", "token", "api_key", "apikey", "access_key", "private_key",
        "credentials", "credential", "auth_key", "connection_string", "conn_str", "client_secret",
        "passphrase", "signing_key", "webhook_url", "account_key",
    ].map { Array($0.utf8) }

    /// ``secretWords`` as one automaton (it folds ASCII case itself).
    static let secretWordSet = KeywordSet(secretWords.map { String(decoding: $0, as: UTF8.self) })

    /// Parameters that take a secret *name* or a pointer to one.
    static let nameSuffixes: [[UInt8]] = [
        "_secret", "_secret_name", "_secrets", "_name", "_path", "_file", "_env_var", "_var", "_env", "_type", "_id", "_url",
        "_uri", "_arn", "_header", "_length", "_expiry", "_ttl", "_kwargs", "_endpoint", "_field", "_key_id", "_mode",
        "_method", "_re", "_regex", "_pattern", "_prefix", "_suffix", "_format", "_template", "_dir", "_location", "_label",
        "_keys", "_names", "_version", "_count", "_timeout", "_scope", "_scopes", "_provider", "_backend", "_source", "_class",
        "_store", "_manager", "_kind", "_size", "_algorithm", "_description", "_help", "_message", "_status",
        "_username", "_user",
    ].map { Array($0.utf8) }

    /// Names with a secret word whose value is no secret: `GOOGLE_APPLICATION_CREDENTIALS` is
    /// the path of a key file, by Google's definition.
    static let nonSecretNames: Set<[UInt8]> = Set(
        ["secret_name", "secrets", "token_url", "secret_id", "password_prompt", "google_application_credentials"].map { Array($0.utf8) })

    /// Whether a parameter or key name takes a secret value. Runs for every parameter and dict
    /// key of every Python file, so it works on ASCII-lowered bytes and rejects names without
    /// any secret word first.
    static func takesSecretValue(_ rawName: String) -> Bool {
        // Most names hold no secret word: settled without copying the name.
        var rawName = rawName
        let hasWord = rawName.withUTF8 { secretWordSet.occurs(in: $0) }
        guard hasWord else { return false }
        var name = Array(rawName.utf8)
        for i in name.indices where name[i] >= 0x41 && name[i] <= 0x5A { name[i] |= 0x20 }
        if nonSecretNames.contains(name) { return false }
        // `client_secret`, `HASURA_ADMIN_SECRET`: an app's or an account's secret, a value; not
        // one of Prefect's `*_secret` parameters, which take a secret's name.
        if appSecretNames.contains(where: { name.count >= $0.count && name.suffix($0.count).elementsEqual($0) }) { return true }
        if nameSuffixes.contains(where: { name.count >= $0.count && name.suffix($0.count).elementsEqual($0) }) { return false }
        return !namesOnlyLanguageModelTokens(name)
    }

    /// Names ending so hold a secret's value (an OAuth client's, an app's, an admin's).
    static let appSecretNames: [[UInt8]] = [
        "client_secret", "app_secret", "application_secret", "consumer_secret", "api_secret", "admin_secret", "shared_secret",
        "jwt_secret", "signing_secret", "hmac_secret", "oauth_secret", "session_secret", "cookie_secret", "encryption_secret",
    ].map { Array($0.utf8) }

    /// Words of language-model code that hold `token` and name no credential: a tokenizer and
    /// its settings (`TOKENIZER = "bert-base-uncased"`, `TOKENIZERS_PARALLELISM`), special
    /// tokens (`cls_token = "[CLS]"`).
    static let languageModelTokenWords: [[UInt8]] = [
        "tokeniz", "tokenis", "cls_token", "pad_token", "mask_token", "sep_token", "unk_token", "bos_token", "eos_token",
    ].map { Array($0.utf8) }

    /// Whether every secret word of `name` (lower-case ASCII) stands in one of
    /// ``languageModelTokenWords``.
    static func namesOnlyLanguageModelTokens(_ name: [UInt8]) -> Bool {
        var rest = name
        var blanked = false
        for word in languageModelTokenWords {
            var i = 0
            while i + word.count <= rest.count {
                if rest[i..<(i + word.count)].elementsEqual(word) {
                    for k in i..<(i + word.count) { rest[k] = 0x20 }
                    blanked = true
                    i += word.count
                } else {
                    i += 1
                }
            }
        }
        return blanked && !rest.withUnsafeBufferPointer { secretWordSet.occurs(in: $0) }
    }
}

extension PrefectComponents {
    /// Whether an env var or key name says its value is a credential (`DB_PASSWORD`,
    /// `AWS_SECRET_ACCESS_KEY`, `API_TOKEN`), for PS106.
    public static func looksLikeCredentialName(_ name: String) -> Bool { takesSecretValue(name) }
}
